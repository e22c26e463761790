package paper

import (
	"fmt"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/go-pdf/fpdf"

	"github.com/kocasinan/gise/app"
)

// Layout is the paper a receipt is laid out for.
type Layout string

// Layouts, as config's printer.receipt_layout names them.
const (
	Thermal80 Layout = "thermal80" // 80 mm roll, as long as the content
	A4        Layout = "a4"
)

// KindApplication is the receipt kind of a KVKK article 11 application
// (data_subject.request), beside the app.Kind values of complaints.
const KindApplication = "data_subject_request"

// ReceiptDoc is what a receipt shows. It holds no personal data beyond the
// name the citizen gave and the masked national ID: the tracking code and
// the status link name nobody.
type ReceiptDoc struct {
	Header    Header
	Layout    Layout
	Kind      string // an app.Kind value, or KindApplication
	Code      app.TrackingCode
	StatusURL string // base of the status link (config's municipality.status_url)
	Category  string // the category's name as the citizen knows it; "" when none
	// ApplicantName is the name the citizen gave; "" for an anonymous record.
	ApplicantName string
	// NationalID is printed masked ("123******46"); zero for an anonymous complaint.
	NationalID app.NationalID
	At         time.Time
	DueDate    time.Time // KVKK application: last day of the 30-day reply period
	Terminal   string
}

// Title names the receipt's print job in CUPS's queue and logs:
// "Makbuz" and the tracking code, nothing personal ("Makbuz K7QM-4X29-PQ7C").
func (d ReceiptDoc) Title() string { return "Makbuz " + d.Code.String() }

// StatusLink returns the status page of a tracking code: base followed by
// the code, "https://www.kocasinan.bel.tr/basvuru/K7QM-4X29-PQ7C".
func StatusLink(base string, code app.TrackingCode) string {
	if base == "" {
		return ""
	}
	if !strings.HasSuffix(base, "/") && !strings.HasSuffix(base, "=") {
		base += "/"
	}
	return base + code.String()
}

// geometry is one layout's page width, margin and type sizes.
type geometry struct {
	width, margin, logo, qr          float64
	body, small, title, code, header float64
	fixedHeight                      float64 // 0: as long as the content
}

var geometries = map[Layout]geometry{
	Thermal80: {width: 80, margin: 4, logo: 13, qr: 30, body: 8.5, small: 7, title: 11, code: 17, header: 10.5},
	A4:        {width: 210, margin: 22, logo: 22, qr: 42, body: 11, small: 8.5, title: 17, code: 30, header: 15, fixedHeight: 297},
}

// Receipt returns the receipt as a PDF in d.Layout (Thermal80 when unset).
func Receipt(d ReceiptDoc) ([]byte, error) {
	if _, err := app.ParseTrackingCode(string(d.Code)); err != nil {
		return nil, err
	}
	g, ok := geometries[d.Layout]
	if !ok {
		g = geometries[Thermal80]
	}
	// The QR code (about a fifth of the work) is encoded while the font loads.
	link := StatusLink(d.StatusURL, d.Code)
	qrDone := make(chan qrResult, 1)
	go func() {
		var r qrResult
		if link != "" {
			r.code, r.err = newQR(link)
		}
		qrDone <- r
	}()
	title := kindTitle(d.Kind) + " · " + d.Code.String()
	pdf := newDoc(fpdf.SizeType{Wd: g.width, Ht: 297}, g.margin, title, d.At, false)
	q := <-qrDone
	if q.err != nil {
		return nil, fmt.Errorf("qr code: %w", q.err)
	}
	items := receiptItems(d, g, link, q.code)
	height := g.fixedHeight
	if height == 0 {
		height = 2*g.margin + measure(pdf, g, items)
	}
	pdf.AddPageFormat("P", fpdf.SizeType{Wd: g.width, Ht: height})
	pdf.SetY(g.margin)
	for _, it := range items {
		it.draw(pdf, g, d.Header)
	}
	return output(pdf)
}

// qrResult is the QR code of the status link, or why it could not be made.
type qrResult struct {
	code barcode.Barcode
	err  error
}

