package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
)

func init() {
	subcommands["backup"] = subcommand{summary: "copy the database, the sealed key and the attachments to DIR/backup-…, keeping the last N (--out DIR)", run: runBackup}
	subcommands["restore"] = subcommand{summary: "bring back a backup made by gise backup (--from DIR/backup-…), with no kiosk running", run: runRestore}
}

// A backup is one folder, DIR/backup-YYYYMMDD-HHMMSS, written as
// DIR/.backup-…-partial and renamed when whole, so a folder named backup-…
// is always complete:
//
//	gise.db              VACUUM INTO copy, integrity-checked, opened with the key
//	terminal.key.backup  the key sealed under a passphrase (gise key backup)
//	attachments/         the sealed attachment files
//	manifest.json        what the folder holds (backupManifest)
const (
	backupPrefix   = "backup-"
	backupDBName   = "gise.db"
	backupKeyName  = "terminal.key.backup"
	backupManifest = "manifest.json"
	attachmentsDir = "attachments"
)

// Messages of backup and restore.
const (
	msgNothingToBackup    = "Yedeklenecek veritabanı yok: bu veri klasöründe henüz kayıt yapılmamış."
	msgKeyBackupOther     = "Verilen anahtar yedeği bu terminalin anahtarının değil (parmak izleri farklı); bu terminalde gise key backup ile alınmış yedeği verin."
	msgNotABackup         = "Bu klasör bir Gişe yedeği değil ya da eksik; gise backup ile alınmış backup-… klasörünü verin."
	msgKeyBackupUnchecked = "Not: verilen anahtar yedeği eski biçimde (doğrulama kodu yok); bütün olduğu parolasız denetlenemedi. gise key backup ile yeni bir anahtar yedeği alın."
	msgCopyKeyWrong       = "Yedekteki anahtar yedekteki veritabanını açmıyor; bu yedek kullanılamaz. Hiçbir dosya değiştirilmedi; başka bir yedek deneyin ve bilgi işlem birimine haber verin."
)

// manifest describes a backup folder.
type manifest struct {
	Created        time.Time `json:"created"`
	TerminalID     string    `json:"terminal_id"`
	SchemaVersion  int       `json:"schema_version"`
	KeyFingerprint string    `json:"key_fingerprint"`
	Attachments    int       `json:"attachments"`
}

func runBackup(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "folder that holds the backups (e.g. a USB stick)")
	keep := fs.Int("keep", 7, "how many backups to keep in the folder; older ones are removed")
	keyBackup := fs.String("key-backup", "", "reuse this key backup (gise key backup) instead of asking for a passphrase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *keep < 1 {
		return fmt.Errorf("backup: --out DIR is required and --keep at least 1")
	}
	dir, m, checked, err := makeBackup(ctx, cfg, *out, *keyBackup)
	if err != nil {
		return err
	}
	removed, err := pruneBackups(*out, *keep, filepath.Base(dir))
	fmt.Printf("Yedek alındı: %s (şema %d, %d ek, anahtar parmak izi %s).\n", dir, m.SchemaVersion, m.Attachments, m.KeyFingerprint)
	if !checked {
		fmt.Println(msgKeyBackupUnchecked)
	}
	if len(removed) > 0 {
		fmt.Printf("Son %d yedek tutuldu; silinenler: %s\n", *keep, strings.Join(removed, ", "))
	}
	return err
}

// makeBackup writes one backup folder under out and returns its path, and
// whether the sealed key in it was checked whole (false only for an older
// key backup given with --key-backup, which has no check line).
func makeBackup(ctx context.Context, cfg config.Config, out, keyBackup string) (string, manifest, bool, error) {
	var m manifest
	if !keys.DatabaseExists(cfg.DatabasePath()) {
		return "", m, false, app.Errorf(app.ENOTFOUND, msgNothingToBackup)
	}
	sealer, err := loadKey(cfg)
	if err != nil {
		return "", m, false, err
	}
	sealedKey, checked, err := backupKey(cfg, sealer, keyBackup)
	if err != nil {
		return "", m, false, err
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return "", m, false, fmt.Errorf("backup: %w", err)
	}
	// Milliseconds: two backups within a second (a script, a test) do not
	// collide, and the names still sort by time. UTC: a change of time
	// zone or summer time does not reorder them.
	name := backupPrefix + time.Now().UTC().Format("20060102-150405.000")
	partial := filepath.Join(out, "."+name+"-partial")
	if err := os.Mkdir(partial, 0o700); err != nil {
		return "", m, false, fmt.Errorf("backup: %w", err)
	}
	m, err = fillBackup(ctx, cfg, partial, sealer, sealedKey)
	if err == nil {
		err = writeNew(filepath.Join(partial, backupManifest), mustJSON(m))
	}
	if err == nil {
		err = os.Rename(partial, filepath.Join(out, name))
	}
	if err != nil {
		os.RemoveAll(partial)
		return "", m, false, noSpace(err)
	}
	return filepath.Join(out, name), m, checked, nil
}

