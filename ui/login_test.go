package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

// TestFirstLoginShowsTheRecoveryCodesOnce: a clerk's first login, as the
// clerk does it on the login screen, shows the recovery codes of the new
// authenticator once, after the code confirms it and before the new
// password; the codes shown are the account's (one logs in), and they are
// gone from the screen after. Before, they were made and stored but never
// shown, while the screen offered "Kurtarma kodu kullanıyorum".
func TestFirstLoginShowsTheRecoveryCodesOnce(t *testing.T) {
	r := newRig(t)
	_, temp, err := r.tm.Service.CreateAccount(r.ctx, r.tm.Session(app.RoleAdmin), "gorevli", app.RoleClerk)
	if err != nil {
		t.Fatal(err)
	}
	s := r.k.views[screenLogin].(*loginScreen)
	r.k.show(screenLogin)
	r.typeInto(s.username, "gorevli")
	r.typeInto(s.password, temp)
	r.tap(s.next)
	if !s.enrol.box.Visible() || s.enrol.secret.Text == "" {
		t.Fatalf("no enrolment after the temporary password: %q", s.errs.Text)
	}
	code, _ := auth.CodeAt(s.enrol.secret.Text, r.tm.Clock.Now())
	r.typeInto(s.enrol.code, code)
	r.tap(s.next)
	codes := strings.Split(s.codes.Text, "\n")
	shape := regexp.MustCompile(`^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$`)
	if !s.steps[stepRecoveryCodes].Visible() || len(codes) != auth.RecoveryCodeCount || !shape.MatchString(codes[0]) {
		t.Fatalf("after the enrolment: codes shown %v, %q; error %q", s.steps[stepRecoveryCodes].Visible(), s.codes.Text, s.errs.Text)
	}
	if !strings.Contains(labelsOf(s.steps[stepRecoveryCodes]), "bir daha gösterilmez") {
		t.Error("the codes screen does not say they are shown once")
	}
	r.tap(s.next)
	if !s.steps[auth.StepChangePassword].Visible() || s.codes.Text != "" {
		t.Fatalf("after the codes: change password shown %v, codes left %q", s.steps[auth.StepChangePassword].Visible(), s.codes.Text)
	}
	const pw = "Talas yokuşu 2026 bahar"
	r.typeInto(s.newPass, pw)
	r.typeInto(s.newAgain, pw)
	r.tap(s.next)
	r.wantScreen(screenHome)

	// A code shown logs the clerk in.
	r.k.onLogout()
	r.k.Wait()
	ch, err := r.tm.Service.Login(r.ctx, "gorevli", pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.tm.Service.LoginWithRecovery(r.ctx, ch, codes[4]); err != nil {
		t.Errorf("a recovery code shown at the first login: %v", err)
	}
}

// TestACodeOfAnotherTimeTellsTheClerkOfTheClock: on the login screen, a code
// right for another time than the terminal's shows the sentence that a clock
// may be wrong, in Turkish and in English.
func TestACodeOfAnotherTimeTellsTheClerkOfTheClock(t *testing.T) {
	r := newRig(t)
	_, temp, err := r.tm.Service.CreateAccount(r.ctx, r.tm.Session(app.RoleAdmin), "gorevli", app.RoleClerk)
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := r.tm.Service.Login(r.ctx, "gorevli", temp)
	enr, _ := r.tm.Service.BeginEnrolment(r.ctx, ch)
	code, _ := auth.CodeAt(enr.Secret, r.tm.Clock.Now())
	r.tm.Service.CompleteEnrolment(r.ctx, ch, code)
	if _, err := r.tm.Service.ChangePassword(r.ctx, ch, "Talas yokuşu 2026 bahar"); err != nil {
		t.Fatal(err)
	}
	s := r.k.views[screenLogin].(*loginScreen)
	for _, c := range []struct{ lang, want string }{
		{"tr", "saati yanlış olabilir"},
		{"en", "clock may be wrong"},
	} {
		setLanguage(c.lang)
		r.tm.Clock.Add(time.Minute)
		r.k.show(screenLogin)
		s.reset()
		r.typeInto(s.username, "gorevli")
		r.typeInto(s.password, "Talas yokuşu 2026 bahar")
		r.tap(s.next)
		ahead, _ := auth.CodeAt(enr.Secret, r.tm.Clock.Now().Add(10*time.Minute))
		r.typeInto(s.code, ahead)
		r.tap(s.next)
		if !strings.Contains(s.errs.Text, c.want) {
			t.Errorf("%s: a code 10 minutes ahead shows %q, want %q", c.lang, s.errs.Text, c.want)
		}
	}
}

// labelsOf joins the texts of the labels under obj.
func labelsOf(obj fyne.CanvasObject) string {
	var b strings.Builder
	walk(obj, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}
