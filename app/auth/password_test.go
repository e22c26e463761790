package auth_test

import (
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
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
	cfg := config.Default()
	p := auth.PasswordPolicy{IsCommon: assets.IsCommonPassword,
		Words: append(assets.PasswordWords(), auth.WordsOf(cfg.Municipality.Name, cfg.Municipality.Address)...)}
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

		// Issue 13's examples, refused since.
		{"Şifre12345678", false},
		{"Kocasinan2026!", false},
		{strings.Repeat(" ", 12), false},
		{"12345", false},
		{"Erciyes dağı\x00karlı 38", false},   // NUL
		{"Erciyes dağı\tkarlı 38", false},     // a tab (C0)
		{"Erciyes dağı\u0085karlı 38", false}, // NEL (C1)
		{"Erciyes dağı\u200bkarlı 38", false}, // a zero-width space
		{"Erciyes dağı karlı 38\xff", false},  // not UTF-8
		// The municipality, the city, the product, "şifre", "parola",
		// whatever the case and the Turkish letters, digits and symbols
		// around them.
		{"KAYSERİ-2026-38!", false},
		{"kocasinan belediyesi 2026", false},
		{"Kayseri38Kocasinan!", false},
		{"Gişe 2026 Gişe 2026", false},
		{"GISE_gise_2026", false},
		{"Parola!2026*38", false},
		{"password 2026 !!", false},
		{"belediye-38-2026", false},
		// Keyboard runs, Turkish Q and F, with digits and symbols.
		{"qwerty123456!", false},
		{"123456789012", false},
		{"Asdf!2026asdf", false},
		{"fgğıod2026!!", false},
		{"FGĞIOD 38 38 38", false},
		{"ğpoıuytrewq1", false}, // the Q top row backwards
		{"!@#$%^&*()_+", false},
		{"   Kocasinan2026!   ", false},
		{"12345" + strings.Repeat(" ", 7), false}, // spaces do not make the length

		// Near misses that must still be accepted: strong passphrases that
		// hold a guessable word or run among other words, random digits.
		{"Kayseri mantısı 1923 sucuk", true},
		{"Kocasinan'da kar yağıyor 7", true},
		{"şifremi Erciyes'te unuttum", true},
		{"qwerty klavyeli daktilo 1958", true},
		{"Gişe önünde sıra yok 2026", true},
		{"738291046571", true},
		{"  Erciyes dağı karlı 38  ", true},
	} {
		err := p.Check("ayse.sahin", c.pw)
		if (err == nil) != c.ok || (err != nil && app.ErrorField(err) != "password") {
			t.Errorf("%q: %v", c.pw, err)
		}
	}
}

// TestControlCharactersInUsernames: a username holding a control character
// is refused with a sentence saying so, and one typed with a line break
// after it logs nobody in. Before, ParseUsername trimmed a tab or a line
// break, so "yonetici\n" logged in as yonetici.
func TestControlCharactersInUsernames(t *testing.T) {
	for _, u := range []string{"ayse\x00sahin", "ayse.sahin\t", "ayse.sahin\n", "\u0085ayse.sahin"} {
		_, err := auth.ParseUsername(u)
		if app.ErrorField(err) != "username" || !strings.Contains(app.ErrorMessage(err), "denetim karakteri") {
			t.Errorf("ParseUsername(%q): %v", u, err)
		}
	}
	e := newEnv(t)
	e.setupAdmin()
	_, err := e.svc.Login(e.ctx, "yonetici\n", adminPassword)
	wantCode(t, "a login as yonetici with a line break", err, app.EUNAUTH)
}

// TestFirstLoginRefusesTheTemporaryPassword: the new password chosen at the
// first login (or after a reset) cannot be the temporary one, and a clerk
// changing their own password cannot keep it. Before, both were accepted.
func TestFirstLoginRefusesTheTemporaryPassword(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	_, temp, err := e.svc.CreateAccount(e.ctx, a.sess, "gorevli", app.RoleClerk)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := e.svc.Login(e.ctx, "gorevli", temp)
	if err != nil {
		t.Fatal(err)
	}
	enr, _ := e.svc.BeginEnrolment(e.ctx, ch)
	if _, err := e.svc.CompleteEnrolment(e.ctx, ch, e.code(enr.Secret, 0)); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ChangePassword(e.ctx, ch, temp)
	if app.ErrorField(err) != "password" || !strings.Contains(app.ErrorMessage(err), "geçici şifre") {
		t.Fatalf("the temporary password as the new one: %v", err)
	}
	sess, err := e.svc.ChangePassword(e.ctx, ch, "Talas yokuşu 2026 bahar")
	if err != nil || sess == nil {
		t.Fatalf("a new password: %v", err)
	}
	err = e.svc.ChangeOwnPassword(e.ctx, sess, "Talas yokuşu 2026 bahar", "Talas yokuşu 2026 bahar")
	wantCode(t, "the current password as the new one", err, app.EINVALID)
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
