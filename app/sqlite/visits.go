package sqlite

import (
	"context"
	"fmt"

	"github.com/kocasinan/gise/app"
)

// RecordIdentityCheck implements app.VisitStore.
func (s *Store) RecordIdentityCheck(ctx context.Context, actor app.Actor, v *app.IdentityCheck) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(w *wtx) error {
		if err := w.citizenExists(v.CitizenID); err != nil {
			return err
		}
		if v.ID == "" {
			v.ID = newID()
		}
		v.Clerk, v.CheckedAt = actor.Username, w.now
		// The clerk's note is free text and may name people: sealed.
		note, err := s.seal(v.ID, "note", v.Note)
		if err != nil {
			return fmt.Errorf("record identity check: %w", err)
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO identity_checks
			(id, citizen_id, method, serial_last4, result, clerk, note, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.CitizenID, string(v.Method), v.SerialLast4, string(v.Result), v.Clerk, note,
			timeText(v.CheckedAt)); err != nil {
			return fmt.Errorf("record identity check: %w", err)
		}
		return w.recordAbout(app.TypeIdentityVerified, app.IdentityVerifiedData{
			CitizenID: v.CitizenID, Method: string(v.Method), SerialLast4: v.SerialLast4,
			Result: string(v.Result), Clerk: v.Clerk, Note: v.Note,
		}, v.ID, v.CitizenID)
	})
}

// IdentityChecks implements app.VisitStore.
func (s *Store) IdentityChecks(ctx context.Context, citizenID string) ([]*app.IdentityCheck, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT id, citizen_id, method, serial_last4, result, clerk, note, checked_at
		FROM identity_checks WHERE citizen_id = ? ORDER BY checked_at DESC, id DESC`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("identity checks: %w", err)
	}
	defer rows.Close()
	var out []*app.IdentityCheck
	for rows.Next() {
		var v app.IdentityCheck
		var method, result, at string
		var note any
		if err := rows.Scan(&v.ID, &v.CitizenID, &method, &v.SerialLast4, &result, &v.Clerk, &note, &at); err != nil {
			return nil, fmt.Errorf("identity checks: %w", err)
		}
		if v.Note, err = s.openText(v.ID, "note", note); err != nil {
			return nil, fmt.Errorf("identity checks: %w", err)
		}
		v.Method, v.Result, v.CheckedAt = app.DocumentMethod(method), app.VerificationResult(result), parseTime(at)
		out = append(out, &v)
	}
	return out, rows.Err()
}

// AcknowledgeNotice implements app.VisitStore.
func (s *Store) AcknowledgeNotice(ctx context.Context, actor app.Actor, n *app.NoticeAck) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if n.CitizenID != "" {
			if err := w.citizenExists(n.CitizenID); err != nil {
				return err
			}
		}
		return w.acknowledgeNotice(n)
	})
}

func (w *wtx) acknowledgeNotice(n *app.NoticeAck) error {
	if err := n.Validate(); err != nil {
		return err
	}
	if n.ID == "" {
		n.ID = newID()
	}
	n.Clerk, n.At = w.actor.Username, w.now
	var citizen any
	if n.CitizenID != "" {
		citizen = n.CitizenID
	}
	if _, err := w.ExecContext(w.ctx, `INSERT INTO notice_acks
		(id, citizen_id, version, sha256, language, delivery, print_job, clerk, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, citizen, n.Version, n.SHA256, n.Language, string(n.Delivery), n.PrintJob, n.Clerk, timeText(n.At)); err != nil {
		return fmt.Errorf("acknowledge notice: %w", err)
	}
	subject := n.CitizenID
	if subject == "" {
		subject = n.ID
	}
	return w.recordAbout(app.TypeNoticeAcknowledged, app.NoticeAcknowledgedData{
		CitizenID: n.CitizenID, NoticeVersion: n.Version, NoticeSHA256: n.SHA256, Language: n.Language,
		Delivery: string(n.Delivery), PrintJob: n.PrintJob, Clerk: n.Clerk, TerminalID: w.s.TerminalID,
	}, n.ID, subject)
}

// NoticeAcks implements app.VisitStore.
func (s *Store) NoticeAcks(ctx context.Context, citizenID string) ([]*app.NoticeAck, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT id, version, sha256, language, delivery, print_job, clerk, at
		FROM notice_acks WHERE citizen_id = ? ORDER BY at DESC, id DESC`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("notice acks: %w", err)
	}
	defer rows.Close()
	var out []*app.NoticeAck
	for rows.Next() {
		n := app.NoticeAck{CitizenID: citizenID}
		var delivery, at string
		if err := rows.Scan(&n.ID, &n.Version, &n.SHA256, &n.Language, &delivery, &n.PrintJob, &n.Clerk, &at); err != nil {
			return nil, fmt.Errorf("notice acks: %w", err)
		}
		n.Delivery, n.At = app.NoticeDelivery(delivery), parseTime(at)
		out = append(out, &n)
	}
	return out, rows.Err()
}

// citizenExists returns ENOTFOUND unless the citizen is stored.
func (w *wtx) citizenExists(id string) error {
	var one int
	err := w.QueryRowContext(w.ctx, `SELECT 1 FROM citizens WHERE id = ?`, id).Scan(&one)
	if err != nil {
		return &app.Error{Code: app.ENOTFOUND, Field: "citizen_id",
			Message: "Vatandaş kaydı bulunamadı; önce vatandaşı kaydedin ya da arayıp seçin.", Err: err}
	}
	return nil
}

// RequestActivation implements app.ActivationStore.
func (s *Store) RequestActivation(ctx context.Context, actor app.Actor, citizenID string, d app.ActivationDelivery) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if err := w.citizenExists(citizenID); err != nil {
			return err
		}
		return w.record(app.TypeActivationRequested, app.ActivationRequestedData{
			CitizenID: citizenID, Delivery: string(d), Clerk: actor.Username, TerminalID: s.TerminalID,
		}, citizenID)
	})
}
