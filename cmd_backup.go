package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
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
	m, text, s, err := checkBackup(ctx, *from)
	if err != nil {
		return err
	}
	aside, err := restoreBackup(ctx, cfg, *from, text, s)
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
func checkBackup(ctx context.Context, dir string) (manifest, []byte, *keys.Sealer, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, backupManifest))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	sealedKey, kerr := os.ReadFile(filepath.Join(dir, backupKeyName))
	if _, serr := os.Stat(filepath.Join(dir, backupDBName)); err != nil || kerr != nil || serr != nil {
		return m, nil, nil, &app.Error{Code: app.EINVALID, Message: msgNotABackup, Err: errors.Join(err, kerr, serr)}
	}
	if _, err := sqlite.Inspect(ctx, filepath.Join(dir, backupDBName), true); err != nil {
		return m, nil, nil, err
	}
	pass, err := readPassphrase("Yedekteki anahtarın parolası: ")
	if err != nil {
		return m, nil, nil, err
	}
	text, s, err := keys.OpenBackup(sealedKey, pass)
	if err != nil {
		return m, nil, nil, err
	}
	if _, err := sqlite.CheckKey(ctx, filepath.Join(dir, backupDBName), s); err != nil {
		if app.ErrorCode(err) == app.EKEY {
			return m, nil, nil, &app.Error{Code: app.EKEY, Message: msgCopyKeyWrong, Err: err}
		}
		return m, nil, nil, err
	}
	return m, text, s, nil
}

// stagingPrefix begins the name of the folder, in the data directory, where
// a restore puts the backup's files before any of the terminal's is moved.
const stagingPrefix = ".restoring-"

// rename is os.Rename; a test replaces it to make one step fail.
var rename = os.Rename

// move is one rename done by a restore, to undo it.
type move struct{ from, to string }

// restoreBackup puts a checked backup in place under the exclusive lock.
// First everything is staged in the data directory (the database copy,
// the key, the attachments) and the staged copy is checked again (its
// integrity, and that the key opens it), so a full disk or a damaged copy
// changes nothing. Only then are the terminal's files moved aside (never
// deleted) into before-restore-… and the staged ones renamed in; when a
// rename fails, every move is undone. It returns the folder that holds the
// old files ("" when there were none).
func restoreBackup(ctx context.Context, cfg config.Config, from string, keyText []byte, s *keys.Sealer) (string, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	unlock, err := sqlite.LockExclusive(cfg.DatabasePath())
	if err != nil {
		return "", err
	}
	defer unlock()
	if err := removeStaged(cfg); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	stage, err := os.MkdirTemp(cfg.DataDir, stagingPrefix)
	if err != nil {
		return "", noSpace(fmt.Errorf("restore: %w", err))
	}
	defer os.RemoveAll(stage)
	if err := stageBackup(ctx, from, stage, keyText, s); err != nil {
		return "", noSpace(err)
	}
	aside, old, err := moveAside(cfg)
	if err == nil {
		var in []move
		if in, err = moveIn(cfg, stage); err != nil {
			undo(in)
		}
	}
	if err != nil {
		undo(old)
		os.Remove(aside) // only when empty
		return "", fmt.Errorf("restore: %w", err)
	}
	return aside, syncDir(cfg.DataDir)
}

// removeStaged removes what an interrupted restore left in the data
// directory: staging folders, and the copy older versions wrote beside the
// database. The caller holds the exclusive lock, so no restore is running.
func removeStaged(cfg config.Config) error {
	stale, _ := filepath.Glob(filepath.Join(cfg.DataDir, stagingPrefix+"*"))
	stale = append(stale, cfg.DatabasePath()+".restoring")
	for _, p := range stale {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// stageBackup copies the backup's database, key and attachments into
// stage and checks the copy there: integrity_check, and that the key
// opens it.
func stageBackup(ctx context.Context, from, stage string, keyText []byte, s *keys.Sealer) error {
	db := filepath.Join(stage, backupDBName)
	if err := copyFile(filepath.Join(from, backupDBName), db); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := keys.Install(keys.DefaultPath(stage), keyText); err != nil {
		return err
	}
	if _, err := copyTree(filepath.Join(from, attachmentsDir), filepath.Join(stage, attachmentsDir)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := sqlite.Inspect(ctx, db, true); err != nil {
		return err
	}
	if _, err := sqlite.CheckKey(ctx, db, s); err != nil {
		if app.ErrorCode(err) == app.EKEY {
			return &app.Error{Code: app.EKEY, Message: msgCopyKeyWrong, Err: err}
		}
		return err
	}
	return nil
}

// terminalFiles are the data directory's entries a restore replaces.
func terminalFiles(cfg config.Config) []string {
	db := cfg.DatabasePath()
	return []string{db, db + "-wal", db + "-shm", keys.DefaultPath(cfg.DataDir), filepath.Join(cfg.DataDir, attachmentsDir)}
}

// moveAside moves the database (with its WAL), the key and the attachments
// into a new folder of the data directory and returns it with the moves
// made (also when one failed, to undo them).
func moveAside(cfg config.Config) (string, []move, error) {
	aside := filepath.Join(cfg.DataDir, "before-restore-"+time.Now().Format("20060102-150405"))
	var moves []move
	for _, p := range terminalFiles(cfg) {
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		if moves == nil {
			if err := os.Mkdir(aside, 0o700); err != nil {
				return "", nil, err
			}
		}
		m := move{p, filepath.Join(aside, filepath.Base(p))}
		if err := rename(m.from, m.to); err != nil {
			return aside, moves, err
		}
		moves = append(moves, m)
	}
	if moves == nil {
		return "", nil, nil
	}
	return aside, moves, nil
}

// moveIn renames the staged files into the data directory and returns
// the moves made (also when one failed, to undo them).
func moveIn(cfg config.Config, stage string) ([]move, error) {
	var moves []move
	for _, p := range terminalFiles(cfg) {
		m := move{filepath.Join(stage, filepath.Base(p)), p}
		if _, err := os.Lstat(m.from); err != nil {
			continue
		}
		if err := rename(m.from, m.to); err != nil {
			return moves, err
		}
		moves = append(moves, m)
	}
	return moves, nil
}

// undo reverses moves, newest first, and logs one it cannot reverse.
func undo(moves []move) {
	for i := len(moves) - 1; i >= 0; i-- {
		if err := os.Rename(moves[i].to, moves[i].from); err != nil {
			slog.Error("restore: cannot move a file back", "from", moves[i].to, "to", moves[i].from, "err", err)
		}
	}
}

// syncDir makes the data directory's new entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
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
