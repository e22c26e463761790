package app_test

import (
	"testing"

	"github.com/kocasinan/gise/app"
)

// TestFoldNameFastPathAgrees checks that the direct folding of Turkish
// letters gives what removing their marks gives, for every letter.
func TestFoldNameFastPathAgrees(t *testing.T) {
	for in, want := range map[string]string{
		"ŞĞÜÖÇİIşğüöçiı":  "sguociisguocii",
		"Âşık Îmâr Ûmran": "asik imar umran",
		"Zoë Ñandú":       "zoe nandu",
		"O'Neil-Öz":       "oneil oz",
	} {
		if got := app.FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFoldName(b *testing.B) {
	for b.Loop() {
		app.FoldName("ŞAHİN Ayşe Gül")
	}
}
