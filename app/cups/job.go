// Package cups prints PDFs through CUPS (the lp command, and IPP for job
// states), one queue per terminal. Every job is saved before it is sent and
// keeps its PDF, so a printer that fails never blocks the clerk and never
// loses a document: the job stays listed for reprint with a Turkish sentence
// that says what went wrong.
package cups

import (
	"context"
	"time"
)

// Status is where a print job stands.
type Status string

// Statuses of a print job.
const (
	Queued  Status = "queued"  // saved, not yet accepted by CUPS
	Sent    Status = "sent"    // accepted by CUPS, waiting or printing
	Printed Status = "printed" // CUPS reports it completed
	Failed  Status = "failed"  // refused or failed: listed for reprint
)

// Job is one document sent to a printer, kept for reprint.
type Job struct {
	ID        string // UUID, made when saved
	Title     string // shown in CUPS's queue and logs: never personal data
	Printer   string
	PDF       []byte // nil in lists; JobStore.Job returns it
	Status    Status
	CUPSJob   string // CUPS's job ID, "KCS-MERKEZ-A4-12"; "" until accepted
	Error     string // Turkish, for the window; "" unless Failed
	Attempts  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// JobStore keeps print jobs (app/sqlite implements it).
type JobStore interface {
	// SavePrintJob stores a new job; ID and the times are set when empty.
	SavePrintJob(ctx context.Context, j *Job) error
	// UpdatePrintJob records a job's new status, CUPS job ID and error, and
	// counts an attempt when the status is Sent or Failed. ENOTFOUND when
	// there is no such job.
	UpdatePrintJob(ctx context.Context, id string, st Status, cupsJob, errMsg string) error
	// PrintJob returns one job with its PDF. ENOTFOUND when there is none.
	PrintJob(ctx context.Context, id string) (*Job, error)
	// PrintJobs returns up to limit jobs in any of the statuses (all when
	// none given), newest first, without their PDFs.
	PrintJobs(ctx context.Context, limit int, statuses ...Status) ([]*Job, error)
}
