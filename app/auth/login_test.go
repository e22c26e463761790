package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

func TestSetupStoresNothingUntilConfirmed(t *testing.T) {
	e := newEnv(t)
	for _, pw := range []string{"kısa şifre", "qwerty123456", "password2024!", "aaaaaaaaaaaaaaaa", "yonetici-gizli-2024"} {
		_, err := e.svc.BeginSetup(e.ctx, "yonetici", pw)
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "password" {
			t.Errorf("password %q: %v, want EINVALID on password", pw, err)
		}
	}
	_, err := e.svc.BeginSetup(e.ctx, "Ayşe Şahin", adminPassword)
	if app.ErrorField(err) != "username" {
		t.Errorf("username with spaces and Turkish letters: %v", err)
	}
	setup, err := e.svc.BeginSetup(e.ctx, " Yonetici ", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	en := setup.Enrolment
	if setup.Username != "yonetici" || len(en.RecoveryCodes) != auth.RecoveryCodeCount || !strings.HasPrefix(string(en.QRPNG), "\x89PNG") ||
		!strings.HasPrefix(en.URL, "otpauth://totp/") || len(strings.ReplaceAll(en.Secret, " ", "")) != 32 {
		t.Fatalf("setup shows %+v", setup)
	}
	bad := e.code(en.Secret, 5*time.Minute)
	if _, err := e.svc.CompleteSetup(e.ctx, setup, bad); app.ErrorField(err) != "code" {
		t.Errorf("wrong code: %v", err)
	}
	if need, _ := e.svc.NeedsSetup(e.ctx); !need {
		t.Fatal("a wrong code saved the administrator")
	}
	sess, err := e.svc.CompleteSetup(e.ctx, setup, e.code(en.Secret, 0))
	if err != nil || sess.Role() != app.RoleAdmin || sess.Username() != "yonetici" {
		t.Fatalf("complete setup: %v", err)
	}
	if need, _ := e.svc.NeedsSetup(e.ctx); need {
		t.Error("still needs setup")
	}
	_, err = e.svc.BeginSetup(e.ctx, "ikinci", adminPassword)
	wantCode(t, "second setup", err, app.ECONFLICT)
}

// TestCodeWindow: the code of the current step and of one step either side
// is accepted; two steps away is refused.
func TestCodeWindow(t *testing.T) {
	for _, c := range []struct {
		offset time.Duration
		ok     bool
	}{{-30 * time.Second, true}, {0, true}, {30 * time.Second, true}, {-60 * time.Second, false}, {60 * time.Second, false}} {
		t.Run(c.offset.String(), func(t *testing.T) {
			e := newEnv(t)
			a := e.setupAdmin()
			e.clk.Add(10 * time.Minute)
			ch, err := e.svc.Login(e.ctx, "yonetici", adminPassword)
			if err != nil {
				t.Fatal(err)
			}
			sess, err := e.svc.VerifyTOTP(e.ctx, ch, e.code(a.secret, c.offset))
			if c.ok && (err != nil || sess == nil) {
				t.Errorf("code at %v refused: %v", c.offset, err)
			}
			if !c.ok && app.ErrorField(err) != "code" {
				t.Errorf("code at %v: %v, want refused", c.offset, err)
			}
		})
	}
}

func TestReplayRefusedAlsoAfterRestart(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	e.clk.Add(2 * time.Minute)
	used := e.code(a.secret, 0)
	if _, err := e.login("yonetici", adminPassword, a.secret); err != nil {
		t.Fatal(err)
	}
	replay := func(what, code string) {
		t.Helper()
		ch, err := e.svc.Login(e.ctx, "yonetici", adminPassword)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := e.svc.VerifyTOTP(e.ctx, ch, code); s != nil || app.ErrorField(err) != "code" {
			t.Errorf("%s: %v, want the code refused", what, err)
		}
	}
	replay("same code again", used)
	replay("previous step's code", e.code(a.secret, -30*time.Second))
	e.restart()
	replay("same code after a restart", used)
	e.clk.Add(30 * time.Second)
	if _, err := e.login("yonetici", adminPassword, a.secret); err != nil {
		t.Errorf("next step's code: %v", err)
	}
}

func TestThrottleGrowsAndSurvivesRestart(t *testing.T) {
	for _, user := range []string{"yonetici", "olmayan.kullanici"} {
		t.Run(user, func(t *testing.T) {
			e := newEnv(t)
			e.setupAdmin()
			for i := 1; i <= auth.FreeFailures; i++ {
				_, err := e.svc.Login(e.ctx, user, "yanlış şifre denemesi")
				want := app.EUNAUTH
				if i == auth.FreeFailures {
					want = app.ETHROTTLED
				}
				wantCode(t, "failure", err, want)
			}
			// Each further failure doubles the wait: 1, 2, 4, 8 min…
			for _, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
				e.clk.Add(wait - time.Second)
				_, err := e.svc.Login(e.ctx, user, adminPassword)
				wantCode(t, "right password while locked", err, app.ETHROTTLED)
				e.restart()
				_, err = e.svc.Login(e.ctx, user, adminPassword)
				wantCode(t, "after a restart, still locked", err, app.ETHROTTLED)
				e.clk.Add(2 * time.Second)
				_, err = e.svc.Login(e.ctx, user, "yanlış şifre denemesi")
				wantCode(t, "failure after the wait", err, app.ETHROTTLED)
			}
			if user == "yonetici" {
				e.clk.Add(16*time.Minute + time.Second)
				if _, err := e.svc.Login(e.ctx, user, adminPassword); err != nil {
					t.Errorf("right password after the wait: %v", err)
				}
			}
		})
	}
}

