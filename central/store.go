package central

import (
	"context"
	"errors"
	"time"

	"github.com/kocasinan/gise/app"
)

// Store is where a central keeps everything: devices, records, complaints,
// attachments, catalogues, the updates feed and the audit chains. A node
// keeps nothing else, so any number of nodes on one PostgreSQL store answer
// alike. Two implementations: sqliteStore (one file, one process: the
// embedded default) and pgStore (PostgreSQL through pgx, for several nodes).
// The contract's logic (canonical form, validation, chain checks) is above
// it, in the Server, and the same for both; the contract suite runs against
// both (store_test.go).
type Store interface {
	// Batch runs fn in one transaction that holds the device's write lock,
	// and commits when fn returns nil. When Write reports that another
	// transaction stored one of the batch's keys meanwhile (errRaced), the
	// transaction is rolled back and fn runs again from the start.
	Batch(ctx context.Context, device string, fn func(BatchTx) error) error

	// Device returns a device's token hash and whether it is revoked;
	// errNoDevice when there is none.
	Device(ctx context.Context, id string) (tokenSHA256 string, revoked bool, err error)
	// PutDevice enrols (or re-keys and reinstates) a device.
	PutDevice(ctx context.Context, id, tokenSHA256 string, at time.Time) error
	// RevokeDevice marks a device revoked.
	RevokeDevice(ctx context.Context, id string) error
	// PutHealth keeps a device's latest health report and when it came.
	PutHealth(ctx context.Context, id string, report []byte, at time.Time) error
	// Devices lists every enrolled device, by id.
	Devices(ctx context.Context) ([]deviceRow, error)

	// HasAttachment reports whether an attachment is stored.
	HasAttachment(ctx context.Context, sha string) (bool, error)
	// PutAttachment stores an attachment's bytes once; false when it was
	// there already.
	PutAttachment(ctx context.Context, sha, mediaType string, data []byte, at time.Time) (bool, error)

	// PutCategory, PutNeighbourhood and AppendUpdate store a catalogue
	// entry (or nothing) and append body to the updates feed, in one
	// transaction.
	PutCategory(ctx context.Context, c Category, body []byte) error
	PutNeighbourhood(ctx context.Context, n Neighbourhood, body []byte) error
	AppendUpdate(ctx context.Context, body []byte) error
	// SetComplaintStatus finds a complaint by record id or tracking code,
	// sets its status and appends body(id, code) to the feed; errNotFound
	// when there is no such complaint.
	SetComplaintStatus(ctx context.Context, ref, status string, body func(id, code string) ([]byte, error)) error
	// UpdatesAfter returns up to limit feed items after position since, in
	// feed order. An item committed later never gets a position below one
	// already visible, so a reader that has seen position n misses nothing
	// by asking for what follows n.
	UpdatesAfter(ctx context.Context, since int64, limit int) ([]feedItem, error)
	// SeedOnce runs seed when no category is stored yet, once however many
	// nodes start at the same moment.
	SeedOnce(ctx context.Context, seed func(context.Context) error) error

	// AuditFlags lists refused audit events, newest first (open ones only
	// unless all); AuditHead returns a device's verified chain head.
	AuditFlags(ctx context.Context, all bool) ([]AuditFlag, error)
	AuditHead(ctx context.Context, device string) (app.AuditHead, error)

	// Lookup, RecordCount and ForEachRecord read the stored records
	// (tests, the load check, an operator).
	Lookup(ctx context.Context, id string) (StoredRecord, bool, error)
	RecordCount(ctx context.Context) (int, error)
	ForEachRecord(ctx context.Context, fn func(StoredRecord) error) error

	bundleStore // USB bundles (bundlestore.go)

	Close() error
}

// BatchTx is one batch's transaction.
type BatchTx interface {
	// Load reads, in one go, what the batch's answers depend on.
	Load(q batchQuery) (batchView, error)
	// NextRef returns the number of the next server_ref; unknown is how
	// many of the batch's records the central did not hold at Load.
	NextRef(unknown int) (int64, error)
	// Write stores what the batch decided; errRaced when a record id or a
	// chain position was taken by another transaction since Load.
	Write(w *batchWrite) error
}

// errRaced is returned by BatchTx.Write when another transaction stored one
// of the batch's keys after Load: Store.Batch then runs the batch again,
// and the second run answers duplicate or conflict for those records.
var errRaced = errors.New("a key of the batch was stored meanwhile")

// errNoDevice is returned by Store.Device for an unknown device.
var errNoDevice = errors.New("no such device")

// batchQuery is what a batch needs to know before it answers.
type batchQuery struct {
	device      string
	ids         []string // the records' ids
	categories  bool     // the catalogue (a complaint is in the batch)
	attachments []string // hashes the complaints name
	auditSeqs   []int64  // chain positions the audit events claim
}

// batchView is what the central holds for a batch.
type batchView struct {
	known       map[string]stored   // id → fingerprint and server_ref
	categories  map[string]bool     // code → active
	attachments map[string]bool     // hash → stored
	head        app.AuditHead       // the device's verified head (seq 0, genesis hash before its first event)
	links       map[int64]chainLink // the device's chain at auditSeqs
}

type stored struct{ fp, ref string }

// chainLink is one verified position of a device's audit chain.
type chainLink struct {
	hash, prevHash, recordID, ref string
}

// batchWrite is what one batch stores.
type batchWrite struct {
	device     string
	now        time.Time
	records    []newRecord
	complaints []newComplaint
	links      []newLink
	flags      []newFlag
	resolved   []string // record ids whose open audit_gap flags close
}

type newRecord struct {
	seq                                int64
	id, fp, ref, typ, occurredAt, data string
	schema                             int
}

type newComplaint struct{ recordID, trackingCode string }

type newLink struct {
	seq int64
	chainLink
}

// newFlag is one refused audit event: kept once per record and code,
// counting repeats.
type newFlag struct {
	recordID, code, detail, prevHash, hash, data string
	seq                                          int64
}

// feedItem is one item of the updates feed at its position.
type feedItem struct {
	seq  int64
	body string
}

// deviceRow is one enrolled device as a store lists it.
type deviceRow struct {
	id         string
	revoked    bool
	enrolledAt time.Time
	lastSeen   time.Time // zero before its first batch or health report
	health     []byte    // the latest health report as received, or nil
	healthAt   time.Time
}
