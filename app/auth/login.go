package auth

import (
	"context"
	"encoding/hex"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// Step is what a login still needs before it gives a Session.
type Step int

// Login steps.
const (
	StepTOTP           Step = iota + 1 // type the authenticator code (VerifyTOTP) or a recovery code (LoginWithRecovery)
	StepEnrolTOTP                      // enrol a new authenticator (BeginEnrolment, then CompleteEnrolment)
	StepChangePassword                 // choose a new password (ChangePassword)
	StepDone                           // the session was given
)

// String names the step for logs.
func (st Step) String() string {
	switch st {
	case StepTOTP:
		return "totp"
	case StepEnrolTOTP:
		return "enrol_totp"
	case StepChangePassword:
		return "change_password"
	case StepDone:
		return "done"
	}
	return "none"
}

// Challenge is a login in progress, from a right password to its last step.
// The screen keeps it between steps; it expires after Options.ChallengeTTL.
type Challenge struct {
	mu      sync.Mutex
	account Account
	key     []byte
	hash    string // the password hash the login was proved with: a new password must differ
	secret  []byte // opened TOTP secret; nil when not enrolled
	next    Step
	expires time.Time
	pending *pendingTOTP
	svc     *Service
}

// Next returns the step the login needs now.
func (c *Challenge) Next() Step {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.next
}

// Username returns the username the challenge is for.
func (c *Challenge) Username() string { return c.account.Username }

// Login checks a username and password and returns the challenge of the
// second step. Every attempt is audited (never with the password); a wrong
// username and a wrong password take the same time and give the same
// EUNAUTH message; after FreeFailures failures the username is throttled
// (ETHROTTLED, saying how many minutes to wait), whether or not it exists.
// A disabled account with the right password gets EUNAUTH saying so.
func (s *Service) Login(ctx context.Context, username, password string) (*Challenge, error) {
	key := s.throttleKey(username)
	if err := s.checkThrottle(ctx, key, app.Actor{Username: "unknown"}, objectOf(key)); err != nil {
		return nil, err
	}
	acct, cred, err := s.store.AccountByUsername(ctx, foldUsername(username))
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, s.internal("login", err)
	}
	hash := s.dummyHash()
	if acct != nil {
		hash = cred.PasswordHash
	}
	ok, verr := VerifyPassword(password, hash)
	switch {
	case verr != nil:
		return nil, s.internal("login", verr)
	case acct == nil || !ok:
		actor, object := app.Actor{Username: "unknown"}, objectOf(key)
		if acct != nil {
			actor, object = acct.Actor(), acct.ID
		}
		return nil, s.fail(ctx, actor, key, "login.password_failed", object, errBadLogin())
	case acct.Disabled:
		return nil, s.fail(ctx, acct.Actor(), key, "login.disabled_account", acct.ID,
			app.Errorf(app.EUNAUTH, "Bu hesap devre dışı bırakılmış. Yöneticinize başvurun."))
	}
	ch := &Challenge{account: *acct, key: key, hash: hash, next: StepEnrolTOTP, expires: s.opt.Now().Add(s.opt.ChallengeTTL), svc: s}
	if cred.TOTPSecret != nil {
		if ch.secret, err = s.sealer.Open(acct.ID, "totp_secret", cred.TOTPSecret); err != nil {
			return nil, s.internal("login: open totp secret", err)
		}
		ch.next = StepTOTP
	}
	if err := s.store.Audit(ctx, acct.Actor(), "login.password_accepted", acct.ID); err != nil {
		return nil, s.internal("login", err)
	}
	s.rehash(ctx, acct, hash, password)
	return ch, nil
}

// objectOf is the audit object of an attempt on a username that has no
// account: a short prefix of its blind index, so repeated tries of one name
// can be told apart without storing what was typed.
func objectOf(key []byte) string { return "username:" + hex.EncodeToString(key[:6]) }

// checkThrottle refuses (and audits) an attempt made while key is locked.
func (s *Service) checkThrottle(ctx context.Context, key []byte, actor app.Actor, object string) error {
	t, err := s.store.Throttle(ctx, key)
	if err != nil {
		return s.internal("throttle", err)
	}
	if wait := t.Wait(s.opt.Now()); wait > 0 {
		if err := s.store.Audit(ctx, actor, "login.throttled", object); err != nil {
			return s.internal("throttle", err)
		}
		return throttled(wait)
	}
	return nil
}

// fail counts a failure against key, audits it, and returns answer, or the
// throttle error when this failure locked the username.
func (s *Service) fail(ctx context.Context, actor app.Actor, key []byte, action, object string, answer error) error {
	t, err := s.store.LoginFailed(ctx, actor, key, action, object)
	if err != nil {
		return s.internal(action, err)
	}
	s.opt.Logger.Info("auth: attempt refused", "action", action, "object", object)
	if wait := t.Wait(s.opt.Now()); wait > 0 {
		return throttled(wait)
	}
	return answer
}

