package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/kocasinan/gise/app"
)

// sealedColumn is one sealed column: its name in the table and the column
// name sealed into the associated data (the same but for older code).
type sealedColumn struct{ db, ad string }

// sealedTable names the sealed columns of one table, the unique column the
// re-seal walks it by, and the SQL expression of its rows' record id.
type sealedTable struct {
	name, key, id string
	intKey        bool
	cols          []sealedColumn
}

func cols(names ...string) []sealedColumn {
	out := make([]sealedColumn, len(names))
	for i, n := range names {
		out[i] = sealedColumn{n, n}
	}
	return out
}

// sealedTables is every sealed value the store holds. A new sealed column
// must be added here, or a key rotation would leave it behind.
var sealedTables = []sealedTable{
	{name: "citizens", key: "num", id: "id", intKey: true,
		cols: cols("national_id", "first_name", "last_name", "birth_date", "phone", "email")},
	{name: "complaints", key: "id", id: "id", cols: cols("description", "address", "attachments")},
	{name: "identity_checks", key: "id", id: "id", cols: cols("note")},
	{name: "data_subject_requests", key: "id", id: "id", cols: cols("detail", "reply_address", "answer")},
	{name: "outbox_payloads", key: "seq", id: "(SELECT id FROM outbox o WHERE o.seq = outbox_payloads.seq)",
		intKey: true, cols: cols("data")},
	{name: "print_jobs", key: "id", id: "id", cols: cols("pdf")},
	{name: "accounts", key: "id", id: "id", cols: cols("totp_secret")},
	{name: "terminal_enrolment", key: "id", id: "'terminal'", intKey: true,
		cols: []sealedColumn{{"token_sealed", "enrolment_token"}}},
}

// resealBatchSize is how many rows one re-seal transaction handles;
// afterResealBatch, when set (by tests), runs after each batch commits and
// stops the run with its error, as a crash would.
var (
	resealBatchSize  = 256
	afterResealBatch func(table string) error
)