func receiptItems(d ReceiptDoc, g geometry, link string, q barcode.Barcode) []item {
	items := []item{
		{kind: itemLogo},
		{text: d.Header.Name, pt: g.header, bold: true, align: "C"},
		{text: d.Header.Address, pt: g.small, align: "C"},
		{text: contactLine(d.Header), pt: g.small, align: "C"},
		{kind: itemRule},
		{text: kindTitle(d.Kind), pt: g.title, bold: true, align: "C"},
		{text: "Takip kodu", pt: g.small, align: "C", gap: 1},
		{text: d.Code.String(), pt: g.code, bold: true, align: "C", fit: true},
	}
	if q != nil {
		items = append(items, item{kind: itemQR, qr: q}, item{text: link, pt: g.small, align: "C"})
	}
	items = append(items, item{kind: itemRule})
	for _, f := range receiptFields(d) {
		items = append(items, item{text: f[0] + ": " + f[1], pt: g.body, align: "L", gap: 0.3})
	}
	items = append(items,
		item{kind: itemRule},
		item{text: "Bundan sonra ne olacak?", pt: g.body, bold: true, align: "L"},
		item{text: nextSteps(d), pt: g.body, align: "L"},
		item{text: "Nasıl sorabilirim?", pt: g.body, bold: true, align: "L"},
		item{text: howToAsk(link), pt: g.body, align: "L"},
		item{text: "Bu makbuzu saklayın. Takip kodu ve karekod kişisel bilgi içermez.", pt: g.small, align: "C", gap: 1},
	)
	return items
}

// receiptFields are the label/value rows of the receipt.
func receiptFields(d ReceiptDoc) [][2]string {
	rows := [][2]string{{"Tarih", dateTime(d.At)}, {"Tür", kindLabel(d.Kind)}}
	if d.Category != "" {
		rows = append(rows, [2]string{"Konu", d.Category})
	}
	if d.ApplicantName != "" {
		rows = append(rows, [2]string{"Başvuran", d.ApplicantName})
	}
	if m := d.NationalID.Masked(); m != "" {
		rows = append(rows, [2]string{"Kimlik No", m})
	} else if d.ApplicantName == "" {
		rows = append(rows, [2]string{"Başvuran", "İsimsiz"})
	}
	if d.Kind == KindApplication && !d.DueDate.IsZero() {
		rows = append(rows, [2]string{"Yanıt için son gün", date(d.DueDate)})
	}
	if d.Terminal != "" {
		rows = append(rows, [2]string{"Gişe", d.Terminal})
	}
	return rows
}

var kindLabels = map[string][2]string{
	string(app.KindComplaint):   {"Şikâyet", "Şikâyetiniz alındı"},
	string(app.KindRequest):     {"Talep", "Talebiniz alındı"},
	string(app.KindSuggestion):  {"Öneri", "Öneriniz alındı"},
	string(app.KindInformation): {"Bilgi edinme", "Bilgi edinme başvurunuz alındı"},
	string(app.KindThanks):      {"Teşekkür", "Teşekkürünüz alındı"},
	KindApplication:             {"KVKK başvurusu (madde 11)", "KVKK başvurunuz alındı"},
}

func kindLabel(k string) string {
	if l, ok := kindLabels[k]; ok {
		return l[0]
	}
	return "Başvuru"
}

func kindTitle(k string) string {
	if l, ok := kindLabels[k]; ok {
		return l[1]
	}
	return "Başvurunuz alındı"
}

// nextSteps tells the citizen what happens now, honestly: a terminal may be
// offline, and the record still reaches the centre.
func nextSteps(d ReceiptDoc) string {
	switch d.Kind {
	case KindApplication:
		s := "Başvurunuz 6698 sayılı KVKK'nın 13. maddesi uyarınca en geç 30 gün içinde ücretsiz olarak sonuçlandırılır"
		if !d.DueDate.IsZero() {
			s += " (son gün " + date(d.DueDate) + ")"
		}
		return s + ". Yanıt, başvuruda seçtiğiniz yolla size ulaştırılır."
	case string(app.KindThanks):
		return "Teşekkürünüz ilgili birime iletilecektir."
	default:
		return "Başvurunuz kayda alındı ve ilgili müdürlüğe iletilecek. Gişenin internet bağlantısı kesik olsa bile " +
			"kaydınız saklanır ve bağlantı kurulunca merkeze ulaşır. Sonuçlandığında durum bilgisi güncellenir."
	}
}

func howToAsk(link string) string {
	s := "Alo 153'ü arayın ya da bu makbuzla herhangi bir belediye gişesine başvurun; takip kodunu söylemeniz yeterlidir."
	if link != "" {
		s = "Telefonunuzun kamerasıyla karekodu okutun ya da takip kodunu yukarıdaki adreste sorgulayın. " + s
	}
	return s
}
