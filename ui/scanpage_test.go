package ui

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"github.com/kocasinan/gise/app"
)

// BenchmarkThumbnailA4At300 is what each page of a 300 dpi scan costs the
// scanning goroutine before it reaches the screen: decoding the JPEG and
// shrinking it to a card's thumbnail.
func BenchmarkThumbnailA4At300(b *testing.B) {
	img := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range img.Pix {
		img.Pix[i] = 255
		if (i/2480)%60 < 20 && (i%2480)%14 < 8 { // lines of "letters"
			img.Pix[i] = 20
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
		b.Fatal(err)
	}
	p := app.ScannedPage{JPEG: buf.Bytes(), Width: 2480, Height: 3508, Resolution: 300}
	for b.Loop() {
		pageThumbnail(p)
	}
}
