package app

// HealthReport is what a terminal tells the central about itself each sync
// round (POST /v1/health-report), for the back office's fleet view. It is
// not a record: it is not queued in the outbox, carries no personal data,
// and only the latest one counts. Fields the terminal cannot know are left
// out (nil).
type HealthReport struct {
	Version    string `json:"version"`     // the terminal's software version
	ReportedAt string `json:"reported_at"` // the terminal's clock, RFC 3339
	// Pending records and the age of the oldest, in seconds (0 when none).
	Pending          int   `json:"pending"`
	OldestPendingAge int64 `json:"oldest_pending_age_s"`
	// Records kept for a supervisor.
	Conflicts int `json:"conflicts"`
	Rejected  int `json:"rejected"`
	// LastError is the last round's failure as the operator saw it ("" after a success).
	LastError string `json:"last_error"`
	// FreeDiskBytes is the space left where the store lives.
	FreeDiskBytes *uint64 `json:"free_disk_bytes,omitempty"`
	// Printer is the receipt printer's state: ok, paused, stopped,
	// unreachable or none; empty when the terminal did not check.
	Printer string `json:"printer,omitempty"`
	// ClockSkew is how far the central's Date header was ahead of the
	// terminal's clock at its last answer, in seconds.
	ClockSkew *int64 `json:"clock_skew_s,omitempty"`
}
