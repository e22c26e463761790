package paper_test

import (
	"testing"

	"golang.org/x/image/font/sfnt"

	"github.com/kocasinan/gise/assets"
)

// Every character of both notices, of the receipts' fixed texts and of the
// Turkish alphabet must have a glyph in both embedded faces; a missing one
// would print as an empty box.
func TestFontsCoverEveryLetter(t *testing.T) {
	need := assets.NoticeV1TR + assets.NoticeV1EN +
		"abcçdefgğhıijklmnoöprsştuüvyzâîû ABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZÂÎÛ" +
		"0123456789 ·–—“”‘’…№ ☐ ÄËÏÖÜäëïöüÉéÈèÊêÑñßŁłŞşŢţ"
	for name, ttf := range map[string][]byte{"regular": assets.FontRegular, "bold": assets.FontBold} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var buf sfnt.Buffer
		seen := map[rune]bool{}
		for _, r := range need {
			if r == '\n' || seen[r] {
				continue
			}
			seen[r] = true
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("%s face has no glyph for %q (U+%04X)", name, r, r)
			}
		}
	}
}
