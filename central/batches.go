package central

import (
	"bytes"
	"context"
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

// inRecord is one record of a batch as decodeBatch read it.
type inRecord struct {
	ID         string
	Type       string
	Schema     int
	OccurredAt string

	object bool    // data was an object
	canon  []byte  // the data in canonical form
	top    members // the data's members
	bad    bool    // the data has no canonical form (nested too deeply, a number beyond double range)
	fp     string  // the record's fingerprint, set by digest

	audit     *auditEvent      // an audit.event's chain fields, set by prescan
	complaint *complaintFields // a complaint.filed's checked fields, set by prescan
}

// digest computes the record's fingerprint. It needs nothing from the
// database, so it runs before store begins its transaction, while another
// batch may be storing.
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

// DefaultMaxBatches is how many batches a node takes at once before it
// answers 503 with Retry-After: each costs about 2 MiB while it is read,
// made canonical and stored (docs/SCALE.md), and after an outage thousands
// of terminals send three each at the same moment.
const DefaultMaxBatches = 128

// retryAfterBusy is the Retry-After of a node at its MaxBatches.
const retryAfterBusy = "2"

func (s *Server) postBatch(w http.ResponseWriter, r *http.Request) {
	if !s.takeBatchSlot() {
		w.Header().Set("Retry-After", retryAfterBusy)
		problem(w, http.StatusServiceUnavailable, "busy", "the central is taking as many batches as it can; send again after Retry-After")
		return
	}
	defer s.releaseBatchSlot()
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

// store answers every record, digested, in one transaction of the store:
// duplicate or conflict for an id already held, created or rejected for a
// new one. Everything it needs from the database is read in one Load and
// everything it decides is written in one Write, so that a batch costs the
// same few round trips on any store.
func (s *Server) store(ctx context.Context, device string, recs []inRecord) ([]Result, error) {
	q := batchQuery{device: device, ids: make([]string, len(recs))}
	for i := range recs {
		q.ids[i] = recs[i].ID
		recs[i].prescan(&q)
	}
	var out []Result
	err := s.st.Batch(ctx, device, func(tx BatchTx) error {
		view, err := tx.Load(q)
		if err != nil {
			return err
		}
		b := &batchTx{tx: tx, s: s, view: view, w: batchWrite{device: device, now: s.Now()}}
		for _, id := range q.ids {
			if _, ok := view.known[id]; !ok {
				b.unknown++
			}
		}
		out = make([]Result, 0, len(recs))
		for i := range recs {
			r, err := b.one(&recs[i])
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return tx.Write(&b.w)
	})
	return out, err
}

// batchTx is one run of a batch: what the store held, and what the batch
// decided so far.
type batchTx struct {
	tx      BatchTx
	s       *Server
	view    batchView
	w       batchWrite
	unknown int // records the store did not hold at Load
}

// prescan reads what the record's checks will ask the store (its chain
// position, the attachments it names) and adds it to q.
func (in *inRecord) prescan(q *batchQuery) {
	if in.bad {
		return
	}
	switch in.Type {
	case app.TypeAuditEvent:
		if e, ok := readAuditEvent(in.top); ok {
			in.audit = &e
			q.auditSeqs = append(q.auditSeqs, e.seq)
		}
	case app.TypeComplaintFiled:
		q.categories = true
		var c complaintFields
		if c.read(in.top) {
			in.complaint = &c
			for _, a := range c.Attachments {
				q.attachments = append(q.attachments, a.SHA256)
			}
		}
	}
}

// one answers one record. A new valid record gets its server_ref at once
// and is written by Write, with the batch's other new records.
func (b *batchTx) one(in *inRecord) (Result, error) {
	data, fp := in.canon, in.fp
	if in.bad {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: "invalid_data",
			Detail: "data has no canonical form (nested too deeply, or a number beyond double range)"}}, nil
	}
	if old, ok := b.view.known[in.ID]; ok {
		if old.fp == fp {
			return b.withHead(in, Result{ID: in.ID, Status: "duplicate", ServerRef: old.ref}), nil
		}
		return Result{ID: in.ID, Status: "conflict"}, nil
	}
	if code, detail := b.validate(in); code != "" {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: code, Detail: detail}}, nil
	}
	if in.Type == app.TypeAuditEvent {
		if res, refused := b.checkAudit(in); refused {
			return b.withHead(in, res), nil
		}
	}
	n, err := b.tx.NextRef(b.unknown)
	if err != nil {
		return Result{}, err
	}
	ref := fmt.Sprintf("%s-%d-%07d", b.s.Prefix, b.w.now.Year(), n)
	b.view.known[in.ID] = stored{fp: fp, ref: ref}
	b.w.records = append(b.w.records, newRecord{seq: n, id: in.ID, fp: fp, ref: ref, typ: in.Type, schema: in.Schema,
		occurredAt: in.OccurredAt, data: string(data)})
	if in.Type == app.TypeComplaintFiled && in.complaint.TrackingCode != "" {
		b.w.complaints = append(b.w.complaints, newComplaint{in.ID, in.complaint.TrackingCode})
	}
	if in.Type == app.TypeAuditEvent {
		b.extendChain(in, ref)
	}
	return b.withHead(in, Result{ID: in.ID, Status: "created", ServerRef: ref}), nil
}

// takeBatchSlot takes one of the node's MaxBatches slots, if one is free.
func (s *Server) takeBatchSlot() bool {
	s.slotsOnce.Do(func() {
		n := s.MaxBatches
		if n <= 0 {
			n = DefaultMaxBatches
		}
		s.slots = make(chan struct{}, n)
	})
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *Server) releaseBatchSlot() { <-s.slots }
