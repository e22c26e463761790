package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/central"
	"github.com/kocasinan/gise/central/centraltest"
	"github.com/kocasinan/gise/internal/outboxseed"
	gsync "github.com/kocasinan/gise/sync"
)

// centralNode is one `gise central --db …` process.
type centralNode struct {
	cmd *exec.Cmd
	url string
	log *os.File
}

// startNode starts a central node on dsn at a free loopback port and waits
// until it answers /v1/health. The DSN goes by the environment, as an
// operator should pass a password.
func startNode(t testing.TB, bin, dsn string) *centralNode {
	t.Helper()
	return startNodeArgs(t, bin, nil, "GISE_CENTRAL_DB="+dsn)
}

// startNodeArgs starts gise central with the store's flags and environment.
func startNodeArgs(t testing.TB, bin string, storeArgs []string, env ...string) *centralNode {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logf, err := os.CreateTemp(t.TempDir(), "node-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"--data-dir", t.TempDir(), "central", "--listen", addr}, storeArgs...)...)
	cmd.Env = append(os.Environ(), append([]string{"GISE_CENTRAL_ADMIN_TOKEN=adm"}, env...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &centralNode{cmd: cmd, url: "http://" + addr, log: logf}
	t.Cleanup(n.kill)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(n.url + "/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return n
			}
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logf.Name())
			t.Fatalf("node on %s did not start: %v\n%s", addr, err, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the node with SIGKILL (nothing flushed, nothing said goodbye).
func (n *centralNode) kill() {
	if n.cmd.ProcessState == nil {
		n.cmd.Process.Signal(syscall.SIGKILL)
		n.cmd.Wait()
	}
}

// balancer stands in front of the nodes as a load balancer does: it
// forwards to one node, and after that node is taken out, to another. With
// a second node set (hedge), it also sends every batch to that node at the
// same moment, as a balancer that retries a slow request elsewhere does,
// waits for both answers and passes one of them on, in turn: the terminal
// then sees, for half the batches, the answer of the node that lost the
// race to store them.
type balancer struct {
	target   atomic.Pointer[url.URL]
	hedge    atomic.Pointer[url.URL]
	inFlight atomic.Int64 // batch posts being forwarded now
	turn     atomic.Int64
	srv      *http.Server
	url      string
}

// hedged posts the batch to both nodes at once and answers with one of
// the two answers (a node that did not answer is skipped).
func (b *balancer) hedged(w http.ResponseWriter, r *http.Request, second *url.URL) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	type answer struct {
		status int
		header http.Header
		body   []byte
	}
	answers := make([]*answer, 2)
	var wg gosync.WaitGroup
	for i, u := range []*url.URL{b.target.Load(), second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(r.Context(), r.Method, u.String()+r.URL.RequestURI(), bytes.NewReader(body))
			req.Header = r.Header.Clone()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err == nil {
				answers[i] = &answer{resp.StatusCode, resp.Header, b}
			}
		}()
	}
	wg.Wait()
	pick := answers[b.turn.Add(1)%2]
	if pick == nil || pick.status != http.StatusOK {
		pick = answers[0]
		if answers[0] == nil || answers[0].status != http.StatusOK {
			pick = answers[1]
		}
	}
	if pick == nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	for k, v := range pick.header {
		w.Header()[k] = v
	}
	w.WriteHeader(pick.status)
	w.Write(pick.body)
}

func newBalancer(t testing.TB, first string) *balancer {
	t.Helper()
	b := &balancer{}
	b.point(first)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(b.target.Load())
	}, ErrorLog: nil}
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/batches" {
			b.inFlight.Add(1)
			defer b.inFlight.Add(-1)
			if second := b.hedge.Load(); second != nil {
				b.hedged(w, r, second)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	})}
	go b.srv.Serve(l)
	t.Cleanup(func() { b.srv.Close() })
	b.url = "http://" + l.Addr().String()
	return b
}

func (b *balancer) point(to string) {
	u, _ := url.Parse(to)
	b.target.Store(u)
}

// hedgeTo sets the second node every batch also goes to.
func (b *balancer) hedgeTo(to string) {
	u, _ := url.Parse(to)
	b.hedge.Store(u)
}

// terminal is a real terminal store with queued records and the real sync
// worker over it.
type terminal struct {
	id     string
	store  *sqlite.Store
	worker *gsync.Worker
	recs   []app.Record
}

// newTerminal opens a store for device id under dir, queues n records and
// makes a worker for url with token.
func newTerminal(t testing.TB, dir, id, url, token string, n int) *terminal {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, "gise.db")
	sealer, err := keys.LoadOrCreate(keys.DefaultPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, path, sealer)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	recs, err := outboxseed.Seed(ctx, path, sealer, id, n, time.Date(2026, 11, 28, 9, 0, 0, 0, time.FixedZone("+03", 3*3600)))
	if err != nil {
		t.Fatal(err)
	}
	if s, err = sqlite.Open(ctx, path, sealer); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w, err := gsync.NewWorker(s, gsync.Settings{BaseURL: url, DeviceID: id, Token: token}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.BackoffBase, w.BackoffMax = 10*time.Millisecond, 200*time.Millisecond
	w.HealthInfo = terminalHealth(config.Config{DataDir: dir})
	return &terminal{id: id, store: s, worker: w, recs: recs}
}

