package sync_test

import (
	"bufio"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
	"github.com/kocasinan/gise/central"
	"github.com/kocasinan/gise/central/centraltest"
	gsync "github.com/kocasinan/gise/sync"
)

// TestUSBMixedPaths sends the same records partly by bundle and partly
// online, in every order the issue names, with both sides closed and
// opened again from their files (a crash) between every two steps: every
// record reaches the central exactly once, and the terminal's states and
// server_refs are the central's. On the SQLite central, and on PostgreSQL
// when GISE_TEST_PG is set (make test sets it).
func TestUSBMixedPaths(t *testing.T) {
	type step func(r *usbRig, m *mixed)
	export := func(r *usbRig, m *mixed) { m.files = append(m.files, r.export()...) }
	importN := func(i int) step {
		return func(r *usbRig, m *mixed) { m.receipts = append(m.receipts, r.importAt(m.files[i])) }
	}
	applyN := func(i int) step { return func(r *usbRig, m *mixed) { r.apply(m.receipts[i]) } }
	online := func(r *usbRig, _ *mixed) {
		if err := r.online(3); err != nil {
			r.t.Fatal(err)
		}
	}
	partly := func(r *usbRig, _ *mixed) { r.onlinePartly(2) }
	more := func(r *usbRig, m *mixed) { m.s.recs = append(m.s.recs, seedOutbox(r.t, r.path, 40, 0, 0).recs...) }
	cases := []struct {
		name  string
		steps []step
	}{
		{"bundle exported, all sent online, then imported and answered", []step{export, online, importN(0), applyN(0), online}},
		{"bundle exported, half sent online, then imported and answered", []step{export, partly, importN(0), applyN(0), online}},
		{"imported first, then online, then the receipt", []step{export, importN(0), online, applyN(0), online}},
		{"half online before the export", []step{partly, export, importN(0), applyN(0), online}},
		{"two bundles, the second imported and answered first", []step{export, more, export, importN(1), importN(0), applyN(1), applyN(0), online}},
		{"receipt lost, the records exported again", []step{export, importN(0), export, importN(1), applyN(1), online}},
	}
	stores := []struct {
		name string
		dsn  func(t *testing.T) string
	}{{"sqlite", func(*testing.T) string { return "" }}, {"postgres", func(t *testing.T) string { return centraltest.PostgresDSN(t) }}}
	for _, store := range stores {
		for _, c := range cases {
			t.Run(store.name+"/"+c.name, func(t *testing.T) {
				r := newUSBRigOn(t, store.dsn(t))
				m := &mixed{s: seedOutbox(t, r.path, 300, 0, 0)}
				for i, st := range c.steps {
					if i > 0 {
						r.crash()
					}
					st(r, m)
				}
				checkSame(t, r.store, r.c.srv, m.s, 0)
			})
		}
	}
}

// mixed is what the steps of one mixed-path case share.
type mixed struct {
	s        seeded
	files    []string
	receipts []string
}

// onlinePartly runs one online round that the central answers for its
// first n batches of 50 and refuses (503) after: part of the queue
// delivered, the rest pending.
func (r *usbRig) onlinePartly(n int32) {
	r.t.Helper()
	var batches atomic.Int32
	h := r.c.srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/v1/batches" && batches.Add(1) > n {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, req)
	}))
	defer hs.Close()
	w, err := gsync.NewWorker(r.store, r.c.settings(hs.URL), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	w.BatchRecords, w.InFlight = 50, 1
	if err := w.Sync(r.ctx); err == nil {
		r.t.Fatal("the partial round delivered everything")
	}
	c, _ := r.store.OutboxCounts(r.ctx)
	if c.Delivered == 0 || c.PendingTotal == 0 {
		r.t.Fatalf("partial round: %d delivered, %d pending", c.Delivered, c.PendingTotal)
	}
}

