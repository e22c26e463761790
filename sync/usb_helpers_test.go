package sync_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

// usbRig is a field terminal and a central, each on its own files, which
// a test may close and open again between any two steps (a crash), and a
// stick (a folder) between them.
type usbRig struct {
	t       testing.TB
	ctx     context.Context
	path    string // the terminal's database
	dir     string // the central's data folder (SQLite)
	dsn     string // the central's PostgreSQL database, when set
	stick   string
	store   *sqlite.Store
	usb     *gsync.USB
	c       *testCentral
	actor   app.Actor
	stopped bool
}

func newUSBRig(t testing.TB) *usbRig { return newUSBRigOn(t, "") }

// newUSBRigOn is newUSBRig with the central on PostgreSQL at dsn ("" for
// SQLite).
func newUSBRigOn(t testing.TB, dsn string) *usbRig {
	t.Helper()
	r := &usbRig{t: t, ctx: context.Background(), dir: t.TempDir(), dsn: dsn, stick: t.TempDir(),
		path: filepath.Join(t.TempDir(), "gise.db"), actor: app.Actor{Username: "cli:test", Role: app.RoleAdmin}}
	r.openCentral()
	token, err := r.c.srv.EnrolDevice(r.ctx, deviceID)
	if err != nil {
		t.Fatal(err)
	}
	r.c.token = token
	r.openTerminal()
	if err := gsync.RegisterBundleKeys(r.ctx, r.c.settings(r.c.http.URL), r.store, terminalKey(r.path), 1, r.actor); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	return r
}

