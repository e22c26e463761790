package keys_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/kocasinan/gise/app/keys"
)

func TestAddKeyRotatesAndStillOpensOldValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), keys.DefaultFileName)
	old, err := keys.LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := old.Seal("c-1", "phone", []byte("+905321234567"))
	s, err := keys.AddKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.ActiveKeyID() != 2 || !s.NeedsReseal(sealed) {
		t.Fatalf("active key %d, needs reseal %v", s.ActiveKeyID(), s.NeedsReseal(sealed))
	}
	again, err := s.Reseal("c-1", "phone", sealed)
	if err != nil || s.NeedsReseal(again) {
		t.Fatalf("reseal: %v", err)
	}
	if got, err := s.Open("c-1", "phone", again); err != nil || string(got) != "+905321234567" {
		t.Fatalf("open resealed: %q %v", got, err)
	}
	if _, err := old.Open("c-1", "phone", again); err == nil {
		t.Error("a sealer without the new key opened a value sealed with it")
	}
	reloaded, err := keys.Load(path)
	if err != nil || reloaded.ActiveKeyID() != 2 {
		t.Fatalf("reload: %v", err)
	}
	if _, err := reloaded.Open("c-1", "phone", sealed); err != nil {
		t.Errorf("old value after reload: %v", err)
	}
	if bytes.Equal(old.Index("phone", []byte("x")), s.Index("phone", []byte("x"))) {
		t.Error("indexes did not follow the active key")
	}
}
