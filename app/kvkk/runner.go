package kvkk

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Runner runs the destruction at start and then every Interval.
type Runner struct {
	Store    RetentionStore
	Policy   Policy
	Interval time.Duration // DefaultInterval when zero
	Log      *slog.Logger
	Now      func() time.Time

	cancel context.CancelFunc
	done   sync.WaitGroup
}

// Start runs the destruction once now and then every Interval, until Stop.
func (r *Runner) Start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	every := r.Interval
	if every <= 0 {
		every = DefaultInterval
	}
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			r.RunOnce(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the loop and waits for a run in progress.
func (r *Runner) Stop() {
	if r.cancel != nil {
		r.cancel()
	}
	r.done.Wait()
}

// RunOnce destroys what is due now and logs the counts (never the data).
func (r *Runner) RunOnce(ctx context.Context) ([]Destroyed, error) {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	out, err := r.Store.DestroyDue(ctx, r.Policy, now())
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			log.Error("retention run failed", "err", err)
		}
		return out, err
	}
	for _, d := range out {
		if d.Count > 0 {
			log.Info("retention destroyed", "class", string(d.Class), "count", d.Count, "method", d.Method)
		}
	}
	return out, nil
}
