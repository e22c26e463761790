package apptest_test

import (
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
)

func TestNationalIDIsValidAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for n := range 5000 {
		s := apptest.NationalID(n * 7919)
		if _, err := app.ParseNationalID(s); err != nil || seen[s] {
			t.Fatalf("seed %d: %s, %v, repeat %v", n, s, err, seen[s])
		}
		seen[s] = true
	}
}
