package central

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kocasinan/gise/app"
)

//go:embed migrations/postgres/*.sql
var pgMigrations embed.FS

// Advisory lock keys (the two-int4 form: the first says what the second
// counts). A device's batches run one at a time across all nodes; the feed
// has one writer at a time; migrations and seeding run once.
const (
	lockDevice  = 0x47495345 // "GISE"; the second key is hashtext(device id)
	lockSingles = 0x47495346 // the second key is one of the below
	lockFeed    = 1
	lockMigrate = 2
)

// pgStore keeps the central in PostgreSQL, for any number of nodes.
//
// Exactly once across nodes rests on three things. (1) Every batch
// transaction first takes a transaction-scoped advisory lock on its device
// (pg_advisory_xact_lock): the same batch posted to two nodes at once, or a
// retry landing on a second node while the first still commits, runs after
// the other has committed, and in READ COMMITTED its lookup then sees the
// other's rows and answers duplicate with their server_refs. (2) The
// records' primary key is the backstop: rows go in with INSERT … ON
// CONFLICT DO NOTHING, and a batch whose rows were not all inserted (a
// record id another device sent, which the device lock does not cover) is
// rolled back and run again, and then answers from what is stored. (3) The
// audit chain's primary key (device, seq) does the same for chain
// positions. SERIALIZABLE would give the same guarantees but abort
// unrelated batches: UUIDv7 ids from every terminal in the same second land
// on the same index pages, which serializable isolation tracks as
// conflicts, so batches of different devices would fail and retry for
// nothing; the device lock serialises only what must be serialised.
type pgStore struct {
	pool *pgxpool.Pool

	// beforeFeedCommit, when set (tests), runs inside a feed write just
	// before it commits, to widen the window a naive feed would lose an
	// item in.
	beforeFeedCommit func()
}

// openPostgres connects and migrates. A DSN without pool_max_conns gets 16
// connections: a batch waiting for its device's lock holds one.
func openPostgres(ctx context.Context, dsn string) (*pgStore, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open central: the PostgreSQL address: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open central: %w", err)
	}
	s := &pgStore{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *pgStore) Close() error { s.pool.Close(); return nil }

// migrate applies the embedded migrations the database lacks, under a
// session advisory lock, so that nodes starting together apply each once.
func (s *pgStore) migrate(ctx context.Context) error {
	return s.single(ctx, lockMigrate, func(c *pgxpool.Conn) error {
		if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("central migrate: %w", err)
		}
		var current int
		if err := c.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return fmt.Errorf("central migrate: %w", err)
		}
		names, err := fs.Glob(pgMigrations, "migrations/postgres/*.sql")
		if err != nil {
			return err
		}
		sort.Strings(names)
		for _, name := range names {
			base := strings.TrimPrefix(name, "migrations/postgres/")
			v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
			if err != nil {
				return fmt.Errorf("central migration %s: name must start with its number", base)
			}
			if v <= current {
				continue
			}
			body, err := pgMigrations.ReadFile(name)
			if err != nil {
				return err
			}
			if err := pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, string(body)); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, v, base)
				return err
			}); err != nil {
				return fmt.Errorf("central migration %s: %w", base, err)
			}
		}
		return nil
	})
}

// single runs fn on one connection holding the session advisory lock key.
func (s *pgStore) single(ctx context.Context, key int32, fn func(*pgxpool.Conn) error) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("open central: %w", err)
	}
	defer c.Release()
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockSingles, key); err != nil {
		return err
	}
	defer c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockSingles, key)
	return fn(c)
}

func (s *pgStore) SeedOnce(ctx context.Context, seed func(context.Context) error) error {
	return s.single(ctx, lockMigrate, func(c *pgxpool.Conn) error {
		var n int
		if err := c.QueryRow(ctx, `SELECT COUNT(*) FROM categories`).Scan(&n); err != nil || n > 0 {
			return err
		}
		return seed(ctx)
	})
}

// retryable reports a failure after which the batch runs again: a key taken
// meanwhile, or PostgreSQL's own serialization failure or deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.Is(err, errRaced) || (errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01"))
}

func (s *pgStore) Batch(ctx context.Context, device string, fn func(BatchTx) error) error {
	for attempt := 0; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			return fn(&pgTx{ctx: ctx, tx: tx, device: device})
		})
		if err == nil || !retryable(err) || attempt == 5 {
			return err
		}
	}
}

type pgTx struct {
	ctx    context.Context
	tx     pgx.Tx
	device string
	refs   []int64 // numbers fetched for the batch, not used yet
}

