package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/config"
)

// TestExampleFileLoads keeps docs/gise.example.toml true: every key in it is
// a real setting, and it states the defaults.
func TestExampleFileLoads(t *testing.T) {
	c, err := config.Load("../../docs/gise.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	d := config.Default()
	if c.TerminalID != d.TerminalID || c.Session.IdleLock != d.Session.IdleLock ||
		c.Session.KioskCountdown != d.Session.KioskCountdown || c.Printer.Layout != "thermal80" ||
		c.Files.ScanFolder != d.Files.ScanFolder || !slices.Equal(c.Files.Removable, d.Files.Removable) ||
		c.MRZReader != d.MRZReader || c.Scanner != d.Scanner {
		t.Errorf("the example file does not state the defaults: %+v", c)
	}
}

func TestUnknownKeyIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gise.toml")
	if err := os.WriteFile(path, []byte("[printer]\nnmae = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(path); err == nil || !strings.Contains(err.Error(), "nmae") {
		t.Fatalf("a misspelt key must be named: %v", err)
	}
	if c, err := config.Load(filepath.Join(t.TempDir(), "missing.toml")); err != nil || c.TerminalID == "" {
		t.Fatalf("a missing file gives the defaults: %v", err)
	}
}

func TestTerminalSettingsOverlay(t *testing.T) {
	c := config.Default()
	c.DataDir = t.TempDir()
	c.Printer.Name, c.Session.IdleLock.Duration = "Gise-Makbuz", 90*time.Second
	c.Scanner = config.Scanner{Device: "airscan:e0:Kyocera ECOSYS M2540dn", Source: "feeder", Mode: "colour", Resolution: 300}
	if err := config.SaveTerminal(c); err != nil {
		t.Fatal(err)
	}
	fresh := config.Default()
	fresh.DataDir = c.DataDir
	if err := fresh.ApplyTerminal(); err != nil {
		t.Fatal(err)
	}
	if fresh.Printer.Name != "Gise-Makbuz" || fresh.Session.IdleLock.Duration != 90*time.Second || fresh.Scanner != c.Scanner {
		t.Errorf("overlay: %+v", fresh)
	}
}

// TestMRZReaderPortOverlay keeps the reader's port the admin chose, and
// its clearing too: a port set in the --config file does not come back.
func TestMRZReaderPortOverlay(t *testing.T) {
	c := config.Default()
	c.DataDir = t.TempDir()
	c.MRZReader.Port = "/dev/ttyACM0"
	if err := config.SaveTerminal(c); err != nil {
		t.Fatal(err)
	}
	fresh := config.Default()
	fresh.DataDir = c.DataDir
	if err := fresh.ApplyTerminal(); err != nil || fresh.MRZReader.Port != "/dev/ttyACM0" {
		t.Fatalf("port: %+v, %v", fresh.MRZReader, err)
	}
	c.MRZReader.Port = ""
	if err := config.SaveTerminal(c); err != nil {
		t.Fatal(err)
	}
	fresh.MRZReader.Port = "/dev/ttyUSB0" // as a --config file would set it
	if err := fresh.ApplyTerminal(); err != nil || fresh.MRZReader.Port != "" {
		t.Errorf("cleared port: %+v, %v", fresh.MRZReader, err)
	}
}
