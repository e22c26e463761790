package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
)

var _ kvkk.RetentionStore = (*Store)(nil)

// retentionActor is the audit name of the destruction runs.
var retentionActor = app.Actor{Username: "retention", Role: app.RoleAdmin}

// delivered is the SQL condition "every record about subject X is
// delivered, the last one before the cutoff": what makes X due. A record
// pending, in conflict, rejected or closed by a supervisor keeps X.
const allDeliveredBefore = `NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subject = %s
	AND (o.state <> 'delivered' OR o.delivered_at >= ?))`

// DestroyDue implements kvkk.RetentionStore. Complaints go first, so that a
// citizen whose last complaint is destroyed in this run can follow; each
// class commits on its own; the destruction log entries and their records
// commit together at the end; the file is VACUUMed when anything went.
func (s *Store) DestroyDue(ctx context.Context, p kvkk.Policy, now time.Time) ([]kvkk.Destroyed, error) {
	now = now.In(s.Now().Location())
	steps := []func(context.Context, time.Time) (kvkk.Destroyed, error){
		s.destroyComplaints, s.destroyCitizens, s.destroyAudit, s.destroyLog, s.destroyPrintJobs,
	}
	periods := []time.Duration{p.Complaints, p.Citizens, p.Audit, p.DestructionLog, p.PrintJobs}
	var out []kvkk.Destroyed
	var total int64
	for i, step := range steps {
		d, err := step(ctx, now.Add(-periods[i]))
		if err != nil {
			return out, fmt.Errorf("retention %s: %w", d.Class, err)
		}
		out = append(out, d)
		total += d.Count
	}
	if err := s.write(ctx, retentionActor, func(w *wtx) error {
		for _, d := range out {
			if err := w.logDestroyed(d, now, p.Version); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return out, fmt.Errorf("retention log: %w", err)
	}
	if total > 0 {
		return out, s.Vacuum(ctx)
	}
	return out, nil
}

// logDestroyed writes one destruction log entry and its record.
func (w *wtx) logDestroyed(d kvkk.Destroyed, runAt time.Time, version string) error {
	id := newID()
	data := d.Data(runAt, version)
	if _, err := w.ExecContext(w.ctx, `INSERT INTO destruction_log (id, class, count, method, oldest, newest, run_at,
		policy_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, data.Class, data.Count, data.Method, data.Oldest,
		data.Newest, timeText(runAt), version); err != nil {
		return fmt.Errorf("destruction log: %w", err)
	}
	return w.recordAbout(app.TypeRetentionDestroyed, data, string(d.Class), id)
}

// span widens d's oldest and newest to include t.
func span(d *kvkk.Destroyed, t time.Time) {
	if t.IsZero() {
		return
	}
	if d.Oldest.IsZero() || t.Before(d.Oldest) {
		d.Oldest = t
	}
	if t.After(d.Newest) {
		d.Newest = t
	}
}

// due lists the (key, id, created) of rows a query selects.
type dueRow struct {
	num         int64
	id, created string
}

func (w *wtx) dueRows(q string, args ...any) ([]dueRow, error) {
	rows, err := w.QueryContext(w.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dueRow
	for rows.Next() {
		var r dueRow
		if err := rows.Scan(&r.num, &r.id, &r.created); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// exec runs statements with one argument each, stopping at the first error.
func (w *wtx) execEach(arg any, queries ...string) error {
	for _, q := range queries {
		if _, err := w.ExecContext(w.ctx, q, arg); err != nil {
			return err
		}
	}
	return nil
}

// destroyComplaints deletes complaints whose records were all delivered
// before cutoff, with their delivered records, their statuses and the
// attachment files no other complaint refers to.
func (s *Store) destroyComplaints(ctx context.Context, cutoff time.Time) (kvkk.Destroyed, error) {
	d := kvkk.Destroyed{Class: kvkk.ClassComplaints, Method: kvkk.MethodDeleted}
	var files []string
	err := s.write(ctx, retentionActor, func(w *wtx) error {
		// Driven by the delivered records (outbox_delivered), not by a walk
		// of every complaint: a destruction run holds the write lock.
		due, err := w.dueRows(`SELECT k.rowid, k.id, k.created_at FROM outbox r JOIN complaints k ON k.id = r.subject
			WHERE r.type = 'complaint.filed' AND r.state = 'delivered' AND r.delivered_at < ?
			AND `+fmt.Sprintf(allDeliveredBefore, "k.id"), timeText(cutoff), timeText(cutoff))
		if err != nil {
			return err
		}
		for _, r := range due {
			shas, err := w.strings(`SELECT sha256 FROM complaint_attachments WHERE complaint_id = ?`, r.id)
			if err != nil {
				return err
			}
			if err := w.execEach(r.id,
				`DELETE FROM complaint_statuses WHERE record_id IN (SELECT id FROM outbox WHERE subject = ?1)
					OR tracking_code = (SELECT tracking_code FROM complaints WHERE id = ?1)`,
				`DELETE FROM complaint_attachments WHERE complaint_id = ?`,
				`DELETE FROM complaints WHERE id = ?`,
				`DELETE FROM outbox WHERE subject = ? AND state = 'delivered'`); err != nil {
				return err
			}
			for _, sha := range shas {
				res, err := w.ExecContext(ctx, `DELETE FROM attachments WHERE sha256 = ?1
					AND NOT EXISTS (SELECT 1 FROM complaint_attachments WHERE sha256 = ?1)`, sha)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n > 0 {
					files = append(files, s.AttachmentPath(sha))
				}
			}
			d.Count++
			span(&d, parseTime(r.created))
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	// After the commit: a crash before this leaves sealed files without a
	// row, unreadable without the key and never listed again.
	for _, f := range files {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return d, err
		}
	}
	return d, nil
}

func (w *wtx) strings(q string, args ...any) ([]string, error) {
	return queryStrings(w.ctx, w, q, args...)
}

// queryStrings returns the one text column of a query's rows, on the
// reader pool or inside a transaction.
func queryStrings(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// destroyCitizens deletes citizens whose every record (registration,
// identity checks, notice acknowledgements, activations, applications) was
// delivered before cutoff, who have no complaint left on the terminal and
// no open application, with those rows, records and name-index entries.
func (s *Store) destroyCitizens(ctx context.Context, cutoff time.Time) (kvkk.Destroyed, error) {
	d := kvkk.Destroyed{Class: kvkk.ClassCitizens, Method: kvkk.MethodDeleted}
	err := s.write(ctx, retentionActor, func(w *wtx) error {
		due, err := w.dueRows(`SELECT c.num, c.id, c.created_at FROM outbox r JOIN citizens c ON c.id = r.subject
			WHERE r.type = 'citizen.registered' AND r.state = 'delivered' AND r.delivered_at < ?
			AND NOT EXISTS (SELECT 1 FROM complaints k WHERE k.citizen_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM data_subject_requests a WHERE a.citizen_id = c.id AND a.answered_at = '')
			AND `+fmt.Sprintf(allDeliveredBefore, "c.id"), timeText(cutoff), timeText(cutoff))
		if err != nil {
			return err
		}
		for _, r := range due {
			c, err := w.s.scanCitizen(w.QueryRowContext(ctx, `SELECT `+citizenColumns+` FROM citizens c WHERE c.num = ?`, r.num))
			if err != nil {
				return err
			}
			for _, tok := range w.s.nameTokens(c.FirstName, c.LastName) {
				if _, err := w.ExecContext(ctx, `DELETE FROM citizen_names WHERE token = ? AND citizen = ?`, tok, r.num); err != nil {
					return err
				}
			}
			if err := w.execEach(r.id,
				`DELETE FROM identity_checks WHERE citizen_id = ?`,
				`DELETE FROM notice_acks WHERE citizen_id = ?`,
				`DELETE FROM data_subject_requests WHERE citizen_id = ?`,
				`DELETE FROM outbox WHERE subject = ? AND state = 'delivered'`,
				`DELETE FROM citizens WHERE id = ?`); err != nil {
				return err
			}
			d.Count++
			span(&d, parseTime(r.created))
		}
		return nil
	})
	return d, err
}

// destroyAudit removes audit events older than cutoff whose audit.event
// records were delivered, keeping the chain's anchor (DestroyAuditBefore's
// path), and their delivered records.
func (s *Store) destroyAudit(ctx context.Context, cutoff time.Time) (kvkk.Destroyed, error) {
	d := kvkk.Destroyed{Class: kvkk.ClassAudit, Method: kvkk.MethodDeleted}
	err := s.write(ctx, retentionActor, func(w *wtx) error {
		var undelivered, newest int64
		if err := w.QueryRowContext(ctx, `SELECT COALESCE(MIN(CAST(substr(subject, 7) AS INTEGER)), 1 << 62)
			FROM outbox WHERE type = 'audit.event' AND state <> 'delivered'`).Scan(&undelivered); err != nil {
			return err
		}
		if err := w.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_events`).Scan(&newest); err != nil {
			return err
		}
		var last int64
		var hash, lastAt, firstAt string
		err := w.QueryRowContext(ctx, `SELECT seq, hash, at FROM audit_events WHERE at < ? AND seq < ? AND seq < ?
			ORDER BY seq DESC LIMIT 1`, cutoff.UTC().Format(time.RFC3339Nano), undelivered, newest).Scan(&last, &hash, &lastAt)
		if err != nil {
			return nil // nothing is due
		}
		if err := w.QueryRowContext(ctx, `SELECT at FROM audit_events ORDER BY seq LIMIT 1`).Scan(&firstAt); err != nil {
			return err
		}
		// The gate lets the records go too (migration 0010);
		// destroyAuditThrough closes it.
		if _, err := w.ExecContext(ctx, `UPDATE audit_retention_gate SET open = 1 WHERE id = 1`); err != nil {
			return err
		}
		if _, err := w.ExecContext(ctx, `DELETE FROM outbox WHERE type = 'audit.event' AND state = 'delivered'
			AND CAST(substr(subject, 7) AS INTEGER) <= ?`, last); err != nil {
			return err
		}
		span(&d, parseTime(firstAt))
		span(&d, parseTime(lastAt))
		return w.destroyAuditThrough(last, hash, &d.Count)
	})
	return d, err
}

