package counter_test

import (
	"context"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/auth/authtest"
	"github.com/kocasinan/gise/app/counter"
)

// TestAChangedAccountLosesTheCounterAtOnce: a clerk disabled while logged in
// can no longer search, register or see a national ID, at the very next
// call, whether the admin disabled the account through this terminal's
// service (which ends the session at once) or it changed in the database
// by another way (which the next call finds). Before, the session kept its
// rights until it ended.
func TestAChangedAccountLosesTheCounterAtOnce(t *testing.T) {
	for _, how := range []string{"service", "store"} {
		t.Run(how, func(t *testing.T) {
			tm, svc := setup(t)
			ctx := context.Background()
			clerk := tm.Session(app.RoleClerk)
			v, err := svc.StartVisit(clerk, "")
			if err != nil {
				t.Fatal(err)
			}
			giveNotice(t, v)
			c, err := svc.Register(ctx, clerk, v, ayse)
			if err != nil {
				t.Fatal(err)
			}
			disable(t, tm, how, clerk)
			checks := map[string]func() error{
				"find": func() error { _, err := svc.Find(ctx, clerk, "öztürk"); return err },
				"register": func() error {
					v2, _ := counter.New(tm.Store).StartVisit(clerk, "")
					if v2 == nil {
						return app.Errorf(app.EUNAUTH, "no visit")
					}
					_, err := svc.Register(ctx, clerk, v2, ayse)
					return err
				},
				"reveal national id": func() error { _, err := svc.RevealNationalID(ctx, clerk, c.ID); return err },
				"citizen":            func() error { _, err := svc.Citizen(ctx, clerk, c.ID); return err },
				"complaint":          func() error { return svc.FileComplaint(ctx, clerk, &app.Complaint{}) },
			}
			for name, call := range checks {
				if err := call(); app.ErrorCode(err) != app.EUNAUTH {
					t.Errorf("%s by a disabled clerk: %v, want EUNAUTH", name, err)
				}
			}
			if clerk.State() != auth.SessionEnded {
				t.Errorf("the disabled clerk's session is %v, want ended", clerk.State())
			}
			if want := "Hesabınız devre dışı bırakıldı; oturum kapatıldı. Yöneticinize başvurun."; app.ErrorMessage(clerk.EndReason()) != want {
				t.Errorf("end reason %q", app.ErrorMessage(clerk.EndReason()))
			}
		})
	}
}

// disable disables sess's account through the terminal's service, or
// straight in the store as another process would.
func disable(t *testing.T, tm *authtest.Terminal, how string, sess *auth.Session) {
	t.Helper()
	ctx := context.Background()
	var err error
	switch how {
	case "service":
		err = tm.Service.SetDisabled(ctx, tm.Session(app.RoleAdmin), sess.Username(), true)
	case "store":
		err = tm.Store.UpdateAccount(ctx, app.Actor{Username: "yonetici", Role: app.RoleAdmin},
			&auth.Account{ID: sess.AccountID(), Role: sess.Role(), Disabled: true}, "account.disabled")
	}
	if err != nil {
		t.Fatal(err)
	}
}
