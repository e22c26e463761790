package app

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// PhoneRegion is the region assumed for numbers typed without a country code.
const PhoneRegion = "TR"

// NormalizePhone reads a phone number as people write it in Turkey
// ("0532 123 45 67", "532 123 45 67", "+90 532…", "90532…", landlines too)
// and returns it in E.164 form ("+905321234567"). An empty input gives "".
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	num, err := phonenumbers.Parse(s, PhoneRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", FieldError("phone", "Telefon numarası geçerli değil; alan koduyla birlikte yazın (örneğin 0532 123 45 67 veya 0352 222 33 44).")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// FormatPhone returns an E.164 number in the national form people read
// ("0532 123 45 67" for Turkish numbers, international form for others).
func FormatPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, PhoneRegion)
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(num) == PhoneRegion {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// NormalizeEmail checks a bare e-mail address (no display name) with a
// domain that has a dot, and returns it trimmed with its domain in lower case.
// An empty input gives "".
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	bad := FieldError("email", "E-posta adresi geçerli değil; ad@alanadi.com biçiminde yazın.")
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", bad
	}
	at := strings.LastIndexByte(s, '@')
	domain := strings.ToLower(s[at+1:])
	if !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || len(s) > 254 {
		return "", bad
	}
	return s[:at+1] + domain, nil
}

// MaskPhone shows a phone number (E.164) as FormatPhone does with all but
// its first four and last two digits hidden: "0532 *** ** 67", enough for
// a clerk to ask "is it still the one ending in 67?".
func MaskPhone(e164 string) string {
	f := FormatPhone(e164)
	digits := 0
	for _, r := range f {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range f {
		if r >= '0' && r <= '9' {
			seen++
			if seen > 4 && seen <= digits-2 {
				r = '*'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// MaskEmail shows an e-mail address with its local part hidden but for
// its first letter: "a***@example.com".
func MaskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return email
	}
	first, _ := utf8.DecodeRuneInString(local)
	return string(first) + "***@" + domain
}
