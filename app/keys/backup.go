package keys

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
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
//	check <key id> <base64 of HMAC-SHA-256 over every line above>
//
// The passphrase gives the 32-byte sealing key through argon2id with the
// costs on the kdf line; every line above "sealed" is the AEAD's associated
// data, so a changed cost, salt or fingerprint does not open. The
// fingerprint is in the clear so that `gise backup` can tell whether a
// backup holds this terminal's key without asking for the passphrase.
//
// The check line (version 2) is a MAC over the whole text above it, keyed
// by a subkey of the terminal key ("gise key backup check v1"), so that
// `gise backup --key-backup` can tell a whole backup from a damaged or cut
// one without the passphrase. Version 1 files have no check line; they
// still open, and VerifyBackup says they could not be checked.
const (
	backupHeader   = "gise-key-backup 2"
	backupHeaderV1 = "gise-key-backup 1"
	checkLabel     = "gise key backup check v1"
)

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
	msgBadParams   = "Anahtar yedeğinin argon2id değerleri geçersiz: dosya bozuk ya da değiştirilmiş. Başka bir anahtar yedeği deneyin."
	msgBadCheck    = "Anahtar yedeği bozuk ya da eksik (doğrulama kodu tutmuyor); yarım kalmış bir kopya olabilir. Anahtar yedeğini yeniden alın."
)

// Bounds of a key backup's argon2id costs when it is opened: a damaged or
// crafted kdf line must neither crash (t=0 panics in argon2) nor stall the
// terminal (m is memory in KiB, allocated at once).
const (
	maxBackupTime    = 100
	maxBackupThreads = 8
)

// maxBackupMemory is the most memory (KiB) a key backup may ask for: four
// times today's cost, room for a later raise.
func maxBackupMemory() uint32 { return 4 * BackupParams.Memory }

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
	body := head + "sealed " + b64(aead.Seal(nil, nonce, keyFile, []byte(head))) + "\n"
	id := s.ActiveKeyID()
	mac, err := backupMAC(s, id, []byte(body))
	if err != nil {
		return nil, fmt.Errorf("key backup: %w", err)
	}
	return []byte(body + fmt.Sprintf("check %d %s\n", id, b64(mac))), nil
}

// backupMAC is the check line's MAC of body under key id's subkey.
func backupMAC(s *Sealer, id byte, body []byte) ([]byte, error) {
	k, err := s.Subkey(id, checkLabel)
	if err != nil {
		return nil, err
	}
	h := hmac.New(sha256.New, k)
	h.Write(body)
	return h.Sum(nil), nil
}

// VerifyBackup checks a key backup's check line with the terminal's key,
// without the passphrase: true when it holds, false (and nil) for a
// version 1 backup, which has none; EINVALID when the file is damaged,
// cut short, or was not made with this key.
func VerifyBackup(b []byte, s *Sealer) (bool, error) {
	sb, err := readBackup(b)
	if err != nil {
		return false, err
	}
	if sb.version == 1 {
		return false, nil
	}
	want, err := backupMAC(s, sb.checkID, b[:sb.bodyLen])
	if err != nil || !hmac.Equal(want, sb.check) {
		return false, &app.Error{Code: app.EINVALID, Message: msgBadCheck, Err: err}
	}
	return true, nil
}

// sealedBackup is a key backup's lines, read but not opened.
type sealedBackup struct {
	head                string // the associated data: every line above "sealed"
	t, m                uint32
	p                   uint8
	salt, nonce, sealed []byte
	fingerprint         string
	version             int
	bodyLen             int    // bytes up to and with the sealed line: what check covers
	checkID             byte   // version 2: the key whose subkey made check
	check               []byte // version 2: the MAC
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
	if sb.t < 1 || sb.t > maxBackupTime || sb.m < 8*uint32(sb.p) || sb.m > maxBackupMemory() ||
		sb.p < 1 || sb.p > maxBackupThreads {
		return nil, nil, app.Errorf(app.EINVALID, msgBadParams)
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

// readBackup parses a key backup's lines: version 1 ends at the sealed
// line; version 2 has one check line after it and nothing more.
func readBackup(b []byte) (sealedBackup, error) {
	var sb sealedBackup
	bad := func(err error) (sealedBackup, error) {
		return sealedBackup{}, &app.Error{Code: app.EINVALID, Message: msgNotBackup, Err: err}
	}
	var head strings.Builder
	rest := b
	for len(rest) > 0 && sb.sealed == nil {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok && sb.version == 2 {
			return bad(errors.New("key backup cut short"))
		}
		rest = after
		name, val, _ := strings.Cut(string(line), " ")
		if err := sb.readLine(name, val); err != nil {
			return bad(err)
		}
		if name != "sealed" {
			head.WriteString(string(line) + "\n")
		}
	}
	sb.head, sb.bodyLen = head.String(), len(b)-len(rest)
	if sb.version == 0 || len(sb.salt) < 16 || len(sb.nonce) != chacha20poly1305.NonceSizeX || len(sb.sealed) == 0 {
		return bad(errors.New("incomplete key backup"))
	}
	if sb.version == 2 {
		if err := sb.readCheck(rest); err != nil {
			return bad(err)
		}
	}
	return sb, nil
}

// readLine reads one line above the check line into sb.
func (sb *sealedBackup) readLine(name, val string) error {
	var err error
	switch {
	case name == "gise-key-backup" && sb.version == 0:
		sb.version = map[string]int{"1": 1, "2": 2}[val]
		if sb.version == 0 {
			err = errors.New("unknown version")
		}
	case sb.version == 0:
		err = errors.New("no header")
	case name == "kdf":
		var n int
		n, err = fmt.Sscanf(val, "argon2id t=%d m=%d p=%d", &sb.t, &sb.m, &sb.p)
		if err == nil && n != 3 {
			err = errors.New("bad kdf line")
		}
	case name == "salt":
		sb.salt, err = base64.StdEncoding.DecodeString(val)
	case name == "fingerprint":
		sb.fingerprint = val
	case name == "nonce":
		sb.nonce, err = base64.StdEncoding.DecodeString(val)
	case name == "sealed":
		sb.sealed, err = base64.StdEncoding.DecodeString(val)
		if err == nil && sb.sealed == nil {
			sb.sealed = []byte{}
		}
	default:
		err = fmt.Errorf("unknown line %q", name)
	}
	return err
}

// readCheck reads a version 2 backup's last line: "check <id> <MAC>\n".
func (sb *sealedBackup) readCheck(rest []byte) error {
	var id int
	var mac string
	line, ok := bytes.CutSuffix(rest, []byte("\n"))
	if n, err := fmt.Sscanf(string(line), "check %d %s", &id, &mac); !ok || err != nil || n != 2 || id < 1 || id > 255 ||
		string(line) != fmt.Sprintf("check %d %s", id, mac) {
		return errors.New("key backup cut short: no check line")
	}
	var err error
	sb.checkID = byte(id)
	sb.check, err = base64.StdEncoding.DecodeString(mac)
	if err == nil && len(sb.check) != sha256.Size {
		err = errors.New("bad check line")
	}
	return err
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
