package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

// FileComplaint implements app.ComplaintStore. A tracking code that happens
// to repeat one already stored on this terminal is drawn again.
func (s *Store) FileComplaint(ctx context.Context, actor app.Actor, c *app.Complaint) error {
	if err := c.Validate(s.Now()); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = newID()
	}
	fixedCode := c.TrackingCode != ""
	for range 5 {
		if !fixedCode {
			c.TrackingCode = app.NewTrackingCode()
		}
		err := s.write(ctx, actor, func(w *wtx) error { return w.fileComplaint(c) })
		if !isUniqueViolation(err) || fixedCode {
			return err
		}
	}
	return fmt.Errorf("file complaint: no free tracking code after 5 draws")
}

func (w *wtx) fileComplaint(c *app.Complaint) error {
	if !c.Anonymous {
		if err := w.citizenExists(c.CitizenID); err != nil {
			return err
		}
	}
	for _, a := range c.Attachments {
		if err := w.attachmentStored(a.SHA256); err != nil {
			return err
		}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = w.now
	}
	c.Clerk, c.Status = w.actor.Username, "received"
	atts, err := json.Marshal(c.FiledData("").Attachments)
	if err != nil {
		return fmt.Errorf("file complaint: %w", err)
	}
	var citizen any
	if c.CitizenID != "" {
		citizen = c.CitizenID
	}
	var paperDate string
	if !c.PaperDate.IsZero() {
		paperDate = c.PaperDate.Format(app.DateLayout)
	}
	sl := sealing{s: w.s, id: c.ID}
	description, address, attachments := sl.text("description", c.Description), sl.text("address", c.Address),
		sl.text("attachments", string(atts))
	if sl.err != nil {
		return fmt.Errorf("file complaint: %w", sl.err)
	}
	_, err = w.ExecContext(w.ctx, `INSERT INTO complaints (id, tracking_code, citizen_id, anonymous, kind,
		category_code, description, address, neighbourhood_code, channel, paper_ref, paper_date, attachments,
		clerk, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, string(c.TrackingCode), citizen, c.Anonymous, string(c.Kind), c.CategoryCode, description,
		address, c.NeighbourhoodCode, string(c.Channel), c.PaperRef, paperDate, attachments, c.Clerk,
		timeText(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("file complaint: %w", err)
	}
	for _, a := range c.Attachments {
		if _, err := w.ExecContext(w.ctx, `INSERT OR IGNORE INTO complaint_attachments (complaint_id, sha256) VALUES (?, ?)`,
			c.ID, a.SHA256); err != nil {
			return fmt.Errorf("file complaint: %w", err)
		}
	}
	return w.record(app.TypeComplaintFiled, c.FiledData(w.s.TerminalID), c.ID)
}

const complaintColumns = `id, tracking_code, COALESCE(citizen_id, ''), anonymous, kind, category_code,
	description, address, neighbourhood_code, channel, paper_ref, paper_date, attachments, clerk, created_at, status`

// ComplaintByTrackingCode implements app.ComplaintStore.
func (s *Store) ComplaintByTrackingCode(ctx context.Context, code app.TrackingCode) (*app.Complaint, error) {
	c, err := s.scanComplaint(s.reader.QueryRowContext(ctx,
		`SELECT `+complaintColumns+` FROM complaints WHERE tracking_code = ?`, string(code)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Bu takip koduyla bu terminalde kayıtlı başvuru yok.")
	}
	return c, err
}

// RecentComplaints implements app.ComplaintStore.
func (s *Store) RecentComplaints(ctx context.Context, limit int) ([]*app.Complaint, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+complaintColumns+` FROM complaints
		ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent complaints: %w", err)
	}
	defer rows.Close()
	var out []*app.Complaint
	for rows.Next() {
		c, err := s.scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ComplaintHistory implements app.ComplaintStore.
func (s *Store) ComplaintHistory(ctx context.Context, complaintID string) ([]app.StatusChange, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT status, note, at FROM complaint_statuses
		WHERE record_id = ? OR tracking_code = (SELECT tracking_code FROM complaints WHERE id = ?)
		ORDER BY seq`, complaintID, complaintID)
	if err != nil {
		return nil, fmt.Errorf("complaint history: %w", err)
	}
	defer rows.Close()
	var out []app.StatusChange
	for rows.Next() {
		var sc app.StatusChange
		var at string
		if err := rows.Scan(&sc.Status, &sc.Note, &at); err != nil {
			return nil, fmt.Errorf("complaint history: %w", err)
		}
		sc.At = parseTime(at)
		out = append(out, sc)
	}
	return out, rows.Err()
}

// scanComplaint reads one row of complaintColumns and opens its sealed values.
func (s *Store) scanComplaint(row scanner) (*app.Complaint, error) {
	var c app.Complaint
	var code, kind, channel, paperDate, created string
	var description, address, sealedAtts any
	err := row.Scan(&c.ID, &code, &c.CitizenID, &c.Anonymous, &kind, &c.CategoryCode, &description,
		&address, &c.NeighbourhoodCode, &channel, &c.PaperRef, &paperDate, &sealedAtts, &c.Clerk, &created, &c.Status)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("scan complaint: %w", err)
	}
	o := opener{s: s, id: c.ID}
	c.Description, c.Address = o.text("description", description), o.text("address", address)
	atts := o.text("attachments", sealedAtts)
	if o.err != nil {
		return nil, fmt.Errorf("scan complaint: %w", o.err)
	}
	c.TrackingCode, c.Kind, c.Channel = app.TrackingCode(code), app.Kind(kind), app.Channel(channel)
	if paperDate != "" {
		c.PaperDate, _ = time.Parse(app.DateLayout, paperDate)
	}
	c.CreatedAt = parseTime(created)
	if err := json.Unmarshal([]byte(atts), &c.Attachments); err != nil {
		return nil, fmt.Errorf("scan complaint: %w", err)
	}
	return &c, nil
}
