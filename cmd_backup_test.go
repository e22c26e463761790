package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
)

// backupsIn lists the backup folders under dir.
func backupsIn(t *testing.T, dir string) []string {
	t.Helper()
	list, _ := filepath.Glob(filepath.Join(dir, "backup-*"))
	return list
}

// TestDamagedFileStopsTheTerminal overwrites a B-tree page of a real
// store: gise status exits 5 with the sentence instead of reporting
// counts, the kiosk's start refuses, and the file is not written to.
func TestDamagedFileStopsTheTerminal(t *testing.T) {
	cfg := terminalWithRecords(t, 20)
	apptest.CorruptTable(t, cfg.DatabasePath(), "citizens")
	before, err := os.ReadFile(cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	r := gise(t, cfg, "", "status")
	if r.code != 5 || !strings.Contains(r.stderr, app.MsgDamaged) || strings.Contains(r.stdout, "pending:") {
		t.Fatalf("status on a damaged file: exit %d, want 5 and the sentence\n%s", r.code, r.output())
	}
	if _, _, err := openTerminal(context.Background(), cfg); app.ErrorCode(err) != app.EDAMAGED {
		t.Fatalf("kiosk start on a damaged file: %v", err)
	}
	if after, _ := os.ReadFile(cfg.DatabasePath()); !bytes.Equal(before, after) {
		t.Error("the damaged file was written to")
	}
}

func TestBackupRestoreAndADamagedFile(t *testing.T) {
	cfg := terminalWithRecords(t, 5)
	ctx := context.Background()
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	scan, err := store.SaveAttachment(ctx, "dilekce.pdf", []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"))
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	backups, keyBackup := t.TempDir(), filepath.Join(t.TempDir(), "key.backup")
	if r := gise(t, cfg, passphrase+"\n", "backup", "--out", backups, "--keep", "2"); r.code != 0 || !strings.Contains(r.stdout, "Yedek alındı") {
		t.Fatalf("backup: %d\n%s", r.code, r.output())
	}
	if r := gise(t, cfg, passphrase+"\n", "key", "backup", "--out", keyBackup); r.code != 0 {
		t.Fatalf("key backup: %d\n%s", r.code, r.output())
	}
	for range 2 {
		if r := gise(t, cfg, "", "backup", "--out", backups, "--keep", "2", "--key-backup", keyBackup); r.code != 0 {
			t.Fatalf("backup with a key backup: %d\n%s", r.code, r.output())
		}
	}
	list := backupsIn(t, backups)
	if len(list) != 2 {
		t.Fatalf("%d backups kept, want the last 2: %v", len(list), list)
	}
	latest := list[1]
	if _, err := os.Stat(filepath.Join(latest, "attachments", scan.SHA256[:2], scan.SHA256)); err != nil {
		t.Fatalf("the attachment is not in the backup: %v", err)
	}

	// Written after the backup, then the file is damaged.
	addCitizens(t, cfg, 5, 2)
	apptest.CorruptTable(t, cfg.DatabasePath(), "citizens")
	r := gise(t, cfg, "", "status")
	if r.code != 5 || !strings.Contains(r.stderr, app.MsgDamaged) {
		t.Fatalf("status on a damaged file: exit %d, want 5 and the sentence\n%s", r.code, r.output())
	}
	r = gise(t, cfg, "", "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "HATA    Veritabanı") || !strings.Contains(r.stdout, "bozuk") {
		t.Fatalf("doctor on a damaged file: %d\n%s", r.code, r.output())
	}
	if _, _, err := openTerminal(ctx, cfg); app.ErrorCode(err) != app.EDAMAGED {
		t.Fatalf("kiosk start on a damaged file: %v", err)
	}

	if r := gise(t, cfg, "Erciyes'in karı Mayıs'ta erir 38\n", "restore", "--from", latest); r.code == 0 || !strings.Contains(r.stderr, "Parola yanlış") {
		t.Fatalf("restore with a wrong passphrase: %d\n%s", r.code, r.output())
	}
	forged := forgedBackup(t, latest)
	if r := gise(t, cfg, passphrase+"\n", "restore", "--from", forged); r.code != 4 || !strings.Contains(r.stderr, "veritabanını açmıyor") {
		t.Fatalf("restore of a copy its key does not open: %d\n%s", r.code, r.output())
	}
	if r := gise(t, cfg, "", "status"); r.code != 5 {
		t.Fatalf("a refused restore changed the terminal: status %d", r.code)
	}

	r = gise(t, cfg, passphrase+"\n", "restore", "--from", latest)
	if r.code != 0 || !strings.Contains(r.stdout, "Yedek geri yüklendi") || !strings.Contains(r.stdout, "before-restore-") {
		t.Fatalf("restore: %d\n%s", r.code, r.output())
	}
	if r := gise(t, cfg, "", "status"); r.code != 0 {
		t.Fatalf("status after the restore: %d\n%s", r.code, r.output())
	}
	if !citizenOpens(t, cfg, 4) || citizenOpens(t, cfg, 6) {
		t.Fatal("after the restore: the backed-up records must open, the later ones are not there")
	}
	aside, _ := filepath.Glob(filepath.Join(cfg.DataDir, "before-restore-*", "gise.db"))
	if len(aside) != 1 {
		t.Fatal("the damaged file was not kept aside")
	}

	// Never over a running kiosk: any open store holds the lock.
	store, err = openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if r := gise(t, cfg, passphrase+"\n", "restore", "--from", latest); r.code == 0 || !strings.Contains(r.stderr, "şu anda açık") {
		t.Fatalf("restore under an open store: %d\n%s", r.code, r.output())
	}
}

// forgedBackup copies a backup folder with another terminal's key backup
// (under the same passphrase) in place of its own.
func forgedBackup(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "backup-forged")
	if _, err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	other := terminalWithRecords(t, 1)
	key := filepath.Join(dst, backupKeyName)
	os.Remove(key)
	if r := gise(t, other, passphrase+"\n", "key", "backup", "--out", key); r.code != 0 {
		t.Fatalf("other key backup: %d\n%s", r.code, r.output())
	}
	return dst
}

func TestBackupOntoAFullDisk(t *testing.T) {
	cfg := terminalWithRecords(t, 800)
	keyBackup := filepath.Join(t.TempDir(), "key.backup")
	if r := gise(t, cfg, passphrase+"\n", "key", "backup", "--out", keyBackup); r.code != 0 {
		t.Fatalf("key backup: %d\n%s", r.code, r.output())
	}
	stick := mountTiny(t, "1m")
	r := gise(t, cfg, "", "backup", "--out", stick, "--key-backup", keyBackup)
	if r.code != 6 || !strings.Contains(r.stderr, app.MsgNoSpace) {
		t.Fatalf("backup onto a full disk: exit %d, want 6 and the sentence\n%s", r.code, r.output())
	}
	if left, _ := os.ReadDir(stick); len(left) != 0 {
		t.Errorf("a failed backup left %d entries on the stick", len(left))
	}
}

func TestDoctorJSONOnASoundTerminal(t *testing.T) {
	cfg := terminalWithRecords(t, 1)
	r := gise(t, cfg, "", "doctor", "--json")
	var rep struct {
		OK     bool          `json:"ok"`
		Checks []checkResult `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, r.output())
	}
	byName := map[string]checkResult{}
	for _, c := range rep.Checks {
		byName[c.Name] = c
	}
	if r.code != 0 || !rep.OK || byName["database"].Status != checkOK || byName["key"].Status != checkOK ||
		byName["key"].Data["opens_database"] != true || byName["database"].Data["schema_version"] == nil {
		t.Fatalf("doctor on a sound terminal: %d\n%s", r.code, r.stdout)
	}
	for _, name := range []string{"database", "key", "disk", "clock", "printers", "central"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("doctor has no %s check", name)
		}
	}
}

// mountTiny mounts a tmpfs of the given size under t.TempDir() and skips
// the test where mounting is not allowed.
func mountTiny(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount: %v %s", err, out)
		}
	})
	return dir
}
