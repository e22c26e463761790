// Package keys holds the terminal key: the secret kept outside the database
// (a 0600 file under the data directory) that seals secrets and personal data
// at rest and keys the blind indexes used for exact lookups. A stolen
// database file without the key file yields nothing readable.
//
// The key file is text, one key a line after a header:
//
//	gise-terminal-key 1
//	1 <base64 of 32 random bytes>
//
// Each key has a one-byte id that every sealed value carries, so a later
// rotation can add a line, re-seal with the new key and still open what was
// sealed with the old one. The last line is the active key.
package keys

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kocasinan/gise/app"
)

// DefaultFileName is the key file's name inside the data directory.
const DefaultFileName = "terminal.key"

// KeySize is the size of a terminal key in bytes (AES-256).
const KeySize = 32

const header = "gise-terminal-key 1"

// DefaultPath returns the key file's path inside dataDir.
func DefaultPath(dataDir string) string { return filepath.Join(dataDir, DefaultFileName) }

// LoadOrCreate opens the key file at path, creating it with one fresh random
// key when it does not exist yet. Creation is atomic: the key is written to a
// temporary file in the same folder, synced, and linked into place, so a
// crash leaves either no key file or a whole one, and two processes starting
// at once end up with the same key. A key file readable by group or others is
// refused: fix its mode (chmod 600) rather than trust it. A terminal opens
// its key with LoadForStore, which calls this only when no database exists.
func LoadOrCreate(path string) (*Sealer, error) {
	s, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return s, err
	}
	if err := create(path); err != nil {
		return nil, err
	}
	return Load(path)
}

// LoadForStore opens the key of the database at dbPath, creating one only
// for a brand-new terminal: when no database exists yet. A key missing
// beside a database is never replaced (a new key would seal the records
// written meanwhile under a secret the real key cannot open, and the real
// key could no longer open them once put back): it is app.KeyMissing, and
// the terminal stops until the key is restored. A key file that exists but
// cannot be used (too open a mode, a bad line) is app.KeyUnreadable.
func LoadForStore(path, dbPath string) (*Sealer, error) {
	s, err := Load(path)
	switch {
	case err == nil:
		return s, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, app.KeyUnreadable(err)
	case DatabaseExists(dbPath):
		return nil, app.KeyMissing(err)
	}
	return LoadOrCreate(path)
}

// DatabaseExists reports whether a database with content is at dbPath (the
// file or its write-ahead log): then its key must not be made anew.
func DatabaseExists(dbPath string) bool {
	for _, p := range []string{dbPath, dbPath + "-wal"} {
		if info, err := os.Stat(p); err == nil && info.Size() > 0 {
			return true
		}
	}
	return false
}

// Load opens an existing key file. The error wraps fs.ErrNotExist when there
// is none.
func Load(path string) (*Sealer, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("terminal key: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("terminal key %s: mode %v lets others read it; run chmod 600 on it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("terminal key: %w", err)
	}
	s, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("terminal key %s: %w", path, err)
	}
	return s, nil
}

// Parse reads the text of a key file (what a key backup holds).
func Parse(b []byte) (*Sealer, error) {
	ring, err := parse(b)
	if err != nil {
		return nil, err
	}
	return newSealer(ring)
}

// parse reads the key file's lines into a key ring; the last key is active.
func parse(b []byte) ([]key, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != header {
		return nil, errors.New("not a Gişe key file (bad header)")
	}
	var ring []key
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		idText, b64, ok := strings.Cut(line, " ")
		id, err := strconv.ParseUint(idText, 10, 8)
		if !ok || err != nil || id == 0 {
			return nil, fmt.Errorf("bad key line %d", len(ring)+1)
		}
		k, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(k) != KeySize {
			return nil, fmt.Errorf("key %d: not %d bytes of base64", id, KeySize)
		}
		ring = append(ring, key{id: byte(id), secret: k})
	}
	if len(ring) == 0 {
		return nil, errors.New("no key in file")
	}
	return ring, sc.Err()
}

// create writes a new key file holding one random key with id 1.
func create(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create terminal key: %w", err)
	}
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return fmt.Errorf("create terminal key: %w", err)
	}
	body := header + "\n1 " + base64.StdEncoding.EncodeToString(secret) + "\n"
	tmp, err := os.CreateTemp(dir, ".terminal-key-*")
	if err != nil {
		return fmt.Errorf("create terminal key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSync(tmp, body); err != nil {
		return fmt.Errorf("create terminal key: %w", err)
	}
	// Link, not rename: it fails when another process made the file first,
	// and then that file (already complete) is the key.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create terminal key: %w", err)
	}
	return syncDir(dir)
}

func writeSync(f *os.File, body string) error {
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.WriteString(body); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// syncDir makes the new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("create terminal key: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("create terminal key: %w", err)
	}
	return nil
}
