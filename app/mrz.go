package app

import (
	"log/slog"
	"strings"
	"time"
)

// MRZFormat is the size of a machine-readable zone (ICAO Doc 9303).
type MRZFormat string

// Formats of ICAO Doc 9303: TD1 (Part 5, three lines of 30: identity cards,
// the Turkish card since 2017, residence permits), TD2 (Part 6, two lines of
// 36) and TD3 (Part 4, two lines of 44: passports).
const (
	TD1 MRZFormat = "TD1"
	TD2 MRZFormat = "TD2"
	TD3 MRZFormat = "TD3"
)

// MRZ is what a document's machine-readable zone says, every check digit
// verified. It holds the whole document number for the moment of the read;
// only SerialLast4 may be kept, and LogValue prints nothing personal.
type MRZ struct {
	Format         MRZFormat
	DocumentCode   string // "I", "ID", "IR", "P", … (fillers dropped)
	Issuer         string // issuing state, "TUR"
	DocumentNumber string
	Nationality    string
	BirthDate      time.Time // midnight UTC; the century put so it is not in the future
	Sex            string    // "M", "F", "X" or "" when unspecified
	Expiry         time.Time // midnight UTC
	Surname        string    // the primary identifier, as the zone spells it (no Turkish letters)
	GivenNames     string    // the secondary identifier, names separated by one space
	// NameTruncated: the name filled its field to the end, so the zone may
	// hold only the start of a long name (Doc 9303 Part 3, 4.6).
	NameTruncated bool
	// NationalID is the TC Kimlik No (or a foreigner's number) a Turkish
	// TD1 card carries in its first optional-data field; "" otherwise.
	NationalID NationalID
}

// Method returns how a check with this document is recorded: a passport
// (document code P), a residence permit (second letter R, or a Turkish
// card issued to a foreigner), else an identity card.
func (m MRZ) Method() DocumentMethod {
	switch {
	case strings.HasPrefix(m.DocumentCode, "P"):
		return MethodPassport
	case len(m.DocumentCode) == 2 && m.DocumentCode[1] == 'R',
		m.Issuer == "TUR" && m.Nationality != "TUR" && m.Nationality != "":
		return MethodResidencePermit
	}
	return MethodIDCard
}

// SerialLast4 returns the last four characters of the document number,
// the only part of it a check records.
func (m MRZ) SerialLast4() string {
	if n := len(m.DocumentNumber); n > 4 {
		return m.DocumentNumber[n-4:]
	}
	return m.DocumentNumber
}

// Expired reports whether the document's validity ended before today
// (a document is valid through its expiry date).
func (m MRZ) Expired(now time.Time) bool { return m.Expiry.Before(Today(now)) }

// LogValue keeps the zone out of logs: the format, the method and the
// serial's last four only.
func (m MRZ) LogValue() slog.Value {
	return slog.GroupValue(slog.String("format", string(m.Format)), slog.String("method", string(m.Method())),
		slog.String("serial_last4", m.SerialLast4()))
}

// ParseMRZ reads a machine-readable zone as a reader delivers it, against
// today's date. See ParseMRZAt.
func ParseMRZ(text string) (MRZ, error) { return ParseMRZAt(text, time.Now()) }

// ParseMRZAt reads a machine-readable zone (TD1, TD2 or TD3) and verifies
// every check digit, the composite included. It tolerates what readers and
// keyboard layouts do to the text (see normalizeMRZ): line breaks as CR, LF
// or none at all, and the filler `<` typed as `_`, `Ö` or `ö`. A failure is
// an *MRZError naming the line, the field and the check, wrapping an
// EINVALID *Error with a Turkish sentence (field "mrz").
func ParseMRZAt(text string, now time.Time) (MRZ, error) {
	lines, err := mrzLines(text)
	if err != nil {
		return MRZ{}, err
	}
	z := zone{lines: lines, today: Today(now)}
	switch len(lines[0]) {
	case 30:
		return z.td1()
	case 36:
		return z.td2()
	default:
		return z.td3()
	}
}

// zone is a normalised zone being read: its lines and the date the
// centuries are placed against.
type zone struct {
	lines []string
	today time.Time
}

