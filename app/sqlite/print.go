package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

var _ app.PrintJobStore = (*Store)(nil)

// SavePrintJob implements app.PrintJobStore. A print job is the terminal's own
// bookkeeping: it queues no record for the central.
func (s *Store) SavePrintJob(ctx context.Context, j *app.PrintJob) error {
	if j.ID == "" {
		j.ID = newID()
	}
	now := s.now()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	j.UpdatedAt = now
	if j.Status == "" {
		j.Status = app.PrintQueued
	}
	// A receipt or notice PDF may carry a name: sealed like other personal data.
	pdf, err := s.sealer.Seal(j.ID, "pdf", j.PDF)
	if err != nil {
		return fmt.Errorf("save print job: %w", err)
	}
	return s.printTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO print_jobs
			(id, title, printer, pdf, status, cups_job, error, attempts, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			j.ID, j.Title, j.Printer, pdf, string(j.Status), j.SystemJob, j.Error, j.Attempts,
			timeText(j.CreatedAt), timeText(j.UpdatedAt))
		return err
	})
}

// UpdatePrintJob implements app.PrintJobStore.
func (s *Store) UpdatePrintJob(ctx context.Context, id string, st app.PrintStatus, queue, systemJob, errMsg string) error {
	attempt := 0
	if st == app.PrintSent || (st == app.PrintFailed && systemJob == "") {
		attempt = 1 // a hand-over: accepted, or refused before the print system took it
	}
	return s.printTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status = ?, printer = ?, cups_job = ?, error = ?,
			attempts = attempts + ?, updated_at = ? WHERE id = ?`,
			string(st), queue, systemJob, errMsg, attempt, timeText(s.now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "Yazdırma işi bulunamadı; listeyi yenileyin.")
		}
		return nil
	})
}

// PrintJob implements app.PrintJobStore.
func (s *Store) PrintJob(ctx context.Context, id string) (*app.PrintJob, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+printColumns+`, pdf FROM print_jobs WHERE id = ?`, id)
	j, err := scanPrintJob(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Yazdırma işi bulunamadı; listeyi yenileyin.")
	}
	if err != nil {
		return nil, err
	}
	if isSealed(j.PDF) {
		if j.PDF, err = s.sealer.Open(j.ID, "pdf", j.PDF); err != nil {
			return nil, fmt.Errorf("print job: %w", err)
		}
	}
	return j, nil
}

// PrintJobs implements app.PrintJobStore.
func (s *Store) PrintJobs(ctx context.Context, limit int, statuses ...app.PrintStatus) ([]*app.PrintJob, error) {
	q := `SELECT ` + printColumns + ` FROM print_jobs`
	args := make([]any, 0, len(statuses)+1)
	if len(statuses) > 0 {
		q += ` WHERE status IN (?` + strings.Repeat(`, ?`, len(statuses)-1) + `)`
		for _, st := range statuses {
			args = append(args, string(st))
		}
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	rows, err := s.reader.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("print jobs: %w", err)
	}
	defer rows.Close()
	var out []*app.PrintJob
	for rows.Next() {
		j, err := scanPrintJob(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// DeletePrintedJobsBefore removes printed jobs (and their PDFs) created
// before cutoff, for retention, and returns how many it removed. Failed and
// waiting jobs stay until they are printed.
func (s *Store) DeletePrintedJobsBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.printTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM print_jobs WHERE status = 'printed' AND created_at < ?`,
			timeText(cutoff))
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

const printColumns = `id, title, printer, status, cups_job, error, attempts, created_at, updated_at`

func scanPrintJob(row scanner, withPDF bool) (*app.PrintJob, error) {
	var j app.PrintJob
	var status, created, updated string
	dest := []any{&j.ID, &j.Title, &j.Printer, &status, &j.SystemJob, &j.Error, &j.Attempts, &created, &updated}
	if withPDF {
		dest = append(dest, &j.PDF)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("scan print job: %w", err)
	}
	j.Status, j.CreatedAt, j.UpdatedAt = app.PrintStatus(status), parseTime(created), parseTime(updated)
	return &j, nil
}

// printTx runs fn in a write transaction of its own: print bookkeeping has
// no outbox record and no audit event.
func (s *Store) printTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("print job: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return err
		}
		return fmt.Errorf("print job: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("print job: %w", err)
	}
	return nil
}
