package sync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	gosync "sync"
	"testing"
	"time"

	gsync "github.com/kocasinan/gise/sync"
)

// requestLog is every request a test central saw, with its arrival time.
type requestLog struct {
	mu   gosync.Mutex
	seen []seenRequest
}

type seenRequest struct {
	path string
	at   time.Time
}

func (r seenRequest) String() string { return r.path + "@" + r.at.Format("15:04:05.000") }

func (l *requestLog) add(path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, seenRequest{path, time.Now()})
}

// in returns the requests that arrived in [from, to).
func (l *requestLog) in(from, to time.Time) []seenRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []seenRequest
	for _, r := range l.seen {
		if !r.at.Before(from) && r.at.Before(to) {
			out = append(out, r)
		}
	}
	return out
}

// TestRetryAfterQuietsEveryRequest: once the central has said "come back
// in N seconds", nothing goes out before then — not the health report of
// the same round, not a round started by "Şimdi gönder" (Trigger) or by a
// new record (Notify) — and the worker comes back by itself when the wait
// ends. A Retry-After on the health report holds the next round back too.
func TestRetryAfterQuietsEveryRequest(t *testing.T) {
	const quiet = 2 * time.Second
	for _, on := range []string{"/v1/batches", "/v1/health-report"} {
		t.Run(on, func(t *testing.T) {
			c := newCentral(t)
			var log requestLog
			var mu gosync.Mutex
			refused := time.Time{}
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log.add(r.URL.Path)
				mu.Lock()
				first := r.URL.Path == on && refused.IsZero()
				if first {
					refused = time.Now()
				}
				mu.Unlock()
				if first {
					w.Header().Set("Retry-After", "2")
					http.Error(w, "slow down", http.StatusTooManyRequests)
					return
				}
				c.srv.Handler().ServeHTTP(w, r)
			}))
			defer hs.Close()
			store, path := openStore(t)
			seedOutbox(t, path, 5, 0, 0)
			w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
			if err != nil {
				t.Fatal(err)
			}
			w.BackoffBase, w.BackoffMax = 5*time.Millisecond, 20*time.Millisecond
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			w.Start(ctx)
			defer w.Stop()
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				at := refused
				mu.Unlock()
				if !at.IsZero() {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the central was never asked %s; saw %v", on, log.in(time.Time{}, time.Now()))
				}
				time.Sleep(5 * time.Millisecond)
			}
			// The clerk presses "Şimdi gönder" and new records are queued
			// all through the wait.
			for end := refused.Add(quiet - 300*time.Millisecond); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				w.Trigger()
				w.Notify()
			}
			st, err := w.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.QuietUntil.IsZero() {
				t.Errorf("the status does not say the central asked to wait: %+v", st)
			}
			// The wait starts when the client read the answer, a moment
			// after the server wrote it: allow that moment.
			if early := log.in(refused.Add(50*time.Millisecond), refused.Add(quiet-50*time.Millisecond)); len(early) > 0 {
				t.Errorf("requests inside the central's Retry-After of %v: %v", quiet, early)
			}
			for _, r := range log.in(refused, refused.Add(quiet-50*time.Millisecond)) {
				if r.path == "/v1/health-report" {
					t.Errorf("a health report went out %v into the central's Retry-After", r.at.Sub(refused))
				}
			}
			for time.Now().Before(deadline) {
				if st, _ := w.Status(ctx); st.Counts.PendingTotal == 0 && len(log.in(refused.Add(quiet), time.Now())) > 0 {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Errorf("the worker did not come back after the wait: %v", log.in(refused, time.Now()))
		})
	}
}
