package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"github.com/kocasinan/gise/app"
)

// ApplyUpdates implements app.OutboxStore: the page and its cursor commit
// together, so a crash between pages neither loses nor repeats one.
func (s *Store) ApplyUpdates(ctx context.Context, page app.UpdatesPage) error {
	for _, u := range page.Updates {
		if err := validateUpdate(u); err != nil {
			return err
		}
	}
	return s.bookkeep(ctx, func(tx *sql.Tx, now string) error { return applyPage(ctx, tx, page, now) })
}

// applyPage stores a validated page and its cursor inside tx; a receipt
// (bundles.go) applies its updates through it too.
func applyPage(ctx context.Context, tx *sql.Tx, page app.UpdatesPage, now string) error {
	for _, u := range page.Updates {
		if err := applyUpdate(ctx, tx, u, now); err != nil {
			return err
		}
	}
	return setState(ctx, tx, app.SyncCursor, page.Cursor)
}

func validateUpdate(u app.Update) error {
	switch u.Type {
	case app.UpdateComplaintStatus:
		if !slices.Contains(app.ComplaintStatuses, u.Status) {
			return app.Errorf(app.EINVALID, "Merkezden bilinmeyen bir başvuru durumu geldi (%q).", u.Status)
		}
	case app.UpdateCategory, app.UpdateNeighbourhood:
		if u.Code == "" {
			return app.Errorf(app.EINVALID, "Merkezden kodsuz bir katalog kaydı geldi.")
		}
	case app.UpdateNotice:
		if u.Version <= 0 || u.Language == "" {
			return app.Errorf(app.EINVALID, "Merkezden sürümsüz bir aydınlatma metni geldi.")
		}
	default:
		return app.Errorf(app.EINVALID, "Merkezden bilinmeyen bir güncelleme türü geldi (%q).", u.Type)
	}
	return nil
}

func applyUpdate(ctx context.Context, tx *sql.Tx, u app.Update, now string) error {
	active := u.Active == nil || *u.Active
	var err error
	switch u.Type {
	case app.UpdateComplaintStatus:
		// record_id names the complaint.filed record; complaints are found by
		// their tracking code, which the central writes grouped ("K7Q-M4X-29P")
		// and the store keeps bare.
		code := u.TrackingCode
		if tc, perr := app.ParseTrackingCode(code); perr == nil {
			code = string(tc)
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO complaint_statuses (record_id, tracking_code, status, note, at)
			VALUES (?, ?, ?, ?, ?)`, u.RecordID, code, u.Status, u.Note, u.At); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE complaints SET status = ?, status_at = ? WHERE tracking_code = ?`,
			u.Status, u.At, code)
	case app.UpdateCategory:
		_, err = tx.ExecContext(ctx, `INSERT INTO categories (code, name, grp, active, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, grp = excluded.grp, active = excluded.active,
			updated_at = excluded.updated_at`, u.Code, u.Name, u.Group, active, now)
	case app.UpdateNeighbourhood:
		_, err = tx.ExecContext(ctx, `INSERT INTO neighbourhoods (code, name, active, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active,
			updated_at = excluded.updated_at`, u.Code, u.Name, active, now)
	case app.UpdateNotice:
		_, err = tx.ExecContext(ctx, `INSERT INTO notice_versions (version, language, sha256, text, effective_from)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (version, language) DO UPDATE SET sha256 = excluded.sha256,
			text = excluded.text, effective_from = excluded.effective_from`,
			u.Version, u.Language, u.SHA256, u.Text, u.EffectiveFrom)
	}
	return err
}
