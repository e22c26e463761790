package auth

import (
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// Session defaults.
const (
	DefaultIdleLock   = 5 * time.Minute  // a counter is left alone this long before it locks
	DefaultWarnBefore = 30 * time.Second // the warning shows this long before the lock
	DefaultMaxSession = 12 * time.Hour   // an absolute limit, whatever the activity
)

// SessionState is what the screen should show for a session.
type SessionState int

// Session states, in the order a quiet session passes through them.
const (
	SessionActive  SessionState = iota // work as usual
	SessionWarning                     // show "locking in N s"; any input (Touch) keeps it open
	SessionLocked                      // hide everything; show the lock screen (Unlock or another clerk's login)
	SessionExpired                     // the absolute limit passed: the form state is gone, log in again
	SessionEnded                       // logged out
)

// String names the state for logs.
func (st SessionState) String() string {
	return [...]string{"active", "warning", "locked", "expired", "ended"}[st]
}

// Deadlines are the instants a screen counts down to.
type Deadlines struct {
	Warn    time.Time // the idle warning appears
	Lock    time.Time // the session locks unless touched before
	Expires time.Time // the absolute limit
}

// Session is a logged-in clerk at this terminal, held by the GUI. It locks by
// itself after IdleLock without Touch, warning WarnBefore ahead, and ends at
// the absolute MaxSession limit. It is safe for concurrent use: the GUI's
// ticker may call State while handlers call Touch.
type Session struct {
	mu         sync.Mutex
	account    Account // as at login; never changes
	svc        *Service
	gen        int64 // the account's generation the session stands for
	now        func() time.Time
	idle, warn time.Duration
	started    time.Time
	expires    time.Time
	lastActive time.Time
	locked     bool
	lockSeen   bool // the lock was audited
	ended      bool
	endReason  error // why the session was ended for its clerk; nil after a logout
	form       any
}

func newSession(svc *Service, a Account, now func() time.Time, idle, warn, max time.Duration) *Session {
	t := now()
	return &Session{account: a, svc: svc, gen: a.Generation, now: now, idle: idle, warn: warn, started: t, expires: t.Add(max), lastActive: t}
}

// Username returns the clerk's username.
func (s *Session) Username() string { return s.account.Username }

// Role returns the clerk's role.
func (s *Session) Role() app.Role { return s.account.Role }

// AccountID returns the clerk's account id.
func (s *Session) AccountID() string { return s.account.ID }

// Actor returns the clerk as the actor of store writes.
func (s *Session) Actor() app.Actor { return s.account.Actor() }

// StartedAt returns when the clerk logged in.
func (s *Session) StartedAt() time.Time { return s.started }

// Touch records the clerk's activity (a key, a tap), pushing the idle lock
// back. It does nothing once the session is locked, expired or ended: only
// Unlock reopens a locked session.
func (s *Session) Touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stateLocked(s.now()) <= SessionWarning {
		s.lastActive = s.now()
	}
}

// State returns the session's state now. A GUI ticker (every second or so)
// calls it and shows the warning, the lock screen or the login screen.
func (s *Session) State() SessionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stateLocked(s.now())
}

func (s *Session) stateLocked(now time.Time) SessionState {
	switch {
	case s.ended:
		return SessionEnded
	case !now.Before(s.expires):
		return SessionExpired
	case s.locked || !now.Before(s.lastActive.Add(s.idle)):
		s.locked = true
		return SessionLocked
	case !now.Before(s.lastActive.Add(s.idle - s.warn)):
		return SessionWarning
	}
	return SessionActive
}

// Deadlines returns when the warning shows, when the session locks without
// more activity, and the absolute limit.
func (s *Session) Deadlines() Deadlines {
	s.mu.Lock()
	defer s.mu.Unlock()
	lock := s.lastActive.Add(s.idle)
	return Deadlines{Warn: lock.Add(-s.warn), Lock: lock, Expires: s.expires}
}

// SetForm keeps the GUI's half-typed form state with the session: after an
// unlock by the same clerk Form returns it; a session ended, expired or taken
// over by another clerk drops it.
func (s *Session) SetForm(state any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.form = state
}

// Form returns the state given to SetForm, or nil.
func (s *Session) Form() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.form
}

// lock locks the session now; it reports whether this is the first time the
// lock is noticed (so it is audited once).
func (s *Session) lock() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.locked = true
	first := !s.lockSeen
	s.lockSeen = true
	return first
}

// unlock reopens a locked session that has not expired.
func (s *Session) unlock() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.stateLocked(s.now()); st == SessionEnded || st == SessionExpired {
		return false
	}
	s.locked, s.lockSeen, s.lastActive = false, false, s.now()
	return true
}

// end ends the session and drops its form state.
func (s *Session) end() { s.endFor(nil) }

// endFor ends the session because of reason (nil: its clerk ended it); it
// reports whether the session was still open, so the end is audited once.
func (s *Session) endFor(reason error) bool {
	s.mu.Lock()
	was := s.ended
	s.ended, s.form = true, nil
	if !was {
		s.endReason = reason
	}
	s.mu.Unlock()
	if s.svc != nil {
		s.svc.sessions.remove(s)
	}
	return !was
}

// EndReason says why the session ended when it was not its clerk's doing
// (the account was disabled, demoted, its password or authenticator reset):
// an *app.Error whose message the screen shows. nil while the session is
// open or after a logout.
func (s *Session) EndReason() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endReason
}

// generation returns the account generation the session was opened at (or
// moved to by its clerk's own change).
func (s *Session) generation() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// adopt moves the session to generation g after its own clerk's change, when
// g is the very next generation (nothing else changed meanwhile).
func (s *Session) adopt(g int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g == s.gen+1 {
		s.gen = g
	}
}
