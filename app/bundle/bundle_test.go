package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"time"

	"filippo.io/age"
)

// keys of one test: a device's signing key and a central's age identity.
type testKeys struct {
	sign    ed25519.PrivateKey
	central *age.X25519Identity
}

func newKeys(t *testing.T) testKeys {
	t.Helper()
	_, sign, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return testKeys{sign: sign, central: id}
}

func (k testKeys) keyOf(Manifest) (ed25519.PublicKey, error) {
	return k.sign.Public().(ed25519.PublicKey), nil
}

const testID = "0193a4c2-0000-7000-8000-000000000001"

var (
	recordsPart = []byte(`{"id":"0193a4c1-0000-7000-8000-000000000001","type":"audit.event","schema":1,"occurred_at":"2026-11-28T09:58:41+03:00","data":{}}` + "\n")
	scan        = bytes.Repeat([]byte("tarama "), 300)
)

func testManifest() Manifest {
	return Manifest{Kind: KindBundle, ID: testID, DeviceID: "KCS-SAHA-01", CreatedAt: "2026-11-28T10:00:00+03:00",
		FirstSeq: 1, LastSeq: 1, Records: 1, UpdatesCursor: "c-000012"}
}

func testSources() []Source {
	a := BytesSource("", scan)
	a.Name = AttachmentPrefix + a.SHA256
	return []Source{BytesSource(PartRecords, recordsPart), a}
}

// goodBundle writes a valid bundle of testSources.
func goodBundle(t *testing.T, k testKeys) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, testManifest(), testSources(), k.sign, k.central.Recipient()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll opens a file and reads every part, returning the parts or the
// first refusal.
func readAll(file []byte, lim Limits, k testKeys) (Manifest, map[string][]byte, error) {
	r, err := Open(bytes.NewReader(file), lim, k.central, k.keyOf)
	if err != nil {
		return Manifest{}, nil, err
	}
	parts := map[string][]byte{}
	for {
		p, data, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r.Manifest(), parts, nil
		}
		if err != nil {
			return r.Manifest(), nil, err
		}
		parts[p.Name] = data
	}
}

func TestRoundTrip(t *testing.T) {
	k := newKeys(t)
	m, parts, err := readAll(goodBundle(t, k), DefaultLimits, k)
	if err != nil {
		t.Fatal(err)
	}
	if m.DeviceID != "KCS-SAHA-01" || m.Records != 1 || m.UpdatesCursor != "c-000012" || len(m.Parts) != 2 {
		t.Fatalf("manifest %+v", m)
	}
	if !bytes.Equal(parts[PartRecords], recordsPart) || !bytes.Equal(parts[testSources()[1].Name], scan) {
		t.Fatal("parts differ from what was written")
	}
}

// entry is one hand-made archive entry.
type entry struct {
	name     string
	data     []byte
	typeflag byte
}

// craft builds a bundle by hand: manifest bytes signed with sign (when
// sig is nil), the entries after them, encrypted to the central; trailer
// is appended after the archive's end inside the encryption.
func craft(t *testing.T, k testKeys, manifest []byte, sig []byte, entries []entry, trailer []byte) []byte {
	t.Helper()
	if sig == nil {
		sig = ed25519.Sign(k.sign, signingInput(manifest))
	}
	var plain bytes.Buffer
	tw := tar.NewWriter(&plain)
	all := append([]entry{{name: entryManifest, data: manifest}, {name: entrySignature, data: sig}}, entries...)
	for _, e := range all {
		h := &tar.Header{Name: e.name, Typeflag: e.typeflag, Size: int64(len(e.data)), Mode: 0o600, ModTime: time.Unix(0, 0)}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		if h.Typeflag == tar.TypeSymlink {
			h.Linkname = "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(e.data)
		}
	}
	tw.Close()
	plain.Write(trailer)
	return encrypt(t, k.central.Recipient(), plain.Bytes())
}

func encrypt(t *testing.T, to age.Recipient, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := age.Encrypt(&out, to)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	return out.Bytes()
}

// manifestFor returns the canonical bytes of testManifest listing parts.
func manifestFor(t *testing.T, parts ...Source) []byte {
	t.Helper()
	m := testManifest()
	m.Format, m.Version = Format, Version
	for _, p := range parts {
		m.Parts = append(m.Parts, p.Part)
	}
	b, err := m.marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func entriesOf(srcs ...Source) []entry {
	var out []entry
	for _, s := range srcs {
		d, _ := s.Bytes()
		out = append(out, entry{name: s.Name, data: d})
	}
	return out
}
