package apptest

import (
	"bytes"
	"os"
	"path/filepath"
)

// Printed reports whether a job with exactly pdf came out of the test
// printer queue into dir (scripts/cups.sh's file queues write each job to
// dir/QUEUE-JOB.pdf, so packages printing to one queue at once never
// overwrite each other's page).
func Printed(dir, queue string, pdf []byte) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, queue+"-*.pdf"))
	for _, m := range matches {
		if got, err := os.ReadFile(m); err == nil && bytes.Equal(got, pdf) {
			return true
		}
	}
	return false
}
