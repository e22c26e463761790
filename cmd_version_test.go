package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
)

// TestVersionNamesTheSchemaAndOpensNothing: gise version prints the schema
// the binary writes and the paths, and creates nothing in the data
// directory (it must work on a terminal whose database cannot open).
func TestVersionNamesTheSchemaAndOpensNothing(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	r := gise(t, cfg, "", "version")
	if r.code != 0 || !strings.Contains(r.stdout, "schema: "+strconv.Itoa(sqlite.LatestSchema())+"\n") ||
		!strings.Contains(r.stdout, "data_dir: "+cfg.DataDir+"\n") || !strings.HasPrefix(r.stdout, "gise ") {
		t.Fatalf("gise version: %d %q", r.code, r.output())
	}
	if _, err := os.Stat(cfg.DataDir); err == nil {
		t.Error("gise version made the data directory")
	}
}

// TestRootIsSentToTheDataDirectorysOwner: root running a command on a
// data directory the gise user owns is told to run it as that user, and
// nothing is written there (a root-owned WAL would lock the kiosk out).
func TestRootIsSentToTheDataDirectorysOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	cfg := config.Default()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(cfg.DataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(cfg.DataDir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	r := gise(t, cfg, "", "status")
	if r.code != 1 || !strings.Contains(r.stderr, "sudo -u ") || !strings.Contains(r.stderr, "status") {
		t.Fatalf("root on another user's data directory: %d %q", r.code, r.output())
	}
	if entries, _ := os.ReadDir(cfg.DataDir); len(entries) > 0 {
		t.Errorf("root wrote into the gise user's data directory: %v", entries)
	}
}
