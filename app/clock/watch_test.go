package clock_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/auth/authtest"
	"github.com/kocasinan/gise/app/clock"
)

// fakeClocks are a wall clock someone may set and a monotonic clock no one
// can, moved by the test.
type fakeClocks struct {
	wall time.Time
	mono time.Duration
}

func (f *fakeClocks) pass(d time.Duration) { f.wall, f.mono = f.wall.Add(d), f.mono+d }

// TestAJumpOfTheWallClockIsLoggedAuditedAndShown: a wall clock set 5
// minutes forward or 2 days back while the kiosk runs is logged, audited
// (clock.jumped, with the signed size) and kept in the state for the
// operator; a drift under 120 s is not. The central's skew over 120 s is
// audited once an episode.
func TestAJumpOfTheWallClockIsLoggedAuditedAndShown(t *testing.T) {
	tm := authtest.New(t, time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	f := &fakeClocks{wall: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	skew, known := time.Duration(0), false
	var logs bytes.Buffer
	w := &clock.Watch{Wall: func() time.Time { return f.wall }, Mono: func() time.Duration { return f.mono },
		Skew:  func(context.Context) (time.Duration, bool) { return skew, known },
		Audit: tm.Store.Audit, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx := context.Background()

	w.Check(ctx)
	f.pass(5 * time.Second)
	f.wall = f.wall.Add(90 * time.Second) // NTP's small correction
	if st := w.Check(ctx); st.Warn() || st.Message() != "" {
		t.Fatalf("a 90 s correction warns: %+v", st)
	}
	f.pass(5 * time.Second)
	f.wall = f.wall.Add(5 * time.Minute)
	st := w.Check(ctx)
	if st.Jump != 5*time.Minute || !st.Warn() || !strings.Contains(st.Message(), "değiştirildi") {
		t.Fatalf("after a 5 minute jump: %+v %q", st, st.Message())
	}
	f.pass(5 * time.Second)
	f.wall = f.wall.Add(-48 * time.Hour)
	if st := w.Check(ctx); st.Jump != -48*time.Hour {
		t.Fatalf("after a 2 day jump back: %+v", st)
	}
	skew, known = 200*time.Second, true
	w.Check(ctx)
	w.Check(ctx)
	if st := w.Check(ctx); !strings.Contains(st.Message(), "merkezin saatinden") {
		t.Errorf("a 200 s skew: %q", st.Message())
	}
	skew = 3 * time.Second
	w.Check(ctx)
	skew = -300 * time.Second
	w.Check(ctx)

	got := audited(t, tm.Store.Path())
	want := []string{"clock.jumped +300s", "clock.jumped -172800s", "clock.skewed +200s", "clock.skewed -300s"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audited %q, want %q", got, want)
	}
	if n := strings.Count(logs.String(), "the wall clock jumped"); n != 2 {
		t.Errorf("%d jumps logged, want 2:\n%s", n, logs.String())
	}
}

// audited returns the clock's audit events, "action object", oldest first.
func audited(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT action || ' ' || object FROM audit_events WHERE action LIKE 'clock.%' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		list = append(list, s)
	}
	return list
}

// TestStartAndStop: the real clocks, checked in the background, see no
// jump.
func TestStartAndStop(t *testing.T) {
	w := &clock.Watch{Interval: time.Millisecond}
	w.Start(context.Background())
	time.Sleep(20 * time.Millisecond)
	w.Stop()
	if st := w.State(); st.Warn() {
		t.Errorf("the real clocks jumped: %+v", st)
	}
}
