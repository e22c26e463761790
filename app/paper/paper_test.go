package paper_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/assets"
)

var at = time.Date(2026, 11, 28, 10, 4, 0, 0, time.FixedZone("+03", 3*3600))

func header(t testing.TB) paper.Header {
	t.Helper()
	h, err := paper.HeaderFrom(config.Default().Municipality)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func versions() []notice.Version {
	return []notice.Version{
		notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{}),
		notice.New(1, notice.English, assets.NoticeV1EN, time.Time{}),
	}
}

// footer matches the running footer of a notice page, which pdftotext puts
// between the body lines of consecutive pages.
var footer = regexp.MustCompile(`(?m)^(.* · [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}|(Sayfa|Page) \d+/\d+)$`)

// words normalises whitespace only: the PDF wraps long lines to the page and
// cannot show leading, trailing or doubled spaces, so both sides are compared
// as the sequence of their whitespace-separated words. Every letter, every
// punctuation mark and the order of the words must match exactly.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestNoticeTextEqualsSource(t *testing.T) {
	for _, v := range versions() {
		t.Run(v.Language, func(t *testing.T) {
			pdf, err := paper.Notice(paper.NoticeDoc{Header: header(t), Version: v, At: at,
				Terminal: "KCS-MERKEZ-01", CitizenName: "Işık Çağrı Öztürk"})
			if err != nil {
				t.Fatal(err)
			}
			got := words(footer.ReplaceAllString(apptest.PDFText(t, pdf), ""))
			want := words(v.Text)
			// The comparison must be able to fail: one dotless ı made dotted,
			// or two words swapped, is not the notice.
			if v.Language == notice.Turkish {
				for _, wrong := range []string{
					strings.Replace(want, "sıfatıyla", "sifatıyla", 1),
					strings.Replace(want, "Kimlik Verisi", "Verisi Kimlik", 1),
				} {
					if wrong == want || strings.Contains(got, wrong) {
						t.Fatal("the comparison does not notice a changed letter or word order")
					}
				}
			}
			if !strings.Contains(got, want) {
				i := 0
				for i < len(got) && i < len(want) && strings.Contains(got, want[:i+1]) {
					i++
				}
				t.Fatalf("the notice text on paper differs from the source after %d bytes:\nsource: …%s\npaper:  %s",
					i, want[max(0, i-60):min(len(want), i+60)], got[:min(len(got), 400)])
			}
		})
	}
}

func TestNoticeShowsVersionHashAndAck(t *testing.T) {
	v := versions()[0]
	pdf, err := paper.Notice(paper.NoticeDoc{Header: header(t), Version: v, At: at,
		Terminal: "KCS-MERKEZ-01", CitizenName: "Işık Çağrı Öztürk"})
	if err != nil {
		t.Fatal(err)
	}
	text := apptest.PDFText(t, pdf)
	full := regexp.MustCompile(`SHA-256\): ([0-9a-f]{64})`).FindStringSubmatch(text)
	if full == nil || full[1] != v.SHA256 {
		t.Fatalf("full hash on paper %v, want %s", full, v.SHA256)
	}
	for _, want := range []string{
		"Kocasinan Belediyesi", "Sürüm 1 (tr)", "28.11.2026 10:04", "KCS-MERKEZ-01", v.ShortHash(),
		"Adı soyadı: Işık Çağrı Öztürk", "Aydınlatma metnini okudum / bana okundu.", "İmza:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	anon, err := paper.Notice(paper.NoticeDoc{Header: header(t), Version: v, At: at, Terminal: "KCS-MERKEZ-01"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(apptest.PDFText(t, anon), "İmza") {
		t.Error("an anonymous notice has a signature line")
	}
}

func TestNoticeRefusesForgedVersion(t *testing.T) {
	v := versions()[0]
	v.Text += "ek cümle"
	if _, err := paper.Notice(paper.NoticeDoc{Version: v, At: at}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("forged text printed: %v", err)
	}
}

func receiptDoc(t testing.TB, layout paper.Layout) paper.ReceiptDoc {
	code, err := app.ParseTrackingCode("K7QM-4X29-PQ7C")
	if err != nil {
		code = app.NewTrackingCode()
	}
	return paper.ReceiptDoc{Header: header(t), Layout: layout, Kind: string(app.KindComplaint), Code: code,
		StatusURL: "https://www.kocasinan.bel.tr/basvuru/", Category: "Temizlik İşleri – Çöp toplama",
		NationalID: "10000000146", At: at, Terminal: "KCS-MERKEZ-01"}
}

