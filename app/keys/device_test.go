package keys

import (
	"bytes"
	"crypto/ecdh"
	"io"
	"testing"

	"filippo.io/age"
)

// TestDeviceKeysDerived holds the device keys to their promise: the same
// terminal key gives the same keys, another gives others, the X25519
// identity is the scalar HKDF gave (its public key matches crypto/ecdh's),
// and a file encrypted to its recipient opens with it.
func TestDeviceKeysDerived(t *testing.T) {
	s1, _ := New(1, bytes.Repeat([]byte{7}, KeySize))
	s1b, _ := New(1, bytes.Repeat([]byte{7}, KeySize))
	s2, _ := New(1, bytes.Repeat([]byte{8}, KeySize))
	a, err := s1.DeviceKeys(1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s1b.DeviceKeys(1)
	c, _ := s2.DeviceKeys(1)
	if !a.Sign.Equal(b.Sign) || a.Recipient().String() != b.Recipient().String() {
		t.Fatal("the same terminal key gave other device keys")
	}
	if a.Sign.Equal(c.Sign) || a.Recipient().String() == c.Recipient().String() {
		t.Fatal("another terminal key gave the same device keys")
	}
	scalar, _ := s1.Subkey(1, deviceAgeLabel)
	priv, err := ecdh.X25519().NewPrivateKey(scalar)
	if err != nil {
		t.Fatal(err)
	}
	want := bech32Encode("age", priv.PublicKey().Bytes())
	if got := a.Recipient().String(); got != want {
		t.Fatalf("recipient %s, want %s", got, want)
	}
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, a.Recipient())
	w.Write([]byte("yanıt"))
	w.Close()
	r, err := age.Decrypt(&buf, b.Receipts)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); string(got) != "yanıt" {
		t.Fatalf("decrypted %q", got)
	}
	if _, err := s1.DeviceKeys(9); err == nil {
		t.Fatal("a key id the ring lacks gave device keys")
	}
}
