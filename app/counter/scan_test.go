package counter_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

// TestAttachScanSealsOnePDFOfEveryPage scans the test backend's ten-sheet
// feeder and attaches the pages: one PDF of ten pages, hash-named, sealed on
// disk, read back whole.
func TestAttachScanSealsOnePDFOfEveryPage(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	var pages []app.ScannedPage
	err := sanetest.Scanner(t).Scan(ctx, sanetest.Request(app.SourceFeeder, app.ModeGrey), func(ev app.ScanEvent) {
		if ev.Scanned != nil {
			pages = append(pages, *ev.Scanned)
		}
	})
	if err != nil || len(pages) != sanetest.Feeder {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	if _, err := svc.AttachScan(ctx, tm.Session(app.RoleAdmin), pages); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("admin: %v", err)
	}
	a, err := svc.AttachScan(ctx, tm.Session(app.RoleClerk), pages)
	if err != nil {
		t.Fatal(err)
	}
	if a.MediaType != "application/pdf" || a.Name != "tarama-10-sayfa.pdf" || len(a.SHA256) != 64 {
		t.Errorf("attachment %+v", a)
	}
	onDisk, err := os.ReadFile(tm.Store.AttachmentPath(a.SHA256))
	if err != nil || bytes.Contains(onDisk, []byte("%PDF")) {
		t.Errorf("the file on disk is not sealed (%v)", err)
	}
	plain, err := tm.Store.ReadAttachment(a.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := sanetest.PDFInfo(t, plain); n != sanetest.Feeder {
		t.Errorf("stored PDF has %d pages", n)
	}
	if _, err := svc.AttachScan(ctx, tm.Session(app.RoleClerk), nil); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no pages: %v", err)
	}
}

// TestAttachScanRefusesMoreThanTheLimit: pages that make a PDF over 20 MiB
// are refused with the attachment's sentence, nothing stored.
func TestAttachScanRefusesMoreThanTheLimit(t *testing.T) {
	tm, svc := setup(t)
	img := image.NewGray(image.Rect(0, 0, 2400, 2400))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.UintN(256)) // noise: JPEG cannot shrink it
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	n := app.MaxAttachmentSize/b.Len() + 1
	pages := make([]app.ScannedPage, n)
	for i := range pages {
		// A comment segment after the start marker makes each page's bytes
		// its own: the PDF writer embeds an image it has seen only once.
		data := append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, 'p', byte(i)}, b.Bytes()[2:]...)
		pages[i] = app.ScannedPage{JPEG: data, Width: 2400, Height: 2400, Resolution: 300}
	}
	_, err := svc.AttachScan(context.Background(), tm.Session(app.RoleClerk), pages)
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "attachments" {
		t.Fatalf("%d pages of %d KB: %v", n, b.Len()>>10, err)
	}
}
