package auth_test

import (
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

func TestLastAdminIsProtected(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	wantCode(t, "disable the only admin", e.svc.SetDisabled(e.ctx, a.sess, "yonetici", true), app.ECONFLICT)
	wantCode(t, "demote the only admin", e.svc.SetRole(e.ctx, a.sess, "yonetici", app.RoleClerk), app.ECONFLICT)
	second, _, _ := e.newAccount(a.sess, "ikinci.yonetici", app.RoleAdmin)
	if err := e.svc.SetDisabled(e.ctx, second, "yonetici", true); err != nil {
		t.Fatalf("disable one of two admins: %v", err)
	}
	wantCode(t, "the remaining admin disables itself", e.svc.SetDisabled(e.ctx, second, "ikinci.yonetici", true), app.ECONFLICT)
	wantCode(t, "the remaining admin demotes itself", e.svc.SetRole(e.ctx, second, "ikinci.yonetici", app.RoleSupervisor), app.ECONFLICT)
	list, err := e.svc.Accounts(e.ctx, second)
	if err != nil || len(list) != 2 || !list[1].Disabled || list[0].Disabled {
		t.Fatalf("accounts: %v %+v", err, list)
	}
}

// TestRoleBoundaries: every admin operation refuses a supervisor and a
// clerk with EPERMISSION, and Require refuses a missing or locked session.
func TestRoleBoundaries(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	sup, _, _ := e.newAccount(a.sess, "sorumlu", app.RoleSupervisor)
	clerk, _, _ := e.newAccount(a.sess, "gorevli", app.RoleClerk)
	ops := map[string]func(*auth.Session) error{
		"accounts": func(s *auth.Session) error { _, err := e.svc.Accounts(e.ctx, s); return err },
		"create": func(s *auth.Session) error {
			_, _, err := e.svc.CreateAccount(e.ctx, s, "yeni", app.RoleClerk)
			return err
		},
		"disable":    func(s *auth.Session) error { return e.svc.SetDisabled(e.ctx, s, "yonetici", true) },
		"role":       func(s *auth.Session) error { return e.svc.SetRole(e.ctx, s, "gorevli", app.RoleAdmin) },
		"reset pw":   func(s *auth.Session) error { _, err := e.svc.ResetPassword(e.ctx, s, "yonetici"); return err },
		"reset totp": func(s *auth.Session) error { return e.svc.ResetTOTP(e.ctx, s, "yonetici") },
		"enrolment": func(s *auth.Session) error {
			return e.svc.SaveTerminalEnrolment(e.ctx, s, auth.TerminalEnrolment{CentralURL: "https://merkez.example", DeviceID: "KCS-01", Token: "t"})
		},
	}
	for name, op := range ops {
		for _, s := range []*auth.Session{sup, clerk} {
			err := op(s)
			wantCode(t, name+" by "+string(s.Role()), err, app.EPERMISSION)
			if msg := app.ErrorMessage(err); msg == "" || msg == err.Error() {
				t.Errorf("%s: no Turkish message", name)
			}
		}
		wantCode(t, name+" without a session", op(nil), app.EUNAUTH)
	}
	wantCode(t, "supervisor work by a clerk", auth.Require(e.ctx, clerk, app.RoleSupervisor, app.RoleAdmin), app.EPERMISSION)
	if err := auth.Require(e.ctx, sup, app.RoleSupervisor, app.RoleAdmin); err != nil {
		t.Errorf("supervisor work by a supervisor: %v", err)
	}
	if err := auth.Require(e.ctx, clerk, app.RoleClerk); err != nil {
		t.Errorf("counter work by a clerk: %v", err)
	}
	if err := e.svc.Lock(e.ctx, clerk); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "locked session", auth.Require(e.ctx, clerk, app.RoleClerk), app.EUNAUTH)
	if err := e.svc.Logout(e.ctx, sup); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "ended session", auth.Require(e.ctx, sup, app.RoleSupervisor), app.EUNAUTH)
}