// backupKey returns the sealed key for a backup: the given key backup when
// it holds this terminal's key and its check line (a MAC under a subkey of
// the key) holds, else a new one under a passphrase asked now. checked is
// false for an older key backup, which has no check line.
func backupKey(cfg config.Config, sealer *keys.Sealer, keyBackup string) (sealed []byte, checked bool, err error) {
	if keyBackup == "" {
		text, _, err := keys.ReadFile(keys.DefaultPath(cfg.DataDir))
		if err != nil {
			return nil, false, app.KeyUnreadable(err)
		}
		pass, err := newPassphrase()
		if err != nil {
			return nil, false, err
		}
		sealed, err := keys.SealBackup(text, pass)
		return sealed, true, err
	}
	b, err := os.ReadFile(keyBackup)
	if err != nil {
		return nil, false, fmt.Errorf("backup: %w", err)
	}
	fp, err := keys.BackupFingerprint(b)
	if err != nil {
		return nil, false, err
	}
	if fp != sealer.Fingerprint() {
		return nil, false, app.Errorf(app.EKEY, msgKeyBackupOther)
	}
	checked, err = keys.VerifyBackup(b, sealer)
	return b, checked, err
}

// fillBackup writes the database copy, the sealed key and the attachments
// into dir, and checks that the key opens the copy.
func fillBackup(ctx context.Context, cfg config.Config, dir string, sealer *keys.Sealer, sealedKey []byte) (manifest, error) {
	m := manifest{Created: time.Now().UTC().Truncate(time.Second), TerminalID: cfg.TerminalID, KeyFingerprint: sealer.Fingerprint()}
	copyPath := filepath.Join(dir, backupDBName)
	r, err := sqlite.BackupTo(ctx, cfg.DatabasePath(), copyPath)
	if err != nil {
		return m, err
	}
	m.SchemaVersion = r.SchemaVersion
	if _, err := sqlite.CheckKey(ctx, copyPath, sealer); err != nil {
		return m, err
	}
	if err := writeNew(filepath.Join(dir, backupKeyName), sealedKey); err != nil {
		return m, err
	}
	// After the copy: every attachment the copy names was synced before
	// its row committed, so it is there now.
	m.Attachments, err = copyTree(filepath.Join(cfg.DataDir, attachmentsDir), filepath.Join(dir, attachmentsDir))
	return m, err
}

// pruneBackups removes the oldest complete backups in out beyond keep and
// returns their names; the backup named justMade is never removed, even
// when it sorts first (a clock that was fast gave the others later names).
func pruneBackups(out string, keep int, justMade string) ([]string, error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), backupPrefix) && e.Name() != justMade {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var removed []string
	for len(names) > keep-1 {
		if err := os.RemoveAll(filepath.Join(out, names[0])); err != nil {
			return removed, err
		}
		removed, names = append(removed, names[0]), names[1:]
	}
	return removed, nil
}

func runRestore(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	from := fs.String("from", "", "a backup folder made by gise backup (DIR/backup-…)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("restore: --from DIR/backup-… is required")
	}
	m, text, err := checkBackup(ctx, *from)
	if err != nil {
		return err
	}
	aside, err := restoreBackup(cfg, *from, text)
	if err != nil {
		return err
	}
	fmt.Printf("Yedek geri yüklendi: %s (%s tarihli, şema %d, %d ek, anahtar parmak izi %s).\n",
		*from, m.Created.Local().Format("02.01.2006 15:04"), m.SchemaVersion, m.Attachments, m.KeyFingerprint)
	if aside != "" {
		fmt.Printf("Yerindeki eski dosyalar silinmedi: %s\n", aside)
	}
	return nil
}

