package main

import (
	"bufio"
	"fmt"
	"github.com/kocasinan/gise/app/apptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSoak walks every counter flow again and again in the real binary under
// Xvfb for GISE_SOAK (a duration, e.g. 30m; make soak) and reads the heap,
// the resident set and its peak (the kernel's VmHWM, so a password hash
// between two samples counts too) the kiosk logs every 10 s. Targets:
// resident memory under 200 MB throughout, and heap in use at the end
// within 10% of its value after the first 5 minutes (a shorter soak
// compares with its first sixth).
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("GISE_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("set GISE_SOAK to a duration (make soak)")
	}
	k := startKiosk(t, "GISE_MEMSTATS=10", "GISE_PPROF="+os.Getenv("GISE_PPROF"))
	k.setupAdmin()
	temp := k.createClerk("soak.clerk")
	k.firstLogin("soak.clerk", temp, "Soak-Kayseri-2026")
	deadline := time.Now().Add(d)
	rounds := 0
	for time.Now().Before(deadline) {
		rounds++
		k.register(apptest.NationalID(rounds), "Işık", soakSurnames[rounds%len(soakSurnames)])
		k.paperComplaint(fmt.Sprintf("SOAK-%d", rounds))
		k.walkOtherFlows()
	}
	samples := readMemStats(t, filepath.Join(k.dataDir, "logs", "gise.log"))
	report(t, samples, d, rounds)
}

// walkOtherFlows visits the tracking, sync and home screens and locks and
// unlocks the session.
func (k *kiosk) walkOtherFlows() {
	x := k.x
	x.key("ctrl+3")
	x.typeText("K7QM-4X29-PQ7C")
	x.key("Return")
	x.sleep(300 * time.Millisecond)
	x.key("ctrl+4")
	x.sleep(300 * time.Millisecond)
	x.key("ctrl+l")
	x.sleep(300 * time.Millisecond)
	x.typeText("Soak-Kayseri-2026")
	x.key("Return")
	x.sleep(time.Second)
	x.key("ctrl+h")
	x.sleep(300 * time.Millisecond)
}

var soakSurnames = []string{"Çağlar", "Öztürk", "Şahin", "Yıldız", "Güneş", "Doğan", "Kılıç", "Işıkoğlu"}

type memSample struct{ heap, live, rss, peak int }

func readMemStats(t *testing.T, path string) []memSample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []memSample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "msg=memstats") {
			continue
		}
		var s memSample
		for _, field := range strings.Fields(line) {
			k, v, _ := strings.Cut(field, "=")
			n, _ := strconv.Atoi(v)
			switch k {
			case "heap_inuse_mb":
				s.heap = n
			case "live_mb":
				s.live = n
			case "rss_mb":
				s.rss = n
			case "rss_peak_mb":
				s.peak = n
			}
		}
		out = append(out, s)
	}
	return out
}

// report compares the live heap (after a collection) around the five-minute
// mark with the end of the soak, as medians of a minute of samples, and
// checks the resident set against its target.
func report(t *testing.T, samples []memSample, d time.Duration, rounds int) {
	t.Helper()
	if len(samples) < 12 {
		t.Fatalf("only %d memory samples", len(samples))
	}
	maxRSS, peak := 0, 0
	for _, s := range samples {
		maxRSS = max(maxRSS, s.rss)
		peak = max(peak, s.peak) // the kernel's high-water mark: no moment of the run escapes it
	}
	at := len(samples) / 6 // a shorter soak compares with its first sixth
	if d >= 30*time.Minute {
		at = 30 // five minutes of 10 s samples
	}
	early := medianLive(samples[at : at+6])
	last := medianLive(samples[len(samples)-6:])
	if peak <= 0 {
		t.Fatal("the kiosk logged no resident peak (rss_peak_mb: VmHWM of /proc/self/status)")
	}
	first := slices.IndexFunc(samples, func(s memSample) bool { return s.peak == peak })
	t.Logf("soak %s, %d rounds, %d samples: resident set in the samples max %d MB (lowest after %d min %d MB), peak %d MB (VmHWM, first logged in sample %d); live heap %d MB at %d min, %d MB at the end",
		d, rounds, len(samples), maxRSS, at/6, minRSS(samples[at:]), peak, first+1, early, at/6, last)
	if peak >= 200 || maxRSS >= 200 {
		t.Errorf("resident memory reached %d MB (target under 200)", max(peak, maxRSS))
	}
	if float64(last) > 1.1*float64(early) {
		t.Errorf("live heap grew from %d to %d MB (target within 10%%)", early, last)
	}
}

// minRSS is the lowest resident set among samples.
func minRSS(samples []memSample) int {
	m := samples[0].rss
	for _, s := range samples {
		m = min(m, s.rss)
	}
	return m
}

func medianLive(samples []memSample) int {
	v := make([]int, len(samples))
	for i, s := range samples {
		v[i] = s.live
	}
	slices.Sort(v)
	return v[len(v)/2]
}
