package keys

import (
	"bytes"
	"errors"
	"testing"
)

func TestSubkeyIsStablePerKeyAndLabel(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, KeySize)
	a, _ := New(1, secret)
	b, _ := New(1, secret)
	k1, err := a.Subkey(1, "gise audit mac v1")
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := b.Subkey(1, "gise audit mac v1")
	other, _ := a.Subkey(1, "gise audit mac v2")
	if !bytes.Equal(k1, k2) || bytes.Equal(k1, other) || len(k1) != 32 {
		t.Errorf("subkeys: same %x %x, other label %x", k1, k2, other)
	}
	if bytes.Equal(k1, a.subs[1].index) {
		t.Error("the subkey is the blind-index key itself")
	}
	if _, err := a.Subkey(2, "gise audit mac v1"); !errors.Is(err, ErrOpen) {
		t.Errorf("missing key: %v", err)
	}
}
