package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
)

func init() {
	subcommands["key"] = subcommand{summary: "back up the terminal key under a passphrase, or restore it (key backup --out FILE | key restore --from FILE)", run: runKey}
}

// MinPassphraseLength is the fewest characters of a key backup's
// passphrase: more than a login's, because a stolen backup can be guessed
// at offline for as long as the thief likes (argon2id slows each guess,
// only length makes them many).
const MinPassphraseLength = 16

// Messages of the key commands.
const (
	msgPassphraseShort    = "Parola en az 16 karakter olmalı; birkaç kelimeden oluşan uzun bir cümle seçin."
	msgPassphraseMismatch = "İki parola aynı değil; tekrar deneyin."
	msgNoKeyToBackup      = "Yedeklenecek terminal anahtarı yok; önce programı bir kez başlatın ya da anahtarı geri yükleyin."
	msgOutExists          = "Hedef dosya zaten var; üzerine yazılmaz. Başka bir ad verin ya da eskisini kaldırın."
	msgBackupKeyWrong     = "Yedekteki anahtar bu terminalin veritabanını açmıyor: başka bir terminalin ya da başka bir kurulumun yedeği. Hiçbir dosya değiştirilmedi; bu terminalin anahtar yedeğini verin."
)

func runKey(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "backup":
			return runKeyBackup(cfg, args[1:])
		case "restore":
			return runKeyRestore(ctx, cfg, args[1:])
		}
	}
	return fmt.Errorf("usage: gise key backup --out FILE | gise key restore --from FILE")
}

func runKeyBackup(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("key backup", flag.ContinueOnError)
	out := fs.String("out", "", "file to write the sealed key to (e.g. on a USB stick)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("key backup: --out FILE is required")
	}
	fp, err := writeKeyBackup(cfg, *out)
	if err != nil {
		return err
	}
	fmt.Printf("Anahtar yedeği yazıldı: %s (parmak izi %s).\nParolayı yedeğin durduğu yerden ayrı saklayın: ikisi birlikte bu terminalin bütün kayıtlarını açar.\n", *out, fp)
	return nil
}

// writeKeyBackup seals the terminal key under a passphrase asked twice and
// writes it to out (owner-only, never over an existing file); it returns
// the key's fingerprint.
func writeKeyBackup(cfg config.Config, out string) (string, error) {
	text, s, err := keys.ReadFile(keys.DefaultPath(cfg.DataDir))
	if errors.Is(err, fs.ErrNotExist) && keys.DatabaseExists(cfg.DatabasePath()) {
		return "", app.KeyMissing(err)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "", app.Errorf(app.EKEY, msgNoKeyToBackup)
	}
	if err != nil {
		return "", app.KeyUnreadable(err)
	}
	pass, err := newPassphrase()
	if err != nil {
		return "", err
	}
	sealed, err := keys.SealBackup(text, pass)
	if err != nil {
		return "", err
	}
	return s.Fingerprint(), noSpace(writeNew(out, sealed))
}

