package sane

import (
	"os/exec"
	"testing"
)

// TestStopperWaitsForAReadAndRepeatsALostCancel follows scanimage's words
// through a batch the clerk stops between two sheets: the interrupt waits
// for the next page's reads; when scanimage starts yet another page after
// saying it is stopping (the backend had nothing to cancel), a second
// interrupt ends it on that page's first read.
func TestStopperWaitsForAReadAndRepeatsALostCancel(t *testing.T) {
	cmd := deaf(t)
	var s stopper
	for _, step := range []struct {
		line string // what scanimage writes; "" is the clerk's stop
		sent int    // interrupts sent after it
	}{
		{"Scanning page 1", 0},
		{"Progress: 10.0%", 0},
		{"Scanned page 1. (scanner status = 5)", 0},
		{"", 0}, // between sheets: held
		{"Scanning page 2", 0},
		{"Progress: 3.0%", 1}, // inside a read: sent
		{"Progress: 6.0%", 1},
		{"scanimage: received signal 2", 1},
		{"scanimage: trying to stop scanner", 1},
		{"Scanned page 2. (scanner status = 5)", 1}, // the read had ended: lost
		{"Scanning page 3", 1},
		{"Progress: 3.0%", 2}, // the second interrupt: scanimage aborts
		{"Progress: 6.0%", 2},
	} {
		if step.line == "" {
			if err := s.want(cmd.Process); err != nil {
				t.Fatal(err)
			}
		} else {
			s.saw(step.line)
		}
		if s.sent != step.sent {
			t.Fatalf("after %q: %d interrupts, want %d", step.line, s.sent, step.sent)
		}
	}
}

// TestStopperStopsAReadAtOnce: a stop while a page is being read is sent
// straight away, once.
func TestStopperStopsAReadAtOnce(t *testing.T) {
	cmd := deaf(t)
	var s stopper
	s.saw("Scanning page 1")
	s.saw("Progress: 40.0%")
	if err := s.want(cmd.Process); err != nil || s.sent != 1 {
		t.Fatalf("%d interrupts, %v", s.sent, err)
	}
	s.saw("Progress: 41.0%")
	s.saw("scanimage: trying to stop scanner")
	s.saw("Scanned page 1. (scanner status = 2)")
	if s.sent != 1 {
		t.Fatalf("%d interrupts after a heeded stop", s.sent)
	}
}

// deaf starts a real process that lives through interrupts, for a stopper
// to signal.
func deaf(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", "trap '' INT; sleep 60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}
