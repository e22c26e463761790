package keys

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/kocasinan/gise/app"
)

// A key backup is the key file sealed under a passphrase, as text:
//
//	gise-key-backup 1
//	kdf argon2id t=3 m=65536 p=1
//	salt <base64 of 16 bytes>
//	fingerprint <the key ring's Fingerprint>
//	nonce <base64 of 24 bytes>
//	sealed <base64 of XChaCha20-Poly1305 ciphertext and tag>
//
// The passphrase gives the 32-byte sealing key through argon2id with the
// costs on the kdf line; every line above "sealed" is the AEAD's associated
// data, so a changed cost, salt or fingerprint does not open. The
// fingerprint is in the clear so that `gise backup` can tell whether a
// backup holds this terminal's key without asking for the passphrase.
const backupHeader = "gise-key-backup 1"

// BackupParams are argon2id's costs for a key backup: one derivation at
// backup and one at restore, so they can be far above a login's. 64 MiB × 3
// passes: OWASP's strongest argon2id row, about 0.2 s on the 2-core machine.
var BackupParams = struct {
	Time, Memory uint32
	Threads      uint8
}{Time: 3, Memory: 64 * 1024, Threads: 1}

// Messages of a key backup that cannot be used.
const (
	msgNotBackup   = "Bu dosya bir Gişe anahtar yedeği değil; gise key backup ile alınmış dosyayı verin."
	msgBadPassword = "Parola yanlış ya da anahtar yedeği bozuk; parolayı denetleyip tekrar deneyin."
)

// SealBackup seals the text of a key file under passphrase.
func SealBackup(keyFile []byte, passphrase string) ([]byte, error) {
	s, err := Parse(keyFile)
	if err != nil {
		return nil, fmt.Errorf("key backup: %w", err)
	}
	salt, nonce := make([]byte, 16), make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("key backup: %w", err)
	}
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("key backup: %w", err)
	}
	p := BackupParams
	head := fmt.Sprintf("%s\nkdf argon2id t=%d m=%d p=%d\nsalt %s\nfingerprint %s\nnonce %s\n", backupHeader,
		p.Time, p.Memory, p.Threads, b64(salt), s.Fingerprint(), b64(nonce))
	aead, err := chacha20poly1305.NewX(argon2.IDKey([]byte(passphrase), salt, p.Time, p.Memory, p.Threads, 32))
	if err != nil {
		return nil, fmt.Errorf("key backup: %w", err)
	}
	sealed := aead.Seal(nil, nonce, keyFile, []byte(head))
	return []byte(head + "sealed " + b64(sealed) + "\n"), nil
}

// sealedBackup is a key backup's lines, read but not opened.
type sealedBackup struct {
	head                string // the associated data: every line above "sealed"
	t, m                uint32
	p                   uint8
	salt, nonce, sealed []byte
	fingerprint         string
}

// BackupFingerprint returns the fingerprint a key backup declares, without
// opening it.
func BackupFingerprint(b []byte) (string, error) {
	sb, err := readBackup(b)
	if err != nil {
		return "", err
	}
	return sb.fingerprint, nil
}

// OpenBackup opens a key backup with passphrase and returns the key file's
// text and its sealer. A wrong passphrase and a changed file are the same
// EINVALID error: the AEAD cannot tell them apart.
func OpenBackup(b []byte, passphrase string) ([]byte, *Sealer, error) {
	sb, err := readBackup(b)
	if err != nil {
		return nil, nil, err
	}
	if sb.m > 1<<21 || sb.t > 100 || sb.p == 0 {
		return nil, nil, app.Errorf(app.EINVALID, msgNotBackup)
	}
	aead, err := chacha20poly1305.NewX(argon2.IDKey([]byte(passphrase), sb.salt, sb.t, sb.m, sb.p, 32))
	if err != nil {
		return nil, nil, fmt.Errorf("open key backup: %w", err)
	}
	keyFile, err := aead.Open(nil, sb.nonce, sb.sealed, []byte(sb.head))
	if err != nil {
		return nil, nil, &app.Error{Code: app.EINVALID, Message: msgBadPassword, Err: err}
	}
	s, err := Parse(keyFile)
	if err != nil {
		return nil, nil, &app.Error{Code: app.EINVALID, Message: msgNotBackup, Err: err}
	}
	return keyFile, s, nil
}

// readBackup parses a key backup's lines.
func readBackup(b []byte) (sealedBackup, error) {
	var sb sealedBackup
	bad := func(err error) (sealedBackup, error) {
		return sealedBackup{}, &app.Error{Code: app.EINVALID, Message: msgNotBackup, Err: err}
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	var head strings.Builder
	for sc.Scan() {
		name, val, _ := strings.Cut(sc.Text(), " ")
		var err error
		switch name {
		case "gise-key-backup":
			if val != "1" {
				err = errors.New("unknown version")
			}
		case "kdf":
			var n int
			n, err = fmt.Sscanf(val, "argon2id t=%d m=%d p=%d", &sb.t, &sb.m, &sb.p)
			if err == nil && n != 3 {
				err = errors.New("bad kdf line")
			}
		case "salt":
			sb.salt, err = base64.StdEncoding.DecodeString(val)
		case "fingerprint":
			sb.fingerprint = val
		case "nonce":
			sb.nonce, err = base64.StdEncoding.DecodeString(val)
		case "sealed":
			sb.sealed, err = base64.StdEncoding.DecodeString(val)
		default:
			err = fmt.Errorf("unknown line %q", name)
		}
		if err != nil {
			return bad(err)
		}
		if name == "sealed" {
			break
		}
		head.WriteString(sc.Text() + "\n")
	}
	sb.head = head.String()
	if !strings.HasPrefix(sb.head, backupHeader+"\n") || len(sb.salt) < 16 ||
		len(sb.nonce) != chacha20poly1305.NonceSizeX || len(sb.sealed) == 0 {
		return bad(errors.New("incomplete key backup"))
	}
	return sb, nil
}

// ReadFile returns the text of the key file at path and its sealer, with
// Load's checks (owner-only mode, a valid ring).
func ReadFile(path string) ([]byte, *Sealer, error) {
	s, err := Load(path)
	if err != nil {
		return nil, nil, err
	}
	b, err := os.ReadFile(path)
	return b, s, err
}

// Install writes keyFile as the key file at path, owner-only (0600), in
// place of what is there: a temporary file in the same folder, synced, then
// renamed, so a crash leaves the old file or the new one.
func Install(path string, keyFile []byte) error {
	if _, err := Parse(keyFile); err != nil {
		return fmt.Errorf("install terminal key: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("install terminal key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".terminal-key-*")
	if err != nil {
		return fmt.Errorf("install terminal key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSync(tmp, string(keyFile)); err != nil {
		return fmt.Errorf("install terminal key: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("install terminal key: %w", err)
	}
	return syncDir(dir)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
