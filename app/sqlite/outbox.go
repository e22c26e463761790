package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kocasinan/gise/app"
)

var _ app.OutboxStore = (*Store)(nil)

// recordOverhead approximates the JSON around a record's data in a batch
// (id, type, schema, occurred_at and punctuation).
const recordOverhead = 140

// PendingBatch implements app.OutboxStore. The sealed payload is opened
// straight from the driver's buffer: a batch is hundreds of records, and
// each copy of them is garbage to collect.
func (s *Store) PendingBatch(ctx context.Context, afterSeq int64, maxRecords, maxBytes int) ([]app.Record, int64, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT seq, id, type, schema, occurred_at, typeof(data) = 'blob', data
		FROM `+withPayloads+` WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?`, afterSeq, maxRecords)
	if err != nil {
		return nil, 0, fmt.Errorf("pending batch: %w", err)
	}
	defer rows.Close()
	var out []app.Record
	size, last := 0, afterSeq
	for rows.Next() {
		var r app.Record
		var seq int64
		var at string
		var sealed bool
		var raw sql.RawBytes
		if err := rows.Scan(&seq, &r.ID, &r.Type, &r.Schema, &at, &sealed, &raw); err != nil {
			return nil, 0, fmt.Errorf("pending batch: %w", err)
		}
		var data []byte
		if sealed {
			if data, err = s.sealer.Open(r.ID, "data", raw); err != nil {
				return nil, 0, fmt.Errorf("pending batch: data of %s: %w", r.ID, err)
			}
		} else {
			data = bytes.Clone(raw) // a plaintext payload an older schema left
		}
		size += len(data) + recordOverhead
		if len(out) > 0 && size > maxBytes {
			break
		}
		r.OccurredAt, r.Data, last = parseTime(at), data, seq
		out = append(out, r)
	}
	return out, last, rows.Err()
}

// ApplyResults implements app.OutboxStore. Deliveries go in chunks of one
// UPDATE … FROM (VALUES …) statement: a statement per record costs most of
// a batch's time.
func (s *Store) ApplyResults(ctx context.Context, results []app.DeliveryResult) error {
	if err := checkResults(results); err != nil {
		return err
	}
	return s.bookkeep(ctx, func(tx *sql.Tx, now string) error { return s.applyResults(ctx, tx, results, now) })
}

// checkResults refuses an answer of unknown status before anything is
// written.
func checkResults(results []app.DeliveryResult) error {
	for _, r := range results {
		switch r.Status {
		case app.DeliveryCreated, app.DeliveryDuplicate, app.DeliveryConflict, app.DeliveryRejected:
		default:
			return app.Errorf(app.EINVALID, "Merkezden bilinmeyen bir yanıt geldi (%q).", r.Status)
		}
	}
	return nil
}

// applyResults is ApplyResults inside tx, for results checkResults passed;
// a receipt (bundles.go) applies its results through it too.
func (s *Store) applyResults(ctx context.Context, tx *sql.Tx, results []app.DeliveryResult, now string) error {
	var delivered []app.DeliveryResult
	var heads []app.AuditHead
	for _, r := range results {
		// Only an answer that took the record acknowledges a head; a
		// conflict's head is the central's, which may not be this chain's.
		if r.AuditHead != nil && (r.Status == app.DeliveryCreated || r.Status == app.DeliveryDuplicate) {
			heads = append(heads, *r.AuditHead)
		}
		if r.Status == app.DeliveryCreated || r.Status == app.DeliveryDuplicate {
			delivered = append(delivered, r)
		}
	}
	if err := markDelivered(ctx, tx, delivered, now); err != nil {
		return err
	}
	if err := s.storeAckedHead(ctx, tx, heads, now); err != nil {
		return err
	}
	for _, r := range results {
		var err error
		switch r.Status {
		case app.DeliveryConflict:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'conflict', attempts = attempts + 1,
				last_error = 'conflict' WHERE id = ? AND state = 'pending'`, r.ID)
		case app.DeliveryRejected:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'rejected', attempts = attempts + 1,
				reject_code = ?, reject_detail = ?, last_error = '' WHERE id = ? AND state = 'pending'`,
				r.Code, r.Detail, r.ID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// markDelivered marks pending records delivered in one statement that
// takes the answers as one JSON array of [id, server_ref] pairs: a
// statement a record, or one with two parameters a record, costs more in
// the driver and SQLite's parser than the update itself. The worker passes
// one answer a record; were a record named twice, one of its server_refs
// would be kept.
func markDelivered(ctx context.Context, tx *sql.Tx, rs []app.DeliveryResult, now string) error {
	if len(rs) == 0 {
		return nil
	}
	pairs := make([][2]string, len(rs))
	for i, r := range rs {
		pairs[i] = [2]string{r.ID, r.ServerRef}
	}
	list, err := json.Marshal(pairs)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'delivered', server_ref = v.ref, delivered_at = ?,
		last_error = '', attempts = attempts + 1
		FROM (SELECT value ->> 0 AS id, MIN(value ->> 1) AS ref FROM json_each(?) GROUP BY 1) AS v
		WHERE outbox.id = v.id AND outbox.state = 'pending'`, now, string(list))
	return err
}

// NoteFailure implements app.OutboxStore.
func (s *Store) NoteFailure(ctx context.Context, ids []string, msg string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.bookkeep(ctx, func(tx *sql.Tx, _ string) error { return noteFailure(ctx, tx, ids, msg) })
}

