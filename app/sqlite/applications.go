package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
)

var _ kvkk.ApplicationStore = (*Store)(nil)

// RecordApplication implements kvkk.ApplicationStore. A tracking code that
// repeats one stored on this terminal is drawn again.
func (s *Store) RecordApplication(ctx context.Context, actor app.Actor, a *kvkk.Application) error {
	if a.ID == "" {
		a.ID = newID()
	}
	fixed := a.TrackingCode != ""
	for range 5 {
		if !fixed {
			a.TrackingCode = app.NewTrackingCode()
		}
		err := s.write(ctx, actor, func(w *wtx) error { return w.recordApplication(a) })
		if !isUniqueViolation(err) || fixed {
			return err
		}
	}
	return fmt.Errorf("record application: no free tracking code after 5 draws")
}

func (w *wtx) recordApplication(a *kvkk.Application) error {
	if err := w.citizenExists(a.CitizenID); err != nil {
		return err
	}
	if a.ReceivedAt.IsZero() {
		a.ReceivedAt = w.now
	}
	a.DueDate, a.Clerk = kvkk.DueDate(a.ReceivedAt), w.actor.Username
	rights, err := json.Marshal(a.Rights)
	if err != nil {
		return fmt.Errorf("record application: %w", err)
	}
	sl := sealing{s: w.s, id: a.ID}
	detail, addr := sl.text("detail", a.Detail), sl.text("reply_address", a.ReplyAddress)
	if sl.err != nil {
		return fmt.Errorf("record application: %w", sl.err)
	}
	if _, err := w.ExecContext(w.ctx, `INSERT INTO data_subject_requests (id, tracking_code, citizen_id, rights,
		detail, reply_channel, reply_address, clerk, received_at, due_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, string(a.TrackingCode), a.CitizenID, string(rights), detail, string(a.ReplyChannel), addr, a.Clerk,
		timeText(a.ReceivedAt), a.DueDate.Format(app.DateLayout)); err != nil {
		return fmt.Errorf("record application: %w", err)
	}
	return w.recordAbout(app.TypeDataSubjectRequest, a.RecordData(), a.ID, a.CitizenID)
}

const applicationColumns = `id, tracking_code, citizen_id, rights, detail, reply_channel, reply_address, clerk,
	received_at, due_date, answered_at, answered_by, answer`

// OpenApplications implements kvkk.ApplicationStore.
func (s *Store) OpenApplications(ctx context.Context, limit int) ([]*kvkk.Application, error) {
	return s.applications(ctx, `SELECT `+applicationColumns+` FROM data_subject_requests
		WHERE answered_at = '' ORDER BY due_date, received_at LIMIT ?`, limit)
}

// Applications implements kvkk.ApplicationStore.
func (s *Store) Applications(ctx context.Context, citizenID string) ([]*kvkk.Application, error) {
	return s.applications(ctx, `SELECT `+applicationColumns+` FROM data_subject_requests
		WHERE citizen_id = ? ORDER BY received_at DESC, id DESC`, citizenID)
}

// ApplicationByTrackingCode implements kvkk.ApplicationStore.
func (s *Store) ApplicationByTrackingCode(ctx context.Context, code app.TrackingCode) (*kvkk.Application, error) {
	list, err := s.applications(ctx, `SELECT `+applicationColumns+` FROM data_subject_requests
		WHERE tracking_code = ?`, string(code))
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "Bu takip koduyla bu terminalde kayıtlı başvuru yok.")
	}
	return list[0], nil
}

// AnswerApplication implements kvkk.ApplicationStore. The answer is sealed
// and audited; it is the controller's reply, sent by the chosen channel.
func (s *Store) AnswerApplication(ctx context.Context, actor app.Actor, id, answer string) error {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return app.FieldError("answer", "Verilen yanıtı kısaca yazın.")
	}
	return s.write(ctx, actor, func(w *wtx) error {
		var answered string
		err := w.QueryRowContext(ctx, `SELECT answered_at FROM data_subject_requests WHERE id = ?`, id).Scan(&answered)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "Başvuru bulunamadı; listeyi yenileyin.")
		}
		if err != nil {
			return fmt.Errorf("answer application: %w", err)
		}
		if answered != "" {
			return app.Errorf(app.ECONFLICT, "Bu başvuru zaten yanıtlanmış; listeyi yenileyin.")
		}
		sealed, err := w.s.seal(id, "answer", answer)
		if err != nil {
			return fmt.Errorf("answer application: %w", err)
		}
		if _, err := w.ExecContext(ctx, `UPDATE data_subject_requests SET answered_at = ?, answered_by = ?, answer = ?
			WHERE id = ?`, timeText(w.now), actor.Username, sealed, id); err != nil {
			return fmt.Errorf("answer application: %w", err)
		}
		return w.audit("data_subject.answered", id)
	})
}

func (s *Store) applications(ctx context.Context, q string, args ...any) ([]*kvkk.Application, error) {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("applications: %w", err)
	}
	defer rows.Close()
	var out []*kvkk.Application
	for rows.Next() {
		var a kvkk.Application
		var code, rights, channel, received, due, answered string
		var detail, addr, answer any
		if err := rows.Scan(&a.ID, &code, &a.CitizenID, &rights, &detail, &channel, &addr, &a.Clerk,
			&received, &due, &answered, &a.AnsweredBy, &answer); err != nil {
			return nil, fmt.Errorf("applications: %w", err)
		}
		o := opener{s: s, id: a.ID}
		a.Detail, a.ReplyAddress, a.Answer = o.text("detail", detail), o.text("reply_address", addr), o.text("answer", answer)
		if o.err != nil {
			return nil, fmt.Errorf("applications: %w", o.err)
		}
		if err := json.Unmarshal([]byte(rights), &a.Rights); err != nil {
			return nil, fmt.Errorf("applications: %w", err)
		}
		a.TrackingCode, a.ReplyChannel = app.TrackingCode(code), kvkk.ReplyChannel(channel)
		a.ReceivedAt, a.AnsweredAt = parseTime(received), parseTime(answered)
		a.DueDate, _ = time.Parse(app.DateLayout, due)
		out = append(out, &a)
	}
	return out, rows.Err()
}
