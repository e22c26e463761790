package apptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// PDFText runs pdftotext (poppler-utils) over pdf, in reading order; the
// test is skipped where poppler is not installed.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing: install poppler-utils (scripts/deps.sh test does)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
