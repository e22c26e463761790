package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/kocasinan/gise/app"
)

// Contract limits of POST /v1/batches.
const (
	MaxBatchRecords = 500
	MaxBatchBytes   = 4 << 20
)

type inRecord struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Schema     int             `json:"schema"`
	OccurredAt string          `json:"occurred_at"`
	Data       json.RawMessage `json:"data"`
}

type inBatch struct {
	BatchID  string     `json:"batch_id"`
	DeviceID string     `json:"device_id"`
	SentAt   string     `json:"sent_at"`
	Records  []inRecord `json:"records"`
}

// Result is the answer for one record of a batch.
type Result struct {
	ID        string       `json:"id"`
	Status    string       `json:"status"`
	ServerRef string       `json:"server_ref,omitempty"`
	Error     *ResultError `json:"error,omitempty"`
}

// ResultError is why a record was rejected.
type ResultError struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func (s *Server) postBatch(w http.ResponseWriter, r *http.Request) {
	var b inBatch
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBatchBytes))
	if err := dec.Decode(&b); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			problem(w, http.StatusRequestEntityTooLarge, "too_large", "a batch is at most 4 MiB")
			return
		}
		problem(w, http.StatusBadRequest, "malformed", "the body is not a batch")
		return
	}
	if len(b.Records) > MaxBatchRecords {
		problem(w, http.StatusRequestEntityTooLarge, "too_large", "a batch holds at most 500 records")
		return
	}
	if detail := b.malformed(); detail != "" {
		problem(w, http.StatusBadRequest, "malformed", detail)
		return
	}
	results, err := s.store(r.Context(), deviceID(r), b.Records)
	if err != nil {
		s.Logger.Error("store batch", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the batch was not stored")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// malformed returns why the batch cannot be read at all (nothing is stored
// then), or "".
func (b *inBatch) malformed() string {
	if b.BatchID == "" || b.Records == nil {
		return "batch_id and records are required"
	}
	for i, rec := range b.Records {
		if !uuidRe.MatchString(rec.ID) {
			return fmt.Sprintf("record %d: id must be a lowercase UUID v4 or v7", i)
		}
		if rec.Type == "" || len(rec.Data) == 0 || rec.Data[0] != '{' {
			return fmt.Sprintf("record %d: type and an object data are required", i)
		}
		if _, err := time.Parse(time.RFC3339, rec.OccurredAt); err != nil {
			return fmt.Sprintf("record %d: occurred_at must be RFC 3339", i)
		}
	}
	return ""
}

// store answers every record in one transaction: duplicate or conflict for
// an id already held, created or rejected for a new one.
func (s *Server) store(ctx context.Context, device string, recs []inRecord) ([]Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b := &batchTx{ctx: ctx, tx: tx, s: s, device: device, now: s.Now(), ref: s.lastRef}
	if err := b.prepare(); err != nil {
		return nil, err
	}
	defer b.close()
	if err := b.lookup(recs); err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(recs))
	for _, rec := range recs {
		res, err := b.one(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s.lastRef = b.ref
	return out, nil
}

type batchTx struct {
	ctx    context.Context
	tx     *sql.Tx
	s      *Server
	device string
	now    time.Time
	ref    int64
	insert *sql.Stmt
	known  map[string]stored // the batch's ids already held, and those stored by it

	addComplaint *sql.Stmt
	categories   map[string]bool // code → active, loaded once a batch
	complaint    complaintFields // of the last complaint.filed validated
}

func (b *batchTx) prepare() (err error) {
	b.insert, err = b.tx.PrepareContext(b.ctx, `INSERT INTO records (seq, id, fingerprint, server_ref, device_id,
		type, schema, occurred_at, data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	b.addComplaint, err = b.tx.PrepareContext(b.ctx, `INSERT INTO complaints (record_id, tracking_code, status)
		VALUES (?, ?, 'received')`)
	return err
}

func (b *batchTx) close() {
	b.insert.Close()
	b.addComplaint.Close()
}

func (b *batchTx) one(in inRecord) (Result, error) {
	at, _ := time.Parse(time.RFC3339, in.OccurredAt)
	// The fingerprint covers occurred_at as Record.Fingerprint formats it.
	data, fp, err := canonicalRecord(in.Type, in.Schema, at.Format(time.RFC3339), in.Data)
	if err != nil {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: "invalid_data", Detail: "data is not valid JSON"}}, nil
	}
	if old, ok := b.known[in.ID]; ok {
		if old.fp == fp {
			return Result{ID: in.ID, Status: "duplicate", ServerRef: old.ref}, nil
		}
		return Result{ID: in.ID, Status: "conflict"}, nil
	}
	if code, detail := b.validate(in.Type, in.Schema, in.Data); code != "" {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: code, Detail: detail}}, nil
	}
	b.ref++
	ref := fmt.Sprintf("%s-%d-%07d", b.s.Prefix, b.now.Year(), b.ref)
	b.known[in.ID] = stored{fp: fp, ref: ref}
	if _, err := b.insert.ExecContext(b.ctx, b.ref, in.ID, fp, ref, b.device, in.Type, in.Schema, in.OccurredAt,
		string(data), b.now.Format(time.RFC3339)); err != nil {
		return Result{}, err
	}
	if code := b.complaint.TrackingCode; in.Type == app.TypeComplaintFiled && code != "" {
		if _, err := b.addComplaint.ExecContext(b.ctx, in.ID, code); err != nil {
			return Result{}, err
		}
	}
	return Result{ID: in.ID, Status: "created", ServerRef: ref}, nil
}

type stored struct{ fp, ref string }

// lookup loads, in one query, what the central already holds under the ids
// of the batch.
func (b *batchTx) lookup(recs []inRecord) error {
	b.known = make(map[string]stored, len(recs))
	if len(recs) == 0 {
		return nil
	}
	q := make([]byte, 0, 64+3*len(recs))
	q = append(q, "SELECT id, fingerprint, server_ref FROM records WHERE id IN ("...)
	args := make([]any, len(recs))
	for i, r := range recs {
		if i > 0 {
			q = append(q, ',')
		}
		q = append(q, '?')
		args[i] = r.ID
	}
	q = append(q, ')')
	rows, err := b.tx.QueryContext(b.ctx, string(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s stored
		if err := rows.Scan(&id, &s.fp, &s.ref); err != nil {
			return err
		}
		b.known[id] = s
	}
	return rows.Err()
}