// begin checks that ch is alive and at step want.
func (s *Service) begin(ch *Challenge, want Step) error {
	if ch == nil || ch.svc != s || !s.opt.Now().Before(ch.expires) {
		return app.Errorf(app.EUNAUTH, "Girişin süresi doldu. Kullanıcı adı ve şifrenizle baştan başlayın.")
	}
	if ch.next != want {
		return app.Errorf(app.EINVALID, "Bu adım şu an beklenmiyor. Ekrandaki yönergeyi izleyin.")
	}
	return nil
}

// VerifyTOTP checks the authenticator code of a challenge at StepTOTP. A
// code of the current 30-second step or one step either side is accepted
// once: a code already accepted for the account (even before a restart) is
// refused. Wrong codes count towards the throttle like wrong passwords. It
// returns the session when the login is complete, or nil and the challenge at
// its next step (StepEnrolTOTP after a recovery, StepChangePassword after a
// reset).
func (s *Service) VerifyTOTP(ctx context.Context, ch *Challenge, code string) (*Session, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if err := s.begin(ch, StepTOTP); err != nil {
		return nil, err
	}
	a := &ch.account
	if err := s.checkThrottle(ctx, ch.key, a.Actor(), a.ID); err != nil {
		return nil, err
	}
	now := s.opt.Now()
	matched, ok := matchStep(ch.secret, code, now)
	if !ok {
		if off, skewed := skewOf(ch.secret, code, now); skewed {
			s.opt.Logger.Warn("auth: a code of another time; the clock may be wrong", "account", a.ID, "offset", off)
			return nil, s.fail(ctx, a.Actor(), ch.key, "login.totp_skewed", a.ID, errClockSkew())
		}
		return nil, s.fail(ctx, a.Actor(), ch.key, "login.totp_failed", a.ID,
			app.FieldError("code", "Doğrulama kodu hatalı. Uygulamadaki güncel 6 haneli kodu yazın."))
	}
	err := s.store.AcceptStep(ctx, a.Actor(), ch.key, a.ID, matched, step(now)+TOTPSkew, "login.totp_accepted")
	if app.ErrorCode(err) == app.ECONFLICT {
		return nil, s.fail(ctx, a.Actor(), ch.key, "login.totp_replayed", a.ID,
			app.FieldError("code", "Bu kod daha önce kullanıldı. Uygulamada yeni kod çıkınca onu yazın."))
	}
	if err != nil {
		return nil, s.internal("verify totp", err)
	}
	return s.advance(ctx, ch)
}

// LoginWithRecovery uses one of the account's recovery codes instead of the
// authenticator code, at StepTOTP. The code works once; the account must then
// enrol a new authenticator (the challenge moves to StepEnrolTOTP, and until
// that is done the next login again needs the old authenticator or another
// recovery code).
func (s *Service) LoginWithRecovery(ctx context.Context, ch *Challenge, code string) (*Session, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if err := s.begin(ch, StepTOTP); err != nil {
		return nil, err
	}
	a := &ch.account
	if err := s.checkThrottle(ctx, ch.key, a.Actor(), a.ID); err != nil {
		return nil, err
	}
	err := s.store.UseRecoveryCode(ctx, a.Actor(), ch.key, a.ID, s.recoveryHash(a.ID, code))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, s.fail(ctx, a.Actor(), ch.key, "login.recovery_failed", a.ID,
			app.FieldError("code", "Kurtarma kodu geçersiz ya da daha önce kullanılmış. Listenizdeki kullanılmamış bir kodu yazın."))
	}
	if err != nil {
		return nil, s.internal("recovery login", err)
	}
	return s.advance(ctx, ch)
}

// BeginEnrolment makes a new authenticator secret and recovery codes for a
// challenge at StepEnrolTOTP, to show on screen. Nothing is stored until
// CompleteEnrolment confirms a code; calling it again replaces the pending
// secret.
func (s *Service) BeginEnrolment(ctx context.Context, ch *Challenge) (*Enrolment, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if err := s.begin(ch, StepEnrolTOTP); err != nil {
		return nil, err
	}
	e, p, err := newEnrolment(s.opt.Issuer, ch.account.Username)
	if err != nil {
		return nil, s.internal("begin enrolment", err)
	}
	ch.pending = p
	return e, nil
}

// CompleteEnrolment confirms the pending enrolment with a current code from
// the new authenticator, then stores the sealed secret and the recovery codes
// (replacing the old ones). It returns the session, or nil and the challenge
// at StepChangePassword.
func (s *Service) CompleteEnrolment(ctx context.Context, ch *Challenge, code string) (*Session, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if err := s.begin(ch, StepEnrolTOTP); err != nil {
		return nil, err
	}
	if ch.pending == nil {
		return nil, app.Errorf(app.EINVALID, "Önce doğrulama uygulaması için karekodu oluşturun.")
	}
	a := &ch.account
	if err := s.storeEnrolment(ctx, a.Actor(), a.ID, ch.pending, code); err != nil {
		return nil, err
	}
	ch.pending = nil
	return s.advance(ctx, ch)
}

