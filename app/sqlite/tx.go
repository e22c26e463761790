package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kocasinan/gise/app"
	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// wtx is one write transaction: the domain rows, their outbox records and
// their audit events all go through it and commit together or not at all.
type wtx struct {
	*sql.Tx
	ctx    context.Context
	s      *Store
	actor  app.Actor
	now    time.Time
	queued int
}

// write runs fn in an immediate write transaction and commits it. Nothing fn
// wrote survives an error. A damaged file or a full disk comes back as
// app.Damaged or app.NoSpace (faultOf), and a store once found damaged
// writes nothing more.
func (s *Store) write(ctx context.Context, actor app.Actor, fn func(*wtx) error) error {
	if s.damaged.Load() {
		return app.Damaged(nil)
	}
	s.lastWrite.Store(time.Now().UnixNano())
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return s.faultOf(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	w := &wtx{Tx: tx, ctx: ctx, s: s, actor: actor, now: s.now()}
	if err := fn(w); err != nil {
		return s.faultOf(err)
	}
	if err := tx.Commit(); err != nil {
		return s.faultOf(fmt.Errorf("commit: %w", err))
	}
	if w.queued > 0 && s.notify != nil {
		s.notify()
	}
	return nil
}

// newID returns a fresh UUID v7: time-ordered, so outbox and tables stay in
// insertion order in their indexes.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// enqueue queues one record of the given type with data as its payload and
// returns the record's id. subject names what the record is about (see
// migration 0006): retention destroys a subject only once every record
// about it is delivered.
func (w *wtx) enqueue(typ, subject string, data any) (string, error) {
	canon, err := app.CanonicalJSON(data)
	if err != nil {
		return "", fmt.Errorf("enqueue %s: %w", typ, err)
	}
	id := newID()
	// The payload holds the same personal data as the domain row: sealed
	// like it. Opening gives back these exact bytes, which fingerprints need.
	sealed, err := w.s.sealer.Seal(id, "data", canon)
	if err != nil {
		return "", fmt.Errorf("enqueue %s: %w", typ, err)
	}
	_, err = w.ExecContext(w.ctx, `INSERT INTO outbox (id, type, schema, occurred_at, subject) VALUES (?, ?, ?, ?, ?)`,
		id, typ, app.RecordSchema, w.now.Format(time.RFC3339), subject)
	if err == nil {
		_, err = w.ExecContext(w.ctx, `INSERT INTO outbox_payloads (seq, data) VALUES (last_insert_rowid(), ?)`, sealed)
	}
	if err != nil {
		return "", fmt.Errorf("enqueue %s: %w", typ, err)
	}
	w.queued++
	return id, nil
}

// audit appends one event to the chain and queues it as an audit.event record.
func (w *wtx) audit(action, object string) error {
	e := app.AuditEvent{
		At: w.now, Actor: w.actor.Name(), Action: action, Object: object,
		TerminalID: w.s.TerminalID, TerminalIP: w.s.TerminalIP,
	}
	err := w.QueryRowContext(w.ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&e.Seq, &e.PrevHash)
	if err == sql.ErrNoRows {
		err = w.QueryRowContext(w.ctx, `SELECT seq, hash FROM audit_anchor WHERE id = 1`).Scan(&e.Seq, &e.PrevHash)
	}
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	e.Seq++
	// Every new event is keyed with the active key's audit subkey.
	e.MACKey = w.s.sealer.ActiveKeyID()
	key, err := w.s.auditKey(e.MACKey)
	if err == nil {
		e.Hash, err = e.ComputeHash(key)
	}
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if _, err := w.ExecContext(w.ctx, `INSERT INTO audit_events
		(seq, at, actor, action, object, terminal_id, terminal_ip, prev_hash, hash, mac_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Object, e.TerminalID, e.TerminalIP,
		e.PrevHash, e.Hash, e.MACKey); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	_, err = w.enqueue(app.TypeAuditEvent, "audit:"+strconv.FormatInt(e.Seq, 10), e.Data())
	return err
}

// record queues a domain record and appends the audit event that names it:
// the pair every domain write makes. The record is about object.
func (w *wtx) record(typ string, data any, object string) error {
	return w.recordAbout(typ, data, object, object)
}

// recordAbout is record for a record about another subject than its object
// (an identity check is about its citizen).
func (w *wtx) recordAbout(typ string, data any, object, subject string) error {
	if _, err := w.enqueue(typ, subject, data); err != nil {
		return err
	}
	return w.audit(typ, object)
}

// isUniqueViolation reports whether err is SQLite's UNIQUE constraint failure.
func isUniqueViolation(err error) bool {
	var e *driver.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}
