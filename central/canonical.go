package central

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/kocasinan/gise/app"
)

// errSyntax is returned for data that is not one JSON object; errDeep for
// one nested deeper than maxDepth; errRange for a number beyond IEEE 754
// double range, which has no canonical form.
var (
	errSyntax = errors.New("data is not a JSON object")
	errDeep   = errors.New("data is nested too deeply")
	errRange  = errors.New("a number is beyond double range")
)

// maxDepth bounds the nesting the canonicaliser follows.
const maxDepth = 1000

// canonicalObject returns the canonical form of one JSON object, RFC 8785
// as app.CanonicalJSON writes it (keys sorted by UTF-16 code units, the last
// of duplicate keys kept, no insignificant white space, numbers in
// ECMAScript form, only the escapes JSON requires), in one pass over the
// bytes instead of a decode into maps and an encode. The fuzz test holds it
// to app.CanonicalJSON, and both are tested on RFC 8785's examples. It also returns the object's own members (sorted,
// duplicates resolved, values canonical) so that a caller checks fields
// without decoding the data a second time.
func canonicalObject(data []byte) ([]byte, members, error) {
	p := canonParser{data: data}
	p.space()
	if p.i >= len(p.data) || p.data[p.i] != '{' {
		return nil, nil, errSyntax
	}
	out, err := p.value(make([]byte, 0, len(data)), 0)
	if err != nil {
		return nil, nil, err
	}
	if p.space(); p.i != len(p.data) {
		return nil, nil, errSyntax
	}
	return out, p.top, nil
}

type canonParser struct {
	data  []byte
	i     int
	top   members // the members of the outermost object
	stack members // the members of the objects being read, innermost last
}

func (p *canonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *canonParser) value(out []byte, depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, errDeep
	}
	p.space()
	if p.i >= len(p.data) {
		return nil, errSyntax
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(out, depth)
	case c == '[':
		return p.array(out, depth)
	case c == '"':
		raw, s, err := p.str()
		if err != nil {
			return nil, err
		}
		if raw != nil {
			return append(out, raw...), nil
		}
		return appendString(out, s), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(out)
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.data[p.i:], []byte(lit)) {
				p.i += len(lit)
				return append(out, lit...), nil
			}
		}
		return nil, errSyntax
	}
}

// member is one member of an object: its key, decoded, and its value in
// canonical form. Both are slices of the parsed data where that already is
// the canonical form, so that reading a plain object allocates little.
type member struct {
	key []byte
	val []byte
}

// members are an object's members in canonical order, one per key.
type members []member

// get returns the canonical value of key, if the object has it.
func (ms members) get(key string) ([]byte, bool) {
	i, ok := slices.BinarySearchFunc(ms, key, func(m member, k string) int {
		return app.CompareUTF16(string(m.key), k)
	})
	if !ok {
		return nil, false
	}
	return ms[i].val, true
}

// str returns the string value of key: "" when it is absent or null, as a
// decode into a string field would leave it, and false when it holds
// anything but a string.
func (ms members) str(key string) (string, bool) {
	v, ok := ms.get(key)
	switch {
	case !ok || string(v) == "null":
		return "", true
	case len(v) < 2 || v[0] != '"':
		return "", false
	case !bytes.ContainsRune(v, '\\'):
		return string(v[1 : len(v)-1]), true
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return "", false
	}
	return s, true
}

func (p *canonParser) object(out []byte, depth int) ([]byte, error) {
	p.i++ // {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return append(out, "{}"...), nil
	}
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, errSyntax
		}
		raw, s, err := p.str()
		if err != nil {
			return nil, err
		}
		key := []byte(s)
		if raw != nil {
			key = raw[1 : len(raw)-1]
		}
		if p.space(); p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, errSyntax
		}
		p.i++
		var val []byte
		if p.space(); p.i < len(p.data) && (p.data[p.i] == '{' || p.data[p.i] == '[') {
			val, err = p.value(nil, depth+1) // built: the stack moves under it
		} else {
			val, err = p.scalar()
		}
		if err != nil {
			return nil, err
		}
		p.stack = append(p.stack, member{key, val})
		p.space()
		if p.i >= len(p.data) {
			return nil, errSyntax
		}
		if p.data[p.i] == '}' {
			p.i++
			break
		}
		if p.data[p.i] != ',' {
			return nil, errSyntax
		}
		p.i++
	}
	ms := p.stack[base:]
	// Stable, so that among duplicate keys the last one written stays last.
	slices.SortStableFunc(ms, func(a, b member) int { return app.CompareUTF16(a.key, b.key) })
	kept := ms[:0]
	for i, m := range ms {
		if i+1 < len(ms) && bytes.Equal(ms[i+1].key, m.key) {
			continue // a later duplicate wins, as in a decoded map
		}
		kept = append(kept, m)
	}
	if depth == 0 {
		p.top = slices.Clone(kept)
	}
	out = append(out, '{')
	for i, m := range kept {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendString(out, string(m.key))
		out = append(out, ':')
		out = append(out, m.val...)
	}
	return append(out, '}'), nil
}

