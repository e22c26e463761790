package sync_test

import (
	"context"
	"runtime"
	gosync "sync"
	"testing"
	"time"

	gsync "github.com/kocasinan/gise/sync"
)

// drain seeds n records, then times one worker draining them to a reference
// central on loopback (both sides synchronous=FULL). It returns the drain
// time and the peak heap seen while draining.
func drain(b *testing.B, n, batch int) (time.Duration, uint64) {
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
	start := time.Now()
	if err := w.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	stop()
	if st, _ := w.Status(context.Background()); st.Counts.Delivered != n {
		b.Fatalf("delivered %d of %d", st.Counts.Delivered, n)
	}
	return took, *peak
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
			var total time.Duration
			runs := 0
			for b.Loop() {
				took, _ := drain(b, n, bc.batch)
				total += took
				runs++
			}
			b.ReportMetric(float64(n*runs)/total.Seconds(), "records/s")
		})
	}
}

// BenchmarkDrainMemory drains 10,000 and 100,000 records: the peak heap
// must stay flat, because records are read, sent and applied batch by batch.
func BenchmarkDrainMemory(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(map[int]string{10_000: "10k", 100_000: "100k"}[n], func(b *testing.B) {
			var peak uint64
			var total time.Duration
			runs := 0
			for b.Loop() {
				took, p := drain(b, n, gsync.DefaultBatchRecords)
				peak, total = max(peak, p), total+took
				runs++
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(n*runs)/total.Seconds(), "records/s")
		})
	}
}
