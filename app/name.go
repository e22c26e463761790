package app

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxNameLen is the longest first or last name accepted, in characters.
const MaxNameLen = 100

// NormalizeName trims a first or last name and collapses inner runs of white
// space to one space; it keeps the letters as typed. A name holds letters of
// any alphabet (with their combining marks), apostrophes, hyphens and spaces.
func NormalizeName(field, s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", FieldError(field, "Bu alan boş bırakılamaz; kimlik belgesinde yazdığı gibi girin.")
	}
	if len([]rune(s)) > MaxNameLen {
		return "", FieldError(field, "İsim en fazla 100 karakter olabilir.")
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.M, r), r == ' ', r == '-', r == '\'', r == '’':
		default:
			return "", FieldError(field, "İsimde yalnızca harf, boşluk, kesme işareti ve tire olabilir; rakam veya başka işaret yazmayın.")
		}
	}
	if letters == 0 {
		return "", FieldError(field, "İsimde en az bir harf olmalıdır.")
	}
	return s, nil
}

// UpperTR returns s in upper case by Turkish rules (i→İ, ı→I), as identity
// documents print names.
func UpperTR(s string) string { return strings.ToUpperSpecial(unicode.TurkishCase, s) }

// LowerTR returns s in lower case by Turkish rules (İ→i, I→ı).
func LowerTR(s string) string { return strings.ToLowerSpecial(unicode.TurkishCase, s) }

// TitleTR returns a name for display: the first letter of each word (after a
// space or a hyphen) in Turkish upper case, the rest in Turkish lower case.
// "ışIK ŞAHİN-ÖZ" becomes "Işık Şahin-Öz".
func TitleTR(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		if start {
			b.WriteString(UpperTR(string(r)))
		} else {
			b.WriteString(LowerTR(string(r)))
		}
		start = r == ' ' || r == '-'
	}
	return b.String()
}

// foldReplacer folds the Turkish letters directly (what removing their
// marks would give) and drops apostrophes, so most names need no Unicode
// transform; it is safe for concurrent use, unlike a transform chain, which
// FoldName builds per call for the rest.
var foldReplacer = strings.NewReplacer("ı", "i", "ş", "s", "ğ", "g", "ü", "u", "ö", "o", "ç", "c",
	"â", "a", "î", "i", "û", "u", "'", "", "’", "", "-", " ")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FoldName returns the search key of a name: Turkish lower case, diacritics
// removed, ı read as i, apostrophes and hyphens dropped, single spaces. So
// "ŞAHİN", "Şahin", "şahin" and "sahin" fold alike, as do "IŞIK" and "ışık".
func FoldName(s string) string {
	s = foldReplacer.Replace(LowerTR(strings.Join(strings.Fields(s), " ")))
	if isASCII(s) {
		return s // nothing left to strip: the common case after the replacer
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return strings.Join(strings.Fields(out), " ")
}
