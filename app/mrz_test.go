package app_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
)

// mrzNow is the date every zone in these tests is read on.
var mrzNow = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ICAO Doc 9303's own specimens: Part 5 (TD1), Part 6 (TD2), Part 4 (TD3,
// the current and the earlier edition's), all of Anna Maria Eriksson of
// Utopia.
var icaoSpecimens = []struct {
	name, zone string
	want       app.MRZ
}{
	{"TD1 (Part 5)", "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		app.MRZ{Format: app.TD1, DocumentCode: "I", Issuer: "UTO", DocumentNumber: "D23145890", Nationality: "UTO",
			BirthDate: day(1974, 8, 12), Sex: "F", Expiry: day(2012, 4, 15), Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}},
	{"TD2 (Part 6)", "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
		app.MRZ{Format: app.TD2, DocumentCode: "I", Issuer: "UTO", DocumentNumber: "D23145890", Nationality: "UTO",
			BirthDate: day(1974, 8, 12), Sex: "F", Expiry: day(2012, 4, 15), Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}},
	{"TD3 (Part 4)", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
		app.MRZ{Format: app.TD3, DocumentCode: "P", Issuer: "UTO", DocumentNumber: "L898902C3", Nationality: "UTO",
			BirthDate: day(1974, 8, 12), Sex: "F", Expiry: day(2012, 4, 15), Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}},
	{"TD3 (earlier edition)", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<14",
		app.MRZ{Format: app.TD3, DocumentCode: "P", Issuer: "UTO", DocumentNumber: "L898902C", Nationality: "UTO",
			BirthDate: day(1969, 8, 6), Sex: "F", Expiry: day(1994, 6, 23), Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}},
}

func TestParseMRZICAOSpecimens(t *testing.T) {
	for _, tc := range icaoSpecimens {
		got, err := app.ParseMRZAt(tc.zone, mrzNow)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
		if !got.Expired(mrzNow) || got.Method() != map[bool]app.DocumentMethod{true: app.MethodPassport, false: app.MethodIDCard}[got.Format == app.TD3] {
			t.Errorf("%s: expired %v, method %s", tc.name, got.Expired(mrzNow), got.Method())
		}
	}
}

// turkishZone is a synthetic Turkish identity card of a citizen with a
// checksum-valid national ID.
func turkishZone() (apptest.Card, string) {
	c := apptest.TurkishCard(apptest.NationalID(4711), "CAGLAR", "ISIL NUR", "900521")
	return c, c.TD1()
}

func TestParseMRZTurkishCard(t *testing.T) {
	card, zone := turkishZone()
	m, err := app.ParseMRZAt(zone, mrzNow)
	if err != nil {
		t.Fatal(err)
	}
	want := app.MRZ{Format: app.TD1, DocumentCode: "I", Issuer: "TUR", DocumentNumber: "A12B34567", Nationality: "TUR",
		BirthDate: day(1990, 5, 21), Sex: "F", Expiry: day(2031, 8, 15), Surname: "CAGLAR", GivenNames: "ISIL NUR",
		NationalID: app.NationalID(card.NationalID)}
	if m != want {
		t.Fatalf("\n got %+v\nwant %+v", m, want)
	}
	if m.Method() != app.MethodIDCard || m.SerialLast4() != "4567" || m.Expired(mrzNow) {
		t.Errorf("method %s, serial %s, expired %v", m.Method(), m.SerialLast4(), m.Expired(mrzNow))
	}
	// A card Turkey issues to a foreigner is a residence permit; its
	// number (99…) passes the same checksum.
	card.Nationality, card.NationalID = "SYR", "99000000042" // checksum-valid foreigner's number
	m, err = app.ParseMRZAt(card.TD1(), mrzNow)
	if err != nil || m.Method() != app.MethodResidencePermit || m.NationalID != app.NationalID(card.NationalID) {
		t.Errorf("residence permit: %s %s, %v", m.Method(), m.NationalID, err)
	}
}

