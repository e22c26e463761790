package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

const citizenColumns = `id, national_id, first_name, last_name, birth_date, phone, email,
	contact_declined, channel, clerk, created_at`

// RegisterCitizen implements app.CitizenStore.
func (s *Store) RegisterCitizen(ctx context.Context, actor app.Actor, c *app.Citizen, ack *app.NoticeAck) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if c.ID == "" {
			c.ID = newID()
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = w.now
		}
		c.Clerk = actor.Username
		_, err := w.ExecContext(ctx, `INSERT INTO citizens (`+citizenColumns+`, last_first_key, first_last_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.NationalID.Digits(), c.FirstName, c.LastName, c.BirthDate.Format(app.DateLayout),
			c.Phone, c.Email, c.ContactDeclined, string(c.Channel), c.Clerk, timeText(c.CreatedAt),
			app.FoldName(c.LastName+" "+c.FirstName), app.FoldName(c.FirstName+" "+c.LastName))
		if isUniqueViolation(err) {
			return &app.Error{Code: app.ECONFLICT, Field: "national_id",
				Message: "Bu kimlik numarasıyla kayıtlı bir vatandaş var; yeni kayıt yerine onun sayfasını açın."}
		}
		if err != nil {
			return fmt.Errorf("register citizen: %w", err)
		}
		if err := w.record(app.TypeCitizenRegistered, c.RegisteredData(s.TerminalID), c.ID); err != nil {
			return err
		}
		if ack != nil {
			ack.CitizenID = c.ID
			return w.acknowledgeNotice(ack)
		}
		return nil
	})
}

// CitizenByID implements app.CitizenStore.
func (s *Store) CitizenByID(ctx context.Context, id string) (*app.Citizen, error) {
	return s.oneCitizen(ctx, `SELECT `+citizenColumns+` FROM citizens WHERE id = ?`, id)
}

// CitizenByNationalID implements app.CitizenStore.
func (s *Store) CitizenByNationalID(ctx context.Context, n app.NationalID) (*app.Citizen, error) {
	return s.oneCitizen(ctx, `SELECT `+citizenColumns+` FROM citizens WHERE national_id = ?`, n.Digits())
}

// FindCitizensByName implements app.CitizenStore. Each of the two folded
// keys ("last first" and "first last") is searched as an index range in index
// order and the two lists are merged by the text that matched, so a
// one-letter prefix over a million citizens reads only about 2·limit rows.
func (s *Store) FindCitizensByName(ctx context.Context, prefix string, limit int) ([]*app.Citizen, error) {
	p := app.FoldName(prefix)
	if p == "" || limit <= 0 {
		return nil, nil
	}
	hi := p + "\U0010FFFF"
	byLast, err := s.citizens(ctx, `SELECT `+citizenColumns+`, last_first_key FROM citizens
		WHERE last_first_key >= ? AND last_first_key < ? ORDER BY last_first_key LIMIT ?`, p, hi, limit)
	if err != nil {
		return nil, err
	}
	byFirst, err := s.citizens(ctx, `SELECT `+citizenColumns+`, first_last_key FROM citizens
		WHERE first_last_key >= ? AND first_last_key < ? ORDER BY first_last_key LIMIT ?`, p, hi, limit)
	if err != nil {
		return nil, err
	}
	return mergeByKey(byLast, byFirst, limit), nil
}

// FindCitizensByPhone implements app.CitizenStore.
func (s *Store) FindCitizensByPhone(ctx context.Context, phone string) ([]*app.Citizen, error) {
	if phone == "" {
		return nil, nil
	}
	list, err := s.citizens(ctx, `SELECT `+citizenColumns+`, last_first_key FROM citizens
		WHERE phone = ? ORDER BY last_first_key LIMIT 50`, phone)
	if err != nil {
		return nil, err
	}
	out := make([]*app.Citizen, len(list))
	for i, k := range list {
		out[i] = k.c
	}
	return out, nil
}

type keyed struct {
	c   *app.Citizen
	key string
}

// mergeByKey merges two lists each sorted by its matched key, dropping repeats, up to limit.
func mergeByKey(a, b []keyed, limit int) []*app.Citizen {
	seen := make(map[string]bool, len(a)+len(b))
	out := make([]*app.Citizen, 0, limit)
	for len(out) < limit && (len(a) > 0 || len(b) > 0) {
		var next keyed
		if len(b) == 0 || (len(a) > 0 && a[0].key <= b[0].key) {
			next, a = a[0], a[1:]
		} else {
			next, b = b[0], b[1:]
		}
		if !seen[next.c.ID] {
			seen[next.c.ID] = true
			out = append(out, next.c)
		}
	}
	return out
}

func (s *Store) oneCitizen(ctx context.Context, query string, args ...any) (*app.Citizen, error) {
	c, err := scanCitizen(s.reader.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Bu bilgilerle kayıtlı vatandaş bulunamadı.")
	}
	return c, err
}

func (s *Store) citizens(ctx context.Context, query string, args ...any) ([]keyed, error) {
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find citizens: %w", err)
	}
	defer rows.Close()
	var out []keyed
	for rows.Next() {
		var k keyed
		k.c, err = scanCitizen(rows, &k.key)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanCitizen(row scanner, extra ...any) (*app.Citizen, error) {
	var c app.Citizen
	var nid, birth, channel, created string
	dest := append([]any{&c.ID, &nid, &c.FirstName, &c.LastName, &birth, &c.Phone, &c.Email,
		&c.ContactDeclined, &channel, &c.Clerk, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("scan citizen: %w", err)
	}
	c.NationalID = app.NationalID(nid)
	c.BirthDate, _ = time.Parse(app.DateLayout, birth)
	c.Channel = app.Channel(channel)
	c.CreatedAt = parseTime(created)
	return &c, nil
}
