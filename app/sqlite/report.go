package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app/kvkk"
)

// undeliveredAbout counts rows of a class that some not yet delivered record
// is about; %s is the row's subject column.
const undeliveredAbout = `(SELECT COUNT(*) FROM %s x WHERE EXISTS (SELECT 1 FROM outbox o
	WHERE o.subject = x.%s AND o.state <> 'delivered'))`

// reportClasses are the classes of KVKKReport: the table, the column of its
// oldest row, and how its undelivered rows are counted.
var reportClasses = []struct{ class, table, oldest, undelivered string }{
	{"citizens", "citizens", "created_at", fmt.Sprintf(undeliveredAbout, "citizens", "id")},
	{"complaints", "complaints", "created_at", fmt.Sprintf(undeliveredAbout, "complaints", "id")},
	{"identity_checks", "identity_checks", "checked_at", fmt.Sprintf(undeliveredAbout, "identity_checks", "citizen_id")},
	{"notice_acks", "notice_acks", "at", `0`},
	{"data_subject_requests", "data_subject_requests", "received_at",
		`(SELECT COUNT(*) FROM outbox WHERE type = 'data_subject.request' AND state <> 'delivered')`},
	{"attachments", "attachments", "uploaded_at", `(SELECT COUNT(*) FROM attachments WHERE uploaded_at = '')`},
	{"print_jobs", "print_jobs", "created_at", `0`},
	{"audit", "audit_events", "at", `(SELECT COUNT(*) FROM outbox WHERE type = 'audit.event' AND state <> 'delivered')`},
	{"destruction_log", "destruction_log", "run_at", fmt.Sprintf(undeliveredAbout, "destruction_log", "id")},
}

// KVKKReport returns what personal data the terminal holds now: counts per
// class, the oldest item, and what the central has not acknowledged yet.
// It reads counts and dates only, never a personal value.
func (s *Store) KVKKReport(ctx context.Context) (kvkk.Report, error) {
	rep := kvkk.Report{At: s.Now(), Undelivered: map[string]int{}}
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("kvkk report: %w", err)
	}
	defer tx.Rollback()
	for _, c := range reportClasses {
		cr := kvkk.ClassReport{Class: c.class}
		var oldest string
		q := `SELECT COUNT(*), COALESCE(MIN(NULLIF(` + c.oldest + `, '')), ''), ` + c.undelivered + ` FROM ` + c.table
		if err := tx.QueryRowContext(ctx, q).Scan(&cr.Count, &oldest, &cr.Undelivered); err != nil {
			return rep, fmt.Errorf("kvkk report %s: %w", c.class, err)
		}
		cr.Oldest = parseTime(oldest)
		if cr.Oldest.IsZero() {
			cr.Oldest, _ = time.Parse(time.RFC3339Nano, oldest)
		}
		rep.Classes = append(rep.Classes, cr)
	}
	rows, err := tx.QueryContext(ctx, `SELECT type, COUNT(*) FROM outbox WHERE state <> 'delivered' GROUP BY type`)
	if err != nil {
		return rep, fmt.Errorf("kvkk report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		var n int
		if err := rows.Scan(&typ, &n); err != nil {
			return rep, fmt.Errorf("kvkk report: %w", err)
		}
		rep.Undelivered[typ] = n
	}
	return rep, rows.Err()
}