func TestSessionLocksWarnsAndKeepsFormForSameClerk(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	clerk, secret, pw := e.newAccount(a.sess, "gorevli", app.RoleClerk)
	clerk.SetForm("yarım kalmış başvuru")
	start := e.clk.Now()
	if d := clerk.Deadlines(); !d.Lock.Equal(start.Add(auth.DefaultIdleLock)) || !d.Warn.Equal(d.Lock.Add(-30*time.Second)) ||
		!d.Expires.Equal(start.Add(auth.DefaultMaxSession)) {
		t.Errorf("deadlines %+v", d)
	}
	steps := []struct {
		after time.Duration
		touch bool
		want  auth.SessionState
	}{
		{4*time.Minute + 29*time.Second, false, auth.SessionActive},
		{time.Second, false, auth.SessionWarning},
		{10 * time.Second, true, auth.SessionActive}, // a tap keeps it open
		{5*time.Minute - time.Second, false, auth.SessionWarning},
		{time.Second, false, auth.SessionLocked},
		{time.Second, true, auth.SessionLocked}, // a tap does not unlock
	}
	for i, st := range steps {
		e.clk.Add(st.after)
		if st.touch {
			clerk.Touch()
		}
		if got := clerk.State(); got != st.want {
			t.Fatalf("step %d: state %v, want %v", i, got, st.want)
		}
	}
	wantCode(t, "counter work while locked", auth.Require(e.ctx, clerk, app.RoleClerk), app.EUNAUTH)
	if err := e.svc.Unlock(e.ctx, clerk, "yanlış şifre denemesi"); app.ErrorField(err) != "password" {
		t.Errorf("unlock with a wrong password: %v", err)
	}
	if err := e.svc.Unlock(e.ctx, clerk, pw); err != nil || clerk.State() != auth.SessionActive || clerk.Form() != "yarım kalmış başvuru" {
		t.Fatalf("unlock by the same clerk: %v, %v, form %v", err, clerk.State(), clerk.Form())
	}

	// Locked again; the same clerk logs in through the login screen: the form comes back.
	e.clk.Add(auth.DefaultIdleLock)
	e.clk.Add(time.Minute)
	again, err := e.login("gorevli", pw, secret)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.svc.Handover(e.ctx, clerk, again); s.Form() != "yarım kalmış başvuru" || clerk.State() != auth.SessionEnded {
		t.Errorf("same clerk's handover lost the form")
	}
	// Another clerk logs in at the locked terminal: the form is discarded.
	e.clk.Add(auth.DefaultIdleLock)
	adm, err := e.login("yonetici", adminPassword, a.secret)
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := e.newAccount(adm, "baska.gorevli", app.RoleClerk)
	if s, _ := e.svc.Handover(e.ctx, again, other); s.Form() != nil || again.Form() != nil {
		t.Errorf("another clerk saw the form: %v", s.Form())
	}
	// The absolute limit ends the session whatever the activity.
	for range 12 * 60 / 4 {
		e.clk.Add(4 * time.Minute)
		other.Touch()
	}
	if other.State() != auth.SessionExpired {
		t.Errorf("after 12 h of activity: %v", other.State())
	}
	wantCode(t, "unlock after the limit", e.svc.Unlock(e.ctx, other, "Kayseri mantısı 1923 sucuk"), app.EUNAUTH)
}

func TestTerminalEnrolmentAndClockCheck(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	if _, err := e.svc.TerminalEnrolment(e.ctx); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("before enrolment: %v", err)
	}
	for _, c := range []struct {
		in    auth.TerminalEnrolment
		field string
	}{
		{auth.TerminalEnrolment{CentralURL: "http://merkez.kocasinan.bel.tr", DeviceID: "KCS-01", Token: "x"}, "central_url"},
		{auth.TerminalEnrolment{CentralURL: "merkez", DeviceID: "KCS-01", Token: "x"}, "central_url"},
		{auth.TerminalEnrolment{CentralURL: "https://merkez.kocasinan.bel.tr", DeviceID: "KCS 01", Token: "x"}, "device_id"},
		{auth.TerminalEnrolment{CentralURL: "https://merkez.kocasinan.bel.tr", DeviceID: "KCS-01"}, "token"},
	} {
		if err := e.svc.SaveTerminalEnrolment(e.ctx, a.sess, c.in); app.ErrorField(err) != c.field {
			t.Errorf("%+v: %v, want a problem with %s", c.in, err, c.field)
		}
	}
	in := auth.TerminalEnrolment{CentralURL: "http://127.0.0.1:8080", DeviceID: "KCS-MERKEZ-01", Token: "enr-7f3a9c2e11d04b6a"}
	if err := e.svc.SaveTerminalEnrolment(e.ctx, a.sess, in); err != nil {
		t.Fatal(err)
	}
	e.restart()
	got, err := e.svc.TerminalEnrolment(e.ctx)
	if err != nil || got.CentralURL != in.CentralURL || got.DeviceID != in.DeviceID || got.Token != in.Token || got.SavedBy != "yonetici" {
		t.Fatalf("enrolment read back: %+v %v", got, err)
	}
	for _, c := range []struct {
		diff time.Duration
		warn bool
	}{{0, false}, {119 * time.Second, false}, {120 * time.Second, false}, {121 * time.Second, true}, {-3 * time.Minute, true}} {
		got := auth.CheckClock(t0, t0.Add(c.diff))
		if got.Warn != c.warn || got.Diff != c.diff || got.Message == "" {
			t.Errorf("clock %v: %+v", c.diff, got)
		}
	}
}
