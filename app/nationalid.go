package app

import "log/slog"

// NationalID is an 11-digit identity number: a Turkish citizen's TC Kimlik No,
// or a foreigner's number (yabancı kimlik numarası, starting with 99). Both
// carry the same two check digits. The zero value is "no number".
type NationalID string

// ParseNationalID accepts an 11-digit number, ignoring surrounding and inner
// spaces. It returns EINVALID with a message that says what is wrong: the
// length, a non-digit, a leading zero, or a failed check digit.
func ParseNationalID(s string) (NationalID, error) {
	digits := make([]byte, 0, 11)
	for _, r := range s {
		switch {
		case r == ' ':
			continue
		case r < '0' || r > '9':
			return "", FieldError("national_id", "Kimlik numarası yalnızca rakamlardan oluşur; harf veya işaret yazmayın.")
		}
		digits = append(digits, byte(r))
	}
	if len(digits) != 11 {
		return "", FieldError("national_id", "Kimlik numarası 11 haneli olmalıdır; eksik ya da fazla rakam var.")
	}
	if digits[0] == '0' {
		return "", FieldError("national_id", "Kimlik numarası 0 ile başlamaz; numarayı kimlik belgesinden kontrol edin.")
	}
	if !nationalIDChecksOK(digits) {
		return "", FieldError("national_id", "Kimlik numarası geçerli değil (kontrol hanesi tutmuyor); rakamları belgeden tek tek kontrol edin.")
	}
	return NationalID(digits), nil
}

// nationalIDChecksOK applies the two check-digit rules of the TC Kimlik No:
// d10 = (7·(d1+d3+d5+d7+d9) − (d2+d4+d6+d8)) mod 10 and
// d11 = (d1+…+d10) mod 10.
func nationalIDChecksOK(d []byte) bool {
	var odd, even int
	for i := 0; i < 9; i++ {
		v := int(d[i] - '0')
		if i%2 == 0 {
			odd += v
		} else {
			even += v
		}
	}
	d10 := ((7*odd-even)%10 + 10) % 10
	if int(d[9]-'0') != d10 {
		return false
	}
	return int(d[10]-'0') == (odd+even+d10)%10
}

// IsForeign reports whether the number is a foreigner's identity number.
func (n NationalID) IsForeign() bool { return len(n) == 11 && n[:2] == "99" }

// Masked returns the number with its middle hidden, "123******46", for lists,
// receipts, logs and exports. An empty number masks to "".
func (n NationalID) Masked() string {
	if len(n) != 11 {
		return ""
	}
	return string(n[:3]) + "******" + string(n[9:])
}

// String returns the masked form, so that a NationalID printed by accident
// (a log line, a %v) never shows the whole number. Use Digits for the value.
func (n NationalID) String() string { return n.Masked() }

// Digits returns the whole 11-digit number.
func (n NationalID) Digits() string { return string(n) }

// LogValue makes log/slog print the masked form.
func (n NationalID) LogValue() slog.Value { return slog.StringValue(n.Masked()) }
