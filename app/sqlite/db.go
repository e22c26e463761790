// Package sqlite is Gişe's local store on one SQLite file (modernc.org/sqlite,
// no cgo). Every domain write, its outbox record and its audit event commit in
// one transaction, so a crash, a full disk or a dead network loses no record
// that a clerk or a citizen was told is saved.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
)

// Conformance of the store to the domain's interfaces.
var (
	_ app.CitizenStore    = (*Store)(nil)
	_ app.VisitStore      = (*Store)(nil)
	_ app.ComplaintStore  = (*Store)(nil)
	_ app.AuditStore      = (*Store)(nil)
	_ app.ActivationStore = (*Store)(nil)
)

// Store is the terminal's local database. It keeps one writer connection
// (writes are serial, which the audit chain needs anyway) and a small pool of
// readers, which WAL lets read while the writer writes.
type Store struct {
	writer *sql.DB
	reader *sql.DB
	path   string
	sealer *keys.Sealer

	// Now is the clock; tests replace it.
	Now func() time.Time
	// TerminalID and TerminalIP go into every audit event and record.
	TerminalID string
	TerminalIP string
	// notify, when set, is called after each commit that queued records,
	// so that a sync worker can wake.
	notify func()

	// QuickCheckTook is how long Open's quick_check ran; QuickCheckSkipped
	// is set when it ran out of QuickCheckBudget.
	QuickCheckTook    time.Duration
	QuickCheckSkipped bool
	// damaged is set once a check or a statement found the file damaged;
	// lastWrite is the wall time of the newest write (Unix nanoseconds).
	damaged   atomic.Bool
	lastWrite atomic.Int64
	lock      *os.File
}

// dsn builds the connection string. Every pragma is in it so that every
// pooled connection gets it; synchronous=FULL because a record a citizen was
// told is saved must survive a power cut; secure_delete because deleted
// personal data must not linger in free pages; temp_store=MEMORY because a
// statement journal (an UPDATE of many rows inside a transaction keeps the
// original pages there) would otherwise spill past 64 KiB into a file in the
// temporary directory: personal data outside the data directory, and a
// write and a read of every page for nothing.
func dsn(path string, write bool) string {
	esc := escapePath(path)
	q := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)&_pragma=secure_delete(1)&_pragma=temp_store(MEMORY)"
	if write {
		q += "&_txlock=immediate"
	} else {
		q += "&_pragma=query_only(1)"
	}
	return "file:" + esc + "?" + q
}

// Open opens (creating if needed) the database file at path, applies the
// embedded migrations that it lacks, and seals with the terminal key what
// is not sealed with it yet (plaintext an older schema left, or values of a
// key being rotated out) before it returns. The sealer is the terminal key
// (keys.LoadForStore); the store seals every personal value with it.
//
// Before it writes anything, Open takes a shared lock on the file (a
// restore waits for no store to be open; see LockExclusive), runs
// PRAGMA quick_check (app.Damaged for a damaged file) and opens a sealed
// value of each sealed table with the key (app.KeyWrong for another
// terminal's key): neither a damaged file nor a wrong key is written to,
// nor a file whose schema is newer than this binary's migrations (a
// package downgraded: ECONFLICT, the sentence names both versions).
func Open(ctx context.Context, path string, sealer *keys.Sealer, opts ...Option) (*Store, error) {
	if sealer == nil {
		return nil, fmt.Errorf("open store: the terminal key is required")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	lock, err := lockShared(path)
	if err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{writer: w, path: path, sealer: sealer, Now: time.Now, TerminalID: "GISE-LOCAL", lock: lock}
	s.lastWrite.Store(time.Now().UnixNano())
	for _, o := range opts {
		o(s)
	}
	if err := s.prepare(ctx); err != nil {
		w.Close()
		lock.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		lock.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	r.SetMaxOpenConns(max(2, runtime.NumCPU()))
	s.reader = r
	return s, nil
}

// prepare checks the file and the key, then brings the schema and the
// sealing up to date.
func (s *Store) prepare(ctx context.Context) error {
	if err := s.quickCheck(ctx); err != nil {
		return err
	}
	if err := refuseNewerSchema(ctx, s.writer); err != nil {
		return err
	}
	if _, err := probeKey(ctx, s.writer, s.sealer); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return s.faultOf(err)
	}
	if err := s.prepareAudit(ctx); err != nil {
		return s.faultOf(err)
	}
	if err := s.reseal(ctx); err != nil {
		return s.faultOf(err)
	}
	if err := os.Chmod(s.path, 0o600); err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	return nil
}

// Option sets something of the store before Open does any work with it.
type Option func(*Store)

// WithTerminal sets the terminal id and address that audit events and
// records carry, before Open's own writes (the sealing step audits a
// re-seal).
func WithTerminal(id, ip string) Option {
	return func(s *Store) { s.TerminalID, s.TerminalIP = id, ip }
}

// Close closes both pools and releases the lock.
func (s *Store) Close() error {
	defer s.lock.Close()
	rerr := s.reader.Close()
	if err := s.writer.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return rerr
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Dir returns the folder that holds the database and its attachment files.
func (s *Store) Dir() string { return filepath.Dir(s.path) }

// OnQueued sets a function called after every commit that queued records.
// Call it before the store is shared between goroutines.
func (s *Store) OnQueued(fn func()) { s.notify = fn }

// IntegrityCheck runs PRAGMA integrity_check and returns its first line
// ("ok" for a sound file).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.writer.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

// now returns the clock truncated to the second, the precision records carry.
func (s *Store) now() time.Time { return s.Now().Truncate(time.Second) }

// timeText is the stored form of an instant: RFC 3339 with the local offset.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// parseTime reads timeText's form; "" gives the zero time.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
