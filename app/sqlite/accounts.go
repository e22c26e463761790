package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

var _ auth.Store = (*Store)(nil)

const accountColumns = `id, username, role, disabled, must_change_password, must_reenrol_totp,
	created_at, updated_at, generation, password_hash, totp_secret, totp_last_step`

// CountAccounts implements auth.Store.
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count accounts: %w", err)
	}
	return n, nil
}

// CreateFirstAdmin implements auth.Store.
func (s *Store) CreateFirstAdmin(ctx context.Context, a *auth.Account, c auth.Credential, recovery [][]byte) error {
	return s.write(ctx, a.Actor(), func(w *wtx) error {
		var n int
		if err := w.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil {
			return fmt.Errorf("first admin: %w", err)
		}
		if n > 0 {
			return app.Errorf(app.ECONFLICT, "Bu terminalde kurulum zaten yapılmış. Giriş ekranından giriş yapın.")
		}
		if err := w.insertAccount(a, c); err != nil {
			return err
		}
		if err := w.replaceRecoveryCodes(a.ID, recovery); err != nil {
			return err
		}
		if err := w.keepStep(a.ID, c.TOTPLastStep); err != nil {
			return err
		}
		if err := w.audit("account.created", a.ID); err != nil {
			return err
		}
		return w.audit("setup.completed", a.ID)
	})
}

// CreateAccount implements auth.Store.
func (s *Store) CreateAccount(ctx context.Context, actor app.Actor, a *auth.Account, c auth.Credential) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if err := w.insertAccount(a, c); err != nil {
			return err
		}
		return w.audit("account.created", a.ID)
	})
}

func (w *wtx) insertAccount(a *auth.Account, c auth.Credential) error {
	_, err := w.ExecContext(w.ctx, `INSERT INTO accounts (id, username, role, disabled, must_change_password,
		must_reenrol_totp, created_at, updated_at, password_hash, totp_secret, totp_last_step)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Username, string(a.Role), a.Disabled, a.MustChangePassword, a.MustReenrolTOTP,
		timeText(a.CreatedAt), timeText(a.UpdatedAt), c.PasswordHash, c.TOTPSecret, c.TOTPLastStep)
	if isUniqueViolation(err) {
		return &app.Error{Code: app.ECONFLICT, Field: "username",
			Message: "Bu kullanıcı adı zaten kullanılıyor. Başka bir kullanıcı adı seçin."}
	}
	if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	return nil
}

// AccountByUsername implements auth.Store.
func (s *Store) AccountByUsername(ctx context.Context, username string) (*auth.Account, *auth.Credential, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE username = ?`, username)
	a, c, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, app.Errorf(app.ENOTFOUND, "Bu kullanıcı adıyla bir hesap yok.")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("account by username: %w", err)
	}
	return a, c, nil
}

// AccountByID implements auth.Store: one read by primary key, without the
// credential's columns (measured in BenchmarkRequire, app/auth).
func (s *Store) AccountByID(ctx context.Context, id string) (*auth.Account, error) {
	var a auth.Account
	var role, created, updated string
	err := s.reader.QueryRowContext(ctx, `SELECT id, username, role, disabled, must_change_password,
		must_reenrol_totp, created_at, updated_at, generation, totp_secret IS NOT NULL FROM accounts WHERE id = ?`, id).
		Scan(&a.ID, &a.Username, &role, &a.Disabled, &a.MustChangePassword, &a.MustReenrolTOTP,
			&created, &updated, &a.Generation, &a.TOTPEnrolled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Bu hesap bulunamadı. Listeyi yenileyip tekrar deneyin.")
	}
	if err != nil {
		return nil, fmt.Errorf("account by id: %w", err)
	}
	a.Role, a.CreatedAt, a.UpdatedAt = app.Role(role), parseTime(created), parseTime(updated)
	return &a, nil
}

