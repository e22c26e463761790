package app

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
)

// OutboxState is where a queued record stands.
type OutboxState string

// Outbox states. Only pending records are ever sent; a conflict or a
// rejection waits for a supervisor, who resends it corrected or closes it.
const (
	OutboxPending   OutboxState = "pending"
	OutboxDelivered OutboxState = "delivered"
	OutboxConflict  OutboxState = "conflict"
	OutboxRejected  OutboxState = "rejected"
	OutboxClosed    OutboxState = "closed"
)

// Delivery statuses the central answers per record.
const (
	DeliveryCreated   = "created"
	DeliveryDuplicate = "duplicate"
	DeliveryConflict  = "conflict"
	DeliveryRejected  = "rejected"
)

// DeliveryResult is the central's answer for one record of a batch.
type DeliveryResult struct {
	ID        string
	Status    string // one of the Delivery… statuses
	ServerRef string // for created and duplicate
	Code      string // for rejected (and a conflict the central explains): the server's machine code
	Detail    string // for rejected (and a conflict the central explains): the server's reason
	// AuditHead, for an audit.event record, is the device's chain head as
	// the central verified it (nil from a central that does not say).
	AuditHead *AuditHead
}

// OutboxEntry is a queued record with its delivery state.
type OutboxEntry struct {
	Seq int64
	Record
	State        OutboxState
	ServerRef    string
	Attempts     int
	LastError    string
	RejectCode   string
	RejectDetail string
	DeliveredAt  time.Time
	Resolution   string // what the supervisor did, for closed records
}

// OutboxCounts summarises the outbox for the status screen.
type OutboxCounts struct {
	Pending       map[string]int // pending records by type
	PendingTotal  int
	OnUSB         int // of the pending, those in an exported bundle not yet answered ("USB'de")
	Delivered     int
	Conflict      int
	Rejected      int
	Closed        int
	OldestPending time.Time // zero when nothing is pending
}

// Update is one item of the central's /v1/updates feed. Type says which of
// the field groups is set.
type Update struct {
	Type string `json:"type"` // complaint.status, category, neighbourhood, notice

	// complaint.status
	RecordID     string `json:"record_id,omitempty"`
	TrackingCode string `json:"tracking_code,omitempty"`
	Status       string `json:"status,omitempty"`
	Note         string `json:"note,omitempty"`
	At           string `json:"at,omitempty"`

	// category and neighbourhood
	Code   string `json:"code,omitempty"`
	Name   string `json:"name,omitempty"`
	Group  string `json:"group,omitempty"`
	Active *bool  `json:"active,omitempty"`

	// notice
	Version       int    `json:"version,omitempty"`
	Language      string `json:"language,omitempty"`
	SHA256        string `json:"sha256,omitempty"`
	Text          string `json:"text,omitempty"`
	EffectiveFrom string `json:"effective_from,omitempty"`
}

// Update types of the contract.
const (
	UpdateComplaintStatus = "complaint.status"
	UpdateCategory        = "category"
	UpdateNeighbourhood   = "neighbourhood"
	UpdateNotice          = "notice"
)

// ComplaintStatuses lists the statuses the central may report.
var ComplaintStatuses = []string{"received", "in_progress", "resolved", "rejected", "referred", "duplicate", "closed"}

// UpdatesPage is one page of /v1/updates with the cursor that follows it.
type UpdatesPage struct {
	Cursor  string   `json:"cursor"`
	More    bool     `json:"more"`
	Updates []Update `json:"updates"`
}

// Sync state keys kept by the store for the worker and the status command.
const (
	SyncCursor      = "updates_cursor" // the cursor after the last applied page
	SyncLastSuccess = "last_success"   // RFC 3339 time of the last full round
	SyncLastError   = "last_error"     // short description of the last failure ("" after a success)
	SyncBlocked     = "blocked"        // "401" or "403" while delivery is stopped for an admin
)

