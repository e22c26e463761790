package auth

import (
	"strings"

	"github.com/kocasinan/gise/app"
)

// Require is the role check every app service makes itself, first thing:
//
//	if err := auth.Require(sess, app.RoleSupervisor, app.RoleAdmin); err != nil {
//		return err
//	}
//
// It returns EUNAUTH when sess is nil, locked, expired or ended, and
// EPERMISSION, with a Turkish message naming who may do it, when the
// session's role is not among roles. Roles do not include one another: list
// every role allowed.
func Require(sess *Session, roles ...app.Role) error {
	if sess == nil {
		return app.Errorf(app.EUNAUTH, "Bu işlem için önce giriş yapın.")
	}
	switch sess.State() {
	case SessionLocked:
		return app.Errorf(app.EUNAUTH, "Oturum kilitli. Devam etmek için kilidi açın.")
	case SessionExpired:
		return app.Errorf(app.EUNAUTH, "Oturum süresi doldu. Lütfen yeniden giriş yapın.")
	case SessionEnded:
		return app.Errorf(app.EUNAUTH, "Oturum kapatıldı. Lütfen yeniden giriş yapın.")
	}
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
