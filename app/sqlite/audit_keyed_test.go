package sqlite_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// dropAuditTriggers removes every refusal that guards the chain, as
// someone with the file and a SQLite shell could.
func dropAuditTriggers(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	if len(names) < 8 {
		t.Fatalf("only %d triggers: %v", len(names), names)
	}
	for _, n := range names {
		if _, err := db.Exec(`DROP TRIGGER ` + n); err != nil {
			t.Fatal(err)
		}
	}
}

// rehashFrom recomputes, with plain SHA-256 (no secret needed), the hash of
// every event from seq on, as a forger who edited seq would.
func rehashFrom(t *testing.T, db *sql.DB, seq int64, unkeyed bool) {
	t.Helper()
	rows, err := db.Query(`SELECT seq, at, actor, action, object, terminal_id, terminal_ip, prev_hash FROM audit_events
		WHERE seq >= ? ORDER BY seq`, seq)
	if err != nil {
		t.Fatal(err)
	}
	var evs []app.AuditEvent
	for rows.Next() {
		var e app.AuditEvent
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &e.TerminalID, &e.TerminalIP, &e.PrevHash); err != nil {
			t.Fatal(err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		evs = append(evs, e)
	}
	rows.Close()
	prev := evs[0].PrevHash
	for _, e := range evs {
		e.PrevHash = prev
		h, err := e.ComputeHash(nil)
		if err != nil {
			t.Fatal(err)
		}
		q := `UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?`
		if unkeyed {
			q = `UPDATE audit_events SET prev_hash = ?, hash = ?, mac_key = 0 WHERE seq = ?`
		}
		if _, err := db.Exec(q, prev, h, e.Seq); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

func mustExec(t *testing.T, db *sql.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestAuditForgeriesWithoutTheKeyFail is issue 13's point 2: with the
// triggers dropped, every forgery that needs no terminal key is caught.
func TestAuditForgeriesWithoutTheKeyFail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		forge  func(t *testing.T, db *sql.DB)
		seq    int64  // the event the report must name
		phrase string // in the problem
	}{
		{"newest events deleted", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `DELETE FROM audit_events WHERE seq > 6`)
		}, 7, "the outbox holds audit.event record"},
		{"anchor moved over deleted oldest events", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `DELETE FROM audit_events WHERE seq <= 3`,
				`UPDATE audit_anchor SET seq = 3, hash = (SELECT prev_hash FROM audit_events WHERE seq = 4)`)
		}, 4, "anchor was moved"},
		{"edited and rehashed with SHA-256", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 4`)
			rehashFrom(t, db, 4, false)
		}, 4, "content does not match"},
		{"edited, rehashed and marked unkeyed", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 4`)
			rehashFrom(t, db, 4, true)
		}, 4, "not keyed"},
		{"marker moved past the forgery", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 4`)
			rehashFrom(t, db, 4, true)
			mustExec(t, db, `UPDATE audit_keyed SET from_seq = 100`)
		}, 100, "marker was changed"},
		{"marker removed", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 4`)
			rehashFrom(t, db, 4, true)
			mustExec(t, db, `DELETE FROM audit_keyed`)
		}, 0, "marker was removed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			auditN(t, s, 8)
			if rep, err := s.VerifyAudit(context.Background()); err != nil || !rep.OK() || rep.Outbox != 8 || rep.KeyedFrom != 1 {
				t.Fatalf("before: %+v %v", rep, err)
			}
			db := rawDB(t, s.Path())
			dropAuditTriggers(t, db)
			tc.forge(t, db)
			rep, err := s.VerifyAudit(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.BrokenSeq != tc.seq || !strings.Contains(rep.Problem, tc.phrase) {
				t.Errorf("report %+v, want event %d named with %q", rep, tc.seq, tc.phrase)
			}
		})
	}
}

// TestAuditOutboxCopyMustAgree edits an event and its outbox row's
// subject: the sealed payload is the witness.
func TestAuditOutboxCopyMustAgree(t *testing.T) {
	s := openStore(t)
	auditN(t, s, 3)
	db := rawDB(t, s.Path())
	dropAuditTriggers(t, db)
	// Another event's sealed payload filed under event 2.
	mustExec(t, db, `UPDATE outbox SET subject = 'audit:2' WHERE subject = 'audit:3'`)
	rep, _ := s.VerifyAudit(context.Background())
	if rep.OK() || !strings.Contains(rep.Problem, "holds event 3") {
		t.Errorf("report %+v", rep)
	}
}

