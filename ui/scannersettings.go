package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

var (
	scanSources = []app.ScanSource{app.SourceFlatbed, app.SourceFeeder}
	scanModes   = []app.ScanMode{app.ModeGrey, app.ModeColour}
)

// scannerSettings is the Administration screen's block for the document
// scanner: the device, chosen from what SANE lists (USB scanners and network
// copiers alike), and the source, colour and resolution "Tara" uses.
type scannerSettings struct {
	h          host
	scanner    app.Scanner // nil: no scanimage
	device     *widget.Select
	source     *widget.Select
	mode       *widget.Select
	resolution *widget.Select
	found      *widget.Label
	names      []string // the device name behind each of device's options
	box        *fyne.Container
}

func newScannerSettings(h host, sc app.Scanner) *scannerSettings {
	s := &scannerSettings{h: h, scanner: sc, device: &widget.Select{}, source: &widget.Select{}, mode: &widget.Select{},
		resolution: &widget.Select{}, found: &widget.Label{Wrapping: fyne.TextWrapWord}}
	t := h.texts()
	t.add(func() {
		s.resolution.Options = s.resolution.Options[:0]
		for _, dpi := range app.Resolutions {
			s.resolution.Options = append(s.resolution.Options, lang.L("admin.scanner.dpi", map[string]any{"Dpi": dpi}))
		}
		s.resolution.Refresh()
	})
	t.add(func() {
		src, mode := s.source.SelectedIndex(), s.mode.SelectedIndex()
		s.source.Options = []string{lang.L("scan.source.flatbed"), lang.L("scan.source.feeder")} // as scanSources
		s.mode.Options = []string{lang.L("scan.mode.grey"), lang.L("scan.mode.colour")}          // as scanModes
		s.device.PlaceHolder = lang.L("admin.scanner.placeholder")
		s.source.SetSelectedIndex(src)
		s.mode.SetSelectedIndex(mode)
		s.device.Refresh()
	})
	how := container.NewGridWithColumns(3, t.field("scanner_source", "admin.scanner.source", "", false, s.source).box,
		t.field("scanner_mode", "admin.scanner.mode", "", false, s.mode).box,
		t.field("scanner_resolution", "admin.scanner.resolution", "", false, s.resolution).box)
	device := t.field("scanner", "admin.scanner", "admin.scanner.hint", false,
		container.NewBorder(nil, nil, nil, t.button("admin.scanner.find", s.find), s.device))
	s.box = container.NewVBox(device.box, s.found, how)
	return s
}

func (s *scannerSettings) root() fyne.CanvasObject { return s.box }

// load shows the terminal's settings and asks SANE for its devices.
func (s *scannerSettings) load(c config.Scanner) {
	s.offer(nil, c.Device)
	s.source.SetSelectedIndex(max(slices.Index(scanSources, app.ScanSource(c.Source)), 0))
	s.mode.SetSelectedIndex(max(slices.Index(scanModes, app.ScanMode(c.Mode)), 0))
	s.resolution.SetSelectedIndex(nearest(app.Resolutions, c.Resolution))
	s.find()
}

// offer lists the devices found, and the chosen one too when SANE did not
// find it (switched off just now): saving must not lose it.
func (s *scannerSettings) offer(list []app.ScanDevice, chosen string) {
	s.names, s.device.Options = nil, nil
	for _, d := range list {
		s.names = append(s.names, d.Name)
		s.device.Options = append(s.device.Options, d.Label())
	}
	if chosen != "" && !slices.Contains(s.names, chosen) {
		s.names = append(s.names, chosen)
		s.device.Options = append(s.device.Options, chosen)
	}
	s.device.ClearSelected()
	if i := slices.Index(s.names, chosen); i >= 0 {
		s.device.SetSelectedIndex(i)
	}
	s.device.Refresh()
}

// find asks SANE for its devices off the UI goroutine: network discovery
// takes seconds, and a missing scanimage is a sentence.
func (s *scannerSettings) find() {
	chosen := s.chosen()
	s.found.SetText(lang.L("admin.scanner.finding"))
	if s.scanner == nil {
		s.found.SetText(message(app.ErrScanNoProgram))
		return
	}
	var list []app.ScanDevice
	s.h.run(func(ctx context.Context) (err error) {
		list, err = s.scanner.Devices(ctx)
		return err
	}, func(err error) {
		switch {
		case err != nil:
			s.found.SetText(message(err))
		case len(list) == 0:
			s.found.SetText(lang.L("admin.scanner.none"))
		default:
			s.found.SetText(lang.L("admin.scanner.found", map[string]any{"Count": len(list)}))
		}
		s.offer(list, chosen)
	})
}

// chosen is the device name selected, "" for none.
func (s *scannerSettings) chosen() string {
	if i := s.device.SelectedIndex(); i >= 0 && i < len(s.names) {
		return s.names[i]
	}
	return ""
}

// apply puts what is selected into c.
func (s *scannerSettings) apply(c *config.Scanner) {
	c.Device = s.chosen()
	if i := s.source.SelectedIndex(); i >= 0 {
		c.Source = string(scanSources[i])
	}
	if i := s.mode.SelectedIndex(); i >= 0 {
		c.Mode = string(scanModes[i])
	}
	if i := s.resolution.SelectedIndex(); i >= 0 {
		c.Resolution = app.Resolutions[i]
	}
}

// nearest is the index of the value in list nearest to v.
func nearest(list []int, v int) int {
	best := 0
	for i, x := range list {
		if abs(x-v) < abs(list[best]-v) {
			best = i
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
