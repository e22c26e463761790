// Package authtest gives other packages' tests real sessions of any role,
// made by the real setup and login flows on a throw-away terminal (key file
// and SQLite database under t.TempDir()), with cheap password hashing and a
// clock the test moves. Nothing here forges a session.
package authtest

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
)

// Clock is a test clock: Now returns the time set, Add moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a test clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Terminal is a throw-away terminal with an administrator already set up.
type Terminal struct {
	t       testing.TB
	Clock   *Clock
	Service *auth.Service
	Store   *sqlite.Store
	admin   *auth.Session
	secret  string
	n       int
}

// Password is every test account's password after its first login.
const Password = "Erciyes dağı karlı 38"

const password = Password

// New sets a terminal up; its clock starts at start.
func New(t testing.TB, start time.Time) *Terminal {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sealer, err := keys.LoadOrCreate(keys.DefaultPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(dir, "gise.db"), sealer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clk := NewClock(start)
	store.Now = clk.Now
	svc, err := auth.New(store, sealer, auth.Options{Now: clk.Now, Logger: slog.New(slog.DiscardHandler),
		Password: auth.PasswordParams{Time: 1, Memory: 1024, Threads: 1}, IsCommonPassword: func(string) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	setup, err := svc.BeginSetup(ctx, "yonetici", password)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := auth.CodeAt(setup.Enrolment.Secret, clk.Now())
	admin, err := svc.CompleteSetup(ctx, setup, code)
	if err != nil {
		t.Fatal(err)
	}
	return &Terminal{t: t, Clock: clk, Service: svc, Store: store, admin: admin, secret: setup.Enrolment.Secret}
}

// Session returns a new logged-in session of role (admin, supervisor or
// clerk), through account creation, first login, enrolment and password
// change. Its username is role plus a number.
func (tm *Terminal) Session(role app.Role) *auth.Session {
	tm.t.Helper()
	ctx := context.Background()
	tm.n++
	user := fmt.Sprintf("%s%d", role, tm.n)
	if tm.admin.State() != auth.SessionActive {
		tm.Clock.Add(auth.TOTPPeriod)
		code, _ := auth.CodeAt(tm.secret, tm.Clock.Now())
		ch, err := tm.Service.Login(ctx, "yonetici", password)
		if err == nil {
			tm.admin, err = tm.Service.VerifyTOTP(ctx, ch, code)
		}
		if err != nil {
			tm.t.Fatal(err)
		}
	}
	_, temp, err := tm.Service.CreateAccount(ctx, tm.admin, user, role)
	if err != nil {
		tm.t.Fatal(err)
	}
	ch, err := tm.Service.Login(ctx, user, temp)
	if err != nil {
		tm.t.Fatal(err)
	}
	enr, err := tm.Service.BeginEnrolment(ctx, ch)
	if err != nil {
		tm.t.Fatal(err)
	}
	code, _ := auth.CodeAt(enr.Secret, tm.Clock.Now())
	if _, err := tm.Service.CompleteEnrolment(ctx, ch, code); err != nil {
		tm.t.Fatal(err)
	}
	sess, err := tm.Service.ChangePassword(ctx, ch, password)
	if err != nil {
		tm.t.Fatal(err)
	}
	return sess
}