// TestParseMRZTolerates reads the same card as readers and keyboard
// layouts deliver it; each must give the card itself.
func TestParseMRZTolerates(t *testing.T) {
	_, zone := turkishZone()
	want, _ := app.ParseMRZAt(zone, mrzNow)
	flat := strings.ReplaceAll(zone, "\n", "")
	for name, text := range map[string]string{
		"CR LF":                              strings.ReplaceAll(zone, "\n", "\r\n") + "\r\n",
		"CR":                                 strings.ReplaceAll(zone, "\n", "\r"),
		"no separators":                      flat,
		"underscore filler":                  strings.ReplaceAll(zone, "<", "_"),
		"US reader on a Turkish Q host":      strings.ReplaceAll(zone, "<", "Ö"),
		"the same with Caps Lock":            strings.ReplaceAll(strings.ToLower(zone), "<", "ö"),
		"Caps Lock on Turkish Q's I key":     strings.ReplaceAll(strings.ToLower(zone), "i", "ı"),
		"serial framing (STX … ETX, spaces)": "\x02" + strings.ReplaceAll(zone, "\n", " \r\n ") + "\x03\r\n",
		"blank lines around":                 "\n\n" + zone + "\n\n",
	} {
		got, err := app.ParseMRZAt(text, mrzNow)
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
}

// TestParseMRZErrors names the line, the field and the check of each
// failure, with a Turkish sentence on the field "mrz".
func TestParseMRZErrors(t *testing.T) {
	card, zone := turkishZone()
	lines := strings.Split(zone, "\n")
	set := func(line, pos int, c string) string {
		l := append([]string(nil), lines...)
		l[line-1] = l[line-1][:pos-1] + c + l[line-1][pos:]
		return strings.Join(l, "\n")
	}
	other := func(line, pos int) string { // the digit after the one there
		return set(line, pos, string('0'+(lines[line-1][pos-1]-'0'+1)%10))
	}
	badTC := card
	badTC.NationalID = "12345678901" // composite valid, the TC's own digits not
	feb30 := card
	feb30.Birth = "900230"
	td3 := card.TD3()
	tests := []struct {
		name, text string
		line       int
		field      string
		check      string
	}{
		{"document number's check digit", other(1, 15), 1, "document_number", app.CheckDigit},
		{"birth date's check digit", other(2, 7), 2, "birth_date", app.CheckDigit},
		{"expiry's check digit", other(2, 15), 2, "expiry_date", app.CheckDigit},
		{"composite", other(2, 30), 2, "composite", app.CheckDigit},
		{"a TC digit (the composite catches it)", other(1, 20), 2, "composite", app.CheckDigit},
		{"a TC digit read as a letter of the same value", set(1, 17, string("ABCDEFGHIJ"[lines[0][16]-'0'])), 1, "national_id", app.CheckFormat},
		{"TC checksum", badTC.TD1(), 1, "national_id", app.CheckChecksum},
		{"31 February", feb30.TD1(), 2, "birth_date", app.CheckFormat},
		{"a letter in a date", set(2, 3, "A"), 2, "birth_date", app.CheckFormat},
		{"sex", set(2, 8, "Q"), 2, "sex", app.CheckFormat},
		{"a digit in the name", set(3, 3, "4"), 3, "name", app.CheckFormat},
		{"letters after the name's filler", set(3, 29, "X"), 3, "name", app.CheckFormat},
		{"a visa", set(1, 1, "V"), 1, "document_code", app.CheckFormat},
		{"a stray character", set(2, 20, "?"), 2, "character", app.CheckFormat},
		{"a space inside", set(3, 12, " "), 3, "character", app.CheckFormat},
		{"a line short", zone[:len(zone)-1], 0, "zone", app.CheckLayout},
		{"not a zone at all", "https://www.kocasinan.bel.tr/basvuru/K7QM4X29PQ7C", 0, "zone", app.CheckLayout},
		{"passport document number", td3[:45+9] + string('0'+(td3[45+9]-'0'+1)%10) + td3[45+10:], 2, "document_number", app.CheckDigit},
		{"passport composite", td3[:len(td3)-1] + "0", 2, "composite", app.CheckDigit},
	}
	for _, tc := range tests {
		_, err := app.ParseMRZAt(tc.text, mrzNow)
		var me *app.MRZError
		if !errors.As(err, &me) || me.Line != tc.line || me.Field != tc.field || me.Check != tc.check {
			t.Errorf("%s: %v (want line %d %s %s)", tc.name, err, tc.line, tc.field, tc.check)
			continue
		}
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "mrz" || !strings.Contains(app.ErrorMessage(err), "; ") {
			t.Errorf("%s: code %s field %s message %q", tc.name, app.ErrorCode(err), app.ErrorField(err), app.ErrorMessage(err))
		}
	}
}

func TestParseMRZCenturies(t *testing.T) {
	card, _ := turkishZone()
	for _, tc := range []struct {
		birth, expiry      string
		wantBirth, wantExp time.Time
	}{
		{"250101", "310101", day(2025, 1, 1), day(2031, 1, 1)},
		{"260301", "460228", day(2026, 3, 1), day(2046, 2, 28)}, // born today; expiry 20 years on
		{"260302", "470101", day(1926, 3, 2), day(1947, 1, 1)},  // tomorrow is a century back; so is +21 years
		{"000229", "000229", day(2000, 2, 29), day(2000, 2, 29)},
	} {
		card.Birth, card.Expiry = tc.birth, tc.expiry
		m, err := app.ParseMRZAt(card.TD1(), mrzNow)
		if err != nil || !m.BirthDate.Equal(tc.wantBirth) || !m.Expiry.Equal(tc.wantExp) {
			t.Errorf("%s/%s: born %v, expires %v, %v", tc.birth, tc.expiry, m.BirthDate, m.Expiry, err)
		}
	}
}

func TestMRZMatchesTheRecord(t *testing.T) {
	card, zone := turkishZone()
	m, _ := app.ParseMRZAt(zone, mrzNow)
	c := &app.Citizen{NationalID: app.NationalID(card.NationalID), FirstName: "Işıl Nur", LastName: "Çağlar", BirthDate: day(1990, 5, 21)}
	if r := m.Match(c, mrzNow); !r.Passed() || r.Result() != app.Verified || !r.HasNationalID {
		t.Errorf("same person: %+v", r)
	}
	for name, change := range map[string]func(c *app.Citizen){
		"another number":     func(c *app.Citizen) { c.NationalID = app.NationalID(apptest.NationalID(4712)) },
		"another first name": func(c *app.Citizen) { c.FirstName = "Işın Nur" },
		"another surname":    func(c *app.Citizen) { c.LastName = "Çağlayan" },
		"another birth date": func(c *app.Citizen) { c.BirthDate = day(1990, 5, 22) },
	} {
		other := *c
		change(&other)
		if r := m.Match(&other, mrzNow); r.Passed() || r.Result() != app.Mismatch {
			t.Errorf("%s: %+v", name, r)
		}
	}
	if r := m.Match(c, day(2031, 8, 16)); r.Passed() || !r.Expired || r.Result() != app.NotVerified {
		t.Errorf("the day after expiry: %+v", r)
	}
	if r := m.Match(c, day(2031, 8, 15)); !r.Passed() {
		t.Errorf("on the expiry date: %+v", r)
	}
	// A German passport spells Ö as OE (ICAO's transliteration).
	de := app.MRZ{Surname: "MOELLER", GivenNames: "JUERGEN"}
	if !de.NamesMatch("Jürgen", "Möller") || de.NamesMatch("Jurgen", "Moler") {
		t.Error("OE/UE spelling")
	}
	long := app.MRZ{Surname: "KARAMUSTAFAOGLU", GivenNames: "MEHMET ALI", NameTruncated: true}
	if !long.NamesMatch("Mehmet Ali Rıza", "Karamustafaoğlu") {
		t.Error("a truncated name must match the start of the record's")
	}
}

// TestMRZLogValue keeps the document number and the national ID out of
// the logs.
func TestMRZLogValue(t *testing.T) {
	card, zone := turkishZone()
	m, _ := app.ParseMRZAt(zone, mrzNow)
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("read", "mrz", m)
	if out := b.String(); strings.Contains(out, card.Document) || strings.Contains(out, card.NationalID) ||
		strings.Contains(out, "CAGLAR") || !strings.Contains(out, "serial_last4=4567") {
		t.Errorf("log line: %s", out)
	}
}

// blindSpots are, for each format, the fields outside every check digit
// (the document code, the issuer, the sex, the nationality, the name) and
// the alphanumeric fields under one, where ICAO's scheme cannot tell apart
// characters whose values agree modulo 10 (0, <, A, K, U; 1, B, L, V; …):
// its weights 7, 3, 1 are all prime to 10. Ranges are line, from, to.
var blindSpots = map[app.MRZFormat]struct{ uncovered, alnum [][3]int }{
	app.TD1: {[][3]int{{1, 1, 5}, {2, 8, 8}, {2, 16, 18}, {3, 1, 30}}, [][3]int{{1, 6, 14}, {1, 16, 30}, {2, 19, 29}}},
	app.TD2: {[][3]int{{1, 1, 36}, {2, 11, 13}, {2, 21, 21}}, [][3]int{{2, 1, 9}, {2, 29, 35}}},
	app.TD3: {[][3]int{{1, 1, 44}, {2, 11, 13}, {2, 21, 21}}, [][3]int{{2, 1, 9}, {2, 29, 43}}},
}

func inSpots(spots [][3]int, line, pos int) bool {
	for _, s := range spots {
		if s[0] == line && pos >= s[1] && pos <= s[2] {
			return true
		}
	}
	return false
}

// zoneChar is what a typed character stands for in a zone (the
// substitutions ParseMRZ accepts), or the character itself.
func zoneChar(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	case r == 'Ö' || r == 'ö' || r == '_':
		return '<'
	case r == 'ı':
		return 'I'
	}
	return r
}

func mrzValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 'A' && r <= 'Z':
		return int(r-'A') + 10
	}
	return 0
}

// singleChange checks one changed character of a valid zone: it must be
// refused, or read as the same document, or change only what no check
// digit can protect (then the rest of the document must read the same).
func singleChange(t *testing.T, zone string, orig app.MRZ, line, pos int, r rune) {
	lines := strings.Split(zone, "\n")
	old := rune(lines[line-1][pos-1])
	l := []rune(lines[line-1])
	l[pos-1] = r
	lines[line-1] = string(l)
	got, err := app.ParseMRZAt(strings.Join(lines, "\n"), mrzNow)
	if err != nil || got == orig {
		return
	}
	where := fmt.Sprintf("%s line %d position %d %q→%q", orig.Format, line, pos, old, r)
	spots := blindSpots[orig.Format]
	switch {
	case inSpots(spots.uncovered, line, pos):
		if got.DocumentNumber != orig.DocumentNumber || got.BirthDate != orig.BirthDate || got.Expiry != orig.Expiry {
			t.Errorf("%s: a change outside the check digits changed a checked field: %+v", where, got)
		}
	case inSpots(spots.alnum, line, pos) && mrzValue(zoneChar(r))%10 == mrzValue(old)%10:
		got.DocumentNumber = orig.DocumentNumber
		if got != orig {
			t.Errorf("%s: the change reached beyond its field: %+v", where, got)
		}
	default:
		t.Errorf("%s: accepted a change under a check digit: %+v", where, got)
	}
}

