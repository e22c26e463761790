package app

import (
	"context"
	"fmt"
)

// ScanSource is where the scanner takes the paper from.
type ScanSource string

// Sources a counter scanner offers.
const (
	SourceFlatbed ScanSource = "flatbed" // the glass: one page a scan
	SourceFeeder  ScanSource = "feeder"  // the document feeder: every page it holds
)

// ScanMode is the colour of the scanned image.
type ScanMode string

// Modes a scan is made in.
const (
	ModeColour ScanMode = "colour"
	ModeGrey   ScanMode = "grey"
)

// Resolutions the Administration screen offers, in dots per inch; a device
// that lacks one scans at its nearest.
var Resolutions = []int{150, 200, 300, 600}

// Codes of a scanner's faults, beside EUNAVAILABLE (the scanner failed
// otherwise: a lost connection, no permission, no answer).
const (
	EScanMissing     = "scan_missing"      // no scanner chosen, none at that name, or no scanimage
	EScanBusy        = "scan_busy"         // another program or computer is using it
	EScanJammed      = "scan_jammed"       // paper jammed in the feeder
	EScanCoverOpen   = "scan_cover_open"   // the cover or the feeder's lid is open
	EScanFeederEmpty = "scan_feeder_empty" // nothing in the feeder
	EScanCancelled   = "scan_cancelled"    // the clerk stopped it
)

// The scanner's faults, each a code for programs and a sentence for the
// clerk that says what to do; the pages scanned before a fault are kept, and
// the sentences say so where it matters. Adapters return them through
// ScanFault, with the technical cause.
var (
	// ErrScanNoDevice is returned when no scanner is chosen.
	ErrScanNoDevice = &Error{Code: EScanMissing, Message: "Tarayıcı seçilmemiş. Yönetim ekranının Terminal bölümünden tarayıcıyı seçin."}
	// ErrScanNoProgram is returned when scanimage is not installed.
	ErrScanNoProgram = &Error{Code: EScanMissing, Message: "Bu terminalde tarama programı (scanimage, sane-utils paketi) kurulu değil; bilgi işlem birimine haber verin."}
	// ErrScanMissing is returned when there is no scanner at that name, or it is off.
	ErrScanMissing = &Error{Code: EScanMissing, Message: "Tarayıcı bulunamadı. Açık ve bağlı olduğunu denetleyin; sürerse Yönetim ekranında tarayıcıyı yeniden seçin."}
	// ErrScanBusy is returned when another program or computer holds the scanner.
	ErrScanBusy = &Error{Code: EScanBusy, Message: "Tarayıcı meşgul: başka bir program ya da bilgisayar kullanıyor. Biraz sonra yeniden Tara'ya basın."}
	// ErrScanJammed is returned when paper jammed in the feeder.
	ErrScanJammed = &Error{Code: EScanJammed, Message: "Kâğıt sıkıştı. Sıkışan kâğıdı çıkarın, kalan sayfaları besleyiciye koyup Sayfa ekle'ye basın; taranan sayfalar duruyor."}
	// ErrScanCoverOpen is returned when the cover is open.
	ErrScanCoverOpen = &Error{Code: EScanCoverOpen, Message: "Tarayıcının kapağı açık. Kapağı kapatıp yeniden deneyin; taranan sayfalar duruyor."}
	// ErrScanFeederEmpty is returned when the feeder gave no page.
	ErrScanFeederEmpty = &Error{Code: EScanFeederEmpty, Message: "Belge besleyicide kâğıt yok. Sayfaları besleyiciye yerleştirip yeniden Tara'ya basın."}
	// ErrScanNoPage is returned when the glass gave no page.
	ErrScanNoPage = &Error{Code: EUNAVAILABLE, Message: "Tarayıcı sayfa vermedi. Belgeyi camın üstüne yerleştirip yeniden Tara'ya basın."}
	// ErrScanCancelled is returned when the clerk, or the copier's own stop button, stopped the scan.
	ErrScanCancelled = &Error{Code: EScanCancelled, Message: "Tarama durduruldu; taranan sayfalar duruyor."}
	// ErrScanIO is returned when the connection to the device was lost.
	ErrScanIO = &Error{Code: EUNAVAILABLE, Message: "Tarayıcıyla bağlantı koptu. Kablosunu ya da ağ bağlantısını ve açık olduğunu denetleyip yeniden deneyin; taranan sayfalar duruyor."}
	// ErrScanDenied is returned when the terminal may not use the device.
	ErrScanDenied = &Error{Code: EUNAVAILABLE, Message: "Bu terminalin tarayıcıyı kullanma izni yok; bilgi işlem birimine haber verin."}
	// ErrScanStalled is returned when the scanner said nothing for too long.
	ErrScanStalled = &Error{Code: EUNAVAILABLE, Message: "Tarayıcı yanıt vermiyor. Açık ve bağlı olduğunu denetleyip yeniden deneyin; taranan sayfalar duruyor."}
	// ErrScanFailed is returned on any other failure of the device.
	ErrScanFailed = &Error{Code: EUNAVAILABLE, Message: "Tarayıcı taramayı tamamlayamadı. Yeniden deneyin; sürerse tarayıcıyı kapatıp açın."}
	// ErrScanNoFeeder is returned when the device has no feeder.
	ErrScanNoFeeder = &Error{Code: EINVALID, Field: "scanner", Message: "Bu tarayıcının belge besleyicisi yok. Sayfaları camdan tek tek tarayın ya da Yönetim ekranında düz camı seçin."}
	// ErrScanNoFlatbed is returned when the device has no glass.
	ErrScanNoFlatbed = &Error{Code: EINVALID, Field: "scanner", Message: "Bu tarayıcının düz camı yok. Sayfaları belge besleyiciye koyun ya da Yönetim ekranında besleyiciyi seçin."}
	// ErrScanSetting is returned when the device refused a setting.
	ErrScanSetting = &Error{Code: EINVALID, Field: "scanner", Message: "Tarayıcı bu ayarı kabul etmedi. Yönetim ekranında başka bir renk ya da çözünürlük seçin."}
	// ErrScanBadRequest is returned when the request is not valid.
	ErrScanBadRequest = &Error{Code: EINVALID, Field: "scanner", Message: "Tarama ayarı geçersiz: kaynağı (cam ya da besleyici), rengi ve 75 ile 1200 dpi arasında bir çözünürlüğü Yönetim ekranında seçin."}
)

