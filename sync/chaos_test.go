package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"testing"
	"time"

	gsync "github.com/kocasinan/gise/sync"
)

// fault is one misbehaviour of the network or the central.
type fault int

const (
	passThrough    fault = iota
	cutBefore            // the connection breaks before the central sees the batch
	cutAfter             // the central commits, then the connection breaks
	error500             // 500 without reaching the central
	error500After        // the central commits, the answer is a 500
	throttled429         // 429, Retry-After in seconds
	unavailable503       // 503, Retry-After as an HTTP date
	tooLarge413          // 413 for any batch above 100 records
	slow                 // answers after the client's timeout; the central commits late
	shuffled             // results duplicated, out of order, with a stranger
	partial              // some results missing
	numFaults
)

var faultNames = [...]string{"pass", "cut-before", "cut-after", "500", "500-after-commit", "429", "503",
	"413", "slow", "duplicated-shuffled", "partial"}

// chaosProxy sits in front of the reference central and misbehaves on
// purpose until its budget of faults is spent.
type chaosProxy struct {
	next    http.Handler
	timeout time.Duration

	mu     gosync.Mutex
	rng    *rand.Rand
	budget int
	hits   map[fault]int
	// quiet are the waits the proxy asked for with Retry-After, and seen
	// every request's path and arrival, to check that the waits were kept.
	quiet []quietWindow
	seen  requestLog
}

// quietWindow is one Retry-After the proxy sent: written at from, asking
// for no request before until.
type quietWindow struct{ from, until time.Time }

func newChaosProxy(next http.Handler, budget int, timeout time.Duration) *chaosProxy {
	return &chaosProxy{next: next, timeout: timeout, rng: rand.New(rand.NewPCG(4, 2026)), budget: budget, hits: map[fault]int{}}
}

// pick draws the fault for one request; the slow ones (Retry-After costs
// real seconds) are kept rare.
func (p *chaosProxy) pick(batch bool, records int) fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.budget <= 0 || p.rng.IntN(3) == 0 {
		return passThrough
	}
	f := fault(1 + p.rng.IntN(int(numFaults)-1))
	switch {
	case !batch && (f == tooLarge413 || f == shuffled || f == partial):
		f = error500
	case f == tooLarge413 && records <= 100:
		f = cutAfter
	case (f == throttled429 || f == unavailable503) && p.hits[f] >= 2:
		f = error500After
	}
	p.budget--
	p.hits[f]++
	return f
}

func (p *chaosProxy) done() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.budget <= 0
}