// destroyLog removes destruction log entries older than cutoff whose
// records were delivered.
func (s *Store) destroyLog(ctx context.Context, cutoff time.Time) (kvkk.Destroyed, error) {
	d := kvkk.Destroyed{Class: kvkk.ClassDestructionLog, Method: kvkk.MethodDeleted}
	err := s.write(ctx, retentionActor, func(w *wtx) error {
		due, err := w.dueRows(`SELECT l.rowid, l.id, l.run_at FROM destruction_log l WHERE l.run_at < ?
			AND EXISTS (SELECT 1 FROM outbox o WHERE o.subject = l.id AND o.state = 'delivered')
			AND `+fmt.Sprintf(allDeliveredBefore, "l.id"), timeText(cutoff), timeText(cutoff))
		if err != nil {
			return err
		}
		for _, r := range due {
			if err := w.execEach(r.id, `DELETE FROM outbox WHERE subject = ? AND state = 'delivered'`,
				`DELETE FROM destruction_log WHERE id = ?`); err != nil {
				return err
			}
			d.Count++
			span(&d, parseTime(r.created))
		}
		return nil
	})
	return d, err
}

// destroyPrintJobs removes printed jobs (their PDFs hold names) made
// before cutoff; waiting and failed ones stay until printed.
func (s *Store) destroyPrintJobs(ctx context.Context, cutoff time.Time) (kvkk.Destroyed, error) {
	d := kvkk.Destroyed{Class: kvkk.ClassPrintJobs, Method: kvkk.MethodDeleted}
	var oldest, newest string
	if err := s.writer.QueryRowContext(ctx, `SELECT COALESCE(MIN(created_at), ''), COALESCE(MAX(created_at), '')
		FROM print_jobs WHERE status = 'printed' AND created_at < ?`, timeText(cutoff)).Scan(&oldest, &newest); err != nil {
		return d, err
	}
	n, err := s.DeletePrintedJobsBefore(ctx, cutoff)
	if err != nil || n == 0 {
		return d, err
	}
	d.Count = n
	span(&d, parseTime(oldest))
	span(&d, parseTime(newest))
	return d, nil
}
