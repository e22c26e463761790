package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"
)

// FormatV1 is the first byte of every value sealed by this version:
// FormatV1 ‖ key id ‖ 12-byte nonce ‖ AES-256-GCM ciphertext and tag.
const FormatV1 = 1

// Overhead is how many bytes sealing adds to a plaintext.
const Overhead = 2 + 12 + 16

// ErrOpen is returned (wrapped) when a sealed value cannot be opened: it was
// changed, it belongs to another record or column, or its key is missing.
var ErrOpen = errors.New("sealed value cannot be opened")

// key is one terminal key of the ring.
type key struct {
	id     byte
	secret []byte
}

// sub is what one terminal key derives: an AEAD for sealing and an HMAC key
// for blind indexes. Neither use sees the terminal key itself.
type sub struct {
	aead  cipher.AEAD
	index []byte
}

// Sealer seals and opens values with the terminal key (AES-256-GCM, a fresh
// random nonce per seal, the record id and column as associated data) and
// derives blind indexes (HMAC-SHA-256 under a separate subkey). It is safe
// for concurrent use.
type Sealer struct {
	active byte
	subs   map[byte]sub
	fp     string
}

// New returns a Sealer holding one 32-byte key with the given id (1–255).
// Tests and key-rotation tools use it; a terminal uses LoadOrCreate.
func New(id byte, secret []byte) (*Sealer, error) {
	if id == 0 || len(secret) != KeySize {
		return nil, fmt.Errorf("terminal key: need id 1–255 and %d bytes", KeySize)
	}
	return newSealer([]key{{id: id, secret: secret}})
}

func newSealer(ring []key) (*Sealer, error) {
	s := &Sealer{subs: make(map[byte]sub, len(ring))}
	fp := sha256.New()
	for _, k := range ring {
		tag, err := derive(k.secret, "gise key fingerprint v1")
		if err != nil {
			return nil, err
		}
		fp.Write([]byte{k.id})
		fp.Write(tag)
		aesKey, err := derive(k.secret, "gise seal v1")
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(aesKey)
		if err != nil {
			return nil, fmt.Errorf("terminal key: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("terminal key: %w", err)
		}
		idx, err := derive(k.secret, "gise blind index v1")
		if err != nil {
			return nil, err
		}
		s.subs[k.id] = sub{aead: aead, index: idx}
		s.active = k.id
	}
	s.fp = hex.EncodeToString(fp.Sum(nil)[:8])
	return s, nil
}

// Fingerprint names the key ring without revealing it: 16 hex digits of a
// hash over each key's id and a subkey derived for this purpose alone. Two
// files with the same keys have the same fingerprint; a key backup carries
// it in the clear, so that a backup can be matched to a terminal without
// its passphrase.
func (s *Sealer) Fingerprint() string { return s.fp }

// derive returns a 32-byte subkey of secret for one purpose (HKDF-SHA-256).
func derive(secret []byte, info string) ([]byte, error) {
	out := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, nil, []byte(info)), out); err != nil {
		return nil, fmt.Errorf("terminal key: derive: %w", err)
	}
	return out, nil
}

// ActiveKeyID returns the id of the key new seals use.
func (s *Sealer) ActiveKeyID() byte { return s.active }

// Seal encrypts plaintext for one column of one record. The same recordID and
// column must be given to Open: a sealed value copied to another row or
// column does not open. Each call uses a fresh nonce, so sealing the same
// value twice gives different bytes.
func (s *Sealer) Seal(recordID, column string, plaintext []byte) ([]byte, error) {
	k := s.subs[s.active]
	out := make([]byte, 2+12, Overhead+len(plaintext))
	out[0], out[1] = FormatV1, s.active
	if _, err := rand.Read(out[2:14]); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return k.aead.Seal(out, out[2:14], plaintext, associated(out[:2], recordID, column)), nil
}

// Open decrypts a value made by Seal for the same record and column. It
// returns an error wrapping ErrOpen when the value was altered, belongs
// elsewhere, or was sealed with a key this terminal does not hold.
func (s *Sealer) Open(recordID, column string, sealed []byte) ([]byte, error) {
	if len(sealed) < Overhead || sealed[0] != FormatV1 {
		return nil, fmt.Errorf("open %s: %w (unknown format)", column, ErrOpen)
	}
	k, ok := s.subs[sealed[1]]
	if !ok {
		return nil, fmt.Errorf("open %s: %w (key %d missing)", column, ErrOpen, sealed[1])
	}
	plain, err := k.aead.Open(nil, sealed[2:14], sealed[14:], associated(sealed[:2], recordID, column))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", column, ErrOpen)
	}
	return plain, nil
}

// NeedsReseal reports whether sealed was made with a key other than the
// active one: what a rotation run re-seals.
func (s *Sealer) NeedsReseal(sealed []byte) bool {
	return len(sealed) < 2 || sealed[0] != FormatV1 || sealed[1] != s.active
}

// associated is GCM's associated data: the format header, then the record id
// and column, each length-prefixed so that ("ab","c") and ("a","bc") differ.
func associated(hdr []byte, recordID, column string) []byte {
	ad := make([]byte, 0, 2+8+len(recordID)+len(column))
	ad = append(ad, hdr...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(recordID)))
	ad = append(ad, recordID...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(column)))
	return append(ad, column...)
}

// Index returns the blind index of value for one purpose ("national_id",
// "phone", "login"): HMAC-SHA-256 under the active key's index subkey over
// the length-prefixed purpose and the value. Equal values give equal indexes,
// so an exact lookup is an indexed equality on the 32 bytes, while the
// database alone does not reveal the value. Callers normalise the value first.
// Indexes follow the active key: a rotation recomputes them from the values
// it opens.
func (s *Sealer) Index(purpose string, value []byte) []byte {
	m := hmac.New(sha256.New, s.subs[s.active].index)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(purpose)))
	m.Write(n[:])
	m.Write([]byte(purpose))
	m.Write(value)
	return m.Sum(nil)
}

// Ephemeral returns a Sealer holding one fresh random key kept only in
// memory: for tests and throwaway stores. What it seals cannot be opened
// after the process ends, so a terminal never uses it for its database.
func Ephemeral() (*Sealer, error) {
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	return New(1, secret)
}
