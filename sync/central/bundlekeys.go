package central

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/kocasinan/gise/app/bundle"
)

// The central's side of USB bundles (docs/BUNDLE.md): its own keys, kept
// in bundle.key beside the database (0600), and the keys each device
// registered with its token.
const bundleSchema = `
CREATE TABLE IF NOT EXISTS device_keys (
    device_id     TEXT PRIMARY KEY,
    sign_key      BLOB NOT NULL,   -- Ed25519 public key: the device signs its bundles with it
    age_recipient TEXT NOT NULL,   -- receipts are encrypted to it
    registered_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bundles (
    id          TEXT PRIMARY KEY,  -- the bundle's id: a second import is a replay
    device_id   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    records     INTEGER NOT NULL,
    receipt_id  TEXT NOT NULL,
    receipt     BLOB NOT NULL      -- the receipt file, encrypted to the device
);
`

// BundleKeyFile is the central's key file for bundles, in its data folder.
const BundleKeyFile = "bundle.key"

const bundleKeyHeader = "gise-central-bundle-key 1"

// bundleKeys are the central's keys: Age opens the bundles terminals
// encrypt to it, Sign signs the receipts.
type bundleKeys struct {
	Age  *age.X25519Identity
	Sign ed25519.PrivateKey
}

func (s *Server) migrateBundles(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, bundleSchema); err != nil {
		return fmt.Errorf("central bundle schema: %w", err)
	}
	_, err := s.bundleKeys()
	return err
}

// bundleKeys reads the key file, making it on first use (a temporary file
// linked into place, so that two starts at once end with one key).
func (s *Server) bundleKeys() (bundleKeys, error) {
	path := filepath.Join(s.dir, BundleKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createBundleKeys(path); err != nil {
			return bundleKeys{}, err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return bundleKeys{}, fmt.Errorf("central bundle key: %w", err)
	}
	return parseBundleKeys(b)
}

func parseBundleKeys(b []byte) (bundleKeys, error) {
	var k bundleKeys
	sc := bufio.NewScanner(bytes.NewReader(b))
	if !sc.Scan() || sc.Text() != bundleKeyHeader {
		return k, errors.New("central bundle key: bad header")
	}
	for sc.Scan() {
		kind, val, _ := strings.Cut(sc.Text(), " ")
		switch kind {
		case "age":
			id, err := age.ParseX25519Identity(val)
			if err != nil {
				return k, fmt.Errorf("central bundle key: %w", err)
			}
			k.Age = id
		case "ed25519":
			seed, err := base64.StdEncoding.DecodeString(val)
			if err != nil || len(seed) != ed25519.SeedSize {
				return k, errors.New("central bundle key: bad ed25519 seed")
			}
			k.Sign = ed25519.NewKeyFromSeed(seed)
		}
	}
	if k.Age == nil || k.Sign == nil {
		return k, errors.New("central bundle key: a key is missing")
	}
	return k, nil
}

func createBundleKeys(path string) error {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	body := bundleKeyHeader + "\nage " + id.String() + "\ned25519 " + base64.StdEncoding.EncodeToString(seed) + "\n"
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bundle-key-*")
	if err != nil {
		return fmt.Errorf("central bundle key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(body); err != nil {
		tmp.Close()
		return fmt.Errorf("central bundle key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("central bundle key: %w", err)
	}
	tmp.Close()
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("central bundle key: %w", err)
	}
	return nil
}

// RegisterDeviceKeys keeps a device's public keys for bundles (replacing
// what it registered before) and returns the central's.
func (s *Server) RegisterDeviceKeys(ctx context.Context, device string, signKey ed25519.PublicKey, recipient string) error {
	if len(signKey) != ed25519.PublicKeySize {
		return errors.New("sign_key must be 32 bytes of base64")
	}
	if _, err := age.ParseX25519Recipient(recipient); err != nil {
		return errors.New("age_recipient must be an age X25519 recipient")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO device_keys (device_id, sign_key, age_recipient, registered_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET sign_key = excluded.sign_key,
		age_recipient = excluded.age_recipient, registered_at = excluded.registered_at`,
		device, []byte(signKey), recipient, s.Now().Format(time.RFC3339))
	return err
}

// deviceKeys returns the registered keys of a device, or the refusal for
// one that is unknown, revoked or registered none.
func (s *Server) deviceKeys(ctx context.Context, device string) (ed25519.PublicKey, *age.X25519Recipient, error) {
	var revoked bool
	var sign []byte
	var recipient sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT d.revoked, k.sign_key, k.age_recipient FROM devices d
		LEFT JOIN device_keys k ON k.device_id = d.id WHERE d.id = ?`, device).Scan(&revoked, &sign, &recipient)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil, bundle.Refuse(bundle.CodeUnknown, "no such device")
	case err != nil:
		return nil, nil, err
	case revoked:
		return nil, nil, bundle.Refuse(bundle.CodeRevoked, "the device was revoked")
	case len(sign) != ed25519.PublicKeySize || !recipient.Valid:
		return nil, nil, bundle.Refuse(bundle.CodeUnknown, "the device registered no bundle key")
	}
	to, err := age.ParseX25519Recipient(recipient.String)
	if err != nil {
		return nil, nil, err
	}
	return ed25519.PublicKey(sign), to, nil
}

// putDeviceKeys is PUT /v1/device-keys: the device's public keys in, the
// central's out.
func (s *Server) putDeviceKeys(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SignKey      string `json:"sign_key"`
		AgeRecipient string `json:"age_recipient"`
	}
	if err := decode(r, &in); err != nil {
		problem(w, http.StatusBadRequest, "malformed", "the body is not a device-keys object")
		return
	}
	sign, _ := base64.StdEncoding.DecodeString(in.SignKey)
	if err := s.RegisterDeviceKeys(r.Context(), deviceID(r), sign, in.AgeRecipient); err != nil {
		problem(w, http.StatusBadRequest, "malformed", err.Error())
		return
	}
	k, err := s.bundleKeys()
	if err != nil {
		s.Logger.Error("central bundle key", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the central's bundle key is unreadable")
		return
	}
	s.Logger.Info("device keys registered", "device", deviceID(r))
	writeJSON(w, http.StatusOK, map[string]string{"device_id": deviceID(r),
		"sign_key":      base64.StdEncoding.EncodeToString(k.Sign.Public().(ed25519.PublicKey)),
		"age_recipient": k.Age.Recipient().String()})
}
