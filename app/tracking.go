package app

import (
	"crypto/rand"
	"strings"
)

// TrackingAlphabet holds the 31 characters of a tracking code: digits and
// capital letters without the look-alikes 0/O and 1/I/L. 31 is prime, which
// the check character relies on.
const TrackingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// trackingDataLen random characters and one check character make a code,
// printed in groups of four: "K7QM-4X29-PQ7C". 31^11 ≈ 2.5·10^16 codes: two
// million codes issued across all terminals collide with odds below 1 in 10,000,
// and each terminal's store refuses a repeat of its own.
const (
	trackingDataLen = 11
	trackingLen     = trackingDataLen + 1
	trackingGroup   = 4
)

// TrackingCode identifies a complaint, request or application to the citizen.
// It holds no personal data. The stored form is the 12 characters without
// dashes; String adds them.
type TrackingCode string

// NewTrackingCode draws a fresh random code with its check character.
func NewTrackingCode() TrackingCode {
	var buf [trackingDataLen]byte
	// rand.Read never fails on supported platforms (Go 1.24+).
	_, _ = rand.Read(buf[:])
	code := make([]byte, 0, trackingLen)
	for _, b := range buf {
		// 248 = 8·31: reject-free mapping would bias; redraw the rare high bytes.
		for b >= 248 {
			var one [1]byte
			_, _ = rand.Read(one[:])
			b = one[0]
		}
		code = append(code, TrackingAlphabet[int(b)%len(TrackingAlphabet)])
	}
	code = append(code, TrackingAlphabet[trackingCheck(code)])
	return TrackingCode(code)
}

// trackingCheck returns the index of the check character for data: the value
// c that makes Σ (i+1)·v_i + (n+1)·c ≡ 0 (mod 31). The weights 1…12 are
// distinct and non-zero modulo the prime 31, so every single substitution and
// every transposition of two characters (neighbours or not) changes the sum.
func trackingCheck(data []byte) int {
	sum := 0
	for i, ch := range data {
		sum += (i + 1) * strings.IndexByte(TrackingAlphabet, ch)
	}
	n := len(data) + 1
	// c = -sum · n⁻¹ mod 31; n⁻¹ = n^29 by Fermat.
	inv := 1
	for range 29 {
		inv = inv * n % 31
	}
	return ((31 - sum%31) % 31) * inv % 31
}

// ParseTrackingCode reads a code as a person types it: dashes and spaces are
// ignored and lower case is accepted. It returns EINVALID when a character is
// not in the alphabet, the length is wrong, or the check character fails.
func ParseTrackingCode(s string) (TrackingCode, error) {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != trackingLen {
		return "", FieldError("tracking_code", "Takip kodu 12 karakterdir (örneğin K7QM-4X29-PQ7C); eksik ya da fazla karakter var.")
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(TrackingAlphabet, s[i]) < 0 {
			return "", FieldError("tracking_code", "Takip kodunda 0, O, 1, I ve L harfleri bulunmaz; makbuzdaki kodu kontrol edin.")
		}
	}
	if TrackingAlphabet[trackingCheck([]byte(s[:trackingDataLen]))] != s[trackingDataLen] {
		return "", FieldError("tracking_code", "Takip kodu hatalı yazılmış; makbuzdaki kodu karakter karakter kontrol edin.")
	}
	return TrackingCode(s), nil
}

// String returns the code in groups of four, "K7QM-4X29-PQ7C".
func (c TrackingCode) String() string {
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		if i > 0 && i%trackingGroup == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c[i])
	}
	return b.String()
}
