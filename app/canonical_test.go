package app

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/kocasinan/gise/internal/jcstest"
)

func TestCanonicalJSONFollowsRFC8785(t *testing.T) {
	for _, c := range jcstest.Objects {
		got, err := CanonicalJSON(json.RawMessage(c.In))
		if err != nil || string(got) != c.Out {
			t.Errorf("%s:\n got %s (%v)\nwant %s", c.Name, got, err, c.Out)
		}
	}
}

func TestCanonicalNumbersFollowRFC8785(t *testing.T) {
	for _, n := range jcstest.Numbers {
		f := math.Float64frombits(n.Bits)
		if n.Text == "" {
			if _, err := CanonicalJSON(f); err == nil {
				t.Errorf("%016x: %v has no canonical form, but was accepted", n.Bits, f)
			}
			continue
		}
		if got := string(AppendCanonicalNumber(nil, f)); got != n.Text {
			t.Errorf("%016x: %s, want %s", n.Bits, got, n.Text)
		}
		// Read back from any spelling of the same double.
		got, err := CanonicalJSON(json.RawMessage(`[` + n.Text + `]`))
		if err != nil || string(got) != "["+n.Text+"]" {
			t.Errorf("%016x: %s read back as %s (%v)", n.Bits, n.Text, got, err)
		}
	}
	if _, err := CanonicalJSON(json.RawMessage(`{"n":1e400}`)); err == nil {
		t.Error("1e400 is outside double range, but was accepted")
	}
}