// OutboxStore is what the sync worker and the supervisor screens need of the
// local store. Every method is safe for concurrent use.
type OutboxStore interface {
	// PendingBatch returns pending records queued after the outbox sequence
	// afterSeq (0 for the start), oldest first: at most maxRecords, and no
	// more whose data sum past maxBytes (at least one record is returned when
	// any is pending). It also returns the sequence of the last record, the
	// afterSeq of the next batch while this one is in flight. Conflicts and
	// rejections are never in it.
	PendingBatch(ctx context.Context, afterSeq int64, maxRecords, maxBytes int) ([]Record, int64, error)
	// ApplyResults applies the central's answers in one transaction:
	// created and duplicate mark the record delivered with its server_ref,
	// conflict and rejected keep it for a supervisor; the newest AuditHead
	// of a created or duplicate answer that the local chain holds is kept
	// as the acknowledged audit head. Results naming a record
	// that is not pending are ignored, so a repeated answer is harmless.
	// EINVALID when a result has an unknown status.
	ApplyResults(ctx context.Context, results []DeliveryResult) error
	// NoteFailure counts one more attempt on the given pending records and
	// keeps msg as their last error; it never changes their state.
	NoteFailure(ctx context.Context, ids []string, msg string) error
	// OutboxCounts returns the counts the status screen shows.
	OutboxCounts(ctx context.Context) (OutboxCounts, error)
	// OutboxEntries returns up to limit records in the given state, oldest
	// first (the conflict and rejected lists).
	OutboxEntries(ctx context.Context, state OutboxState, limit int) ([]OutboxEntry, error)
	// OutboxEntry returns one record; ENOTFOUND when there is none.
	OutboxEntry(ctx context.Context, id string) (*OutboxEntry, error)
	// ResendCorrected queues data as a new record of the same type in place
	// of a rejected or conflicting one, closes the old one with note, audits
	// both, and returns the new record's id. EPERMISSION unless the actor is
	// a supervisor or an admin; ENOTFOUND for an unknown id; ECONFLICT when
	// the record is not rejected or in conflict; EINVALID when data is not a
	// JSON object or note is empty.
	ResendCorrected(ctx context.Context, actor Actor, id string, data json.RawMessage, note string) (string, error)
	// CloseEntry closes a rejected or conflicting record with note, audited.
	// Same error codes as ResendCorrected.
	CloseEntry(ctx context.Context, actor Actor, id, note string) error
	// ApplyUpdates stores one page of central updates and its cursor in one
	// transaction. EINVALID for an update of unknown type or status.
	ApplyUpdates(ctx context.Context, page UpdatesPage) error
	// SyncState returns a sync state value ("" when unset).
	SyncState(ctx context.Context, key string) (string, error)
	// SetSyncState stores a sync state value (not audited: it is bookkeeping).
	SetSyncState(ctx context.Context, key, value string) error
	// UnblockSync clears the blocked state after an admin has acted (a new
	// token, a re-enrolment), audited. EPERMISSION unless the actor is an admin.
	UnblockSync(ctx context.Context, actor Actor) error
	// AttachmentsToUpload returns, of the given hashes, those stored on this
	// terminal and not yet uploaded, in the order given.
	AttachmentsToUpload(ctx context.Context, hashes []string) ([]string, error)
	// MarkAttachmentUploaded records that the central holds an attachment.
	MarkAttachmentUploaded(ctx context.Context, sha string) error
	// ReadAttachment returns the bytes of a stored attachment.
	ReadAttachment(sha string) ([]byte, error)
}

// AttachmentHashes returns the attachment hashes a record names (only
// complaint.filed names any).
func (r *Record) AttachmentHashes() []string {
	// Most records name no attachment: skip the decode when no hash is there.
	if r.Type != TypeComplaintFiled || !bytes.Contains(r.Data, []byte(`"sha256"`)) {
		return nil
	}
	var d struct {
		Attachments []Attachment `json:"attachments"`
	}
	if json.Unmarshal(r.Data, &d) != nil {
		return nil
	}
	out := make([]string, 0, len(d.Attachments))
	for _, a := range d.Attachments {
		out = append(out, a.SHA256)
	}
	return out
}

// MaySupervise reports whether the actor may resolve conflicts and rejections.
func (a Actor) MaySupervise() bool { return a.Role == RoleSupervisor || a.Role == RoleAdmin }
