//go:build load

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/central"
	"github.com/kocasinan/gise/central/centraltest"
)

// The load test (make load): 50 terminals, each the real sync worker over
// its own SQLite store with 2,000 queued records, drain at once through two
// `gise central` nodes into one PostgreSQL, then the same into the SQLite
// central (one node: SQLite is one process). It reports records/s, batch
// latency as the terminals see it, each node's peak memory and the load
// average, checks exactly once, and shows the fleet view of the 50
// terminals. GISE_LOAD_OUT names a file for the report (docs/PERFORMANCE.md
// quotes it).

// loadTerminals and loadRecords are the figures; GISE_LOAD_SCALE
// ("terminals×records", e.g. 4x200) shrinks them for a quick try.
var loadTerminals, loadRecords = 50, 2000

func TestLoad(t *testing.T) {
	if v := os.Getenv("GISE_LOAD_SCALE"); v != "" {
		fmt.Sscanf(v, "%dx%d", &loadTerminals, &loadRecords)
	}
	bin := cliBinary(t)
	var report strings.Builder
	fmt.Fprintf(&report, "machine: %s, %d cores (%s)\n", cpuModel(), runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(&report, "command: make load (%d terminals × %d records, batches of %d, %d in flight)\n\n",
		loadTerminals, loadRecords, 500, 3)

	dsn := centraltest.PostgresDSN(t)
	fmt.Fprintf(&report, "PostgreSQL: %s\n", pgSettings(t, dsn))
	nodes := []*centralNode{startNode(t, bin, dsn), startNode(t, bin, dsn)}
	postmaster = findPostmaster(t, dsn)
	pgRes := loadRun(t, bin, nodes, func() *central.Server {
		s, err := central.OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
	report.WriteString(pgRes.String("two PostgreSQL nodes"))
	fmt.Fprintf(&report, "\nfleet view (gise central devices --db …), first lines:\n%s\n", fleetTable(t, bin, "--db", dsn))

	postmaster = 0
	dir := t.TempDir()
	sqliteNode := startSQLiteNode(t, bin, dir)
	liteRes := loadRun(t, bin, []*centralNode{sqliteNode}, func() *central.Server {
		sqliteNode.kill() // the check opens the file itself
		s, err := central.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
	report.WriteString("\n" + liteRes.String("one SQLite node"))
	t.Log("\n" + report.String())
	if out := os.Getenv("GISE_LOAD_OUT"); out != "" {
		os.WriteFile(out, []byte(report.String()), 0o644)
	}
}

// loadResult is one run's figures.
type loadResult struct {
	records           int
	wall              time.Duration
	p50, p99, max     time.Duration
	batches           int
	peakKiB           []int64
	loadBefore, after string
	exactlyOnce       string
	fleet             string
	cpu               []cpuShare
}

// cpuShare is the CPU time one part spent during the drain.
type cpuShare struct {
	name string
	secs float64
}

func (r loadResult) String(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d records in %.2f s = %.0f records/s; %d batches, latency p50 %s, p99 %s, max %s\n",
		name, r.records, r.wall.Seconds(), float64(r.records)/r.wall.Seconds(), r.batches,
		r.p50.Round(time.Millisecond), r.p99.Round(time.Millisecond), r.max.Round(time.Millisecond))
	for i, kib := range r.peakKiB {
		fmt.Fprintf(&b, "  node %d peak memory (VmHWM) %.1f MiB\n", i+1, float64(kib)/1024)
	}
	fmt.Fprintf(&b, "  load average before %s, after %s\n", r.loadBefore, r.after)
	parts := make([]string, len(r.cpu))
	total := 0.0
	for i, c := range r.cpu {
		parts[i] = fmt.Sprintf("%s %.1f s", c.name, c.secs)
		total += c.secs
	}
	fmt.Fprintf(&b, "  CPU time during the drain: %s (%.1f s of %.1f s the two cores had)\n",
		strings.Join(parts, ", "), total, 2*r.wall.Seconds())
	fmt.Fprintf(&b, "  exactly once: %s\n", r.exactlyOnce)
	fmt.Fprintf(&b, "  fleet view: %s\n", r.fleet)
	return b.String()
}

// loadRun enrols the terminals through the first node's admin API, queues
// their records, drains them all at once (terminal i through node i mod
// len(nodes)) and checks the outcome on the central open() returns.
func loadRun(t *testing.T, bin string, nodes []*centralNode, open func() *central.Server) loadResult {
	ctx := context.Background()
	timing := newBatchTiming()
	terms := make([]*terminal, loadTerminals)
	var wg gosync.WaitGroup
	sem := make(chan struct{}, 2) // seeding is CPU work: two at a time
	for i := range terms {
		id := fmt.Sprintf("KCS-LOAD-%02d", i+1)
		token := enrolByAdmin(t, nodes[0].url, id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			terms[i] = newTerminal(t, t.TempDir(), id, nodes[i%len(nodes)].url, token, loadRecords)
			terms[i].worker.Store = timing.wrap(terms[i].store)
		}()
	}
	wg.Wait()
	res := loadResult{records: loadTerminals * loadRecords, loadBefore: loadAvg()}
	runCtx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cpuBefore := cpuTimes(nodes)
	start := time.Now()
	errs := make([]error, len(terms))
	for i, tm := range terms {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = tm.drain(runCtx) }()
	}
	wg.Wait()
	res.wall = time.Since(start)
	res.after = loadAvg()
	cpuAfter := cpuTimes(nodes)
	for i := range cpuAfter {
		res.cpu = append(res.cpu, cpuShare{cpuAfter[i].name, cpuAfter[i].secs - cpuBefore[i].secs})
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range nodes {
		res.peakKiB = append(res.peakKiB, vmHWM(t, n.cmd.Process.Pid))
	}
	res.batches, res.p50, res.p99, res.max = timing.quantiles()
	res.fleet = fleetSummary(t, nodes[0].url)
	srv := open()
	defer srv.Close()
	if n := checkExactlyOnce(t, srv, terms...); !t.Failed() {
		res.exactlyOnce = fmt.Sprintf("ok: %d records at the central, each once, data and server_ref as every terminal kept them", n)
	} else {
		res.exactlyOnce = "FAILED (see the test log)"
	}
	return res
}

// batchTiming measures each batch as its terminal sees it: from the
// worker reading it out of the outbox to the answers applied.
type batchTiming struct {
	mu      gosync.Mutex
	started map[string]time.Time // first record id → read
	batchOf map[string]string    // record id → first record id of its batch
	took    []time.Duration
}

func newBatchTiming() *batchTiming {
	return &batchTiming{started: map[string]time.Time{}, batchOf: map[string]string{}}
}

func (bt *batchTiming) wrap(s app.OutboxStore) app.OutboxStore {
	return &timedStore{OutboxStore: s, bt: bt}
}

func (bt *batchTiming) quantiles() (n int, p50, p99, mx time.Duration) {
	bt.mu.Lock()
	defer bt.mu.Unlock()
	d := slices.Clone(bt.took)
	slices.Sort(d)
	if len(d) == 0 {
		return 0, 0, 0, 0
	}
	return len(d), d[len(d)/2], d[min(len(d)-1, len(d)*99/100)], d[len(d)-1]
}

type timedStore struct {
	app.OutboxStore
	bt *batchTiming
}

func (s *timedStore) PendingBatch(ctx context.Context, after int64, maxRecords, maxBytes int) ([]app.Record, int64, error) {
	recs, last, err := s.OutboxStore.PendingBatch(ctx, after, maxRecords, maxBytes)
	if len(recs) > 0 {
		s.bt.mu.Lock()
		first := recs[0].ID
		s.bt.started[first] = time.Now()
		for _, r := range recs {
			s.bt.batchOf[r.ID] = first
		}
		s.bt.mu.Unlock()
	}
	return recs, last, err
}

func (s *timedStore) ApplyResults(ctx context.Context, results []app.DeliveryResult) error {
	err := s.OutboxStore.ApplyResults(ctx, results)
	if len(results) > 0 {
		s.bt.mu.Lock()
		if first, ok := s.bt.batchOf[results[0].ID]; ok {
			if at, ok := s.bt.started[first]; ok {
				s.bt.took = append(s.bt.took, time.Since(at))
				delete(s.bt.started, first)
			}
		}
		s.bt.mu.Unlock()
	}
	return err
}

// enrolByAdmin enrols a device through POST /admin/v1/devices.
func enrolByAdmin(t *testing.T, url, id string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/admin/v1/devices", strings.NewReader(`{"device_id":"`+id+`"}`))
	req.Header.Set("Authorization", "Bearer adm")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("enrol %s: %d %v", id, resp.StatusCode, err)
	}
	return out.Token
}

// fleetSummary reads GET /admin/v1/devices: how many terminals it lists,
// how many silent, and the pending records they reported.
func fleetSummary(t *testing.T, url string) string {
	req, _ := http.NewRequest("GET", url+"/admin/v1/devices", nil)
	req.Header.Set("Authorization", "Bearer adm")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Devices []central.FleetDevice }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	reported, silent, pending := 0, 0, 0
	for _, d := range out.Devices {
		if d.Health != nil {
			reported++
			pending += d.Health.Pending
		}
		if d.Silent {
			silent++
		}
	}
	if reported != loadTerminals || silent != 0 {
		t.Errorf("fleet view: %d of %d terminals reported health, %d silent", reported, loadTerminals, silent)
	}
	return fmt.Sprintf("%d terminals listed, %d with a health report, %d silent, %d records pending in the reports",
		len(out.Devices), reported, silent, pending)
}

// fleetTable runs gise central devices and returns its first lines and its
// last.
func fleetTable(t *testing.T, bin string, args ...string) string {
	out, err := exec.Command(bin, append([]string{"--data-dir", t.TempDir(), "central", "devices"}, args...)...).CombinedOutput()
	if err != nil {
		t.Errorf("gise central devices: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > 6 {
		lines = append(append(lines[:5:5], "…"), lines[len(lines)-1])
	}
	return strings.Join(lines, "\n")
}

// startSQLiteNode starts `gise central --data dir`.
func startSQLiteNode(t *testing.T, bin, dir string) *centralNode {
	t.Helper()
	return startNodeArgs(t, bin, []string{"--data", dir})
}

func vmHWM(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kib int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kib)
			return kib
		}
	}
	return 0
}