// Accounts implements auth.Store.
func (s *Store) Accounts(ctx context.Context) ([]*auth.Account, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	defer rows.Close()
	var list []*auth.Account
	for rows.Next() {
		a, _, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("accounts: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

func scanAccount(row interface{ Scan(...any) error }) (*auth.Account, *auth.Credential, error) {
	var a auth.Account
	var c auth.Credential
	var role, created, updated string
	err := row.Scan(&a.ID, &a.Username, &role, &a.Disabled, &a.MustChangePassword, &a.MustReenrolTOTP,
		&created, &updated, &a.Generation, &c.PasswordHash, &c.TOTPSecret, &c.TOTPLastStep)
	if err != nil {
		return nil, nil, err
	}
	a.Role, a.CreatedAt, a.UpdatedAt = app.Role(role), parseTime(created), parseTime(updated)
	a.TOTPEnrolled = c.TOTPSecret != nil
	return &a, &c, nil
}

// UpdateAccount implements auth.Store. The last-admin rule is checked inside
// the transaction, after the change, so two admins demoting each other at
// once cannot both succeed.
func (s *Store) UpdateAccount(ctx context.Context, actor app.Actor, a *auth.Account, action string) error {
	return s.write(ctx, actor, func(w *wtx) error {
		res, err := w.ExecContext(ctx, `UPDATE accounts SET generation = generation + (role IS NOT ?1 OR disabled IS NOT ?2),
			role = ?1, disabled = ?2, updated_at = ?3 WHERE id = ?4`,
			string(a.Role), a.Disabled, timeText(w.now), a.ID)
		if err != nil {
			return fmt.Errorf("update account: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "Bu hesap bulunamadı. Listeyi yenileyip tekrar deneyin.")
		}
		var admins int
		if err := w.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled = 0`).Scan(&admins); err != nil {
			return fmt.Errorf("update account: %w", err)
		}
		if admins == 0 {
			return app.Errorf(app.ECONFLICT, "Bu hesap etkin tek yönetici; devre dışı bırakılamaz ve rolü değiştirilemez. Önce başka bir hesabı yönetici yapın.")
		}
		return w.audit(action, a.ID)
	})
}

// SetPassword implements auth.Store.
func (s *Store) SetPassword(ctx context.Context, actor app.Actor, accountID, hash string, mustChange bool, action string) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if err := w.exec1(`UPDATE accounts SET password_hash = ?, must_change_password = ?, updated_at = ?,
			generation = generation + 1 WHERE id = ?`,
			hash, mustChange, timeText(w.now), accountID); err != nil {
			return err
		}
		return w.audit(action, accountID)
	})
}

// RehashPassword implements auth.Store.
func (s *Store) RehashPassword(ctx context.Context, actor app.Actor, accountID, oldHash, newHash string) (bool, error) {
	done := false
	err := s.write(ctx, actor, func(w *wtx) error {
		res, err := w.ExecContext(ctx, `UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?`,
			newHash, timeText(w.now), accountID, oldHash)
		if err != nil {
			return fmt.Errorf("rehash: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil // the password was reset or changed meanwhile
		}
		done = true
		return w.audit("account.password_rehashed", accountID)
	})
	return done && err == nil, err
}

// SetTOTP implements auth.Store.
func (s *Store) SetTOTP(ctx context.Context, actor app.Actor, accountID string, sealed []byte, step int64, recovery [][]byte) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if err := w.exec1(`UPDATE accounts SET totp_secret = ?, totp_last_step = MAX(totp_last_step, ?),
			must_reenrol_totp = 0, updated_at = ?, generation = generation + 1 WHERE id = ?`,
			sealed, step, timeText(w.now), accountID); err != nil {
			return err
		}
		if err := w.replaceRecoveryCodes(accountID, recovery); err != nil {
			return err
		}
		// A new secret: the old one's steps say nothing about its codes.
		if err := w.forgetSteps(accountID); err != nil {
			return err
		}
		if err := w.keepStep(accountID, step); err != nil {
			return err
		}
		return w.audit("account.totp_enrolled", accountID)
	})
}

// ResetTOTP implements auth.Store.
func (s *Store) ResetTOTP(ctx context.Context, actor app.Actor, accountID string) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if err := w.exec1(`UPDATE accounts SET totp_secret = NULL, must_reenrol_totp = 1, updated_at = ?,
			generation = generation + 1 WHERE id = ?`, timeText(w.now), accountID); err != nil {
			return err
		}
		if err := w.forgetSteps(accountID); err != nil {
			return err
		}
		if err := w.replaceRecoveryCodes(accountID, nil); err != nil {
			return err
		}
		return w.audit("account.totp_reset", accountID)
	})
}

func (w *wtx) replaceRecoveryCodes(accountID string, hashes [][]byte) error {
	if _, err := w.ExecContext(w.ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := w.ExecContext(w.ctx, `INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)`, accountID, h); err != nil {
			return fmt.Errorf("recovery codes: %w", err)
		}
	}
	return nil
}

// exec1 runs a statement that must change exactly one account row.
func (w *wtx) exec1(q string, args ...any) error {
	res, err := w.ExecContext(w.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("account: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return app.Errorf(app.ENOTFOUND, "Bu hesap bulunamadı. Listeyi yenileyip tekrar deneyin.")
	}
	return nil
}

// RecoveryCodesLeft implements auth.Store.
func (s *Store) RecoveryCodesLeft(ctx context.Context, accountID string) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE account_id = ? AND used_at = ''`, accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("recovery codes left: %w", err)
	}
	return n, nil
}
