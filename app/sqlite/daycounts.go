package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

var _ app.DayCountStore = (*Store)(nil)

// DayCounts implements app.DayCountStore. Times are stored as RFC 3339
// text with the terminal's offset, so they are compared as instants
// (unixepoch), never as text.
func (s *Store) DayCounts(ctx context.Context, from, to time.Time) (app.DayCounts, error) {
	c := app.DayCounts{Records: map[string]int{}, Kinds: map[app.Kind]int{}}
	lo, hi := from.Unix(), to.Unix()
	if err := s.countInto(ctx, c.Records, `SELECT type, COUNT(*) FROM outbox
		WHERE unixepoch(occurred_at) >= ? AND unixepoch(occurred_at) < ? GROUP BY type`, lo, hi); err != nil {
		return c, err
	}
	kinds := map[string]int{}
	if err := s.countInto(ctx, kinds, `SELECT kind, COUNT(*) FROM complaints
		WHERE unixepoch(created_at) >= ? AND unixepoch(created_at) < ? GROUP BY kind`, lo, hi); err != nil {
		return c, err
	}
	for k, n := range kinds {
		c.Kinds[app.Kind(k)] = n
	}
	return c, nil
}

func (s *Store) countInto(ctx context.Context, into map[string]int, q string, args ...any) error {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("day counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return fmt.Errorf("day counts: %w", err)
		}
		into[key] = n
	}
	return rows.Err()
}
