package app

import (
	"context"
	"strings"
	"time"
)

// MRZNote opens the note of an identity check whose document was read by
// its machine-readable zone and matched the record in every point: the
// check digits, the national ID, the names by Turkish folding, the birth
// date and the expiry. The photo stays the clerk's to compare.
const MRZNote = "MRZ okundu: kontrol haneleri, kimlik numarası, ad, soyad, doğum tarihi ve geçerlilik uyuştu."

// MRZMatch is how a document's zone compares with a citizen's record.
type MRZMatch struct {
	HasNationalID bool // the zone carries a national ID (a Turkish TD1 card)
	NationalID    bool // it is the record's (true when the zone has none)
	Names         bool // surname and given names fold alike
	BirthDate     bool
	Expired       bool
}

// Passed reports whether every point matched and the document is in date.
func (r MRZMatch) Passed() bool { return r.NationalID && r.Names && r.BirthDate && !r.Expired }

// Result is the outcome to propose: verified when every point passed (the
// photo comparison still to be ticked), a mismatch when the document is
// not the record's person, not verified when it is theirs but expired.
func (r MRZMatch) Result() VerificationResult {
	switch {
	case !r.NationalID || !r.Names || !r.BirthDate:
		return Mismatch
	case r.Expired:
		return NotVerified
	}
	return Verified
}

// Match compares the zone with c as of now.
func (m MRZ) Match(c *Citizen, now time.Time) MRZMatch {
	return MRZMatch{
		HasNationalID: m.NationalID != "",
		NationalID:    m.NationalID == "" || m.NationalID == c.NationalID,
		Names:         m.NamesMatch(c.FirstName, c.LastName),
		BirthDate:     m.BirthDate.Equal(c.BirthDate),
		Expired:       m.Expired(now),
	}
}

// icaoUmlauts spells ä, ö and ü as Doc 9303 Part 3's transliteration does
// (AE, OE, UE), which some states' documents follow; Turkish documents
// write plain A, O, U, which FoldName gives.
var icaoUmlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "AE", "Ö", "OE", "Ü", "UE")

// NamesMatch reports whether first and last names, as a person typed them
// with their own letters, are what the zone spells: equal once folded the
// Turkish way (Ç→C, Ğ→G, I/İ→I, Ö→O, Ş→S, Ü→U, hyphens as spaces, no
// apostrophes), or with ICAO's AE/OE/UE. A truncated zone name need only
// begin the record's.
func (m MRZ) NamesMatch(first, last string) bool {
	for _, spell := range []func(string) string{FoldName, func(s string) string { return FoldName(icaoUmlauts.Replace(s)) }} {
		if spell(last) == FoldName(m.Surname) && spell(first) == FoldName(m.GivenNames) {
			return true
		}
		zone := FoldName(m.Surname + " " + m.GivenNames)
		if m.NameTruncated && strings.HasPrefix(spell(last+" "+first), zone) {
			return true
		}
	}
	return false
}

// MRZReader is a document reader that sends zones over a line of its own
// (a serial port), unlike a keyboard-wedge reader, which types them.
type MRZReader interface {
	// Read blocks until the reader has sent one zone's text (unparsed:
	// ParseMRZ reads it), ctx ends (ctx.Err()), or the line fails (an
	// *Error whose sentence says what to check).
	Read(ctx context.Context) (string, error)
	// Close releases the device; a Read in progress returns.
	Close() error
}
