package app

import (
	"context"
	"time"
)

// EUNAVAILABLE is the code of a failure of a device or a system service the
// terminal depends on (the printer, CUPS): nothing is wrong with the input,
// and the message says what to do.
const EUNAVAILABLE = "unavailable"

// PrintStatus is where a print job stands.
type PrintStatus string

// Statuses of a print job. Only PrintPrinted means a sheet came out: a job
// the print system accepted is PrintSent until it reports the job completed.
const (
	PrintQueued  PrintStatus = "queued"  // saved, not yet accepted by the print system
	PrintSent    PrintStatus = "sent"    // accepted, waiting or printing
	PrintPrinted PrintStatus = "printed" // the print system reports it completed
	PrintFailed  PrintStatus = "failed"  // refused, stopped, aborted, held or cancelled: listed for reprint
)

// PrintJob is one document sent to a printer, kept with its PDF for reprint.
type PrintJob struct {
	ID      string // UUID, made when saved
	Title   string // shown in the print system's queue and logs: never personal data
	Printer string // the queue it was last sent to
	PDF     []byte // nil in lists; PrintJobStore.PrintJob returns it
	Status  PrintStatus
	// SystemJob is the print system's job ID ("gise-pdf-12"); "" until accepted.
	SystemJob string
	// Error says in Turkish, for the window, what went wrong and what to do;
	// "" unless Failed.
	Error string
	// Waiting says in Turkish why a sent job has not printed yet (a paused
	// queue); "" when nothing is known. Not stored: Printer.Job fills it.
	Waiting   string
	Attempts  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Done reports whether the job's outcome is known: printed or failed.
func (j *PrintJob) Done() bool { return j.Status == PrintPrinted || j.Status == PrintFailed }

// PrintJobStore keeps print jobs (app/sqlite implements it).
type PrintJobStore interface {
	// SavePrintJob stores a new job; ID and the times are set when empty.
	SavePrintJob(ctx context.Context, j *PrintJob) error
	// UpdatePrintJob records a job's new status, the queue it was sent to,
	// the print system's job ID and the error. It counts an attempt for each
	// hand-over: the status Sent, or Failed with no print-system job (the
	// system refused it); a job the system accepted and then failed is the
	// same attempt. ENOTFOUND when there is no such job.
	UpdatePrintJob(ctx context.Context, id string, st PrintStatus, queue, systemJob, errMsg string) error
	// PrintJob returns one job with its PDF. ENOTFOUND when there is none.
	PrintJob(ctx context.Context, id string) (*PrintJob, error)
	// PrintJobs returns up to limit jobs in any of the statuses (all when
	// none given), newest first, without their PDFs.
	PrintJobs(ctx context.Context, limit int, statuses ...PrintStatus) ([]*PrintJob, error)
}

// Printer hands documents to the print system and follows them until they
// come out (app/cups implements it). Every job is saved before it is sent,
// so that a failing printer never loses a document. Its methods do I/O: call
// them off the UI goroutine. Errors are *Error values whose Turkish message
// is for the clerk; the technical cause is wrapped for the log.
type Printer interface {
	// Print saves pdf as a job titled title (no personal data) and hands it
	// to queue. It returns the job once the print system accepted it, with
	// Status PrintSent: accepted is not printed; follow it with Job. When
	// the system refuses it, the job is returned as well (Status
	// PrintFailed, listed for reprint) with the error: EINVALID when no queue
	// is named, the queue does not exist or does not accept jobs;
	// EUNAVAILABLE when the print system is missing, unreachable or does not
	// answer in time.
	Print(ctx context.Context, queue, title string, pdf []byte) (*PrintJob, error)
	// Reprint sends kept job id again, to queue. A copy the print system
	// still holds (a stopped or paused queue) is cancelled first, so that
	// the document never comes out twice. ENOTFOUND when there is no such
	// job; otherwise the errors of Print.
	Reprint(ctx context.Context, id, queue string) (*PrintJob, error)
	// Job asks the print system how job id stands, records what changed and
	// returns it: PrintPrinted only when the system reports it completed;
	// PrintFailed with Error when it was stopped, aborted, cancelled or held;
	// PrintSent (with Waiting when the queue is paused) while it waits or
	// prints. ENOTFOUND when there is no such job; EUNAVAILABLE when the
	// print system cannot be asked (the job is returned as last known).
	Job(ctx context.Context, id string) (*PrintJob, error)
	// Pending returns the jobs not known to be printed, newest first: those
	// listed for reprint.
	Pending(ctx context.Context) ([]*PrintJob, error)
	// Refresh asks the print system about every job not yet known to be
	// printed and records what changed.
	Refresh(ctx context.Context) error
	// Queues returns the names of the print system's queues, sorted.
	// EUNAVAILABLE when the print system cannot be reached.
	Queues(ctx context.Context) ([]string, error)
}

// ReceiptRequest is what a receipt shows of a saved record. The service that
// prints it adds the municipality's header, the layout, the date and the
// terminal.
type ReceiptRequest struct {
	// Kind is a Kind value, or "data_subject_request" for a KVKK
	// article 11 application.
	Kind     string
	Code     TrackingCode
	Category string // the category's name as the citizen knows it; "" when none
	// ApplicantName is the name the citizen gave, printed as it is; "" for
	// an anonymous record.
	ApplicantName string
	// NationalID is printed masked ("123******46"); zero when not given.
	NationalID NationalID
	DueDate    time.Time // KVKK application: last day of the reply period
}
