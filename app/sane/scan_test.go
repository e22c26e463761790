package sane_test

import (
	"bytes"
	"context"
	"image/color"
	"image/jpeg"
	"math"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/app/sane"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

// scan runs one scan on s and returns the pages it delivered, with the
// error it ended with; every page is checked to be a whole JPEG.
func scan(t *testing.T, s *sane.Scanner, req app.ScanRequest) ([]app.ScannedPage, error) {
	t.Helper()
	return scanCtx(context.Background(), t, s, req, nil)
}

func scanCtx(ctx context.Context, t *testing.T, s *sane.Scanner, req app.ScanRequest, each func(app.ScannedPage)) ([]app.ScannedPage, error) {
	t.Helper()
	var pages []app.ScannedPage
	err := s.Scan(ctx, req, func(ev app.ScanEvent) {
		if ev.Page != len(pages)+1 {
			t.Errorf("event for page %d after %d pages", ev.Page, len(pages))
		}
		if ev.Scanned == nil {
			return
		}
		if _, err := jpeg.Decode(bytes.NewReader(ev.Scanned.JPEG)); err != nil {
			t.Errorf("page %d is not a whole JPEG: %v", ev.Page, err)
		}
		pages = append(pages, *ev.Scanned)
		if each != nil {
			each(*ev.Scanned)
		}
	})
	return pages, err
}

// wantPDF makes the pages into one PDF and checks with pdfinfo that it has
// a page for each, each the size it was scanned at.
func wantPDF(t *testing.T, pages []app.ScannedPage) {
	t.Helper()
	pdf, err := paper.ScanPDF(pages, time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	n, sizes := sanetest.PDFInfo(t, pdf)
	if n != len(pages) || len(sizes) != len(pages) {
		t.Fatalf("pdfinfo: %d pages, %d sizes; want %d", n, len(sizes), len(pages))
	}
	for i, p := range pages {
		want := sanetest.PageSizeOf(p)
		if math.Abs(sizes[i].W-want.W) > 0.5 || math.Abs(sizes[i].H-want.H) > 0.5 {
			t.Errorf("page %d is %.2f × %.2f pt, want %.2f × %.2f", i+1, sizes[i].W, sizes[i].H, want.W, want.H)
		}
	}
}

func TestDevicesListsTheTestBackend(t *testing.T) {
	s := sanetest.Scanner(t)
	list, err := s.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 || list[0].Name != sanetest.Device || list[0].Vendor != "Noname" || list[0].Model != "frontend-tester" {
		t.Fatalf("devices %+v", list)
	}
}

func TestScanOnePageFromTheGlass(t *testing.T) {
	s := sanetest.Scanner(t)
	pages, err := scan(t, s, sanetest.Request(app.SourceFlatbed, app.ModeColour))
	if err != nil || len(pages) != 1 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	p := pages[0]
	// The backend's default area, 80 × 100 mm, at 75 dpi.
	if p.Resolution != sanetest.Resolution || p.Width != 236 || p.Height != 295 {
		t.Errorf("page %d × %d px at %d dpi", p.Width, p.Height, p.Resolution)
	}
	if w, h := p.SizeMM(); math.Abs(w-80) > 0.5 || math.Abs(h-100) > 0.5 {
		t.Errorf("page %.1f × %.1f mm, want 80 × 100", w, h)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(p.JPEG))
	if err != nil || cfg.ColorModel != color.YCbCrModel {
		t.Errorf("colour scan: colour model %v, %v", cfg.ColorModel, err)
	}
	wantPDF(t, pages)
}

func TestScanGreyGivesAGreyPage(t *testing.T) {
	pages, err := scan(t, sanetest.Scanner(t), sanetest.Request(app.SourceFlatbed, app.ModeGrey))
	if err != nil || len(pages) != 1 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(pages[0].JPEG)); err != nil || cfg.ColorModel != color.GrayModel {
		t.Errorf("grey scan: colour model %v, %v", cfg.ColorModel, err)
	}
}

func TestScanTenPagesFromTheFeederIntoOnePDF(t *testing.T) {
	pages, err := scan(t, sanetest.Scanner(t), sanetest.Request(app.SourceFeeder, app.ModeGrey))
	if err != nil {
		t.Fatalf("a feeder emptied after its pages is no error: %v", err)
	}
	if len(pages) != sanetest.Feeder {
		t.Fatalf("%d pages, want %d", len(pages), sanetest.Feeder)
	}
	wantPDF(t, pages)
}

func TestScanFeederStopsAtMaxPages(t *testing.T) {
	req := sanetest.Request(app.SourceFeeder, app.ModeGrey)
	req.MaxPages = 1 // a rescan of one page
	pages, err := scan(t, sanetest.Scanner(t), req)
	if err != nil || len(pages) != 1 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
}

// TestScanFaultsHaveTheirSentences drives each fault through the test
// backend: the code and the Turkish sentence come from scanimage's exit
// status and words.
func TestScanFaultsHaveTheirSentences(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra []string
		src   app.ScanSource
		code  string
		msg   string
	}{
		{"jammed", sanetest.Jammed, app.SourceFeeder, app.EScanJammed, app.ErrScanJammed.Message},
		{"cover open", sanetest.CoverOpen, app.SourceFeeder, app.EScanCoverOpen, app.ErrScanCoverOpen.Message},
		{"feeder empty", sanetest.NoDocs, app.SourceFeeder, app.EScanFeederEmpty, app.ErrScanFeederEmpty.Message},
		{"nothing on the glass", sanetest.NoDocs, app.SourceFlatbed, app.EUNAVAILABLE, app.ErrScanNoPage.Message},
		{"busy", sanetest.Busy, app.SourceFlatbed, app.EScanBusy, app.ErrScanBusy.Message},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pages, err := scan(t, sanetest.Scanner(t, tc.extra...), sanetest.Request(tc.src, app.ModeGrey))
			if app.ErrorCode(err) != tc.code || app.ErrorMessage(err) != tc.msg {
				t.Fatalf("got %v (code %q), want %q", err, app.ErrorCode(err), tc.code)
			}
			if len(pages) != 0 {
				t.Errorf("%d pages from a failed read", len(pages))
			}
		})
	}
}

