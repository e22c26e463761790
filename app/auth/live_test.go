package auth_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
)

// TestAdminChangesEndTheOtherSessionAtOnce: each change an admin makes to
// an account ends that account's open session on this terminal at once
// (its state goes to ended, which the kiosk's ticker turns into the login
// screen), saying why, audited; and the session can do nothing more, even
// through Unlock. A demoted admin can no longer create an admin. Before, the
// session kept its rights until it ended by itself.
func TestAdminChangesEndTheOtherSessionAtOnce(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	changes := []struct {
		name   string
		role   app.Role
		change func(user string) error
		why    string
	}{
		{"demoted admin", app.RoleAdmin, func(u string) error { return e.svc.SetRole(e.ctx, a.sess, u, app.RoleClerk) },
			"Rolünüz değiştirildi; oturum kapatıldı. Yeni yetkilerinizle yeniden giriş yapın."},
		{"disabled clerk", app.RoleClerk, func(u string) error { return e.svc.SetDisabled(e.ctx, a.sess, u, true) },
			"Hesabınız devre dışı bırakıldı; oturum kapatıldı. Yöneticinize başvurun."},
		{"password reset", app.RoleSupervisor, func(u string) error { _, err := e.svc.ResetPassword(e.ctx, a.sess, u); return err },
			"Şifreniz sıfırlandı; oturum kapatıldı. Yöneticinin verdiği geçici şifreyle yeniden giriş yapın."},
		{"authenticator reset", app.RoleClerk, func(u string) error { return e.svc.ResetTOTP(e.ctx, a.sess, u) },
			"Doğrulama uygulamanız sıfırlandı; oturum kapatıldı. Yeniden giriş yapıp yeni uygulamayı tanıtın."},
	}
	for i, c := range changes {
		user := "hesap" + string(rune('a'+i))
		other, _, pw := e.newAccount(a.sess, user, c.role)
		if err := c.change(user); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if st := other.State(); st != auth.SessionEnded {
			t.Errorf("%s: the other session is %v, want ended", c.name, st)
		}
		if got := app.ErrorMessage(other.EndReason()); got != c.why {
			t.Errorf("%s: end reason %q, want %q", c.name, got, c.why)
		}
		_, _, err := e.svc.CreateAccount(e.ctx, other, "yeni.yonetici"+user, app.RoleAdmin)
		wantCode(t, c.name+" creates an admin", err, app.EUNAUTH)
		wantCode(t, c.name+" unlocks", e.svc.Unlock(e.ctx, other, pw), app.EUNAUTH)
		if err := auth.Require(e.ctx, a.sess, app.RoleAdmin); err != nil {
			t.Errorf("%s: the admin's own session suffered: %v", c.name, err)
		}
	}
	if n := countOf(e.auditActions(), "session.revoked"); n != len(changes) {
		t.Errorf("%d session.revoked events, want %d", n, len(changes))
	}
}

// TestAChangeFromAnotherProcessEndsTheSessionAtTheNextCall: an account
// changed by another process on the same database (a second service over
// the same file) is found by the next service call, and by Check, the
// kiosk's periodic look, even while the clerk does nothing.
func TestAChangeFromAnotherProcessEndsTheSessionAtTheNextCall(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	second, _, _ := e.newAccount(a.sess, "ikinci", app.RoleAdmin)
	other := e.secondService()
	// The other process's admin: the first admin logs in there.
	e.clk.Add(time.Minute)
	ch, err := other.Login(e.ctx, "yonetici", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	there, err := other.VerifyTOTP(e.ctx, ch, e.code(a.secret, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.SetRole(e.ctx, there, "ikinci", app.RoleSupervisor); err != nil {
		t.Fatal(err)
	}
	if second.State() != auth.SessionActive {
		t.Fatal("this process learnt of the change without looking")
	}
	_, _, err = e.svc.CreateAccount(e.ctx, second, "sahte.yonetici", app.RoleAdmin)
	wantCode(t, "the demoted admin creates an admin", err, app.EUNAUTH)
	if second.State() != auth.SessionEnded {
		t.Errorf("after the refused call the session is %v, want ended", second.State())
	}

	// Check finds a change with no call made.
	clerk, _, _ := e.newAccount(a.sess, "gorevli", app.RoleClerk)
	if err := other.SetDisabled(e.ctx, there, "gorevli", true); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "Check", e.svc.Check(e.ctx, clerk), app.EUNAUTH)
	if clerk.State() != auth.SessionEnded {
		t.Errorf("after Check the session is %v, want ended", clerk.State())
	}
	if err := e.svc.Check(e.ctx, a.sess); err != nil {
		t.Errorf("Check of an unchanged session: %v", err)
	}
}

// TestOwnChangesKeepTheSession: a clerk changing their own password keeps
// the session they did it from (their other session ends); an admin's
// change that changes nothing ends nothing; a rehash ends nothing.
func TestOwnChangesKeepTheSession(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	clerk, secret, pw := e.newAccount(a.sess, "gorevli", app.RoleClerk)
	e.clk.Add(time.Minute)
	again, err := e.login("gorevli", pw, secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ChangeOwnPassword(e.ctx, clerk, pw, "Talas yokuşu 2026 bahar"); err != nil {
		t.Fatal(err)
	}
	if err := auth.Require(e.ctx, clerk, app.RoleClerk); err != nil {
		t.Errorf("the session that changed its password: %v", err)
	}
	if again.State() != auth.SessionEnded {
		t.Errorf("the clerk's other session is %v, want ended", again.State())
	}
	if err := e.svc.SetDisabled(e.ctx, a.sess, "gorevli", false); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRole(e.ctx, a.sess, "gorevli", app.RoleClerk); err != nil {
		t.Fatal(err)
	}
	if err := auth.Require(e.ctx, clerk, app.RoleClerk); err != nil {
		t.Errorf("after changes that change nothing: %v", err)
	}
}

// secondService opens a second store and service over the env's database
// and key: another process on the same terminal.
func (e *env) secondService() *auth.Service {
	e.t.Helper()
	store, err := sqlite.Open(e.ctx, filepath.Join(e.dir, "gise.db"), e.sealer)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { store.Close() })
	store.Now = e.clk.Now
	svc, err := auth.New(store, e.sealer, auth.Options{Now: e.clk.Now, Password: e.params, IsCommonPassword: assets.IsCommonPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	return svc
}

func countOf(list []string, s string) int {
	n := 0
	for i := slices.Index(list, s); i >= 0; i = slices.Index(list, s) {
		n++
		list = list[i+1:]
	}
	return n
}

// BenchmarkRequire is the check every service call makes: the session's
// state, one read of its account by primary key, the role. Figures:
// docs/PERFORMANCE.md, "Accounts".
func BenchmarkRequire(b *testing.B) {
	e := newEnv(b)
	a := e.setupAdmin()
	b.ReportAllocs()
	for b.Loop() {
		if err := auth.Require(e.ctx, a.sess, app.RoleAdmin); err != nil {
			b.Fatal(err)
		}
	}
}