func (r *usbRig) openCentral() {
	srv, err := central.OpenStore(r.ctx, r.dsn, r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	srv.AdminToken = "admin-secret"
	token := ""
	if r.c != nil {
		token = r.c.token
	}
	r.c = &testCentral{srv: srv, http: httptest.NewServer(srv.Handler()), token: token}
}

func (r *usbRig) openTerminal() {
	s, err := sqlite.Open(r.ctx, r.path, terminalKey(r.path))
	if err != nil {
		r.t.Fatal(err)
	}
	r.store = s
	r.usb = &gsync.USB{Store: s, Keys: terminalKey(r.path)}
}

// crash closes both sides and opens them again from their files, as a
// power cut or a killed process between two steps would leave them.
func (r *usbRig) crash() {
	r.close()
	r.stopped = false
	r.openCentral()
	r.openTerminal()
}

func (r *usbRig) close() {
	if r.stopped {
		return
	}
	r.stopped = true
	r.c.http.Close()
	r.c.srv.Close()
	r.store.Close()
}

// export writes the pending records to the stick and returns the files.
func (r *usbRig) export() []string {
	r.t.Helper()
	bs, err := r.usb.Export(r.ctx, r.actor, r.stick, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	var files []string
	for _, b := range bs {
		files = append(files, filepath.Join(r.stick, b.File))
	}
	return files
}

// importAt imports a bundle file at the central and writes the receipt
// beside it, returning the receipt's path.
func (r *usbRig) importAt(file string) string {
	r.t.Helper()
	f, err := os.Open(file)
	if err != nil {
		r.t.Fatal(err)
	}
	defer f.Close()
	out, err := r.c.srv.ImportBundle(r.ctx, f)
	if err != nil {
		r.t.Fatal(err)
	}
	path := filepath.Join(r.stick, out.ReceiptName)
	if err := os.WriteFile(path, out.Receipt, 0o600); err != nil {
		r.t.Fatal(err)
	}
	return path
}

func (r *usbRig) apply(receipt string) app.ReceiptOutcome {
	r.t.Helper()
	out, err := r.usb.ApplyReceipt(r.ctx, r.actor, receipt)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// online runs online sync rounds until one succeeds or tries run out.
func (r *usbRig) online(tries int) error {
	r.t.Helper()
	w, err := gsync.NewWorker(r.store, r.c.settings(r.c.http.URL), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	for range tries {
		if err = w.Sync(r.ctx); err == nil {
			return nil
		}
	}
	return err
}

// seedAttachments stores n attachments the way SaveAttachment does (sealed,
// named by their hash) without its fsync per file, which would make the
// 5,000-record test a minute long, and returns them.
func seedAttachments(t testing.TB, store *sqlite.Store, path string, n int) []app.Attachment {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sealer := terminalKey(path)
	out := make([]app.Attachment, n)
	for i := range n {
		data := fmt.Appendf(nil, "%%PDF-1.4\n%% dilekçe taraması %d\n%s\n%%%%EOF\n", i, uuid.NewString())
		sum := sha256.Sum256(data)
		a := app.Attachment{SHA256: hex.EncodeToString(sum[:]), MediaType: "application/pdf", Size: int64(len(data)), Name: fmt.Sprintf("tarama-%d.pdf", i)}
		sealed, err := sealer.Seal(a.SHA256, "attachment", data)
		if err != nil {
			t.Fatal(err)
		}
		p := store.AttachmentPath(a.SHA256)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, sealed, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO attachments (sha256, media_type, size) VALUES (?, ?, ?)`, a.SHA256, a.MediaType, a.Size); err != nil {
			t.Fatal(err)
		}
		out[i] = a
	}
	return out
}

// seedWithAttachments queues n complaints, the i-th naming attachment
// atts[i%len(atts)] when every > 0 and i%every == 0.
func seedWithAttachments(t testing.TB, path string, n int, atts []app.Attachment, every int) seeded {
	t.Helper()
	s := seedOutbox(t, path, 0, 0, 0)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, _ := db.Begin()
	defer tx.Rollback()
	sealer := terminalKey(path)
	at := time.Date(2026, 11, 28, 9, 58, 41, 0, time.FixedZone("+03", 3*3600))
	for i := range n {
		rec := complaintRecordSized(i, false, at.Add(time.Duration(i)*time.Second), 0)
		if every > 0 && i%every == 0 {
			rec = withAttachment(rec, atts[(i/every)%len(atts)])
		}
		sealed, _ := sealer.Seal(rec.ID, "data", rec.Data)
		if _, err := tx.Exec(`INSERT INTO outbox (id, type, schema, occurred_at, subject) VALUES (?, ?, 1, ?, ?)`,
			rec.ID, rec.Type, rec.OccurredAt.Format(time.RFC3339), "seed-"+rec.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO outbox_payloads (seq, data) VALUES (last_insert_rowid(), ?)`, sealed); err != nil {
			t.Fatal(err)
		}
		s.recs, s.kinds = append(s.recs, rec), append(s.kinds, fine)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return s
}

func withAttachment(rec app.Record, a app.Attachment) app.Record {
	var d app.ComplaintFiledData
	if err := json.Unmarshal(rec.Data, &d); err != nil {
		panic(err)
	}
	d.Attachments = []app.Attachment{a}
	rec.Data, _ = app.CanonicalJSON(d)
	return rec
}

// checkSame asserts exactly once across both paths: nothing pending at the
// terminal but, when tail > 0, the audit events of the last exchange (its
// bundle.exported and bundle.receipt_applied, which go with the next
// bundle or online), every seeded record delivered there with the server_ref the
// central gave it, and the central holding exactly the records the
// terminal has delivered, each once with the same data and server_ref.
func checkSame(t testing.TB, store *sqlite.Store, srv *central.Server, s seeded, tail int) {
	t.Helper()
	ctx := context.Background()
	counts, err := store.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.PendingTotal != counts.Pending[app.TypeAuditEvent] || counts.PendingTotal > tail || counts.Conflict != 0 || counts.Rejected != 0 {
		t.Errorf("terminal: %d pending, %d conflict, %d rejected", counts.PendingTotal, counts.Conflict, counts.Rejected)
	}
	if n, _ := store.OnUSB(ctx); n > tail {
		t.Errorf("%d records still shown on the stick", n)
	}
	delivered, err := store.OutboxEntries(ctx, app.OutboxDelivered, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]string{}
	for _, e := range delivered {
		got, ok, err := srv.Lookup(ctx, e.ID)
		if err != nil || !ok || got.Data != string(e.Data) || got.ServerRef != e.ServerRef || got.DeviceID != deviceID {
			t.Fatalf("record %s (%s): central has %+v (%v, %v), terminal %s", e.ID, e.Type, got, ok, err, e.ServerRef)
		}
		at[e.ID] = e.ServerRef
	}
	for _, r := range s.recs {
		if at[r.ID] == "" {
			t.Fatalf("seeded record %s is not delivered at the terminal", r.ID)
		}
	}
	held := 0
	refs := map[string]bool{}
	err = srv.ForEachRecord(ctx, func(r central.StoredRecord) error {
		if r.DeviceID != deviceID {
			return nil
		}
		held++
		if refs[r.ServerRef] {
			return fmt.Errorf("server_ref %s given twice", r.ServerRef)
		}
		refs[r.ServerRef] = true
		if at[r.ID] != r.ServerRef {
			return fmt.Errorf("central holds %s (%s), which the terminal does not have delivered under that ref", r.ID, r.Type)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if held != len(delivered) {
		t.Errorf("central holds %d records of the device, the terminal has %d delivered", held, len(delivered))
	}
}

// count runs a counting query on the terminal's database file.
func (r *usbRig) count(query string) int {
	r.t.Helper()
	var n int
	r.query(query, func(rows *sql.Rows) error { return rows.Scan(&n) })
	return n
}

// strings runs a query of one text column on the terminal's database file.
func (r *usbRig) strings(query string) []string {
	r.t.Helper()
	var out []string
	r.query(query, func(rows *sql.Rows) error {
		var v string
		err := rows.Scan(&v)
		out = append(out, v)
		return err
	})
	return out
}

func (r *usbRig) query(query string, row func(*sql.Rows) error) {
	r.t.Helper()
	db, err := sql.Open("sqlite", "file:"+r.path+"?_pragma=busy_timeout(5000)&mode=ro")
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		r.t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			r.t.Fatalf("%s: %v", query, err)
		}
	}
}