func TestThrottleForgetsAfterAQuietDay(t *testing.T) {
	e := newEnv(t)
	e.setupAdmin()
	for range auth.FreeFailures {
		e.svc.Login(e.ctx, "yonetici", "yanlış şifre denemesi")
	}
	e.clk.Add(auth.ThrottleMemory - time.Minute)
	_, err := e.svc.Login(e.ctx, "yonetici", "yanlış şifre denemesi")
	wantCode(t, "sixth failure within the day", err, app.ETHROTTLED)
	e.clk.Add(auth.ThrottleMemory + time.Minute)
	_, err = e.svc.Login(e.ctx, "yonetici", "yanlış şifre denemesi")
	wantCode(t, "failure after a quiet day", err, app.EUNAUTH)
}

// TestThrottlePolicy: the delay caps at an hour and no more than 100
// failures fit in any hour, for an attacker who tries the moment each lock ends.
func TestThrottlePolicy(t *testing.T) {
	var th auth.Throttle
	now := t0
	var failures []time.Time
	for now.Before(t0.Add(48 * time.Hour)) {
		if w := th.Wait(now); w > 0 {
			if w > auth.MaxDelay {
				t.Fatalf("wait %v above the cap", w)
			}
			now = now.Add(w)
			continue
		}
		th.Fail(now)
		failures = append(failures, now)
	}
	if w := th.LockedUntil.Sub(failures[len(failures)-1]); w != auth.MaxDelay {
		t.Errorf("delay after many failures %v, want %v", w, auth.MaxDelay)
	}
	for i := range failures {
		n := 0
		for j := i; j < len(failures) && failures[j].Sub(failures[i]) < time.Hour; j++ {
			n++
		}
		if n > auth.MaxFailuresPerHour {
			t.Fatalf("%d failures within an hour", n)
		}
	}
}

