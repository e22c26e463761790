package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// QuickCheckBudget bounds the quick_check at every Open. The check reads
// every page once (docs/PERFORMANCE.md, "Integrity": about 0.1 s for 100,000
// records); a store whose check has not ended by then opens anyway, with
// QuickCheckSkipped set, and the full check when idle covers it.
var QuickCheckBudget = 20 * time.Second

// faultOf maps the driver's and the system's errors of a damaged file or a
// full disk to the domain's coded errors, with their sentences; any other
// error is returned as it is. A damaged file also stops the store's writes.
func (s *Store) faultOf(err error) error {
	var ae *app.Error
	switch {
	case err == nil || errors.As(err, &ae):
		return err
	case isCorrupt(err):
		s.damaged.Store(true)
		return app.Damaged(err)
	case isFull(err):
		return app.NoSpace(err)
	}
	return err
}

// isCorrupt reports whether err is SQLite's "database disk image is
// malformed" or "file is not a database".
func isCorrupt(err error) bool {
	var e *driver.Error
	if !errors.As(err, &e) {
		return false
	}
	c := e.Code() & 0xff
	return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
}

// isFull reports whether err is SQLite's "database or disk is full" or the
// system's ENOSPC (an attachment file, a backup copy).
func isFull(err error) bool {
	var e *driver.Error
	if errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}

// quickCheck runs PRAGMA quick_check within QuickCheckBudget before Open
// writes anything: a damaged file is app.Damaged and the store is not
// opened.
func (s *Store) quickCheck(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, QuickCheckBudget)
	defer cancel()
	start := time.Now()
	res, err := runCheck(ctx, s.writer, "quick_check")
	s.QuickCheckTook = time.Since(start)
	if err != nil && ctx.Err() != nil {
		s.QuickCheckSkipped = true
		return nil
	}
	return checkResult(res, err)
}

// runCheck runs quick_check or integrity_check and returns its lines (the
// first ten problems, or "ok").
func runCheck(ctx context.Context, db *sql.DB, pragma string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma+"(10)")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		out = append(out, strings.ReplaceAll(line, "\n", " "))
	}
	return out, rows.Err()
}

// checkResult turns a check's lines and error into nil, app.Damaged, or the
// error of a check that could not run.
func checkResult(lines []string, err error) error {
	switch {
	case err != nil && isCorrupt(err):
		return app.Damaged(err)
	case err != nil:
		return fmt.Errorf("integrity check: %w", err)
	case len(lines) == 1 && lines[0] == "ok":
		return nil
	}
	return app.Damaged(errors.New(strings.Join(lines, "; ")))
}

// CheckIntegrity runs the full PRAGMA integrity_check (every page, every
// index against its table) on a reader, so writes go on meanwhile. It
// returns app.Damaged for a damaged file, and marks the store damaged so
// that it writes nothing more.
func (s *Store) CheckIntegrity(ctx context.Context) error {
	lines, err := runCheck(ctx, s.reader, "integrity_check")
	err = checkResult(lines, err)
	if app.ErrorCode(err) == app.EDAMAGED {
		s.damaged.Store(true)
	}
	return err
}

// Damaged reports whether the store has seen its file damaged; it then
// refuses every write with app.Damaged.
func (s *Store) Damaged() bool { return s.damaged.Load() }

// LastWrite returns when the store last began a write (or opened): how
// long it has been idle, for the full integrity check.
func (s *Store) LastWrite() time.Time { return time.Unix(0, s.lastWrite.Load()) }

// LatestSchemaVersion returns the newest migration this program carries.
func LatestSchemaVersion() int {
	list, err := loadMigrations()
	if err != nil || len(list) == 0 {
		return 0
	}
	return list[len(list)-1].version
}

// Report is what Inspect finds in a database file.
type Report struct {
	Check         string // "ok", or the first problems the check found
	SchemaVersion int
	Took          time.Duration // the check's duration
}

// Inspect checks the database file at path without writing to it: the full
// integrity_check (or quick_check when full is false) and the schema
// version. The error is app.Damaged for a damaged file, with the report
// filled in as far as it got.
func Inspect(ctx context.Context, path string, full bool) (Report, error) {
	var r Report
	db, err := openInspect(path)
	if err != nil {
		return r, err
	}
	defer db.Close()
	pragma := "quick_check"
	if full {
		pragma = "integrity_check"
	}
	start := time.Now()
	lines, err := runCheck(ctx, db, pragma)
	r.Took = time.Since(start)
	r.Check = strings.Join(lines, "; ")
	if err := checkResult(lines, err); err != nil {
		if r.Check == "" {
			r.Check = err.Error()
		}
		return r, err
	}
	err = db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&r.SchemaVersion)
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return r, checkResult(nil, err)
	}
	return r, nil
}

// openInspect opens a database file for reading only, with no pragma that
// writes (not even the journal mode): for checks of a file that may be
// damaged or that is a backup copy.
func openInspect(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// CheckKey reports whether sealer opens the database file at path, without
// writing to it: it opens one sealed value of every sealed table. nil when
// every probe opened, or when the file holds no sealed value yet (then
// nothing tells keys apart; opened is false); app.KeyWrong when one did
// not.
func CheckKey(ctx context.Context, path string, sealer *keys.Sealer) (opened bool, err error) {
	db, err := openInspect(path)
	if err != nil {
		return false, err
	}
	defer db.Close()
	return probeKey(ctx, db, sealer)
}

// probeKey opens the first sealed value of each sealed table with sealer.
func probeKey(ctx context.Context, db *sql.DB, sealer *keys.Sealer) (bool, error) {
	opened := false
	for _, t := range sealedTables {
		for _, c := range t.cols {
			id, v, err := firstSealed(ctx, db, t, c)
			if err != nil {
				return false, checkResult(nil, err)
			}
			if v == nil {
				continue
			}
			if _, err := sealer.Open(id, c.ad, v); err != nil {
				return false, app.KeyWrong(fmt.Errorf("%s.%s: %w", t.name, c.db, err))
			}
			opened = true
			break
		}
	}
	return opened, nil
}

// firstSealed returns one sealed value of a column and its record id; nil
// when the column (or its table) has none.
func firstSealed(ctx context.Context, db *sql.DB, t sealedTable, c sealedColumn) (string, []byte, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?`, t.name, c.db).Scan(&n); err != nil || n == 0 {
		return "", nil, err
	}
	var id sql.NullString
	var v []byte
	err := db.QueryRowContext(ctx, `SELECT `+t.id+`, `+c.db+` FROM `+t.name+` WHERE typeof(`+c.db+`) = 'blob'
		AND length(`+c.db+`) >= ? AND substr(`+c.db+`, 1, 1) = x'01' LIMIT 1`, keys.Overhead).Scan(&id, &v)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !id.Valid) {
		return "", nil, nil
	}
	return id.String, v, err
}

// escapePath makes a path safe inside a file: URI.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
}
