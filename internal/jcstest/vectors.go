// Package jcstest holds RFC 8785's published examples (JSON Canonicalization
// Scheme), so that the terminal's canonical form (app.CanonicalJSON) and the
// central's (central/canonical.go) are tested against the same cases.
package jcstest

// Number is one IEEE 754 double, by its bits, and its canonical text, from
// RFC 8785 Appendix B; "" marks a value that has no canonical form (NaN,
// Infinity).
type Number struct {
	Bits uint64
	Text string
}

// Numbers are Appendix B's table.
var Numbers = []Number{
	{0x0000000000000000, "0"},
	{0x8000000000000000, "0"}, // minus zero
	{0x0000000000000001, "5e-324"},
	{0x8000000000000001, "-5e-324"},
	{0x7fefffffffffffff, "1.7976931348623157e+308"},
	{0xffefffffffffffff, "-1.7976931348623157e+308"},
	{0x4340000000000000, "9007199254740992"},
	{0xc340000000000000, "-9007199254740992"},
	{0x4430000000000000, "295147905179352830000"},
	{0x7fffffffffffffff, ""}, // NaN
	{0x7ff0000000000000, ""}, // Infinity
	{0x44b52d02c7e14af5, "9.999999999999997e+22"},
	{0x44b52d02c7e14af6, "1e+23"},
	{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
	{0x444b1ae4d6e2ef4e, "999999999999999700000"},
	{0x444b1ae4d6e2ef4f, "999999999999999900000"},
	{0x444b1ae4d6e2ef50, "1e+21"},
	{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
	{0x3eb0c6f7a0b5ed8d, "0.000001"},
	{0x41b3de4355555553, "333333333.3333332"},
	{0x41b3de4355555554, "333333333.33333325"},
	{0x41b3de4355555555, "333333333.3333333"},
	{0x41b3de4355555556, "333333333.3333334"},
	{0x41b3de4355555557, "333333333.33333343"},
	{0xbecbf647612f3696, "-0.0000033333333333333333"},
	{0x43143ff3c1cb0959, "1424953923781206.2"},
}

// Object is a JSON object as written and its canonical form.
type Object struct {
	Name, In, Out string
}

// Objects are the RFC's worked examples and the cases the contract names.
var Objects = []Object{
	{"RFC 8785 3.2.2 (whitespace, numbers, strings, literals)",
		`{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
		`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`},
	{"RFC 8785 3.2.3 (keys sorted by UTF-16 code units)",
		`{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`,
		"{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\"," +
			"\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"},
	{"JCS reference structures (nesting, case, the empty key)",
		`{"1":{"f":{"f":"hi","F":5},"\n":56.0},"10":{},"":"empty","a":{},"111":[{"e":"yes","E":"no"}],"A":{}}`,
		`{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}`},
	{"ECMAScript numbers at the edges",
		`{"a":1e21,"b":-0,"c":5e-324,"d":1E+2,"e":0.1e1,"f":-0.0,"g":12345678901234567890,"h":1e-7,"i":123456789012345}`,
		`{"a":1e+21,"b":0,"c":5e-324,"d":100,"e":1,"f":0,"g":12345678901234567000,"h":1e-7,"i":123456789012345}`},
	{"only the required escapes: <, >, &, U+2028, U+2029 and DEL stay",
		`{"s":"<çöp> & \"ğüşıİ\" \u2028\u2029\u007f \u003c\u003e\u0026 \b\f\n\r\t\u0001\u001f"}`,
		"{\"s\":\"<çöp> & \\\"ğüşıİ\\\" \u2028\u2029\u007f <>& \\b\\f\\n\\r\\t\\u0001\\u001f\"}"},
	{"surrogates: a pair is one character, and sorts before U+E000",
		`{"\ue000":1,"\ud800\udc00":2,"\uffff":3,"\ud83d\ude00":4}`,
		"{\"𐀀\":2,\"😀\":4,\"\ue000\":1,\"\uffff\":3}"},
	{"of duplicate keys the last counts",
		`{"b":1,"a":2,"b":3}`,
		`{"a":2,"b":3}`},
}
