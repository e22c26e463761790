// Package central is the reference implementation of the central API
// contract (docs: ../sync/openapi.yaml): the municipality's e-Belediye back
// office as far as Gişe terminals can see it. It stores each record exactly
// once by id and fingerprint, hands out server_refs, verifies each device's
// audit chain, keeps each terminal's health for a fleet view, and publishes
// complaint statuses, catalogues and notice versions through /v1/updates.
//
// It keeps everything in a Store: one SQLite file (Open, the embedded
// default, one process) or PostgreSQL (OpenPostgres), where any number of
// nodes share one database and keep every promise of the contract across
// them. It exists so that terminals can be developed, tested and
// demonstrated without the real back office, and as a production central for
// a municipality without one.
package central

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	gosync "sync"
	"time"
)

// Server is the reference central. Create it with Open or OpenPostgres;
// serve Handler() (or HTTPServer).
type Server struct {
	st Store

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
	// SilentAfter is how long a device may stay silent before the fleet
	// view flags it (DefaultSilentAfter).
	SilentAfter time.Duration
	// MaxBatches is how many batches the node takes at once; beyond it a
	// batch is answered 503 with Retry-After (DefaultMaxBatches).
	MaxBatches int

	slotsOnce gosync.Once
	slots     chan struct{}
}

// Open opens (creating if needed) the central's SQLite database in dir and
// seeds the catalogues on first use. The database is readable by its owner
// only (0600; SQLite gives its WAL and shared-memory files the same mode).
// One process only: for several nodes use OpenPostgres.
func Open(ctx context.Context, dir string) (*Server, error) {
	s := newServer()
	st, err := openSQLite(ctx, dir, s.Now)
	if err != nil {
		return nil, err
	}
	return s.start(ctx, st)
}

// OpenPostgres opens the central on the PostgreSQL database at dsn
// (postgres://… or key=value), applies the embedded migrations it lacks,
// and seeds the catalogues on first use. Several nodes may open the same
// database at once.
func OpenPostgres(ctx context.Context, dsn string) (*Server, error) {
	s := newServer()
	st, err := openPostgres(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return s.start(ctx, st)
}

// OpenStore opens a PostgreSQL central when db is set (a postgres:// URL or
// key=value DSN) and the SQLite one in dir otherwise.
func OpenStore(ctx context.Context, db, dir string) (*Server, error) {
	if strings.TrimSpace(db) != "" {
		return OpenPostgres(ctx, db)
	}
	return Open(ctx, dir)
}

func newServer() *Server {
	return &Server{Prefix: "KCS", Now: time.Now, Logger: slog.New(slog.DiscardHandler), SilentAfter: DefaultSilentAfter}
}

func (s *Server) start(ctx context.Context, st Store) (*Server, error) {
	s.st = st
	if err := st.SeedOnce(ctx, s.seed); err != nil {
		st.Close()
		return nil, fmt.Errorf("open central: %w", err)
	}
	return s, nil
}

// Close closes the store.
func (s *Server) Close() error { return s.st.Close() }

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
