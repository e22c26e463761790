// Package paper lays out what Gişe prints, as PDF: the disclosure notice
// (A4, with the citizen's acknowledgement block when named) and receipts for
// complaints, requests and KVKK applications (80 mm thermal roll or A4). Every
// document embeds DejaVu Sans, so every Turkish letter prints right whatever
// the printer has. Building a document touches no disk and no network.
package paper

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	xdraw "golang.org/x/image/draw"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/assets"
)

// Header is the municipality as printed at the top of every document.
type Header struct {
	Name    string
	Address string
	Phone   string
	Web     string
	// Logo is an 8-bit RGB PNG (see PrepareLogo); nil prints no logo.
	Logo []byte
}

// HeaderFrom returns the header of the configured municipality, with its logo
// file (or the built-in icon when none is set) prepared for printing. Call it
// once at start: preparing the logo takes a few milliseconds.
func HeaderFrom(m config.Municipality) (Header, error) {
	h := Header{Name: m.Name, Address: m.Address, Phone: m.Phone, Web: m.Web}
	raw := assets.IconPNG
	if m.Logo != "" {
		b, err := os.ReadFile(m.Logo)
		if err != nil {
			return h, fmt.Errorf("read logo: %w", err)
		}
		raw = b
	}
	logo, err := PrepareLogo(raw)
	if err != nil {
		return h, err
	}
	h.Logo = logo
	return h, nil
}

// logoPixels is the side of the prepared logo: 300 dpi at about 13 mm.
const logoPixels = 160

// PrepareLogo turns any PNG or JPEG into a small 8-bit RGB PNG flattened on
// white, the form the PDF writer embeds fastest (16-bit and alpha channels
// would otherwise be re-encoded in every document).
func PrepareLogo(raw []byte) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("decode logo: %w", err)
	}
	b := src.Bounds()
	w, h := logoPixels, logoPixels
	if b.Dx() > b.Dy() {
		h = max(1, logoPixels*b.Dy()/b.Dx())
	} else {
		w = max(1, logoPixels*b.Dx()/b.Dy())
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, xdraw.Src)
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, b, xdraw.Over, nil)
	// Drop the alpha channel: the PDF writer then embeds the pixels as they are.
	rgb := image.NewNRGBA(dst.Bounds())
	copy(rgb.Pix, dst.Pix)
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, opaque{rgb}); err != nil {
		return nil, fmt.Errorf("encode logo: %w", err)
	}
	return out.Bytes(), nil
}

// opaque makes png.Encoder write an RGB image without an alpha channel.
type opaque struct{ *image.NRGBA }

// Opaque reports that every pixel is opaque.
func (opaque) Opaque() bool { return true }

// Fonts and sizes shared by the layouts.
const (
	family    = "DejaVu"
	mmPerPt   = 25.4 / 72
	lineScale = 1.3 // line height as a multiple of the font size
)

// newDoc returns a PDF writer with the fonts loaded, no automatic page
// break, and metadata that hold no personal data.
//
// Receipts load the regular face only (withBold false) and draw their few
// bold lines by stroking the outline (fauxBold): loading a face is most of
// the cost of a document, and a receipt must be ready in under 20 ms.
func newDoc(size fpdf.SizeType, margin float64, title string, at time.Time, withBold bool) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: size, OrientationStr: "P"})
	pdf.AddUTF8FontFromBytes(family, "", assets.FontRegular)
	if withBold {
		pdf.AddUTF8FontFromBytes(family, "B", assets.FontBold)
	}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetCellMargin(0)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Gişe", true)
	pdf.SetLang("tr-TR")
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetFont(family, "", 10)
	return pdf
}

// lineHeight returns the line height in mm for a font size in points.
func lineHeight(pt float64) float64 { return pt * mmPerPt * lineScale }

// output writes the document, or returns the first error the writer met.
func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// placeLogo registers the logo once per document and draws it in a box of
// side mm at x, y. It does nothing when the header has no logo.
func placeLogo(pdf *fpdf.Fpdf, h Header, x, y, side float64) {
	if len(h.Logo) == 0 {
		return
	}
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	if info := pdf.GetImageInfo("logo"); info == nil {
		pdf.RegisterImageOptionsReader("logo", opt, bytes.NewReader(h.Logo))
	}
	pdf.ImageOptions("logo", x, y, side, side, false, opt, 0, "")
}

// contactLine joins the header's phone and web address: "Tel. … · www…".
func contactLine(h Header) string {
	var parts []string
	if h.Phone != "" {
		parts = append(parts, "Tel. "+h.Phone)
	}
	if h.Web != "" {
		parts = append(parts, h.Web)
	}
	return strings.Join(parts, " · ")
}

// dateTime formats an instant the Turkish way, "28.11.2026 10:04".
func dateTime(t time.Time) string { return t.Format("02.01.2006 15:04") }

// date formats a calendar date the Turkish way, "28.11.2026".
func date(t time.Time) string { return t.Format("02.01.2006") }

// fauxBold sets the regular face at pt and makes the text that follows bold
// by filling and stroking its outlines; plain undoes it.
func fauxBold(pdf *fpdf.Fpdf, pt float64) {
	pdf.SetFont(family, "", pt)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(pt * 0.026)
	pdf.SetTextRenderingMode(2)
}

// plain returns to filled text.
func plain(pdf *fpdf.Fpdf) { pdf.SetTextRenderingMode(0) }