// writeNew writes b to a file that must not exist yet, owner-only, synced:
// a temporary file in the same folder, then renamed into place without
// replacing anything, so that a failed write (a full USB stick, a pulled
// stick) leaves no file, never a cut one.
func writeNew(path string, b []byte) error {
	if _, err := os.Lstat(path); err == nil {
		return app.Errorf(app.EINVALID, msgOutExists)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = writeSynced(f, b)
	if err == nil {
		err = renameNoReplace(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // some file systems (vfat) cannot sync a folder
		d.Close()
	}
	return nil
}

// writeSynced writes b to f, owner-only, synced, and closes it.
func writeSynced(f *os.File, b []byte) error {
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// renameNoReplace renames from to to, failing when to exists; where the
// file system has no such rename, it checks first and renames.
func renameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		if _, err := os.Lstat(to); err == nil {
			return app.Errorf(app.EINVALID, msgOutExists)
		}
		return os.Rename(from, to)
	}
	if errors.Is(err, unix.EEXIST) {
		return app.Errorf(app.EINVALID, msgOutExists)
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

func runKeyRestore(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("key restore", flag.ContinueOnError)
	from := fs.String("from", "", "the key backup written by gise key backup")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("key restore: --from FILE is required")
	}
	b, err := os.ReadFile(*from)
	if err != nil {
		return fmt.Errorf("key restore: %w", err)
	}
	pass, err := readPassphrase("Anahtar yedeğinin parolası: ")
	if err != nil {
		return err
	}
	text, s, err := keys.OpenBackup(b, pass)
	if err != nil {
		return err
	}
	msg, err := installKey(ctx, cfg, text, s, cfg.DatabasePath())
	if err != nil {
		return err
	}
	fmt.Println(msg)
	return nil
}

// installKey puts a key back as the terminal key once it is shown to open
// the database at db (a key that opens nothing there is refused and
// nothing is changed), with no store open. A different key file already in
// place is kept beside it, renamed. It returns what it did, in Turkish.
func installKey(ctx context.Context, cfg config.Config, text []byte, s *keys.Sealer, db string) (string, error) {
	opened := false
	if keys.DatabaseExists(db) {
		var err error
		if opened, err = sqlite.CheckKey(ctx, db, s); app.ErrorCode(err) == app.EKEY {
			return "", &app.Error{Code: app.EKEY, Message: msgBackupKeyWrong, Err: err}
		} else if err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("key restore: %w", err)
	}
	unlock, err := sqlite.LockExclusive(cfg.DatabasePath())
	if err != nil {
		return "", err
	}
	defer unlock()
	path := keys.DefaultPath(cfg.DataDir)
	if cur, err := keys.Load(path); err == nil && cur.Fingerprint() == s.Fingerprint() {
		return "Anahtar zaten yerinde (parmak izi " + s.Fingerprint() + "); hiçbir şey değişmedi.", nil
	}
	aside := ""
	if _, err := os.Stat(path); err == nil {
		aside = path + ".replaced-" + time.Now().Format("20060102-150405")
		if err := os.Rename(path, aside); err != nil {
			return "", fmt.Errorf("key restore: %w", err)
		}
	}
	if err := keys.Install(path, text); err != nil {
		return "", err
	}
	msg := "Anahtar geri yüklendi: " + path + " (parmak izi " + s.Fingerprint() + ")."
	switch {
	case opened:
		msg += " Veritabanının kayıtlarını açtığı denetlendi."
	case keys.DatabaseExists(db):
		msg += " Veritabanında henüz mühürlü kayıt yok; anahtar onunla denetlenemedi."
	}
	if aside != "" {
		msg += " Yerindeki eski anahtar silinmedi: " + filepath.Base(aside) + "."
	}
	return msg, nil
}

// newPassphrase asks for a new passphrase twice (once from a pipe) and
// checks its strength.
func newPassphrase() (string, error) {
	p, err := readPassphrase("Anahtar yedeği için parola: ")
	if err != nil {
		return "", err
	}
	if isTerminal(os.Stdin) {
		again, err := readPassphrase("Parolayı tekrar yazın: ")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", app.Errorf(app.EINVALID, msgPassphraseMismatch)
		}
	}
	if utf8.RuneCountInString(p) < MinPassphraseLength {
		return "", app.Errorf(app.EINVALID, msgPassphraseShort)
	}
	return p, auth.PasswordPolicy{IsCommon: assets.IsCommonPassword}.Check("", p)
}

// stdin is standard input read line by line, shared by every question of
// one command (a script may pipe several answers).
var stdin = bufio.NewReader(os.Stdin)

// readPassphrase asks for a passphrase on the terminal without echo, or
// reads one line from standard input when it is not a terminal (scripts).
func readPassphrase(prompt string) (string, error) {
	if !isTerminal(os.Stdin) {
		line, err := stdin.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return "", fmt.Errorf("passphrase: nothing on standard input")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(os.Stderr, prompt)
	fd := int(os.Stdin.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", fmt.Errorf("passphrase: %w", err)
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return "", fmt.Errorf("passphrase: %w", err)
	}
	line, err := stdin.ReadString('\n')
	_ = unix.IoctlSetTermios(fd, unix.TCSETS, old)
	fmt.Fprintln(os.Stderr)
	if err != nil && line == "" {
		return "", fmt.Errorf("passphrase: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