func TestReceiptLayouts(t *testing.T) {
	for _, tc := range []struct {
		layout paper.Layout
		width  string
	}{{paper.Thermal80, "226.77"}, {paper.A4, "595.28"}} {
		t.Run(string(tc.layout), func(t *testing.T) {
			d := receiptDoc(t, tc.layout)
			pdf, err := paper.Receipt(d)
			if err != nil {
				t.Fatal(err)
			}
			text := apptest.PDFText(t, pdf)
			for _, want := range []string{d.Code.String(), "Şikâyetiniz alındı", "Kimlik No: 100******46",
				"Konu: Temizlik İşleri – Çöp toplama", "28.11.2026 10:04", paper.StatusLink(d.StatusURL, d.Code),
				"Bundan sonra ne olacak?", "Alo 153"} {
				if !strings.Contains(text, want) {
					t.Errorf("receipt lacks %q", want)
				}
			}
			if strings.Contains(text, "10000000146") || bytes.Contains(pdf, []byte("10000000146")) {
				t.Error("the whole national ID is on the receipt")
			}
			if info := pdfInfo(t, pdf); !strings.Contains(info, "Page size:       "+tc.width+" x") {
				t.Errorf("page size: %s", info)
			}
		})
	}
}

func TestApplicationReceiptNamesTheDeadline(t *testing.T) {
	d := receiptDoc(t, paper.Thermal80)
	d.Kind, d.DueDate, d.Category = paper.KindApplication, at.AddDate(0, 0, 30), ""
	pdf, err := paper.Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	text := words(apptest.PDFText(t, pdf))
	for _, want := range []string{"KVKK başvurunuz alındı", "Yanıt için son gün: 28.12.2026", "30 gün"} {
		if !strings.Contains(text, want) {
			t.Errorf("application receipt lacks %q", want)
		}
	}
}

// A self-service citizen who gave a name and an ID sees both on the receipt,
// never "İsimsiz"; an anonymous one sees "İsimsiz".
func TestReceiptNamesTheApplicant(t *testing.T) {
	d := receiptDoc(t, paper.Thermal80)
	d.ApplicantName = "Işık Çağrı Öztürk"
	pdf, err := paper.Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	text := words(apptest.PDFText(t, pdf))
	if !strings.Contains(text, "Başvuran: Işık Çağrı Öztürk") || !strings.Contains(text, "Kimlik No: 100******46") ||
		strings.Contains(text, "İsimsiz") {
		t.Errorf("receipt with a name: %s", text)
	}
	d.ApplicantName, d.NationalID = "", ""
	if pdf, err = paper.Receipt(d); err != nil {
		t.Fatal(err)
	}
	if text := words(apptest.PDFText(t, pdf)); !strings.Contains(text, "Başvuran: İsimsiz") {
		t.Errorf("anonymous receipt: %s", text)
	}
}

func TestReceiptRefusesBadCode(t *testing.T) {
	d := receiptDoc(t, paper.Thermal80)
	d.Code = "NOPE"
	if _, err := paper.Receipt(d); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("bad code: %v", err)
	}
}

func pdfInfo(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Skip("pdfinfo is missing: install poppler-utils")
	}
	return string(out)
}

func BenchmarkNotice(b *testing.B) {
	d := paper.NoticeDoc{Header: header(b), Version: versions()[0], At: at, Terminal: "KCS-MERKEZ-01",
		CitizenName: "Işık Çağrı Öztürk"}
	for b.Loop() {
		if _, err := paper.Notice(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiptThermal(b *testing.B) {
	d := receiptDoc(b, paper.Thermal80)
	for b.Loop() {
		if _, err := paper.Receipt(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiptA4(b *testing.B) {
	d := receiptDoc(b, paper.A4)
	for b.Loop() {
		if _, err := paper.Receipt(d); err != nil {
			b.Fatal(err)
		}
	}
}

// The QR code must read back as the status link. zbarimg (Debian's
// zbar-tools) is not among the test packages, so this runs where it is.
func TestReceiptQRReadsBack(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Skip("zbarimg is missing (apt-get install zbar-tools to check the QR code)")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm is missing: install poppler-utils")
	}
	d := receiptDoc(t, paper.Thermal80)
	pdf, err := paper.Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "r.pdf"), pdf, 0o600)
	if out, err := exec.Command("pdftoppm", "-r", "200", "-png", filepath.Join(dir, "r.pdf"), filepath.Join(dir, "r")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, _ := exec.Command("zbarimg", "-q", "--raw", filepath.Join(dir, "r-1.png")).Output()
	if got := strings.TrimSpace(string(out)); got != paper.StatusLink(d.StatusURL, d.Code) {
		t.Fatalf("QR code reads %q", got)
	}
}
