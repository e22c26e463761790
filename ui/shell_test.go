package ui

import (
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/clock"
)

// TestTheBarWarnsOfTheClock: a jump of the wall clock, or a skew from the
// central's time over 120 s, shows in the bar; a right clock shows nothing.
func TestTheBarWarnsOfTheClock(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	var st clock.State
	r.k.svc.Clock = func() clock.State { return st }
	for _, c := range []struct {
		st   clock.State
		want string
	}{
		{clock.State{}, ""},
		{clock.State{Skew: 90 * time.Second, SkewKnown: true}, ""},
		{clock.State{Jump: -48 * time.Hour}, "Saat 2 dakikadan fazla değiştirildi; doğru mu?"},
		{clock.State{Skew: 200 * time.Second, SkewKnown: true}, "Saat merkezden 2 dakikadan fazla farklı; düzeltin"},
	} {
		st = c.st
		r.k.shell.tick()
		if got := r.k.shell.warning.Text; got != c.want {
			t.Errorf("%+v: the bar says %q, want %q", c.st, got, c.want)
		}
	}
}

// TestAnEndedSessionSaysWhy: when an admin disables a clerk, the clerk's
// kiosk goes to the login screen at its next tick and says why.
func TestAnEndedSessionSaysWhy(t *testing.T) {
	r := newRig(t)
	clerk := r.login(app.RoleClerk)
	if err := r.tm.Service.SetDisabled(r.ctx, r.tm.Session(app.RoleAdmin), clerk.Username(), true); err != nil {
		t.Fatal(err)
	}
	r.k.shell.tick()
	r.wantScreen(screenLogin)
	if want := "Hesabınız devre dışı bırakıldı; oturum kapatıldı. Yöneticinize başvurun."; r.k.shell.status.Text != want {
		t.Errorf("status %q, want %q", r.k.shell.status.Text, want)
	}
}
