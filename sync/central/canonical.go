package central

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// errSyntax is returned for data that is not one JSON object.
var errSyntax = errors.New("data is not a JSON object")

// canonicalObject returns the canonical form of one JSON object, as
// app.CanonicalJSON would write it (keys sorted, the last of duplicate keys
// kept, no insignificant white space, numbers as written, strings escaped as
// encoding/json escapes them without HTML escaping), in one pass over the
// bytes instead of a decode into maps and an encode. The fuzz test holds it
// to app.CanonicalJSON.
func canonicalObject(data []byte) ([]byte, error) {
	p := canonParser{data: data}
	p.space()
	if p.i >= len(p.data) || p.data[p.i] != '{' {
		return nil, errSyntax
	}
	out, err := p.value(make([]byte, 0, len(data)), 0)
	if err != nil {
		return nil, err
	}
	if p.space(); p.i != len(p.data) {
		return nil, errSyntax
	}
	return out, nil
}

type canonParser struct {
	data []byte
	i    int
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
	if depth > 1000 {
		return nil, errSyntax
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
		s, err := p.str()
		if err != nil {
			return nil, err
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

type member struct {
	key string
	val []byte
}

func (p *canonParser) object(out []byte, depth int) ([]byte, error) {
	p.i++ // {
	var members []member
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return append(out, "{}"...), nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, errSyntax
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if p.space(); p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, errSyntax
		}
		p.i++
		val, err := p.value(nil, depth+1)
		if err != nil {
			return nil, err
		}
		members = append(members, member{key, val})
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
	// Stable, so that among duplicate keys the last one written stays last.
	slices.SortStableFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out = append(out, '{')
	first := true
	for i, m := range members {
		if i+1 < len(members) && members[i+1].key == m.key {
			continue // a later duplicate wins, as in a decoded map
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = appendString(out, m.key)
		out = append(out, ':')
		out = append(out, m.val...)
	}
	return append(out, '}'), nil
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

// str reads a string token and returns its decoded value. Plain strings
// (no escapes, no control bytes, valid UTF-8) are taken as they are; any
// other goes through encoding/json, which has the exact decoding rules.
func (p *canonParser) str() (string, error) {
	start := p.i
	p.i++
	plain := true
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"':
			p.i++
			raw := p.data[start+1 : p.i-1]
			if plain && utf8.Valid(raw) {
				return string(raw), nil
			}
			var s string
			if err := json.Unmarshal(p.data[start:p.i], &s); err != nil {
				return "", errSyntax
			}
			return s, nil
		case c == '\\':
			plain = false
			p.i += 2
		case c < 0x20:
			return "", errSyntax
		default:
			p.i++
		}
	}
	return "", errSyntax
}

// appendString writes s as encoding/json does with HTML escaping off.
func appendString(out []byte, s string) []byte {
	simple := utf8.ValidString(s) && !strings.ContainsRune(s, '\u2028') && !strings.ContainsRune(s, '\u2029')
	for i := 0; simple && i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			simple = false
		}
	}
	if simple {
		out = append(out, '"')
		out = append(out, s...)
		return append(out, '"')
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return append(out, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
}

// number copies a number token after checking its grammar.
func (p *canonParser) number(out []byte) ([]byte, error) {
	start := p.i
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
		return nil, errSyntax
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, errSyntax
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, errSyntax
		}
	}
	return append(out, p.data[start:p.i]...), nil
}
