package central

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"filippo.io/age"

	"github.com/kocasinan/gise/app/bundle"
)

// The central's side of USB bundles (docs/BUNDLE.md): its own keys, kept in
// its store (every node of a PostgreSQL central opens and signs with the
// same), and the keys each device registered with its token.

const bundleKeyHeader = "gise-central-bundle-key 1"

// bundleKeys are the central's keys: Age opens the bundles terminals
// encrypt to it, Sign signs the receipts.
type bundleKeys struct {
	Age  *age.X25519Identity
	Sign ed25519.PrivateKey
}

// bundleKeys reads the central's keys, making them on first use.
func (s *Server) bundleKeys(ctx context.Context) (bundleKeys, error) {
	body, err := s.st.CentralBundleKey(ctx, makeBundleKeys)
	if err != nil {
		return bundleKeys{}, fmt.Errorf("central bundle key: %w", err)
	}
	return parseBundleKeys([]byte(body))
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

// makeBundleKeys makes a fresh pair of central keys, as text:
//
//	gise-central-bundle-key 1
//	age AGE-SECRET-KEY-1…
//	ed25519 <standard base64 of the 32-byte seed>
func makeBundleKeys() (string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return "", err
	}
	return bundleKeyHeader + "\nage " + id.String() + "\ned25519 " + base64.StdEncoding.EncodeToString(seed) + "\n", nil
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
	if _, _, err := s.st.Device(ctx, device); err != nil {
		return err
	}
	return s.st.PutDeviceKeys(ctx, device, []byte(signKey), recipient, s.Now())
}

// deviceKeys returns the registered keys of a device, or the refusal for
// one that is unknown, revoked or registered none.
func (s *Server) deviceKeys(ctx context.Context, device string) (ed25519.PublicKey, *age.X25519Recipient, error) {
	sign, recipient, revoked, err := s.st.DeviceKeys(ctx, device)
	switch {
	case errors.Is(err, errNoDevice):
		return nil, nil, bundle.Refuse(bundle.CodeUnknown, "no such device")
	case err != nil:
		return nil, nil, err
	case revoked:
		return nil, nil, bundle.Refuse(bundle.CodeRevoked, "the device was revoked")
	case len(sign) != ed25519.PublicKeySize || recipient == "":
		return nil, nil, bundle.Refuse(bundle.CodeUnknown, "the device registered no bundle key")
	}
	to, err := age.ParseX25519Recipient(recipient)
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
	k, err := s.bundleKeys(r.Context())
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
