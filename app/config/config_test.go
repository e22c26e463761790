package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

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

// TestPackageConffileStatesEveryDefault keeps packaging/gise.toml (the
// package's /etc/gise/gise.toml) true: with every commented key put back,
// it names every setting there is and gives each its default.
func TestPackageConffileStatesEveryDefault(t *testing.T) {
	body, err := os.ReadFile("../../packaging/gise.toml")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`^# ([a-z_0-9]+ = .*)$`)
	var lines []string
	for _, l := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(l, "[") || key.MatchString(l) {
			lines = append(lines, key.ReplaceAllString(l, "$1"))
		} else if !strings.HasPrefix(l, "#") && strings.TrimSpace(l) != "" {
			t.Errorf("a setting that is not commented: %q (the conffile states defaults only)", l)
		}
	}
	uncommented := strings.Join(lines, "\n")
	var got config.Config
	if _, err := toml.Decode(uncommented, &got); err != nil {
		t.Fatal(err)
	}
	want := config.Default()
	want.DataDir = config.SystemDataDir
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the conffile's values are not the defaults:\n got %+v\nwant %+v", got, want)
	}
	var stated, all map[string]any
	toml.Decode(uncommented, &stated)
	var buf strings.Builder
	toml.NewEncoder(&buf).Encode(want)
	toml.Decode(buf.String(), &all)
	if missing := missingKeys("", all, stated); len(missing) > 0 {
		t.Errorf("settings the conffile does not name: %v", missing)
	}
}

// missingKeys lists the keys of all (nested tables as a.b) not in stated.
func missingKeys(prefix string, all, stated map[string]any) []string {
	var out []string
	for k, v := range all {
		sub, isTable := v.(map[string]any)
		have, ok := stated[k]
		switch {
		case !ok:
			out = append(out, prefix+k)
		case isTable:
			haveSub, _ := have.(map[string]any)
			out = append(out, missingKeys(prefix+k+".", sub, haveSub)...)
		}
	}
	return out
}

// TestModeIsKeptAndChecked: the mode the terminal was switched to comes back
// at the next start (terminal.toml), and a wrong mode in the file is named.
func TestModeIsKeptAndChecked(t *testing.T) {
	c := config.Default()
	if c.Mode != config.ModeCounter {
		t.Fatalf("default mode %q", c.Mode)
	}
	c.DataDir = t.TempDir()
	c.Mode = config.ModeSelfService
	if err := config.SaveTerminal(c); err != nil {
		t.Fatal(err)
	}
	fresh := config.Default()
	fresh.DataDir = c.DataDir
	if err := fresh.ApplyTerminal(); err != nil || fresh.Mode != config.ModeSelfService {
		t.Fatalf("mode after restart %q (%v)", fresh.Mode, err)
	}
	path := filepath.Join(t.TempDir(), "gise.toml")
	os.WriteFile(path, []byte("mode = \"kiosk\"\n"), 0o600)
	if _, err := config.Load(path); err == nil || !strings.Contains(err.Error(), "kiosk") {
		t.Fatalf("a wrong mode must be named: %v", err)
	}
}

// TestDefaultPathFollowsTheEnvironment: GISE_CONFIG names the file when no
// --config is given.
func TestDefaultPathFollowsTheEnvironment(t *testing.T) {
	t.Setenv("GISE_CONFIG", "/srv/gise.toml")
	if p := config.DefaultPath(); p != "/srv/gise.toml" {
		t.Fatalf("DefaultPath %q", p)
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
