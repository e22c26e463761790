package ui

import (
	"testing"
	"time"
)

func TestShortDurationIsHowTheAdminTypesIt(t *testing.T) {
	for d, want := range map[time.Duration]string{5 * time.Minute: "5m", time.Hour: "1h", 90 * time.Second: "1m30s",
		30 * time.Second: "30s", 90 * time.Minute: "1h30m"} {
		if got := shortDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
		if back, err := time.ParseDuration(shortDuration(d)); err != nil || back != d {
			t.Errorf("%v: %q reads back as %v, %v", d, shortDuration(d), back, err)
		}
	}
}
