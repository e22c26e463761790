package central

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The SQLite central's migrations, numbered like the terminal's and
// recorded in schema_migrations; each runs once, in its own transaction. A
// database from before the numbering has the tables of 1 already (its
// statements are idempotent) and gets 2 and 3.
var sqliteMigrations = []struct {
	version int
	name    string
	run     func(ctx context.Context, tx *sql.Tx, now time.Time) error
}{
	{1, "schema", func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		_, err := tx.ExecContext(ctx, sqliteSchema)
		return err
	}},
	{2, "rfc8785_fingerprints", recanonicalise},
	{3, "device_health", func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		_, err := tx.ExecContext(ctx, `ALTER TABLE devices ADD COLUMN last_seen TEXT NOT NULL DEFAULT '';
			ALTER TABLE devices ADD COLUMN health TEXT NOT NULL DEFAULT '';
			ALTER TABLE devices ADD COLUMN health_at TEXT NOT NULL DEFAULT ''`)
		return err
	}},
	{4, "bundles", migrateBundles},
}

const sqliteSchema = `
CREATE TABLE IF NOT EXISTS devices (
    id           TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL, -- only the token's hash is kept
    revoked      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL, -- arrival order; server_ref is made from it
    fingerprint TEXT NOT NULL,
    server_ref  TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    schema      INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    data        TEXT NOT NULL,
    received_at TEXT NOT NULL
) WITHOUT ROWID; -- one b-tree keyed by id: a stored record costs one insert
CREATE TABLE IF NOT EXISTS complaints (
    record_id     TEXT PRIMARY KEY,
    tracking_code TEXT NOT NULL,
    status        TEXT NOT NULL
) WITHOUT ROWID; -- small rows: the key is the row, one b-tree less per complaint
CREATE INDEX IF NOT EXISTS complaints_code ON complaints (tracking_code);
CREATE TABLE IF NOT EXISTS attachments (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    stored_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS categories (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    grp    TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS neighbourhoods (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_chain (
    device_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    server_ref TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_flags (
    id          INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    data        TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    times       INTEGER NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT '',
    UNIQUE (device_id, record_id, code)
);
`

func (s *sqliteStore) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("central migrate: %w", err)
	}
	applied := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("central migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("central migrate: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range sqliteMigrations {
		if applied[m.version] {
			continue
		}
		if err := s.applyMigration(ctx, m.version, m.name, m.run); err != nil {
			return fmt.Errorf("central migration %d %s: %w", m.version, m.name, err)
		}
	}
	return s.backfillChains(ctx)
}

func (s *sqliteStore) applyMigration(ctx context.Context, version int, name string,
	run func(context.Context, *sql.Tx, time.Time) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.now()
	if err := run(ctx, tx, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		version, name, now.Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// recanonicalise brings the records stored before the canonical form was
// RFC 8785 to it: a record whose stored data changes (a number written
// other than ECMAScript writes it, U+2028 or U+2029 escaped, keys beyond
// U+FFFF in byte order) gets the new form and its fingerprint, so that an
// honest redelivery by an upgraded terminal is still a duplicate.
func recanonicalise(ctx context.Context, tx *sql.Tx, _ time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, type, schema, occurred_at, data FROM records`)
	if err != nil {
		return err
	}
	type change struct{ id, fp, data string }
	var changes []change
	for rows.Next() {
		var id, typ, occurredAt, data string
		var schema int
		if err := rows.Scan(&id, &typ, &schema, &occurredAt, &data); err != nil {
			rows.Close()
			return err
		}
		canon, _, err := canonicalObject([]byte(data))
		if err != nil || string(canon) == data {
			continue // unchanged, or not an object the central could have stored
		}
		at, _ := time.Parse(time.RFC3339, occurredAt)
		changes = append(changes, change{id, fingerprint(typ, schema, at.Format(time.RFC3339), canon), string(canon)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE records SET data = ?, fingerprint = ? WHERE id = ?`, c.data, c.fp, c.id); err != nil {
			return err
		}
	}
	return nil
}

// backfillChains takes, on a central that stored audit.event records
// before it verified chains, those records as each device's chain so far:
// the first of several events stored for one sequence is kept, the others
// are flagged. It does nothing once any chain is held.
func (s *sqliteStore) backfillChains(ctx context.Context) error {
	var held bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_chain)`).Scan(&held); err != nil || held {
		return err
	}
	now := s.now().Format(time.RFC3339)
	_, err := s.db.ExecContext(ctx, `
		INSERT OR IGNORE INTO audit_chain (device_id, seq, hash, prev_hash, record_id, server_ref)
		SELECT device_id, data ->> 'seq', data ->> 'hash', data ->> 'prev_hash', id, server_ref FROM records
		WHERE type = 'audit.event' ORDER BY seq;
		INSERT OR IGNORE INTO audit_flags (device_id, record_id, seq, code, detail, prev_hash, hash, data, first_seen, last_seen, times)
		SELECT r.device_id, r.id, r.data ->> 'seq', 'audit_seq_reused',
			'stored before the central verified chains: another event holds this sequence',
			r.data ->> 'prev_hash', r.data ->> 'hash', r.data, ?1, ?1, 1
		FROM records r JOIN audit_chain c ON c.device_id = r.device_id AND c.seq = r.data ->> 'seq'
		WHERE r.type = 'audit.event' AND c.record_id <> r.id`, now)
	if err != nil {
		return fmt.Errorf("central audit backfill: %w", err)
	}
	return nil
}
