package central

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

var _ bundleStore = (*sqliteStore)(nil)

// sqliteBundleSchema is the SQLite central's migration 4 (USB bundles).
const sqliteBundleSchema = `
CREATE TABLE central_keys (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL -- the central's bundle keys (bundlekeys.go); the database is 0600
);
CREATE TABLE device_keys (
    device_id     TEXT PRIMARY KEY REFERENCES devices (id),
    sign_key      BLOB NOT NULL, -- Ed25519 public key: the device signs its bundles with it
    age_recipient TEXT NOT NULL, -- receipts are encrypted to it
    registered_at TEXT NOT NULL
);
CREATE TABLE bundles (
    id          TEXT PRIMARY KEY, -- the bundle's id: a second import is a replay
    device_id   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    records     INTEGER NOT NULL,
    receipt_id  TEXT NOT NULL,
    receipt     BLOB NOT NULL     -- the receipt file, encrypted to the device
);
`

func migrateBundles(ctx context.Context, tx *sql.Tx, _ time.Time) error {
	_, err := tx.ExecContext(ctx, sqliteBundleSchema)
	return err
}

func (s *sqliteStore) CentralBundleKey(ctx context.Context, create func() (string, error)) (string, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM central_keys WHERE id = 1`).Scan(&body)
	if !errors.Is(err, sql.ErrNoRows) {
		return body, err
	}
	if body, err = create(); err != nil {
		return "", err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO central_keys (id, body) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, body); err != nil {
		return "", err
	}
	err = s.db.QueryRowContext(ctx, `SELECT body FROM central_keys WHERE id = 1`).Scan(&body)
	return body, err
}

func (s *sqliteStore) PutDeviceKeys(ctx context.Context, device string, sign []byte, recipient string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO device_keys (device_id, sign_key, age_recipient, registered_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET sign_key = excluded.sign_key,
		age_recipient = excluded.age_recipient, registered_at = excluded.registered_at`,
		device, sign, recipient, at.UTC().Format(time.RFC3339))
	return err
}

func (s *sqliteStore) DeviceKeys(ctx context.Context, device string) ([]byte, string, bool, error) {
	var revoked bool
	var sign []byte
	var recipient sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT d.revoked, k.sign_key, k.age_recipient FROM devices d
		LEFT JOIN device_keys k ON k.device_id = d.id WHERE d.id = ?`, device).Scan(&revoked, &sign, &recipient)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", false, errNoDevice
	}
	return sign, recipient.String, revoked, err
}

func (s *sqliteStore) ImportedBundle(ctx context.Context, id string) (importedBundle, bool, error) {
	b := importedBundle{id: id}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT device_id, imported_at, records, receipt_id, receipt FROM bundles WHERE id = ?`, id).
		Scan(&b.device, &at, &b.records, &b.receiptID, &b.receipt)
	if errors.Is(err, sql.ErrNoRows) {
		return b, false, nil
	}
	b.at, _ = time.Parse(time.RFC3339, at)
	return b, err == nil, err
}

func (s *sqliteStore) PutImportedBundle(ctx context.Context, b importedBundle) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.db.ExecContext(ctx, `INSERT INTO bundles (id, device_id, imported_at, records, receipt_id, receipt)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, b.id, b.device, b.at.UTC().Format(time.RFC3339), b.records, b.receiptID, b.receipt)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *sqliteStore) BundleCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bundles`).Scan(&n)
	return n, err
}