// scalar reads a string, number or literal and returns its canonical form,
// a slice of the data when it is written canonically already.
func (p *canonParser) scalar() ([]byte, error) {
	if p.i >= len(p.data) {
		return nil, errSyntax
	}
	switch c := p.data[p.i]; {
	case c == '"':
		raw, s, err := p.str()
		if err != nil {
			return nil, err
		}
		if raw != nil {
			return raw, nil
		}
		return appendString(nil, s), nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		if err := p.numberToken(); err != nil {
			return nil, err
		}
		if tok := p.data[start:p.i]; plainInteger(tok) {
			return tok, nil
		}
		return canonicalNumber(nil, p.data[start:p.i])
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if end := p.i + len(lit); end <= len(p.data) && string(p.data[p.i:end]) == lit {
				p.i = end
				return p.data[end-len(lit) : end], nil
			}
		}
		return nil, errSyntax
	}
}

func (p *canonParser) array(out []byte, depth int) ([]byte, error) {
	p.i++ // [
	out = append(out, '[')
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return append(out, ']'), nil
	}
	for n := 0; ; n++ {
		if n > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = p.value(out, depth+1); err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.data) {
			return nil, errSyntax
		}
		if p.data[p.i] == ']' {
			p.i++
			return append(out, ']'), nil
		}
		if p.data[p.i] != ',' {
			return nil, errSyntax
		}
		p.i++
	}
}

// str reads a string token. A plain one (no escapes, no control bytes,
// valid UTF-8) is returned as raw, the token itself with its quotes, which
// is its canonical form already; any other is decoded through
// encoding/json, which has the exact rules (a lone surrogate or an invalid
// byte becomes U+FFFD), and returned as s.
func (p *canonParser) str() (raw []byte, s string, err error) {
	start := p.i
	p.i++
	plain := true
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"':
			p.i++
			tok := p.data[start:p.i]
			body := tok[1 : len(tok)-1]
			if plain && utf8.Valid(body) {
				return tok, "", nil
			}
			if err := json.Unmarshal(tok, &s); err != nil {
				return nil, "", errSyntax
			}
			return nil, s, nil
		case c == '\\':
			plain = false
			p.i += 2
		case c < 0x20:
			return nil, "", errSyntax
		default:
			p.i++
		}
	}
	return nil, "", errSyntax
}

// appendString writes s with only the escapes RFC 8785 requires.
func appendString(out []byte, s string) []byte { return app.AppendCanonicalString(out, s) }

// number appends a number token in canonical form, after checking its
// grammar.
func (p *canonParser) number(out []byte) ([]byte, error) {
	start := p.i
	if err := p.numberToken(); err != nil {
		return nil, err
	}
	if tok := p.data[start:p.i]; plainInteger(tok) {
		return append(out, tok...), nil
	}
	return canonicalNumber(out, p.data[start:p.i])
}

// plainInteger reports whether a number token is already in ECMAScript
// form: an integer of at most 15 digits (exact as a double), no leading
// zero, not -0.
func plainInteger(tok []byte) bool {
	digits := tok
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 15 || (digits[0] == '0' && (len(digits) > 1 || len(tok) > 1)) {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// canonicalNumber appends the ECMAScript form of a number token's double;
// errRange beyond double range.
func canonicalNumber(out, tok []byte) ([]byte, error) {
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil {
		return nil, errRange
	}
	return app.AppendCanonicalNumber(out, f), nil
}

// numberToken reads a number token, checking its grammar.
func (p *canonParser) numberToken() error {
	if p.data[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return errSyntax
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return errSyntax
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return errSyntax
		}
	}
	return nil
}
