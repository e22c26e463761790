package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kocasinan/gise/app"
)

var _ app.BundleStore = (*Store)(nil)

// centralKeys is the sealed part of bundle_keys.
type centralKeys struct {
	Sig []byte `json:"sig"`
	Age string `json:"age"`
}

// SaveBundleKeys implements app.BundleStore.
func (s *Store) SaveBundleKeys(ctx context.Context, actor app.Actor, k app.BundleKeys) error {
	plain, err := json.Marshal(centralKeys{Sig: k.CentralSig, Age: k.CentralAge})
	if err != nil {
		return err
	}
	sealed, err := s.sealer.Seal("terminal", "bundle_keys", plain)
	if err != nil {
		return fmt.Errorf("save bundle keys: %w", err)
	}
	return s.write(ctx, actor, func(w *wtx) error {
		_, err := w.ExecContext(ctx, `INSERT OR REPLACE INTO bundle_keys (id, device_id, central_url, key_id, sealed, saved_at)
			VALUES (1, ?, ?, ?, ?, ?)`, k.DeviceID, k.CentralURL, int(k.KeyID), sealed, timeText(w.now))
		if err != nil {
			return fmt.Errorf("save bundle keys: %w", err)
		}
		return w.audit("bundle.keys_registered", k.DeviceID)
	})
}

// BundleKeys implements app.BundleStore.
func (s *Store) BundleKeys(ctx context.Context) (app.BundleKeys, error) {
	var k app.BundleKeys
	var keyID int
	var sealed []byte
	var saved string
	err := s.reader.QueryRowContext(ctx, `SELECT device_id, central_url, key_id, sealed, saved_at FROM bundle_keys WHERE id = 1`).
		Scan(&k.DeviceID, &k.CentralURL, &keyID, &sealed, &saved)
	if errors.Is(err, sql.ErrNoRows) {
		return k, app.Errorf(app.ENOTFOUND, "Bu terminal USB aktarımı için merkeze tanıtılmadı. Ağ varken gise enrol ile terminali yeniden kaydedin.")
	}
	if err != nil {
		return k, fmt.Errorf("bundle keys: %w", err)
	}
	plain, err := s.sealer.Open("terminal", "bundle_keys", sealed)
	if err != nil {
		return k, fmt.Errorf("bundle keys: %w", err)
	}
	var c centralKeys
	if err := json.Unmarshal(plain, &c); err != nil {
		return k, fmt.Errorf("bundle keys: %w", err)
	}
	k.KeyID, k.CentralSig, k.CentralAge, k.SavedAt = byte(keyID), c.Sig, c.Age, parseTime(saved)
	return k, nil
}

// BeginExport implements app.BundleStore.
func (s *Store) BeginExport(ctx context.Context, _ app.Actor, b app.ExportedBundle) (app.ExportedBundle, error) {
	ids, err := json.Marshal(b.Records)
	if err != nil {
		return b, err
	}
	shas, err := json.Marshal(b.Attachments)
	if err != nil {
		return b, err
	}
	err = s.bookkeep(ctx, func(tx *sql.Tx, now string) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM outbox
			WHERE id IN (SELECT value FROM json_each(?))`, string(ids)).Scan(&b.FirstSeq, &b.LastSeq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bundle_exports (id, state, file_name, created_at, first_seq, last_seq, records)
			VALUES (?, 'writing', ?, ?, ?, ?, ?)`, b.ID, b.File, timeText(b.CreatedAt), b.FirstSeq, b.LastSeq, len(b.Records)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO bundle_records (bundle_id, record_id)
			SELECT ?, value FROM json_each(?)`, b.ID, string(ids)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO bundle_attachments (bundle_id, sha256)
			SELECT ?, value FROM json_each(?)`, b.ID, string(shas))
		return err
	})
	b.State = app.BundleWriting
	return b, err
}

