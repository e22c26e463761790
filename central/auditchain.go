package central

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/kocasinan/gise/app"
)

// The central verifies each device's audit chain as its audit.event
// records arrive. It holds no terminal key, so it cannot check an event's
// MAC; it checks what needs no key: sequences follow each other without a
// gap or a repeat, and each event's prev_hash is the hash of the event
// before it. A record that fails is answered conflict with a code, never
// stored, and kept in audit_flags for an operator.

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

// checkAudit verifies a new audit.event against the device's chain as the
// batch sees it (the store's chain at Load, extended by the batch's earlier
// events). It returns the answer and true when the record is not to be
// stored (a conflict, flagged, a rejection, or the same event already held
// under another id); otherwise extendChain adds it once it has its ref.
func (b *batchTx) checkAudit(in *inRecord) (Result, bool) {
	e := in.audit
	if e == nil {
		return Result{ID: in.ID, Status: "rejected", Error: &ResultError{Code: "invalid_data",
			Detail: "an audit.event needs seq ≥ 1 and prev_hash and hash of 64 hex digits"}}, true
	}
	head := b.view.head
	held, ok := b.view.links[e.seq]
	switch {
	case ok && held.hash == e.hash:
		return Result{ID: in.ID, Status: "duplicate", ServerRef: held.ref}, true
	case ok:
		return b.flag(in, app.AuditConflictSeqReused, fmt.Sprintf("the central holds another event %d of this device", e.seq)), true
	case e.seq > head.Seq+1:
		return b.flag(in, app.AuditConflictGap, fmt.Sprintf("events %d to %d have not arrived", head.Seq+1, e.seq-1)), true
	case e.seq <= head.Seq || e.prevHash != head.Hash:
		return b.flag(in, app.AuditConflictUnlinked, fmt.Sprintf("prev_hash does not match the hash of event %d", e.seq-1)), true
	}
	return Result{}, false
}

// extendChain makes a stored audit.event the device's head.
func (b *batchTx) extendChain(in *inRecord, ref string) {
	e := in.audit
	link := chainLink{hash: e.hash, prevHash: e.prevHash, recordID: in.ID, ref: ref}
	if b.view.links == nil {
		b.view.links = map[int64]chainLink{}
	}
	b.view.links[e.seq] = link
	b.view.head = app.AuditHead{Seq: e.seq, Hash: e.hash}
	b.w.links = append(b.w.links, newLink{seq: e.seq, chainLink: link})
	b.w.resolved = append(b.w.resolved, in.ID)
}

// flag keeps a refused event for an operator (once per record and code,
// counting repeats) and answers conflict with the code.
func (b *batchTx) flag(in *inRecord, code, detail string) Result {
	e := in.audit
	b.w.flags = append(b.w.flags, newFlag{recordID: in.ID, code: code, detail: detail, prevHash: e.prevHash, hash: e.hash,
		data: string(in.canon), seq: e.seq})
	b.s.Logger.Warn("audit chain conflict", "device", b.w.device, "seq", e.seq, "code", code)
	return Result{ID: in.ID, Status: "conflict", Error: &ResultError{Code: code, Detail: detail}}
}

// withHead adds the device's verified head to the answer for an audit.event.
func (b *batchTx) withHead(in *inRecord, r Result) Result {
	if in.Type == app.TypeAuditEvent && b.view.head.Seq > 0 {
		h := b.view.head
		r.AuditHead = &h
	}
	return r
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
	return s.st.AuditFlags(ctx, all)
}

// AuditHead returns a device's verified head: seq 0 and the genesis hash
// before its first event.
func (s *Server) AuditHead(ctx context.Context, device string) (app.AuditHead, error) {
	return s.st.AuditHead(ctx, device)
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
