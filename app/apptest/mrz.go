package apptest

import "strings"

// Card is a synthetic identity document for tests: its zone is made with
// valid check digits by a computation of its own (not app's), so a test of
// app.ParseMRZ checks one against the other.
type Card struct {
	Code        string // "I" (identity card), "IR", "P" (passport)
	Issuer      string // "TUR"
	Document    string // document number, up to 9 characters
	NationalID  string // TC Kimlik No, in a TD1's first optional data ("" for none)
	Birth       string // YYMMDD
	Sex         string // "M", "F" or "<"
	Expiry      string // YYMMDD
	Nationality string
	Surname     string // in zone letters, spaces between parts
	Given       string
}

// TurkishCard returns a Turkish identity card (2017 on) of a citizen with
// national ID nid, valid until 2031.
func TurkishCard(nid, surname, given, birth string) Card {
	return Card{Code: "I", Issuer: "TUR", Document: "A12B34567", NationalID: nid, Birth: birth, Sex: "F",
		Expiry: "310815", Nationality: "TUR", Surname: surname, Given: given}
}

// CheckDigit is Doc 9303's check digit of s (weights 7, 3, 1; < is 0).
func CheckDigit(s string) string {
	sum := 0
	for i, c := range s {
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * []int{7, 3, 1}[i%3]
	}
	return string(rune('0' + sum%10))
}

// pad fills s with < to n characters (spaces become <).
func pad(s string, n int) string {
	s = strings.ReplaceAll(s, " ", "<")
	return s + strings.Repeat("<", n-len(s))
}

func (c Card) name(n int) string {
	return pad(c.Surname+"<<"+c.Given, n)[:n]
}

// TD1 returns the card's three lines of 30, joined by "\n".
func (c Card) TD1() string {
	doc := pad(c.Document, 9)
	optional := pad("", 15)
	if c.NationalID != "" {
		optional = pad("<"+c.NationalID, 15)
	}
	l1 := pad(c.Code, 2) + pad(c.Issuer, 3) + doc + CheckDigit(doc) + optional
	mid := c.Birth + CheckDigit(c.Birth) + c.Sex + c.Expiry + CheckDigit(c.Expiry) + pad(c.Nationality, 3) + pad("", 11)
	composite := l1[5:30] + mid[0:7] + mid[8:15] + mid[18:29]
	return l1 + "\n" + mid + CheckDigit(composite) + "\n" + c.name(30)
}

// TD3 returns the document as a passport's two lines of 44, joined by "\n".
func (c Card) TD3() string {
	doc := pad(c.Document, 9)
	personal := pad("", 14)
	l2 := doc + CheckDigit(doc) + pad(c.Nationality, 3) + c.Birth + CheckDigit(c.Birth) + c.Sex + c.Expiry +
		CheckDigit(c.Expiry) + personal + "<"
	composite := l2[0:10] + l2[13:20] + l2[21:43]
	return pad("P", 2) + pad(c.Issuer, 3) + c.name(39) + "\n" + l2 + CheckDigit(composite)
}
