package bundle

import (
	"archive/tar"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
)

// SignatureContext precedes the manifest's bytes in what the Ed25519
// signature covers, so that no other signed message of the same key can
// pass for a manifest.
const SignatureContext = "gise-bundle/v1 manifest\x00"

// Source is one part to write: its name, size and SHA-256 (they go in the
// manifest before the bytes), and how to get the bytes.
type Source struct {
	Part
	Bytes func() ([]byte, error)
}

// BytesSource returns a part held in memory, its size and hash computed.
func BytesSource(name string, data []byte) Source {
	sum := sha256.Sum256(data)
	return Source{Part: Part{Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])},
		Bytes: func() ([]byte, error) { return data, nil }}
}

// signingInput is what the signature covers: SignatureContext, then the
// manifest's canonical bytes.
func signingInput(manifest []byte) []byte {
	return append([]byte(SignatureContext), manifest...)
}

// Write writes one bundle or receipt to w: m with the parts of sources,
// signed with key and encrypted to to. Each source's bytes must match the
// size and hash it states (they are checked on the way). Nothing is
// written to w before the manifest is valid; a failure after that leaves a
// file that readers refuse (write to a temporary name).
func Write(w io.Writer, m Manifest, sources []Source, key ed25519.PrivateKey, to age.Recipient) error {
	m.Format, m.Version = Format, Version
	if m.CreatedAt == "" {
		m.CreatedAt = time.Now().Format(time.RFC3339)
	}
	m.Parts = make([]Part, len(sources))
	for i, s := range sources {
		m.Parts[i] = s.Part
	}
	if err := m.validate(); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	body, err := m.marshal()
	if err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	sig := ed25519.Sign(key, signingInput(body))
	enc, err := age.Encrypt(w, to)
	if err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	tw := tar.NewWriter(enc)
	if err := writeEntry(tw, entryManifest, body); err != nil {
		return err
	}
	if err := writeEntry(tw, entrySignature, sig); err != nil {
		return err
	}
	for _, s := range sources {
		if err := writeSource(tw, s); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}

// writeSource writes one part after checking its bytes against its
// manifest entry.
func writeSource(tw *tar.Writer, s Source) error {
	data, err := s.Bytes()
	if err != nil {
		return fmt.Errorf("write bundle: part %s: %w", s.Name, err)
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != s.Size || hex.EncodeToString(sum[:]) != s.SHA256 {
		return fmt.Errorf("write bundle: part %s: %w", s.Name, errChanged)
	}
	return writeEntry(tw, s.Name, data)
}

var errChanged = errors.New("its bytes differ from the size and hash stated for it")

// writeEntry writes one regular file in the ustar format, with fixed
// metadata so that the archive depends on the content only.
func writeEntry(tw *tar.Writer, name string, data []byte) error {
	h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(data)), Mode: 0o600,
		ModTime: time.Unix(0, 0), Format: tar.FormatUSTAR}
	if err := tw.WriteHeader(h); err != nil {
		return fmt.Errorf("write bundle: %s: %w", name, err)
	}
	if _, err := tw.Write(data); err != nil {
		return fmt.Errorf("write bundle: %s: %w", name, err)
	}
	return nil
}
