package paper

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/notice"
)

// NoticeDoc is what a printed notice shows.
type NoticeDoc struct {
	Header   Header
	Version  notice.Version
	At       time.Time // when it is printed
	Terminal string
	// CitizenName, when set, adds the acknowledgement block with a signature
	// line for that citizen. Leave it empty for an anonymous visitor.
	CitizenName string
}

// noticeLabels are the words around the notice, in the notice's language.
type noticeLabels struct {
	doc, version, date, terminal, digest, page, ackTitle, name, ackText, sign string
}

var labels = map[string]noticeLabels{
	notice.Turkish: {
		doc: "KVKK Aydınlatma Metni", version: "Sürüm", date: "Tarih", terminal: "Terminal",
		digest: "Metin özeti (SHA-256)", page: "Sayfa", ackTitle: "Bilgilendirme onayı",
		name: "Adı soyadı", ackText: "Aydınlatma metnini okudum / bana okundu.", sign: "İmza",
	},
	notice.English: {
		doc: "Privacy Notice (KVKK)", version: "Version", date: "Date", terminal: "Terminal",
		digest: "Text digest (SHA-256)", page: "Page", ackTitle: "Acknowledgement",
		name: "Name", ackText: "I have read this notice / it was read to me. (Aydınlatma metnini okudum / bana okundu.)",
		sign: "Signature",
	},
}

// A4 geometry of the notice, in mm.
const (
	a4W, a4H     = 210.0, 297.0
	a4Margin     = 18.0
	footerTop    = a4H - 12
	bodyBottom   = footerTop - 4
	bodyPt       = 9.5
	headingPt    = 10.0
	titlePt      = 13.0
	bulletIndent = 4.0
)

// Notice returns the notice as an A4 PDF: the municipality's header, the
// version, date, terminal and short hash, the text exactly as the version
// holds it (lines wrapped to the page, nothing else changed), and, for a
// named citizen, the acknowledgement block. Every page's footer repeats the
// version and short hash; the last page carries the whole SHA-256.
func Notice(d NoticeDoc) ([]byte, error) {
	if err := d.Version.Validate(); err != nil {
		return nil, err
	}
	l, ok := labels[d.Version.Language]
	if !ok {
		l = labels[notice.Turkish]
	}
	pdf := newDoc(fpdf.SizeType{Wd: a4W, Ht: a4H}, a4Margin, l.doc, d.At, true)
	pdf.SetAutoPageBreak(true, a4H-bodyBottom)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() { noticeFooter(pdf, d, l) })
	pdf.AddPage()
	noticeHeader(pdf, d, l)
	noticeBody(pdf, d.Version.Text)
	if d.CitizenName != "" {
		ackBlock(pdf, d, l)
	}
	pdf.Ln(4)
	pdf.SetFont(family, "", 7)
	pdf.SetTextColor(90, 90, 90)
	pdf.MultiCell(0, lineHeight(7), l.digest+": "+d.Version.SHA256, "", "L", false)
	return output(pdf)
}

func noticeHeader(pdf *fpdf.Fpdf, d NoticeDoc, l noticeLabels) {
	const logo = 20.0
	placeLogo(pdf, d.Header, a4Margin, a4Margin, logo)
	x := a4Margin + logo + 4
	pdf.SetXY(x, a4Margin)
	pdf.SetFont(family, "B", 14)
	pdf.CellFormat(0, lineHeight(14), d.Header.Name, "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 9)
	for _, s := range []string{d.Header.Address, contactLine(d.Header)} {
		if s != "" {
			pdf.SetX(x)
			pdf.CellFormat(0, lineHeight(9), s, "", 1, "L", false, 0, "")
		}
	}
	pdf.SetY(max(pdf.GetY(), a4Margin+logo) + 3)
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(0, lineHeight(11), l.doc, "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 8.5)
	pdf.SetTextColor(60, 60, 60)
	meta := l.version + " " + strconv.Itoa(d.Version.Number) + " (" + d.Version.Language + ")  ·  " +
		l.date + " " + dateTime(d.At) + "  ·  " + l.terminal + " " + d.Terminal + "  ·  " +
		l.digest + " " + d.Version.ShortHash()
	pdf.MultiCell(0, lineHeight(8.5), meta, "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	y := pdf.GetY() + 2
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.3)
	pdf.Line(a4Margin, y, a4W-a4Margin, y)
	pdf.SetY(y + 4)
}

// noticeBody writes the text line by line: the first line is the title,
// upper-case lines are section headings, short lines without closing
// punctuation are sub-headings, "·" lines are bullets with a hanging indent.
// Only the leading and trailing spaces of a line are dropped, which paper
// cannot show anyway.
func noticeBody(pdf *fpdf.Fpdf, text string) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			pdf.Ln(lineHeight(bodyPt) / 2)
		case i == 0:
			pdf.SetFont(family, "B", titlePt)
			pdf.MultiCell(0, lineHeight(titlePt), line, "", "L", false)
			pdf.Ln(2)
		case isHeading(line):
			pdf.Ln(1.5)
			pdf.SetFont(family, "B", headingPt)
			pdf.MultiCell(0, lineHeight(headingPt), line, "", "L", false)
			pdf.Ln(0.5)
		case strings.HasPrefix(line, "·"):
			bullet(pdf, line)
		default:
			pdf.SetFont(family, "", bodyPt)
			pdf.MultiCell(0, lineHeight(bodyPt), line, "", "L", false)
			pdf.Ln(1)
		}
	}
}

