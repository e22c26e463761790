package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

// MAC purposes of the chain's bookkeeping rows (app.AuditMAC).
const (
	macKeyedFrom = "gise audit keyed-from"
	macAcked     = "gise audit acked head"
)

// auditColumns are the columns scanAuditEvent reads, in its order.
const auditColumns = `seq, at, actor, action, object, terminal_id, terminal_ip, prev_hash, hash, mac_key`

func scanAuditEvent(rows *sql.Rows) (app.AuditEvent, error) {
	var e app.AuditEvent
	var at string
	err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &e.TerminalID, &e.TerminalIP,
		&e.PrevHash, &e.Hash, &e.MACKey)
	e.At, _ = time.Parse(time.RFC3339Nano, at)
	return e, err
}

// auditKey returns the audit subkey of terminal key id, or nil for 0 (the
// plain SHA-256 links of events written before keyed links).
func (s *Store) auditKey(id byte) ([]byte, error) {
	if id == 0 {
		return nil, nil
	}
	return s.sealer.Subkey(id, app.AuditMACLabel)
}

// prepareAudit runs at every Open after the migrations: it writes the
// keyed-from marker the first time, then restores the refusal triggers.
func (s *Store) prepareAudit(ctx context.Context) error {
	if err := s.markKeyed(ctx); err != nil {
		return err
	}
	return s.restoreTriggers(ctx)
}

// markKeyed writes, once, the sequence from which every event is keyed:
// the chain's next one, so the first keyed event links to the last
// unkeyed hash. A chain that already had events audits the switch. When
// the marker is missing but keyed events exist, someone removed it:
// writing a new one would bless the removal, so it is left for
// VerifyAudit to name.
func (s *Store) markKeyed(ctx context.Context) error {
	var marked, keyed bool
	if err := s.writer.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_keyed),
		EXISTS (SELECT 1 FROM audit_events WHERE mac_key > 0)`).Scan(&marked, &keyed); err != nil {
		return fmt.Errorf("audit marker: %w", err)
	}
	if marked || keyed {
		return nil
	}
	return s.write(ctx, systemActor, func(w *wtx) error {
		var head int64
		var events bool
		if err := w.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), (SELECT seq FROM audit_anchor WHERE id = 1)),
			COUNT(*) > 0 FROM audit_events`).Scan(&head, &events); err != nil {
			return fmt.Errorf("audit marker: %w", err)
		}
		id := s.sealer.ActiveKeyID()
		key, err := s.auditKey(id)
		if err != nil {
			return fmt.Errorf("audit marker: %w", err)
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO audit_keyed (id, from_seq, mac_key, mac) VALUES (1, ?, ?, ?)`,
			head+1, id, app.AuditMAC(key, macKeyedFrom, head+1, "")); err != nil {
			return fmt.Errorf("audit marker: %w", err)
		}
		if !events {
			return nil
		}
		return w.audit("audit.keyed", fmt.Sprintf("from-seq-%d", head+1))
	})
}

// storeAckedHead keeps the newest of heads as the head the central
// acknowledged, with its MAC, when it is newer than the one kept.
func (s *Store) storeAckedHead(ctx context.Context, tx *sql.Tx, heads []app.AuditHead, now string) error {
	var best app.AuditHead
	for _, h := range heads {
		if h.Seq > best.Seq {
			best = h
		}
	}
	if best.Seq == 0 {
		return nil
	}
	id := s.sealer.ActiveKeyID()
	key, err := s.auditKey(id)
	if err != nil {
		return fmt.Errorf("acknowledged audit head: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_acked (id, seq, hash, acked_at, mac_key, mac) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, acked_at = excluded.acked_at,
		mac_key = excluded.mac_key, mac = excluded.mac WHERE excluded.seq > audit_acked.seq`,
		best.Seq, best.Hash, now, id, app.AuditMAC(key, macAcked, best.Seq, best.Hash))
	if err != nil {
		return fmt.Errorf("acknowledged audit head: %w", err)
	}
	return nil
}

// AckedAuditHead returns the newest head the central acknowledged (Seq 0
// when none was yet).
func (s *Store) AckedAuditHead(ctx context.Context) (app.AuditHead, error) {
	var h app.AuditHead
	err := s.reader.QueryRowContext(ctx, `SELECT seq, hash FROM audit_acked WHERE id = 1`).Scan(&h.Seq, &h.Hash)
	if err == sql.ErrNoRows {
		err = nil
	}
	return h, err
}

// Audit implements app.AuditStore.
func (s *Store) Audit(ctx context.Context, actor app.Actor, action, object string) error {
	return s.write(ctx, actor, func(w *wtx) error { return w.audit(action, object) })
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
	rows, err := s.reader.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events WHERE at >= ? AND at < ? ORDER BY seq`,
		from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	defer rows.Close()
	var out []app.AuditEvent
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("audit events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
