package sync

import (
	"context"
	"errors"
	"log/slog"
	gosync "sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// Worker defaults.
const (
	DefaultBatchRecords = 500
	DefaultBatchBytes   = 4 << 20
	DefaultRoundTimeout = 10 * time.Minute
	DefaultUpdatesLimit = 500
	DefaultInFlight     = 3
)

// Worker delivers the outbox and pulls updates, in rounds: on Start, on
// every Interval, when the store queues records (outside a backoff), and on
// Trigger. Exported knobs may be changed before Start.
type Worker struct {
	Store  app.OutboxStore
	Logger *slog.Logger

	BatchRecords   int           // records per batch (500); a 413 lowers it per central, see limits.go
	BatchBytes     int           // bytes per batch body (4 MiB); likewise
	BackoffBase    time.Duration // first backoff ceiling (1 s)
	BackoffMax     time.Duration // backoff cap (5 min)
	MaxRetryAfter  time.Duration // cap on a server's Retry-After (1 h)
	RequestTimeout time.Duration // one HTTP attempt (30 s)
	RoundTimeout   time.Duration // a whole round (10 min)
	UpdatesLimit   int           // updates per page (500)
	InFlight       int           // batches on the wire at once (3; 1 sends one at a time)
	// Now is the clock; tests replace it.
	Now func() time.Time
	// HealthInfo, when set, adds to the health report sent after each
	// round what only the caller knows: the version, free disk, the
	// printer's state (health.go).
	HealthInfo func(context.Context, *app.HealthReport)

	round gosync.Mutex // one round at a time

	mu       gosync.Mutex
	settings Settings
	client   *Client
	st       state

	notify  chan struct{}
	trigger chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewWorker returns a worker with the default knobs. EINVALID when the
// settings are unusable (see NewClient).
func NewWorker(store app.OutboxStore, s Settings, logger *slog.Logger) (*Worker, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		Store: store, Logger: logger,
		BatchRecords: DefaultBatchRecords, BatchBytes: DefaultBatchBytes,
		BackoffBase: DefaultBackoffBase, BackoffMax: DefaultBackoffMax, MaxRetryAfter: DefaultMaxRetryAfter,
		RequestTimeout: DefaultRequestTimeout, RoundTimeout: DefaultRoundTimeout, UpdatesLimit: DefaultUpdatesLimit,
		InFlight: DefaultInFlight,
		Now:      time.Now,
		notify:   make(chan struct{}, 1), trigger: make(chan struct{}, 1),
	}
	if err := w.SetSettings(s); err != nil {
		return nil, err
	}
	return w, nil
}

// SetSettings replaces the central's address, the device credentials or the
// pin (after a re-enrolment, say). The next request uses them.
func (w *Worker) SetSettings(s Settings) error {
	if s.Interval <= 0 {
		s.Interval = DefaultInterval
	}
	c, err := NewClient(s, w.RequestTimeout)
	if err != nil {
		return err
	}
	w.mu.Lock()
	old := w.client
	w.settings, w.client = s, c
	w.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return nil
}

// Notify wakes the worker because records were queued; give it to
// Store.OnQueued. During a backoff it waits for the backoff to end.
func (w *Worker) Notify() {
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

// Trigger asks for a round now, whatever the worker's own backoff ("sync
// now"); a wait the central asked for (Retry-After) is still obeyed.
func (w *Worker) Trigger() {
	select {
	case w.trigger <- struct{}{}:
	default:
	}
}

// Start runs rounds in the background until Stop or until ctx ends.
func (w *Worker) Start(ctx context.Context) {
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	go w.loop(ctx)
}

// Stop ends the background loop and waits for the current round to end.
func (w *Worker) Stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	<-w.done
	w.cancel = nil
	w.mu.Lock()
	w.client.Close()
	w.mu.Unlock()
}

func (w *Worker) loop(ctx context.Context) {
	defer close(w.done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.trigger:
			if w.quietLeft() > 0 {
				continue // the central asked for quiet; the timer fires when it ends
			}
		case <-w.notify:
			if w.waitLeft() > 0 {
				continue // the timer fires when the backoff ends
			}
		case <-timer.C:
		}
		if err := w.Sync(ctx); err != nil && ctx.Err() != nil {
			return
		}
		timer.Reset(w.nextWait())
	}
}

// waitLeft is how long the current backoff still runs.
func (w *Worker) waitLeft() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.st.blocked != "" {
		return time.Hour
	}
	return w.st.nextAttempt.Sub(w.Now())
}

// nextWait is the delay before the next timed round.
func (w *Worker) nextWait() time.Duration {
	w.mu.Lock()
	interval := w.settings.Interval
	w.mu.Unlock()
	if left := w.waitLeft(); left > 0 {
		return left
	}
	return interval
}

// Sync runs one full round now: attachments, then every pending record in
// batches until none is left, then every page of updates. It returns the
// first failure; the loop then backs off. ErrBlocked while an admin must act.
func (w *Worker) Sync(ctx context.Context) error {
	w.round.Lock()
	defer w.round.Unlock()
	ctx, cancel := context.WithTimeout(ctx, w.RoundTimeout)
	defer cancel()
	if err := w.checkBlocked(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	c, url := w.client, w.settings.BaseURL
	w.st.syncing, w.st.lastAttempt = true, w.Now()
	w.mu.Unlock()
	err := w.deliver(ctx, c, url)
	if err == nil {
		err = w.pull(ctx, c)
	}
	w.finish(ctx, err)
	w.reportHealth(ctx, c, err)
	return err
}

// ErrBlocked is returned by Sync while delivery is stopped because the
// central refused the device's credentials (401 or 403).
var ErrBlocked = app.Errorf(app.EUNAUTH, "Merkez bu terminalin kimliğini kabul etmiyor; gönderim durduruldu. Sistem yöneticisine haber verin.")

func (w *Worker) checkBlocked(ctx context.Context) error {
	w.mu.Lock()
	blocked := w.st.blocked
	w.mu.Unlock()
	if blocked == "" {
		v, err := w.Store.SyncState(ctx, app.SyncBlocked)
		if err != nil {
			return err
		}
		blocked = v
		w.mu.Lock()
		w.st.blocked = v
		w.mu.Unlock()
	}
	if blocked != "" {
		return ErrBlocked
	}
	return nil
}

// Unblock lets delivery resume after an admin has acted (new settings,
// re-enrolment), audited; EPERMISSION unless the actor is an admin.
func (w *Worker) Unblock(ctx context.Context, actor app.Actor) error {
	if err := w.Store.UnblockSync(ctx, actor); err != nil {
		return err
	}
	w.mu.Lock()
	w.st.blocked, w.st.failures, w.st.nextAttempt = "", 0, time.Time{}
	w.mu.Unlock()
	w.Trigger()
	return nil
}

// errorsIsCanceled reports a round ended by shutdown, which is not logged.
func errorsIsCanceled(err error) bool { return errors.Is(err, context.Canceled) }
