package app

import (
	"fmt"
	"strings"
	"unicode"
)

// Checks an MRZError names.
const (
	CheckLayout   = "layout"      // not 3×30, 2×36 or 2×44 characters
	CheckFormat   = "format"      // a character where the field does not allow it
	CheckDigit    = "check_digit" // a check digit (the composite too) does not match
	CheckChecksum = "checksum"    // the TC Kimlik No's own check digits fail
)

// MRZError says where a machine-readable zone failed: the line (1-based; 0
// for the zone as a whole), the field ("birth_date", "composite",
// "national_id", …) and the check. It wraps an EINVALID *Error on the
// field "mrz" whose Turkish sentence says what to do.
type MRZError struct {
	Line  int
	Field string
	Check string
	err   *Error
}

// Error implements the error interface.
func (e *MRZError) Error() string {
	return fmt.Sprintf("mrz line %d %s %s: %s", e.Line, e.Field, e.Check, e.err.Message)
}

// Unwrap returns the domain error, so ErrorCode and ErrorMessage see it.
func (e *MRZError) Unwrap() error { return e.err }

// mrzErr returns the error of a failed check, with its sentence.
func mrzErr(line int, field, check string) *MRZError {
	return &MRZError{Line: line, Field: field, Check: check, err: mrzMessage(field + " " + check)}
}

// mrzMessage returns the domain error of a field's failed check: a
// sentence for each, and one for a stray character anywhere.
func mrzMessage(fieldCheck string) *Error {
	switch fieldCheck {
	case "document_number " + CheckDigit:
		return FieldError("mrz", "Belge numarasının kontrol hanesi tutmuyor; belgeyi okuyucuya yeniden okutun ya da bilgileri elle girin.")
	case "document_number " + CheckFormat:
		return FieldError("mrz", "Belge numarası okunamadı; belgeyi okuyucuya yeniden okutun ya da bilgileri elle girin.")
	case "birth_date " + CheckDigit:
		return FieldError("mrz", "Doğum tarihinin kontrol hanesi tutmuyor; belgeyi okuyucuya yeniden okutun ya da bilgileri elle girin.")
	case "birth_date " + CheckFormat:
		return FieldError("mrz", "Belgedeki doğum tarihi okunamadı ya da takvimde yok; belgeyi yeniden okutun ya da tarihi elle girin.")
	case "expiry_date " + CheckDigit:
		return FieldError("mrz", "Geçerlilik tarihinin kontrol hanesi tutmuyor; belgeyi okuyucuya yeniden okutun ya da bilgileri elle girin.")
	case "expiry_date " + CheckFormat:
		return FieldError("mrz", "Belgenin geçerlilik tarihi okunamadı ya da takvimde yok; belgeyi yeniden okutun.")
	case "personal_number " + CheckDigit:
		return FieldError("mrz", "Pasaporttaki kişisel numaranın kontrol hanesi tutmuyor; pasaportu okuyucuya yeniden okutun.")
	case "composite " + CheckDigit:
		return FieldError("mrz", "Makine okunur alanın genel kontrol hanesi tutmuyor; belgeyi okuyucuya yeniden okutun ya da bilgileri elle girin.")
	case "national_id " + CheckFormat:
		return FieldError("mrz", "Kimlik kartındaki T.C. kimlik numarası okunamadı; belgeyi yeniden okutun ya da numarayı elle girin.")
	case "national_id " + CheckChecksum:
		return FieldError("mrz", "Kimlik kartındaki T.C. kimlik numarası geçerli değil (kontrol haneleri tutmuyor); numarayı kartın ön yüzünden kontrol edin.")
	case "document_code " + CheckFormat:
		return FieldError("mrz", "Bu belge türü tanınmıyor; kimlik kartı, pasaport ya da ikamet izni okutun.")
	case "name " + CheckFormat:
		return FieldError("mrz", "Belgedeki ad ve soyad okunamadı; belgeyi yeniden okutun ya da adı elle girin.")
	case "zone " + CheckLayout:
		return FieldError("mrz", "Okunan metin bir kimlik belgesinin makine okunur alanına (MRZ) benzemiyor; belgeyi okuyucuya yeniden yerleştirin.")
	}
	return FieldError("mrz", "Makine okunur alanda beklenmeyen bir karakter var; belgeyi okuyucuya yeniden okutun ya da bilgileri elle girin.")
}

// mrzSubstitutes are the characters that stand for another in a zone typed
// by a keyboard-wedge reader, each for a reason found in the layouts
// (xkb-data's symbols/us and symbols/tr):
//   - 'Ö' for '<': a reader emulating a US keyboard types '<' as Shift and
//     the key right of M (AB08, comma/less on US); a host on the Turkish Q
//     layout maps that key to ö/Ö, so Shift gives 'Ö';
//   - 'ö' for '<', lower-case letters for capitals and 'ı' for 'I': the same
//     with Caps Lock on, which Shift cancels on the letter keys (ö included,
//     and Turkish Q's I key gives ı);
//   - '_' for '<': readers that type the filler as an underscore.
//
// A reader emulating a Turkish Q keyboard types '<' with the key left of Z
// (LSGT), which both layouts map to '<'. On a Turkish F host the letters
// move too: no substitution can mend that, the reader must be set to match.
var mrzSubstitutes = map[rune]byte{'Ö': '<', 'ö': '<', '_': '<', 'ı': 'I'}

// mrzByte returns the zone character r stands for, or 0.
func mrzByte(r rune) byte {
	switch {
	case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '<':
		return byte(r)
	case r >= 'a' && r <= 'z':
		return byte(r - 'a' + 'A')
	}
	return mrzSubstitutes[r]
}

// Lengths of the formats: lines a zone, characters a line.
var mrzShapes = []struct{ lines, width int }{{3, 30}, {2, 36}, {2, 44}}

// mrzLines splits text into the zone's lines: by its line breaks (CR, LF
// or both) when they give a known shape, else by a known shape's length
// when the reader sent none. Spaces and control characters at either end
// of a line (a serial reader's STX/ETX framing) are dropped; inside a line
// they are refused, as is every character not in the zone's alphabet or
// among mrzSubstitutes.
func mrzLines(text string) ([]string, error) {
	var lines [][]rune
	for _, l := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimFunc(l, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); l != "" {
			lines = append(lines, []rune(l))
		}
	}
	lines = mrzShape(lines)
	if lines == nil {
		return nil, mrzErr(0, "zone", CheckLayout)
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		b := make([]byte, len(l))
		for j, r := range l {
			if b[j] = mrzByte(r); b[j] == 0 {
				return nil, mrzErr(i+1, "character", CheckFormat)
			}
		}
		out[i] = string(b)
	}
	return out, nil
}

// mrzShape returns the lines if they have a known shape, else their
// characters cut by the shape whose total length they have, else nil.
func mrzShape(lines [][]rune) [][]rune {
	for _, s := range mrzShapes {
		if len(lines) != s.lines {
			continue
		}
		ok := true
		for _, l := range lines {
			ok = ok && len(l) == s.width
		}
		if ok {
			return lines
		}
	}
	var all []rune
	for _, l := range lines {
		all = append(all, l...)
	}
	for _, s := range mrzShapes {
		if len(all) == s.lines*s.width {
			out := make([][]rune, s.lines)
			for i := range out {
				out[i] = all[i*s.width : (i+1)*s.width]
			}
			return out
		}
	}
	return nil
}
