package auth

import (
	"context"

	"github.com/google/uuid"
	"github.com/kocasinan/gise/app"
)

// Accounts lists every account for the admin's accounts screen. Admin only.
func (s *Service) Accounts(ctx context.Context, sess *Session) ([]*Account, error) {
	if err := Require(ctx, sess, app.RoleAdmin); err != nil {
		return nil, err
	}
	list, err := s.store.Accounts(ctx)
	if err != nil {
		return nil, s.internal("accounts", err)
	}
	return list, nil
}

// CreateAccount creates an account with a generated temporary password,
// returned once for the admin to hand over. At first login the clerk enrols
// an authenticator and must choose a new password. Admin only; EINVALID for a
// bad username or role, ECONFLICT when the username is taken.
func (s *Service) CreateAccount(ctx context.Context, sess *Session, username string, role app.Role) (*Account, string, error) {
	if err := Require(ctx, sess, app.RoleAdmin); err != nil {
		return nil, "", err
	}
	u, err := ParseUsername(username)
	if err != nil {
		return nil, "", err
	}
	if !validRole(role) {
		return nil, "", app.FieldError("role", "Geçerli bir rol seçin: yönetici, birim sorumlusu veya gişe görevlisi.")
	}
	temp, err := randomPassword()
	if err != nil {
		return nil, "", s.internal("create account", err)
	}
	hash, err := HashPassword(temp, s.opt.Password)
	if err != nil {
		return nil, "", s.internal("create account", err)
	}
	now := s.opt.Now()
	a := &Account{ID: uuid.Must(uuid.NewV7()).String(), Username: u, Role: role, MustChangePassword: true,
		CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateAccount(ctx, sess.Actor(), a, Credential{PasswordHash: hash}); err != nil {
		return nil, "", s.internal("create account", err)
	}
	return a, temp, nil
}

// SetRole changes an account's role. Admin only; ECONFLICT when it would
// demote the last enabled admin.
func (s *Service) SetRole(ctx context.Context, sess *Session, username string, role app.Role) error {
	if !validRole(role) {
		return app.FieldError("role", "Geçerli bir rol seçin: yönetici, birim sorumlusu veya gişe görevlisi.")
	}
	return s.update(ctx, sess, username, "account.role_changed", errEndedRole, func(a *Account) { a.Role = role })
}

// SetDisabled disables or re-enables an account. Admin only; ECONFLICT when
// it would disable the last enabled admin.
func (s *Service) SetDisabled(ctx context.Context, sess *Session, username string, disabled bool) error {
	action, why := "account.enabled", errEndedChanged
	if disabled {
		action, why = "account.disabled", errEndedDisabled
	}
	return s.update(ctx, sess, username, action, why, func(a *Account) { a.Disabled = disabled })
}

// update changes an account and ends its open sessions, saying why.
func (s *Service) update(ctx context.Context, sess *Session, username, action string, why error, change func(*Account)) error {
	if err := Require(ctx, sess, app.RoleAdmin); err != nil {
		return err
	}
	a, err := s.account(ctx, username)
	if err != nil {
		return err
	}
	before := *a
	change(a)
	if a.Role == before.Role && a.Disabled == before.Disabled {
		why = nil // nothing changed: the account's sessions stay
	}
	a.UpdatedAt = s.opt.Now()
	if err := s.store.UpdateAccount(ctx, sess.Actor(), a, action); err != nil {
		return s.internal(action, err)
	}
	if why != nil {
		s.revoke(ctx, a.ID, why, nil)
	}
	return nil
}

// ResetPassword gives an account a generated temporary password, returned
// once for the admin to hand over; the clerk must change it at the next
// login. Admin only.
func (s *Service) ResetPassword(ctx context.Context, sess *Session, username string) (string, error) {
	if err := Require(ctx, sess, app.RoleAdmin); err != nil {
		return "", err
	}
	a, err := s.account(ctx, username)
	if err != nil {
		return "", err
	}
	temp, err := randomPassword()
	if err != nil {
		return "", s.internal("reset password", err)
	}
	hash, err := HashPassword(temp, s.opt.Password)
	if err != nil {
		return "", s.internal("reset password", err)
	}
	if err := s.store.SetPassword(ctx, sess.Actor(), a.ID, hash, true, "account.password_reset"); err != nil {
		return "", s.internal("reset password", err)
	}
	s.revoke(ctx, a.ID, errEndedPasswordReset, nil)
	return temp, nil
}

// ResetTOTP removes an account's authenticator and recovery codes (a lost
// phone): at the next login, after the password, the clerk enrols a new one.
// Admin only.
func (s *Service) ResetTOTP(ctx context.Context, sess *Session, username string) error {
	if err := Require(ctx, sess, app.RoleAdmin); err != nil {
		return err
	}
	a, err := s.account(ctx, username)
	if err != nil {
		return err
	}
	if err := s.store.ResetTOTP(ctx, sess.Actor(), a.ID); err != nil {
		return s.internal("reset totp", err)
	}
	s.revoke(ctx, a.ID, errEndedTOTPReset, nil)
	return nil
}

// ChangeOwnPassword lets a logged-in clerk change their password, proving the
// current one. Any role. The clerk's other open sessions end; this one goes
// on.
func (s *Service) ChangeOwnPassword(ctx context.Context, sess *Session, current, newPassword string) error {
	if err := Require(ctx, sess, Roles...); err != nil {
		return err
	}
	a, cred, err := s.store.AccountByUsername(ctx, sess.Username())
	if err != nil {
		return s.internal("change password", err)
	}
	if ok, err := VerifyPassword(current, cred.PasswordHash); err != nil || !ok {
		return s.fail(ctx, a.Actor(), s.throttleKey(a.Username), "account.password_change_failed", a.ID,
			app.FieldError("current", "Mevcut şifreniz hatalı. Kontrol edip tekrar deneyin."))
	}
	if newPassword == current {
		return errSamePassword()
	}
	if err := s.setPassword(ctx, a.Actor(), a, newPassword, false, "account.password_changed"); err != nil {
		return err
	}
	if now, err := s.store.AccountByID(ctx, a.ID); err == nil {
		sess.adopt(now.Generation)
	}
	s.revoke(ctx, a.ID, errEndedPasswordChanged, sess)
	return nil
}

// RecoveryCodesLeft tells the logged-in clerk how many unused recovery codes
// they still have (a screen suggests re-enrolling when few are left).
func (s *Service) RecoveryCodesLeft(ctx context.Context, sess *Session) (int, error) {
	if err := Require(ctx, sess, Roles...); err != nil {
		return 0, err
	}
	n, err := s.store.RecoveryCodesLeft(ctx, sess.AccountID())
	return n, s.internal("recovery codes", err)
}

// account finds an account by username for an admin operation.
func (s *Service) account(ctx context.Context, username string) (*Account, error) {
	a, _, err := s.store.AccountByUsername(ctx, foldUsername(username))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.FieldError("username", "Bu kullanıcı adıyla bir hesap yok. Listeden seçin.")
	}
	if err != nil {
		return nil, s.internal("account", err)
	}
	return a, nil
}
