package keys

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// AddKey is the first half of a key rotation: it appends a fresh random key
// to the key file at path, which becomes the active key for new seals, while
// the older keys stay to open what they sealed. The file is replaced
// atomically (temporary file, sync, rename), so a crash leaves the old file
// or the new one. The rotation run then re-seals every value for which
// NeedsReseal is true (see Reseal) and recomputes blind indexes; removing an
// old key from the file is a later, manual step once nothing needs it.
func AddKey(path string) (*Sealer, error) {
	if _, err := Load(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("add key: %w", err)
	}
	ring, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("add key: %w", err)
	}
	next := int(ring[len(ring)-1].id) + 1
	if next > 255 {
		return nil, fmt.Errorf("add key: key ids exhausted; remove old keys first")
	}
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("add key: %w", err)
	}
	body := string(b)
	if len(body) > 0 && body[len(body)-1] != '\n' {
		body += "\n"
	}
	body += strconv.Itoa(next) + " " + base64.StdEncoding.EncodeToString(secret) + "\n"
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".terminal-key-*")
	if err != nil {
		return nil, fmt.Errorf("add key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSync(tmp, body); err != nil {
		return nil, fmt.Errorf("add key: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("add key: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	return Load(path)
}

// Reseal opens a value sealed with any key of the ring and seals it again
// with the active key, for the same record and column.
func (s *Sealer) Reseal(recordID, column string, sealed []byte) ([]byte, error) {
	plain, err := s.Open(recordID, column, sealed)
	if err != nil {
		return nil, err
	}
	return s.Seal(recordID, column, plain)
}
