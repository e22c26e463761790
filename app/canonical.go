package app

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// CanonicalJSON returns v as the contract's canonical JSON, RFC 8785 (JSON
// Canonicalization Scheme): object keys sorted by their UTF-16 code units,
// numbers in ECMAScript's shortest form (1.50 is 1.5, 1E21 is 1e+21, -0 is
// 0), no insignificant white space, and in strings only the escapes JSON
// requires (", \ and the control characters; <, >, &, U+2028 and U+2029 stay
// as they are). Of duplicate keys the last counts, as in a decoded map.
// Fingerprints and audit hashes are taken over this form, so the terminal and
// the central must produce it identically: the central's one-pass
// canonicaliser (central/canonical.go) is fuzzed against this one.
func CanonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	out, err := appendCanonical(make([]byte, 0, len(raw)), generic)
	if err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	return out, nil
}

// appendCanonical writes one decoded value (UseNumber) in RFC 8785 form.
func appendCanonical(out []byte, v any) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(out, "null"...), nil
	case bool:
		return strconv.AppendBool(out, x), nil
	case string:
		return AppendCanonicalString(out, x), nil
	case json.Number:
		f, perr := strconv.ParseFloat(string(x), 64)
		if perr != nil {
			return nil, fmt.Errorf("number %s is outside IEEE 754 double range", x)
		}
		return AppendCanonicalNumber(out, f), nil
	case []any:
		out = append(out, '[')
		for i, e := range x {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = appendCanonical(out, e); err != nil {
				return nil, err
			}
		}
		return append(out, ']'), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, CompareUTF16)
		out = append(out, '{')
		for i, k := range keys {
			if i > 0 {
				out = append(out, ',')
			}
			out = AppendCanonicalString(out, k)
			out = append(out, ':')
			if out, err = appendCanonical(out, x[k]); err != nil {
				return nil, err
			}
		}
		return append(out, '}'), nil
	default:
		return nil, fmt.Errorf("unexpected %T", v)
	}
}

// AppendCanonicalNumber writes f as ECMAScript's Number.prototype.toString
// does (RFC 8785 section 3.2.2.3): the shortest digits that read back as f,
// plain from 1e-6 up to 1e21, in exponent form ("1e+21", "5e-324") beyond,
// and 0 for both zeros. f must be finite.
func AppendCanonicalNumber(out []byte, f float64) []byte {
	if f == 0 {
		return append(out, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs < 1e-6 || abs >= 1e21 {
		format = 'e'
	}
	start := len(out)
	out = strconv.AppendFloat(out, f, format, -1, 64)
	if format == 'e' {
		// strconv writes at least two exponent digits (1e-07); ECMAScript none extra.
		e := bytes.IndexByte(out[start:], 'e') + start
		if len(out)-e == 4 && out[e+2] == '0' {
			out[e+2] = out[e+3]
			out = out[:len(out)-1]
		}
	}
	return out
}

// AppendCanonicalString writes s as a JSON string with only the escapes
// RFC 8785 requires: \" and \\, \b \f \n \r \t, and \u00xx (lower-case hex)
// for the other control characters. Invalid UTF-8 becomes U+FFFD, as
// encoding/json decodes it.
func AppendCanonicalString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c == '\b':
			out = append(out, `\b`...)
		case c == '\f':
			out = append(out, `\f`...)
		case c == '\n':
			out = append(out, `\n`...)
		case c == '\r':
			out = append(out, `\r`...)
		case c == '\t':
			out = append(out, `\t`...)
		case c < 0x20:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			out = append(out, c)
		}
		i++
	}
	return append(out, '"')
}

// CompareUTF16 orders two strings by their UTF-16 code units, as RFC 8785
// sorts object keys. It differs from byte order only where a character
// above U+FFFF (a surrogate pair, from D800) meets one from U+E000 to
// U+FFFF: in UTF-16 the pair comes first.
func CompareUTF16[S ~string | ~[]byte](a, b S) int {
	for len(a) > 0 && len(b) > 0 {
		if a[0] < utf8.RuneSelf && b[0] < utf8.RuneSelf {
			if a[0] != b[0] {
				return cmp.Compare(a[0], b[0])
			}
			a, b = a[1:], b[1:]
			continue
		}
		ra, na := decodeRune(a)
		rb, nb := decodeRune(b)
		if ra != rb {
			if ua, ub := firstUnit(ra), firstUnit(rb); ua != ub {
				return cmp.Compare(ua, ub)
			}
			return cmp.Compare(ra, rb) // the same high surrogate: the low ones follow code point order
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

func decodeRune[S ~string | ~[]byte](s S) (rune, int) {
	if str, ok := any(s).(string); ok {
		return utf8.DecodeRuneInString(str)
	}
	return utf8.DecodeRune([]byte(s))
}

// firstUnit is a code point's first UTF-16 code unit.
func firstUnit(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}