// field returns characters from..to (1-based, inclusive, as Doc 9303
// numbers them) of line n (1-based).
func (z zone) field(n, from, to int) string { return z.lines[n-1][from-1 : to] }

// td1 reads three lines of 30 (Doc 9303 Part 5, 4.2.2): line 1 holds the
// document code (1–2), the issuer (3–5), the document number (6–14) and its
// check digit (15), optional data (16–30); line 2 the birth date (1–6) and
// its check digit (7), sex (8), expiry (9–14) and its check digit (15),
// nationality (16–18), optional data (19–29) and the composite check digit
// (30) over line 1's 6–30 and line 2's 1–7, 9–15 and 19–29; line 3 the name.
func (z zone) td1() (MRZ, error) {
	m := MRZ{Format: TD1}
	if err := z.header(&m, "IAC"); err != nil {
		return m, err
	}
	number, optional, err := z.documentNumber(1, 6, z.field(1, 16, 30))
	if err != nil {
		return m, err
	}
	m.DocumentNumber = number
	if err := z.personal(&m, 2, 1); err != nil {
		return m, err
	}
	if m.Nationality, err = z.code(2, 16, 18, "nationality"); err != nil {
		return m, err
	}
	composite := z.field(1, 6, 30) + z.field(2, 1, 7) + z.field(2, 9, 15) + z.field(2, 19, 29)
	if err := z.check(2, 30, "composite", composite); err != nil {
		return m, err
	}
	if err := z.name(&m, 3, 1, 30); err != nil {
		return m, err
	}
	return m, z.nationalID(&m, optional)
}

// td2 reads two lines of 36 (Doc 9303 Part 6, 4.2.2): line 1 the document
// code, the issuer and the name (6–36); line 2 the document number (1–9)
// and its check digit (10), nationality (11–13), birth date (14–19) and its
// check digit (20), sex (21), expiry (22–27) and its check digit (28),
// optional data (29–35) and the composite (36) over 1–10, 14–20 and 22–35.
func (z zone) td2() (MRZ, error) {
	m := MRZ{Format: TD2}
	if err := z.header(&m, "IAC"); err != nil {
		return m, err
	}
	if err := z.name(&m, 1, 6, 36); err != nil {
		return m, err
	}
	number, _, err := z.documentNumber(2, 1, z.field(2, 29, 35))
	if err != nil {
		return m, err
	}
	m.DocumentNumber = number
	if err := z.passportLine(&m); err != nil {
		return m, err
	}
	return m, z.check(2, 36, "composite", z.field(2, 1, 10)+z.field(2, 14, 20)+z.field(2, 22, 35))
}

// td3 reads two lines of 44 (Doc 9303 Part 4, 4.2.2): as TD2, with the
// name in 6–44 of line 1, a personal number (29–42) with its own check
// digit (43, or a filler when the number is blank) and the composite (44)
// over 1–10, 14–20 and 22–43. The document number has no extension.
func (z zone) td3() (MRZ, error) {
	m := MRZ{Format: TD3}
	if err := z.header(&m, "P"); err != nil {
		return m, err
	}
	if err := z.name(&m, 1, 6, 44); err != nil {
		return m, err
	}
	if err := z.check(2, 10, "document_number", z.field(2, 1, 9)); err != nil {
		return m, err
	}
	m.DocumentNumber = strings.TrimRight(z.field(2, 1, 9), "<")
	if err := z.passportLine(&m); err != nil {
		return m, err
	}
	personal := z.field(2, 29, 42)
	if z.field(2, 43, 43) != "<" || strings.Trim(personal, "<") != "" {
		if err := z.check(2, 43, "personal_number", personal); err != nil {
			return m, err
		}
	}
	return m, z.check(2, 44, "composite", z.field(2, 1, 10)+z.field(2, 14, 20)+z.field(2, 22, 43))
}

// passportLine reads what TD2 and TD3 share on line 2 after the document
// number: nationality, birth date, sex and expiry with their check digits.
func (z zone) passportLine(m *MRZ) error {
	var err error
	if m.Nationality, err = z.code(2, 11, 13, "nationality"); err != nil {
		return err
	}
	return z.personal(m, 2, 14)
}
