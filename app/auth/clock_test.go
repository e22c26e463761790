package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
)

// TestAClockPutBackDoesNotLockAccountsOut: a login made while the
// terminal's clock ran ahead (5 minutes, 2 days) leaves a step from the
// future; once the clock is put right, the codes of the real time are
// accepted at once. Before, every code was refused as already used until
// real time passed the stored step. Replays stay refused exactly: the same
// code twice, a code older than one just accepted, and the code accepted
// while the clock ran ahead, when its time comes.
func TestAClockPutBackDoesNotLockAccountsOut(t *testing.T) {
	for _, ahead := range []time.Duration{5 * time.Minute, 48 * time.Hour} {
		t.Run(ahead.String(), func(t *testing.T) {
			e := newEnv(t)
			a := e.setupAdmin()
			e.clk.Add(ahead) // the clock runs ahead at this login
			if _, err := e.login("yonetici", adminPassword, a.secret); err != nil {
				t.Fatalf("login with the clock ahead: %v", err)
			}
			early := e.code(a.secret, 0)
			e.clk.Add(-ahead + time.Minute) // put right; a minute has really passed
			if _, err := e.login("yonetici", adminPassword, a.secret); err != nil {
				t.Fatalf("login once the clock is right: %v", err)
			}
			now := e.code(a.secret, 0)
			wantReplay(t, e, "the same code again", now)
			e.clk.Add(time.Minute)
			if _, err := e.login("yonetici", adminPassword, a.secret); err != nil {
				t.Fatal(err)
			}
			wantReplay(t, e, "the code of the step before", e.code(a.secret, -time.Duration(30)*time.Second))
			e.clk.Add(ahead - 2*time.Minute) // real time reaches the early login's
			wantReplay(t, e, "the code accepted while the clock ran ahead", early)
		})
	}
}

// wantReplay logs in with code and wants it refused as already used.
func wantReplay(t *testing.T, e *env, what, code string) {
	t.Helper()
	ch, err := e.svc.Login(e.ctx, "yonetici", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.VerifyTOTP(e.ctx, ch, code)
	if !strings.Contains(app.ErrorMessage(err), "daha önce kullanıldı") {
		t.Errorf("%s: %v, want it refused as already used", what, err)
	}
}

// TestACodeOfAnotherTimeSaysTheClockMayBeWrong: a code right for a time
// minutes or hours away from the terminal's says that a clock may be wrong;
// a wrong code says it is wrong. Before, both said the code was wrong.
func TestACodeOfAnotherTimeSaysTheClockMayBeWrong(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	const skewed = "Bu kod, bu terminalin saatine göre şu an geçerli değil: terminalin ya da telefonun saati yanlış olabilir. İkisinin saatini kontrol edin; düzelmezse yöneticinize haber verin."
	for _, c := range []struct {
		code string
		want string
	}{
		{e.code(a.secret, 5*time.Minute), skewed},
		{e.code(a.secret, -3*time.Hour), skewed},
		{"abcdef", "Doğrulama kodu hatalı. Uygulamadaki güncel 6 haneli kodu yazın."},
	} {
		e.clk.Add(time.Second)
		ch, err := e.svc.Login(e.ctx, "yonetici", adminPassword)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.VerifyTOTP(e.ctx, ch, c.code)
		if app.ErrorMessage(err) != c.want || app.ErrorField(err) != "code" {
			t.Errorf("code %s: %v, want %q", c.code, err, c.want)
		}
	}
	// The first run's setup and an enrolment confirmed with a code of
	// another time say so too.
	other := newEnv(t)
	setup, err := other.svc.BeginSetup(other.ctx, "yonetici", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.svc.CompleteSetup(other.ctx, setup, other.code(setup.Enrolment.Secret, -20*time.Minute)); app.ErrorMessage(err) != skewed {
		t.Errorf("setup with a code of another time: %v", err)
	}
	_, temp, err := e.svc.CreateAccount(e.ctx, a.sess, "gorevli", app.RoleClerk)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := e.svc.Login(e.ctx, "gorevli", temp)
	if err != nil {
		t.Fatal(err)
	}
	enr, err := e.svc.BeginEnrolment(e.ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CompleteEnrolment(e.ctx, ch, e.code(enr.Secret, 10*time.Minute)); app.ErrorMessage(err) != skewed {
		t.Errorf("enrolment with a code of another time: %v", err)
	}
}
