// Package sanetest gives other packages' tests a real scanner: SANE's own
// test backend (test:0, a virtual flatbed with a ten-sheet feeder), enabled
// through a dll.conf in a private SANE_CONFIG_DIR under t.TempDir(), and
// poppler's pdfinfo to read back the PDFs made of its pages. Tests skip
// only when scanimage is not installed (scripts/deps.sh test installs
// sane-utils).
package sanetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sane"
)

// Device is the test backend's first virtual scanner.
const Device = "test:0"

// Resolution is what tests scan at: the backend's 80 × 100 mm page at 75
// dpi is 236 × 295 pixels, which keeps a ten-page batch quick.
const Resolution = 75

// Feeder is how many sheets the test backend's feeder holds.
const Feeder = 10

// Status options of the test backend, for Scanner's extra options: every
// read fails with that SANE status.
var (
	Jammed    = []string{"--read-return-value", "SANE_STATUS_JAMMED"}
	CoverOpen = []string{"--read-return-value", "SANE_STATUS_COVER_OPEN"}
	NoDocs    = []string{"--read-return-value", "SANE_STATUS_NO_DOCS"}
	Busy      = []string{"--read-return-value", "SANE_STATUS_DEVICE_BUSY"}
	// Slow makes a page at Resolution take about 0.3 s (some 30 reads,
	// 10 ms apart), so that a test can act while a batch is under way.
	Slow = []string{"--read-delay=yes", "--read-delay-duration=10000"}
)

// ConfigDir writes a SANE configuration folder that loads only the test
// backend, and returns it. It skips the test when scanimage is missing.
func ConfigDir(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("scanimage"); err != nil {
		t.Skip("scanimage is not installed (Debian: sane-utils; scripts/deps.sh test)")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dll.conf"), []byte("test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Scanner returns a sane.Scanner on the test backend, with extra options
// for it (Jammed, Slow, "--test-picture", "Grid" …).
func Scanner(t testing.TB, extra ...string) *sane.Scanner {
	t.Helper()
	s := sane.New(nil)
	s.ConfigDir = ConfigDir(t)
	s.Extra = append([]string{"--test-picture", "Color pattern"}, extra...)
	return s
}

// Request returns a request for the test backend at the tests' resolution.
func Request(src app.ScanSource, mode app.ScanMode) app.ScanRequest {
	return app.ScanRequest{Device: Device, Source: src, Mode: mode, Resolution: Resolution}
}

// PageSize is a PDF page's size in points.
type PageSize struct{ W, H float64 }

// PageSizeOf is the size in points a PDF page of p must have.
func PageSizeOf(p app.ScannedPage) PageSize {
	w, h := p.SizeMM()
	return PageSize{W: w * 72 / 25.4, H: h * 72 / 25.4}
}

var (
	pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)
	sizeRe  = regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
)

// PDFInfo reads a PDF with poppler's pdfinfo: its page count and each
// page's size in points. It fails the test when pdfinfo refuses the file.
func PDFInfo(t testing.TB, pdf []byte) (pages int, sizes []PageSize) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scan-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "9999", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo (poppler-utils): %v\n%s", err, out)
	}
	m := pagesRe.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	pages, _ = strconv.Atoi(string(m[1]))
	for _, s := range sizeRe.FindAllSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(string(s[1]), 64)
		h, _ := strconv.ParseFloat(string(s[2]), 64)
		sizes = append(sizes, PageSize{w, h})
	}
	return pages, sizes
}
