package sync_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	gosync "sync"
	"testing"

	"github.com/kocasinan/gise/app"
	gsync "github.com/kocasinan/gise/sync"
)

// holdFirstBatch delays the batch holding audit event 1 until another
// batch has been answered: that one overtakes it on the wire, as batches in
// flight can.
func holdFirstBatch(next http.Handler) http.Handler {
	var once gosync.Once
	other := make(chan struct{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/batches" {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte(`"seq":1,`)) {
			<-other
		} else {
			defer once.Do(func() { close(other) })
		}
		next.ServeHTTP(w, r)
	})
}

// TestOvertakenAuditEventsAreResentInOrder: audit events that reach the
// central before the ones they follow meet an audit_gap; the terminal
// keeps them pending (not as conflicts for a supervisor) and the next
// round delivers them. The central's head comes back and is kept, and the
// gap flags close.
func TestOvertakenAuditEventsAreResentInOrder(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	store, _ := openStore(t)
	for range 4 {
		if err := store.Audit(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, "login.succeeded", "ayse"); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(holdFirstBatch(c.srv.Handler()))
	defer hs.Close()
	w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.BatchRecords, w.InFlight = 2, 2
	if err := w.Sync(ctx); err == nil {
		t.Fatal("the first round reported success with events left pending")
	}
	if open, _ := c.srv.AuditFlags(ctx, false); len(open) != 2 || open[0].Code != app.AuditConflictGap {
		t.Fatalf("flags after the overtaking batch: %+v", open)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	counts, _ := store.OutboxCounts(ctx)
	if counts.PendingTotal != 0 || counts.Conflict != 0 || counts.Delivered != 4 {
		t.Errorf("outbox %+v", counts)
	}
	if open, _ := c.srv.AuditFlags(ctx, false); len(open) != 0 {
		t.Errorf("open flags after delivery in order: %+v", open)
	}
	head, _ := c.srv.AuditHead(ctx, deviceID)
	rep, err := store.VerifyAudit(ctx)
	if err != nil || !rep.OK() || head.Seq != 4 || rep.Acked != head || rep.Outbox != 4 {
		t.Errorf("central head %+v, terminal %+v %v", head, rep, err)
	}
}
