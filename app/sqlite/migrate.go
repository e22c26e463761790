package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/kocasinan/gise/app"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migration is one embedded SQL file, numbered by its name's prefix.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	list := make([]migration, 0, len(names))
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", base)
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list, nil
}

// LatestSchema is the newest schema version this binary's migrations
// write (gise version prints it).
func LatestSchema() int {
	list, err := loadMigrations()
	if err != nil || len(list) == 0 {
		return 0
	}
	return list[len(list)-1].version
}

// refuseNewerSchema stops Open before anything is written when the file
// was migrated by a newer binary than this one (a package downgraded, an
// old copy of the program): its migrations would be missing here, and
// writing with the older schema's rules could break the newer records.
func refuseNewerSchema(ctx context.Context, db *sql.DB) error {
	var have int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
	if err != nil {
		return nil // a new file, or one from before schema_migrations: migrate decides
	}
	if latest := LatestSchema(); have > latest {
		return app.Errorf(app.ECONFLICT, "Veritabanı bu programdan daha yeni bir sürümle açılmış: veritabanının "+
			"şema sürümü %d, bu programın yazdığı en yeni şema %d. Hiçbir şey yazılmadı. Gişe'nin yeni sürümünü "+
			"yeniden kurun (gise version sürümü gösterir); eski sürüme dönmek için yükseltmeden önce alınan yedeği "+
			"geri yükleyin.", have, latest)
	}
	return nil
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations newer than the recorded version.
func (s *Store) migrate(ctx context.Context) error { return s.migrateTo(ctx, 1<<30) }

// migrateTo applies the migrations up to and including version last.
func (s *Store) migrateTo(ctx context.Context, last int) error {
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	list, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := s.writer.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range list {
		if m.version <= current || m.version > last {
			continue
		}
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration with foreign keys off (the writer pool has one
// connection, so the pragma reaches it), as SQLite's procedure for
// rebuilding a table asks, and checks the keys before it commits.
func (s *Store) apply(ctx context.Context, m migration) error {
	if _, err := s.writer.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer s.writer.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	var table string
	if err := tx.QueryRowContext(ctx, `SELECT "table" FROM pragma_foreign_key_check LIMIT 1`).Scan(&table); err == nil {
		return fmt.Errorf("migration %s: a row of %s refers to a missing row", m.name, table)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, timeText(s.now())); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.writer.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
