package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/config"
)

// TestDoctorReadsTheKioskSessionsCrashes: gise doctor (the real binary)
// says nothing of a session that never failed, warns of a crash today and
// fails a crash loop, from the launcher's crash file.
func TestDoctorReadsTheKioskSessionsCrashes(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	line := func(ago time.Duration) string {
		return fmt.Sprintf("%s exit=137 up=2s pause=4s\n", time.Now().Add(-ago).Format(time.RFC3339))
	}
	for _, c := range []struct {
		name, file, want string
	}{
		{"none", "", "ok"},
		{"yesterday's", line(30 * time.Hour), "ok"},
		{"one today", line(30*time.Hour) + line(2*time.Hour), "warn"},
		{"a loop", strings.Repeat(line(time.Minute), crashLoop) + "cut-off li", "fail"},
	} {
		path := filepath.Join(cfg.DataDir, KioskCrashFile)
		os.Remove(path)
		if c.file != "" {
			os.WriteFile(path, []byte(c.file), 0o600)
		}
		r := gise(t, cfg, "", "doctor", "--json")
		if !strings.Contains(r.stdout, `"name": "kiosk_session"`) {
			t.Fatalf("%s: no kiosk_session check: %s", c.name, r.output())
		}
		got := r.stdout[strings.Index(r.stdout, `"name": "kiosk_session"`):]
		if !strings.Contains(got[:min(len(got), 200)], `"status": "`+c.want+`"`) {
			t.Errorf("%s: want %s: %s", c.name, c.want, got[:min(len(got), 400)])
		}
	}
}
