package auth

import (
	"context"

	"github.com/kocasinan/gise/app"
)

// Lock locks a session now (the lock button, or the GUI noticing
// SessionLocked): the screen hides everything and shows the lock screen. The
// first lock of each idle period is audited as session.locked.
func (s *Service) Lock(ctx context.Context, sess *Session) error {
	if sess == nil {
		return nil
	}
	if sess.lock() {
		return s.internal("lock", s.store.Audit(ctx, sess.Actor(), "session.locked", sess.AccountID()))
	}
	return nil
}

// Unlock reopens a locked session for its own clerk with their password; the
// form state kept with SetForm is still there. Wrong passwords count towards
// the throttle. EUNAUTH when the session expired or ended (log in again) or
// the account changed meanwhile (which ends it, see Require). Another clerk at a locked terminal logs
// in normally instead, and Handover drops this session's form.
func (s *Service) Unlock(ctx context.Context, sess *Session, password string) error {
	if sess == nil {
		return app.Errorf(app.EUNAUTH, "Bu işlem için önce giriş yapın.")
	}
	if st := sess.State(); st == SessionExpired || st == SessionEnded {
		return app.Errorf(app.EUNAUTH, "Oturum süresi doldu. Lütfen yeniden giriş yapın.")
	}
	key := s.throttleKey(sess.Username())
	if err := s.checkThrottle(ctx, key, sess.Actor(), sess.AccountID()); err != nil {
		return err
	}
	if err := s.recheck(ctx, sess); err != nil {
		return err // the account changed while locked: the session ended, saying why
	}
	a, cred, err := s.store.AccountByUsername(ctx, sess.Username())
	if err != nil {
		return s.internal("unlock", err)
	}
	ok, err := VerifyPassword(password, cred.PasswordHash)
	if err != nil {
		return s.internal("unlock", err)
	}
	if !ok || a.Disabled || a.ID != sess.AccountID() {
		return s.fail(ctx, sess.Actor(), key, "session.unlock_failed", sess.AccountID(),
			app.FieldError("password", "Şifre hatalı. Kontrol edip tekrar deneyin."))
	}
	if !sess.unlock() {
		return app.Errorf(app.EUNAUTH, "Oturum süresi doldu. Lütfen yeniden giriş yapın.")
	}
	if err := s.store.Audit(ctx, sess.Actor(), "session.unlocked", sess.AccountID()); err != nil {
		return s.internal("unlock", err)
	}
	s.rehash(ctx, a, cred.PasswordHash, password)
	return nil
}

// Logout ends a session and drops its form state, audited as
// session.expired when the absolute limit had passed and session.ended
// otherwise. Logging out a nil or ended session does nothing.
func (s *Service) Logout(ctx context.Context, sess *Session) error {
	if sess == nil {
		return nil
	}
	action := "session.ended"
	switch sess.State() {
	case SessionEnded:
		return nil
	case SessionExpired:
		action = "session.expired"
	}
	sess.end()
	return s.internal("logout", s.store.Audit(ctx, sess.Actor(), action, sess.AccountID()))
}

// Handover is called when someone logs in at a locked terminal: when next is
// the same clerk as prev, prev's form state moves to next (the half-typed
// form comes back); when it is another clerk the form state is discarded.
// prev is ended either way. It returns next.
func (s *Service) Handover(ctx context.Context, prev, next *Session) (*Session, error) {
	if prev == nil || prev == next {
		return next, nil
	}
	same := prev.AccountID() == next.AccountID()
	if same && prev.State() != SessionExpired {
		next.SetForm(prev.Form())
	}
	prev.end()
	action := "session.taken_over"
	if same {
		action = "session.resumed"
	}
	return next, s.internal("handover", s.store.Audit(ctx, prev.Actor(), action, prev.AccountID()))
}