// FinishExport implements app.BundleStore.
func (s *Store) FinishExport(ctx context.Context, actor app.Actor, id string, ok bool) error {
	if !ok {
		return s.bookkeep(ctx, func(tx *sql.Tx, _ string) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM bundle_exports WHERE id = ? AND state = 'writing'`, id)
			return err
		})
	}
	return s.write(ctx, actor, func(w *wtx) error {
		if _, err := w.ExecContext(ctx, `UPDATE bundle_exports SET state = 'exported' WHERE id = ? AND state = 'writing'`, id); err != nil {
			return fmt.Errorf("finish export: %w", err)
		}
		return w.audit("bundle.exported", id)
	})
}

// ExportedBundle implements app.BundleStore.
func (s *Store) ExportedBundle(ctx context.Context, id string) (app.ExportedBundle, error) {
	b := app.ExportedBundle{ID: id}
	var created, answered string
	err := s.reader.QueryRowContext(ctx, `SELECT state, file_name, created_at, first_seq, last_seq, answered_at
		FROM bundle_exports WHERE id = ?`, id).Scan(&b.State, &b.File, &created, &b.FirstSeq, &b.LastSeq, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return b, app.Errorf(app.ENOTFOUND, "Bu yanıt, bu terminalin aktarmadığı bir dosyaya ait; uygulanmadı.")
	}
	if err != nil {
		return b, fmt.Errorf("exported bundle: %w", err)
	}
	b.CreatedAt, b.AnsweredAt = parseTime(created), parseTime(answered)
	if b.Records, err = s.strings(ctx, `SELECT record_id FROM bundle_records WHERE bundle_id = ?`, id); err != nil {
		return b, fmt.Errorf("exported bundle: %w", err)
	}
	if b.Attachments, err = s.strings(ctx, `SELECT sha256 FROM bundle_attachments WHERE bundle_id = ?`, id); err != nil {
		return b, fmt.Errorf("exported bundle: %w", err)
	}
	return b, nil
}

// strings returns the one text column of a query's rows, read from the
// reader pool.
func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	return queryStrings(ctx, s.reader, q, args...)
}

// ApplyReceipt implements app.BundleStore.
func (s *Store) ApplyReceipt(ctx context.Context, actor app.Actor, r app.Receipt) (app.ReceiptOutcome, error) {
	out := receiptCounts(r)
	if err := checkResults(r.Results); err != nil {
		return out, err
	}
	for _, u := range r.Updates.Updates {
		if err := validateUpdate(u); err != nil {
			return out, err
		}
	}
	err := s.write(ctx, actor, func(w *wtx) error {
		if err := bundleOpen(w, r.BundleID); err != nil {
			return err
		}
		now := timeText(w.now)
		if err := s.applyResults(ctx, w.Tx, r.Results, now); err != nil {
			return err
		}
		if err := noteFailure(ctx, w.Tx, r.Unanswered, "no answer for the record in the receipt"); err != nil {
			return err
		}
		applied, err := applyReceiptUpdates(w, r, now)
		if err != nil {
			return err
		}
		out.UpdatesSkipped = !applied && len(r.Updates.Updates) > 0
		if applied {
			out.UpdatesApplied = len(r.Updates.Updates)
		}
		if err := closeBundle(w, r, now); err != nil {
			return err
		}
		return w.audit("bundle.receipt_applied", r.BundleID)
	})
	return out, err
}

func receiptCounts(r app.Receipt) app.ReceiptOutcome {
	out := app.ReceiptOutcome{Unanswered: len(r.Unanswered)}
	for _, x := range r.Results {
		switch x.Status {
		case app.DeliveryCreated, app.DeliveryDuplicate:
			out.Delivered++
		case app.DeliveryConflict:
			out.Conflict++
		case app.DeliveryRejected:
			out.Rejected++
		}
	}
	return out
}

// bundleOpen checks, inside the receipt's transaction, that the bundle was
// exported here and is not answered yet.
func bundleOpen(w *wtx, id string) error {
	var state string
	err := w.QueryRowContext(w.ctx, `SELECT state FROM bundle_exports WHERE id = ?`, id).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return app.Errorf(app.ENOTFOUND, "Bu yanıt, bu terminalin aktarmadığı bir dosyaya ait; uygulanmadı.")
	case err != nil:
		return err
	case state == app.BundleAnswered:
		return app.Errorf(app.ECONFLICT, "Bu yanıt dosyası bu terminalde daha önce uygulandı; yeniden uygulanmadı.")
	}
	return nil
}

// applyReceiptUpdates applies the receipt's updates and cursor when the
// stored cursor is still the one they follow, and reports whether it did.
// Had online pulls moved the cursor on, they brought these updates (or
// newer ones) already: applying older ones again could undo a newer status.
func applyReceiptUpdates(w *wtx, r app.Receipt, now string) (bool, error) {
	var cursor string
	err := w.QueryRowContext(w.ctx, `SELECT value FROM sync_state WHERE key = ?`, app.SyncCursor).Scan(&cursor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if cursor != r.Since {
		return false, nil
	}
	page := r.Updates
	if page.Cursor == "" {
		page.Cursor = cursor
	}
	return true, applyPage(w.ctx, w.Tx, page, now)
}

// closeBundle marks the bundle's attachments uploaded (the central stored
// them at the import) and the bundle answered, and drops its lists.
func closeBundle(w *wtx, r app.Receipt, now string) error {
	if _, err := w.ExecContext(w.ctx, `UPDATE attachments SET uploaded_at = ? WHERE uploaded_at = ''
		AND sha256 IN (SELECT sha256 FROM bundle_attachments WHERE bundle_id = ?)`, now, r.BundleID); err != nil {
		return err
	}
	if _, err := w.ExecContext(w.ctx, `UPDATE bundle_exports SET state = 'answered', answered_at = ?, receipt_id = ?
		WHERE id = ?`, now, r.ID, r.BundleID); err != nil {
		return err
	}
	if _, err := w.ExecContext(w.ctx, `DELETE FROM bundle_records WHERE bundle_id = ?`, r.BundleID); err != nil {
		return err
	}
	_, err := w.ExecContext(w.ctx, `DELETE FROM bundle_attachments WHERE bundle_id = ?`, r.BundleID)
	return err
}

// OnUSB implements app.BundleStore.
func (s *Store) OnUSB(ctx context.Context) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(DISTINCT o.id) FROM outbox o
		JOIN bundle_records b ON b.record_id = o.id JOIN bundle_exports e ON e.id = b.bundle_id
		WHERE o.state = 'pending' AND e.state = 'exported'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("on usb: %w", err)
	}
	return n, nil
}
