// Package clock watches the terminal's wall clock: against the monotonic
// clock, which no one sets, for jumps (someone or something set the time),
// and against the central's Date header, which the sync worker measures,
// for skew. A jump or a skew over MaxDrift is logged, audited and shown to
// the operator: TOTP codes, session limits and record times all go wrong
// with the clock.
package clock

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// MaxDrift is the jump or skew above which the operator is told; the sync
// worker and the enrolment screen warn at the same 120 s.
const MaxDrift = 120 * time.Second

// DefaultInterval is how often Start checks.
const DefaultInterval = 5 * time.Second

// Actor is who the clock's audit events are by.
var Actor = app.Actor{Username: "system", Role: app.RoleAdmin}

// State is what the watch knows of the clock, for the shell.
type State struct {
	Jump      time.Duration // the last jump over MaxDrift (positive: set forward); 0 when none seen
	JumpAt    time.Time     // the wall time just after it
	Skew      time.Duration // the central's time minus this terminal's, as sync last measured it
	SkewKnown bool
}

// Warn reports whether the operator should be told: a jump was seen, or
// the central's time is more than MaxDrift away.
func (s State) Warn() bool { return s.Jump != 0 || s.skewed() }

func (s State) skewed() bool { return s.SkewKnown && s.Skew.Abs() > MaxDrift }

// Message is the Turkish sentence for the operator, "" when all is well.
func (s State) Message() string {
	switch {
	case s.skewed():
		return "Bu terminalin saati merkezin saatinden 2 dakikadan fazla farklı. Saati düzeltin; yoksa doğrulama kodları ve kayıt saatleri hatalı olur."
	case s.Jump != 0:
		return "Bu terminalin saati çalışırken 2 dakikadan fazla değiştirildi. Saatin doğru olduğunu kontrol edin; doğrulama kodları ve kayıt saatleri ona göre yazılır."
	}
	return ""
}

// Watch compares the clocks each time Check is called (Start calls it every
// Interval). Set the fields before Start; zero values take the defaults.
type Watch struct {
	// Wall is the wall clock (default time.Now without its monotonic reading).
	Wall func() time.Time
	// Mono is time elapsed by the monotonic clock (default since the first Check).
	Mono func() time.Duration
	// Skew is the central's time minus the local, with whether it is known
	// (main passes the sync worker's); nil: never known.
	Skew func(ctx context.Context) (time.Duration, bool)
	// Audit appends an event to the audit chain (the store's Audit).
	Audit func(ctx context.Context, actor app.Actor, action, object string) error
	// Logger receives the warnings (default slog.Default()).
	Logger *slog.Logger
	// Interval is Start's period (default DefaultInterval).
	Interval time.Duration

	mu       sync.Mutex
	started  bool
	lastWall time.Time
	lastMono time.Duration
	state    State
	skewSaid bool // the current skew episode was audited
	stop     chan struct{}
	done     chan struct{}
}

// State returns what the watch knows now.
func (w *Watch) State() State {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state
}

// Check compares the wall clock's progress since the last Check with the
// monotonic clock's, and reads the central's skew; what crosses MaxDrift is
// logged and audited (clock.jumped, once a jump; clock.skewed, once an
// episode). It returns the state after.
func (w *Watch) Check(ctx context.Context) State {
	w.mu.Lock()
	w.defaults()
	wall, mono := w.Wall(), w.Mono()
	var jump time.Duration
	if w.started {
		jump = wall.Sub(w.lastWall) - (mono - w.lastMono)
	}
	w.started, w.lastWall, w.lastMono = true, wall, mono
	if jump.Abs() <= MaxDrift {
		jump = 0
	} else {
		w.state.Jump, w.state.JumpAt = jump.Round(time.Second), wall
	}
	w.mu.Unlock()
	if jump != 0 {
		w.Logger.Warn("clock: the wall clock jumped", "by", jump.Round(time.Second), "now", wall)
		w.audit(ctx, "clock.jumped", signed(jump))
	}
	w.checkSkew(ctx)
	return w.State()
}

// checkSkew reads the central's skew and audits the start of an episode.
func (w *Watch) checkSkew(ctx context.Context) {
	if w.Skew == nil {
		return
	}
	skew, known := w.Skew(ctx)
	w.mu.Lock()
	w.state.Skew, w.state.SkewKnown = skew, known
	first := w.state.skewed() && !w.skewSaid
	if known {
		w.skewSaid = w.state.skewed()
	}
	w.mu.Unlock()
	if first {
		w.Logger.Warn("clock: the central's time differs", "skew", skew)
		w.audit(ctx, "clock.skewed", signed(skew))
	}
}

func (w *Watch) audit(ctx context.Context, action, object string) {
	if w.Audit == nil {
		return
	}
	if err := w.Audit(ctx, Actor, action, object); err != nil {
		w.Logger.Error("clock: audit "+action, "err", err)
	}
}

// signed writes a drift for the audit object: "+300s", "-172800s".
func signed(d time.Duration) string {
	return fmt.Sprintf("%+ds", int64(d.Round(time.Second)/time.Second))
}

// defaults fills the zero fields. Caller holds w.mu.
func (w *Watch) defaults() {
	if w.Wall == nil {
		w.Wall = func() time.Time { return time.Now().Round(0) }
	}
	if w.Mono == nil {
		start := time.Now()
		w.Mono = func() time.Duration { return time.Since(start) }
	}
	if w.Logger == nil {
		w.Logger = slog.Default()
	}
	if w.Interval <= 0 {
		w.Interval = DefaultInterval
	}
}

// Start checks every Interval until Stop.
func (w *Watch) Start(ctx context.Context) {
	w.mu.Lock()
	w.defaults()
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	stop, done, every := w.stop, w.done, w.Interval
	w.mu.Unlock()
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		w.Check(ctx)
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				w.Check(ctx)
			}
		}
	}()
}

// Stop ends what Start began and waits for it.
func (w *Watch) Stop() {
	w.mu.Lock()
	stop, done := w.stop, w.done
	w.stop = nil
	w.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}
