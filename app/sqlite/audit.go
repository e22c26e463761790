package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

// Audit implements app.AuditStore.
func (s *Store) Audit(ctx context.Context, actor app.Actor, action, object string) error {
	return s.write(ctx, actor, func(w *wtx) error { return w.audit(action, object) })
}

// VerifyAudit implements app.AuditStore: it walks the chain from its anchor
// and names the first event whose link fails.
func (s *Store) VerifyAudit(ctx context.Context) (app.AuditReport, error) {
	var rep app.AuditReport
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("verify audit: %w", err)
	}
	defer tx.Rollback()
	var anchorSeq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_anchor WHERE id = 1`).Scan(&anchorSeq, &prev); err != nil {
		return rep, fmt.Errorf("verify audit: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, object, terminal_id, terminal_ip, prev_hash, hash
		FROM audit_events ORDER BY seq`)
	if err != nil {
		return rep, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	want := anchorSeq + 1
	rep.FirstSeq = want
	for rows.Next() {
		var e app.AuditEvent
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &e.TerminalID, &e.TerminalIP,
			&e.PrevHash, &e.Hash); err != nil {
			return rep, fmt.Errorf("verify audit: %w", err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		rep.Events++
		if problem := app.CheckLink(&e, prev, want); problem != "" {
			rep.BrokenSeq, rep.Problem = e.Seq, problem
			return rep, nil
		}
		rep.LastSeq, prev, want = e.Seq, e.Hash, e.Seq+1
	}
	return rep, rows.Err()
}

// DestroyAuditBefore is the retention path of the audit chain: it deletes the
// oldest events that happened before cutoff, oldest first, and keeps the hash
// of the last one removed as the chain's new anchor, so that what remains
// still verifies. It returns how many events it removed and appends an event
// saying so.
func (s *Store) DestroyAuditBefore(ctx context.Context, actor app.Actor, cutoff time.Time) (int64, error) {
	var removed int64
	err := s.write(ctx, actor, func(w *wtx) error {
		var lastSeq int64
		var lastHash string
		err := w.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events WHERE at < ? ORDER BY seq DESC LIMIT 1`,
			cutoff.UTC().Format(time.RFC3339Nano)).Scan(&lastSeq, &lastHash)
		if err != nil {
			return nil // nothing is due
		}
		// Never remove the newest event: the chain must keep a head to append to.
		var newest int64
		if err := w.QueryRowContext(ctx, `SELECT MAX(seq) FROM audit_events`).Scan(&newest); err != nil {
			return fmt.Errorf("destroy audit: %w", err)
		}
		if lastSeq >= newest {
			lastSeq--
			if err := w.QueryRowContext(ctx, `SELECT hash FROM audit_events WHERE seq = ?`, lastSeq).Scan(&lastHash); err != nil {
				return nil
			}
		}
		return w.destroyAuditThrough(lastSeq, lastHash, &removed)
	})
	return removed, err
}

func (w *wtx) destroyAuditThrough(seq int64, hash string, removed *int64) error {
	steps := []struct {
		q    string
		args []any
	}{
		{`UPDATE audit_retention_gate SET open = 1 WHERE id = 1`, nil},
		{`DELETE FROM audit_events WHERE seq <= ?`, []any{seq}},
		{`UPDATE audit_anchor SET seq = ?, hash = ? WHERE id = 1`, []any{seq, hash}},
		{`UPDATE audit_retention_gate SET open = 0 WHERE id = 1`, nil},
	}
	for i, st := range steps {
		res, err := w.ExecContext(w.ctx, st.q, st.args...)
		if err != nil {
			return fmt.Errorf("destroy audit: %w", err)
		}
		if i == 1 {
			*removed, _ = res.RowsAffected()
		}
	}
	return w.audit("audit.destroyed", fmt.Sprintf("through-seq-%d", seq))
}

// AuditEvents returns the audit events that happened in [from, to), oldest
// first, for an export.
func (s *Store) AuditEvents(ctx context.Context, from, to time.Time) ([]app.AuditEvent, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT seq, at, actor, action, object, terminal_id, terminal_ip,
		prev_hash, hash FROM audit_events WHERE at >= ? AND at < ? ORDER BY seq`,
		from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	defer rows.Close()
	var out []app.AuditEvent
	for rows.Next() {
		var e app.AuditEvent
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &e.TerminalID, &e.TerminalIP,
			&e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("audit events: %w", err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, e)
	}
	return out, rows.Err()
}
