package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// Sealer is the terminal key as this package uses it; *keys.Sealer is one.
type Sealer interface {
	// Seal encrypts plaintext for one column of one record.
	Seal(recordID, column string, plaintext []byte) ([]byte, error)
	// Open decrypts what Seal made for the same record and column.
	Open(recordID, column string, sealed []byte) ([]byte, error)
	// Index returns a keyed hash of value for one purpose.
	Index(purpose string, value []byte) []byte
}

// Options are the Service's knobs. Zero values take the defaults named.
type Options struct {
	// Now is the clock (default time.Now). Give the store the same one.
	Now func() time.Time
	// Logger receives operational messages; never a password, code or secret.
	Logger *slog.Logger
	// Issuer names the terminal in the authenticator app (default "Gişe";
	// e.g. "Gişe Kocasinan").
	Issuer string
	// Password is argon2id's cost (default DefaultPasswordParams).
	Password PasswordParams
	// IsCommonPassword reports whether a lower-cased password is common.
	// Required: main passes assets.IsCommonPassword.
	IsCommonPassword func(lower string) bool
	// PasswordWords are the words a password must be more than (see
	// PasswordPolicy): main passes assets.PasswordWords and WordsOf
	// the configured municipality's name and address.
	PasswordWords []string
	// IdleLock, WarnBefore and MaxSession time sessions (defaults
	// DefaultIdleLock, DefaultWarnBefore, DefaultMaxSession).
	IdleLock, WarnBefore, MaxSession time.Duration
	// ChallengeTTL is how long a login may take from the password to its
	// last step (default 5 minutes).
	ChallengeTTL time.Duration
}

// Service is the accounts service the GUI calls. It is safe for concurrent use.
type Service struct {
	store  Store
	sealer Sealer
	opt    Options
	policy PasswordPolicy

	dummyOnce sync.Once
	dummy     string
	sessions  openSessions
}

// New returns the service over store and the terminal key.
func New(store Store, sealer Sealer, opt Options) (*Service, error) {
	if store == nil || sealer == nil || opt.IsCommonPassword == nil {
		return nil, errors.New("auth: store, sealer and IsCommonPassword are required")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	// otpauth URLs separate issuer and account with a colon.
	if opt.Issuer = strings.ReplaceAll(opt.Issuer, ":", " "); opt.Issuer == "" {
		opt.Issuer = "Gişe"
	}
	if opt.Password == (PasswordParams{}) {
		opt.Password = DefaultPasswordParams
	}
	opt.IdleLock = orDefault(opt.IdleLock, DefaultIdleLock)
	opt.WarnBefore = orDefault(opt.WarnBefore, DefaultWarnBefore)
	opt.MaxSession = orDefault(opt.MaxSession, DefaultMaxSession)
	opt.ChallengeTTL = orDefault(opt.ChallengeTTL, 5*time.Minute)
	return &Service{store: store, sealer: sealer, opt: opt, policy: PasswordPolicy{IsCommon: opt.IsCommonPassword, Words: opt.PasswordWords}}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// CheckPassword tells a screen, as the clerk types, whether a new password
// would be accepted for username (nil) or what to change (EINVALID).
func (s *Service) CheckPassword(username, password string) error {
	return s.policy.Check(username, password)
}

// dummyHash is a hash of a random password with the service's parameters:
// an unknown username is verified against it, so that a wrong username costs
// the same time as a wrong password.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = HashPassword(rand.Text(), s.opt.Password)
	})
	return s.dummy
}

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{2,31}$`)

// ParseUsername normalises a username (trimmed, lower-case) and checks it:
// 3–32 characters, English lower-case letters, digits, ".", "_" or "-",
// starting with a letter. EINVALID (field "username") otherwise.
func ParseUsername(s string) (string, error) {
	if hasControl(s) {
		return "", app.FieldError("username", "Kullanıcı adında görünmeyen bir denetim karakteri var (sekme, satır sonu gibi); silip yeniden yazın.")
	}
	u := foldUsername(s)
	if !usernamePattern.MatchString(u) {
		return "", app.FieldError("username", "Kullanıcı adı 3–32 karakter olmalı, harfle başlamalı ve yalnızca İngilizce küçük harf (a–z), rakam, nokta, tire veya alt çizgi içermeli; örneğin ayse.sahin.")
	}
	return u, nil
}

// foldUsername is what a typed username is looked up and throttled by:
// lower case, without the spaces around it (only spaces: a tab or a line
// break stays, so a name holding one matches no account).
func foldUsername(s string) string { return strings.ToLower(strings.Trim(s, " ")) }

// throttleKey is the blind index a typed username is throttled under: the
// database keeps no list of the names people tried. (A key rotation changes
// it, which only forgets the throttles running at that moment.)
func (s *Service) throttleKey(username string) []byte {
	return s.sealer.Index("login_throttle", []byte(foldUsername(username)))
}

// recoveryHash is the stored form of one recovery code of one account:
// SHA-256 over the account id and the code. A code has about 79 random bits,
// so a plain hash cannot be reversed by guessing, and, unlike a blind index,
// it does not depend on the terminal key and survives a key rotation.
func (s *Service) recoveryHash(accountID, code string) []byte {
	sum := sha256.Sum256([]byte("gise recovery code v1\x00" + accountID + "\x00" + normalizeCode(code)))
	return sum[:]
}

func (s *Service) recoveryHashes(accountID string, codes []string) [][]byte {
	out := make([][]byte, len(codes))
	for i, c := range codes {
		out[i] = s.recoveryHash(accountID, c)
	}
	return out
}

// sealSecret seals a TOTP secret to its account's row.
func (s *Service) sealSecret(accountID string, raw []byte) ([]byte, error) {
	return s.sealer.Seal(accountID, "totp_secret", raw)
}

// internal logs err and returns it as EINTERNAL for the screen.
func (s *Service) internal(op string, err error) error {
	if app.ErrorCode(err) != app.EINTERNAL {
		return err
	}
	s.opt.Logger.Error("auth: "+op, "err", err)
	return &app.Error{Code: app.EINTERNAL, Message: app.ErrorMessage(err), Err: fmt.Errorf("%s: %w", op, err)}
}

// newSession starts a session for a.
func (s *Service) newSession(a Account) *Session {
	sess := newSession(s, a, s.opt.Now, s.opt.IdleLock, s.opt.WarnBefore, s.opt.MaxSession)
	s.sessions.add(sess)
	return sess
}

// errBadLogin is the one answer to a wrong username or password, so the
// screen never tells which was wrong.
func errBadLogin() error {
	return app.Errorf(app.EUNAUTH, "Kullanıcı adı veya şifre hatalı. Kontrol edip tekrar deneyin.")
}
