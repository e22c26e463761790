package auth_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/auth/authtest"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
)

// The terminal key is the service's Sealer.
var _ auth.Sealer = (*keys.Sealer)(nil)

// t0 is the tests' start: 10 s into a TOTP step.
var t0 = time.Date(2026, 11, 28, 10, 0, 10, 0, time.FixedZone("+03", 3*3600))

// cheap keeps the tests fast; BenchmarkPasswordVerify measures the defaults.
var cheap = auth.PasswordParams{Time: 1, Memory: 1024, Threads: 1}

const adminPassword = "Erciyes dağı karlı 38"

// env is one terminal: a data directory with its key file and database, the
// store and the service over them, and the captured log.
type env struct {
	t      testing.TB
	dir    string
	clk    *authtest.Clock
	store  *sqlite.Store
	sealer *keys.Sealer
	svc    *auth.Service
	logs   *bytes.Buffer
	ctx    context.Context
	params auth.PasswordParams // cheap unless a test changes it and restarts
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), clk: authtest.NewClock(t0), logs: &bytes.Buffer{}, ctx: context.Background(), params: cheap}
	e.open()
	t.Cleanup(func() { e.store.Close() })
	return e
}

// open opens the key, the store and the service, as main does at start.
func (e *env) open() {
	e.t.Helper()
	var err error
	if e.sealer, err = keys.LoadOrCreate(keys.DefaultPath(e.dir)); err != nil {
		e.t.Fatal(err)
	}
	if e.store, err = sqlite.Open(e.ctx, filepath.Join(e.dir, "gise.db"), e.sealer); err != nil {
		e.t.Fatal(err)
	}
	e.store.Now = e.clk.Now
	e.svc, err = auth.New(e.store, e.sealer, auth.Options{
		Now: e.clk.Now, Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Password: e.params, IsCommonPassword: assets.IsCommonPassword,
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// restart closes everything and opens it again: what a reboot does.
func (e *env) restart() {
	e.t.Helper()
	if err := e.store.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// admin is the first administrator made by setupAdmin.
type admin struct {
	sess     *auth.Session
	secret   string
	recovery []string
}

// setupAdmin runs the first-run setup of "yonetici".
func (e *env) setupAdmin() admin {
	e.t.Helper()
	setup, err := e.svc.BeginSetup(e.ctx, "yonetici", adminPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	sess, err := e.svc.CompleteSetup(e.ctx, setup, e.code(setup.Enrolment.Secret, 0))
	if err != nil {
		e.t.Fatal(err)
	}
	return admin{sess: sess, secret: setup.Enrolment.Secret, recovery: setup.Enrolment.RecoveryCodes}
}

// code returns the TOTP code of secret at the clock's now plus offset.
func (e *env) code(secret string, offset time.Duration) string {
	e.t.Helper()
	c, err := auth.CodeAt(secret, e.clk.Now().Add(offset))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// login logs in with password and the current code.
func (e *env) login(user, password, secret string) (*auth.Session, error) {
	e.t.Helper()
	ch, err := e.svc.Login(e.ctx, user, password)
	if err != nil {
		return nil, err
	}
	return e.svc.VerifyTOTP(e.ctx, ch, e.code(secret, 0))
}

// newAccount has the admin create an account and runs its first login
// (temporary password, enrolment, new password). It returns the session, the
// secret and the new password.
func (e *env) newAccount(by *auth.Session, user string, role app.Role) (*auth.Session, string, string) {
	e.t.Helper()
	_, temp, err := e.svc.CreateAccount(e.ctx, by, user, role)
	if err != nil {
		e.t.Fatal(err)
	}
	ch, err := e.svc.Login(e.ctx, user, temp)
	if err != nil || ch.Next() != auth.StepEnrolTOTP {
		e.t.Fatalf("first login of %s: %v", user, err)
	}
	enr, err := e.svc.BeginEnrolment(e.ctx, ch)
	if err != nil {
		e.t.Fatal(err)
	}
	if s, err := e.svc.CompleteEnrolment(e.ctx, ch, e.code(enr.Secret, 0)); s != nil || err != nil || ch.Next() != auth.StepChangePassword {
		e.t.Fatalf("enrolment of %s: %v, next %v", user, err, ch.Next())
	}
	pw := "Kayseri mantısı 1923 sucuk"
	sess, err := e.svc.ChangePassword(e.ctx, ch, pw)
	if err != nil || sess == nil {
		e.t.Fatalf("password change of %s: %v", user, err)
	}
	return sess, enr.Secret, pw
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if app.ErrorCode(err) != code {
		t.Errorf("%s: got %v, want code %q", what, err, code)
	}
}
