package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/kocasinan/gise/app"
)

// SetResealBatch makes re-seal batches of n rows and runs hook after each
// one commits (nil: no hook), for the crash-resume test. It returns a
// function that restores the defaults.
func SetResealBatch(n int, hook func(table string) error) (restore func()) {
	oldN, oldHook := resealBatchSize, afterResealBatch
	resealBatchSize, afterResealBatch = n, hook
	return func() { resealBatchSize, afterResealBatch = oldN, oldHook }
}

// CreateAtVersion creates a database file at path with the migrations up to
// version only (no sealing step), as an older build left it.
func CreateAtVersion(ctx context.Context, path string, version int) error {
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return err
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	s := &Store{writer: w, path: path, Now: time.Now}
	return s.migrateTo(ctx, version)
}

// FillCitizens writes citizens into the tables exactly as RegisterCitizen
// does (sealed values, blind indexes, name index) but without records or
// audit events, in one transaction: the million-row benchmark file's builder.
func (s *Store) FillCitizens(ctx context.Context, cs []*app.Citizen) error {
	if _, err := s.writer.ExecContext(ctx, `PRAGMA cache_size = -1000000`); err != nil {
		return err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w := &wtx{Tx: tx, ctx: ctx, s: s}
	for _, c := range cs {
		if err := w.insertCitizen(c); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ForeignKeys reports whether the writer connection enforces foreign keys
// (migrations turn them off while they run).
func (s *Store) ForeignKeys(ctx context.Context) (bool, error) {
	var on bool
	err := s.writer.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on)
	return on, err
}