// TestUSBSplitBundlesOutOfOrder: an export too large for one file writes
// several, and the central gets them last first. The audit events of the
// later files meet a gap (audit_gap) and stay pending at the terminal, as
// an online batch that overtook another's do, instead of being kept as
// conflicts; they go online afterwards: exactly once, nothing for a
// supervisor.
func TestUSBSplitBundlesOutOfOrder(t *testing.T) {
	r := newUSBRig(t)
	s := seeded{}
	for range 4 {
		s.recs = append(s.recs, seedOutbox(t, r.path, 60, 0, 0).recs...)
		for range 3 {
			if err := r.store.Audit(r.ctx, r.actor, "test.event", "split"); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.usb.Limits = bundle.Limits{File: 40 << 10, Manifest: 1 << 20, Records: 1 << 20, Part: 1 << 20, Parts: 100}
	files := r.export()
	if len(files) < 3 {
		t.Fatalf("%d files, want several", len(files))
	}
	var receipts []string
	for i := len(files) - 1; i >= 0; i-- {
		receipts = append(receipts, r.importAt(files[i]))
	}
	gaps := 0
	for _, rc := range receipts {
		out := r.apply(rc)
		gaps += out.Unanswered
		if out.Conflict != 0 {
			t.Fatalf("receipt kept %d conflicts: %+v", out.Conflict, out)
		}
	}
	if gaps == 0 {
		t.Fatal("no audit event met a gap: the files did not arrive out of order")
	}
	r.crash()
	if err := r.online(3); err != nil {
		t.Fatal(err)
	}
	checkSame(t, r.store, r.c.srv, s, 0)
}

// TestUSBReceiptAfterOnlinePull: a receipt applied after an online round
// pulled newer updates applies its results but not its older updates, and
// leaves the cursor where the online round put it: an older page applied
// again could undo a newer status.
func TestUSBReceiptAfterOnlinePull(t *testing.T) {
	r := newUSBRig(t)
	s := seedOutbox(t, r.path, 30, 0, 0)
	file := r.export()[0]
	publish := func(name string) {
		if err := r.c.srv.PublishCategory(r.ctx, central.Category{Code: "TEM-09", Name: name, Group: "Temizlik İşleri", Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	publish("Konteyner")
	receipt := r.importAt(file) // its updates end with "Konteyner"
	publish("Konteyner ve geri dönüşüm")
	if err := r.online(3); err != nil {
		t.Fatal(err)
	}
	pulled, _ := r.store.SyncState(r.ctx, app.SyncCursor)
	out := r.apply(receipt)
	if !out.UpdatesSkipped || out.UpdatesApplied != 0 {
		t.Fatalf("receipt after the pull: %+v", out)
	}
	if now, _ := r.store.SyncState(r.ctx, app.SyncCursor); now != pulled {
		t.Fatalf("cursor moved from %q to %q", pulled, now)
	}
	if name := r.strings(`SELECT name FROM categories WHERE code = 'TEM-09'`); len(name) != 1 || name[0] != "Konteyner ve geri dönüşüm" {
		t.Fatalf("category %v", name)
	}
	checkSame(t, r.store, r.c.srv, s, 2)
}

// TestWriteAtomicInterrupted: a write that fails halfway (a stick pulled
// out) leaves neither the file nor its temporary; the next write removes
// a temporary an earlier crash left.
func TestWriteAtomicInterrupted(t *testing.T) {
	dir := t.TempDir()
	err := gsync.WriteAtomic(dir, "aktarim-x.gise", func(w *bufio.Writer) error {
		w.WriteString(strings.Repeat("yarım ", 100_000))
		w.Flush()
		return errors.New("input/output error")
	})
	if app.ErrorMessage(err) == "" || !strings.Contains(app.ErrorMessage(err), "belleğe yazılamadı") {
		t.Fatalf("error %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left %v", entries)
	}
	os.WriteFile(filepath.Join(dir, ".aktarim-eski-123.tmp"), []byte("yarım"), 0o600)
	if err := gsync.WriteAtomic(dir, "aktarim-y.gise", func(w *bufio.Writer) error { _, err := w.WriteString("tam"); return err }); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "aktarim-y.gise" {
		t.Fatalf("folder holds %v", entries)
	}
}

// TestUSBExportOneRecordAFile: limits so small that each file holds one
// record still end: the audit events marking the files exported are
// written after the reading, so an export never chases its own events.
func TestUSBExportOneRecordAFile(t *testing.T) {
	r := newUSBRig(t)
	seedOutbox(t, r.path, 5, 0, 0)
	r.usb.Limits = bundle.Limits{File: 1200, Manifest: 1 << 20, Records: 1 << 20, Part: 1 << 20, Parts: 100}
	files := r.export()
	if len(files) < 5 {
		t.Fatalf("%d files for 6 records, want about one each", len(files))
	}
	if c, _ := r.store.OutboxCounts(r.ctx); c.OnUSB != 6 || c.PendingTotal != 6+len(files) {
		t.Fatalf("after the export: %d pending, %d on USB; want the 6 and one audit event a file", c.PendingTotal, c.OnUSB)
	}
}