// storeEnrolment checks code against a pending secret and stores it.
func (s *Service) storeEnrolment(ctx context.Context, actor app.Actor, accountID string, p *pendingTOTP, code string) error {
	matched, ok := matchStep(p.raw, code, s.opt.Now())
	if !ok {
		if err := s.store.Audit(ctx, actor, "enrolment.code_failed", accountID); err != nil {
			return s.internal("enrolment", err)
		}
		if _, skewed := skewOf(p.raw, code, s.opt.Now()); skewed {
			return errClockSkew()
		}
		return app.FieldError("code", "Kod doğrulanamadı. Karekodu uygulamaya okuttuğunuzdan ve telefonunuzun saatinin doğru olduğundan emin olup güncel kodu yazın.")
	}
	sealed, err := s.sealSecret(accountID, p.raw)
	if err != nil {
		return s.internal("enrolment", err)
	}
	if err := s.store.SetTOTP(ctx, actor, accountID, sealed, matched, s.recoveryHashes(accountID, p.recovery)); err != nil {
		return s.internal("enrolment", err)
	}
	return nil
}

// ChangePassword sets the new password of a challenge at StepChangePassword
// (after an admin's reset) and returns the session. EINVALID when the
// password breaks the policy (see PasswordPolicy.Check).
func (s *Service) ChangePassword(ctx context.Context, ch *Challenge, newPassword string) (*Session, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if err := s.begin(ch, StepChangePassword); err != nil {
		return nil, err
	}
	a := &ch.account
	if same, err := VerifyPassword(newPassword, ch.hash); err != nil || same {
		if err != nil {
			return nil, s.internal("change password", err)
		}
		return nil, app.FieldError("password", "Yeni şifre, yöneticinin verdiği geçici şifreyle aynı olamaz; yalnızca sizin bildiğiniz yeni bir şifre seçin.")
	}
	if err := s.setPassword(ctx, a.Actor(), a, newPassword, false, "account.password_changed"); err != nil {
		return nil, err
	}
	return s.advance(ctx, ch)
}

// rehash stores a password just verified against old again with the
// service's parameters when old was made with others: once per account
// after the defaults change, a few hundred ms. The parameters are the
// code's (not a setting), so they follow a reviewed change in either
// direction. Only while the stored hash is still old (a reset made
// meanwhile wins), and never at the cost of the login it rides on: a
// failure is logged and the old hash keeps working.
func (s *Service) rehash(ctx context.Context, a *Account, old, password string) {
	if !NeedsRehash(old, s.opt.Password) {
		return
	}
	hash, err := HashPassword(password, s.opt.Password)
	if err == nil {
		_, err = s.store.RehashPassword(ctx, a.Actor(), a.ID, old, hash)
	}
	if err != nil {
		s.opt.Logger.Error("auth: rehash failed; the old hash stays", "account", a.ID, "err", err)
	}
}

// setPassword checks, hashes and stores a password.
func (s *Service) setPassword(ctx context.Context, actor app.Actor, a *Account, password string, mustChange bool, action string) error {
	if err := s.policy.Check(a.Username, password); err != nil {
		return s.internal("password", err)
	}
	hash, err := HashPassword(password, s.opt.Password)
	if err != nil {
		return s.internal("password", err)
	}
	if err := s.store.SetPassword(ctx, actor, a.ID, hash, mustChange, action); err != nil {
		return s.internal("password", err)
	}
	return nil
}

// advance moves ch to the step the account still owes, or ends it with a
// session (audited as login.succeeded). It reads the account again: the
// steps so far changed it, and an admin may have meanwhile; the session
// starts at the generation read here.
func (s *Service) advance(ctx context.Context, ch *Challenge) (*Session, error) {
	fresh, err := s.store.AccountByID(ctx, ch.account.ID)
	if err != nil {
		return nil, s.internal("login", err)
	}
	if fresh.Disabled {
		ch.expires = time.Time{}
		return nil, app.Errorf(app.EUNAUTH, "Bu hesap devre dışı bırakılmış. Yöneticinize başvurun.")
	}
	ch.account = *fresh
	a := ch.account
	switch {
	case a.MustReenrolTOTP || !a.TOTPEnrolled:
		ch.next = StepEnrolTOTP
		return nil, nil
	case a.MustChangePassword:
		ch.next = StepChangePassword
		return nil, nil
	}
	if err := s.store.Audit(ctx, a.Actor(), "login.succeeded", a.ID); err != nil {
		return nil, s.internal("login", err)
	}
	ch.next, ch.secret = StepDone, nil
	return s.newSession(a), nil
}

// errClockSkew is the answer to a code that is right for another time than
// the terminal's: one of the two clocks is wrong.
func errClockSkew() error {
	return app.FieldError("code", "Bu kod, bu terminalin saatine göre şu an geçerli değil: terminalin ya da telefonun saati yanlış olabilir. İkisinin saatini kontrol edin; düzelmezse yöneticinize haber verin.")
}
