// Package central is the reference implementation of the central API
// contract (docs: ../openapi.yaml): the municipality's e-Belediye back office
// as far as Gişe terminals can see it. It keeps its own SQLite file, stores
// each record exactly once by id and fingerprint, hands out server_refs, and
// publishes complaint statuses, catalogues and notice versions through
// /v1/updates. It exists so that terminals can be developed, tested and
// demonstrated without the real back office.
package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver
)

// Server is the reference central. Create it with Open; serve Handler().
type Server struct {
	db  *sql.DB
	dir string

	// Prefix starts every server_ref (KCS-2026-0004711).
	Prefix string
	// AdminToken guards /admin/v1/*; empty disables the admin endpoints.
	AdminToken string
	// Now is the clock of server_refs, health and status changes.
	Now func() time.Time
	// Logger gets one line per refused request, never personal data.
	Logger *slog.Logger
	// HeaderTimeout and BodyTimeout bound reading a request's headers and
	// the whole request (HTTPServer; defaults DefaultHeaderTimeout and
	// DefaultBodyTimeout).
	HeaderTimeout, BodyTimeout time.Duration

	mu      gosync.Mutex // serialises writes, so that server_refs follow each other
	lastRef int64
}

func dsn(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + esc + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate"
}

// Open opens (creating if needed) the central's database in dir and seeds
// the catalogues on first use. The database is readable by its owner only
// (0600; SQLite gives its WAL and shared-memory files the same mode).
func Open(ctx context.Context, dir string) (*Server, error) {
	if err := os.MkdirAll(filepath.Join(dir, "attachments"), 0o700); err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	path := filepath.Join(dir, "central.db")
	if err := ownerOnly(path); err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	db.SetMaxOpenConns(1)
	s := &Server{db: db, dir: dir, Prefix: "KCS", Now: time.Now, Logger: slog.New(slog.DiscardHandler)}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM records`).Scan(&s.lastRef); err != nil {
		db.Close()
		return nil, fmt.Errorf("open central: %w", err)
	}
	return s, nil
}

// ownerOnly creates the database file with mode 0600 before SQLite does
// (SQLite would follow the umask, usually 0644), and takes group and other
// access away from a file an older version left, and from its WAL and
// shared-memory files.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (s *Server) Close() error { return s.db.Close() }

const schema = `
CREATE TABLE IF NOT EXISTS devices (
    id           TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL, -- arrival order; server_ref is made from it
    fingerprint TEXT NOT NULL,
    server_ref  TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    schema      INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    data        TEXT NOT NULL,
    received_at TEXT NOT NULL
) WITHOUT ROWID; -- one b-tree keyed by id: a stored record costs one insert
CREATE TABLE IF NOT EXISTS complaints (
    record_id     TEXT PRIMARY KEY,
    tracking_code TEXT NOT NULL,
    status        TEXT NOT NULL
) WITHOUT ROWID; -- small rows: the key is the row, one b-tree less per complaint
CREATE INDEX IF NOT EXISTS complaints_code ON complaints (tracking_code);
CREATE TABLE IF NOT EXISTS attachments (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    stored_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS categories (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    grp    TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS neighbourhoods (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL
);
`

func (s *Server) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("central schema: %w", err)
	}
	if err := s.migrateAudit(ctx); err != nil {
		return err
	}
	if err := s.migrateBundles(ctx); err != nil {
		return err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories`).Scan(&n); err != nil || n > 0 {
		return err
	}
	return s.seed(ctx)
}

// seedCategories is the first catalogue a fresh central publishes (the
// terminal's built-in list, migration 0005); ZB-99 is retired, so that a
// record naming it is rejected.
var seedCategories = []Category{
	{Code: "TEM-01", Name: "Çöp toplama", Group: "Temizlik İşleri", Active: true},
	{Code: "TEM-02", Name: "Sokak ve cadde temizliği", Group: "Temizlik İşleri", Active: true},
	{Code: "FEN-01", Name: "Yol, kaldırım ve asfalt", Group: "Fen İşleri", Active: true},
	{Code: "FEN-02", Name: "Sokak aydınlatması", Group: "Fen İşleri", Active: true},
	{Code: "PRK-01", Name: "Park, bahçe ve ağaç", Group: "Park ve Bahçeler", Active: true},
	{Code: "ZAB-01", Name: "İşyeri, seyyar satıcı, işgal", Group: "Zabıta", Active: true},
	{Code: "ZAB-02", Name: "Gürültü", Group: "Zabıta", Active: true},
	{Code: "VET-01", Name: "Sokak hayvanları", Group: "Veteriner İşleri", Active: true},
	{Code: "IMR-01", Name: "Yapı ve ruhsat", Group: "İmar ve Şehircilik", Active: true},
	{Code: "SOS-01", Name: "Sosyal yardım", Group: "Sosyal Destek", Active: true},
	{Code: "GEN-01", Name: "Diğer", Group: "Genel", Active: true},
	{Code: "ZB-99", Name: "Eski zabıta konusu", Group: "Zabıta", Active: false},
}

var seedNeighbourhoods = []Neighbourhood{
	{Code: "MAH-001", Name: "Mimarsinan", Active: true},
	{Code: "MAH-002", Name: "Yenimahalle", Active: true},
	{Code: "MAH-003", Name: "Erkilet", Active: true},
}

func (s *Server) seed(ctx context.Context) error {
	for _, c := range seedCategories {
		if err := s.PublishCategory(ctx, c); err != nil {
			return err
		}
	}
	for _, n := range seedNeighbourhoods {
		if err := s.PublishNeighbourhood(ctx, n); err != nil {
			return err
		}
	}
	return nil
}
