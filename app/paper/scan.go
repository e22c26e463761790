package paper

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/kocasinan/gise/app"
)

// ScanPDF makes one PDF of scanned pages, a page each, every page the
// size it was on paper (its pixels at its resolution). The scanner's JPEGs
// go in as they are (DCT), neither decoded nor compressed again, so the
// PDF is the pages' size plus about a kilobyte, and the same pages at the
// same time give the same bytes (and so the same attachment hash).
func ScanPDF(pages []app.ScannedPage, at time.Time) ([]byte, error) {
	if len(pages) == 0 {
		return nil, fmt.Errorf("scan pdf: no pages")
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}, OrientationStr: "P"})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle("Taranan belge", true)
	pdf.SetCreator("Gişe", true)
	pdf.SetLang("tr-TR")
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	opt := fpdf.ImageOptions{ImageType: "JPG"}
	for i, p := range pages {
		if p.Resolution <= 0 || p.Width <= 0 || p.Height <= 0 {
			return nil, fmt.Errorf("scan pdf: page %d has no size", i+1)
		}
		w, h := p.SizeMM()
		pdf.AddPageFormat("P", fpdf.SizeType{Wd: w, Ht: h})
		name := fmt.Sprintf("p%d", i+1)
		pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(p.JPEG))
		pdf.ImageOptions(name, 0, 0, w, h, false, opt, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("scan pdf: %w", err)
	}
	return buf.Bytes(), nil
}
