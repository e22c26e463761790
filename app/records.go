package app

import (
	"context"
	"encoding/json"
	"time"
)

// Record types of the contract (schema 1).
const (
	TypeCitizenRegistered   = "citizen.registered"
	TypeCitizenUpdated      = "citizen.updated"
	TypeIdentityVerified    = "identity.verified"
	TypeNoticeAcknowledged  = "notice.acknowledged"
	TypeComplaintFiled      = "complaint.filed"
	TypeDataSubjectRequest  = "data_subject.request"
	TypeActivationRequested = "account.activation_requested"
	TypeAuditEvent          = "audit.event"
	TypeRetentionDestroyed  = "retention.destroyed"
)

// RecordSchema is the schema version of every record this build writes.
const RecordSchema = 1

// Record is one queued outbox entry: what the terminal delivers to the
// central. Its payload never changes once queued; a correction is a new
// record. Data is canonical JSON.
type Record struct {
	ID         string          `json:"id"` // UUID v7, the idempotency key
	Type       string          `json:"type"`
	Schema     int             `json:"schema"`
	OccurredAt time.Time       `json:"occurred_at"`
	Data       json.RawMessage `json:"data"`
}

// Fingerprint returns the hex SHA-256 of the record's canonical JSON (type,
// schema, occurred_at, data), as the central computes it.
func (r *Record) Fingerprint() (string, error) {
	canon, err := CanonicalJSON(map[string]any{
		"type":        r.Type,
		"schema":      r.Schema,
		"occurred_at": r.OccurredAt.Format(time.RFC3339),
		"data":        r.Data,
	})
	if err != nil {
		return "", err
	}
	return sha256Hex64(canon), nil
}

// CitizenRegisteredData is the data of citizen.registered.
type CitizenRegisteredData struct {
	CitizenID  string `json:"citizen_id"`
	NationalID string `json:"national_id"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	BirthDate  string `json:"birth_date"`
	Phone      string `json:"phone"`
	Email      string `json:"email"`
	Channel    string `json:"channel"`
	Clerk      string `json:"clerk"`
	TerminalID string `json:"terminal_id"`
}

// IdentityVerifiedData is the data of identity.verified.
type IdentityVerifiedData struct {
	CitizenID   string `json:"citizen_id"`
	Method      string `json:"method"`
	SerialLast4 string `json:"document_serial_last4"`
	Result      string `json:"result"`
	Clerk       string `json:"clerk"`
	Note        string `json:"note"`
}

// NoticeAcknowledgedData is the data of notice.acknowledged.
type NoticeAcknowledgedData struct {
	CitizenID     string `json:"citizen_id"`
	NoticeVersion int    `json:"notice_version"`
	NoticeSHA256  string `json:"notice_sha256"`
	Language      string `json:"language"`
	Delivery      string `json:"delivery"`
	PrintJob      string `json:"print_job"`
	Clerk         string `json:"clerk"`
	TerminalID    string `json:"terminal_id"`
}

// ComplaintFiledData is the data of complaint.filed.
type ComplaintFiledData struct {
	ComplaintID       string       `json:"complaint_id"`
	TrackingCode      string       `json:"tracking_code"`
	CitizenID         string       `json:"citizen_id"`
	Kind              string       `json:"kind"`
	CategoryCode      string       `json:"category_code"`
	Description       string       `json:"description"`
	Address           string       `json:"address"`
	NeighbourhoodCode string       `json:"neighbourhood_code"`
	Channel           string       `json:"channel"`
	PaperRef          string       `json:"paper_ref"`
	PaperDate         string       `json:"paper_date"`
	Attachments       []Attachment `json:"attachments"`
	Clerk             string       `json:"clerk"`
	TerminalID        string       `json:"terminal_id"`
}

// AuditEventData is the data of audit.event.
type AuditEventData struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	Object     string `json:"object"`
	TerminalID string `json:"terminal_id"`
	TerminalIP string `json:"terminal_ip"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// RegisteredData returns the citizen.registered payload of c.
func (c *Citizen) RegisteredData(terminalID string) CitizenRegisteredData {
	return CitizenRegisteredData{
		CitizenID: c.ID, NationalID: c.NationalID.Digits(), FirstName: c.FirstName, LastName: c.LastName,
		BirthDate: c.BirthDate.Format(DateLayout), Phone: c.Phone, Email: c.Email,
		Channel: string(c.Channel), Clerk: c.Clerk, TerminalID: terminalID,
	}
}

// FiledData returns the complaint.filed payload of c.
func (c *Complaint) FiledData(terminalID string) ComplaintFiledData {
	d := ComplaintFiledData{
		ComplaintID: c.ID, TrackingCode: c.TrackingCode.String(), CitizenID: c.CitizenID,
		Kind: string(c.Kind), CategoryCode: c.CategoryCode, Description: c.Description,
		Address: c.Address, NeighbourhoodCode: c.NeighbourhoodCode, Channel: string(c.Channel),
		PaperRef: c.PaperRef, Attachments: c.Attachments, Clerk: c.Clerk, TerminalID: terminalID,
	}
	if !c.PaperDate.IsZero() {
		d.PaperDate = c.PaperDate.Format(DateLayout)
	}
	if d.Attachments == nil {
		d.Attachments = []Attachment{}
	}
	return d
}

// DayCounts is what one terminal recorded in a span of time, for the
// counter's home screen: records by type, and complaints by kind.
type DayCounts struct {
	Records map[string]int // outbox records by type (TypeCitizenRegistered, …)
	Kinds   map[Kind]int   // complaints filed by kind
}

// DayCountStore counts what the terminal recorded.
type DayCountStore interface {
	// DayCounts counts the records that occurred in [from, to).
	DayCounts(ctx context.Context, from, to time.Time) (DayCounts, error)
}
