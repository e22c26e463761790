package sync_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	gsync "github.com/kocasinan/gise/sync"
)

// TestUSBMixedPaths sends the same records partly by bundle and partly
// online, in every order the issue names, with both sides closed and
// opened again from their files (a crash) between every two steps: every
// record reaches the central exactly once, and the terminal's states and
// server_refs are the central's.
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
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newUSBRig(t)
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
