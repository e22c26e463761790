package main

import (
	"context"
	"log/slog"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
)

// storeWatchTick is how often the kiosk looks at its disk and, when due,
// at its database file.
const storeWatchTick = time.Minute

// storeWatch is the kiosk's background care of its store, off the UI
// goroutine: the free space of the data directory's disk against the
// configured floor (logged when it crosses, shown through space), and
// SQLite's full integrity_check once per IntegrityEvery after the store was
// idle for IntegrityIdle (quick_check already ran at start).
type storeWatch struct {
	store    *sqlite.Store
	cfg      config.Storage
	log      *slog.Logger
	onDamage func(error)

	free      atomic.Uint64
	low       atomic.Bool
	lastCheck time.Time // the watcher's goroutine alone touches it
	quit      chan struct{}
	wg        gosync.WaitGroup
}

// watchStore measures the free space once, then starts the watcher.
// onDamage runs (on the watcher's goroutine) when the integrity check finds
// the file damaged; the store then refuses writes by itself.
func watchStore(store *sqlite.Store, cfg config.Config, log *slog.Logger, onDamage func(error)) *storeWatch {
	w := &storeWatch{store: store, cfg: cfg.Storage, log: log, onDamage: onDamage, quit: make(chan struct{}),
		lastCheck: time.Now()}
	if store.QuickCheckSkipped {
		log.Warn("quick_check ran out of time at start; the idle integrity check will cover it", "took", store.QuickCheckTook)
		w.lastCheck = time.Time{}
	}
	log.Info("quick_check at start", "took_ms", store.QuickCheckTook.Milliseconds())
	w.checkSpace()
	w.wg.Add(1)
	go w.loop()
	return w
}

func (w *storeWatch) loop() {
	defer w.wg.Done()
	t := time.NewTicker(storeWatchTick)
	defer t.Stop()
	for {
		select {
		case <-w.quit:
			return
		case now := <-t.C:
			w.checkSpace()
			if w.integrityDue(now) {
				w.checkIntegrity()
			}
		}
	}
}

// stop ends the watcher and waits for a check under way.
func (w *storeWatch) stop() {
	close(w.quit)
	w.wg.Wait()
}

// space returns the free bytes last measured and the floor below which the
// operator is to be warned: the plain values the shell shows.
func (w *storeWatch) space() (free, floor uint64) {
	return w.free.Load(), w.floor()
}

func (w *storeWatch) floor() uint64 { return uint64(max(w.cfg.MinFreeMB, 0)) << 20 }

// checkSpace measures the free space and logs when it crosses the floor.
func (w *storeWatch) checkSpace() {
	free, err := sqlite.FreeBytes(w.store.Dir())
	if err != nil {
		w.log.Warn("free space unknown", "err", err)
		return
	}
	w.free.Store(free)
	low := free < w.floor()
	if w.low.Swap(low) == low {
		return
	}
	if low {
		w.log.Warn("free disk space under the floor", "free_mb", free>>20, "floor_mb", w.cfg.MinFreeMB)
	} else {
		w.log.Info("free disk space back above the floor", "free_mb", free>>20, "floor_mb", w.cfg.MinFreeMB)
	}
}

// integrityDue reports whether the full check is due and the store idle.
func (w *storeWatch) integrityDue(now time.Time) bool {
	return !w.store.Damaged() && now.Sub(w.lastCheck) >= w.cfg.IntegrityEvery.Duration &&
		now.Sub(w.store.LastWrite()) >= w.cfg.IntegrityIdle.Duration
}

// checkIntegrity runs the full check and reports a damaged file.
func (w *storeWatch) checkIntegrity() {
	start := time.Now()
	err := w.store.CheckIntegrity(context.Background())
	w.lastCheck = time.Now()
	switch app.ErrorCode(err) {
	case "":
		w.log.Info("integrity_check ok", "took_ms", time.Since(start).Milliseconds())
	case app.EDAMAGED:
		w.log.Error("integrity_check: the database file is damaged; the kiosk stops", "err", err)
		w.onDamage(err)
	default:
		w.log.Warn("integrity_check could not run", "err", err)
	}
}
