package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"time"

	"github.com/kocasinan/gise/app"

	_ "modernc.org/sqlite" // the database/sql driver
)

// sqliteStore keeps the central in one SQLite file, attachments as files
// beside it. One process: writes are serialised by a mutex, which is also
// what numbers the server_refs without a gap.
type sqliteStore struct {
	db  *sql.DB
	dir string
	now func() time.Time

	mu      gosync.Mutex // serialises writes, so that server_refs follow each other
	lastRef int64
}

func sqliteDSN(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + esc + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate"
}

func openSQLite(ctx context.Context, dir string, now func() time.Time) (*sqliteStore, error) {
	if err := os.MkdirAll(filepath.Join(dir, "attachments"), 0o700); err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	path := filepath.Join(dir, "central.db")
	if err := ownerOnly(path); err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	db.SetMaxOpenConns(1)
	s := &sqliteStore{db: db, dir: dir, now: now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM records`).Scan(&s.lastRef); err != nil {
		db.Close()
		return nil, fmt.Errorf("open central: %w", err)
	}
	return s, nil
}

// ownerOnly creates the database file with mode 0600 before SQLite does
// (SQLite would follow the umask, usually 0644), and takes group and other
// access away from a file an older version left, and from its WAL and
// shared-memory files.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func (s *sqliteStore) Close() error { return s.db.Close() }

// SeedOnce: one process, so a count is enough.
func (s *sqliteStore) SeedOnce(ctx context.Context, seed func(context.Context) error) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories`).Scan(&n); err != nil || n > 0 {
		return err
	}
	return seed(ctx)
}

// Batch runs fn under the write mutex in one immediate transaction.
func (s *sqliteStore) Batch(ctx context.Context, device string, fn func(BatchTx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		bt := &sqliteTx{ctx: ctx, tx: tx, ref: s.lastRef}
		err = fn(bt)
		if err == nil {
			err = tx.Commit()
		}
		if err == nil {
			s.lastRef = bt.ref
			return nil
		}
		tx.Rollback()
		if !errors.Is(err, errRaced) || attempt == 3 {
			return err
		}
	}
}

type sqliteTx struct {
	ctx context.Context
	tx  *sql.Tx
	ref int64
}

// placeholders returns "?, ?, …" for n values and the values as arguments.
func placeholders[T any](vals []T) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", "), args
}

func (t *sqliteTx) Load(q batchQuery) (batchView, error) {
	v := batchView{known: make(map[string]stored, len(q.ids)), attachments: map[string]bool{},
		head: app.AuditHead{Hash: app.GenesisHash}, links: map[int64]chainLink{}}
	if len(q.ids) > 0 {
		ph, args := placeholders(q.ids)
		err := t.each(`SELECT id, fingerprint, server_ref FROM records WHERE id IN (`+ph+`)`, args, func(rows *sql.Rows) error {
			var id string
			var st stored
			if err := rows.Scan(&id, &st.fp, &st.ref); err != nil {
				return err
			}
			v.known[id] = st
			return nil
		})
		if err != nil {
			return v, err
		}
	}
	if q.categories {
		v.categories = map[string]bool{}
		err := t.each(`SELECT code, active FROM categories`, nil, func(rows *sql.Rows) error {
			var code string
			var active bool
			err := rows.Scan(&code, &active)
			v.categories[code] = active
			return err
		})
		if err != nil {
			return v, err
		}
	}
	if len(q.attachments) > 0 {
		ph, args := placeholders(q.attachments)
		err := t.each(`SELECT sha256 FROM attachments WHERE sha256 IN (`+ph+`)`, args, func(rows *sql.Rows) error {
			var sha string
			err := rows.Scan(&sha)
			v.attachments[sha] = true
			return err
		})
		if err != nil {
			return v, err
		}
	}
	if len(q.auditSeqs) == 0 {
		return v, nil
	}
	err := t.tx.QueryRowContext(t.ctx, `SELECT seq, hash FROM audit_chain WHERE device_id = ? ORDER BY seq DESC LIMIT 1`,
		q.device).Scan(&v.head.Seq, &v.head.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return v, err
	}
	ph, args := placeholders(q.auditSeqs)
	return v, t.each(`SELECT seq, hash, prev_hash, record_id, server_ref FROM audit_chain WHERE device_id = ? AND seq IN (`+ph+`)`,
		append([]any{q.device}, args...), func(rows *sql.Rows) error {
			var seq int64
			var l chainLink
			err := rows.Scan(&seq, &l.hash, &l.prevHash, &l.recordID, &l.ref)
			v.links[seq] = l
			return err
		})
}

