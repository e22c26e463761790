package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// AuditEvent is one link of the terminal's tamper-evident audit chain. Hash
// is HMAC-SHA-256, under the audit subkey of a terminal key (MACKey names
// which), over PrevHash and the event's canonical form, so changing,
// removing or reordering any event breaks every hash after it, and
// recomputing the chain after a change needs the terminal key. Events
// written before keyed links (MACKey 0) kept plain SHA-256 over the same
// bytes; they stay verifiable, and the first keyed event links to the last
// of them.
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
	MACKey     byte   // id of the terminal key whose audit subkey made Hash; 0 for plain SHA-256
}

// AuditMACLabel is the HKDF label of the audit chain's subkey of the
// terminal key (keys.Sealer.Subkey).
const AuditMACLabel = "gise audit mac v1"

// Conflict codes the central answers for an audit.event that does not
// continue the device's chain (docs/SYNC.md). A gap is what a batch that
// overtook another on the wire also meets: the terminal keeps such a
// record pending and sends it again, in order.
const (
	AuditConflictGap       = "audit_gap"        // events before it have not arrived
	AuditConflictSeqReused = "audit_seq_reused" // another event already holds its sequence
	AuditConflictUnlinked  = "audit_unlinked"   // its prev_hash is not the hash of the event before it
)

// GenesisHash is the PrevHash of the first event of a fresh chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Canonical returns the canonical JSON of the event without its own hash.
func (e *AuditEvent) Canonical() ([]byte, error) {
	return CanonicalJSON(AuditEventData{
		Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Object: e.Object, TerminalID: e.TerminalID, TerminalIP: e.TerminalIP, PrevHash: e.PrevHash,
	})
}

// ComputeHash returns hex HMAC-SHA-256(key, prev_hash bytes ‖ canonical
// form), or plain SHA-256 of the same bytes when key is nil (the unkeyed
// events of an older chain).
func (e *AuditEvent) ComputeHash(key []byte) (string, error) {
	prev, err := hex.DecodeString(e.PrevHash)
	if err != nil || len(prev) != sha256.Size {
		return "", fmt.Errorf("audit event %d: bad previous hash", e.Seq)
	}
	canon, err := e.Canonical()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if key != nil {
		h = hmac.New(sha256.New, key)
	}
	h.Write(prev)
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// AuditMAC returns hex HMAC-SHA-256(key, purpose ‖ seq ‖ hash) for the
// chain's bookkeeping rows (the keyed-from marker, the acknowledged head),
// so that moving them needs the terminal key too.
func AuditMAC(key []byte, purpose string, seq int64, hash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write(binary.BigEndian.AppendUint64([]byte{0}, uint64(seq)))
	m.Write([]byte(hash))
	return hex.EncodeToString(m.Sum(nil))
}

// Data returns the audit.event payload of e.
func (e *AuditEvent) Data() AuditEventData {
	return AuditEventData{
		Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Object: e.Object, TerminalID: e.TerminalID, TerminalIP: e.TerminalIP,
		PrevHash: e.PrevHash, Hash: e.Hash,
	}
}

// AuditHead is the newest event of a chain as the central verified it: the
// acknowledged head a terminal keeps.
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// AuditReport is the outcome of walking the chain.
type AuditReport struct {
	Events    int64     // events checked
	FirstSeq  int64     // first sequence present (older ones were destroyed by retention)
	LastSeq   int64     // last sequence present
	KeyedFrom int64     // first sequence linked with the keyed MAC; earlier ones are plain SHA-256
	Acked     AuditHead // the newest head the central acknowledged (Seq 0: none yet)
	Outbox    int64     // audit.event records of the outbox compared with the chain
	BrokenSeq int64     // the event the problem is about (0 for the chain as a whole)
	Problem   string    // what is wrong; "" when the chain holds

	// Backwards lists the events whose time is earlier than the event
	// before them (a clock set back): a note, not a failure.
	Backwards []ClockBack
}

// ClockBack is one event recorded at an earlier time than the one before it.
type ClockBack struct {
	Seq      int64
	At, Prev time.Time
}

// OK reports whether the chain verified.
func (r AuditReport) OK() bool { return r.Problem == "" }

// NoteTime adds a note when e happened before the event before it. The
// sequence, not the time, orders the chain and both times are under the
// MAC, so a clock corrected back (NTP, an operator fixing a fast clock) is
// legitimate and does not fail verification; it must be visible, so it is
// reported.
func (r *AuditReport) NoteTime(e *AuditEvent, prev time.Time) {
	if !prev.IsZero() && e.At.Before(prev) {
		r.Backwards = append(r.Backwards, ClockBack{Seq: e.Seq, At: e.At, Prev: prev})
	}
}

// CheckLink verifies one event against the hash before it and returns a
// description of the problem, or "" when the link holds. key is the audit
// subkey the event's MACKey names, nil for an unkeyed event.
func CheckLink(e *AuditEvent, prevHash string, wantSeq int64, key []byte) string {
	switch {
	case e.Seq != wantSeq:
		return fmt.Sprintf("sequence %d found where %d was expected (an event is missing or inserted)", e.Seq, wantSeq)
	case e.PrevHash != prevHash:
		return "previous-hash field does not match the event before it"
	}
	h, err := e.ComputeHash(key)
	if err != nil {
		return err.Error()
	}
	if !hmac.Equal([]byte(h), []byte(e.Hash)) {
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
