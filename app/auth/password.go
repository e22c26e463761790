package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's cost parameters. They are stored in every
// hash, so raising them later still verifies the old hashes.
type PasswordParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams take 240–266 ms per verification on the 2-core
// development machine (docs/PERFORMANCE.md, "Accounts"), well above OWASP's
// floor (19 MiB × 2 passes) because a terminal that logs in offline keeps
// its hashes on disk. 16 MiB × 20 passes: more memory × passes for each
// guess than the 32 MiB × 6 it replaces (320 against 192 MiB-passes, what
// bounds a GPU, which runs out of memory bandwidth before memory), 83 % of
// its memory² × passes (what bounds custom hardware), in the same wait at
// the counter; half the memory at each login and unlock, which is the
// kiosk's resident peak (the budget is 200 MB). One lane, so a login
// leaves the other core to the screen.
var DefaultPasswordParams = PasswordParams{Time: 20, Memory: 16 * 1024, Threads: 1}

// MinPasswordLength is the fewest characters (not bytes) a password may have.
const MinPasswordLength = 12

// maxPasswordBytes bounds what is hashed, so a pasted novel costs nothing.
const maxPasswordBytes = 256

const (
	saltSize = 16
	hashSize = 32
)

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of password with a fresh random
// salt, in PHC form: $argon2id$v=19$m=16384,t=20,p=1$<salt>$<hash>.
func HashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	sum := idKey([]byte(clip(password)), salt, p, hashSize)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum)), nil
}

// VerifyPassword reports whether password matches hash, comparing in
// constant time. A malformed hash is an error, never a match.
func VerifyPassword(password, hash string) (bool, error) {
	p, salt64, want64, err := parseHash(hash)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	salt, err1 := b64.DecodeString(salt64)
	want, err2 := b64.DecodeString(want64)
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errors.New("verify password: bad encoding")
	}
	got := idKey([]byte(clip(password)), salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than p,
// so that a login that has just verified the password can store it again
// with p: hashes follow a change of the defaults instead of keeping the
// cost (and the memory) they were made with.
func NeedsRehash(hash string, p PasswordParams) bool {
	got, _, _, err := parseHash(hash)
	return err == nil && got != p
}

// parseHash splits an argon2id hash in PHC form into its cost parameters
// and its base64 salt and sum.
func parseHash(hash string) (p PasswordParams, salt, sum string, err error) {
	var version int
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, "", "", errors.New("not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, "", "", errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, "", "", fmt.Errorf("parameters: %w", err)
	}
	return p, parts[4], parts[5], nil
}

// idKey runs argon2id between two hand-backs of free memory to the
// operating system. Before: the hash's memory (16 MiB at the default cost)
// then lands on a heap no larger than what is live, not on top of the
// garbage and free pages the collector would have kept, which is the
// kiosk's resident peak (docs/PERFORMANCE.md); the collection takes a few
// milliseconds of a 250 ms wait. After, in the background: a kiosk logs in
// a few times an hour, and without it the process would keep the largest
// allocation it ever made.
func idKey(password, salt []byte, p PasswordParams, size uint32) []byte {
	debug.FreeOSMemory()
	sum := argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, size)
	go debug.FreeOSMemory()
	return sum
}

// clip cuts an over-long input at maxPasswordBytes (on a rune boundary).
func clip(s string) string {
	if len(s) <= maxPasswordBytes {
		return s
	}
	s = s[:maxPasswordBytes]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// randomPassword returns a temporary password for an admin to hand over:
// 16 characters from an alphabet without look-alikes (about 80 bits).
func randomPassword() (string, error) {
	return randomCode(16, 4)
}

// codeAlphabet has no 0/O, 1/I/L, so codes read aloud or typed from paper
// are not mistaken: 31 characters, about 4.95 bits each.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// randomCode returns n characters of codeAlphabet, uniformly drawn, in groups
// of g joined by "-".
func randomCode(n, g int) (string, error) {
	var b strings.Builder
	var one [1]byte
	limit := 256 - 256%len(codeAlphabet) // reject the biased tail
	for i := 0; i < n; {
		if _, err := rand.Read(one[:]); err != nil {
			return "", fmt.Errorf("random code: %w", err)
		}
		if int(one[0]) >= limit {
			continue
		}
		if i > 0 && i%g == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[int(one[0])%len(codeAlphabet)])
		i++
	}
	return b.String(), nil
}

// normalizeCode upper-cases a typed code and drops spaces and dashes.
func normalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || unicode.IsSpace(r):
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
