package ui

import (
	"bytes"
	"image"
	"image/jpeg"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/draw"

	"github.com/kocasinan/gise/app"
)

// thumbSize is a page's thumbnail on the screen; the image behind it is
// twice that, sharp on a high-density display.
var thumbSize = fyne.NewSize(120, 170)

// scanPage is one scanned page on the panel: the page, its thumbnail and
// its card, which turns into "… silindi · Geri al" while it is removed.
type scanPage struct {
	page    app.ScannedPage
	removed bool
	img     *canvas.Image
	number  *widget.Label
	rescan  *widget.Button
	remove  *widget.Button
	gone    *widget.Label
	undo    *widget.Button
	shown   *fyne.Container // the card with the thumbnail
	hidden  *fyne.Container // the card of a removed page
	card    *fyne.Container
}

// newScanPage builds a page's card; rescan and remove are the panel's
// handlers for this page.
func newScanPage(p app.ScannedPage, thumb image.Image, rescan, remove, undo func(*scanPage)) *scanPage {
	sp := &scanPage{page: p}
	sp.img = canvas.NewImageFromImage(thumb)
	sp.img.FillMode = canvas.ImageFillContain
	sp.img.SetMinSize(thumbSize)
	sp.number = &widget.Label{Alignment: fyne.TextAlignCenter}
	sp.rescan = &widget.Button{OnTapped: func() { rescan(sp) }}
	sp.remove = &widget.Button{OnTapped: func() { remove(sp) }}
	sp.gone = &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	sp.undo = &widget.Button{Importance: widget.HighImportance, OnTapped: func() { undo(sp) }}
	sp.shown = container.NewVBox(sp.img, sp.number, sp.rescan, sp.remove)
	sp.hidden = container.NewVBox(layout.NewSpacer(), sp.gone, sp.undo, layout.NewSpacer())
	sp.card = container.NewStack(sp.shown, sp.hidden)
	return sp
}

// set replaces the page (a rescan) and its thumbnail.
func (sp *scanPage) set(p app.ScannedPage, thumb image.Image) {
	sp.page = p
	sp.img.Image = thumb
	sp.img.Refresh()
}

// relabel shows the card as page n (1 for the first), or as removed, in the
// current language.
func (sp *scanPage) relabel(n int, busy bool) {
	sp.number.SetText(lang.L("scan.page", map[string]any{"Page": n}))
	sp.gone.SetText(lang.L("scan.removed", map[string]any{"Page": n}))
	sp.rescan.SetText(lang.L("scan.rescan"))
	sp.remove.SetText(lang.L("scan.remove"))
	sp.undo.SetText(lang.L("scan.undo"))
	sp.rescan.Disable()
	if !busy {
		sp.rescan.Enable()
	}
	sp.shown.Hidden, sp.hidden.Hidden = sp.removed, !sp.removed
	sp.card.Refresh()
}

// pageThumbnail decodes a page and shrinks it to twice thumbSize, keeping its
// shape. It runs off the UI goroutine (a 300 dpi A4 page is 8.7 million
// pixels); a page that does not decode gets a blank thumbnail.
func pageThumbnail(p app.ScannedPage) image.Image {
	src, err := jpeg.Decode(bytes.NewReader(p.JPEG))
	if err != nil {
		return image.NewGray(image.Rect(0, 0, 1, 1))
	}
	b := src.Bounds()
	w, h := 2*int(thumbSize.Width), 2*int(thumbSize.Height)
	if b.Dx()*h > b.Dy()*w {
		h = max(1, b.Dy()*w/b.Dx())
	} else {
		w = max(1, b.Dx()*h/b.Dy())
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}
