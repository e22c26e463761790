package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

func auditN(t *testing.T, s *sqlite.Store, n int) {
	t.Helper()
	for i := range n {
		if err := s.Audit(context.Background(), clerk, "login.succeeded", "ayse-"+string(rune('a'+i%26))); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditRefusesUpdateAndDelete(t *testing.T) {
	s := openStore(t)
	auditN(t, s, 3)
	db := rawDB(t, s.Path())
	if _, err := db.Exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update of an audit event: %v", err)
	}
	for _, q := range []string{`DELETE FROM audit_events WHERE seq = 2`, `DELETE FROM audit_events WHERE seq = 1`} {
		if _, err := db.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if rep, _ := s.VerifyAudit(context.Background()); !rep.OK() || rep.Events != 3 {
		t.Errorf("chain after refused tampering: %+v", rep)
	}
}

// TestTamperedAuditRowIsNamed changes one event in the file with the refusal
// trigger dropped, as someone with the file and a SQLite shell could, and
// expects VerifyAudit to name that event.
func TestTamperedAuditRowIsNamed(t *testing.T) {
	for _, tamper := range []struct {
		name, sql string
		want      int64 // the event VerifyAudit must name
	}{
		{"actor", `UPDATE audit_events SET actor = 'mallory' WHERE seq = 4`, 4},
		{"object", `UPDATE audit_events SET object = 'someone-else' WHERE seq = 4`, 4},
		{"time", `UPDATE audit_events SET at = '2026-01-01T00:00:00Z' WHERE seq = 4`, 4},
		{"rehashed", `UPDATE audit_events SET action = 'x', hash = '` + strings.Repeat("ab", 32) + `' WHERE seq = 4`, 4},
		{"deleted", `DELETE FROM audit_events WHERE seq = 4`, 5}, // the event after the gap
	} {
		t.Run(tamper.name, func(t *testing.T) {
			s := openStore(t)
			auditN(t, s, 8)
			db := rawDB(t, s.Path())
			for _, q := range []string{`DROP TRIGGER audit_events_refuse_update`, `DROP TRIGGER audit_events_refuse_delete`, tamper.sql} {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := s.VerifyAudit(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.BrokenSeq != tamper.want || rep.Problem == "" {
				t.Errorf("report %+v, want event %d named", rep, tamper.want)
			}
		})
	}
}

// TestAuditRetentionKeepsAnchor removes the oldest events by the retention
// path and checks that the rest still verifies from the new anchor.
func TestAuditRetentionKeepsAnchor(t *testing.T) {
	s := openStore(t)
	base := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	now := base
	s.Now = func() time.Time { return now }
	for i := range 10 {
		now = base.AddDate(0, i, 0)
		auditN(t, s, 1)
	}
	now = base.AddDate(2, 6, 0)
	removed, err := s.DestroyAuditBefore(context.Background(), app.Actor{Username: "retention"}, base.AddDate(0, 4, 1))
	if err != nil || removed != 5 {
		t.Fatalf("removed %d, %v", removed, err)
	}
	rep, err := s.VerifyAudit(context.Background())
	if err != nil || !rep.OK() || rep.FirstSeq != 6 || rep.LastSeq != 11 {
		t.Fatalf("after retention: %+v %v", rep, err)
	}
	auditN(t, s, 2)
	if rep, _ := s.VerifyAudit(context.Background()); !rep.OK() || rep.LastSeq != 13 {
		t.Fatalf("after more events: %+v", rep)
	}
}
