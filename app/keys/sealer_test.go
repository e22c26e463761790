package keys_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kocasinan/gise/app/keys"
)

func TestLoadOrCreateMakesOne0600KeyAndKeepsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", keys.DefaultFileName)
	a, err := keys.LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", info.Mode(), err)
	}
	sealed, err := a.Seal("rec-1", "name", []byte("Ayşe"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := keys.LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.Open("rec-1", "name", sealed); err != nil || string(got) != "Ayşe" {
		t.Fatalf("reopened key: %q %v", got, err)
	}
	if !bytes.Equal(a.Index("phone", []byte("+905321234567")), b.Index("phone", []byte("+905321234567"))) {
		t.Error("blind index changed across loads")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left %d files in the data directory, want only the key", len(entries))
	}
}

func TestConcurrentCreateAgreesOnOneKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), keys.DefaultFileName)
	var wg sync.WaitGroup
	got := make([]*keys.Sealer, 8)
	for i := range got {
		wg.Go(func() {
			s, err := keys.LoadOrCreate(path)
			if err != nil {
				t.Error(err)
			}
			got[i] = s
		})
	}
	wg.Wait()
	sealed, _ := got[0].Seal("r", "c", []byte("x"))
	for i, s := range got {
		if _, err := s.Open("r", "c", sealed); err != nil {
			t.Errorf("sealer %d holds another key: %v", i, err)
		}
	}
}

func TestLoadRefusesReadableKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), keys.DefaultFileName)
	if _, err := keys.LoadOrCreate(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Load(path); err == nil {
		t.Fatal("a world-readable key file was accepted")
	}
}

func testSealer(t *testing.T, id byte, fill byte) *keys.Sealer {
	t.Helper()
	s, err := keys.New(id, bytes.Repeat([]byte{fill}, keys.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealBindsRecordAndColumnAndDetectsTampering(t *testing.T) {
	s := testSealer(t, 1, 7)
	plain := []byte("JBSWY3DPEHPK3PXP")
	a, _ := s.Seal("acct-1", "totp_secret", plain)
	b, _ := s.Seal("acct-1", "totp_secret", plain)
	if bytes.Equal(a, b) {
		t.Error("two seals of one value are equal: nonce reused")
	}
	if bytes.Contains(a, plain) {
		t.Error("plaintext visible in the sealed value")
	}
	if len(a) != len(plain)+keys.Overhead || a[0] != keys.FormatV1 || a[1] != 1 {
		t.Errorf("format: len %d header % x", len(a), a[:2])
	}
	cases := []struct {
		name, rec, col string
		mutate         func([]byte) []byte
	}{
		{"other record", "acct-2", "totp_secret", nil},
		{"other column", "acct-1", "password", nil},
		{"shifted boundary", "acct-1t", "otp_secret", nil},
		{"flipped bit", "acct-1", "totp_secret", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"other key id", "acct-1", "totp_secret", func(b []byte) []byte { b[1] = 9; return b }},
		{"truncated", "acct-1", "totp_secret", func(b []byte) []byte { return b[:10] }},
	}
	for _, c := range cases {
		v := append([]byte(nil), a...)
		if c.mutate != nil {
			v = c.mutate(v)
		}
		if _, err := s.Open(c.rec, c.col, v); !errors.Is(err, keys.ErrOpen) {
			t.Errorf("%s: opened (%v)", c.name, err)
		}
	}
	if got, err := s.Open("acct-1", "totp_secret", a); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("open: %q %v", got, err)
	}
}

func TestIndexIsKeyedAndSeparatedByPurpose(t *testing.T) {
	s1, s2 := testSealer(t, 1, 1), testSealer(t, 1, 2)
	v := []byte("12345678950")
	if bytes.Equal(s1.Index("national_id", v), s2.Index("national_id", v)) {
		t.Error("index does not depend on the key")
	}
	if bytes.Equal(s1.Index("national_id", v), s1.Index("phone", v)) {
		t.Error("index does not depend on the purpose")
	}
	if len(s1.Index("x", v)) != 32 {
		t.Error("index is not 32 bytes")
	}
	if !s2.NeedsReseal([]byte{keys.FormatV1, 3, 0}) || s2.NeedsReseal([]byte{keys.FormatV1, 1}) {
		t.Error("NeedsReseal")
	}
}

func FuzzOpenNeverPanics(f *testing.F) {
	s, _ := keys.New(1, bytes.Repeat([]byte{3}, keys.KeySize))
	good, _ := s.Seal("r", "c", []byte("value"))
	f.Add(good)
	f.Add([]byte{1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if plain, err := s.Open("r", "c", b); err == nil && !bytes.Equal(b, good) && string(plain) != "" {
			// Only a value sealed by s opens; the fuzzer cannot forge a GCM tag.
			t.Fatalf("forged value opened: %q", plain)
		}
	})
}
