package sqlite

import (
	"fmt"
	"strings"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
)

// Blind index purposes. Each is a separate HMAC domain.
const (
	indexNationalID = "national_id"
	indexPhone      = "phone"
	indexNamePrefix = "name_prefix"
)

// maxPrefix is the longest name prefix the name index holds, in letters;
// tokenSize is how many bytes of its HMAC a name-index row keeps. The index
// holds the prefixes of even length (2, 4, 6, 8 letters): each row is a
// random page written in the registration's commit, and halving the rows
// took its p99 from about 5 to 3.5 ms, while a query of odd length only
// reads one letter's worth more candidates (checked after opening).
const (
	maxPrefix = 8
	tokenSize = 8
)

// indexedPrefix returns the longest indexed prefix of a folded word (its
// even-length start, at most maxPrefix letters), and false for a word of
// one letter, which the index cannot narrow.
func indexedPrefix(word string) (string, bool) {
	r := []rune(word)
	n := min(len(r), maxPrefix) &^ 1
	return string(r[:n]), n > 0
}

// seal seals one text value for a column of a record.
func (s *Store) seal(recordID, column, value string) ([]byte, error) {
	b, err := s.sealer.Seal(recordID, column, []byte(value))
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", column, err)
	}
	return b, nil
}

// openText opens what seal made. A value still held as text (a row the
// migration copied and the sealing step has not reached) is returned as is.
func (s *Store) openText(recordID, column string, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		b, err := s.sealer.Open(recordID, column, v)
		if err != nil {
			return "", fmt.Errorf("%s of %s: %w", column, recordID, err)
		}
		return string(b), nil
	}
	return "", fmt.Errorf("%s of %s: unexpected %T", column, recordID, v)
}

// opener opens several sealed columns of one record.
type opener struct {
	s   *Store
	id  string
	err error
}

// text opens one column; the first error sticks.
func (o *opener) text(column string, v any) string {
	if o.err != nil {
		return ""
	}
	t, err := o.s.openText(o.id, column, v)
	o.err = err
	return t
}

// sealing seals several columns of one record.
type sealing struct {
	s   *Store
	id  string
	err error
}

// text seals one column; the first error sticks.
func (w *sealing) text(column, value string) []byte {
	if w.err != nil {
		return nil
	}
	b, err := w.s.seal(w.id, column, value)
	w.err = err
	return b
}

// nationalIDIndex is the blind index of a national ID.
func (s *Store) nationalIDIndex(n app.NationalID) []byte {
	return s.sealer.Index(indexNationalID, []byte(n.Digits()))
}

// phoneIndex is the blind index of a phone number, nil for none.
func (s *Store) phoneIndex(phone string) any {
	if phone == "" {
		return nil
	}
	return s.sealer.Index(indexPhone, []byte(phone))
}

// nameToken is the name-index key of one folded prefix.
func (s *Store) nameToken(prefix string) []byte {
	return s.sealer.Index(indexNamePrefix, []byte(prefix))[:tokenSize]
}

// nameTokens returns the name-index keys of a citizen: every prefix of even
// length up to maxPrefix letters of every word of the folded first and last
// names.
func (s *Store) nameTokens(first, last string) [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	for _, word := range strings.Fields(app.FoldName(first + " " + last)) {
		r := []rune(word)
		for n := 2; n <= min(len(r), maxPrefix); n += 2 {
			p := string(r[:n])
			if !seen[p] {
				seen[p] = true
				out = append(out, s.nameToken(p))
			}
		}
	}
	return out
}

// isSealed reports whether a stored value is in the sealed format (rather
// than plaintext left by an older schema).
func isSealed(v any) bool {
	b, ok := v.([]byte)
	return ok && len(b) >= keys.Overhead && b[0] == keys.FormatV1
}
