package sync_test

import (
	"context"
	"runtime"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	gsync "github.com/kocasinan/gise/sync"
)

// drained is what one drain measured.
type drained struct {
	wall, cpu time.Duration // elapsed, and CPU used by the process (both sides)
	peakHeap  uint64
}

// drain seeds n records, then times one worker draining them to a reference
// central on loopback (both sides synchronous=FULL).
func drain(b *testing.B, n, batch int) drained {
	b.Helper()
	c := newCentral(b)
	store, path := openStore(b)
	seedOutbox(b, path, n, 0, 0)
	w, err := gsync.NewWorker(store, c.settings(c.http.URL), nil)
	if err != nil {
		b.Fatal(err)
	}
	w.BatchRecords = batch
	runtime.GC()
	peak, stop := sampleHeap()
	cpu0, start := cpuTime(), time.Now()
	if err := w.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	d := drained{wall: time.Since(start), cpu: cpuTime() - cpu0}
	stop()
	d.peakHeap = *peak
	if st, _ := w.Status(context.Background()); st.Counts.Delivered != n {
		b.Fatalf("delivered %d of %d", st.Counts.Delivered, n)
	}
	return d
}

// cpuTime is the user and system time the process has used: the machine is
// shared, so records per CPU-second is the figure that survives a busy
// neighbour.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func report(b *testing.B, n int, runs []drained) {
	var wall, cpu time.Duration
	var peak uint64
	for _, d := range runs {
		wall, cpu, peak = wall+d.wall, cpu+d.cpu, max(peak, d.peakHeap)
	}
	b.ReportMetric(float64(n*len(runs))/wall.Seconds(), "records/s")
	b.ReportMetric(float64(n*len(runs))/cpu.Seconds(), "records/cpu-s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// sampleHeap records the peak HeapInuse every 10 ms until stop is called.
func sampleHeap() (*uint64, func()) {
	var peak uint64
	done := make(chan struct{})
	var wg gosync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return &peak, func() { close(done); wg.Wait() }
}

// BenchmarkDrain10k drains 10,000 queued records batched (500 a request)
// and one record a request; compare their records/s.
func BenchmarkDrain10k(b *testing.B) {
	for _, bc := range []struct {
		name  string
		batch int
	}{{"batched", gsync.DefaultBatchRecords}, {"one-per-request", 1}} {
		b.Run(bc.name, func(b *testing.B) {
			const n = 10_000
			var runs []drained
			for b.Loop() {
				runs = append(runs, drain(b, n, bc.batch))
			}
			report(b, n, runs)
		})
	}
}

// BenchmarkDrainMemory drains 10,000 and 100,000 records: the peak heap
// must stay flat, because records are read, sent and applied batch by batch.
func BenchmarkDrainMemory(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(map[int]string{10_000: "10k", 100_000: "100k"}[n], func(b *testing.B) {
			var runs []drained
			for b.Loop() {
				runs = append(runs, drain(b, n, gsync.DefaultBatchRecords))
			}
			report(b, n, runs)
		})
	}
}
