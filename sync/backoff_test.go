package sync

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterBothForms(t *testing.T) {
	now := time.Date(2026, 11, 28, 7, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 3 ", 3 * time.Second},
		{"-5", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"soon", 0},
	} {
		if got := retryAfter(c.in, now); got != c.want {
			t.Errorf("Retry-After %q: %v, want %v", c.in, got, c.want)
		}
	}
}

func TestFullJitterStaysUnderItsCeiling(t *testing.T) {
	base, ceiling := time.Second, 5*time.Minute
	for failures := 1; failures < 70; failures++ {
		want := ceiling
		if failures < 10 {
			want = base << (failures - 1)
		}
		var top time.Duration
		for range 200 {
			d := fullJitter(base, ceiling, failures)
			if d <= 0 || d > want {
				t.Fatalf("failures %d: delay %v outside (0, %v]", failures, d, want)
			}
			top = max(top, d)
		}
		if top < want/2 {
			t.Errorf("failures %d: 200 draws never passed %v of a %v ceiling: not full jitter", failures, top, want)
		}
	}
	if fullJitter(base, ceiling, 0) != 0 {
		t.Error("no failure, no delay")
	}
}

// TestTheLongerRetryAfterSteers: of two batches in flight answered with
// different waits, the worker keeps the longer one; a refused credential
// outweighs both, and any wait outweighs a plain failure.
func TestTheLongerRetryAfterSteers(t *testing.T) {
	short := &APIError{Status: http.StatusTooManyRequests, RetryAfter: time.Second}
	long := &APIError{Status: http.StatusServiceUnavailable, RetryAfter: time.Minute}
	refused := &APIError{Status: http.StatusUnauthorized}
	plain := &APIError{Status: http.StatusInternalServerError}
	for _, c := range []struct {
		err, kept error
		want      bool
	}{
		{short, nil, true},
		{long, short, true},
		{short, long, false},
		{short, short, false},
		{refused, long, true},
		{long, refused, false},
		{plain, short, false},
		{short, plain, true},
	} {
		if got := steers(c.err, c.kept); got != c.want {
			t.Errorf("steers(%v, %v) = %v, want %v", c.err, c.kept, got, c.want)
		}
	}
}
