package auth_test

import (
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/assets"
)

func TestHashAndVerifyPassword(t *testing.T) {
	h1, err := auth.HashPassword(adminPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := auth.HashPassword(adminPassword, cheap)
	if h1 == h2 || !strings.HasPrefix(h1, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hashes %q %q: want argon2id PHC with a salt per hash", h1, h2)
	}
	for _, c := range []struct {
		pw, hash string
		ok, err  bool
	}{
		{adminPassword, h1, true, false},
		{adminPassword + " ", h1, false, false},
		{"", h1, false, false},
		{adminPassword, "$2y$10$bcrypt", false, true},
		{adminPassword, strings.Replace(h1, "v=19", "v=16", 1), false, true},
	} {
		ok, err := auth.VerifyPassword(c.pw, c.hash)
		if ok != c.ok || (err != nil) != c.err {
			t.Errorf("verify %q against %q: %v %v", c.pw, c.hash, ok, err)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	p := auth.PasswordPolicy{IsCommon: assets.IsCommonPassword}
	for _, c := range []struct {
		pw string
		ok bool
	}{
		{"Erciyes dağı karlı 38", true},
		{"çğıöşüÇĞİÖŞÜ", true},    // twelve Turkish letters are twelve characters
		{"çğıöşüÇĞİÖŞ", false},    // eleven
		{"1qaz2wsx3edc", false},   // in the list
		{"QAZWSXEDCRFV", false},   // in the list, whatever the case
		{"sunshine2024!!", false}, // a listed word with digits and symbols after it
		{"abababababab", false},   // too few different characters
		{"ayse.sahin.kayseri", false},
		{strings.Repeat("uzun şifre ", 30), false},
	} {
		err := p.Check("ayse.sahin", c.pw)
		if (err == nil) != c.ok || (err != nil && app.ErrorField(err) != "password") {
			t.Errorf("%q: %v", c.pw, err)
		}
	}
}

// BenchmarkPasswordVerify measures one login's password check with the
// parameters a terminal uses ("default") and, to compare with in paired
// runs, the ones it used before. Figures: docs/PERFORMANCE.md, "Accounts".
func BenchmarkPasswordVerify(b *testing.B) {
	for _, c := range []struct {
		name string
		p    auth.PasswordParams
	}{
		{"default", auth.DefaultPasswordParams},
		{"t6-m32MiB-p1", auth.PasswordParams{Time: 6, Memory: 32 * 1024, Threads: 1}},
		{"t3-m64MiB-p2", auth.PasswordParams{Time: 3, Memory: 64 * 1024, Threads: 2}},
	} {
		b.Run(c.name, func(b *testing.B) {
			h, err := auth.HashPassword(adminPassword, c.p)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if ok, err := auth.VerifyPassword(adminPassword, h); !ok || err != nil {
					b.Fatal("verify failed")
				}
			}
		})
	}
}