// noteFailure is NoteFailure inside tx.
func noteFailure(ctx context.Context, tx *sql.Tx, ids []string, msg string) error {
	st, err := tx.PrepareContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?
		WHERE id = ? AND state = 'pending'`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, id := range ids {
		if _, err := st.ExecContext(ctx, msg, id); err != nil {
			return err
		}
	}
	return nil
}

// bookkeep runs fn in a write transaction that is not audited: delivery
// bookkeeping changes no domain data.
func (s *Store) bookkeep(ctx context.Context, fn func(tx *sql.Tx, now string) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("outbox: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx, timeText(s.now())); err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return err
		}
		return fmt.Errorf("outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("outbox: commit: %w", err)
	}
	return nil
}

// OutboxCounts implements app.OutboxStore.
func (s *Store) OutboxCounts(ctx context.Context) (app.OutboxCounts, error) {
	c := app.OutboxCounts{Pending: map[string]int{}}
	rows, err := s.reader.QueryContext(ctx, `SELECT state, type, COUNT(*) FROM outbox GROUP BY state, type`)
	if err != nil {
		return c, fmt.Errorf("outbox counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state, typ string
		var n int
		if err := rows.Scan(&state, &typ, &n); err != nil {
			return c, fmt.Errorf("outbox counts: %w", err)
		}
		switch app.OutboxState(state) {
		case app.OutboxPending:
			c.Pending[typ] += n
			c.PendingTotal += n
		case app.OutboxDelivered:
			c.Delivered += n
		case app.OutboxConflict:
			c.Conflict += n
		case app.OutboxRejected:
			c.Rejected += n
		case app.OutboxClosed:
			c.Closed += n
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("outbox counts: %w", err)
	}
	var oldest sql.NullString
	if err := s.reader.QueryRowContext(ctx, `SELECT occurred_at FROM outbox WHERE state = 'pending'
		ORDER BY seq LIMIT 1`).Scan(&oldest); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("outbox counts: %w", err)
	}
	c.OldestPending = parseTime(oldest.String)
	if c.OnUSB, err = s.OnUSB(ctx); err != nil {
		return c, fmt.Errorf("outbox counts: %w", err)
	}
	return c, nil
}

// withPayloads is the outbox joined with its payloads (migration 0007 keeps
// them apart, so that delivery updates do not rewrite them).
const withPayloads = `outbox JOIN outbox_payloads USING (seq)`

const entryColumns = `seq, id, type, schema, occurred_at, data, state, server_ref, attempts, last_error,
	reject_code, reject_detail, delivered_at, resolution`

// OutboxEntries implements app.OutboxStore.
func (s *Store) OutboxEntries(ctx context.Context, state app.OutboxState, limit int) ([]app.OutboxEntry, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+entryColumns+` FROM `+withPayloads+` WHERE state = ?
		ORDER BY seq LIMIT ?`, string(state), limit)
	if err != nil {
		return nil, fmt.Errorf("outbox entries: %w", err)
	}
	defer rows.Close()
	var out []app.OutboxEntry
	for rows.Next() {
		e, err := s.scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// OutboxEntry implements app.OutboxStore.
func (s *Store) OutboxEntry(ctx context.Context, id string) (*app.OutboxEntry, error) {
	e, err := s.scanEntry(s.reader.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM `+withPayloads+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Bu kayıt gönderim kuyruğunda yok.")
	}
	return e, err
}

// scanEntry reads one row of entryColumns and opens its payload.
func (s *Store) scanEntry(row scanner) (*app.OutboxEntry, error) {
	var e app.OutboxEntry
	var at, state, delivered string
	var sealed any
	err := row.Scan(&e.Seq, &e.ID, &e.Type, &e.Schema, &at, &sealed, &state, &e.ServerRef, &e.Attempts,
		&e.LastError, &e.RejectCode, &e.RejectDetail, &delivered, &e.Resolution)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("scan outbox entry: %w", err)
	}
	data, err := s.openText(e.ID, "data", sealed)
	if err != nil {
		return nil, fmt.Errorf("scan outbox entry: %w", err)
	}
	e.OccurredAt, e.Data, e.State, e.DeliveredAt = parseTime(at), []byte(data), app.OutboxState(state), parseTime(delivered)
	return &e, nil
}

// AttachmentsToUpload implements app.OutboxStore.
func (s *Store) AttachmentsToUpload(ctx context.Context, hashes []string) ([]string, error) {
	var out []string
	for _, h := range hashes {
		var uploaded string
		err := s.reader.QueryRowContext(ctx, `SELECT uploaded_at FROM attachments WHERE sha256 = ?`, h).Scan(&uploaded)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("attachments to upload: %w", err)
		}
		if uploaded == "" {
			out = append(out, h)
		}
	}
	return out, nil
}

// MarkAttachmentUploaded implements app.OutboxStore.
func (s *Store) MarkAttachmentUploaded(ctx context.Context, sha string) error {
	return s.bookkeep(ctx, func(tx *sql.Tx, now string) error {
		_, err := tx.ExecContext(ctx, `UPDATE attachments SET uploaded_at = ? WHERE sha256 = ?`, now, sha)
		return err
	})
}

// SyncState implements app.OutboxStore.
func (s *Store) SyncState(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM sync_state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sync state: %w", err)
	}
	return v, nil
}

// SetSyncState implements app.OutboxStore.
func (s *Store) SetSyncState(ctx context.Context, key, value string) error {
	return s.bookkeep(ctx, func(tx *sql.Tx, _ string) error { return setState(ctx, tx, key, value) })
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func setState(ctx context.Context, tx execer, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_state (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
