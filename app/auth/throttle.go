package auth

import (
	"fmt"
	"time"

	"github.com/kocasinan/gise/app"
)

// Throttle policy: the first FreeFailures failures cost nothing; each one
// after that locks the username for FirstDelay, doubling, at most MaxDelay;
// and never more than MaxFailuresPerHour failures in an hour.
const (
	FreeFailures       = 5
	FirstDelay         = time.Minute
	MaxDelay           = time.Hour
	MaxFailuresPerHour = 100
	// ThrottleMemory is how long a username's failures are remembered after
	// its last failure; a day without one starts the count afresh.
	ThrottleMemory = 24 * time.Hour
)

// Throttle is the failure count kept per username typed (known or not, so a
// lock-out does not reveal which usernames exist). It survives restarts.
type Throttle struct {
	Failures       int       // consecutive failures since the last success
	LockedUntil    time.Time // no attempt is judged before this
	WindowStart    time.Time // start of the current one-hour window
	WindowFailures int       // failures within it
}

// Wait returns how long until an attempt may be made at now; 0 when it may.
func (t Throttle) Wait(now time.Time) time.Duration {
	if d := t.LockedUntil.Sub(now); d > 0 {
		return d
	}
	return 0
}

// Fail counts one failure at now and sets the lock it earns.
func (t *Throttle) Fail(now time.Time) {
	t.Failures++
	if t.WindowStart.IsZero() || now.Sub(t.WindowStart) >= time.Hour {
		t.WindowStart, t.WindowFailures = now, 0
	}
	t.WindowFailures++
	if t.Failures >= FreeFailures {
		d := MaxDelay
		if n := t.Failures - FreeFailures; n < 6 {
			d = min(FirstDelay<<n, MaxDelay)
		}
		t.LockedUntil = now.Add(d)
	}
	if t.WindowFailures >= MaxFailuresPerHour {
		t.LockedUntil = later(t.LockedUntil, t.WindowStart.Add(time.Hour))
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// throttled is the error of an attempt made while locked.
func throttled(wait time.Duration) error {
	mins := int((wait + time.Minute - 1) / time.Minute)
	return &app.Error{Code: app.ETHROTTLED, Message: fmt.Sprintf(
		"Çok fazla hatalı giriş denemesi yapıldı. %d dakika sonra tekrar deneyin; şifrenizi unuttuysanız yöneticinize başvurun.", mins)}
}
