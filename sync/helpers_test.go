package sync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/central"
	"github.com/kocasinan/gise/central/centraltest"
	gsync "github.com/kocasinan/gise/sync"
)

const deviceID = "KCS-TEST-01"

// queueSize is the number of records the chaos and kill tests queue; raise
// it for a long run: go test -run 'Chaos|TestKill$' ./sync/ -sync.records 100000
var queueSize = flag.Int("sync.records", 10_000, "records queued by the chaos and kill tests")

// testCentral is a reference central on loopback with one enrolled device.
type testCentral struct {
	srv   *central.Server
	http  *httptest.Server
	token string
}

func newCentral(t testing.TB) *testCentral { return newCentralOn(t, "sqlite") }

// newCentralOn is newCentral on the given store: "sqlite", or "postgres"
// (skipped when GISE_TEST_PG is unset).
func newCentralOn(t testing.TB, store string) *testCentral {
	t.Helper()
	var srv *central.Server
	var err error
	if store == "postgres" {
		srv, err = central.OpenPostgres(context.Background(), centraltest.PostgresDSN(t))
	} else {
		srv, err = central.Open(context.Background(), t.TempDir())
	}
	if err != nil {
		t.Fatal(err)
	}
	srv.AdminToken = "admin-secret"
	token, err := srv.EnrolDevice(context.Background(), deviceID)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return &testCentral{srv: srv, http: hs, token: token}
}

func (c *testCentral) settings(url string) gsync.Settings {
	return gsync.Settings{BaseURL: url, DeviceID: deviceID, Token: c.token}
}

// openStore opens a fresh terminal store on a real file.
func openStore(t testing.TB) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gise.db")
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// spoil says how seeded record i is made bad on purpose.
type spoil int

const (
	fine     spoil = iota
	invalid        // names a retired category: the central rejects it
	conflict       // another device already delivered its id with other data
)

// seeded is what the tests know about the records they queued.
type seeded struct {
	recs  []app.Record
	kinds []spoil
}

// seedOutbox queues n complaint.filed records straight into the store's
// outbox table in one transaction (the domain path would take minutes for
// 10,000 records), sealed with the terminal key as the store seals them.
// Every invalidEvery-th record is invalid and every conflictEvery-th
// conflicting (0 for none).
func seedOutbox(t testing.TB, path string, n, invalidEvery, conflictEvery int) seeded {
	t.Helper()
	return seedOutboxSized(t, path, n, invalidEvery, conflictEvery, 0)
}