// Load takes the device's lock and reads everything in one round trip.
func (t *pgTx) Load(q batchQuery) (batchView, error) {
	v := batchView{known: make(map[string]stored, len(q.ids)), attachments: map[string]bool{},
		head: app.AuditHead{Hash: app.GenesisHash}, links: map[int64]chainLink{}}
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockDevice, q.device)
	b.Queue(`SELECT id, fingerprint, server_ref FROM records WHERE id = ANY($1)`, q.ids).Query(func(rows pgx.Rows) error {
		return eachRow(rows, func() error {
			var id string
			var st stored
			err := rows.Scan(&id, &st.fp, &st.ref)
			v.known[id] = st
			return err
		})
	})
	if q.categories {
		v.categories = map[string]bool{}
		b.Queue(`SELECT code, active FROM categories`).Query(func(rows pgx.Rows) error {
			return eachRow(rows, func() error {
				var code string
				var active bool
				err := rows.Scan(&code, &active)
				v.categories[code] = active
				return err
			})
		})
	}
	if len(q.attachments) > 0 {
		b.Queue(`SELECT sha256 FROM attachments WHERE sha256 = ANY($1)`, q.attachments).Query(func(rows pgx.Rows) error {
			return eachRow(rows, func() error {
				var sha string
				err := rows.Scan(&sha)
				v.attachments[sha] = true
				return err
			})
		})
	}
	if len(q.auditSeqs) > 0 {
		b.Queue(`SELECT seq, hash FROM audit_chain WHERE device_id = $1 ORDER BY seq DESC LIMIT 1`, q.device).Query(
			func(rows pgx.Rows) error {
				return eachRow(rows, func() error { return rows.Scan(&v.head.Seq, &v.head.Hash) })
			})
		b.Queue(`SELECT seq, hash, prev_hash, record_id, server_ref FROM audit_chain WHERE device_id = $1 AND seq = ANY($2)`,
			q.device, q.auditSeqs).Query(func(rows pgx.Rows) error {
			return eachRow(rows, func() error {
				var seq int64
				var l chainLink
				err := rows.Scan(&seq, &l.hash, &l.prevHash, &l.recordID, &l.ref)
				v.links[seq] = l
				return err
			})
		})
	}
	err := t.tx.SendBatch(t.ctx, b).Close()
	return v, err
}

func eachRow(rows pgx.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// NextRef hands out the numbers of one nextval round trip, fetched at the
// first call for as many records as the batch may store.
func (t *pgTx) NextRef(unknown int) (int64, error) {
	if len(t.refs) == 0 {
		rows, err := t.tx.Query(t.ctx, `SELECT nextval('record_ref') FROM generate_series(1, $1)`, max(unknown, 1))
		if err != nil {
			return 0, err
		}
		if t.refs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return 0, err
		}
	}
	n := t.refs[0]
	t.refs = t.refs[1:]
	return n, nil
}

