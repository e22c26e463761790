package auth

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters: what every authenticator app expects by default.
const (
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps before and after the current one are
	// accepted (clock drift between the terminal and the phone).
	TOTPSkew = 1
	// SkewWindow is how far from the terminal's time a refused code is
	// still looked for, to tell a wrong clock from a wrong code: a time zone
	// set wrong is hours off. A mistyped code matches some step of the
	// window about once in a thousand, so the sentence says "may be".
	SkewWindow = 4 * time.Hour
	// RecoveryCodeCount is how many recovery codes an enrolment issues.
	RecoveryCodeCount = 10
	// QRSize is the side of the enrolment QR image in pixels.
	QRSize = 256
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Enrolment is what a screen shows to enrol an authenticator app: the QR
// code, the same secret as text for typing by hand, and the recovery codes.
// It lives only in memory: nothing is stored until a current code confirms it.
// Never log any of its fields.
type Enrolment struct {
	Secret        string   // base32 in groups of four, for typing into the app by hand
	URL           string   // the otpauth:// URL the QR code holds
	QRPNG         []byte   // QRSize×QRSize PNG of URL
	RecoveryCodes []string // RecoveryCodeCount one-time codes (XXXX-XXXX-XXXX-XXXX): shown once, to be written down
}

// pendingTOTP is an enrolment's secret material, kept until it is confirmed.
type pendingTOTP struct {
	raw      []byte
	recovery []string
}

// newEnrolment makes a fresh secret and recovery codes for username.
func newEnrolment(issuer, username string) (*Enrolment, *pendingTOTP, error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: username, Period: uint(TOTPPeriod / time.Second),
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("totp key: %w", err)
	}
	raw, err := b32.DecodeString(key.Secret())
	if err != nil {
		return nil, nil, fmt.Errorf("totp key: %w", err)
	}
	img, err := key.Image(QRSize, QRSize)
	if err != nil {
		return nil, nil, fmt.Errorf("totp qr: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, nil, fmt.Errorf("totp qr: %w", err)
	}
	p := &pendingTOTP{raw: raw}
	for range RecoveryCodeCount {
		c, err := randomCode(16, 4)
		if err != nil {
			return nil, nil, err
		}
		p.recovery = append(p.recovery, c)
	}
	e := &Enrolment{Secret: group(key.Secret(), 4), URL: key.URL(), QRPNG: buf.Bytes(),
		RecoveryCodes: append([]string(nil), p.recovery...)}
	return e, p, nil
}

func group(s string, n int) string {
	var parts []string
	for len(s) > n {
		parts, s = append(parts, s[:n]), s[n:]
	}
	return strings.Join(append(parts, s), " ")
}

// step returns the TOTP step (30-second counter) of t.
func step(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// matchStep returns the highest step within TOTPSkew of now whose code is
// code, checking every candidate in constant time. ok is false when none
// matches or code is not six digits.
func matchStep(secret []byte, code string, now time.Time) (matched int64, ok bool) {
	code = typedCode(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	enc := b32.EncodeToString(secret)
	cur := step(now)
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		want, err := hotp.GenerateCodeCustom(enc, uint64(s), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			matched, ok = s, true
		}
	}
	return matched, ok
}

// typedCode drops the spaces and dashes a code may be typed with.
func typedCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
}

// skewOf looks for code in the steps within SkewWindow of now, outside
// the accepted ones: found, the code is right for another time than the
// terminal's, offset (positive: the code's time is ahead of the terminal's).
// Only called for a refused code; it takes about a millisecond.
func skewOf(secret []byte, code string, now time.Time) (offset time.Duration, found bool) {
	code = typedCode(code)
	if len(code) != TOTPDigits || len(secret) == 0 {
		return 0, false
	}
	enc := b32.EncodeToString(secret)
	cur, n := step(now), int64(SkewWindow/TOTPPeriod)
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for d := int64(TOTPSkew + 1); d <= n; d++ {
		for _, s := range []int64{cur + d, cur - d} {
			want, err := hotp.GenerateCodeCustom(enc, uint64(s), opts)
			if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
				return time.Duration(s-cur) * TOTPPeriod, true
			}
		}
	}
	return 0, false
}

// CodeAt returns the TOTP code of a base32 secret (as in Enrolment.Secret,
// spaces allowed) at t: for tests and for a clock check on the setup screen.
func CodeAt(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(strings.ReplaceAll(secret, " ", ""), t, totp.ValidateOpts{
		Period: uint(TOTPPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}
