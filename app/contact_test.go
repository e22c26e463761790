package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0532 123 45 67", "+905321234567"},
		{"532 123 45 67", "+905321234567"},
		{"5321234567", "+905321234567"},
		{"+90 532 123 45 67", "+905321234567"},
		{"90 532 123 45 67", "+905321234567"},
		{"905321234567", "+905321234567"},
		{"(0532) 123-45-67", "+905321234567"},
		{"0352 222 33 44", "+903522223344"}, // Kayseri landline
		{"+49 30 901820", "+4930901820"},    // a foreign number
		{"", ""},
	}
	for _, tt := range tests {
		got, err := app.NormalizePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"123", "0532 123", "abc", "0000 000 00 00", "+90 999 999 99 99"} {
		if _, err := app.NormalizePhone(bad); app.ErrorField(err) != "phone" {
			t.Errorf("NormalizePhone(%q): %v, want a phone error", bad, err)
		}
	}
	if got := app.FormatPhone("+905321234567"); got != "0532 123 45 67" {
		t.Errorf("FormatPhone = %q", got)
	}
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"0532 123 45 67", "+905321234567", "90532", "", "+", "0(352)2223344"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := app.NormalizePhone(s)
		if err != nil || got == "" {
			return
		}
		// An accepted number is E.164 and normalising it again changes nothing.
		if !strings.HasPrefix(got, "+") || len(got) > 16 {
			t.Fatalf("NormalizePhone(%q) = %q: not E.164", s, got)
		}
		again, err := app.NormalizePhone(got)
		if err != nil || again != got {
			t.Fatalf("NormalizePhone(%q) = %q, then %q, %v", s, got, again, err)
		}
	})
}

func TestNormalizeEmail(t *testing.T) {
	good := map[string]string{
		"ayse@example.com":         "ayse@example.com",
		" Ayse.Yilmaz@EXAMPLE.COM": "Ayse.Yilmaz@example.com",
		"a+b@sub.example.com.tr":   "a+b@sub.example.com.tr",
	}
	for in, want := range good {
		if got, err := app.NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"ayse", "ayse@", "@example.com", "Ayşe <a@b.com>", "a@localhost", "a b@c.com", "a@b.com."} {
		if _, err := app.NormalizeEmail(bad); app.ErrorField(err) != "email" {
			t.Errorf("NormalizeEmail(%q): %v, want an email error", bad, err)
		}
	}
}

