package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"

	"github.com/kocasinan/gise/app"
)

// triggerDef is one trigger the migrations define, as they last define it.
type triggerDef struct{ name, sql string }

var (
	createTriggerRe = regexp.MustCompile(`(?s)CREATE TRIGGER (\w+)\b.*?\nEND`)
	dropTriggerRe   = regexp.MustCompile(`DROP TRIGGER (?:IF EXISTS )?(\w+)`)
)

// schemaTriggers returns every trigger the embedded migrations leave
// defined (a later DROP or CREATE of the same name replaces an earlier
// one), sorted by name: the refusals that keep the audit chain append-only
// and queued payloads unchanged. The migrations are their only copy.
func schemaTriggers() ([]triggerDef, error) {
	list, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	defs := map[string]string{}
	for _, m := range list {
		type hit struct {
			at         int
			name, text string
		}
		var hits []hit
		for _, loc := range createTriggerRe.FindAllStringSubmatchIndex(m.sql, -1) {
			hits = append(hits, hit{loc[0], m.sql[loc[2]:loc[3]], m.sql[loc[0]:loc[1]]})
		}
		for _, loc := range dropTriggerRe.FindAllStringSubmatchIndex(m.sql, -1) {
			hits = append(hits, hit{loc[0], m.sql[loc[2]:loc[3]], ""})
		}
		sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
		for _, h := range hits {
			if h.text == "" {
				delete(defs, h.name)
			} else {
				defs[h.name] = h.text
			}
		}
	}
	out := make([]triggerDef, 0, len(defs))
	for name, text := range defs {
		out = append(out, triggerDef{name, text})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// sameSQL compares two statements with their white space folded.
func sameSQL(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// restoreTriggers runs at every Open, after the migrations: it compares
// each trigger in the file with the migrations' definition and re-creates
// one that is missing or altered, and drops a trigger no migration defines
// (one added by hand could rewrite or remove what the refusals guard). Each
// repair is logged, without personal data, and audited in the same
// transaction. `CREATE TRIGGER IF NOT EXISTS` would keep an altered one.
func (s *Store) restoreTriggers(ctx context.Context) error {
	want, err := schemaTriggers()
	if err != nil {
		return fmt.Errorf("restore triggers: %w", err)
	}
	have := map[string]string{}
	rows, err := s.writer.QueryContext(ctx, `SELECT name, COALESCE(sql, '') FROM sqlite_schema WHERE type = 'trigger'`)
	if err != nil {
		return fmt.Errorf("restore triggers: %w", err)
	}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return fmt.Errorf("restore triggers: %w", err)
		}
		have[name] = text
	}
	rows.Close()
	type repair struct{ name, state, create string }
	var todo []repair
	for _, t := range want {
		text, ok := have[t.name]
		switch {
		case !ok:
			todo = append(todo, repair{t.name, "missing", t.sql})
		case !sameSQL(text, t.sql):
			todo = append(todo, repair{t.name, "altered", t.sql})
		}
		delete(have, t.name)
	}
	for name := range have {
		todo = append(todo, repair{name, "unknown", ""})
	}
	if len(todo) == 0 {
		return nil
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].name < todo[j].name })
	return s.write(ctx, systemActor, func(w *wtx) error {
		for _, r := range todo {
			if _, err := w.ExecContext(ctx, `DROP TRIGGER IF EXISTS "`+strings.ReplaceAll(r.name, `"`, `""`)+`"`); err != nil {
				return fmt.Errorf("restore trigger %s: %w", r.name, err)
			}
			if r.create != "" {
				if _, err := w.ExecContext(ctx, r.create); err != nil {
					return fmt.Errorf("restore trigger %s: %w", r.name, err)
				}
			}
			slog.Warn("database trigger restored", "trigger", r.name, "was", r.state)
			if err := w.audit("audit.trigger_restored", r.name+":"+r.state); err != nil {
				return err
			}
		}
		return nil
	})
}

// systemActor is the audit name of what the store does by itself at Open.
var systemActor = app.Actor{Username: "system", Role: app.RoleAdmin}
