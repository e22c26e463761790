package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

const citizenColumns = `c.num, c.id, c.national_id, c.first_name, c.last_name, c.birth_date, c.phone, c.email,
	c.contact_declined, c.channel, c.clerk, c.created_at`

// RegisterCitizen implements app.CitizenStore. Every personal value is
// sealed; the national ID and phone are found again by their blind indexes,
// the name by the name index (see FindCitizensByName).
func (s *Store) RegisterCitizen(ctx context.Context, actor app.Actor, c *app.Citizen, ack *app.NoticeAck) error {
	return s.write(ctx, actor, func(w *wtx) error {
		if c.ID == "" {
			c.ID = newID()
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = w.now
		}
		c.Clerk = actor.Username
		if err := w.insertCitizen(c); err != nil {
			return err
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

func (w *wtx) insertCitizen(c *app.Citizen) error {
	s := w.s
	sl := sealing{s: s, id: c.ID}
	res, err := w.ExecContext(w.ctx, `INSERT INTO citizens (id, national_id_index, phone_index, national_id,
		first_name, last_name, birth_date, phone, email, contact_declined, channel, clerk, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, s.nationalIDIndex(c.NationalID), s.phoneIndex(c.Phone), sl.text("national_id", c.NationalID.Digits()),
		sl.text("first_name", c.FirstName), sl.text("last_name", c.LastName),
		sl.text("birth_date", c.BirthDate.Format(app.DateLayout)), sl.text("phone", c.Phone),
		sl.text("email", c.Email), c.ContactDeclined, string(c.Channel), c.Clerk, timeText(c.CreatedAt))
	if sl.err != nil {
		return fmt.Errorf("register citizen: %w", sl.err)
	}
	if isUniqueViolation(err) {
		return &app.Error{Code: app.ECONFLICT, Field: "national_id",
			Message: "Bu kimlik numarasıyla kayıtlı bir vatandaş var; yeni kayıt yerine onun sayfasını açın."}
	}
	if err != nil {
		return fmt.Errorf("register citizen: %w", err)
	}
	num, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("register citizen: %w", err)
	}
	if err := insertNameTokens(w.ctx, w, s.nameTokens(c.FirstName, c.LastName), num, int(s.sealer.ActiveKeyID())); err != nil {
		return fmt.Errorf("register citizen: %w", err)
	}
	return nil
}

// CitizenByID implements app.CitizenStore.
func (s *Store) CitizenByID(ctx context.Context, id string) (*app.Citizen, error) {
	return s.oneCitizen(ctx, `SELECT `+citizenColumns+` FROM citizens c WHERE c.id = ?`, id)
}

// CitizenByNationalID implements app.CitizenStore: an equality on the blind
// index.
func (s *Store) CitizenByNationalID(ctx context.Context, n app.NationalID) (*app.Citizen, error) {
	return s.oneCitizen(ctx, `SELECT `+citizenColumns+` FROM citizens c WHERE c.national_id_index = ?`,
		s.nationalIDIndex(n))
}

// FindCitizensByName implements app.CitizenStore through the name index:
// every even-length prefix (up to maxPrefix letters) of every word of a
// citizen's folded names is a keyed token, so a query is one b-tree range on
// the token of its longest word, with the other words' tokens checked by
// primary-key probes. What it reads is opened and checked against the whole
// query (the index matches a word on its longest even-length start). A
// query of one-letter words only finds nothing. Matching is per
// word, in any order: "ahmet yıl", "yılmaz ah" and "yıl" all find Ahmet
// Yılmaz. The keyed index cannot keep alphabetical order, so the page holds
// the first matches in registration order, sorted by name; a clerk narrows
// a long list by typing more.
func (s *Store) FindCitizensByName(ctx context.Context, prefix string, limit int) ([]*app.Citizen, error) {
	words := strings.Fields(app.FoldName(prefix))
	if len(words) == 0 || limit <= 0 {
		return nil, nil
	}
	slices.SortFunc(words, func(a, b string) int { return len([]rune(b)) - len([]rune(a)) })
	lead, ok := indexedPrefix(words[0])
	if !ok {
		return nil, nil // only one-letter words: the index cannot narrow them (the service asks for two letters)
	}
	q := `SELECT ` + citizenColumns + ` FROM citizen_names n JOIN citizens c ON c.num = n.citizen WHERE n.token = ?`
	args := []any{s.nameToken(lead)}
	exact := lead == words[0]
	for _, w := range words[1:] {
		p, ok := indexedPrefix(w)
		exact = exact && p == w
		if !ok {
			continue
		}
		q += ` AND EXISTS (SELECT 1 FROM citizen_names m WHERE m.token = ? AND m.citizen = n.citizen)`
		args = append(args, s.nameToken(p))
	}
	q += ` ORDER BY n.citizen LIMIT ? OFFSET ?`
	// When the index matched shorter prefixes than typed, some candidates
	// fail the check after opening: read more of them a page.
	batch := limit
	if !exact {
		batch = 4 * limit
	}
	var found []byName
	for page := 0; len(found) < limit && page < 20; page++ {
		list, err := s.citizens(ctx, q, append(args, batch, page*batch)...)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if len(found) == limit {
				break
			}
			// One fold for both names (FoldName is the costly part of a
			// search); the NUL between them survives it.
			first, last, _ := strings.Cut(app.FoldName(c.FirstName+"\x00"+c.LastName), "\x00")
			if matchesWords(first+" "+last, words) {
				found = append(found, byName{c, last + " " + first})
			}
		}
		if len(list) < batch {
			break
		}
	}
	return sortedByName(found), nil
}

// byName is a citizen with its folded "last first" sort key.
type byName struct {
	c   *app.Citizen
	key string
}

func sortedByName(list []byName) []*app.Citizen {
	slices.SortStableFunc(list, func(a, b byName) int { return strings.Compare(a.key, b.key) })
	out := make([]*app.Citizen, len(list))
	for i, n := range list {
		out[i] = n.c
	}
	return out
}

// matchesWords reports whether every query word starts some word of the
// citizen's folded names.
func matchesWords(folded string, words []string) bool {
	names := strings.Fields(folded)
	for _, w := range words {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	return true
}

// FindCitizensByPhone implements app.CitizenStore: an equality on the blind
// index.
func (s *Store) FindCitizensByPhone(ctx context.Context, phone string) ([]*app.Citizen, error) {
	if phone == "" {
		return nil, nil
	}
	list, err := s.citizens(ctx, `SELECT `+citizenColumns+` FROM citizens c
		WHERE c.phone_index = ? ORDER BY c.num LIMIT 50`, s.phoneIndex(phone))
	if err != nil {
		return nil, err
	}
	found := make([]byName, len(list))
	for i, c := range list {
		found[i] = byName{c, app.FoldName(c.LastName + " " + c.FirstName)}
	}
	return sortedByName(found), nil
}

func (s *Store) oneCitizen(ctx context.Context, query string, args ...any) (*app.Citizen, error) {
	c, err := s.scanCitizen(s.reader.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "Bu bilgilerle kayıtlı vatandaş bulunamadı.")
	}
	return c, err
}

func (s *Store) citizens(ctx context.Context, query string, args ...any) ([]*app.Citizen, error) {
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find citizens: %w", err)
	}
	defer rows.Close()
	var out []*app.Citizen
	for rows.Next() {
		c, err := s.scanCitizen(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

// scanCitizen reads one row of citizenColumns and opens its sealed values.
func (s *Store) scanCitizen(row scanner) (*app.Citizen, error) {
	var c app.Citizen
	var num int64
	var nid, first, last, birth, phone, email any
	var channel, created string
	if err := row.Scan(&num, &c.ID, &nid, &first, &last, &birth, &phone, &email,
		&c.ContactDeclined, &channel, &c.Clerk, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("scan citizen: %w", err)
	}
	o := opener{s: s, id: c.ID}
	c.NationalID = app.NationalID(o.text("national_id", nid))
	c.FirstName, c.LastName = o.text("first_name", first), o.text("last_name", last)
	c.BirthDate, _ = time.Parse(app.DateLayout, o.text("birth_date", birth))
	c.Phone, c.Email = o.text("phone", phone), o.text("email", email)
	if o.err != nil {
		return nil, fmt.Errorf("scan citizen: %w", o.err)
	}
	c.Channel = app.Channel(channel)
	c.CreatedAt = parseTime(created)
	return &c, nil
}
