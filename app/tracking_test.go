package app_test

import (
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

func TestTrackingCodeRoundTrip(t *testing.T) {
	seen := map[app.TrackingCode]bool{}
	for range 10000 {
		c := app.NewTrackingCode()
		if seen[c] {
			t.Fatalf("repeat after %d codes: %s", len(seen), c)
		}
		seen[c] = true
		for _, form := range []string{c.String(), string(c), strings.ToLower(c.String()), " " + c.String()[:4] + " " + c.String()[5:] + " "} {
			got, err := app.ParseTrackingCode(form)
			if err != nil || got != c {
				t.Fatalf("ParseTrackingCode(%q) = %q, %v", form, got, err)
			}
		}
		if len(c.String()) != 14 || strings.ContainsAny(c.String(), "01OIL") {
			t.Fatalf("bad form %q", c.String())
		}
	}
}

func TestTrackingCodeRejectsTypos(t *testing.T) {
	for range 200 {
		assertEveryTypoRejected(t, string(app.NewTrackingCode()))
	}
}

func TestTrackingCodeMessages(t *testing.T) {
	for _, in := range []string{"", "ABCD", "K7QM-4X29-PQ7O", "K7QM-4X29-PQ7CC"} {
		if _, err := app.ParseTrackingCode(in); app.ErrorCode(err) != app.EINVALID || app.ErrorMessage(err) == "" {
			t.Errorf("ParseTrackingCode(%q): %v", in, err)
		}
	}
}

// assertEveryTypoRejected changes each character of a valid code to every
// other character of the alphabet, and swaps each pair of neighbours, and
// expects every result to be refused.
func assertEveryTypoRejected(t *testing.T, code string) {
	t.Helper()
	for i := range code {
		for _, r := range app.TrackingAlphabet {
			if byte(r) == code[i] {
				continue
			}
			typo := code[:i] + string(r) + code[i+1:]
			if _, err := app.ParseTrackingCode(typo); err == nil {
				t.Fatalf("%s with position %d changed to %c (%s) was accepted", code, i, r, typo)
			}
		}
		if i+1 < len(code) && code[i] != code[i+1] {
			swapped := code[:i] + string(code[i+1]) + string(code[i]) + code[i+2:]
			if _, err := app.ParseTrackingCode(swapped); err == nil {
				t.Fatalf("%s with positions %d,%d swapped (%s) was accepted", code, i, i+1, swapped)
			}
		}
	}
}

func FuzzTrackingCode(f *testing.F) {
	f.Add("K7QM-4X29-PQ7C")
	f.Add(string(app.NewTrackingCode()))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := app.ParseTrackingCode(s)
		if err != nil {
			return
		}
		// Whatever was accepted is canonical, round-trips and has every typo rejected.
		if back, err := app.ParseTrackingCode(c.String()); err != nil || back != c {
			t.Fatalf("round trip of %q: %q, %v", s, back, err)
		}
		assertEveryTypoRejected(t, string(c))
	})
}
