package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// AuditEvent is one link of the terminal's tamper-evident audit chain. Hash
// is SHA-256 over PrevHash and the event's canonical form, so changing,
// removing or reordering any event breaks every hash after it.
type AuditEvent struct {
	Seq        int64
	At         time.Time
	Actor      string
	Action     string // "citizen.registered", "login.failed", …
	Object     string // the id the action is about; never personal data
	TerminalID string
	TerminalIP string
	PrevHash   string // hex; the anchor (64 zeros at the start) for the first event
	Hash       string // hex
}

// GenesisHash is the PrevHash of the first event of a fresh chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Canonical returns the canonical JSON of the event without its own hash.
func (e *AuditEvent) Canonical() ([]byte, error) {
	return CanonicalJSON(AuditEventData{
		Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Object: e.Object, TerminalID: e.TerminalID, TerminalIP: e.TerminalIP, PrevHash: e.PrevHash,
	})
}

// ComputeHash returns hex SHA-256(prev_hash bytes ‖ canonical form).
func (e *AuditEvent) ComputeHash() (string, error) {
	prev, err := hex.DecodeString(e.PrevHash)
	if err != nil || len(prev) != sha256.Size {
		return "", fmt.Errorf("audit event %d: bad previous hash", e.Seq)
	}
	canon, err := e.Canonical()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Data returns the audit.event payload of e.
func (e *AuditEvent) Data() AuditEventData {
	return AuditEventData{
		Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Object: e.Object, TerminalID: e.TerminalID, TerminalIP: e.TerminalIP,
		PrevHash: e.PrevHash, Hash: e.Hash,
	}
}

// AuditReport is the outcome of walking the chain.
type AuditReport struct {
	Events    int64  // events checked
	FirstSeq  int64  // first sequence present (older ones were destroyed by retention)
	LastSeq   int64  // last sequence present
	BrokenSeq int64  // first event whose link fails; 0 when the chain holds
	Problem   string // what is wrong at BrokenSeq
}

// OK reports whether the chain verified.
func (r AuditReport) OK() bool { return r.BrokenSeq == 0 }

// CheckLink verifies one event against the hash before it and returns a
// description of the problem, or "" when the link holds.
func CheckLink(e *AuditEvent, prevHash string, wantSeq int64) string {
	switch {
	case e.Seq != wantSeq:
		return fmt.Sprintf("sequence %d found where %d was expected (an event is missing or inserted)", e.Seq, wantSeq)
	case e.PrevHash != prevHash:
		return "previous-hash field does not match the event before it"
	}
	h, err := e.ComputeHash()
	if err != nil {
		return err.Error()
	}
	if h != e.Hash {
		return "content does not match its hash (the event was changed)"
	}
	return ""
}

// AuditStore appends security events and verifies the chain.
type AuditStore interface {
	// Audit appends a security event (login, lock, setting change) that has
	// no domain write of its own, with its outbox record.
	Audit(ctx context.Context, actor Actor, action, object string) error
	// VerifyAudit walks the chain from its anchor and names the first broken link.
	VerifyAudit(ctx context.Context) (AuditReport, error)
}

func sha256Hex64(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
