package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kocasinan/gise/app"
)

// The central verifies each device's audit chain as its audit.event
// records arrive. It holds no terminal key, so it cannot check an event's
// MAC; it checks what needs no key: sequences follow each other without a
// gap or a repeat, and each event's prev_hash is the hash of the event
// before it. A record that fails is answered conflict with a code, never
// stored, and kept in audit_flags for an operator.
const auditSchema = `
CREATE TABLE IF NOT EXISTS audit_chain (
    device_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    server_ref TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_flags (
    id          INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    data        TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    times       INTEGER NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT '',
    UNIQUE (device_id, record_id, code)
);
`

// migrateAudit creates the chain tables and, on a central that stored
// audit.event records before it verified chains, takes them as each
// device's chain so far: the first of several events stored for one
// sequence is kept, the others are flagged.
func (s *Server) migrateAudit(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, auditSchema); err != nil {
		return fmt.Errorf("central audit schema: %w", err)
	}
	var held bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_chain)`).Scan(&held); err != nil || held {
		return err
	}
	now := s.Now().Format(time.RFC3339)
	_, err := s.db.ExecContext(ctx, `
		INSERT OR IGNORE INTO audit_chain (device_id, seq, hash, prev_hash, record_id, server_ref)
		SELECT device_id, data ->> 'seq', data ->> 'hash', data ->> 'prev_hash', id, server_ref FROM records
		WHERE type = 'audit.event' ORDER BY seq;
		INSERT OR IGNORE INTO audit_flags (device_id, record_id, seq, code, detail, prev_hash, hash, data, first_seen, last_seen, times)
		SELECT r.device_id, r.id, r.data ->> 'seq', 'audit_seq_reused',
			'stored before the central verified chains: another event holds this sequence',
			r.data ->> 'prev_hash', r.data ->> 'hash', r.data, ?1, ?1, 1
		FROM records r JOIN audit_chain c ON c.device_id = r.device_id AND c.seq = r.data ->> 'seq'
		WHERE r.type = 'audit.event' AND c.record_id <> r.id`, now)
	if err != nil {
		return fmt.Errorf("central audit backfill: %w", err)
	}
	return nil
}

// auditState is what one batch knows of its device's chain.
type auditState struct {
	head    *app.AuditHead // the device's verified head, loaded once a batch
	err     error          // a database failure: the batch is not stored
	arrived []string       // the audit.event records the batch added to the chain
}

// auditEvent is what the chain check reads of an audit.event's data.
type auditEvent struct {
	seq            int64
	prevHash, hash string
}

func readAuditEvent(data members) (auditEvent, bool) {
	var e auditEvent
	raw, ok := data.get("seq")
	if !ok {
		return e, false
	}
	seq, err := strconv.ParseInt(string(raw), 10, 64)
	prev, ok1 := data.str("prev_hash")
	hash, ok2 := data.str("hash")
	if err != nil || seq < 1 || !ok1 || !ok2 || !shaRe.MatchString(prev) || !shaRe.MatchString(hash) {
		return e, false
	}
	return auditEvent{seq, prev, hash}, true
}

// loadHead returns the device's verified head (seq 0 and the genesis hash
// before its first event).
func (b *batchTx) loadHead() *app.AuditHead {
	if b.audit.head == nil {
		h := &app.AuditHead{Hash: app.GenesisHash}
		err := b.tx.QueryRowContext(b.ctx, `SELECT seq, hash FROM audit_chain WHERE device_id = ? ORDER BY seq DESC LIMIT 1`,
			b.device).Scan(&h.Seq, &h.Hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			b.audit.err = err
		}
		b.audit.head = h
	}
	return b.audit.head
}

// checkAudit verifies a new audit.event against the device's chain. It
// returns the answer and true when the record is not to be stored (a
// conflict, flagged, a rejection, or the same event already held under
// another id); otherwise it extends the chain with the record, which one
// then stores under ref.
func (b *batchTx) checkAudit(in *inRecord, data members, ref string) (Result, bool) {
	e, ok := readAuditEvent(data)
	if !ok {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: "invalid_data",
			Detail: "an audit.event needs seq ≥ 1 and prev_hash and hash of 64 hex digits"}}, true
	}
	head := b.loadHead()
	var heldHash, heldRef string
	err := b.tx.QueryRowContext(b.ctx, `SELECT hash, server_ref FROM audit_chain WHERE device_id = ? AND seq = ?`,
		b.device, e.seq).Scan(&heldHash, &heldRef)
	switch {
	case err == nil && heldHash == e.hash:
		return Result{ID: in.ID, Status: "duplicate", ServerRef: heldRef}, true
	case err == nil:
		return b.flag(in, e, app.AuditConflictSeqReused, fmt.Sprintf("the central holds another event %d of this device", e.seq)), true
	case !errors.Is(err, sql.ErrNoRows):
		b.audit.err = err
		return Result{}, true
	case e.seq > head.Seq+1:
		return b.flag(in, e, app.AuditConflictGap, fmt.Sprintf("events %d to %d have not arrived", head.Seq+1, e.seq-1)), true
	case e.seq <= head.Seq || e.prevHash != head.Hash:
		return b.flag(in, e, app.AuditConflictUnlinked, fmt.Sprintf("prev_hash does not match the hash of event %d", e.seq-1)), true
	}
	if _, err := b.tx.ExecContext(b.ctx, `INSERT INTO audit_chain (device_id, seq, hash, prev_hash, record_id, server_ref)
		VALUES (?, ?, ?, ?, ?, ?)`, b.device, e.seq, e.hash, e.prevHash, in.ID, ref); err != nil {
		b.audit.err = err
		return Result{}, true
	}
	b.audit.head = &app.AuditHead{Seq: e.seq, Hash: e.hash}
	b.audit.arrived = append(b.audit.arrived, in.ID)
	return Result{}, false
}

// flag keeps a refused event for an operator (once per record and code,
// counting repeats) and answers conflict with the code.
func (b *batchTx) flag(in *inRecord, e auditEvent, code, detail string) Result {
	now := b.now.Format(time.RFC3339)
	_, err := b.tx.ExecContext(b.ctx, `INSERT INTO audit_flags (device_id, record_id, seq, code, detail, prev_hash, hash,
		data, first_seen, last_seen, times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (device_id, record_id, code) DO UPDATE SET last_seen = excluded.last_seen, times = times + 1,
		detail = excluded.detail, resolved_at = ''`,
		b.device, in.ID, e.seq, code, detail, e.prevHash, e.hash, string(in.canon), now, now)
	if err != nil {
		b.audit.err = err
	}
	b.s.Logger.Warn("audit chain conflict", "device", b.device, "seq", e.seq, "code", code)
	return Result{ID: in.ID, Status: "conflict", Error: &ResultError{Code: code, Detail: detail}}
}

// withHead adds the device's verified head to the answer for an audit.event.
func (b *batchTx) withHead(in *inRecord, r Result) Result {
	if in.Type == app.TypeAuditEvent {
		b.loadHead()
		r.AuditHead = b.headCopy()
	}
	return r
}

func (b *batchTx) headCopy() *app.AuditHead {
	if h := b.audit.head; h != nil && h.Seq > 0 {
		c := *h
		return &c
	}
	return nil
}

// finishAudit closes the gap flags of events that have now arrived in
// order (a batch that overtook another on the wire), and returns the
// batch's database failure, if any.
func (b *batchTx) finishAudit() error {
	if b.audit.err != nil {
		return b.audit.err
	}
	now := b.now.Format(time.RFC3339)
	for _, id := range b.audit.arrived {
		if _, err := b.tx.ExecContext(b.ctx, `UPDATE audit_flags SET resolved_at = ? WHERE record_id = ? AND code = ?
			AND device_id = ? AND resolved_at = ''`, now, id, app.AuditConflictGap, b.device); err != nil {
			return err
		}
	}
	return nil
}

// AuditFlag is one audit.event the central refused, for an operator.
type AuditFlag struct {
	DeviceID   string `json:"device_id"`
	RecordID   string `json:"record_id"`
	Seq        int64  `json:"seq"`
	Code       string `json:"code"`
	Detail     string `json:"detail"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
	FirstSeen  string `json:"first_seen"`
	LastSeen   string `json:"last_seen"`
	Times      int    `json:"times"`
	ResolvedAt string `json:"resolved_at,omitempty"`
}

