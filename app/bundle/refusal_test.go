package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/kocasinan/gise/app"
)

// TestRefusals holds every refusal of the reader to its code, each with a
// bundle made by hand to be bad in that one way. None gives a part to its
// caller.
func TestRefusals(t *testing.T) {
	k := newKeys(t)
	rec, att := testSources()[0], testSources()[1]
	good := goodBundle(t, k)
	signedBy := func(key ed25519.PrivateKey, m []byte) []byte { return ed25519.Sign(key, signingInput(m)) }
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	other, _ := age.GenerateX25519Identity()
	plainTar := func() []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		tw.WriteHeader(&tar.Header{Name: PartRecords, Typeflag: tar.TypeReg, Size: 1})
		tw.Write([]byte("x"))
		tw.Close()
		return b.Bytes()
	}
	bigger := BytesSource(PartRecords, append(bytes.Clone(recordsPart), "fazladan"...))
	changed := BytesSource(PartRecords, bytes.ToUpper(recordsPart))
	escape := att
	escape.Name = "../" + att.Name
	cases := []struct {
		name string
		file func() []byte
		lim  Limits
		code string
	}{
		{"plain tar, not encrypted", plainTar, DefaultLimits, CodeNotBundle},
		{"encrypted to another central", func() []byte {
			var b bytes.Buffer
			Write(&b, testManifest(), testSources(), k.sign, other.Recipient())
			return b.Bytes()
		}, DefaultLimits, CodeRecipient},
		{"one byte changed", func() []byte {
			b := bytes.Clone(good)
			b[len(b)/2] ^= 0x01
			return b
		}, DefaultLimits, CodeDamaged},
		{"truncated by 100 bytes", func() []byte { return good[:len(good)-100] }, DefaultLimits, CodeDamaged},
		{"truncated at a chunk boundary", func() []byte { return good[:len(good)-len(good)%64] }, DefaultLimits, CodeDamaged},
		{"truncated to its header", func() []byte { return good[:200] }, DefaultLimits, CodeDamaged},
		{"over the file limit", func() []byte { return good }, Limits{File: int64(len(good) - 1), Manifest: 1 << 20, Records: 1 << 20, Part: 1 << 20, Parts: 10}, CodeTooLarge},
		{"manifest not canonical", func() []byte {
			m := manifestFor(t, rec, att)
			m = bytes.Replace(m, []byte(`{"created_at"`), []byte(`{ "created_at"`), 1)
			return craft(t, k, m, nil, entriesOf(rec, att), nil)
		}, DefaultLimits, CodeManifest},
		{"manifest with a repeated member", func() []byte {
			m := manifestFor(t, rec, att)
			m = bytes.Replace(m, []byte(`"device_id":"KCS-SAHA-01"`), []byte(`"device_id":"KCS-SAHA-01","device_id":"KCS-MERKEZ-01"`), 1)
			return craft(t, k, m, nil, entriesOf(rec, att), nil)
		}, DefaultLimits, CodeManifest},
		{"manifest with an unknown member", func() []byte {
			m := manifestFor(t, rec, att)
			m = bytes.Replace(m, []byte(`{"created_at"`), []byte(`{"baska":1,"created_at"`), 1)
			return craft(t, k, m, nil, entriesOf(rec, att), nil)
		}, DefaultLimits, CodeManifest},
		{"signed by another key", func() []byte {
			m := manifestFor(t, rec, att)
			return craft(t, k, m, signedBy(stranger, m), entriesOf(rec, att), nil)
		}, DefaultLimits, CodeSignature},
		{"a record changed and its hash restated, unsigned", func() []byte {
			m := manifestFor(t, changed, att)
			return craft(t, k, m, signedBy(k.sign, manifestFor(t, rec, att)), entriesOf(changed, att), nil)
		}, DefaultLimits, CodeSignature},
		{"a record changed, manifest kept", func() []byte {
			return craft(t, k, manifestFor(t, rec, att), nil, []entry{{name: rec.Name, data: bytes.ToUpper(recordsPart)}, entriesOf(att)[0]}, nil)
		}, DefaultLimits, CodePartHash},
		{"manifest lists a path outside", func() []byte {
			return craft(t, k, manifestFor(t, rec, escape), nil, entriesOf(rec, escape), nil)
		}, DefaultLimits, CodePath},
		{"an unlisted entry ../ outside", func() []byte {
			return craft(t, k, manifestFor(t, rec), nil, append(entriesOf(rec), entry{name: "../../etc/cron.d/x", data: []byte("x")}), nil)
		}, DefaultLimits, CodePath},
		{"an absolute entry in place of a part", func() []byte {
			return craft(t, k, manifestFor(t, rec, att), nil, append(entriesOf(rec), entry{name: "/tmp/" + att.SHA256, data: scan}), nil)
		}, DefaultLimits, CodePath},
		{"a long name in a PAX header leading outside", func() []byte {
			e := entriesOf(rec, att)
			e[1].name = AttachmentPrefix + strings.Repeat("a/../", 12) + "../" + att.SHA256 // > 100 bytes: a PAX path record
			return craft(t, k, manifestFor(t, rec, att), nil, e, nil)
		}, DefaultLimits, CodePath},
		{"an entry the manifest does not list", func() []byte {
			return craft(t, k, manifestFor(t, rec), nil, entriesOf(rec, att), nil)
		}, DefaultLimits, CodeEntry},
		{"a part missing", func() []byte {
			return craft(t, k, manifestFor(t, rec, att), nil, entriesOf(rec), nil)
		}, DefaultLimits, CodeEntry},
		{"parts out of order", func() []byte {
			m := manifestFor(t, rec, att)
			return craft(t, k, m, nil, entriesOf(att, rec), nil)
		}, DefaultLimits, CodeEntry},
		{"a symbolic link", func() []byte {
			e := entriesOf(rec)
			return craft(t, k, manifestFor(t, rec, att), nil, append(e, entry{name: att.Name, typeflag: tar.TypeSymlink}), nil)
		}, DefaultLimits, CodeEntry},
		{"bytes after the archive's end", func() []byte {
			return craft(t, k, manifestFor(t, rec, att), nil, entriesOf(rec, att), []byte("gizli ek"))
		}, DefaultLimits, CodeEntry},
		{"a part over its stated size", func() []byte {
			return craft(t, k, manifestFor(t, rec, att), nil, append([]entry{{name: rec.Name, data: entriesOf(bigger)[0].data}}, entriesOf(att)...), nil)
		}, DefaultLimits, CodePartTooLarge},
		{"a part stating more than the limit", func() []byte {
			return craft(t, k, manifestFor(t, rec, att), nil, entriesOf(rec, att), nil)
		}, Limits{File: 1 << 20, Manifest: 1 << 20, Records: 1 << 20, Part: 100, Parts: 10}, CodePartTooLarge},
		{"more parts than the limit", func() []byte { return good }, Limits{File: 1 << 20, Manifest: 1 << 20, Records: 1 << 20, Part: 1 << 20, Parts: 1}, CodeTooLarge},
		{"a manifest over its limit", func() []byte { return good }, Limits{File: 1 << 20, Manifest: 100, Records: 1 << 20, Part: 1 << 20, Parts: 10}, CodePartTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, parts, err := readAll(c.file(), c.lim, k)
			if got := RefusalCode(err); got != c.code {
				t.Fatalf("refusal %q (%v), want %q", got, err, c.code)
			}
			if parts != nil {
				t.Fatal("a refused file gave its parts")
			}
			if msg := app.ErrorMessage(err); msg == "" || strings.Contains(msg, "Beklenmeyen") {
				t.Fatalf("no Turkish sentence: %q", msg)
			}
		})
	}
}