func TestRecoveryCodeWorksOnceAndForcesReenrolment(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	recover := func(code string) (*auth.Challenge, error) {
		t.Helper()
		ch, err := e.svc.Login(e.ctx, "yonetici", adminPassword)
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.svc.LoginWithRecovery(e.ctx, ch, code)
		if s != nil {
			t.Fatal("a recovery code gave a session without re-enrolment")
		}
		return ch, err
	}
	ch, err := recover(strings.ToLower(a.recovery[0]))
	if err != nil || ch.Next() != auth.StepEnrolTOTP {
		t.Fatalf("recovery code: %v, next %v", err, ch.Next())
	}
	// Abandoned there: the next login again needs a second factor, and the
	// used code does not work twice.
	_, err = recover(a.recovery[0])
	wantCode(t, "used recovery code", err, app.EINVALID)
	ch, err = recover(a.recovery[1])
	if err != nil {
		t.Fatal(err)
	}
	enr, err := e.svc.BeginEnrolment(e.ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := e.svc.CompleteEnrolment(e.ctx, ch, e.code(enr.Secret, 0))
	if err != nil || sess == nil {
		t.Fatalf("re-enrolment: %v", err)
	}
	if n, _ := e.svc.RecoveryCodesLeft(e.ctx, sess); n != auth.RecoveryCodeCount {
		t.Errorf("%d recovery codes after re-enrolment, want a fresh %d", n, auth.RecoveryCodeCount)
	}
	e.clk.Add(time.Minute)
	if _, err := e.login("yonetici", adminPassword, a.secret); app.ErrorField(err) != "code" {
		t.Errorf("old authenticator after re-enrolment: %v", err)
	}
	if _, err := recover(a.recovery[2]); err == nil {
		t.Error("an old recovery code still works after re-enrolment")
	}
	if _, err := e.login("yonetici", adminPassword, enr.Secret); err != nil {
		t.Errorf("new authenticator: %v", err)
	}
}

func TestAdminResetsPasswordAndTOTP(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	_, secret, _ := e.newAccount(a.sess, "mehmet", app.RoleClerk)
	temp, err := e.svc.ResetPassword(e.ctx, a.sess, "mehmet")
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Add(time.Minute)
	ch, err := e.svc.Login(e.ctx, "mehmet", temp)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := e.svc.VerifyTOTP(e.ctx, ch, e.code(secret, 0)); s != nil || err != nil || ch.Next() != auth.StepChangePassword {
		t.Fatalf("after a reset the password must change: %v %v", err, ch.Next())
	}
	if _, err := e.svc.ChangePassword(e.ctx, ch, "qwerty123456"); app.ErrorField(err) != "password" {
		t.Errorf("common password accepted: %v", err)
	}
	if s, err := e.svc.ChangePassword(e.ctx, ch, "Talas yolu 14 numara"); err != nil || s == nil {
		t.Fatalf("change password: %v", err)
	}
	if err := e.svc.ResetTOTP(e.ctx, a.sess, "mehmet"); err != nil {
		t.Fatal(err)
	}
	ch, err = e.svc.Login(e.ctx, "mehmet", "Talas yolu 14 numara")
	if err != nil || ch.Next() != auth.StepEnrolTOTP {
		t.Fatalf("after a TOTP reset: %v, next %v", err, ch.Next())
	}
}

func TestDisabledAccountCannotLogIn(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	_, secret, pw := e.newAccount(a.sess, "zeynep", app.RoleSupervisor)
	if err := e.svc.SetDisabled(e.ctx, a.sess, "zeynep", true); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(time.Minute)
	_, err := e.login("zeynep", pw, secret)
	if app.ErrorCode(err) != app.EUNAUTH || !strings.Contains(app.ErrorMessage(err), "devre dışı") {
		t.Errorf("disabled account: %v", err)
	}
	if err := e.svc.SetDisabled(e.ctx, a.sess, "zeynep", false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.login("zeynep", pw, secret); err != nil {
		t.Errorf("re-enabled account: %v", err)
	}
}

// TestLoginRehashesWithNewParameters: after the defaults change, a login
// or an unlock that verifies a password stores it again with them, once,
// keeping the account's flags; a wrong password, a disabled account and a
// reset made meanwhile leave the hash alone.
func TestLoginRehashesWithNewParameters(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	_, temp, err := e.svc.CreateAccount(e.ctx, a.sess, "ayse", app.RoleClerk)
	if err != nil {
		t.Fatal(err)
	}
	_, _, pw := e.newAccount(a.sess, "zeynep", app.RoleClerk)
	hashOf := func(user string) (string, bool) {
		t.Helper()
		acct, cred, err := e.store.AccountByUsername(e.ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		return cred.PasswordHash, acct.MustChangePassword
	}
	rehashed := func() int {
		return strings.Count(strings.Join(e.auditActions(), " "), "account.password_rehashed")
	}
	const newParams = "$m=2048,t=2,p=1$"
	old, _ := hashOf("yonetici")
	if err := e.svc.SetDisabled(e.ctx, a.sess, "zeynep", true); err != nil {
		t.Fatal(err)
	}
	e.params = auth.PasswordParams{Time: 2, Memory: 2048, Threads: 1}
	e.restart()
	e.clk.Add(time.Minute)

	// Wrong password, disabled account: nothing rewritten.
	if _, err := e.svc.Login(e.ctx, "yonetici", "yanlış parola 123456"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if _, err := e.svc.Login(e.ctx, "zeynep", pw); err == nil {
		t.Fatal("disabled account logged in")
	}
	if h, _ := hashOf("yonetici"); h != old || rehashed() != 0 {
		t.Fatal("a refused login rewrote a hash")
	}
	if h, _ := hashOf("zeynep"); strings.Contains(h, newParams) {
		t.Fatal("a disabled account's hash was rewritten")
	}

	sess, err := e.login("yonetici", adminPassword, a.secret)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := hashOf("yonetici")
	if now == old || !strings.Contains(now, newParams) || auth.NeedsRehash(now, e.params) {
		t.Errorf("after the login the hash is %.40s…, want %s", now, newParams)
	}
	if ok, err := auth.VerifyPassword(adminPassword, now); !ok || err != nil {
		t.Errorf("the new hash does not verify the password: %v", err)
	}
	e.clk.Add(time.Minute)
	if _, err := e.login("yonetici", adminPassword, a.secret); err != nil {
		t.Fatal(err)
	}
	if again, _ := hashOf("yonetici"); again != now {
		t.Error("a second login hashed the password again")
	}

	// A temporary password is rehashed too, and stays temporary.
	if _, err := e.svc.Login(e.ctx, "ayse", temp); err != nil {
		t.Fatal(err)
	}
	if h, must := hashOf("ayse"); !strings.Contains(h, newParams) || !must {
		t.Errorf("temporary password after login: %.40s…, must change %v", h, must)
	}

	// An unlock rehashes as a login does.
	oldParams, err := auth.HashPassword(adminPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	// (Put back as a rehash does, which leaves the session open.)
	if ok, err := e.store.RehashPassword(e.ctx, sess.Actor(), sess.AccountID(), now, oldParams); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := e.svc.Lock(e.ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Unlock(e.ctx, sess, adminPassword); err != nil {
		t.Fatal(err)
	}
	if h, _ := hashOf("yonetici"); !strings.Contains(h, newParams) {
		t.Errorf("after the unlock the hash is %.40s…, want %s", h, newParams)
	}
	if n := rehashed(); n != 4 {
		t.Errorf("%d account.password_rehashed in the audit chain, want 4 (3 and the test's own)", n)
	}

	// A reset that lands between the verification and the rehash wins.
	reset, err := auth.HashPassword("Talas yolu 2026 yeni", e.params)
	if err != nil {
		t.Fatal(err)
	}
	current, _ := hashOf("yonetici")
	if err := e.store.SetPassword(e.ctx, sess.Actor(), sess.AccountID(), reset, true, "account.password_reset"); err != nil {
		t.Fatal(err)
	}
	done, err := e.store.RehashPassword(e.ctx, sess.Actor(), sess.AccountID(), current, now)
	if err != nil || done {
		t.Fatalf("rehash over a reset: done %v, %v", done, err)
	}
	if h, must := hashOf("yonetici"); h != reset || !must {
		t.Error("a rehash undid a password reset")
	}
	if n := rehashed(); n != 4 {
		t.Errorf("a rehash that changed nothing was audited (%d)", n)
	}
}
