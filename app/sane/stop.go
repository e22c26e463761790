package sane

import (
	"os"
	"strings"
	"sync"
	"syscall"
)

// stopper interrupts scanimage when the clerk stops a batch, at a moment
// scanimage acts on it.
//
// scanimage's signal handler calls sane_cancel on the first SIGINT and
// _exit on any later one. A sane_cancel that lands between two sheets —
// after one page's reads, before the next sane_start — is a no-op in
// backends (there is no scan to cancel), and scanimage goes on feeding the
// whole stack with its one graceful stop spent. So the stopper holds the
// interrupt until scanimage is inside a page's reads (its "Progress:"
// lines), and if it hears scanimage start another page after saying it is
// stopping, the cancel was lost: the next interrupt ends scanimage on that
// page's first read, the pages it finished kept.
type stopper struct {
	mu      sync.Mutex
	proc    *os.Process
	wanted  bool // the batch is to stop
	reading bool // scanimage is inside a page's reads
	sent    int  // interrupts sent
	stopped bool // scanimage said it is stopping
	lost    bool // …and then started another page anyway
}

// now interrupts scanimage straight away: a stall or a page that cannot be
// read, where there is nothing to keep going for.
func (s *stopper) now(p *os.Process) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.proc, s.wanted = p, true
	return s.send()
}

// want asks for the batch to stop: at once when scanimage is reading a
// page, else at its next read.
func (s *stopper) want(p *os.Process) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.proc, s.wanted = p, true
	if s.reading && s.sent == 0 {
		return s.send()
	}
	return nil
}

func (s *stopper) send() error {
	s.sent++
	s.reading = false
	return s.proc.Signal(syscall.SIGINT)
}

// saw follows what scanimage writes on standard error.
func (s *stopper) saw(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case strings.HasPrefix(msg, "Progress: "):
		if !s.reading && s.wanted && (s.sent == 0 || s.lost) {
			s.lost = false
			s.send()
			return
		}
		s.reading = true
	case strings.HasPrefix(msg, "Scanning page "):
		s.reading = false
		s.lost = s.stopped
	case strings.HasPrefix(msg, "Scanned page "):
		s.reading = false
	case strings.HasSuffix(msg, ": trying to stop scanner"):
		s.stopped = true
	}
}
