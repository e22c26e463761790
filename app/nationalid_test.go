package app_test

import (
	"testing"

	"github.com/kocasinan/gise/app"
)

func TestParseNationalID(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when invalid
	}{
		{"10000000146", "10000000146"},
		{"100 000 001 46", "10000000146"},
		{" 10000000146 ", "10000000146"},
		{"99000000042", "99000000042"}, // a foreigner's number
		{"10000000147", ""},            // eleventh digit wrong
		{"10000000136", ""},            // tenth digit wrong
		{"00000000000", ""},            // leading zero
		{"1000000014", ""},             // ten digits
		{"100000001466", ""},           // twelve digits
		{"1000000014a", ""},
		{"", ""},
		{"١٠٠٠٠٠٠٠١٤٦", ""}, // Arabic-Indic digits are not accepted
	}
	for _, tt := range tests {
		got, err := app.ParseNationalID(tt.in)
		if tt.want == "" {
			if err == nil || app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "national_id" {
				t.Errorf("ParseNationalID(%q) = %q, %v; want an invalid national_id error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got.Digits() != tt.want {
			t.Errorf("ParseNationalID(%q) = %q, %v; want %q", tt.in, got.Digits(), err, tt.want)
		}
	}
}

func TestNationalIDMasked(t *testing.T) {
	n, err := app.ParseNationalID("12345678950")
	if err != nil {
		t.Fatal(err)
	}
	if n.Masked() != "123******50" || n.String() != "123******50" {
		t.Errorf("masked %q, string %q", n.Masked(), n.String())
	}
	if !app.NationalID("99000000042").IsForeign() || n.IsForeign() {
		t.Error("IsForeign")
	}
}

// isValidNationalID is an independent statement of the rules, written from
// the definition rather than from the implementation.
func isValidNationalID(s string) bool {
	if len(s) != 11 || s[0] == '0' {
		return false
	}
	d := make([]int, 11)
	for i := range s {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d[i] = int(s[i] - '0')
	}
	sumOdd := d[0] + d[2] + d[4] + d[6] + d[8]
	sumEven := d[1] + d[3] + d[5] + d[7]
	if ((sumOdd*7-sumEven)%10+10)%10 != d[9] {
		return false
	}
	total := 0
	for _, v := range d[:10] {
		total += v
	}
	return total%10 == d[10]
}

func FuzzNationalID(f *testing.F) {
	for _, s := range []string{"10000000146", "99000000042", "12345678950", "00000000000", "1 0000000146", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := app.ParseNationalID(s)
		stripped := ""
		for _, r := range s {
			if r != ' ' {
				stripped += string(r)
			}
		}
		want := isValidNationalID(stripped)
		if (err == nil) != want {
			t.Fatalf("ParseNationalID(%q): err %v, valid by definition %v", s, err, want)
		}
		if err == nil && (n.Digits() != stripped || len(n.Masked()) != 11) {
			t.Fatalf("ParseNationalID(%q) = %q", s, n.Digits())
		}
	})
}
