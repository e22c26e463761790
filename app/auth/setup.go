package auth

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/kocasinan/gise/app"
)

// Setup is the first run in progress: the first administrator's username,
// password (already hashed) and pending authenticator. Nothing is stored
// until CompleteSetup.
type Setup struct {
	Username  string
	Enrolment *Enrolment // show: QR code, secret as text, recovery codes

	hash    string
	pending *pendingTOTP
	expires time.Time
}

// NeedsSetup reports whether the terminal has no account yet, so the first
// screen must be the setup of the first administrator.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.store.CountAccounts(ctx)
	if err != nil {
		return false, s.internal("needs setup", err)
	}
	return n == 0, nil
}

// BeginSetup checks the first administrator's username and password (EINVALID
// naming the field) and makes the authenticator secret and recovery codes to
// show. ECONFLICT when an account already exists.
func (s *Service) BeginSetup(ctx context.Context, username, password string) (*Setup, error) {
	if need, err := s.NeedsSetup(ctx); err != nil || !need {
		if err == nil {
			err = errSetupDone()
		}
		return nil, err
	}
	u, err := ParseUsername(username)
	if err != nil {
		return nil, err
	}
	if err := s.policy.Check(u, password); err != nil {
		return nil, s.internal("setup", err)
	}
	hash, err := HashPassword(password, s.opt.Password)
	if err != nil {
		return nil, s.internal("setup", err)
	}
	e, p, err := newEnrolment(s.opt.Issuer, u)
	if err != nil {
		return nil, s.internal("setup", err)
	}
	return &Setup{Username: u, Enrolment: e, hash: hash, pending: p, expires: s.opt.Now().Add(30 * time.Minute)}, nil
}

// CompleteSetup confirms the authenticator with a current code and only then
// stores the administrator, sealed secret and hashed recovery codes in one
// transaction. It returns the administrator's session. EINVALID (field
// "code") when the code is wrong; ECONFLICT when another setup finished first.
func (s *Service) CompleteSetup(ctx context.Context, setup *Setup, code string) (*Session, error) {
	if setup == nil || setup.pending == nil || !s.opt.Now().Before(setup.expires) {
		return nil, app.Errorf(app.EINVALID, "Kurulumun süresi doldu. Kullanıcı adı ve şifreyle kurulumu baştan başlatın.")
	}
	matched, ok := matchStep(setup.pending.raw, code, s.opt.Now())
	if !ok {
		if err := s.store.Audit(ctx, app.Actor{Username: setup.Username, Role: app.RoleAdmin}, "setup.code_failed", "setup"); err != nil {
			return nil, s.internal("setup", err)
		}
		if _, skewed := skewOf(setup.pending.raw, code, s.opt.Now()); skewed {
			return nil, errClockSkew()
		}
		return nil, app.FieldError("code", "Kod doğrulanamadı. Karekodu uygulamaya okuttuğunuzdan ve telefonunuzun saatinin doğru olduğundan emin olup güncel kodu yazın.")
	}
	now := s.opt.Now()
	a := &Account{ID: uuid.Must(uuid.NewV7()).String(), Username: setup.Username, Role: app.RoleAdmin,
		TOTPEnrolled: true, CreatedAt: now, UpdatedAt: now}
	sealed, err := s.sealSecret(a.ID, setup.pending.raw)
	if err != nil {
		return nil, s.internal("setup", err)
	}
	cred := Credential{PasswordHash: setup.hash, TOTPSecret: sealed, TOTPLastStep: matched}
	if err := s.store.CreateFirstAdmin(ctx, a, cred, s.recoveryHashes(a.ID, setup.pending.recovery)); err != nil {
		return nil, s.internal("setup", err)
	}
	setup.pending, setup.hash = nil, ""
	return s.newSession(*a), nil
}

func errSetupDone() error {
	return app.Errorf(app.ECONFLICT, "Bu terminalde kurulum zaten yapılmış. Giriş ekranından giriş yapın.")
}
