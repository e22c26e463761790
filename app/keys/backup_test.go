package keys_test

import (
	"bytes"
	"fmt"
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

// sealedFor returns a key backup of a new key file, and the key's sealer.
func sealedFor(t *testing.T, pass string) ([]byte, *keys.Sealer) {
	t.Helper()
	text, s, err := keys.ReadFile(mustCreate(t, filepath.Join(t.TempDir(), keys.DefaultFileName)))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := keys.SealBackup(text, pass)
	if err != nil {
		t.Fatal(err)
	}
	return sealed, s
}

// TestBackupCostsAreBounded gives OpenBackup damaged or crafted kdf lines:
// t=0 made argon2 panic, a huge m allocated gigabytes; each is now a coded
// error before any derivation.
func TestBackupCostsAreBounded(t *testing.T) {
	sealed, _ := sealedFor(t, "Erciyes dağında kar var 38")
	p := keys.BackupParams
	orig := fmt.Sprintf("kdf argon2id t=%d m=%d p=%d", p.Time, p.Memory, p.Threads)
	for _, kdf := range []string{"t=0 m=65536 p=1", "t=3 m=2097152 p=1", fmt.Sprintf("t=3 m=%d p=1", 4*p.Memory+1),
		"t=3 m=65536 p=0", "t=3 m=65536 p=9", "t=101 m=65536 p=1"} {
		b := strings.Replace(string(sealed), orig, "kdf argon2id "+kdf, 1)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s: panic %v", kdf, r)
				}
			}()
			_, _, err := keys.OpenBackup([]byte(b), "Erciyes dağında kar var 38")
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "argon2id") {
				t.Errorf("%s: %v", kdf, err)
			}
		}()
	}
}

// TestVerifyBackupWithoutThePassphrase checks the check line: a whole
// backup verifies with its key, a cut, changed or another key's backup
// does not, and a version 1 backup (no check line) says it was not checked.
func TestVerifyBackupWithoutThePassphrase(t *testing.T) {
	sealed, s := sealedFor(t, "Erciyes dağında kar var 38")
	if ok, err := keys.VerifyBackup(sealed, s); !ok || err != nil {
		t.Fatalf("a whole backup: %v %v", ok, err)
	}
	_, other := sealedFor(t, "Erciyes dağında kar var 38")
	if _, err := keys.VerifyBackup(sealed, other); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("another terminal's key: %v", err)
	}
	sealedAt := bytes.Index(sealed, []byte("\nsealed ")) + len("\nsealed ")
	for n := len(sealed) - 1; n > sealedAt; n -= 4 {
		if ok, err := keys.VerifyBackup(sealed[:n], s); ok || err == nil {
			t.Fatalf("cut to %d of %d bytes: verified", n, len(sealed))
		}
	}
	changed := bytes.Clone(sealed)
	changed[sealedAt+3] ^= 'A' ^ 'B'
	if _, err := keys.VerifyBackup(changed, s); err == nil {
		t.Fatal("a changed sealed line verified")
	}
	check := bytes.Index(sealed, []byte("check "))
	v1 := bytes.Replace(sealed[:check], []byte("gise-key-backup 2"), []byte("gise-key-backup 1"), 1)
	if ok, err := keys.VerifyBackup(v1, s); ok || err != nil {
		t.Fatalf("a version 1 backup: %v %v, want not checked and no error", ok, err)
	}
}