func TestNames(t *testing.T) {
	if got, err := app.NormalizeName("first_name", "  Ayşe   Nur "); err != nil || got != "Ayşe Nur" {
		t.Errorf("NormalizeName = %q, %v", got, err)
	}
	for _, ok := range []string{"O'Neil", "Ali-Rıza", "Мария", "محمد", "Zoë", "İÇÖZ"} {
		if _, err := app.NormalizeName("last_name", ok); err != nil {
			t.Errorf("NormalizeName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "   ", "Ali2", "Ali_Veli", "-", "Ayşe!"} {
		if _, err := app.NormalizeName("last_name", bad); app.ErrorField(err) != "last_name" {
			t.Errorf("NormalizeName(%q): %v, want a last_name error", bad, err)
		}
	}
	cases := []struct{ in, title, upper string }{
		{"ışIK ŞAHİN-ÖZ", "Işık Şahin-Öz", "IŞIK ŞAHİN-ÖZ"},
		{"ilhan ıraz", "İlhan Iraz", "İLHAN IRAZ"},
		{"ÇAĞRI", "Çağrı", "ÇAĞRI"},
	}
	for _, c := range cases {
		if got := app.TitleTR(c.in); got != c.title {
			t.Errorf("TitleTR(%q) = %q, want %q", c.in, got, c.title)
		}
		if got := app.UpperTR(c.in); got != c.upper {
			t.Errorf("UpperTR(%q) = %q, want %q", c.in, got, c.upper)
		}
	}
	folds := [][]string{{"ŞAHİN", "şahin", "Şahin", "sahin"}, {"IŞIK", "ışık", "Işık", "isik"}, {"ÖZÇELİK", "özçelik", "ozcelik"}}
	for _, group := range folds {
		for _, s := range group {
			if app.FoldName(s) != app.FoldName(group[0]) {
				t.Errorf("FoldName(%q) = %q, FoldName(%q) = %q", s, app.FoldName(s), group[0], app.FoldName(group[0]))
			}
		}
	}
}

func TestBirthDate(t *testing.T) {
	now := time.Date(2026, 11, 28, 15, 0, 0, 0, time.Local)
	for _, ok := range []string{"23.04.1985", "1985-04-23", "23/04/1985", "3.4.1985", "28.11.2026"} {
		if _, err := app.ParseBirthDate(ok, now); err != nil {
			t.Errorf("ParseBirthDate(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"29.11.2026", "31.02.2000", "1985", "28.11.1896", "abc", ""} {
		if _, err := app.ParseBirthDate(bad, now); app.ErrorField(err) != "birth_date" {
			t.Errorf("ParseBirthDate(%q): %v, want a birth_date error", bad, err)
		}
	}
}

func TestParseCitizenContactRule(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	in := app.CitizenInput{NationalID: "10000000146", FirstName: "Ayşe", LastName: "Yılmaz", BirthDate: "01.01.1990"}
	if _, err := app.ParseCitizen(in, now); app.ErrorField(err) != "phone" {
		t.Errorf("no contact: %v, want a phone error", err)
	}
	in.ContactDeclined = true
	if _, err := app.ParseCitizen(in, now); err != nil {
		t.Errorf("declined contact: %v", err)
	}
	in.ContactDeclined, in.Email = false, "ayse@example.com"
	c, err := app.ParseCitizen(in, now)
	if err != nil || c.Email != "ayse@example.com" || c.DisplayName() != "Ayşe Yılmaz" {
		t.Errorf("email contact: %+v, %v", c, err)
	}
}

// One press of "Kaydet" marks every field to fix, not only the first.
func TestParseCitizenAllReportsEveryField(t *testing.T) {
	_, problems := app.ParseCitizenAll(app.CitizenInput{NationalID: "12345678901", FirstName: " ",
		BirthDate: "31.02.1985", Phone: "12"}, time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	var fields []string
	for _, p := range problems {
		fields = append(fields, app.ErrorField(p))
	}
	want := []string{"national_id", "first_name", "last_name", "birth_date", "phone"}
	if strings.Join(fields, ",") != strings.Join(want, ",") {
		t.Fatalf("fields with problems %v, want %v", fields, want)
	}
	if _, problems := app.ParseCitizenAll(app.CitizenInput{NationalID: "10000000146", FirstName: "Işıl",
		LastName: "Çağlar", BirthDate: "23.04.1985"}, time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)); len(problems) != 1 ||
		app.ErrorField(problems[0]) != "phone" {
		t.Fatalf("no contact at all: %v", problems)
	}
}

func TestMaskedContactKeepsWhatACheckNeeds(t *testing.T) {
	if got := app.MaskPhone("+905321234567"); got != "0532 *** ** 67" {
		t.Errorf("MaskPhone: %q", got)
	}
	if got := app.MaskEmail("ayse@example.com"); got != "a***@example.com" {
		t.Errorf("MaskEmail: %q", got)
	}
	if got := app.MaskEmail("çağrı@örnek.com.tr"); got != "ç***@örnek.com.tr" {
		t.Errorf("MaskEmail with a Turkish letter first: %q", got)
	}
}

func TestMaskedContactOfNoneIsEmpty(t *testing.T) {
	if app.MaskPhone("") != "" || app.MaskEmail("") != "" {
		t.Errorf("no contact masked: %q %q", app.MaskPhone(""), app.MaskEmail(""))
	}
}
