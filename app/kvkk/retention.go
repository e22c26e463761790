package kvkk

import (
	"context"
	"time"
)

// Class is a class of personal data with its own retention period.
type Class string

// Classes of the destruction policy.
const (
	ClassCitizens       Class = "citizens"        // citizens with their checks, notice acks and applications
	ClassComplaints     Class = "complaints"      // complaints with their attachment files
	ClassAudit          Class = "audit"           // the audit chain's events
	ClassDestructionLog Class = "destruction_log" // this log's own entries
	ClassPrintJobs      Class = "print_jobs"      // printed receipts and notices (PDFs)
)

// Destruction methods of the contract.
const (
	MethodDeleted    = "deleted"
	MethodAnonymised = "anonymised"
)

// Policy is the retention and destruction policy: how long each class stays
// on this terminal. Citizens and complaints are counted from their delivery
// to the central (the central keeps them); the others from when they were
// made. Nothing whose record is not delivered is ever destroyed.
type Policy struct {
	Version        string
	Citizens       time.Duration
	Complaints     time.Duration
	Audit          time.Duration
	DestructionLog time.Duration
	PrintJobs      time.Duration
}

// Defaults of the policy (KVKK destruction regulation of 28.10.2017; the
// periods are the municipality's, from its retention table).
const (
	DefaultPolicyVersion  = "2026-1"
	DefaultCitizens       = 30 * 24 * time.Hour
	DefaultComplaints     = 30 * 24 * time.Hour
	DefaultAudit          = 2 * 365 * 24 * time.Hour
	DefaultDestructionLog = 3 * 365 * 24 * time.Hour
	DefaultPrintJobs      = 30 * 24 * time.Hour
	// DefaultInterval is how often the destruction runs.
	DefaultInterval = 24 * time.Hour
)

// DefaultPolicy returns the policy with its default periods.
func DefaultPolicy() Policy {
	return Policy{Version: DefaultPolicyVersion, Citizens: DefaultCitizens, Complaints: DefaultComplaints,
		Audit: DefaultAudit, DestructionLog: DefaultDestructionLog, PrintJobs: DefaultPrintJobs}
}

// Destroyed is what one run destroyed of one class.
type Destroyed struct {
	Class  Class
	Count  int64
	Method string
	Oldest time.Time // of the destroyed items; zero when none
	Newest time.Time
}

// DestroyedData is the data of a retention.destroyed record.
type DestroyedData struct {
	Class         string `json:"class"`
	Count         int64  `json:"count"`
	Method        string `json:"method"`
	Oldest        string `json:"oldest"`
	Newest        string `json:"newest"`
	RunAt         string `json:"run_at"`
	PolicyVersion string `json:"policy_version"`
}

// Data returns the record payload of d for a run at runAt.
func (d Destroyed) Data(runAt time.Time, policyVersion string) DestroyedData {
	return DestroyedData{Class: string(d.Class), Count: d.Count, Method: d.Method, Oldest: stamp(d.Oldest),
		Newest: stamp(d.Newest), RunAt: runAt.Format(time.RFC3339), PolicyVersion: policyVersion}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// RetentionStore destroys what is due.
type RetentionStore interface {
	// DestroyDue destroys, class by class, what the policy makes due at now
	// and the central has acknowledged, logs each class's outcome as a
	// destruction log entry and a retention.destroyed record, and leaves
	// nothing of the destroyed data in the database file.
	DestroyDue(ctx context.Context, p Policy, now time.Time) ([]Destroyed, error)
}

// Report is what personal data the terminal holds now: what a breach
// notification within 72 hours needs.
type Report struct {
	At      time.Time
	Classes []ClassReport
	// Undelivered counts outbox records not yet acknowledged by the
	// central, by record type.
	Undelivered map[string]int
}

// ClassReport is one class of the report.
type ClassReport struct {
	Class       string
	Count       int64
	Oldest      time.Time // zero when the class is empty
	Undelivered int64     // items whose records the central has not acknowledged
}