// ScanFault returns fault e wrapping cause, which goes to the log, never to
// the screen.
func ScanFault(e *Error, cause error) *Error {
	c := *e
	c.Err = cause
	return &c
}

// ScanDevice is a scanner SANE lists: a USB scanner, or a network copier
// (sane-airscan names those "airscan:…").
type ScanDevice struct {
	Name   string // the SANE device name, given to scanimage -d
	Vendor string
	Model  string
	Type   string // "flatbed scanner", "eSCL network scanner", …
}

// Label is how a device is offered on the screen.
func (d ScanDevice) Label() string {
	switch {
	case d.Vendor == "" && d.Model == "":
		return d.Name
	case d.Vendor == "":
		return fmt.Sprintf("%s (%s)", d.Model, d.Name)
	}
	return fmt.Sprintf("%s %s (%s)", d.Vendor, d.Model, d.Name)
}

// ScanRequest is one press of "Tara": which scanner, from where, in what
// colour, how fine.
type ScanRequest struct {
	Device     string
	Source     ScanSource
	Mode       ScanMode
	Resolution int // dots per inch
	// MaxPages stops the feeder after this many pages; 0 takes every page it
	// holds. The flatbed always gives one.
	MaxPages int
}

// Validate checks the request before the scanner is asked: a device chosen
// (EScanMissing), a known source and mode and a resolution from 75 to 1200
// dpi (EINVALID).
func (r ScanRequest) Validate() error {
	if r.Device == "" {
		return ScanFault(ErrScanNoDevice, nil)
	}
	okSource := r.Source == SourceFlatbed || r.Source == SourceFeeder
	okMode := r.Mode == ModeColour || r.Mode == ModeGrey
	if !okSource || !okMode || r.Resolution < 75 || r.Resolution > 1200 || r.MaxPages < 0 {
		return ScanFault(ErrScanBadRequest, nil)
	}
	return nil
}

// ScannedPage is one page as the scanner gave it: a JPEG and the resolution
// it was scanned at, which gives its size on paper.
type ScannedPage struct {
	JPEG       []byte
	Width      int // pixels
	Height     int // pixels
	Resolution int // dots per inch
}

// SizeMM is the page's size on paper, in millimetres.
func (p ScannedPage) SizeMM() (w, h float64) {
	return float64(p.Width) * 25.4 / float64(p.Resolution), float64(p.Height) * 25.4 / float64(p.Resolution)
}

// ScanEvent is what a scan reports as it goes: progress on page Page (1 for
// the first of this scan) and, once that page is whole, the page itself.
type ScanEvent struct {
	Page    int
	Percent float64      // 0–100 of the page in progress
	Scanned *ScannedPage // set once the page is complete
}

// Scanner is the document scanner at the counter (app/sane implements it
// with SANE's scanimage). Its methods do I/O and may take long: call them off
// the UI goroutine. Errors are *Error values with a Turkish message for the
// clerk; the technical cause is wrapped for the log.
type Scanner interface {
	// Devices lists the scanners SANE finds, local and on the network.
	// EScanMissing when the scan program is not installed.
	Devices(ctx context.Context) ([]ScanDevice, error)
	// Scan scans as req asks and hands each event to got, in order, on the
	// calling goroutine; every page given to got is whole and stays the
	// caller's, whatever error follows. A feeder that runs out after one
	// page or more ends the scan without error. Errors: the request's own
	// (Validate); EScanMissing (no such device, no scanimage); EScanBusy;
	// EScanJammed; EScanCoverOpen; EScanFeederEmpty (the feeder gave no
	// page); EScanCancelled when ctx is cancelled; EINVALID when the device
	// lacks the source or refuses a setting; EUNAVAILABLE for any other
	// failure of the device, a scanner that stops answering included.
	Scan(ctx context.Context, req ScanRequest, got func(ScanEvent)) error
}
