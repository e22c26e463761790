package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

// complaintToScan opens the complaint screen for an anonymous counter
// request, filled in but for the scan, with the test backend as scanner.
func complaintToScan(t *testing.T, extra ...string) (*rig, *complaintScreen) {
	t.Helper()
	r := newRig(t)
	r.useScanner(sanetest.Scanner(t, extra...))
	r.k.svc.Config.Scanner = config.Scanner{Device: sanetest.Device, Source: "flatbed", Mode: "grey", Resolution: sanetest.Resolution}
	r.login(app.RoleClerk)
	r.tap(button(t, r.k.home.obj, "Başvuru kaydı (kâğıt / gişe)"))
	s := r.k.complaint
	s.anonymous.SetChecked(true)
	s.onPaper.SetChecked(false)
	s.kind.SetSelectedIndex(0)
	s.category.SetSelectedIndex(0)
	r.typeInto(s.description, "Dilekçe ekte, on sayfa.")
	return r, s
}

// savedScan saves the complaint and returns the one attachment it names,
// read back from the store, with pdfinfo's page count.
func savedScan(t *testing.T, r *rig, s *complaintScreen) (app.Attachment, int) {
	t.Helper()
	r.tap(s.save)
	code, err := app.ParseTrackingCode(s.code.Text)
	if err != nil {
		t.Fatalf("not saved: %q (%q, %q)", s.code.Text, s.errs.Text, s.scans.errs.Text)
	}
	c, err := r.tm.Store.ComplaintByTrackingCode(r.ctx, code)
	if err != nil || len(c.Attachments) != 1 {
		t.Fatalf("stored complaint: %+v, %v", c, err)
	}
	a := c.Attachments[0]
	pdf, err := r.tm.Store.ReadAttachment(a.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := sanetest.PDFInfo(t, pdf)
	return a, n
}

func TestComplaintScansOnePageIntoItsAttachment(t *testing.T) {
	r, s := complaintToScan(t)
	r.tap(s.scans.scan)
	a, n := savedScan(t, r, s)
	if n != 1 || a.MediaType != "application/pdf" || a.Name != "tarama-1-sayfa.pdf" {
		t.Fatalf("attachment %+v with %d pages", a, n)
	}
}

// TestComplaintScansTenPagesDeletesOneAndUndoes: ten pages from the feeder,
// page 4 removed and brought back, page 7 removed: one PDF of nine pages.
func TestComplaintScansTenPagesDeletesOneAndUndoes(t *testing.T) {
	r, s := complaintToScan(t)
	s.scans.feeder()
	r.tap(s.scans.scan)
	wantPages(t, s.scans, 10, 10)
	r.tap(s.scans.pages[3].remove)
	r.tap(s.scans.pages[3].undo)
	wantPages(t, s.scans, 10, 10)
	r.tap(s.scans.pages[6].remove)
	a, n := savedScan(t, r, s)
	if n != 9 || a.Name != "tarama-9-sayfa.pdf" {
		t.Fatalf("attachment %+v with %d pages, want 9", a, n)
	}
	r.tap(s.again)
	if len(s.scans.pages) != 0 || len(s.scans.thumbs.Objects) != 0 {
		t.Errorf("the next request starts with %d pages", len(s.scans.pages))
	}
}

// TestComplaintSaveWaitsForTheScan: saving while a batch runs is refused
// with a sentence, nothing stored.
func TestComplaintSaveWaitsForTheScan(t *testing.T) {
	r, s := complaintToScan(t, sanetest.Slow...)
	// At the first page the clerk presses Kaydet, then Durdur.
	r.scanner.Scanner = stopAfter{Scanner: r.scanner.Scanner, n: 1, stop: s.save,
		tap: func(save fyne.Tappable) { r.tap(save); r.tap(s.scans.stop) }}
	s.scans.feeder()
	r.tap(s.scans.scan)
	if !strings.HasPrefix(s.scans.errs.Text, "Tarama sürüyor") || s.code.Text != "" {
		t.Fatalf("saved during a scan: %q, code %q", s.scans.errs.Text, s.code.Text)
	}
	if r.count(`SELECT COUNT(*) FROM complaints`) != 0 {
		t.Error("a complaint was stored while scanning")
	}
	if a, n := savedScan(t, r, s); n != len(s.scans.kept()) || n == 0 {
		t.Errorf("after the scan stopped: %+v with %d pages", a, n)
	}
}

// TestScreenshotsScan renders the scan step of the complaint screen and the
// scanner's block of the Administration screen, in Turkish and English, for
// the README (make screenshots). It runs only when GISE_SCREENSHOTS names
// the folder to write to.
func TestScreenshotsScan(t *testing.T) {
	dir := os.Getenv("GISE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set GISE_SCREENSHOTS to a folder (make screenshots)")
	}
	for _, lang := range []string{"tr", "en"} {
		r, s := complaintToScan(t, "--test-picture", "Grid")
		if lang == "en" {
			r.k.toggleLanguage()
		}
		s.scans.feeder()
		r.tap(s.scans.scan)
		r.tap(s.scans.pages[2].remove)
		// The scan panel is at the foot of the form: scroll it to the top.
		d := fyne.CurrentApp().Driver()
		walk(s.obj, func(o fyne.CanvasObject) {
			if sc, ok := o.(*container.Scroll); ok {
				sc.Offset.Y = d.AbsolutePositionForObject(s.scans.root()).Y - d.AbsolutePositionForObject(sc.Content).Y - 60
				sc.Refresh()
			}
		})
		shot(t, r, "complaint-scan")
		r.login(app.RoleAdmin)
		r.k.svc.Config.Scanner.Device, r.k.svc.Config.Scanner.Resolution = sanetest.Device, 200
		r.k.shortcuts["CustomDesktop:Control+5"]()
		r.k.Wait()
		r.tap(button(t, r.k.admin.obj, lang2(lang, "Bu terminal", "This terminal")))
		shot(t, r, "admin-scanner")
	}
}