// seedOutboxSized is seedOutbox with every description padded by pad
// characters (a long hand-written complaint), so that batches weigh more.
func seedOutboxSized(t testing.TB, path string, n, invalidEvery, conflictEvery, pad int) seeded {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// Each record about its own subject, as on a terminal.
	st, err := tx.Prepare(`INSERT INTO outbox (id, type, schema, occurred_at, subject) VALUES (?, ?, 1, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := tx.Prepare(`INSERT INTO outbox_payloads (seq, data) VALUES (last_insert_rowid(), ?)`)
	if err != nil {
		t.Fatal(err)
	}
	sealer := terminalKey(path)
	var out seeded
	at := time.Date(2026, 11, 28, 9, 58, 41, 0, time.FixedZone("+03", 3*3600))
	for i := range n {
		kind := fine
		switch {
		case invalidEvery > 0 && i%invalidEvery == invalidEvery-1:
			kind = invalid
		case conflictEvery > 0 && i%conflictEvery == conflictEvery-1:
			kind = conflict
		}
		rec := complaintRecordSized(i, kind == invalid, at.Add(time.Duration(i)*time.Second), pad)
		sealed, err := sealer.Seal(rec.ID, "data", rec.Data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Exec(rec.ID, rec.Type, rec.OccurredAt.Format(time.RFC3339), "seed-"+rec.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := payload.Exec(sealed); err != nil {
			t.Fatal(err)
		}
		out.recs, out.kinds = append(out.recs, rec), append(out.kinds, kind)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return out
}

func complaintRecordSized(i int, retired bool, at time.Time, pad int) app.Record {
	cat := "TEM-01"
	if retired {
		cat = "ZB-99"
	}
	d := app.ComplaintFiledData{
		ComplaintID: uuid.Must(uuid.NewV7()).String(), TrackingCode: fmt.Sprintf("K7Q-%03d-%03d", i/1000, i%1000),
		Kind: "complaint", CategoryCode: cat, Description: fmt.Sprintf("Sokak lambası yanmıyor (%d). Çöp konteyneri dolu, ğüşıöç.", i) + strings.Repeat("ş", pad),
		Address: "Mimarsinan Mah. 1. Sk. No: 3", NeighbourhoodCode: "MAH-001", Channel: "counter",
		Attachments: []app.Attachment{}, Clerk: "ayse", TerminalID: deviceID,
	}
	data, _ := app.CanonicalJSON(d)
	return app.Record{ID: uuid.Must(uuid.NewV7()).String(), Type: app.TypeComplaintFiled, Schema: 1, OccurredAt: at, Data: data}
}

// preloadConflicts delivers, as another device, a different payload under
// the id of every record seeded as conflicting.
func preloadConflicts(t testing.TB, c *testCentral, s seeded) {
	t.Helper()
	ctx := context.Background()
	token, err := c.srv.EnrolDevice(ctx, "KCS-OTHER-01")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := gsync.NewClient(gsync.Settings{BaseURL: c.http.URL, DeviceID: "KCS-OTHER-01", Token: token}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var other []app.Record
	for i, r := range s.recs {
		if s.kinds[i] == conflict {
			r.Data = json.RawMessage(`{"description":"başka bir terminalin kaydı"}`)
			r.Type = app.TypeCitizenUpdated
			other = append(other, r)
		}
	}
	for len(other) > 0 {
		n := min(len(other), 500)
		body, _ := cl.MarshalBatch(uuid.NewString(), other[:n], time.Now())
		if _, err := cl.PostBatch(ctx, "pre", body); err != nil {
			t.Fatal(err)
		}
		other = other[n:]
	}
}

// checkEndState asserts the end state: every valid record at the
// central exactly once with identical data and its server_ref at the
// terminal, nothing pending, and the conflict and rejected lists holding
// exactly the spoiled records.
func checkEndState(t testing.TB, store *sqlite.Store, c *testCentral, s seeded) {
	t.Helper()
	ctx := context.Background()
	counts, err := store.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.PendingTotal != 0 {
		t.Errorf("%d records still pending", counts.PendingTotal)
	}
	want := map[spoil]map[string]bool{fine: {}, invalid: {}, conflict: {}}
	for i, r := range s.recs {
		want[s.kinds[i]][r.ID] = true
	}
	for state, kind := range map[app.OutboxState]spoil{app.OutboxRejected: invalid, app.OutboxConflict: conflict} {
		list, err := store.OutboxEntries(ctx, state, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, e := range list {
			got[e.ID] = true
			if !want[kind][e.ID] {
				t.Errorf("%s list holds %s, which was not spoiled that way", state, e.ID)
			}
		}
		if len(got) != len(want[kind]) {
			t.Errorf("%s list: %d records, want %d", state, len(got), len(want[kind]))
		}
	}
	mine := 0
	err = c.srv.ForEachRecord(ctx, func(r central.StoredRecord) error {
		if r.DeviceID == deviceID {
			mine++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if mine != len(want[fine]) {
		t.Errorf("central holds %d records of this terminal, want exactly %d", mine, len(want[fine]))
	}
	delivered, err := store.OutboxEntries(ctx, app.OutboxDelivered, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(delivered) != len(want[fine]) {
		t.Errorf("%d delivered at the terminal, want %d", len(delivered), len(want[fine]))
	}
	for _, e := range delivered {
		got, ok, err := c.srv.Lookup(ctx, e.ID)
		if err != nil || !ok || got.Data != string(e.Data) || got.ServerRef != e.ServerRef || got.DeviceID != deviceID {
			t.Fatalf("record %s: central has %+v (%v, %v), terminal %s %s", e.ID, got, ok, err, e.ServerRef, e.Data)
		}
	}
}

// terminalKey returns the terminal key kept beside the database at path,
// as main keeps it, so that a reopened store (or a child process) opens
// what an earlier one sealed.
func terminalKey(path string) *keys.Sealer {
	s, err := keys.LoadOrCreate(keys.DefaultPath(filepath.Dir(path)))
	if err != nil {
		panic(err)
	}
	return s
}
