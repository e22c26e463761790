package paper_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

func jpegPage(t *testing.T, w, h, dpi int) app.ScannedPage {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return app.ScannedPage{JPEG: b.Bytes(), Width: w, Height: h, Resolution: dpi}
}

// TestScanPDFKeepsEachPagesSize: an A4 page, a landscape page and an A5
// page at different resolutions keep their size on paper, in order.
func TestScanPDFKeepsEachPagesSize(t *testing.T) {
	pages := []app.ScannedPage{jpegPage(t, 1654, 2339, 200), jpegPage(t, 1169, 827, 100), jpegPage(t, 1748, 2480, 300)}
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	pdf, err := paper.ScanPDF(pages, at)
	if err != nil {
		t.Fatal(err)
	}
	n, sizes := sanetest.PDFInfo(t, pdf)
	want := []sanetest.PageSize{{W: 595.4, H: 842.0}, {W: 841.7, H: 595.4}, {W: 419.5, H: 595.2}}
	if n != 3 || len(sizes) != 3 {
		t.Fatalf("%d pages, sizes %v", n, sizes)
	}
	for i, w := range want {
		if math.Abs(sizes[i].W-w.W) > 1 || math.Abs(sizes[i].H-w.H) > 1 {
			t.Errorf("page %d: %.1f × %.1f pt, want %.1f × %.1f", i+1, sizes[i].W, sizes[i].H, w.W, w.H)
		}
	}
	again, _ := paper.ScanPDF(pages, at)
	if !bytes.Equal(pdf, again) {
		t.Error("the same pages at the same time gave different bytes (and so another attachment)")
	}
	if _, err := paper.ScanPDF(nil, at); err == nil {
		t.Error("a PDF of no pages")
	}
}