// isHeading reports a section heading (all capitals) or a sub-heading (a
// short line that does not end a sentence or a clause).
func isHeading(line string) bool {
	if app.UpperTR(line) == line && strings.IndexFunc(line, unicode.IsLetter) >= 0 {
		return true
	}
	last := line[len(line)-1]
	return len([]rune(line)) <= 40 && !strings.ContainsRune(".,;:", rune(last))
}

func bullet(pdf *fpdf.Fpdf, line string) {
	pdf.SetFont(family, "", bodyPt)
	rest := strings.TrimSpace(strings.TrimPrefix(line, "·"))
	y := pdf.GetY()
	if y+lineHeight(bodyPt) > bodyBottom {
		pdf.AddPage()
		y = pdf.GetY()
	}
	pdf.SetXY(a4Margin+1, y)
	pdf.CellFormat(bulletIndent-1, lineHeight(bodyPt), "·", "", 0, "L", false, 0, "")
	pdf.SetLeftMargin(a4Margin + bulletIndent)
	pdf.SetX(a4Margin + bulletIndent)
	pdf.MultiCell(0, lineHeight(bodyPt), rest, "", "L", false)
	pdf.SetLeftMargin(a4Margin)
	pdf.Ln(0.6)
}

// ackBlock draws the acknowledgement with a signature line, kept whole on
// one page.
func ackBlock(pdf *fpdf.Fpdf, d NoticeDoc, l noticeLabels) {
	const height = 44.0
	if pdf.GetY()+6+height > bodyBottom {
		pdf.AddPage()
	}
	top := pdf.GetY() + 6
	w := a4W - 2*a4Margin
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.4)
	pdf.Rect(a4Margin, top, w, height, "D")
	x := a4Margin + 5
	pdf.SetXY(x, top+4)
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(0, lineHeight(11), app.UpperTR(l.ackTitle), "", 2, "L", false, 0, "")
	pdf.SetFont(family, "", 10)
	pdf.Ln(1)
	pdf.SetX(x)
	pdf.CellFormat(0, lineHeight(10), l.name+": "+d.CitizenName, "", 2, "L", false, 0, "")
	pdf.SetX(x)
	pdf.CellFormat(0, lineHeight(10), l.date+": "+dateTime(d.At), "", 2, "L", false, 0, "")
	pdf.Ln(1.5)
	pdf.SetX(x)
	box := pdf.GetY() + 0.6
	pdf.Rect(x, box, 3.6, 3.6, "D")
	pdf.SetX(x + 6)
	pdf.MultiCell(w-16, lineHeight(10), l.ackText, "", "L", false)
	signY := top + height - 7
	pdf.SetXY(a4W-a4Margin-85, signY-5)
	pdf.CellFormat(20, lineHeight(10), l.sign+":", "", 0, "L", false, 0, "")
	pdf.Line(a4W-a4Margin-65, signY, a4W-a4Margin-5, signY)
	pdf.SetY(top + height)
}

func noticeFooter(pdf *fpdf.Fpdf, d NoticeDoc, l noticeLabels) {
	pdf.SetXY(a4Margin, footerTop)
	pdf.SetFont(family, "", 7.5)
	pdf.SetTextColor(90, 90, 90)
	left := d.Header.Name + " · " + l.doc + " · " + l.version + " " + strconv.Itoa(d.Version.Number) +
		" (" + d.Version.Language + ") · " + d.Version.ShortHash()
	pdf.CellFormat(a4W-2*a4Margin-25, lineHeight(7.5), left, "", 0, "L", false, 0, "")
	pdf.CellFormat(25, lineHeight(7.5), l.page+" "+strconv.Itoa(pdf.PageNo())+"/{nb}", "", 0, "R", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
}
