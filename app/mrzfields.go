package app

import (
	"strings"
	"time"
)

// mrzValue is a character's value in a check digit (Doc 9303 Part 3, 4.9):
// digits their own value, A–Z 10–35, the filler 0.
func mrzValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 0
}

// mrzCheckDigit returns the check digit of s: the values weighted 7, 3, 1
// repeating, summed, modulo 10.
func mrzCheckDigit(s string) int {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += mrzValue(s[i]) * weights[i%3]
	}
	return sum % 10
}

// check verifies that the digit at pos of line is the check digit of data.
func (z zone) check(line, pos int, field, data string) error {
	c := z.field(line, pos, pos)[0]
	if c < '0' || c > '9' || int(c-'0') != mrzCheckDigit(data) {
		return mrzErr(line, field, CheckDigit)
	}
	return nil
}

// header reads the document code (its first letter one of firsts) and the
// issuing state from the start of line 1.
func (z zone) header(m *MRZ, firsts string) error {
	code := z.field(1, 1, 2)
	if !strings.ContainsRune(firsts, rune(code[0])) || !isMRZLetter(code[1]) && code[1] != '<' {
		return mrzErr(1, "document_code", CheckFormat)
	}
	m.DocumentCode = strings.TrimRight(code, "<")
	var err error
	m.Issuer, err = z.code(1, 3, 5, "issuer")
	return err
}

// code reads a three-letter state code (a filler pads "D<<").
func (z zone) code(line, from, to int, field string) (string, error) {
	s := z.field(line, from, to)
	for i := 0; i < len(s); i++ {
		if !isMRZLetter(s[i]) && s[i] != '<' {
			return "", mrzErr(line, field, CheckFormat)
		}
	}
	if s[0] == '<' {
		return "", mrzErr(line, field, CheckFormat)
	}
	return strings.TrimRight(s, "<"), nil
}

// documentNumber reads the nine characters at from on line with their
// check digit. A filler in place of the check digit means a longer number
// whose rest, and then its check digit, open the optional data (Doc 9303
// Part 5, 4.2.4, note j). It returns the number and the optional data left.
func (z zone) documentNumber(line, from int, optional string) (string, string, error) {
	head := z.field(line, from, from+8)
	if z.field(line, from+9, from+9) != "<" {
		if err := z.check(line, from+9, "document_number", head); err != nil {
			return "", "", err
		}
		number := strings.TrimRight(head, "<")
		if number == "" || strings.Contains(number, "<") {
			return "", "", mrzErr(line, "document_number", CheckFormat)
		}
		return number, optional, nil
	}
	ext, rest, _ := strings.Cut(optional, "<")
	if len(ext) < 2 || strings.Contains(head, "<") {
		return "", "", mrzErr(line, "document_number", CheckFormat)
	}
	number, digit := head+ext[:len(ext)-1], ext[len(ext)-1]
	if digit < '0' || digit > '9' || int(digit-'0') != mrzCheckDigit(number) {
		return "", "", mrzErr(line, "document_number", CheckDigit)
	}
	return number, rest, nil
}

// personal reads the birth date, the sex and the expiry with their check
// digits, from position at of line: six digits and a check digit, one
// character, six digits and a check digit.
func (z zone) personal(m *MRZ, line, at int) error {
	birth := z.field(line, at, at+5)
	if err := z.check(line, at+6, "birth_date", birth); err != nil {
		return err
	}
	y, mo, d, ok := mrzDate(birth)
	if m.BirthDate = placeBirth(y, mo, d, z.today); !ok || m.BirthDate.IsZero() {
		return mrzErr(line, "birth_date", CheckFormat)
	}
	switch sex := z.field(line, at+7, at+7); sex {
	case "M", "F", "X":
		m.Sex = sex
	case "<":
	default:
		return mrzErr(line, "sex", CheckFormat)
	}
	expiry := z.field(line, at+8, at+13)
	if err := z.check(line, at+14, "expiry_date", expiry); err != nil {
		return err
	}
	y, mo, d, ok = mrzDate(expiry)
	if m.Expiry = placeExpiry(y, mo, d, z.today); !ok || m.Expiry.IsZero() {
		return mrzErr(line, "expiry_date", CheckFormat)
	}
	return nil
}

// mrzDate splits YYMMDD; ok is false unless all six are digits.
func mrzDate(s string) (y, m, d int, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, 0, 0, false
		}
	}
	n := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	return n(0), n(2), n(4), true
}

// calendarDate returns the date, or the zero time when it is not in the
// calendar (31 February).
func calendarDate(y, m, d int) time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}
	}
	return t
}

// placeBirth puts a two-digit birth year in the latest century that does
// not make the date lie after today.
func placeBirth(yy, m, d int, today time.Time) time.Time {
	century := today.Year() / 100 * 100
	t := calendarDate(century+yy, m, d)
	if t.After(today) {
		t = calendarDate(century-100+yy, m, d)
	}
	return t
}

// placeExpiry puts a two-digit expiry year within twenty years ahead of
// today and eighty behind: documents are issued for at most ten years, and
// an old expiry is still an expiry.
func placeExpiry(yy, m, d int, today time.Time) time.Time {
	year := today.Year()/100*100 + yy
	switch {
	case year > today.Year()+20:
		year -= 100
	case year <= today.Year()-80:
		year += 100
	}
	return calendarDate(year, m, d)
}

// name reads the holder's name from characters from..to of line: the
// primary identifier, two fillers, the secondary identifier with one filler
// between its parts, fillers to the end (Doc 9303 Part 3, 4.6). Letters
// after a run of fillers in the secondary identifier are refused: they
// cannot be a name.
func (z zone) name(m *MRZ, line, from, to int) error {
	s := z.field(line, from, to)
	for i := 0; i < len(s); i++ {
		if !isMRZLetter(s[i]) && s[i] != '<' {
			return mrzErr(line, "name", CheckFormat)
		}
	}
	primary, secondary, _ := strings.Cut(strings.TrimRight(s, "<"), "<<")
	secondary = strings.TrimLeft(secondary, "<")
	if primary == "" || strings.HasPrefix(primary, "<") || strings.Contains(secondary, "<<") {
		return mrzErr(line, "name", CheckFormat)
	}
	m.Surname = strings.ReplaceAll(primary, "<", " ")
	m.GivenNames = strings.ReplaceAll(secondary, "<", " ")
	m.NameTruncated = s[len(s)-1] != '<'
	return nil
}

// nationalID reads the TC Kimlik No from a Turkish card's first optional
// data field (line 1, 16–30): public cards carry a filler, the eleven
// digits and fillers there. Anything else with a digit in it is refused,
// as is a number whose own two check digits fail: the composite alone
// cannot tell a digit from a letter of the same value ("1" and "B").
func (z zone) nationalID(m *MRZ, optional string) error {
	if m.Issuer != "TUR" {
		return nil
	}
	digits := strings.Trim(optional, "<")
	if !strings.ContainsAny(digits, "0123456789") {
		return nil
	}
	if len(digits) != 11 || strings.Trim(digits, "0123456789") != "" {
		return mrzErr(1, "national_id", CheckFormat)
	}
	id, err := ParseNationalID(digits)
	if err != nil {
		return mrzErr(1, "national_id", CheckChecksum)
	}
	m.NationalID = id
	return nil
}

func isMRZLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
