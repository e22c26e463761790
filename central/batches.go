package central

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

// Contract limits of POST /v1/batches.
const (
	MaxBatchRecords = 500
	MaxBatchBytes   = 4 << 20
)

// inRecord is one record of a batch as decodeBatch read it.
type inRecord struct {
	ID         string
	Type       string
	Schema     int
	OccurredAt string

	object bool    // data was an object
	canon  []byte  // the data in canonical form
	top    members // the data's members
	bad    bool    // the data is nested too deeply to be made canonical
	fp     string  // the record's fingerprint, set by digest
}

// digest computes the record's fingerprint. It needs nothing from the
// database, so it runs before store takes the lock, while another batch
// may be storing.
func (in *inRecord) digest() {
	if in.bad {
		return
	}
	at, _ := time.Parse(time.RFC3339, in.OccurredAt)
	// The fingerprint covers occurred_at as Record.Fingerprint formats it.
	in.fp = fingerprint(in.Type, in.Schema, at.Format(time.RFC3339), in.canon)
}

// inBatch is a batch as decodeBatch read it.
type inBatch struct {
	BatchID  string
	DeviceID string
	SentAt   string
	Records  []inRecord
}

// Result is the answer for one record of a batch.
type Result struct {
	ID        string       `json:"id"`
	Status    string       `json:"status"`
	ServerRef string       `json:"server_ref,omitempty"`
	Error     *ResultError `json:"error,omitempty"`
	// AuditHead answers an audit.event: the device's chain head as the
	// central verified it (see auditchain.go).
	AuditHead *app.AuditHead `json:"audit_head,omitempty"`
}

// ResultError is why a record was rejected.
type ResultError struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func (s *Server) postBatch(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, MaxBatchBytes)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			problem(w, http.StatusRequestEntityTooLarge, "too_large", "a batch is at most 4 MiB")
			return
		}
		problem(w, http.StatusBadRequest, "malformed", "the body could not be read")
		return
	}
	b, err := decodeBatch(body)
	switch {
	case errors.Is(err, errTooMany):
		problem(w, http.StatusRequestEntityTooLarge, "too_large", "a batch holds at most 500 records")
		return
	case err != nil:
		problem(w, http.StatusBadRequest, "malformed", "the body is not a batch")
		return
	}
	if detail := b.malformed(); detail != "" {
		problem(w, http.StatusBadRequest, "malformed", detail)
		return
	}
	for i := range b.Records {
		b.Records[i].digest()
	}
	results, err := s.store(r.Context(), deviceID(r), b.Records)
	if err != nil {
		s.Logger.Error("store batch", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the batch was not stored")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// readBody reads a request body of at most limit bytes into one buffer of
// the announced size (a growing buffer would copy a 4 MiB batch several
// times).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	return buf.Bytes(), err
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
		if rec.Type == "" || !rec.object {
			return fmt.Sprintf("record %d: type and an object data are required", i)
		}
		if _, err := time.Parse(time.RFC3339, rec.OccurredAt); err != nil {
			return fmt.Sprintf("record %d: occurred_at must be RFC 3339", i)
		}
	}
	return ""
}

// store answers every record, digested, in one transaction: duplicate or
// conflict for an id already held, created or rejected for a new one.
func (s *Server) store(ctx context.Context, device string, recs []inRecord) ([]Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b := &batchTx{ctx: ctx, tx: tx, s: s, device: device, now: s.Now(), ref: s.lastRef}
	if err := b.lookup(recs); err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(recs))
	for i := range recs {
		out = append(out, b.one(&recs[i]))
	}
	if err := b.finishAudit(); err != nil {
		return nil, err
	}
	if err := b.flush(); err != nil {
		return nil, err
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
	known  map[string]stored // the batch's ids already held, and those stored by it

	records    [][]any // the new records' columns, inserted by flush
	complaints [][]any // and their complaints'

	categories map[string]bool // code → active, loaded once a batch
	complaint  complaintFields // of the last complaint.filed validated
	audit      auditState      // the device's audit chain
}

// one answers one record. A new valid record gets its server_ref at once
// and is inserted by flush, with the batch's other new records.
func (b *batchTx) one(in *inRecord) Result {
	data, top, fp := in.canon, in.top, in.fp
	if in.bad {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: "invalid_data", Detail: "data is not valid JSON"}}
	}
	if old, ok := b.known[in.ID]; ok {
		if old.fp == fp {
			return b.withHead(in, Result{ID: in.ID, Status: "duplicate", ServerRef: old.ref})
		}
		return Result{ID: in.ID, Status: "conflict"}
	}
	if code, detail := b.validate(in.Type, in.Schema, top); code != "" {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: code, Detail: detail}}
	}
	ref := fmt.Sprintf("%s-%d-%07d", b.s.Prefix, b.now.Year(), b.ref+1)
	if in.Type == app.TypeAuditEvent {
		if res, refused := b.checkAudit(in, top, ref); refused {
			return b.withHead(in, res)
		}
	}
	b.ref++
	b.known[in.ID] = stored{fp: fp, ref: ref}
	b.records = append(b.records, []any{b.ref, in.ID, fp, ref, b.device, in.Type, in.Schema, in.OccurredAt,
		string(data), b.now.Format(time.RFC3339)})
	if code := b.complaint.TrackingCode; in.Type == app.TypeComplaintFiled && code != "" {
		b.complaints = append(b.complaints, []any{in.ID, code})
	}
	return b.withHead(in, Result{ID: in.ID, Status: "created", ServerRef: ref})
}

// flush inserts the batch's new records and complaints, many rows a
// statement: a statement a row costs the driver's round trip each time.
func (b *batchTx) flush() error {
	if err := insertRows(b.ctx, b.tx, `INSERT INTO records (seq, id, fingerprint, server_ref, device_id,
		type, schema, occurred_at, data, received_at) VALUES `, b.records); err != nil {
		return err
	}
	return insertRows(b.ctx, b.tx, `INSERT INTO complaints (record_id, tracking_code, status) VALUES `,
		b.complaints, "'received'")
}

// rowsPerInsert keeps a statement's parameters (10 a record) far below
// SQLite's limit of 32,766.
const rowsPerInsert = 100

// insertRows runs head followed by one "(?, …)" group per row, for up to
// rowsPerInsert rows a statement; literal values, if any, end each group.
func insertRows(ctx context.Context, tx *sql.Tx, head string, rows [][]any, literals ...string) error {
	for len(rows) > 0 {
		n := min(len(rows), rowsPerInsert)
		var q strings.Builder
		q.WriteString(head)
		args := make([]any, 0, n*len(rows[0]))
		for i, row := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?" + strings.Repeat(", ?", len(row)-1))
			for _, l := range literals {
				q.WriteString(", " + l)
			}
			q.WriteString(")")
			args = append(args, row...)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
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