// checkBackup reads a backup folder, opens its key with the passphrase and
// checks the copy (integrity_check, and that the key opens it) before
// anything on the terminal is touched. It returns the manifest and the
// key file's text.
func checkBackup(ctx context.Context, dir string) (manifest, []byte, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, backupManifest))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	sealedKey, kerr := os.ReadFile(filepath.Join(dir, backupKeyName))
	if _, serr := os.Stat(filepath.Join(dir, backupDBName)); err != nil || kerr != nil || serr != nil {
		return m, nil, &app.Error{Code: app.EINVALID, Message: msgNotABackup, Err: errors.Join(err, kerr, serr)}
	}
	if _, err := sqlite.Inspect(ctx, filepath.Join(dir, backupDBName), true); err != nil {
		return m, nil, err
	}
	pass, err := readPassphrase("Yedekteki anahtarın parolası: ")
	if err != nil {
		return m, nil, err
	}
	text, s, err := keys.OpenBackup(sealedKey, pass)
	if err != nil {
		return m, nil, err
	}
	if _, err := sqlite.CheckKey(ctx, filepath.Join(dir, backupDBName), s); err != nil {
		if app.ErrorCode(err) == app.EKEY {
			return m, nil, &app.Error{Code: app.EKEY, Message: msgCopyKeyWrong, Err: err}
		}
		return m, nil, err
	}
	return m, text, nil
}

// restoreBackup puts a checked backup in place under the exclusive lock:
// the terminal's files are moved aside (never deleted) into
// before-restore-…, then the copy, the key and the attachments go in. It
// returns the folder that holds the old files ("" when there were none).
func restoreBackup(cfg config.Config, from string, keyText []byte) (string, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	unlock, err := sqlite.LockExclusive(cfg.DatabasePath())
	if err != nil {
		return "", err
	}
	defer unlock()
	aside, err := moveAside(cfg)
	if err != nil {
		return aside, err
	}
	db := cfg.DatabasePath()
	if err := copyFile(filepath.Join(from, backupDBName), db+".restoring"); err != nil {
		return aside, noSpace(err)
	}
	if err := os.Rename(db+".restoring", db); err != nil {
		return aside, fmt.Errorf("restore: %w", err)
	}
	if err := keys.Install(keys.DefaultPath(cfg.DataDir), keyText); err != nil {
		return aside, err
	}
	_, err = copyTree(filepath.Join(from, attachmentsDir), filepath.Join(cfg.DataDir, attachmentsDir))
	return aside, noSpace(err)
}

// moveAside moves the database (with its WAL), the key and the attachments
// into a new folder of the data directory.
func moveAside(cfg config.Config) (string, error) {
	db := cfg.DatabasePath()
	names := []string{db, db + "-wal", db + "-shm", keys.DefaultPath(cfg.DataDir), filepath.Join(cfg.DataDir, attachmentsDir)}
	aside := filepath.Join(cfg.DataDir, "before-restore-"+time.Now().Format("20060102-150405"))
	made := false
	for _, p := range names {
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		if !made {
			if err := os.Mkdir(aside, 0o700); err != nil {
				return "", fmt.Errorf("restore: %w", err)
			}
			made = true
		}
		if err := os.Rename(p, filepath.Join(aside, filepath.Base(p))); err != nil {
			return aside, fmt.Errorf("restore: %w", err)
		}
	}
	if !made {
		return "", nil
	}
	return aside, nil
}

// copyTree copies the regular files under src to dst (created 0700, files
// 0600, each synced) and returns how many; a missing src copies nothing.
func copyTree(src, dst string) (int, error) {
	n := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == src {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		n++
		return copyFile(path, filepath.Join(dst, rel))
	})
	return n, err
}

// copyFile copies src to a new file dst, owner-only, synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// noSpace gives a full disk its own sentence.
func noSpace(err error) error {
	var ae *app.Error
	if err != nil && !errors.As(err, &ae) && errors.Is(err, syscall.ENOSPC) {
		return app.NoSpace(err)
	}
	return err
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}