func TestScanMissingDeviceOrProgram(t *testing.T) {
	s := sanetest.Scanner(t)
	req := sanetest.Request(app.SourceFlatbed, app.ModeGrey)
	req.Device = "test:7"
	if _, err := scan(t, s, req); app.ErrorCode(err) != app.EScanMissing || app.ErrorMessage(err) != app.ErrScanMissing.Message {
		t.Errorf("no such device: %v", err)
	}
	req.Device = ""
	if _, err := scan(t, s, req); app.ErrorCode(err) != app.EScanMissing || app.ErrorMessage(err) != app.ErrScanNoDevice.Message {
		t.Errorf("no device chosen: %v", err)
	}
	s.Program = "/nonexistent/scanimage"
	if _, err := s.Devices(context.Background()); app.ErrorCode(err) != app.EScanMissing || app.ErrorMessage(err) != app.ErrScanNoProgram.Message {
		t.Errorf("no scanimage: %v", err)
	}
}

// TestScanCancelMidBatchKeepsThePagesScanned stops a slow feeder batch
// after its third page: the scan ends cancelled, the three pages stay.
func TestScanCancelMidBatchKeepsThePagesScanned(t *testing.T) {
	s := sanetest.Scanner(t, sanetest.Slow...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	pages, err := scanCtx(ctx, t, s, sanetest.Request(app.SourceFeeder, app.ModeGrey), func(app.ScannedPage) {
		if n++; n == 3 {
			cancel()
		}
	})
	if app.ErrorCode(err) != app.EScanCancelled || app.ErrorMessage(err) != app.ErrScanCancelled.Message {
		t.Fatalf("cancelled batch: %v", err)
	}
	if len(pages) < 3 || len(pages) >= sanetest.Feeder {
		t.Fatalf("%d pages kept, want the 3 scanned before the cancel (at most one more in flight)", len(pages))
	}
	wantPDF(t, pages)
}

// TestScanCancelMidPageKeepsThePagesBefore stops a slow feeder batch
// while its third page is being read: the two pages before it stay.
func TestScanCancelMidPageKeepsThePagesBefore(t *testing.T) {
	s := sanetest.Scanner(t, sanetest.Slow...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pages []app.ScannedPage
	err := s.Scan(ctx, sanetest.Request(app.SourceFeeder, app.ModeGrey), func(ev app.ScanEvent) {
		if ev.Scanned != nil {
			pages = append(pages, *ev.Scanned)
		} else if ev.Page == 3 && ev.Percent > 20 {
			cancel()
		}
	})
	if app.ErrorCode(err) != app.EScanCancelled {
		t.Fatalf("cancelled page: %v", err)
	}
	if len(pages) < 2 || len(pages) > 3 {
		t.Fatalf("%d pages kept, want the 2 before the cancel (3 if page 3 ended first)", len(pages))
	}
	wantPDF(t, pages)
}

// TestScanGivesUpASilentScanner: a scanner that says nothing for longer
// than Stall is given up with a sentence, not waited on for ever.
func TestScanGivesUpASilentScanner(t *testing.T) {
	// Every read 200 ms after the last: silent for twice Stall after its
	// first words ("Scanning page 1"), whose page would take six seconds.
	s := sanetest.Scanner(t, "--read-delay=yes", "--read-delay-duration=200000")
	s.Stall = 100 * time.Millisecond
	_, err := scan(t, s, sanetest.Request(app.SourceFlatbed, app.ModeGrey))
	if app.ErrorCode(err) != app.EUNAVAILABLE || app.ErrorMessage(err) != app.ErrScanStalled.Message {
		t.Fatalf("silent scanner: %v", err)
	}
}

func TestScanRefusesABadRequest(t *testing.T) {
	s := sanetest.Scanner(t)
	for _, req := range []app.ScanRequest{
		{Device: sanetest.Device, Source: "glass", Mode: app.ModeGrey, Resolution: 150},
		{Device: sanetest.Device, Source: app.SourceFlatbed, Mode: "sepia", Resolution: 150},
		{Device: sanetest.Device, Source: app.SourceFlatbed, Mode: app.ModeGrey, Resolution: 20},
	} {
		if _, err := scan(t, s, req); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%+v: %v", req, err)
		}
	}
}
