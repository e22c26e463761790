package sync

import (
	"math/rand/v2"
	"time"
)

// Backoff defaults: exponential with full jitter, from 1 s up to 5 minutes.
const (
	DefaultBackoffBase = time.Second
	DefaultBackoffMax  = 5 * time.Minute
	// DefaultMaxRetryAfter caps a server's Retry-After, so a wrong date
	// cannot silence a terminal for days.
	DefaultMaxRetryAfter = time.Hour
)

// fullJitter returns a random delay in [0, min(max, base·2^failures)), the
// "full jitter" of the AWS architecture note: terminals that failed
// together do not come back together.
func fullJitter(base, maxDelay time.Duration, failures int) time.Duration {
	if failures <= 0 || base <= 0 {
		return 0
	}
	ceil := maxDelay
	if failures < 40 && base<<(failures-1) < maxDelay && base<<(failures-1) > 0 {
		ceil = base << (failures - 1)
	}
	return rand.N(ceil) + 1
}