// TestWriteRefusesWrongSource: a part whose bytes differ from what the
// manifest states is never written.
func TestWriteRefusesWrongSource(t *testing.T) {
	k := newKeys(t)
	s := testSources()
	s[1].Bytes = func() ([]byte, error) { return []byte("başka"), nil }
	var b bytes.Buffer
	if err := Write(&b, testManifest(), s, k.sign, k.central.Recipient()); err == nil {
		t.Fatal("written")
	}
	s = testSources()
	s[1].Name = "../" + s[1].Name
	b.Reset()
	if err := Write(&b, testManifest(), s, k.sign, k.central.Recipient()); RefusalCode(err) != CodePath || b.Len() != 0 {
		t.Fatalf("a bad name: %v, %d bytes written", err, b.Len())
	}
}

// FuzzOpen feeds arbitrary bytes, encrypted to the central, to the reader:
// it must refuse or read, never panic or read past its limits.
func FuzzOpen(f *testing.F) {
	f.Add([]byte("x"))
	f.Add(recordsPart)
	k := testKeys{sign: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))}
	k.central, _ = age.ParseX25519Identity("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
	f.Fuzz(func(t *testing.T, plain []byte) {
		if k.central == nil {
			t.Skip()
		}
		file := encrypt(t, k.central.Recipient(), plain)
		_, _, err := readAll(file, Limits{File: 1 << 20, Manifest: 1 << 16, Records: 1 << 16, Part: 1 << 16, Parts: 8}, k)
		if err != nil && RefusalCode(err) == "" {
			t.Fatalf("not a refusal: %v", err)
		}
	})
}
