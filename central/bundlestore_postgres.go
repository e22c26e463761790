package central

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

var _ bundleStore = (*pgStore)(nil)

// The tables are migration 0002 (migrations/postgres/0002_bundles.sql).

func (s *pgStore) CentralBundleKey(ctx context.Context, create func() (string, error)) (string, error) {
	var body string
	err := s.pool.QueryRow(ctx, `SELECT body FROM central_keys WHERE id = 1`).Scan(&body)
	if !errors.Is(err, pgx.ErrNoRows) {
		return body, err
	}
	if body, err = create(); err != nil {
		return "", err
	}
	// Two nodes making keys at once: the first insert wins, both read it.
	if _, err := s.pool.Exec(ctx, `INSERT INTO central_keys (id, body) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, body); err != nil {
		return "", err
	}
	err = s.pool.QueryRow(ctx, `SELECT body FROM central_keys WHERE id = 1`).Scan(&body)
	return body, err
}

func (s *pgStore) PutDeviceKeys(ctx context.Context, device string, sign []byte, recipient string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO device_keys (device_id, sign_key, age_recipient, registered_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (device_id) DO UPDATE SET sign_key = excluded.sign_key,
		age_recipient = excluded.age_recipient, registered_at = excluded.registered_at`, device, sign, recipient, at)
	return err
}

func (s *pgStore) DeviceKeys(ctx context.Context, device string) ([]byte, string, bool, error) {
	var revoked bool
	var sign []byte
	var recipient *string
	err := s.pool.QueryRow(ctx, `SELECT d.revoked, k.sign_key, k.age_recipient FROM devices d
		LEFT JOIN device_keys k ON k.device_id = d.id WHERE d.id = $1`, device).Scan(&revoked, &sign, &recipient)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", false, errNoDevice
	}
	if err != nil || recipient == nil {
		return nil, "", revoked, err
	}
	return sign, *recipient, revoked, nil
}

func (s *pgStore) ImportedBundle(ctx context.Context, id string) (importedBundle, bool, error) {
	b := importedBundle{id: id}
	err := s.pool.QueryRow(ctx, `SELECT device_id, imported_at, records, receipt_id, receipt FROM bundles WHERE id = $1`, id).
		Scan(&b.device, &b.at, &b.records, &b.receiptID, &b.receipt)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	return b, err == nil, err
}

func (s *pgStore) PutImportedBundle(ctx context.Context, b importedBundle) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO bundles (id, device_id, imported_at, records, receipt_id, receipt)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, b.id, b.device, b.at, b.records, b.receiptID, b.receipt)
	return err == nil && tag.RowsAffected() == 1, err
}

func (s *pgStore) BundleCount(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM bundles`).Scan(&n)
	return n, err
}