// Write stores the batch in one round trip: its records and chain links by
// unnest, so one statement text serves every batch size (and pgx prepares
// it once), each with ON CONFLICT DO NOTHING; fewer rows than sent means
// another transaction took a key, and the batch runs again.
func (t *pgTx) Write(w *batchWrite) error {
	b := &pgx.Batch{}
	var inserted, linked int64
	if n := len(w.records); n > 0 {
		ids, seqs, fps, refs, types := make([]string, n), make([]int64, n), make([]string, n), make([]string, n), make([]string, n)
		schemas, ats, datas := make([]int32, n), make([]string, n), make([]string, n)
		for i, r := range w.records {
			ids[i], seqs[i], fps[i], refs[i], types[i] = r.id, r.seq, r.fp, r.ref, r.typ
			schemas[i], ats[i], datas[i] = int32(r.schema), r.occurredAt, r.data
		}
		b.Queue(`INSERT INTO records (id, seq, fingerprint, server_ref, device_id, type, schema, occurred_at, data, received_at)
			SELECT id, seq, fp, ref, $9, typ, sch, at, data, $10
			FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])
				AS u(id, seq, fp, ref, typ, sch, at, data)
			ON CONFLICT (id) DO NOTHING`, ids, seqs, fps, refs, types, schemas, ats, datas, w.device, w.now).
			Exec(func(tag pgconn.CommandTag) error { inserted = tag.RowsAffected(); return nil })
	}
	if n := len(w.complaints); n > 0 {
		ids, codes := make([]string, n), make([]string, n)
		for i, c := range w.complaints {
			ids[i], codes[i] = c.recordID, c.trackingCode
		}
		b.Queue(`INSERT INTO complaints (record_id, tracking_code) SELECT * FROM unnest($1::text[], $2::text[])
			ON CONFLICT (record_id) DO NOTHING`, ids, codes)
	}
	if n := len(w.links); n > 0 {
		seqs, hashes, prevs, ids, refs := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, l := range w.links {
			seqs[i], hashes[i], prevs[i], ids[i], refs[i] = l.seq, l.hash, l.prevHash, l.recordID, l.ref
		}
		b.Queue(`INSERT INTO audit_chain (device_id, seq, hash, prev_hash, record_id, server_ref)
			SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
			ON CONFLICT (device_id, seq) DO NOTHING`, w.device, seqs, hashes, prevs, ids, refs).
			Exec(func(tag pgconn.CommandTag) error { linked = tag.RowsAffected(); return nil })
		b.Queue(`UPDATE audit_flags SET resolved_at = $1 WHERE device_id = $2 AND code = $3 AND resolved_at IS NULL
			AND record_id = ANY($4)`, w.now, w.device, app.AuditConflictGap, w.resolved)
	}
	for _, f := range w.flags {
		b.Queue(`INSERT INTO audit_flags (device_id, record_id, seq, code, detail, prev_hash, hash, data, first_seen, last_seen, times)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)
			ON CONFLICT (device_id, record_id, code) DO UPDATE SET last_seen = excluded.last_seen,
				times = audit_flags.times + 1, detail = excluded.detail, resolved_at = NULL`,
			w.device, f.recordID, f.seq, f.code, f.detail, f.prevHash, f.hash, f.data, w.now)
	}
	b.Queue(`UPDATE devices SET last_seen = $2 WHERE id = $1`, w.device, w.now)
	if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
		return err
	}
	if inserted != int64(len(w.records)) || linked != int64(len(w.links)) {
		return errRaced
	}
	return nil
}

func (s *pgStore) Device(ctx context.Context, id string) (string, bool, error) {
	var want string
	var revoked bool
	err := s.pool.QueryRow(ctx, `SELECT token_sha256, revoked FROM devices WHERE id = $1`, id).Scan(&want, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, errNoDevice
	}
	return want, revoked, err
}

func (s *pgStore) PutDevice(ctx context.Context, id, tokenSHA string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO devices (id, token_sha256, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET token_sha256 = excluded.token_sha256, revoked = false`, id, tokenSHA, at)
	return err
}

func (s *pgStore) RevokeDevice(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `UPDATE devices SET revoked = true WHERE id = $1`, id)
	return err
}

func (s *pgStore) PutHealth(ctx context.Context, id string, report []byte, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE devices SET health = $2, health_at = $3, last_seen = $3 WHERE id = $1`, id, string(report), at)
	return err
}

