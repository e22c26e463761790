package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/notice"
)

var _ notice.Source = (*Store)(nil)

// NoticeVersions implements notice.Source: every version of the disclosure
// notice that the central sent, as stored (the catalog checks each hash).
func (s *Store) NoticeVersions(ctx context.Context) ([]notice.Version, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT version, language, sha256, text, effective_from
		FROM notice_versions ORDER BY version, language`)
	if err != nil {
		return nil, fmt.Errorf("notice versions: %w", err)
	}
	defer rows.Close()
	var out []notice.Version
	for rows.Next() {
		var v notice.Version
		var from string
		if err := rows.Scan(&v.Number, &v.Language, &v.SHA256, &v.Text, &from); err != nil {
			return nil, fmt.Errorf("notice versions: %w", err)
		}
		if v.EffectiveFrom, err = time.Parse(app.DateLayout, from); err != nil {
			// A version without a readable date never takes effect.
			v.EffectiveFrom = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
