package ui

import (
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

// TestAdminChoosesTheScannerFromWhatSANELists: the Administration screen
// offers the test backend's two devices, and what the admin picks is saved
// and is what the next scan asks for.
func TestAdminChoosesTheScannerFromWhatSANELists(t *testing.T) {
	r := newRig(t)
	r.useScanner(sanetest.Scanner(t))
	var saved config.Config
	r.with(func(s *Services) { s.SaveSettings = func(c config.Config) error { saved = c; return nil } })
	r.login(app.RoleAdmin)
	r.k.shortcuts["CustomDesktop:Control+5"]()
	r.k.Wait()
	s := r.k.admin.scanner
	want := []string{"Noname frontend-tester (test:0)", "Noname frontend-tester (test:1)"}
	if len(s.device.Options) != 2 || s.device.Options[0] != want[0] || s.device.Options[1] != want[1] {
		t.Fatalf("devices offered %q, want %q", s.device.Options, want)
	}
	if s.found.Text != "SANE'nin bulduğu tarayıcı sayısı: 2." || s.device.SelectedIndex() != -1 {
		t.Errorf("found %q, selected %d", s.found.Text, s.device.SelectedIndex())
	}
	s.device.SetSelectedIndex(1)
	s.source.SetSelectedIndex(1)
	s.mode.SetSelectedIndex(1)
	s.resolution.SetSelectedIndex(2)
	r.tap(button(t, r.k.admin.obj, "Bu terminal"))
	r.tap(button(t, r.k.admin.obj, "Ayarları kaydet"))
	c := config.Scanner{Device: "test:1", Source: "feeder", Mode: "colour", Resolution: 300}
	if r.k.svc.Config.Scanner != c || saved.Scanner != c {
		t.Fatalf("applied %+v, saved %+v; want %+v", r.k.svc.Config.Scanner, saved.Scanner, c)
	}
	if req := newScanPanel(r.k, r.k.svc.Scanner, &r.k.svc.Config).request(); req.Device != "test:1" || req.Source != app.SourceFeeder ||
		req.Mode != app.ModeColour || req.Resolution != 300 {
		t.Errorf("the next scan asks for %+v", req)
	}
}

// TestAdminKeepsAScannerSANEDoesNotFind: a chosen copier that is off stays
// chosen (and saved as it was); no scanimage is a sentence.
func TestAdminKeepsAScannerSANEDoesNotFind(t *testing.T) {
	r := newRig(t)
	r.useScanner(sanetest.Scanner(t))
	r.k.svc.Config.Scanner.Device = "airscan:e0:Kyocera ECOSYS M2540dn"
	r.login(app.RoleAdmin)
	r.k.admin.refresh()
	r.k.Wait()
	s := r.k.admin.scanner
	if len(s.device.Options) != 3 || s.device.Selected != "airscan:e0:Kyocera ECOSYS M2540dn" {
		t.Fatalf("offered %q, selected %q", s.device.Options, s.device.Selected)
	}
	r.with(func(s *Services) { s.Scanner = nil }) // scanimage uninstalled, the terminal restarted
	r.login(app.RoleAdmin)
	r.k.admin.refresh()
	r.k.Wait()
	s = r.k.admin.scanner
	s.find()
	r.k.Wait()
	if s.found.Text != app.ErrScanNoProgram.Message || s.chosen() != "airscan:e0:Kyocera ECOSYS M2540dn" {
		t.Errorf("without scanimage: %q, chosen %q", s.found.Text, s.chosen())
	}
}