func (s *pgStore) Devices(ctx context.Context) ([]deviceRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, revoked, created_at, last_seen, health, health_at FROM devices ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var out []deviceRow
	err = eachRow(rows, func() error {
		var d deviceRow
		var seen, healthAt *time.Time
		var health *string
		if err := rows.Scan(&d.id, &d.revoked, &d.enrolledAt, &seen, &health, &healthAt); err != nil {
			return err
		}
		if seen != nil {
			d.lastSeen = *seen
		}
		if health != nil && healthAt != nil {
			d.health, d.healthAt = []byte(*health), *healthAt
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

func (s *pgStore) HasAttachment(ctx context.Context, sha string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = $1)`, sha).Scan(&ok)
	return ok, err
}

func (s *pgStore) PutAttachment(ctx context.Context, sha, mediaType string, data []byte, at time.Time) (bool, error) {
	if ok, err := s.HasAttachment(ctx, sha); ok || err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO attachments (sha256, media_type, size, stored_at, data) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (sha256) DO NOTHING`, sha, mediaType, len(data), at, data)
	return err == nil && tag.RowsAffected() == 1, err
}

func (s *pgStore) PutCategory(ctx context.Context, c Category, body []byte) error {
	return s.publish(ctx, body, `INSERT INTO categories (code, name, grp, active) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, grp = excluded.grp, active = excluded.active`,
		c.Code, c.Name, c.Group, c.Active)
}

func (s *pgStore) PutNeighbourhood(ctx context.Context, n Neighbourhood, body []byte) error {
	return s.publish(ctx, body, `INSERT INTO neighbourhoods (code, name, active) VALUES ($1, $2, $3)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active`, n.Code, n.Name, n.Active)
}

func (s *pgStore) AppendUpdate(ctx context.Context, body []byte) error {
	return s.publish(ctx, body, "")
}

func (s *pgStore) SetComplaintStatus(ctx context.Context, ref, status string, body func(id, code string) ([]byte, error)) error {
	var id, code string
	err := s.pool.QueryRow(ctx, `SELECT record_id, tracking_code FROM complaints WHERE record_id = $1 OR tracking_code = $1
		LIMIT 1`, ref).Scan(&id, &code)
	if errors.Is(err, pgx.ErrNoRows) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	b, err := body(id, code)
	if err != nil {
		return err
	}
	return s.publish(ctx, b, `UPDATE complaints SET status = $1 WHERE record_id = $2`, status, id)
}

// publish runs the optional write q and appends body to the feed in one
// transaction that holds the feed's lock from before its position is taken
// until it has committed (a transaction-scoped lock is released after the
// commit is visible). So positions are handed out in commit order: no item
// can appear below a position a reader has already seen, which a bare
// identity column does not promise (a transaction that took 7 may commit
// after one that took 8 was read).
func (s *pgStore) publish(ctx context.Context, body []byte, q string, args ...any) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockSingles, lockFeed); err != nil {
			return err
		}
		if q != "" {
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO updates (body) VALUES ($1)`, string(body)); err != nil {
			return err
		}
		if s.beforeFeedCommit != nil {
			s.beforeFeedCommit()
		}
		return nil
	})
}

func (s *pgStore) UpdatesAfter(ctx context.Context, since int64, limit int) ([]feedItem, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, body FROM updates WHERE seq > $1 ORDER BY seq LIMIT $2`, since, limit)
	if err != nil {
		return nil, err
	}
	var out []feedItem
	err = eachRow(rows, func() error {
		var it feedItem
		err := rows.Scan(&it.seq, &it.body)
		out = append(out, it)
		return err
	})
	return out, err
}

func (s *pgStore) AuditFlags(ctx context.Context, all bool) ([]AuditFlag, error) {
	rows, err := s.pool.Query(ctx, `SELECT device_id, record_id, seq, code, detail, prev_hash, hash, first_seen,
		last_seen, times, resolved_at FROM audit_flags WHERE $1 OR resolved_at IS NULL ORDER BY id DESC`, all)
	if err != nil {
		return nil, err
	}
	out := []AuditFlag{}
	err = eachRow(rows, func() error {
		var f AuditFlag
		var first, last time.Time
		var resolved *time.Time
		if err := rows.Scan(&f.DeviceID, &f.RecordID, &f.Seq, &f.Code, &f.Detail, &f.PrevHash, &f.Hash, &first,
			&last, &f.Times, &resolved); err != nil {
			return err
		}
		f.FirstSeen, f.LastSeen = first.Format(time.RFC3339), last.Format(time.RFC3339)
		if resolved != nil {
			f.ResolvedAt = resolved.Format(time.RFC3339)
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

func (s *pgStore) AuditHead(ctx context.Context, device string) (app.AuditHead, error) {
	h := app.AuditHead{Hash: app.GenesisHash}
	err := s.pool.QueryRow(ctx, `SELECT seq, hash FROM audit_chain WHERE device_id = $1 ORDER BY seq DESC LIMIT 1`,
		device).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	return h, err
}

func (s *pgStore) Lookup(ctx context.Context, id string) (StoredRecord, bool, error) {
	r := StoredRecord{ID: id}
	err := s.pool.QueryRow(ctx, `SELECT fingerprint, server_ref, device_id, type, data FROM records WHERE id = $1`, id).
		Scan(&r.Fingerprint, &r.ServerRef, &r.DeviceID, &r.Type, &r.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

func (s *pgStore) RecordCount(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM records`).Scan(&n)
	return n, err
}

func (s *pgStore) ForEachRecord(ctx context.Context, fn func(StoredRecord) error) error {
	rows, err := s.pool.Query(ctx, `SELECT id, fingerprint, server_ref, device_id, type, data FROM records ORDER BY seq`)
	if err != nil {
		return err
	}
	return eachRow(rows, func() error {
		var r StoredRecord
		if err := rows.Scan(&r.ID, &r.Fingerprint, &r.ServerRef, &r.DeviceID, &r.Type, &r.Data); err != nil {
			return err
		}
		return fn(r)
	})
}
