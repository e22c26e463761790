package auth

import (
	"context"
	"strings"

	"github.com/kocasinan/gise/app"
)

// Require is the check every app service makes itself, first thing:
//
//	if err := auth.Require(ctx, sess, app.RoleSupervisor, app.RoleAdmin); err != nil {
//		return err
//	}
//
// It returns EUNAUTH when sess is nil, locked, expired or ended, or when its
// account changed since the login (disabled, role changed, password or
// authenticator reset, a password change forced): the account is read again
// from the store at every call (one read by primary key,
// BenchmarkRequire), and a changed account ends the session, audited, with
// a Turkish message saying why. It returns EPERMISSION, with a Turkish
// message naming who may do it, when the session's role is not among roles.
// Roles do not include one another: list every role allowed.
func Require(ctx context.Context, sess *Session, roles ...app.Role) error {
	if err := live(sess); err != nil {
		return err
	}
	if sess.svc == nil {
		return app.Errorf(app.EUNAUTH, "Bu işlem için önce giriş yapın.")
	}
	if err := sess.svc.recheck(ctx, sess); err != nil {
		return err
	}
	return permit(sess, roles)
}

// Permits is Require without the store: what a screen asks, on the UI
// goroutine, to decide what to show or whether to start an action whose
// service call will Require. It never replaces Require in a service.
func Permits(sess *Session, roles ...app.Role) error {
	if err := live(sess); err != nil {
		return err
	}
	return permit(sess, roles)
}

// live refuses a missing, locked, expired or ended session.
func live(sess *Session) error {
	if sess == nil {
		return app.Errorf(app.EUNAUTH, "Bu işlem için önce giriş yapın.")
	}
	switch sess.State() {
	case SessionLocked:
		return app.Errorf(app.EUNAUTH, "Oturum kilitli. Devam etmek için kilidi açın.")
	case SessionExpired:
		return app.Errorf(app.EUNAUTH, "Oturum süresi doldu. Lütfen yeniden giriş yapın.")
	case SessionEnded:
		if why := sess.EndReason(); why != nil {
			return why
		}
		return app.Errorf(app.EUNAUTH, "Oturum kapatıldı. Lütfen yeniden giriş yapın.")
	}
	return nil
}

// permit refuses a role that is not among roles.
func permit(sess *Session, roles []app.Role) error {
	for _, r := range roles {
		if sess.Role() == r {
			return nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = RoleName(r)
	}
	return app.Errorf(app.EPERMISSION,
		"Bu işlemi yalnızca %s yapabilir; sizin rolünüz %s. Gerekiyorsa yetkili birine başvurun.",
		strings.Join(names, " veya "), RoleName(sess.Role()))
}
