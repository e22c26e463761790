package sqlite_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// eventHead returns the local chain's hash at seq and the id of its
// audit.event record.
func eventHead(t *testing.T, db *sql.DB, seq int64) (app.AuditHead, string) {
	t.Helper()
	h := app.AuditHead{Seq: seq}
	var id string
	if err := db.QueryRow(`SELECT e.hash, o.id FROM audit_events e JOIN outbox o ON o.subject = 'audit:' || e.seq
		WHERE e.seq = ?`, seq).Scan(&h.Hash, &id); err != nil {
		t.Fatal(err)
	}
	return h, id
}

// reopenVerify closes s, opens its file again (the Open a forger's
// `gise audit verify` does) and verifies the chain.
func reopenVerify(t *testing.T, s *sqlite.Store) app.AuditReport {
	t.Helper()
	path := s.Path()
	s.Close()
	s2, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	rep, err := s2.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestRewrittenChainFailsAfterReopen is the review's first point: the whole
// chain rewritten unkeyed with plain SHA-256, the marker, the acknowledged
// head and every audit.event record deleted. The next Open must not write a
// fresh marker that approves it.
func TestRewrittenChainFailsAfterReopen(t *testing.T) {
	s := openStore(t)
	auditN(t, s, 8)
	db := rawDB(t, s.Path())
	dropAuditTriggers(t, db)
	mustExec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 4`)
	rehashFrom(t, db, 1, true)
	mustExec(t, db, `DELETE FROM audit_keyed`, `DELETE FROM audit_acked`, `DELETE FROM outbox WHERE type = 'audit.event'`)
	rep := reopenVerify(t, s)
	if rep.OK() || !strings.Contains(rep.Problem, "keyed-from marker was removed") {
		t.Errorf("report %+v, want the removed marker named", rep)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM audit_keyed`).Scan(&n)
	if n != 0 {
		t.Error("the Open wrote a new keyed-from marker")
	}
}

