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

// bodyLimit stands in front of the reference central like a proxy with a
// body limit (nginx's client_max_body_size, 1 MiB by default): any request
// whose body passes limit is answered 413 and never reaches the central.
type bodyLimit struct {
	next  http.Handler
	limit int64

	mu      gosync.Mutex
	seen    int // requests but health reports
	refused int // 413s
}

func (p *bodyLimit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	limit := p.limit
	p.mu.Unlock()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	p.mu.Lock()
	if r.URL.Path != "/v1/health-report" { // one a round, not a delivery
		p.seen++
	}
	if err != nil {
		p.refused++
	}
	p.mu.Unlock()
	if err != nil {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		io.WriteString(w, "<html><body><h1>413 Request Entity Too Large</h1></body></html>")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.next.ServeHTTP(w, r)
}

func (p *bodyLimit) counts() (seen, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen, p.refused
}

// longDescription pads every seeded complaint to about 3.7 KB, so that a
// batch of 500 weighs about 1.8 MiB.
const longDescription = 1800

func TestBodyLimitBelowBatchDeliversEverything(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	proxy := &bodyLimit{next: c.srv.Handler(), limit: 1 << 20}
	hs := httptest.NewServer(proxy)
	defer hs.Close()
	store, path := openStore(t)
	s := seedOutboxSized(t, path, 2000, 97, 0, longDescription)

	w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatalf("first round: %v", err)
	}
	checkEndState(t, store, c, s)
	seen, refused := proxy.counts()
	if refused == 0 {
		t.Fatal("the proxy refused nothing: the test proves less than it says")
	}
	records, size := w.BatchLimit(ctx)
	t.Logf("first round: %d requests, %d refused; next rounds start at %d records, %d bytes", seen, refused, records, size)

	// A restart: a new worker on the same store starts at the size that
	// worked, so the proxy refuses nothing this time.
	more := seedOutboxSized(t, path, 1000, 0, 0, longDescription)
	_, before := proxy.counts()
	w2, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.Sync(ctx); err != nil {
		t.Fatalf("second round: %v", err)
	}
	if _, after := proxy.counts(); after != before {
		t.Errorf("the next round started above the remembered size: %d more 413s", after-before)
	}
	st, err := w2.Status(ctx)
	if err != nil || st.Counts.PendingTotal != 0 || st.Counts.Delivered != len(s.recs)-s.count(invalid)+len(more.recs) {
		t.Fatalf("after the second round: %+v %v", st.Counts, err)
	}
	if st.BatchRecords >= gsync.DefaultBatchRecords || st.BatchBytes > 1<<20 {
		t.Errorf("status shows batches of %d records, %d bytes; want the smaller size that worked", st.BatchRecords, st.BatchBytes)
	}
}

func (s seeded) count(k spoil) int {
	n := 0
	for _, x := range s.kinds {
		if x == k {
			n++
		}
	}
	return n
}

func TestRecordAboveBodyLimitIsKeptWithReason(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	// Small complaints (about 0.7 KB a batch of one) pass; long ones
	// (about 3.7 KB) can never pass, even alone.
	proxy := &bodyLimit{next: c.srv.Handler(), limit: 2 << 10}
	hs := httptest.NewServer(proxy)
	defer hs.Close()
	store, path := openStore(t)
	long := seedOutboxSized(t, path, 4, 0, 0, longDescription)
	short := seedOutbox(t, path, 4, 0, 0)

	w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatalf("round: %v", err)
	}
	st, _ := w.Status(ctx)
	if st.Counts.PendingTotal != 0 || st.Counts.Delivered != len(short.recs) || st.Counts.Rejected != len(long.recs) {
		t.Fatalf("counts: %+v", st.Counts)
	}
	rejected, err := store.OutboxEntries(ctx, app.OutboxRejected, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rejected {
		if e.RejectCode != "too_large" || e.RejectDetail == "" {
			t.Errorf("record %s kept as %q %q; want too_large with a reason", e.ID, e.RejectCode, e.RejectDetail)
		}
	}
	// Halving from 8 to 1 and one try each: a few dozen requests at most,
	// never a loop until the round's deadline.
	if seen, _ := proxy.counts(); seen > 30 {
		t.Errorf("%d requests for 8 records: a hot loop", seen)
	}
	seen, _ := proxy.counts()
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := proxy.counts(); again-seen > 1 { // the updates page only
		t.Errorf("a kept record was sent again: %d requests", again-seen)
	}
}

func TestAttachmentAboveBodyLimitIsKeptWithReason(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	proxy := &bodyLimit{next: c.srv.Handler(), limit: 1 << 20}
	hs := httptest.NewServer(proxy)
	defer hs.Close()
	store, path := openStore(t)
	big, err := store.SaveAttachment(ctx, "tarama.png", append(pngBytes(), make([]byte, 2<<20)...))
	if err != nil {
		t.Fatal(err)
	}
	filed := &app.Complaint{Anonymous: true, Kind: app.KindComplaint, CategoryCode: "TEM-01",
		Description: "Dilekçe taraması ekte", Channel: app.ChannelCounter, Attachments: []app.Attachment{big}}
	if err := store.FileComplaint(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, filed); err != nil {
		t.Fatal(err)
	}
	others := seedOutbox(t, path, 20, 0, 0)

	w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatalf("round: %v", err)
	}
	st, _ := w.Status(ctx)
	// The audit events of the filing go too; only the complaint is kept.
	if st.Counts.PendingTotal != 0 || st.Counts.Rejected != 1 || st.Counts.Delivered < len(others.recs) {
		t.Fatalf("counts: %+v", st.Counts)
	}
	rejected, _ := store.OutboxEntries(ctx, app.OutboxRejected, 10)
	if len(rejected) != 1 || rejected[0].Type != app.TypeComplaintFiled || rejected[0].RejectCode != "attachment_too_large" {
		t.Fatalf("rejected: %+v", rejected)
	}
	seen, _ := proxy.counts()
	if seen > 10 {
		t.Errorf("%d requests: the refused attachment was tried in a loop", seen)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := proxy.counts(); again-seen > 1 {
		t.Errorf("the refused attachment was sent again: %d requests", again-seen)
	}
}

func TestBatchSizeProbesUpAfterCleanRounds(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	proxy := &bodyLimit{next: c.srv.Handler(), limit: 100 << 10}
	hs := httptest.NewServer(proxy)
	defer hs.Close()
	store, path := openStore(t)
	seedOutboxSized(t, path, 40, 0, 0, longDescription) // about 150 KB
	w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.BatchRecords = 40
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if records, _ := w.BatchLimit(ctx); records != 20 {
		t.Fatalf("after one 413: batches of %d records, want 20", records)
	}
	// The proxy is fixed; rounds with a full batch and no 413 raise the
	// size again after ProbeAfter of them, not before.
	proxy.mu.Lock()
	proxy.limit = 8 << 20
	proxy.mu.Unlock()
	for i := range gsync.ProbeAfter {
		seedOutboxSized(t, path, 20, 0, 0, longDescription)
		if err := w.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		want := 20
		if i == gsync.ProbeAfter-1 {
			want = 40
		}
		if records, _ := w.BatchLimit(ctx); records != want {
			t.Fatalf("after %d clean rounds: batches of %d records, want %d", i+1, records, want)
		}
	}
	if _, refused := proxy.counts(); refused != 1 {
		t.Errorf("%d refusals, want the first only", refused)
	}
}