// AuditFlags lists the refused audit events, newest first: the open ones,
// or all with resolved (gaps that filled) when all is true.
func (s *Server) AuditFlags(ctx context.Context, all bool) ([]AuditFlag, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT device_id, record_id, seq, code, detail, prev_hash, hash, first_seen,
		last_seen, times, resolved_at FROM audit_flags WHERE ? OR resolved_at = '' ORDER BY id DESC`, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditFlag{}
	for rows.Next() {
		var f AuditFlag
		if err := rows.Scan(&f.DeviceID, &f.RecordID, &f.Seq, &f.Code, &f.Detail, &f.PrevHash, &f.Hash, &f.FirstSeen,
			&f.LastSeen, &f.Times, &f.ResolvedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AuditHead returns a device's verified head: seq 0 and the genesis hash
// before its first event.
func (s *Server) AuditHead(ctx context.Context, device string) (app.AuditHead, error) {
	h := app.AuditHead{Hash: app.GenesisHash}
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_chain WHERE device_id = ? ORDER BY seq DESC LIMIT 1`,
		device).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return h, err
}

// auditRoutes adds the operator's view of the chains:
//
//	GET /admin/v1/audit/flags[?all=1]      → {"flags": [...]}
//	GET /admin/v1/devices/{id}/audit-head  → {"device_id", "seq", "hash"}
func (s *Server) auditRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/v1/audit/flags", s.admin(func(r *http.Request) (any, error) {
		flags, err := s.AuditFlags(r.Context(), r.URL.Query().Get("all") == "1")
		return map[string]any{"flags": flags}, err
	}))
	mux.HandleFunc("GET /admin/v1/devices/{id}/audit-head", s.admin(func(r *http.Request) (any, error) {
		h, err := s.AuditHead(r.Context(), r.PathValue("id"))
		return map[string]any{"device_id": r.PathValue("id"), "seq": h.Seq, "hash": h.Hash}, err
	}))
}
