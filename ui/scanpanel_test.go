package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sane"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

// scanRig is the rig with SANE's test backend as the terminal's scanner,
// chosen as the Administration screen would, and the panel on its own in
// the window.
func scanRig(t *testing.T, extra ...string) (*rig, *scanPanel) {
	t.Helper()
	r := newRig(t)
	r.useScanner(sanetest.Scanner(t, extra...))
	r.k.svc.Config.Scanner = config.Scanner{Device: sanetest.Device, Source: "flatbed", Mode: "grey", Resolution: sanetest.Resolution}
	r.login(app.RoleClerk)
	p := newScanPanel(r.k, r.k.svc.Scanner, &r.k.svc.Config)
	r.w.SetContent(p.root())
	return r, p
}

// feeder switches the panel's source to the document feeder, as the clerk
// would.
func (p *scanPanel) feeder() { p.source.SetSelected(p.source.Options[1]) }

// wantPages checks how many pages the panel keeps and the cards it shows.
func wantPages(t *testing.T, p *scanPanel, kept, cards int) {
	t.Helper()
	if n := len(p.kept()); n != kept {
		t.Errorf("%d pages kept, want %d", n, kept)
	}
	if n := len(p.thumbs.Objects); n != cards {
		t.Errorf("%d cards, want %d", n, cards)
	}
}

func TestScanPanelOnePageThenTenFromTheFeeder(t *testing.T) {
	r, p := scanRig(t)
	if p.scan.Text != "Tara" || !p.stop.Disabled() {
		t.Fatalf("before scanning: %q, stop disabled %v", p.scan.Text, p.stop.Disabled())
	}
	r.tap(p.scan)
	wantPages(t, p, 1, 1)
	if p.scan.Text != "Sayfa ekle" || p.errs.Text != "" || !strings.HasPrefix(p.status.Text, "Sayfa: 1 · ") {
		t.Fatalf("after one page: %q, %q, %q", p.scan.Text, p.status.Text, p.errs.Text)
	}
	p.feeder()
	r.tap(p.scan)
	wantPages(t, p, 1+sanetest.Feeder, 1+sanetest.Feeder)
	if !strings.HasPrefix(p.status.Text, "Sayfa: 11 · ") || p.errs.Text != "" {
		t.Fatalf("after the feeder: %q, %q", p.status.Text, p.errs.Text)
	}
	if got := p.pages[10].number.Text; got != "Sayfa 11" {
		t.Errorf("last card says %q", got)
	}
}

func TestScanPanelRemoveUndoAndRemoveAgain(t *testing.T) {
	r, p := scanRig(t)
	p.feeder()
	r.tap(p.scan)
	third := p.pages[2]
	r.tap(third.remove)
	wantPages(t, p, 9, 10) // the card stays in place, offering "Geri al"
	if !third.shown.Hidden || third.hidden.Hidden || third.gone.Text != "3. sayfa silindi" || third.undo.Text != "Geri al" {
		t.Fatalf("removed card: shown hidden %v, %q, %q", third.shown.Hidden, third.gone.Text, third.undo.Text)
	}
	if p.pages[3].number.Text != "Sayfa 3" {
		t.Errorf("the page after the removed one says %q", p.pages[3].number.Text)
	}
	if r.w.Canvas().Focused() != third.undo {
		t.Errorf("focus is not on Geri al")
	}
	r.tap(third.undo)
	wantPages(t, p, 10, 10)
	if third.shown.Hidden || third.number.Text != "Sayfa 3" {
		t.Fatalf("undone: shown hidden %v, %q", third.shown.Hidden, third.number.Text)
	}
	// One removal is undone at a time: removing another drops the first.
	r.tap(p.pages[2].remove)
	r.tap(p.pages[4].remove)
	wantPages(t, p, 8, 9)
	if !strings.HasPrefix(p.status.Text, "Sayfa: 8 · ") {
		t.Errorf("status %q", p.status.Text)
	}
}

func TestScanPanelRescanReplacesOnePage(t *testing.T) {
	r, p := scanRig(t)
	p.feeder()
	r.tap(p.scan)
	before := p.pages[1].page.JPEG
	sc := r.scanner.Scanner.(*sane.Scanner)
	sc.Extra = append(sc.Extra, "--test-picture", "Grid") // the last one counts
	r.tap(p.pages[1].rescan)
	wantPages(t, p, 10, 10)
	if bytes.Equal(before, p.pages[1].page.JPEG) || !bytes.Equal(p.pages[0].page.JPEG, p.pages[2].page.JPEG) {
		t.Fatal("the rescan did not replace page 2 alone")
	}
}

