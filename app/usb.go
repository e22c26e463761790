package app

import (
	"context"
	"time"
)

// BundleKeys are what a terminal keeps for USB bundles (docs/BUNDLE.md):
// which terminal key its device keys derive from, and the central's public
// keys as the central gave them when the device keys were registered.
type BundleKeys struct {
	DeviceID   string
	CentralURL string
	KeyID      byte   // the terminal key the device keys derive from
	CentralSig []byte // the central's Ed25519 public key: receipts are signed with it
	CentralAge string // the central's age X25519 recipient ("age1…"): bundles are encrypted to it
	SavedAt    time.Time
}

// Export states of a bundle on the terminal.
const (
	BundleWriting  = "writing"  // being written to the medium
	BundleExported = "exported" // on the medium, not yet answered: its pending records are "USB'de"
	BundleAnswered = "answered" // its receipt was applied
)

// ExportedBundle is one bundle a terminal wrote, with the outbox records
// and attachments it holds.
type ExportedBundle struct {
	ID          string
	State       string
	File        string // the file's name on the medium
	CreatedAt   time.Time
	FirstSeq    int64
	LastSeq     int64
	Records     []string // the ids of the outbox records it holds
	Attachments []string // the attachment hashes it holds
	AnsweredAt  time.Time
}

// Receipt is a central's answer to one bundle as the terminal applies it:
// the results already matched against the bundle's records (as an online
// batch's are), and one page of updates.
type Receipt struct {
	ID       string // the receipt's own id
	BundleID string
	Results  []DeliveryResult
	// Unanswered are the bundle's records the receipt did not answer (or
	// answered audit_gap): they stay pending, one attempt counted.
	Unanswered []string
	// Since is the cursor the updates follow; they are applied only while
	// the terminal's cursor is still there (online pulls may have gone on).
	Since   string
	Updates UpdatesPage
}

// ReceiptOutcome is what applying a receipt did.
type ReceiptOutcome struct {
	Delivered, Conflict, Rejected, Unanswered int
	UpdatesApplied                            int
	UpdatesSkipped                            bool // the cursor had moved on: the updates came online
}

// BundleStore is what USB transfer needs of the terminal's store, beside
// OutboxStore.
type BundleStore interface {
	OutboxStore
	// SaveBundleKeys keeps the keys registered with the central (the
	// central's keys sealed), audited as bundle.keys_registered.
	SaveBundleKeys(ctx context.Context, actor Actor, k BundleKeys) error
	// BundleKeys returns the saved keys; ENOTFOUND before any were saved.
	BundleKeys(ctx context.Context) (BundleKeys, error)
	// BeginExport records a bundle being written (state writing): its
	// records and attachments. It returns b with FirstSeq and LastSeq set
	// from the records' outbox sequence numbers.
	BeginExport(ctx context.Context, actor Actor, b ExportedBundle) (ExportedBundle, error)
	// FinishExport marks the bundle exported (its records "USB'de"),
	// audited as bundle.exported; or forgets it when ok is false (the
	// file did not reach the medium).
	FinishExport(ctx context.Context, actor Actor, id string, ok bool) error
	// ExportedBundle returns one bundle with its records (emptied once it
	// is answered); ENOTFOUND for an id this terminal never wrote.
	ExportedBundle(ctx context.Context, id string) (ExportedBundle, error)
	// ApplyReceipt applies a receipt in one transaction: the results as
	// ApplyResults would, the unanswered noted as NoteFailure would, the
	// updates with their cursor when Since is the stored cursor, the
	// bundle's attachments marked uploaded, the bundle answered, audited
	// as bundle.receipt_applied. ENOTFOUND for an unknown bundle,
	// ECONFLICT for one answered already, EINVALID for a bad update.
	ApplyReceipt(ctx context.Context, actor Actor, r Receipt) (ReceiptOutcome, error)
	// OnUSB returns how many pending records wait in exported bundles
	// not answered yet.
	OnUSB(ctx context.Context) (int, error)
}

// USBTransfer is the supervisor's "USB ile aktar": write the pending
// records to a medium, and apply the central's receipt from one.
type USBTransfer interface {
	// Export writes the pending records and their attachments to dir as
	// one or more bundle files, written atomically, and returns them.
	// progress, if set, is called with the records written so far and the
	// total. EINVALID with a sentence when the terminal has no bundle keys
	// or dir cannot take the file; ENOTFOUND when nothing is pending.
	Export(ctx context.Context, actor Actor, dir string, progress func(done, total int)) ([]ExportedBundle, error)
	// ApplyReceipt reads, verifies and applies one receipt file.
	ApplyReceipt(ctx context.Context, actor Actor, path string) (ReceiptOutcome, error)
	// OnUSB returns how many pending records wait in exported, unanswered
	// bundles.
	OnUSB(ctx context.Context) (int, error)
}