func (t *sqliteTx) each(q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// NextRef counts on from the highest stored number: the mutex makes this
// the only writer.
func (t *sqliteTx) NextRef(int) (int64, error) {
	t.ref++
	return t.ref, nil
}

func (t *sqliteTx) Write(w *batchWrite) error {
	now := w.now.Format(time.RFC3339)
	recs := make([][]any, len(w.records))
	for i, r := range w.records {
		recs[i] = []any{r.seq, r.id, r.fp, r.ref, w.device, r.typ, r.schema, r.occurredAt, r.data, now}
	}
	if err := insertRows(t.ctx, t.tx, `INSERT INTO records (seq, id, fingerprint, server_ref, device_id,
		type, schema, occurred_at, data, received_at) VALUES `, recs); err != nil {
		return err
	}
	comps := make([][]any, len(w.complaints))
	for i, c := range w.complaints {
		comps[i] = []any{c.recordID, c.trackingCode}
	}
	if err := insertRows(t.ctx, t.tx, `INSERT INTO complaints (record_id, tracking_code, status) VALUES `, comps, "'received'"); err != nil {
		return err
	}
	links := make([][]any, len(w.links))
	for i, l := range w.links {
		links[i] = []any{w.device, l.seq, l.hash, l.prevHash, l.recordID, l.ref}
	}
	if err := insertRows(t.ctx, t.tx, `INSERT INTO audit_chain (device_id, seq, hash, prev_hash, record_id, server_ref) VALUES `, links); err != nil {
		return err
	}
	for _, f := range w.flags {
		if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO audit_flags (device_id, record_id, seq, code, detail, prev_hash, hash,
			data, first_seen, last_seen, times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT (device_id, record_id, code) DO UPDATE SET last_seen = excluded.last_seen, times = times + 1,
			detail = excluded.detail, resolved_at = ''`,
			w.device, f.recordID, f.seq, f.code, f.detail, f.prevHash, f.hash, f.data, now, now); err != nil {
			return err
		}
	}
	for _, id := range w.resolved {
		if _, err := t.tx.ExecContext(t.ctx, `UPDATE audit_flags SET resolved_at = ? WHERE record_id = ? AND code = ?
			AND device_id = ? AND resolved_at = ''`, now, id, app.AuditConflictGap, w.device); err != nil {
			return err
		}
	}
	_, err := t.tx.ExecContext(t.ctx, `UPDATE devices SET last_seen = ? WHERE id = ?`, now, w.device)
	return err
}

// rowsPerInsert keeps a statement's parameters (10 a record) far below
// SQLite's limit of 32,766.
const rowsPerInsert = 100

// insertRows runs head followed by one "(?, …)" group per row, for up to
// rowsPerInsert rows a statement; literal values, if any, end each group.
// A statement a row would cost the driver's round trip each time.
func insertRows(ctx context.Context, tx *sql.Tx, head string, rows [][]any, literals ...string) error {
	for len(rows) > 0 {
		n := min(len(rows), rowsPerInsert)
		var q strings.Builder
		q.WriteString(head)
		args := make([]any, 0, n*len(rows[0]))
		for i, row := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?" + strings.Repeat(", ?", len(row)-1))
			for _, l := range literals {
				q.WriteString(", " + l)
			}
			q.WriteString(")")
			args = append(args, row...)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (s *sqliteStore) Device(ctx context.Context, id string) (string, bool, error) {
	var want string
	var revoked bool
	err := s.db.QueryRowContext(ctx, `SELECT token_sha256, revoked FROM devices WHERE id = ?`, id).Scan(&want, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, errNoDevice
	}
	return want, revoked, err
}

func (s *sqliteStore) PutDevice(ctx context.Context, id, tokenSHA string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO devices (id, token_sha256, revoked, created_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (id) DO UPDATE SET token_sha256 = excluded.token_sha256, revoked = 0`, id, tokenSHA, at.Format(time.RFC3339))
	return err
}

func (s *sqliteStore) RevokeDevice(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `UPDATE devices SET revoked = 1 WHERE id = ?`, id)
	return err
}

func (s *sqliteStore) PutHealth(ctx context.Context, id string, report []byte, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := at.Format(time.RFC3339)
	_, err := s.db.ExecContext(ctx, `UPDATE devices SET health = ?, health_at = ?, last_seen = ? WHERE id = ?`,
		string(report), now, now, id)
	return err
}

func (s *sqliteStore) Devices(ctx context.Context) ([]deviceRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, revoked, created_at, last_seen, health, health_at FROM devices ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []deviceRow
	for rows.Next() {
		var d deviceRow
		var created, seen, health, healthAt string
		if err := rows.Scan(&d.id, &d.revoked, &created, &seen, &health, &healthAt); err != nil {
			return nil, err
		}
		d.enrolledAt, _ = time.Parse(time.RFC3339, created)
		d.lastSeen, _ = time.Parse(time.RFC3339, seen)
		d.healthAt, _ = time.Parse(time.RFC3339, healthAt)
		if health != "" {
			d.health = []byte(health)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *sqliteStore) HasAttachment(ctx context.Context, sha string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM attachments WHERE sha256 = ?`, sha).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// PutAttachment writes the bytes to attachments/<sha256> (by a rename, so
// a reader never sees half a file), then the row.
func (s *sqliteStore) PutAttachment(ctx context.Context, sha, mediaType string, data []byte, at time.Time) (bool, error) {
	if ok, err := s.HasAttachment(ctx, sha); ok || err != nil {
		return false, err
	}
	path := filepath.Join(s.dir, "attachments", sha)
	if err := os.WriteFile(path+".tmp", data, 0o600); err != nil {
		return false, err
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO attachments (sha256, media_type, size, stored_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`, sha, mediaType, len(data), at.Format(time.RFC3339))
	return err == nil, err
}

func (s *sqliteStore) PutCategory(ctx context.Context, c Category, body []byte) error {
	return s.publish(ctx, body, `INSERT INTO categories (code, name, grp, active) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE
		SET name = excluded.name, grp = excluded.grp, active = excluded.active`, c.Code, c.Name, c.Group, c.Active)
}

func (s *sqliteStore) PutNeighbourhood(ctx context.Context, n Neighbourhood, body []byte) error {
	return s.publish(ctx, body, `INSERT INTO neighbourhoods (code, name, active) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE
		SET name = excluded.name, active = excluded.active`, n.Code, n.Name, n.Active)
}

func (s *sqliteStore) AppendUpdate(ctx context.Context, body []byte) error {
	return s.publish(ctx, body, "")
}

func (s *sqliteStore) SetComplaintStatus(ctx context.Context, ref, status string, body func(id, code string) ([]byte, error)) error {
	var id, code string
	err := s.db.QueryRowContext(ctx, `SELECT record_id, tracking_code FROM complaints
		WHERE record_id = ? OR tracking_code = ?`, ref, ref).Scan(&id, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	b, err := body(id, code)
	if err != nil {
		return err
	}
	return s.publish(ctx, b, `UPDATE complaints SET status = ? WHERE record_id = ?`, status, id)
}

// publish runs the optional write q and appends body to the feed in one
// transaction, under the write mutex: the feed's order is its commit order.
func (s *sqliteStore) publish(ctx context.Context, body []byte, q string, args ...any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if q != "" {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO updates (body) VALUES (?)`, string(body)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqliteStore) UpdatesAfter(ctx context.Context, since int64, limit int) ([]feedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, body FROM updates WHERE seq > ? ORDER BY seq LIMIT ?`, since, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []feedItem
	for rows.Next() {
		var it feedItem
		if err := rows.Scan(&it.seq, &it.body); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func (s *sqliteStore) AuditFlags(ctx context.Context, all bool) ([]AuditFlag, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT device_id, record_id, seq, code, detail, prev_hash, hash, first_seen,
		last_seen, times, resolved_at FROM audit_flags WHERE ? OR resolved_at = '' ORDER BY id DESC`, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditFlag{}
	for rows.Next() {
		var f AuditFlag
		if err := rows.Scan(&f.DeviceID, &f.RecordID, &f.Seq, &f.Code, &f.Detail, &f.PrevHash, &f.Hash, &f.FirstSeen,
			&f.LastSeen, &f.Times, &f.ResolvedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *sqliteStore) AuditHead(ctx context.Context, device string) (app.AuditHead, error) {
	h := app.AuditHead{Hash: app.GenesisHash}
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_chain WHERE device_id = ? ORDER BY seq DESC LIMIT 1`,
		device).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return h, err
}

func (s *sqliteStore) Lookup(ctx context.Context, id string) (StoredRecord, bool, error) {
	r := StoredRecord{ID: id}
	err := s.db.QueryRowContext(ctx, `SELECT fingerprint, server_ref, device_id, type, data FROM records WHERE id = ?`, id).
		Scan(&r.Fingerprint, &r.ServerRef, &r.DeviceID, &r.Type, &r.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

func (s *sqliteStore) RecordCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM records`).Scan(&n)
	return n, err
}

func (s *sqliteStore) ForEachRecord(ctx context.Context, fn func(StoredRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, fingerprint, server_ref, device_id, type, data FROM records ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r StoredRecord
		if err := rows.Scan(&r.ID, &r.Fingerprint, &r.ServerRef, &r.DeviceID, &r.Type, &r.Data); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
