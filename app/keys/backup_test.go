package keys_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
)

func TestLoadForStoreNeverCreatesBesideADatabase(t *testing.T) {
	dir := t.TempDir()
	keyPath, dbPath := keys.DefaultPath(dir), filepath.Join(dir, "gise.db")
	if _, err := keys.LoadForStore(keyPath, dbPath); err != nil {
		t.Fatalf("a brand-new terminal makes its key: %v", err)
	}
	if err := os.WriteFile(dbPath, []byte("SQLite format 3\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	_, err := keys.LoadForStore(keyPath, dbPath)
	if app.ErrorCode(err) != app.EKEY || app.ErrorMessage(err) != app.MsgKeyMissing {
		t.Fatalf("a key missing beside a database: %v", err)
	}
	if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
		t.Fatalf("a key file appeared: %v", err)
	}
}

func TestKeyBackupRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), keys.DefaultFileName)
	if _, err := keys.AddKey(mustCreate(t, path)); err != nil {
		t.Fatal(err)
	}
	text, s, err := keys.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := keys.SealBackup(text, "Erciyes dağında kar var 38")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, text[len("gise-terminal-key 1\n"):]) {
		t.Fatal("the backup holds the key in the clear")
	}
	if fp, err := keys.BackupFingerprint(sealed); err != nil || fp != s.Fingerprint() {
		t.Fatalf("fingerprint %q %v, want %q", fp, err, s.Fingerprint())
	}
	got, back, err := keys.OpenBackup(sealed, "Erciyes dağında kar var 38")
	if err != nil || !bytes.Equal(got, text) || back.Fingerprint() != s.Fingerprint() || back.ActiveKeyID() != 2 {
		t.Fatalf("open: %v", err)
	}
	if _, _, err := keys.OpenBackup(sealed, "Erciyes dağında kar var 39"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a wrong passphrase: %v", err)
	}
	forged := strings.Replace(string(sealed), "fingerprint "+s.Fingerprint(), "fingerprint 0000000000000000", 1)
	if _, _, err := keys.OpenBackup([]byte(forged), "Erciyes dağında kar var 38"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a changed header opened: %v", err)
	}
	if _, _, err := keys.OpenBackup(text, "x"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a key file is not a backup: %v", err)
	}
}

func TestInstallIsOwnerOnly(t *testing.T) {
	src := mustCreate(t, filepath.Join(t.TempDir(), keys.DefaultFileName))
	text, _, err := keys.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "data", keys.DefaultFileName)
	if err := keys.Install(dst, text); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(dst); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("installed key: %v %v", info.Mode(), err)
	}
	if err := keys.Install(dst, []byte("not a key")); err == nil {
		t.Fatal("installed a file that is not a key")
	}
}

func mustCreate(t *testing.T, path string) string {
	t.Helper()
	if _, err := keys.LoadOrCreate(path); err != nil {
		t.Fatal(err)
	}
	return path
}