// drain runs rounds until nothing is pending or ctx ends.
func (tm *terminal) drain(ctx context.Context) error {
	for {
		err := tm.worker.Sync(ctx)
		c, cerr := tm.store.OutboxCounts(ctx)
		if cerr != nil {
			return cerr
		}
		if c.PendingTotal == 0 {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%d still pending: %v", c.PendingTotal, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkExactlyOnce holds the central to the terminals: every record each
// terminal queued is delivered, stored once with the data queued and the
// server_ref the terminal kept, and no server_ref is given twice. It
// returns how many records the central holds.
func checkExactlyOnce(t testing.TB, srv *central.Server, terms ...*terminal) int {
	t.Helper()
	ctx := context.Background()
	byID := map[string]central.StoredRecord{}
	refs := map[string]string{}
	err := srv.ForEachRecord(ctx, func(r central.StoredRecord) error {
		if _, dup := byID[r.ID]; dup {
			t.Errorf("%s stored twice", r.ID)
		}
		if other, dup := refs[r.ServerRef]; dup {
			t.Errorf("server_ref %s given to %s and %s", r.ServerRef, other, r.ID)
		}
		byID[r.ID], refs[r.ServerRef] = r, r.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, tm := range terms {
		delivered, err := tm.store.OutboxEntries(ctx, app.OutboxDelivered, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		if len(delivered) != len(tm.recs) {
			t.Errorf("%s: %d of %d records delivered", tm.id, len(delivered), len(tm.recs))
		}
		for _, e := range delivered {
			got, ok := byID[e.ID]
			if !ok || got.Data != string(e.Data) || got.ServerRef != e.ServerRef || got.DeviceID != tm.id {
				t.Errorf("%s: record %s acknowledged as %s, central holds %+v (%v)", tm.id, e.ID, e.ServerRef, got, ok)
				break
			}
		}
		want += len(tm.recs)
	}
	if len(byID) != want {
		t.Errorf("central holds %d records, want exactly %d", len(byID), want)
	}
	return len(byID)
}

// TestCentralNodeKilledMidBatch: two `gise central` processes on one
// PostgreSQL behind a balancer that sends every batch to both nodes at
// once and passes either answer on; the real sync worker delivers 4,000
// records in batches of 50, three on the wire; four times, while batches
// are in flight, a node is SIGKILLed, the balancer sends everything to the
// other one, and the killed node is started again and hedged to. At the
// end every record is at the central once, with the data queued and the
// server_ref the terminal kept: nothing acknowledged was lost, nothing
// stored twice, and the answer of the node that lost a race named the
// record the winner stored.
func TestCentralNodeKilledMidBatch(t *testing.T) {
	dsn := centraltest.PostgresDSN(t)
	bin := cliBinary(t)
	ctx := context.Background()
	srv, err := central.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	token, err := srv.EnrolDevice(ctx, "KCS-KILL-01")
	if err != nil {
		t.Fatal(err)
	}
	nodes := [2]*centralNode{startNode(t, bin, dsn), startNode(t, bin, dsn)}
	lb := newBalancer(t, nodes[0].url)
	lb.hedgeTo(nodes[1].url)
	tm := newTerminal(t, t.TempDir(), "KCS-KILL-01", lb.url, token, 4000)
	tm.worker.BatchRecords = 50

	runCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	var drainErr error
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); drainErr = tm.drain(runCtx) }()
	live, kills := 0, 0
	for kills < 4 && runCtx.Err() == nil {
		c, _ := tm.store.OutboxCounts(ctx)
		if c.PendingTotal == 0 {
			break
		}
		if c.Delivered < (kills+1)*700 || lb.inFlight.Load() == 0 {
			time.Sleep(time.Millisecond)
			continue
		}
		nodes[live].kill() // mid-batch: posts are on the wire to it
		kills++
		lb.point(nodes[1-live].url)
		lb.hedge.Store(nil)
		nodes[live] = startNode(t, bin, dsn)
		lb.hedgeTo(nodes[live].url)
		live = 1 - live
	}
	wg.Wait()
	if drainErr != nil {
		t.Fatal(drainErr)
	}
	if kills < 4 {
		t.Fatalf("only %d kills happened before the queue drained", kills)
	}
	n := checkExactlyOnce(t, srv, tm)
	t.Logf("%d records, %d nodes killed mid-batch", n, kills)
	for _, node := range nodes {
		if out, _ := os.ReadFile(node.log.Name()); strings.Contains(string(out), "panic") {
			t.Errorf("a node panicked:\n%s", out)
		}
	}
}