// TestAuditTriggersRestoredAtOpen drops, alters and adds triggers; the next
// Open puts the migrations' definitions back, audits it, and the refusals
// hold again.
func TestAuditTriggersRestoredAtOpen(t *testing.T) {
	s := openStore(t)
	auditN(t, s, 2)
	path := s.Path()
	db := rawDB(t, path)
	mustExec(t, db, `DROP TRIGGER audit_events_refuse_update`,
		`DROP TRIGGER audit_events_refuse_delete`,
		`DROP TRIGGER audit_anchor_refuse_update`,
		`CREATE TRIGGER audit_events_sneak AFTER INSERT ON audit_events BEGIN SELECT 1; END`)
	s.Close()
	s2, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := db.Exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 1`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update after reopening: %v", err)
	}
	if _, err := db.Exec(`DELETE FROM audit_events WHERE seq = 2`); err == nil {
		t.Error("delete after reopening was allowed")
	}
	if _, err := db.Exec(`UPDATE audit_anchor SET seq = 1`); err == nil {
		t.Error("anchor move after reopening was allowed")
	}
	var sneak int
	db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE name = 'audit_events_sneak'`).Scan(&sneak)
	if sneak != 0 {
		t.Error("a trigger no migration defines survived")
	}
	var restored []string
	rows, _ := db.Query(`SELECT object FROM audit_events WHERE action = 'audit.trigger_restored' ORDER BY seq`)
	for rows.Next() {
		var o string
		rows.Scan(&o)
		restored = append(restored, o)
	}
	rows.Close()
	want := "audit_anchor_refuse_update:missing audit_events_refuse_delete:missing audit_events_refuse_update:missing audit_events_sneak:unknown"
	if strings.Join(restored, " ") != want {
		t.Errorf("audited repairs %q, want %q", restored, want)
	}
	if rep, _ := s2.VerifyAudit(context.Background()); !rep.OK() {
		t.Errorf("after repair: %+v", rep)
	}
	// A third Open finds nothing to repair.
	s2.Close()
	s3, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'audit.trigger_restored'`).Scan(&n)
	if n != 4 {
		t.Errorf("%d repairs audited after a clean open, want still 4", n)
	}
}

// TestFreshStoreNeedsNoRepair: the migrations' triggers are what the
// restore step compares with, so a new file gets no repair and no event.
func TestFreshStoreNeedsNoRepair(t *testing.T) {
	s := openStore(t)
	var n int
	rawDB(t, s.Path()).QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&n)
	if n != 0 {
		t.Errorf("a fresh store holds %d audit events", n)
	}
}

// TestUnkeyedChainMigrates builds a chain as a build before keyed links
// wrote it (plain SHA-256, schema 7) and opens it with this one: the old
// events still verify, keyed links start at the next sequence and link to
// the last unkeyed hash, and a forgery in the old part is caught by the
// first keyed event.
func TestUnkeyedChainMigrates(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/gise.db"
	if err := sqlite.CreateAtVersion(ctx, path, 7); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	prev := app.GenesisHash
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for seq := int64(1); seq <= 5; seq++ {
		e := app.AuditEvent{Seq: seq, At: at.Add(time.Duration(seq) * time.Minute), Actor: "ayse", Action: "login.succeeded",
			Object: "ayse", TerminalID: "KCS-TEST-01", PrevHash: prev}
		e.Hash, _ = e.ComputeHash(nil)
		mustExecArgs(t, db, `INSERT INTO audit_events (seq, at, actor, action, object, terminal_id, terminal_ip, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)`, e.Seq, e.At.Format(time.RFC3339Nano), e.Actor, e.Action, e.Object, e.TerminalID, e.PrevHash, e.Hash)
		prev = e.Hash
	}
	s, err := sqlite.Open(ctx, path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK() || rep.KeyedFrom != 6 || rep.LastSeq != 6 {
		t.Fatalf("migrated chain: %+v %v", rep, err)
	}
	var action, object, prevHash string
	var key int
	db.QueryRow(`SELECT action, object, prev_hash, mac_key FROM audit_events WHERE seq = 6`).Scan(&action, &object, &prevHash, &key)
	if action != "audit.keyed" || object != "from-seq-6" || prevHash != prev || key != 1 {
		t.Errorf("first keyed event: %s %s %s key %d", action, object, prevHash, key)
	}
	dropAuditTriggers(t, db)
	mustExec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`)
	rehashFrom(t, db, 2, true)
	rep, _ = s.VerifyAudit(ctx)
	if rep.OK() || rep.BrokenSeq != 6 {
		t.Errorf("forged unkeyed part: %+v", rep)
	}
}

func mustExecArgs(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

// TestAuditNotesTimeRunningBackwards: a clock set back between two events
// is reported, not failed.
func TestAuditNotesTimeRunningBackwards(t *testing.T) {
	s := openStore(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	auditN(t, s, 2)
	now = now.Add(-5 * time.Minute)
	auditN(t, s, 2)
	rep, err := s.VerifyAudit(context.Background())
	if err != nil || !rep.OK() {
		t.Fatalf("%+v %v", rep, err)
	}
	if len(rep.Backwards) != 1 || rep.Backwards[0].Seq != 3 || rep.Backwards[0].Prev.Sub(rep.Backwards[0].At) != 5*time.Minute {
		t.Errorf("backwards notes %+v", rep.Backwards)
	}
}
