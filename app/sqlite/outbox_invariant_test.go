package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// rawDB opens the store's file directly, as a program other than Gişe would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openedDB returns a database in memory holding the store's outbox with its
// payloads opened (as the table "outbox", with id, type and data) and the
// store's file attached, so that every other table name reaches the file:
// the tests' SQL over record payloads works on the sealed store.
func openedDB(t testing.TB, s *sqlite.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE outbox (id TEXT, type TEXT, data TEXT); ATTACH DATABASE ? AS store`, s.Path()); err != nil {
		t.Fatal(err)
	}
	for _, st := range []app.OutboxState{app.OutboxPending, app.OutboxDelivered, app.OutboxConflict, app.OutboxRejected, app.OutboxClosed} {
		list, err := s.OutboxEntries(context.Background(), st, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			if _, err := db.Exec(`INSERT INTO outbox VALUES (?, ?, ?)`, e.ID, e.Type, string(e.Data)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// writeOneOfEach makes every kind of domain write once.
func writeOneOfEach(t *testing.T, s *sqlite.Store, seed int) {
	t.Helper()
	ctx := context.Background()
	c := citizen(t, seed, "Işık", "Çağlar")
	ack := &app.NoticeAck{Version: 1, SHA256: sha64, Language: "tr", Delivery: app.NoticeScreen}
	if err := s.RegisterCitizen(ctx, clerk, c, ack); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordIdentityCheck(ctx, clerk, &app.IdentityCheck{CitizenID: c.ID, Method: app.MethodIDCard,
		SerialLast4: "a12b", Result: app.Verified}); err != nil {
		t.Fatal(err)
	}
	if err := s.AcknowledgeNotice(ctx, clerk, &app.NoticeAck{Version: 1, SHA256: sha64, Language: "en",
		Delivery: app.NoticePrinted, PrintJob: "PDF-7"}); err != nil {
		t.Fatal(err)
	}
	if err := s.FileComplaint(ctx, clerk, complaint(c.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, clerk, "login.succeeded", "ayse"); err != nil {
		t.Fatal(err)
	}
}

const sha64 = "5f2b1f8b9c0f2c2f4c9d0c5f8a7e6d5c4b3a291817161514131211100f0e0d0c"

func complaint(citizenID string) *app.Complaint {
	return &app.Complaint{
		CitizenID: citizenID, Anonymous: citizenID == "", Kind: app.KindComplaint, CategoryCode: "TEM-01",
		Description: "Sokağımızdaki çöp konteyneri üç gündür boşaltılmadı.", Address: "Yenidoğan Mah. 12. Sok.",
		NeighbourhoodCode: "YENIDOGAN", Channel: app.ChannelPaper, PaperRef: "EVR-2026/1183",
		PaperDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
	}
}

// TestEveryWriteHasItsOutboxRecord checks the invariant both ways: each
// domain row has exactly one outbox record naming it, each audit event has its
// audit.event record, and nothing else is queued.
func TestEveryWriteHasItsOutboxRecord(t *testing.T) {
	s := openStore(t)
	for i := range 5 {
		writeOneOfEach(t, s, 100+i)
	}
	db := openedDB(t, s)
	pairs := []struct{ table, idCol, recType, dataKey string }{
		{"citizens", "id", app.TypeCitizenRegistered, "citizen_id"},
		{"complaints", "id", app.TypeComplaintFiled, "complaint_id"},
		{"complaints", "tracking_code", app.TypeComplaintFiled, "tracking_code"},
	}
	for _, p := range pairs {
		rows := count(t, db, "SELECT COUNT(*) FROM "+p.table)
		matched := count(t, db, `SELECT COUNT(*) FROM `+p.table+` d JOIN outbox o
			ON o.type = ? AND json_extract(o.data, '$.'||?) = d.`+p.idCol, p.recType, p.dataKey)
		queued := count(t, db, `SELECT COUNT(*) FROM outbox WHERE type = ?`, p.recType)
		if p.idCol == "tracking_code" {
			// stored without dashes, sent with them
			matched = count(t, db, `SELECT COUNT(*) FROM complaints d JOIN outbox o ON o.type = ?
				AND replace(json_extract(o.data, '$.tracking_code'), '-', '') = d.tracking_code`, p.recType)
		}
		if rows != 5 || matched != rows || queued != rows {
			t.Errorf("%s: %d rows, %d matched records, %d queued", p.table, rows, matched, queued)
		}
	}
	if n, q := count(t, db, `SELECT COUNT(*) FROM identity_checks`), count(t, db, `SELECT COUNT(*) FROM outbox WHERE type = ?`, app.TypeIdentityVerified); n != 5 || q != 5 {
		t.Errorf("identity checks %d, queued %d", n, q)
	}
	if n, q := count(t, db, `SELECT COUNT(*) FROM notice_acks`), count(t, db, `SELECT COUNT(*) FROM outbox WHERE type = ?`, app.TypeNoticeAcknowledged); n != 10 || q != 10 {
		t.Errorf("notice acks %d, queued %d", n, q)
	}
	events := count(t, db, `SELECT COUNT(*) FROM audit_events`)
	audited := count(t, db, `SELECT COUNT(*) FROM audit_events a JOIN outbox o ON o.type = 'audit.event'
		AND json_extract(o.data, '$.hash') = a.hash`)
	domain := count(t, db, `SELECT COUNT(*) FROM outbox WHERE type <> 'audit.event'`)
	if events != audited || events != domain+5 { // +5: the login events have no domain record
		t.Errorf("%d audit events, %d queued as records, %d domain records", events, audited, domain)
	}
	var data string
	if err := db.QueryRow(`SELECT data FROM outbox WHERE type = ?`, app.TypeCitizenRegistered).Scan(&data); err != nil {
		t.Fatal(err)
	}
	canon, _ := app.CanonicalJSON(json.RawMessage(data))
	if string(canon) != data {
		t.Errorf("queued data is not canonical:\n%s\n%s", data, canon)
	}
}

// TestRolledBackWriteLeavesNothing fails a registration after the citizen row
// and its record were written inside the transaction (the notice
// acknowledgement is invalid), and finds neither afterwards.
func TestRolledBackWriteLeavesNothing(t *testing.T) {
	s := openStore(t)
	c := citizen(t, 7, "Ayşe", "Öztürk")
	bad := &app.NoticeAck{Version: 1, SHA256: sha64, Language: "de", Delivery: app.NoticeScreen}
	if err := s.RegisterCitizen(context.Background(), clerk, c, bad); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("register with a bad acknowledgement: %v", err)
	}
	db := rawDB(t, s.Path())
	for _, table := range []string{"citizens", "notice_acks", "outbox", "audit_events"} {
		if n := count(t, db, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("%s holds %d rows after a rolled-back write", table, n)
		}
	}
	if _, err := s.CitizenByNationalID(context.Background(), c.NationalID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("citizen after rollback: %v", err)
	}
}

func TestQueuedPayloadNeverChanges(t *testing.T) {
	s := openStore(t)
	writeOneOfEach(t, s, 3)
	db := rawDB(t, s.Path())
	if _, err := db.Exec(`UPDATE outbox_payloads SET data = '{}' WHERE seq = 1`); err == nil {
		t.Error("the outbox payload was changed")
	}
	if _, err := db.Exec(`UPDATE outbox SET type = 'complaint.filed' WHERE seq = 1`); err == nil {
		t.Error("the type of a queued record was changed")
	}
	if _, err := db.Exec(`UPDATE outbox_payloads SET seq = 1000 WHERE seq = 1`); err == nil {
		t.Error("a payload was moved to another record")
	}
	if _, err := db.Exec(`UPDATE outbox SET state = 'delivered', server_ref = 'X' WHERE seq = 1`); err != nil {
		t.Errorf("delivery state must stay writable: %v", err)
	}
}

func TestMigrationsFromEmptyAndReopen(t *testing.T) {
	path := t.TempDir() + "/gise.db"
	ctx := context.Background()
	for range 3 {
		s, err := sqlite.Open(ctx, path, terminalKey(path))
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("schema version %d, %v", v, err)
		}
		if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
			t.Fatalf("integrity: %q %v", res, err)
		}
		s.Close()
	}
	db := rawDB(t, path)
	if n, m := count(t, db, `SELECT COUNT(*) FROM schema_migrations`), count(t, db, `SELECT MAX(version) FROM schema_migrations`); n != m {
		t.Errorf("%d migrations recorded, newest %d: each must be applied once", n, m)
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q %v", mode, err)
	}
}