// TestScanPanelFaultsKeepThePages: after a page is in, a jam, an open
// cover, an empty feeder, a busy and a missing scanner each show their
// sentence, and the page stays.
func TestScanPanelFaultsKeepThePages(t *testing.T) {
	r, p := scanRig(t)
	r.tap(p.scan)
	good := r.scanner.Scanner
	for _, tc := range []struct {
		extra  []string
		device string
		msg    string
	}{
		{sanetest.Jammed, sanetest.Device, app.ErrScanJammed.Message},
		{sanetest.CoverOpen, sanetest.Device, app.ErrScanCoverOpen.Message},
		{sanetest.NoDocs, sanetest.Device, app.ErrScanFeederEmpty.Message},
		{sanetest.Busy, sanetest.Device, app.ErrScanBusy.Message},
		{nil, "test:9", app.ErrScanMissing.Message},
		{nil, "", app.ErrScanNoDevice.Message},
	} {
		r.scanner.Scanner = sanetest.Scanner(t, tc.extra...)
		r.k.svc.Config.Scanner.Device = tc.device
		p.feeder()
		r.tap(p.scan)
		if p.errs.Text != tc.msg {
			t.Errorf("%v %q: says %q", tc.extra, tc.device, p.errs.Text)
		}
		wantPages(t, p, 1, 1)
		if p.scan.Disabled() || p.busy() {
			t.Errorf("%v: the panel stays busy", tc.extra)
		}
	}
	r.scanner.Scanner = good
}

// stopAfter is the scanner with the clerk pressing "Durdur" once n pages
// have come in.
type stopAfter struct {
	app.Scanner
	n    int
	stop fyne.Tappable
	tap  func(fyne.Tappable)
}

func (s stopAfter) Scan(ctx context.Context, req app.ScanRequest, got func(app.ScanEvent)) error {
	pages := 0
	return s.Scanner.Scan(ctx, req, func(ev app.ScanEvent) {
		got(ev)
		if ev.Scanned != nil {
			if pages++; pages == s.n {
				s.tap(s.stop)
			}
		}
	})
}

func TestScanPanelStopMidBatchKeepsThePages(t *testing.T) {
	r, p := scanRig(t, sanetest.Slow...)
	r.scanner.Scanner = stopAfter{Scanner: r.scanner.Scanner, n: 3, stop: p.stop, tap: r.tap}
	p.feeder()
	r.tap(p.scan)
	if n := len(p.kept()); n < 3 || n >= sanetest.Feeder {
		t.Fatalf("%d pages kept after Durdur at the third", n)
	}
	if p.status.Text != app.ErrScanCancelled.Message || p.errs.Text != "" || p.busy() || !p.stop.Disabled() {
		t.Errorf("stopped: %q, %q, busy %v, Durdur enabled %v", p.status.Text, p.errs.Text, p.busy(), !p.stop.Disabled())
	}
}

// stopSeen is the scanner with the clerk pressing "Durdur" at the first
// page, and what the panel said between the press and the scan's end.
type stopSeen struct {
	app.Scanner
	p      *scanPanel
	tap    func(fyne.Tappable)
	status []string
	stop   []bool // Durdur enabled
}

func (s *stopSeen) Scan(ctx context.Context, req app.ScanRequest, got func(app.ScanEvent)) error {
	pressed := false
	return s.Scanner.Scan(ctx, req, func(ev app.ScanEvent) {
		got(ev)
		if pressed {
			s.status = append(s.status, s.p.status.Text)
			s.stop = append(s.stop, !s.p.stop.Disabled())
		}
		if ev.Scanned != nil && !pressed {
			pressed = true
			s.tap(s.p.stop)
			s.status = append(s.status, s.p.status.Text)
			s.stop = append(s.stop, !s.p.stop.Disabled())
		}
	})
}

// TestScanPanelSaysItIsStopping: from "Durdur" to the scanner's end (it
// stops at its next read) the panel says the scan is stopping and the
// button is not pressed twice; no page's progress overwrites that.
func TestScanPanelSaysItIsStopping(t *testing.T) {
	r, p := scanRig(t, sanetest.Slow...)
	seen := &stopSeen{Scanner: r.scanner.Scanner, p: p, tap: r.tap}
	r.scanner.Scanner = seen
	p.feeder()
	r.tap(p.scan)
	if len(seen.status) == 0 {
		t.Fatal("Durdur was never pressed")
	}
	for i, st := range seen.status {
		if st != "Tarama durduruluyor…" || seen.stop[i] {
			t.Errorf("event %d after Durdur: status %q, Durdur enabled %v", i, st, seen.stop[i])
		}
	}
	if p.status.Text != app.ErrScanCancelled.Message || !p.stop.Disabled() || p.scan.Disabled() {
		t.Errorf("after the stop: %q, Durdur enabled %v, Tara enabled %v", p.status.Text, !p.stop.Disabled(), !p.scan.Disabled())
	}
}

func TestScanPanelResetForgetsEveryPage(t *testing.T) {
	r, p := scanRig(t)
	p.feeder()
	r.tap(p.scan)
	p.reset()
	wantPages(t, p, 0, 0)
	if p.status.Text != "" || p.scan.Text != "Tara" || p.sourceChosen() != app.SourceFlatbed {
		t.Errorf("after a reset: %q, %q, %s", p.status.Text, p.scan.Text, p.sourceChosen())
	}
}
