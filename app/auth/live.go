package auth

import (
	"context"
	"sync"

	"github.com/kocasinan/gise/app"
)

// Why a session ends under its clerk: the account changed after the login.
// The screen shows the sentence when the shell notices the session ended.
var (
	errEndedDisabled        = app.Errorf(app.EUNAUTH, "Hesabınız devre dışı bırakıldı; oturum kapatıldı. Yöneticinize başvurun.")
	errEndedRole            = app.Errorf(app.EUNAUTH, "Rolünüz değiştirildi; oturum kapatıldı. Yeni yetkilerinizle yeniden giriş yapın.")
	errEndedPasswordReset   = app.Errorf(app.EUNAUTH, "Şifreniz sıfırlandı; oturum kapatıldı. Yöneticinin verdiği geçici şifreyle yeniden giriş yapın.")
	errEndedPasswordChanged = app.Errorf(app.EUNAUTH, "Şifreniz değiştirildi; oturum kapatıldı. Yeni şifrenizle yeniden giriş yapın.")
	errEndedTOTPReset       = app.Errorf(app.EUNAUTH, "Doğrulama uygulamanız sıfırlandı; oturum kapatıldı. Yeniden giriş yapıp yeni uygulamayı tanıtın.")
	errEndedChanged         = app.Errorf(app.EUNAUTH, "Hesabınızda değişiklik yapıldı; oturum kapatıldı. Lütfen yeniden giriş yapın.")
)

// openSessions are this process's sessions not yet ended, so that a change
// made through this service ends the sessions of its account at once (the
// other kiosk's ticker then shows the login); a change made by another
// process is found by the next Require or Check.
type openSessions struct {
	mu   sync.Mutex
	open map[*Session]struct{}
}

// add registers sess, forgetting the sessions that expired meanwhile.
func (o *openSessions) add(sess *Session) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.open == nil {
		o.open = map[*Session]struct{}{}
	}
	for x := range o.open {
		if st := x.State(); st == SessionExpired || st == SessionEnded {
			delete(o.open, x)
		}
	}
	o.open[sess] = struct{}{}
}

// of returns the open sessions of an account, but except.
func (o *openSessions) of(accountID string, except *Session) []*Session {
	o.mu.Lock()
	defer o.mu.Unlock()
	var list []*Session
	for x := range o.open {
		if x.AccountID() == accountID && x != except {
			list = append(list, x)
		}
	}
	return list
}

func (o *openSessions) remove(sess *Session) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.open, sess)
}

// revoke ends this process's open sessions of an account (but except)
// after a change of it, each audited as session.revoked.
func (s *Service) revoke(ctx context.Context, accountID string, reason error, except *Session) {
	for _, sess := range s.sessions.of(accountID, except) {
		s.endSession(ctx, sess, reason)
	}
}

// endSession ends sess because of reason and audits it, once.
func (s *Service) endSession(ctx context.Context, sess *Session, reason error) {
	if !sess.endFor(reason) {
		return
	}
	s.opt.Logger.Info("auth: session ended by an account change", "account", sess.AccountID(), "reason", app.ErrorMessage(reason))
	if err := s.store.Audit(ctx, sess.Actor(), "session.revoked", sess.AccountID()); err != nil {
		s.opt.Logger.Error("auth: audit session.revoked", "err", err)
	}
}

// recheck reads sess's account again and ends sess, returning why, when the
// account changed since the login.
func (s *Service) recheck(ctx context.Context, sess *Session) error {
	a, err := s.store.AccountByID(ctx, sess.AccountID())
	switch {
	case app.ErrorCode(err) == app.ENOTFOUND:
		s.endSession(ctx, sess, errEndedChanged)
		return errEndedChanged
	case err != nil:
		return s.internal("check session", err)
	case a.Generation == sess.generation():
		return nil
	}
	why := changeReason(sess.account, a)
	s.endSession(ctx, sess, why)
	return why
}

// changeReason names what changed between the account at login and now.
func changeReason(was Account, now *Account) error {
	switch {
	case now.Disabled:
		return errEndedDisabled
	case now.Role != was.Role:
		return errEndedRole
	case now.MustChangePassword:
		return errEndedPasswordReset
	case now.MustReenrolTOTP || !now.TOTPEnrolled:
		return errEndedTOTPReset
	}
	return errEndedChanged
}

// Check re-reads an open session's account, as Require does, for the
// screens' periodic look (every few seconds, off the UI goroutine): a change
// made by another process ends the session even while its clerk does
// nothing. It returns why the session ended, or nil while it is open and
// unchanged (a locked session is checked too); an expired or ended one is
// left as it is.
func (s *Service) Check(ctx context.Context, sess *Session) error {
	if sess == nil || sess.svc != s {
		return nil
	}
	if st := sess.State(); st == SessionExpired || st == SessionEnded {
		return sess.EndReason()
	}
	return s.recheck(ctx, sess)
}