// changes are the characters each position is changed to: the zone's
// alphabet, the accepted substitutions and a few strays.
var changes = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<ÖöıaZ_ ?\nÇİ-\x00")

// TestParseMRZSingleChange changes every character of each zone to every
// character of changes: 90 × 50 readings of the card alone.
func TestParseMRZSingleChange(t *testing.T) {
	card, zone := turkishZone()
	zones := []string{zone, card.TD3()}
	for _, s := range icaoSpecimens {
		zones = append(zones, s.zone)
	}
	for _, z := range zones {
		orig, err := app.ParseMRZAt(z, mrzNow)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(z, "\n") {
			for pos := 1; pos <= len(l); pos++ {
				for _, r := range changes {
					singleChange(t, z, orig, i+1, pos, r)
				}
			}
		}
	}
}

// FuzzParseMRZ reads any text (it must never panic, and what it accepts
// must hold together), and changes one character of an accepted zone by
// the single-change rule above.
func FuzzParseMRZ(f *testing.F) {
	card, zone := turkishZone()
	for i, z := range []string{zone, card.TD3(), icaoSpecimens[0].zone, icaoSpecimens[1].zone, icaoSpecimens[2].zone,
		strings.ReplaceAll(zone, "\n", ""), strings.ReplaceAll(zone, "<", "Ö"), "", "<<<", "I<TUR\n\n"} {
		f.Add(z, uint(i*37), 'A'+rune(i))
	}
	f.Fuzz(func(t *testing.T, text string, at uint, r rune) {
		m, err := app.ParseMRZAt(text, mrzNow)
		if err != nil {
			var me *app.MRZError
			if !errors.As(err, &me) || app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("not an MRZ error: %v", err)
			}
			return
		}
		if m.BirthDate.After(app.Today(mrzNow)) || m.DocumentNumber == "" || m.Surname == "" {
			t.Fatalf("accepted %+v", m)
		}
		if m.NationalID != "" {
			if _, err := app.ParseNationalID(string(m.NationalID)); err != nil {
				t.Fatalf("national ID %s: %v", m.NationalID, err)
			}
		}
		lines := canonicalLines(m, text)
		line := int(at) % len(lines)
		singleChange(t, strings.Join(lines, "\n"), m, line+1, int(at/7)%len(lines[line])+1, r)
	})
}

// canonicalLines returns the zone text was read as, in capitals and
// fillers, split into its lines.
func canonicalLines(m app.MRZ, text string) []string {
	var b strings.Builder
	for _, r := range text {
		if r = zoneChar(r); r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<' {
			b.WriteRune(r)
		}
	}
	all, width := b.String(), map[app.MRZFormat]int{app.TD1: 30, app.TD2: 36, app.TD3: 44}[m.Format]
	var out []string
	for i := 0; i+width <= len(all); i += width {
		out = append(out, all[i:i+width])
	}
	return out
}