// cpuTimes reads the CPU seconds (user and system) of this process (the
// terminals), of each node, and of all PostgreSQL processes.
func cpuTimes(nodes []*centralNode) []cpuShare {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	self := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	out := []cpuShare{{fmt.Sprintf("terminals (%d workers and stores, this process)", loadTerminals), self}}
	for i, n := range nodes {
		out = append(out, cpuShare{fmt.Sprintf("node %d", i+1), procCPU(n.cmd.Process.Pid)})
	}
	if postmaster == 0 {
		return out
	}
	pg := procCPU(postmaster)
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(d.Name(), "%d", &pid); err == nil && parentOf(pid) == postmaster {
			pg += procCPU(pid)
		}
	}
	return append(out, cpuShare{"PostgreSQL", pg})
}

// postmaster is the test cluster's server process (0 for the SQLite run).
var postmaster int

// findPostmaster finds the server process of the cluster at dsn: the
// parent of a backend.
func findPostmaster(t *testing.T, dsn string) int {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var backend int
	if err := c.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		t.Fatal(err)
	}
	return parentOf(backend)
}

func parentOf(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PPid:"); ok {
			var p int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &p)
			return p
		}
	}
	return 0
}

// procCPU is a process's utime + stime in seconds (clock ticks of 1/100 s).
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	var ut, st float64
	if len(f) > 12 {
		fmt.Sscanf(f[11], "%f", &ut)
		fmt.Sscanf(f[12], "%f", &st)
	}
	return (ut + st) / 100
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "?"
}

// pgSettings names the server's version and durability settings.
func pgSettings(t *testing.T, dsn string) string {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var v, fsync, sync, fpw, buffers string
	c.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'),
		current_setting('full_page_writes'), current_setting('shared_buffers')`).Scan(&v, &fsync, &sync, &fpw, &buffers)
	return fmt.Sprintf("%s, unix socket, fsync=%s synchronous_commit=%s full_page_writes=%s shared_buffers=%s", v, fsync, sync, fpw, buffers)
}
