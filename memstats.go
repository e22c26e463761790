package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // served only when GISE_PPROF is set
	"os"
	"strconv"
	"strings"
	"time"

	"runtime"
	"runtime/debug"
)

// processStart is when main began, for the start-up figure in the log.
var processStart = time.Now()

// phase logs how long start-up took to reach a point, for the start-up
// benchmark's breakdown.
func phase(logger *slog.Logger, name string) {
	logger.Info("start-up", "phase", name, "since_start_ms", time.Since(processStart).Milliseconds())
}

// kioskGCPercent is the kiosk's GOGC. Its live heap is small (about 15 MB,
// mostly parsed fonts) and it allocates little between frames, so a heap
// allowed to grow to 1.3× instead of 2× what it holds costs a few more short
// collections: in the soak, heap in use 20–27 MB at 30 against 22–28 at 50,
// and the 30-minute peak 198 MB against 200 (one run each; docs/PERFORMANCE.md).
const kioskGCPercent = 30

// tuneGC applies kioskGCPercent unless GOGC is set in the environment.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(kioskGCPercent)
	}
}

// memStats logs the heap in use and the resident set every GISE_MEMSTATS
// seconds when that variable is set, for the soak benchmark; it returns the
// function that stops it.
func memStats(logger *slog.Logger) func() {
	if addr := os.Getenv("GISE_PPROF"); addr != "" {
		// Profiling for the soak, on loopback only: GISE_PPROF=127.0.0.1:6060.
		go func() { logger.Info("pprof", "err", http.ListenAndServe(addr, nil)) }()
	}
	every, err := strconv.Atoi(os.Getenv("GISE_MEMSTATS"))
	if err != nil || every <= 0 {
		return func() {}
	}
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Duration(every) * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				inuse := m.HeapInuse
				// Measurement mode: also the live heap, after a collection,
				// which is what a leak would grow.
				runtime.GC()
				runtime.ReadMemStats(&m)
				rss, peak := residentMB()
				logger.Info("memstats", "heap_inuse_mb", inuse>>20, "live_mb", m.HeapAlloc>>20, "rss_mb", rss, "rss_peak_mb", peak)
			}
		}
	}()
	return func() { close(stop) }
}

// residentMB reads the resident set size and its peak since the process
// started (the kernel's high-water mark, VmHWM, which no sample can miss)
// from /proc (Linux); -1 where it cannot.
func residentMB() (rss, peak int) {
	rss, peak = -1, -1
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return rss, peak
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			rss = kb >> 10
		case "VmHWM:":
			peak = kb >> 10
		}
	}
	return rss, peak
}