// reseal brings every sealed value to the active terminal key: it seals
// plaintext that an older schema left, re-seals values of an older key, and
// recomputes the blind indexes and name index from what it opens. Each batch
// commits with its progress, so a crash resumes where it stopped; a marker
// row says when everything is sealed with the active key, which makes the
// check at every Open one query. Rewritten pages are then VACUUMed away.
func (s *Store) reseal(ctx context.Context) error {
	active := int(s.sealer.ActiveKeyID())
	var done int
	err := s.writer.QueryRowContext(ctx, `SELECT key_id FROM reseal_progress WHERE tbl = '*'`).Scan(&done)
	if err == nil && done == active {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("reseal: %w", err)
	}
	var changed int
	for _, t := range sealedTables {
		n, err := s.resealTable(ctx, t, active)
		if err != nil {
			return fmt.Errorf("reseal %s: %w", t.name, err)
		}
		changed += n
	}
	n, err := s.resealAttachments(ctx)
	if err != nil {
		return err
	}
	changed += n
	err = s.write(ctx, app.Actor{Username: "system", Role: app.RoleAdmin}, func(w *wtx) error {
		if _, err := w.ExecContext(ctx, `DELETE FROM citizen_names WHERE key_id <> ?`, active); err != nil {
			return err
		}
		if _, err := w.ExecContext(ctx, `DELETE FROM reseal_progress`); err != nil {
			return err
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO reseal_progress (tbl, key_id, after) VALUES ('*', ?, '')`, active); err != nil {
			return err
		}
		if changed == 0 {
			return nil
		}
		return w.audit("kvkk.resealed", "key-"+strconv.Itoa(active))
	})
	if err != nil {
		return fmt.Errorf("reseal: %w", err)
	}
	if changed > 0 {
		return s.Vacuum(ctx)
	}
	return nil
}

// resealTable walks one table in batches and returns how many rows it
// rewrote.
func (s *Store) resealTable(ctx context.Context, t sealedTable, active int) (int, error) {
	var after string
	var keyID int
	err := s.writer.QueryRowContext(ctx, `SELECT key_id, after FROM reseal_progress WHERE tbl = ?`, t.name).Scan(&keyID, &after)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if keyID != active {
		after = ""
	}
	changed := 0
	for {
		n, last, err := s.resealBatch(ctx, t, active, after)
		if err != nil || last == "" {
			return changed, err
		}
		if afterResealBatch != nil {
			if err := afterResealBatch(t.name); err != nil {
				return changed, err
			}
		}
		changed, after = changed+n, last
	}
}

// resealRow is one row of a batch: its key, record id and sealed values.
type resealRow struct {
	key, id string
	vals    []any
	changed bool
}

// resealBatch re-seals up to resealBatchSize rows after the given key in one
// transaction with its progress; it returns the last key done ("" when the
// table is finished).
func (s *Store) resealBatch(ctx context.Context, t sealedTable, active int, after string) (int, string, error) {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, "", err
	}
	defer tx.Rollback()
	rows, err := s.batchRows(ctx, tx, t, after)
	if err != nil || len(rows) == 0 {
		return 0, "", err
	}
	if t.name == "outbox_payloads" {
		if _, err := tx.ExecContext(ctx, `UPDATE reseal_gate SET open = 1 WHERE id = 1`); err != nil {
			return 0, "", err
		}
	}
	changed := 0
	for _, r := range rows {
		if err := s.resealValues(t, &r); err != nil {
			return 0, "", err
		}
		if !r.changed {
			continue
		}
		changed++
		if err := s.updateSealed(ctx, tx, t, r); err != nil {
			return 0, "", err
		}
	}
	last := rows[len(rows)-1].key
	if _, err := tx.ExecContext(ctx, `UPDATE reseal_gate SET open = 0 WHERE id = 1`); err != nil {
		return 0, "", err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reseal_progress (tbl, key_id, after) VALUES (?, ?, ?)
		ON CONFLICT (tbl) DO UPDATE SET key_id = excluded.key_id, after = excluded.after`, t.name, active, last); err != nil {
		return 0, "", err
	}
	return changed, last, tx.Commit()
}

func (s *Store) batchRows(ctx context.Context, tx *sql.Tx, t sealedTable, after string) ([]resealRow, error) {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.db
	}
	cond, arg := t.key+" > ?", any(after)
	if t.intKey {
		n, _ := strconv.ParseInt(after, 10, 64)
		if after == "" {
			n = -1 << 62
		}
		arg = n
	}
	rows, err := tx.QueryContext(ctx, `SELECT CAST(`+t.key+` AS TEXT), `+t.id+`, `+strings.Join(names, ", ")+
		` FROM `+t.name+` WHERE `+cond+` ORDER BY `+t.key+` LIMIT ?`, arg, resealBatchSize)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []resealRow
	for rows.Next() {
		r := resealRow{vals: make([]any, len(t.cols))}
		dest := []any{&r.key, &r.id}
		for i := range r.vals {
			dest = append(dest, &r.vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// resealValues seals plaintext and re-seals values of an older key in r.
func (s *Store) resealValues(t sealedTable, r *resealRow) error {
	for i, v := range r.vals {
		col := t.cols[i].ad
		switch {
		case v == nil:
		case !isSealed(v):
			var plain []byte
			switch v := v.(type) {
			case string:
				plain = []byte(v)
			case []byte:
				plain = v
			default:
				return fmt.Errorf("%s of %s: unexpected %T", col, r.id, v)
			}
			b, err := s.sealer.Seal(r.id, col, plain)
			if err != nil {
				return err
			}
			r.vals[i], r.changed = b, true
		case s.sealer.NeedsReseal(v.([]byte)):
			b, err := s.sealer.Reseal(r.id, col, v.([]byte))
			if err != nil {
				return err
			}
			r.vals[i], r.changed = b, true
		}
	}
	return nil
}

func (s *Store) updateSealed(ctx context.Context, tx *sql.Tx, t sealedTable, r resealRow) error {
	set := make([]string, len(t.cols))
	for i, c := range t.cols {
		set[i] = c.db + " = ?"
	}
	args := append(append([]any{}, r.vals...), r.key)
	if _, err := tx.ExecContext(ctx, `UPDATE `+t.name+` SET `+strings.Join(set, ", ")+` WHERE CAST(`+t.key+` AS TEXT) = ?`,
		args...); err != nil {
		return err
	}
	if t.name != "citizens" {
		return nil
	}
	o := opener{s: s, id: r.id}
	nid, first, last, phone := o.text("national_id", r.vals[0]), o.text("first_name", r.vals[1]),
		o.text("last_name", r.vals[2]), o.text("phone", r.vals[4])
	if o.err != nil {
		return o.err
	}
	num, _ := strconv.ParseInt(r.key, 10, 64)
	if _, err := tx.ExecContext(ctx, `UPDATE citizens SET national_id_index = ?, phone_index = ? WHERE num = ?`,
		s.nationalIDIndex(app.NationalID(nid)), s.phoneIndex(phone), num); err != nil {
		return err
	}
	return insertNameTokens(ctx, tx, s.nameTokens(first, last), num, int(s.sealer.ActiveKeyID()))
}

// insertNameTokens adds a citizen's rows to the name index.
func insertNameTokens(ctx context.Context, tx execer, tokens [][]byte, num int64, keyID int) error {
	if len(tokens) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT OR REPLACE INTO citizen_names (token, citizen, key_id) VALUES `)
	args := make([]any, 0, 3*len(tokens))
	for i, tok := range tokens {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?)")
		args = append(args, tok, num, keyID)
	}
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}

// resealAttachments seals attachment files still in plaintext (a file
// whose hash is its name) and re-seals those of an older key.
func (s *Store) resealAttachments(ctx context.Context) (int, error) {
	rows, err := s.writer.QueryContext(ctx, `SELECT sha256 FROM attachments ORDER BY sha256`)
	if err != nil {
		return 0, fmt.Errorf("reseal attachments: %w", err)
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reseal attachments: %w", err)
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	changed := 0
	for _, h := range hashes {
		b, err := os.ReadFile(s.AttachmentPath(h))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return changed, fmt.Errorf("reseal attachments: %w", err)
		}
		sum := sha256.Sum256(b)
		var out []byte
		switch {
		case hex.EncodeToString(sum[:]) == h:
			out, err = s.sealer.Seal(h, "attachment", b)
		case s.sealer.NeedsReseal(b):
			out, err = s.sealer.Reseal(h, "attachment", b)
		default:
			continue
		}
		if err == nil {
			err = writeFileSync(s.AttachmentPath(h), out)
		}
		if err != nil {
			return changed, fmt.Errorf("reseal attachment %s: %w", h[:8], err)
		}
		changed++
	}
	return changed, nil
}
