package auth

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kocasinan/gise/app"
)

// PasswordPolicy judges a new password. IsCommon reports whether a password
// (already lower-cased) is in a list of common passwords; main passes
// assets.IsCommonPassword. Words are the words guessable at this terminal
// (the product's, "şifre", the municipality's and the city's names: main
// passes assets.PasswordWords and WordsOf the configured names), in any
// case and spelling (they are folded like the password); a password made
// only of them, keyboard runs, digits and symbols is refused.
type PasswordPolicy struct {
	IsCommon func(lower string) bool
	Words    []string
}

// Check returns an EINVALID *app.Error (field "password") saying what to
// change, or nil when password may be used by username. It refuses a
// password holding a control or invisible character; one of only white
// space; one shorter than MinPasswordLength characters once white space is
// trimmed and collapsed, or longer than 256 bytes; one in the common list
// (also once trailing digits and symbols are removed, so "password2024!" is
// refused); one made of fewer than five different characters; one that
// contains the username; and one made, after Turkish folding, only of
// guessable words and keyboard runs (Turkish Q and F) with digits and
// symbols around them ("Kocasinan2026!", "Şifre12345678", "qwerty123456").
func (pp PasswordPolicy) Check(username, password string) error {
	lower := strings.ToLower(password)
	core := strings.TrimRightFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	switch {
	case hasControl(password):
		return app.FieldError("password", "Şifrede görünmeyen bir denetim karakteri var (sekme, satır sonu gibi); yalnızca klavyeden yazılan harf, rakam, boşluk ve işaretleri kullanın.")
	case strings.TrimSpace(password) == "":
		return app.FieldError("password", "Şifre yalnızca boşluklardan oluşamaz; harf, rakam ve işaretlerden oluşan bir şifre seçin.")
	case utf8.RuneCountInString(strings.Join(strings.Fields(password), " ")) < MinPasswordLength:
		return app.FieldError("password", fmt.Sprintf("Şifre en az %d karakter olmalı. Birkaç kelimeden oluşan uzun bir cümle seçebilirsiniz.", MinPasswordLength))
	case len(password) > maxPasswordBytes:
		return app.FieldError("password", "Şifre çok uzun; 256 bayttan kısa bir şifre seçin.")
	case pp.IsCommon == nil:
		return errors.New("password policy: no common-password list")
	case pp.IsCommon(lower) || (utf8.RuneCountInString(core) >= 4 && pp.IsCommon(core)):
		return app.FieldError("password", "Bu şifre sık kullanılan şifreler listesinde; tahmin edilmesi zor, başka bir şifre seçin.")
	case distinct(lower) < 5:
		return app.FieldError("password", "Şifre neredeyse aynı karakterlerin tekrarından oluşuyor; daha çeşitli bir şifre seçin.")
	case len(username) >= 3 && strings.Contains(lower, strings.ToLower(username)):
		return app.FieldError("password", "Şifre kullanıcı adınızı içermemeli; başka bir şifre seçin.")
	}
	switch guessable(FoldPassword(password), pp.Words) {
	case madeOfWords:
		return app.FieldError("password", "Şifre tahmin edilmesi kolay bir kelimeden (belediyenin ya da şehrin adı, Gişe, şifre, parola gibi) ve rakam ya da işaretlerden oluşuyor; yanına başka kelimeler ekleyin, örneğin birkaç kelimelik bir cümle seçin.")
	case madeOfRuns:
		return app.FieldError("password", "Şifre bir klavye sırasından (qwerty, asdf, 123456, fgğıod gibi) ve rakam ya da işaretlerden oluşuyor; yerine birkaç kelimelik bir cümle seçin.")
	}
	return nil
}

// errSamePassword refuses a new password equal to the current one.
func errSamePassword() error {
	return app.FieldError("password", "Yeni şifre mevcut şifrenizle aynı olamaz; başka bir şifre seçin.")
}

// hasControl reports whether s is not UTF-8 or holds a control character
// (C0, DEL, C1: NUL, tab, line breaks…) or an invisible format character
// (zero-width space, direction marks).
func hasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// FoldPassword is what a password's guessable parts are looked for in:
// Turkish lower case, the marks removed (ş→s, ı→i, ğ→g…), white space
// dropped.
func FoldPassword(s string) string {
	return strings.Join(strings.Fields(app.FoldName(s)), "")
}

// WordsOf returns the words of at least four letters in texts, folded: the
// configured municipality's name and address give "kocasinan",
// "belediyesi", "kayseri".
func WordsOf(texts ...string) []string {
	var words []string
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(app.FoldName(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(w) >= 4 {
				words = append(words, w)
			}
		}
	}
	return words
}

// keyboardRows are the rows of the Turkish Q and F keyboards (and the
// symbols over the digits on Turkish and US keyboards), folded like
// passwords; a run is four or more neighbouring keys of a row, either way.
var keyboardRows = foldRows(
	"1234567890*-", "!'^+%&/()=?_", "!@#$%^&*()_+", // digits and their shifts
	"qwertyuıopğü", "asdfghjklşi", "zxcvbnmöç", // Turkish Q
	"fgğıodrnhpqw", "uieaütkmlyşx", "jövcçzsb", // Turkish F
)

// minRun is the shortest keyboard run counted.
const minRun = 4

func foldRows(rows ...string) [][]rune {
	var out [][]rune
	for _, r := range rows {
		f := []rune(FoldPassword(r))
		rev := make([]rune, len(f))
		for i, c := range f {
			rev[len(f)-1-i] = c
		}
		out = append(out, f, rev)
	}
	return out
}

// guessability is what guessable found a folded password made of.
type guessability int

const (
	notGuessable guessability = iota
	madeOfWords               // guessable words, perhaps with runs, digits and symbols
	madeOfRuns                // keyboard runs with digits and symbols
)

// guessable reports whether p (folded) is wholly made of words, keyboard
// runs and characters other than letters, with at least one word or run: a
// dynamic programme over its positions, each reached with or without a word
// and with or without a run.
func guessable(p string, words []string) guessability {
	rs := []rune(p)
	n := len(rs)
	// reach[i] bit 0: position i reached; bit 1: with a word; bit 2: with a run.
	reach := make([]uint8, n+1)
	reach[0] = 1
	folded := make([][]rune, 0, len(words))
	for _, w := range words {
		if f := []rune(FoldPassword(w)); len(f) >= 3 {
			folded = append(folded, f)
		}
	}
	for i := 0; i < n; i++ {
		if reach[i] == 0 {
			continue
		}
		if !unicode.IsLetter(rs[i]) {
			reach[i+1] |= reach[i]
		}
		for _, w := range folded {
			if i+len(w) <= n && slices.Equal(rs[i:i+len(w)], w) {
				reach[i+len(w)] |= reach[i] | 2
			}
		}
		for _, j := range runEnds(rs, i) {
			reach[j] |= reach[i] | 4
		}
	}
	switch {
	case reach[n]&2 != 0:
		return madeOfWords
	case reach[n]&4 != 0:
		return madeOfRuns
	}
	return notGuessable
}

// runEnds returns the ends of the keyboard runs of at least minRun keys
// that start at rs[i].
func runEnds(rs []rune, i int) []int {
	var ends []int
	for _, row := range keyboardRows {
		for p := range row {
			k := 0
			for i+k < len(rs) && p+k < len(row) && rs[i+k] == row[p+k] {
				k++
			}
			for l := minRun; l <= k; l++ {
				ends = append(ends, i+l)
			}
		}
	}
	return ends
}
