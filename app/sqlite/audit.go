package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sort"
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

// prepareAudit runs at every Open after the migrations: it restores the
// refusal triggers. The keyed-from marker and the seed of the acknowledged
// head are written by the migrations that create their tables, in the same
// transaction (afterMigration), never later from what the file holds.
func (s *Store) prepareAudit(ctx context.Context) error {
	return s.restoreTriggers(ctx)
}

// afterMigration writes, inside the transaction of migration version, the
// rows of the audit chain's bookkeeping that need the terminal key: after
// 0009 the keyed-from marker, after 0010 the acknowledged head's seed. They
// are written in the Open that applies those migrations and never again: a
// marker or head row missing later was removed, and writing a new one from
// what the file holds would bless whatever chain is there (a chain rewritten
// unkeyed, the marker, head and outbox copies deleted).
func (s *Store) afterMigration(ctx context.Context, tx *sql.Tx, version int) error {
	var step func(*wtx) error
	switch version {
	case 9:
		step = markKeyed
	case 10:
		step = seedAckedHead
	default:
		return nil
	}
	if s.sealer == nil {
		return fmt.Errorf("the audit chain's bookkeeping needs the terminal key")
	}
	return step(&wtx{Tx: tx, ctx: ctx, s: s, actor: systemActor, now: s.now()})
}

// markKeyed writes the sequence from which every event is keyed: the
// chain's next one, so the first keyed event links to the last unkeyed
// hash. A chain that already had events audits the switch.
func markKeyed(w *wtx) error {
	var head int64
	var events bool
	if err := w.QueryRowContext(w.ctx, `SELECT COALESCE(MAX(seq), (SELECT seq FROM audit_anchor WHERE id = 1)),
		COUNT(*) > 0 FROM audit_events`).Scan(&head, &events); err != nil {
		return fmt.Errorf("audit marker: %w", err)
	}
	id := w.s.sealer.ActiveKeyID()
	key, err := w.s.auditKey(id)
	if err != nil {
		return fmt.Errorf("audit marker: %w", err)
	}
	if _, err := w.ExecContext(w.ctx, `INSERT INTO audit_keyed (id, from_seq, mac_key, mac) VALUES (1, ?, ?, ?)`,
		head+1, id, app.AuditMAC(key, macKeyedFrom, head+1, "")); err != nil {
		return fmt.Errorf("audit marker: %w", err)
	}
	if !events {
		return nil
	}
	return w.audit("audit.keyed", fmt.Sprintf("from-seq-%d", head+1))
}

// seedAckedHead writes the acknowledged head as sequence 0 (none yet) when
// no head is kept, so that from now on a missing row means a removed one.
func seedAckedHead(w *wtx) error {
	id := w.s.sealer.ActiveKeyID()
	key, err := w.s.auditKey(id)
	if err != nil {
		return fmt.Errorf("acknowledged audit head: %w", err)
	}
	if _, err := w.ExecContext(w.ctx, `INSERT INTO audit_acked (id, seq, hash, acked_at, mac_key, mac)
		VALUES (1, 0, '', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		timeText(w.now), id, app.AuditMAC(key, macAcked, 0, "")); err != nil {
		return fmt.Errorf("acknowledged audit head: %w", err)
	}
	return nil
}

// storeAckedHead keeps the newest of heads that the local chain holds (the
// same hash at that sequence) as the head the central acknowledged, with
// its MAC, when it is newer than the one kept. A head the chain does not
// hold is logged and not kept: audit_acked_refuse_back would make a wrong
// one permanent. The caller passes only the heads of created and duplicate
// answers.
func (s *Store) storeAckedHead(ctx context.Context, tx *sql.Tx, heads []app.AuditHead, now string) error {
	sort.Slice(heads, func(i, j int) bool { return heads[i].Seq > heads[j].Seq })
	var checked app.AuditHead
	for _, h := range heads {
		if h.Seq <= 0 || h == checked {
			continue
		}
		checked = h
		held, err := chainHolds(ctx, tx, h)
		if err != nil {
			return err
		}
		if held {
			return s.keepAckedHead(ctx, tx, h, now)
		}
		slog.Warn("acknowledged audit head not kept: the local chain does not hold it", "seq", h.Seq, "hash", h.Hash)
	}
	return nil
}

// chainHolds reports whether the local chain has event h.Seq with hash h.Hash.
func chainHolds(ctx context.Context, tx *sql.Tx, h app.AuditHead) (bool, error) {
	var local string
	err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_events WHERE seq = ?`, h.Seq).Scan(&local)
	switch {
	case err == sql.ErrNoRows:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("acknowledged audit head: %w", err)
	}
	return local == h.Hash, nil
}

// keepAckedHead writes h, MACed, as the acknowledged head when it is newer
// than the one kept.
func (s *Store) keepAckedHead(ctx context.Context, tx *sql.Tx, h app.AuditHead, now string) error {
	id := s.sealer.ActiveKeyID()
	key, err := s.auditKey(id)
	if err != nil {
		return fmt.Errorf("acknowledged audit head: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_acked (id, seq, hash, acked_at, mac_key, mac) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, acked_at = excluded.acked_at,
		mac_key = excluded.mac_key, mac = excluded.mac WHERE excluded.seq > audit_acked.seq`,
		h.Seq, h.Hash, now, id, app.AuditMAC(key, macAcked, h.Seq, h.Hash))
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