// TestAckedHeadRemovedFails is the review's second point: after a
// delivery, the newest events, their outbox records and the acknowledged
// head row deleted (triggers dropped) must not pass as "no head yet".
func TestAckedHeadRemovedFails(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	auditN(t, s, 8)
	db := rawDB(t, s.Path())
	head, _ := eventHead(t, db, 8)
	recs, _, err := s.PendingBatch(ctx, 0, 100, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var res []app.DeliveryResult
	for _, r := range recs {
		res = append(res, app.DeliveryResult{ID: r.ID, Status: app.DeliveryCreated, ServerRef: "srv-" + r.ID, AuditHead: &head})
	}
	if err := s.ApplyResults(ctx, res); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AckedAuditHead(ctx); got != head {
		t.Fatalf("acknowledged head %+v, want %+v", got, head)
	}
	dropAuditTriggers(t, db)
	mustExec(t, db, `DELETE FROM audit_events WHERE seq > 5`, `DELETE FROM audit_acked`,
		`DELETE FROM outbox WHERE type = 'audit.event' AND CAST(substr(subject, 7) AS INTEGER) > 5`)
	rep := reopenVerify(t, s)
	if rep.OK() || !strings.Contains(rep.Problem, "head the central acknowledged was removed") {
		t.Errorf("report %+v, want the removed acknowledged head named", rep)
	}
}

// TestAckedHeadSeededOnFreshStore: a new store keeps sequence 0 as its
// acknowledged head from the start, so a missing row is a removed one.
func TestAckedHeadSeededOnFreshStore(t *testing.T) {
	s := openStore(t)
	var seq int64
	if err := rawDB(t, s.Path()).QueryRow(`SELECT seq FROM audit_acked WHERE id = 1`).Scan(&seq); err != nil || seq != 0 {
		t.Fatalf("seed row: seq %d, %v", seq, err)
	}
	if rep, err := s.VerifyAudit(context.Background()); err != nil || !rep.OK() {
		t.Errorf("fresh store: %+v %v", rep, err)
	}
}

// TestOutboxAuditRecordsRefuseDelete: with the triggers in place, the
// sealed audit.event copies (rows and payloads) cannot be deleted; other
// records' rows are not guarded by these triggers.
func TestOutboxAuditRecordsRefuseDelete(t *testing.T) {
	s := openStore(t)
	auditN(t, s, 3)
	db := rawDB(t, s.Path())
	for _, q := range []string{
		`DELETE FROM outbox WHERE subject = 'audit:3'`,
		`DELETE FROM outbox_payloads WHERE seq = (SELECT seq FROM outbox WHERE subject = 'audit:3')`,
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "only the retention path") {
			t.Errorf("%s: %v", q, err)
		}
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM outbox o JOIN outbox_payloads p USING (seq) WHERE o.type = 'audit.event'`).Scan(&n)
	if n != 3 {
		t.Errorf("%d audit.event records left, want 3", n)
	}
}

// TestAckedHeadOnlyFromTakenAnswers is the review's fourth point: a head
// comes only with created and duplicate answers and only when the local
// chain holds it; the refusal to move back would keep a wrong one forever.
func TestAckedHeadOnlyFromTakenAnswers(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	auditN(t, s, 4)
	db := rawDB(t, s.Path())
	head3, id3 := eventHead(t, db, 3)
	head4, id4 := eventHead(t, db, 4)
	check := func(step string, want app.AuditHead) {
		t.Helper()
		if got, err := s.AckedAuditHead(ctx); err != nil || got != want {
			t.Errorf("%s: acknowledged head %+v %v, want %+v", step, got, err, want)
		}
	}
	apply := func(rs ...app.DeliveryResult) {
		t.Helper()
		if err := s.ApplyResults(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	foreign := app.AuditHead{Seq: 90, Hash: head4.Hash}
	apply(app.DeliveryResult{ID: id4, Status: app.DeliveryConflict, Code: app.AuditConflictSeqReused, AuditHead: &foreign})
	check("a conflict's head", app.AuditHead{})
	wrong := app.AuditHead{Seq: 3, Hash: head4.Hash}
	apply(app.DeliveryResult{ID: id3, Status: app.DeliveryCreated, ServerRef: "srv-3", AuditHead: &wrong})
	check("a head the chain does not hold", app.AuditHead{})
	_, id2 := eventHead(t, db, 2)
	apply(app.DeliveryResult{ID: id2, Status: app.DeliveryDuplicate, ServerRef: "srv-2", AuditHead: &head3})
	check("a duplicate's head the chain holds", head3)
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Errorf("after the heads: %+v %v", rep, err)
	}
}

// TestUpgradeFromSchema9SeedsAckedHead: a file the previous build left at
// schema 9 (its marker written, no acknowledged head yet) gets the seed in
// migration 0010's transaction and still verifies.
func TestUpgradeFromSchema9SeedsAckedHead(t *testing.T) {
	s := openStore(t)
	auditN(t, s, 3)
	db := rawDB(t, s.Path())
	mustExec(t, db, `DROP TRIGGER audit_acked_refuse_delete`, `DELETE FROM audit_acked`,
		`DROP TRIGGER outbox_audit_refuse_delete`, `DROP TRIGGER outbox_audit_payload_refuse_delete`,
		// A schema-9 file: the migrations after 9 undone, the later ones'
		// tables too, so that the reopen applies them all again.
		`DROP TABLE bundle_attachments`, `DROP TABLE bundle_records`, `DROP TABLE bundle_exports`,
		`DROP TABLE bundle_keys`, `DELETE FROM schema_migrations WHERE version >= 10`)
	rep := reopenVerify(t, s)
	if !rep.OK() || rep.KeyedFrom != 1 {
		t.Fatalf("after the upgrade: %+v", rep)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM audit_acked WHERE seq = 0`).Scan(&n)
	if n != 1 {
		t.Error("migration 0010 did not seed the acknowledged head")
	}
}