func (p *chaosProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.seen.add(r.URL.Path)
	body, _ := io.ReadAll(r.Body)
	batch := r.URL.Path == "/v1/batches"
	f := p.pick(batch, bytes.Count(body, []byte(`"occurred_at"`)))
	switch f {
	case cutBefore:
		hangUp(w)
		return
	case error500:
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case throttled429:
		p.askQuiet(time.Now().Add(time.Second))
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case unavailable503:
		until := time.Now().Add(time.Second).UTC().Truncate(time.Second) // what an HTTP date can say
		p.askQuiet(until)
		w.Header().Set("Retry-After", until.Format(http.TimeFormat))
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	case tooLarge413:
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	case slow:
		time.Sleep(p.timeout + 100*time.Millisecond)
	}
	rec := p.forward(r, body)
	switch f {
	case cutAfter:
		hangUp(w)
		return
	case error500After:
		http.Error(w, "boom after commit", http.StatusInternalServerError)
		return
	case shuffled, partial:
		rec.Body = p.mangle(rec.Body.Bytes(), f == partial)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// forward hands the request to the central detached from the client, so the
// central commits even when the client has given up.
func (p *chaosProxy) forward(r *http.Request, body []byte) *httptest.ResponseRecorder {
	r2 := r.Clone(context.WithoutCancel(r.Context()))
	r2.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	p.next.ServeHTTP(rec, r2)
	return rec
}

func (p *chaosProxy) askQuiet(until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.quiet = append(p.quiet, quietWindow{time.Now(), until})
}

// broken lists the requests that came inside a wait the proxy asked for.
// Batches already on their way when the client read the answer arrive a
// moment after it was written, so the first 150 ms only count health
// reports, which the client sends after it has read every answer.
func (p *chaosProxy) broken() []string {
	p.mu.Lock()
	windows := append([]quietWindow(nil), p.quiet...)
	p.mu.Unlock()
	var out []string
	for _, q := range windows {
		for _, r := range p.seen.in(q.from, q.until.Add(-50*time.Millisecond)) {
			if r.at.After(q.from.Add(150*time.Millisecond)) || r.path == "/v1/health-report" {
				out = append(out, fmt.Sprintf("%v, %v before the end of a Retry-After", r, q.until.Sub(r.at).Round(time.Millisecond)))
			}
		}
	}
	return out
}

func (p *chaosProxy) mangle(body []byte, drop bool) *bytes.Buffer {
	var res struct {
		Results []json.RawMessage `json:"results"`
	}
	if json.Unmarshal(body, &res) != nil || len(res.Results) == 0 {
		return bytes.NewBuffer(body)
	}
	p.mu.Lock()
	p.rng.Shuffle(len(res.Results), func(i, j int) { res.Results[i], res.Results[j] = res.Results[j], res.Results[i] })
	p.mu.Unlock()
	if drop {
		res.Results = res.Results[:len(res.Results)/2]
	} else {
		res.Results = append(res.Results, res.Results[:len(res.Results)/3]...)
		res.Results = append(res.Results, json.RawMessage(`{"id":"00000000-0000-4000-8000-000000000000","status":"created","server_ref":"X"}`))
	}
	out, _ := json.Marshal(res)
	return bytes.NewBuffer(out)
}

func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("chaos: 10,000 records through a fault injector")
	}
	ctx := context.Background()
	c := newCentral(t)
	const timeout = 300 * time.Millisecond
	proxy := newChaosProxy(c.srv.Handler(), 60, timeout)
	hs := httptest.NewServer(proxy)
	defer hs.Close()
	store, path := openStore(t)
	s := seedOutbox(t, path, *queueSize, 97, 89)
	preloadConflicts(t, c, s)

	w, err := gsync.NewWorker(store, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.BackoffBase, w.BackoffMax, w.MaxRetryAfter = 5*time.Millisecond, 50*time.Millisecond, 2*time.Second
	w.RequestTimeout, w.UpdatesLimit = timeout, 2
	if err := w.SetSettings(c.settings(hs.URL)); err != nil { // picks up the request timeout
		t.Fatal(err)
	}
	deadline := time.Now().Add(90*time.Second + time.Duration(*queueSize/10_000)*time.Minute)
	for rounds := 0; ; rounds++ {
		err := w.Sync(ctx)
		st, serr := w.Status(ctx)
		if serr != nil {
			t.Fatal(serr)
		}
		if err == nil && st.Counts.PendingTotal == 0 && proxy.done() {
			t.Logf("caught up after %d rounds; faults: %v", rounds, proxy.report())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not caught up: %+v, last error %v", st.Counts, err)
		}
		if wait := time.Until(st.NextAttempt); wait > 0 {
			time.Sleep(wait)
		}
	}
	checkEndState(t, store, c, s)
	if len(proxy.quiet) == 0 {
		t.Error("the proxy never asked for a wait: the test proves less than it says")
	}
	for _, b := range proxy.broken() {
		t.Errorf("Retry-After not obeyed: %s", b)
	}
	for f := cutBefore; f < numFaults; f++ {
		if proxy.hits[f] == 0 {
			t.Errorf("fault %s never happened: the test proves less than it says", faultNames[f])
		}
	}
}

func (p *chaosProxy) report() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for f := cutBefore; f < numFaults; f++ {
		b.WriteString(faultNames[f])
		b.WriteString("=")
		b.WriteString(strings.Repeat("|", p.hits[f]))
		b.WriteString(" ")
	}
	return b.String()
}
