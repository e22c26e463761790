package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

// Throttle implements auth.Store.
func (s *Store) Throttle(ctx context.Context, key []byte) (auth.Throttle, error) {
	return readThrottle(ctx, s.reader, key)
}

type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func readThrottle(ctx context.Context, q queryer, key []byte) (auth.Throttle, error) {
	var t auth.Throttle
	var locked, window string
	err := q.QueryRowContext(ctx, `SELECT failures, locked_until, window_start, window_failures
		FROM login_throttle WHERE key = ?`, key).Scan(&t.Failures, &locked, &window, &t.WindowFailures)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Throttle{}, nil
	}
	if err != nil {
		return t, fmt.Errorf("throttle: %w", err)
	}
	t.LockedUntil, t.WindowStart = parseTime(locked), parseTime(window)
	return t, nil
}

// LoginFailed implements auth.Store: the count is read and raised inside the
// write transaction, so concurrent failures are all counted.
func (s *Store) LoginFailed(ctx context.Context, actor app.Actor, key []byte, action, object string) (auth.Throttle, error) {
	var t auth.Throttle
	err := s.write(ctx, actor, func(w *wtx) error {
		// Forget usernames quiet for a day: the table does not grow with every
		// name ever mistyped, and a clerk's old slips stop counting.
		if _, err := w.ExecContext(ctx, `DELETE FROM login_throttle WHERE julianday(updated_at) < julianday(?)`,
			timeText(w.now.Add(-auth.ThrottleMemory))); err != nil {
			return fmt.Errorf("login failed: %w", err)
		}
		var err error
		if t, err = readThrottle(ctx, w.Tx, key); err != nil {
			return err
		}
		t.Fail(w.now)
		_, err = w.ExecContext(ctx, `INSERT INTO login_throttle
			(key, failures, locked_until, window_start, window_failures, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
			window_start = excluded.window_start, window_failures = excluded.window_failures, updated_at = excluded.updated_at`,
			key, t.Failures, timeText(t.LockedUntil), timeText(t.WindowStart), t.WindowFailures, timeText(w.now))
		if err != nil {
			return fmt.Errorf("login failed: %w", err)
		}
		return w.audit(action, object)
	})
	return t, err
}

// AcceptStep implements auth.Store: the check and the insert share the
// write transaction, so two logins with one code cannot both pass.
func (s *Store) AcceptStep(ctx context.Context, actor app.Actor, key []byte, accountID string, step, horizon int64, action string) error {
	return s.write(ctx, actor, func(w *wtx) error {
		var used bool
		err := w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM totp_steps WHERE account_id = ?
			AND (step = ? OR (step > ? AND step <= ?)))`, accountID, step, step, horizon).Scan(&used)
		if err != nil {
			return fmt.Errorf("accept step: %w", err)
		}
		if used {
			return app.Errorf(app.ECONFLICT, "Bu kod daha önce kullanıldı. Uygulamada yeni kod çıkınca onu yazın.")
		}
		if err := w.exec1(`UPDATE accounts SET totp_last_step = MAX(totp_last_step, ?) WHERE id = ?`, step, accountID); err != nil {
			return err
		}
		if err := w.keepStep(accountID, step); err != nil {
			return err
		}
		if err := w.clearThrottle(key); err != nil {
			return err
		}
		return w.audit(action, accountID)
	})
}

// keptSteps is how many accepted steps an account keeps: weeks of logins,
// so an old code stays refused even if the clock is later set back.
const keptSteps = 200

// keepStep records an accepted step and drops the account's oldest beyond
// keptSteps (by the order they were accepted in, not by the clock).
func (w *wtx) keepStep(accountID string, step int64) error {
	if step <= 0 {
		return nil
	}
	_, err := w.ExecContext(w.ctx, `INSERT OR IGNORE INTO totp_steps (account_id, step, accepted_at) VALUES (?, ?, ?)`,
		accountID, step, timeText(w.now))
	if err == nil {
		_, err = w.ExecContext(w.ctx, `DELETE FROM totp_steps WHERE account_id = ? AND rowid NOT IN
			(SELECT rowid FROM totp_steps WHERE account_id = ? ORDER BY rowid DESC LIMIT ?)`, accountID, accountID, keptSteps)
	}
	if err != nil {
		return fmt.Errorf("keep step: %w", err)
	}
	return nil
}

// forgetSteps drops an account's accepted steps when its secret changes.
func (w *wtx) forgetSteps(accountID string) error {
	if _, err := w.ExecContext(w.ctx, `DELETE FROM totp_steps WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("forget steps: %w", err)
	}
	return nil
}

// UseRecoveryCode implements auth.Store.
func (s *Store) UseRecoveryCode(ctx context.Context, actor app.Actor, key []byte, accountID string, hash []byte) error {
	return s.write(ctx, actor, func(w *wtx) error {
		res, err := w.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ?
			WHERE account_id = ? AND code_hash = ? AND used_at = ''`, timeText(w.now), accountID, hash)
		if err != nil {
			return fmt.Errorf("use recovery code: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "Kurtarma kodu geçersiz ya da daha önce kullanılmış.")
		}
		if err := w.exec1(`UPDATE accounts SET must_reenrol_totp = 1, updated_at = ?,
			generation = generation + 1 WHERE id = ?`, timeText(w.now), accountID); err != nil {
			return err
		}
		if err := w.clearThrottle(key); err != nil {
			return err
		}
		return w.audit("login.recovery_used", accountID)
	})
}

func (w *wtx) clearThrottle(key []byte) error {
	if _, err := w.ExecContext(w.ctx, `DELETE FROM login_throttle WHERE key = ?`, key); err != nil {
		return fmt.Errorf("clear throttle: %w", err)
	}
	return nil
}

// SaveEnrolment implements auth.Store.
func (s *Store) SaveEnrolment(ctx context.Context, actor app.Actor, e auth.StoredEnrolment) error {
	return s.write(ctx, actor, func(w *wtx) error {
		_, err := w.ExecContext(ctx, `INSERT OR REPLACE INTO terminal_enrolment
			(id, central_url, device_id, token_sealed, saved_at, saved_by) VALUES (1, ?, ?, ?, ?, ?)`,
			e.CentralURL, e.DeviceID, e.TokenSealed, timeText(e.SavedAt), e.SavedBy)
		if err != nil {
			return fmt.Errorf("save enrolment: %w", err)
		}
		return w.audit("terminal.enrolment_saved", e.DeviceID)
	})
}

// Enrolment implements auth.Store.
func (s *Store) Enrolment(ctx context.Context) (auth.StoredEnrolment, error) {
	var e auth.StoredEnrolment
	var saved string
	err := s.reader.QueryRowContext(ctx, `SELECT central_url, device_id, token_sealed, saved_at, saved_by
		FROM terminal_enrolment WHERE id = 1`).Scan(&e.CentralURL, &e.DeviceID, &e.TokenSealed, &saved, &e.SavedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return e, app.Errorf(app.ENOTFOUND, "Bu terminal henüz merkeze kaydedilmedi. Yönetici ayarlardan kaydetmeli.")
	}
	if err != nil {
		return e, fmt.Errorf("enrolment: %w", err)
	}
	e.SavedAt = parseTime(saved)
	return e, nil
}
