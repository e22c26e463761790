package paper

import (
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/go-pdf/fpdf"
)

// itemKind is what one vertical item of a receipt is.
type itemKind int

const (
	itemText itemKind = iota
	itemLogo
	itemRule
	itemQR
)

// item is one element of a receipt's single column, measured before the
// page exists so that a thermal receipt is exactly as long as its content.
type item struct {
	kind  itemKind
	text  string
	pt    float64
	bold  bool
	align string
	gap   float64 // extra space after, mm
	fit   bool    // shrink the type until the text fits one line
	qr    barcode.Barcode
}

// setFont sets the item's type size (shrunk to fit when asked); bold items
// are drawn in faux bold, so their widths are the regular face's.
func (it item) setFont(pdf *fpdf.Fpdf, g geometry) {
	pt := it.pt
	pdf.SetFont(family, "", pt)
	for it.fit && pt > 6 && pdf.GetStringWidth(it.text)*1.04 > g.width-2*g.margin {
		pt -= 0.5
		pdf.SetFont(family, "", pt)
	}
}

// height returns the item's height in mm, the font set as draw sets it.
func (it item) height(pdf *fpdf.Fpdf, g geometry) float64 {
	switch it.kind {
	case itemLogo:
		return g.logo + 2
	case itemRule:
		return 4
	case itemQR:
		return g.qr + 1
	}
	if it.text == "" {
		return 0
	}
	it.setFont(pdf, g)
	lines := len(pdf.SplitText(it.text, g.width-2*g.margin))
	return float64(lines)*lineHeight(fontPt(pdf)) + 1 + it.gap
}

func measure(pdf *fpdf.Fpdf, g geometry, items []item) float64 {
	var h float64
	for _, it := range items {
		h += it.height(pdf, g)
	}
	return h
}

func (it item) draw(pdf *fpdf.Fpdf, g geometry, h Header) {
	y := pdf.GetY()
	switch it.kind {
	case itemLogo:
		if len(h.Logo) > 0 {
			placeLogo(pdf, h, (g.width-g.logo)/2, y, g.logo)
		}
	case itemRule:
		pdf.SetDrawColor(0, 0, 0)
		pdf.SetLineWidth(0.3)
		pdf.SetDashPattern([]float64{1, 1}, 0)
		pdf.Line(g.margin, y+2, g.width-g.margin, y+2)
		pdf.SetDashPattern(nil, 0)
	case itemQR:
		drawQR(pdf, it.qr, (g.width-g.qr)/2, y, g.qr)
	default:
		if it.text == "" {
			return
		}
		it.setFont(pdf, g)
		if it.bold {
			fauxBold(pdf, fontPt(pdf))
		}
		pdf.SetX(g.margin)
		pdf.MultiCell(g.width-2*g.margin, lineHeight(fontPt(pdf)), it.text, "", it.align, false)
		plain(pdf)
	}
	pdf.SetY(y + it.height(pdf, g))
}

// newQR encodes a status link at error-correction level M, which survives a
// crease or a smudge on a thermal receipt.
func newQR(link string) (barcode.Barcode, error) {
	return qr.Encode(link, qr.M, qr.Auto)
}

// drawQR draws the code as vector squares (sharp on any printer) with a
// quiet zone of four modules, in a square of side mm at x, y.
func drawQR(pdf *fpdf.Fpdf, code barcode.Barcode, x, y, side float64) {
	n := code.Bounds().Dx()
	m := side / float64(n+8)
	x0, y0 := x+4*m, y+4*m
	pdf.SetFillColor(0, 0, 0)
	for row := range n {
		for col := 0; col < n; {
			if !dark(code, col, row) {
				col++
				continue
			}
			start := col
			for col < n && dark(code, col, row) {
				col++
			}
			pdf.Rect(x0+float64(start)*m, y0+float64(row)*m, float64(col-start)*m, m, "F")
		}
	}
}

func dark(code barcode.Barcode, x, y int) bool {
	r, _, _, _ := code.At(x, y).RGBA()
	return r < 0x8000
}

func fontPt(pdf *fpdf.Fpdf) float64 {
	pt, _ := pdf.GetFontSize()
	return pt
}
