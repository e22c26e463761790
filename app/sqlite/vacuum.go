package sqlite

import (
	"context"
	"fmt"
)

// Vacuum rebuilds the database file without its free pages and truncates
// the write-ahead log, so that nothing deleted or re-sealed lingers in
// either file (secure_delete already zeroes what a delete frees).
func (s *Store) Vacuum(ctx context.Context) error {
	if _, err := s.writer.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	if _, err := s.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return nil
}
