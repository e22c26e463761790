package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

// errPasswordsDiffer is the answer when the two password fields differ.
var errPasswordsDiffer = app.FieldError("password", "İki şifre aynı değil; ikisini de yeniden yazın.")

// stepRecoveryCodes is the login screen's own step after an enrolment: the
// new recovery codes, shown once, before the login goes on.
const stepRecoveryCodes auth.Step = -1

// loginScreen logs a clerk in: username and password, then the
// authenticator code (or a recovery code), then whatever the account still
// needs (a new authenticator, whose recovery codes it shows once; a new
// password).
type loginScreen struct {
	h         host
	auth      *auth.Service
	username  *entry
	password  *entry
	code      *entry
	recovery  *widget.Check
	newPass   *entry
	newAgain  *entry
	enrol     *enrolPanel
	codes     *widget.Label
	errs      *widget.Label
	next      *widget.Button
	steps     map[auth.Step]fyne.CanvasObject
	first     fyne.CanvasObject
	challenge *auth.Challenge
	// Login state that is not a widget: the recovery codes of the pending
	// enrolment, and, while they are shown, the session they lead to (nil
	// when the login has a step left).
	newCodes   []string
	codesShown bool
	afterCodes *auth.Session
	obj        fyne.CanvasObject

	// startSession hands the session of a clerk who logged in to the kiosk.
	startSession func(*auth.Session)
}

func newLoginScreen(h host, a *auth.Service, startSession func(*auth.Session)) *loginScreen {
	s := &loginScreen{h: h, auth: a, startSession: startSession}
	s.buildUI()
	return s
}

func (s *loginScreen) buildUI() {
	t := s.h.texts()
	s.username = t.entry("login.username.placeholder")
	s.password = t.password("login.password.placeholder")
	s.password.OnSubmitted = func(string) { s.onNext() }
	s.code = t.entry("login.code.placeholder")
	s.code.OnSubmitted = func(string) { s.onNext() }
	s.recovery = t.check("login.recovery", nil)
	s.newPass = t.password("login.newpass.placeholder")
	s.newAgain = t.password("login.newpass.placeholder")
	s.newAgain.OnSubmitted = func(string) { s.onNext() }
	s.enrol = newEnrolPanel(s.h)
	s.enrol.code.OnSubmitted = func(string) { s.onNext() }
	s.codes = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
	s.errs = errorLabel()
	s.next = t.primary("login.next", s.onNext)
	s.first = &widget.Form{Items: []*widget.FormItem{
		t.formItem("login.username", s.username), t.formItem("login.password", s.password)}}
	s.steps = map[auth.Step]fyne.CanvasObject{
		auth.StepTOTP: container.NewVBox(t.label("login.code.explain"),
			&widget.Form{Items: []*widget.FormItem{t.formItem("login.code", s.code)}}, s.recovery),
		auth.StepChangePassword: container.NewVBox(t.label("login.newpass.explain"),
			&widget.Form{Items: []*widget.FormItem{t.formItem("login.newpass", s.newPass), t.formItem("login.newagain", s.newAgain)}}),
		auth.StepEnrolTOTP: s.enrol.box,
		stepRecoveryCodes:  container.NewVBox(t.label("setup.codes.explain"), s.codes),
	}
	all := []fyne.CanvasObject{s.first}
	for _, st := range []auth.Step{auth.StepTOTP, auth.StepChangePassword, auth.StepEnrolTOTP, stepRecoveryCodes} {
		all = append(all, s.steps[st])
	}
	body := container.NewVBox(container.NewStack(all...), s.errs)
	s.obj = page(t.heading("login.title"), body, s.next)
	s.reset()
}

func (s *loginScreen) root() fyne.CanvasObject { return s.obj }

func (s *loginScreen) focus() {
	if s.challenge == nil {
		s.h.canvas().Focus(s.username)
	}
}

func (s *loginScreen) reset() {
	for _, e := range []*entry{s.username, s.password, s.code, s.newPass, s.newAgain} {
		e.SetText("")
	}
	s.recovery.SetChecked(false)
	s.enrol.reset()
	s.codes.SetText("")
	s.errs.SetText("")
	s.challenge, s.newCodes, s.codesShown, s.afterCodes = nil, nil, false, nil
	s.showStep(0)
}

func (s *loginScreen) showStep(step auth.Step) {
	if step == 0 {
		s.first.Show()
	} else {
		s.first.Hide()
	}
	for st, o := range s.steps {
		if st == step {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

func (s *loginScreen) onNext() {
	s.errs.SetText("")
	if s.challenge == nil {
		s.onPassword()
		return
	}
	if s.codesShown {
		s.onCodesWritten()
		return
	}
	switch s.challenge.Next() {
	case auth.StepTOTP:
		s.onCode()
	case auth.StepChangePassword:
		s.onNewPassword()
	case auth.StepEnrolTOTP:
		s.onEnrolCode()
	}
}

func (s *loginScreen) onPassword() {
	user, pass := s.username.Text, s.password.Text
	var ch *auth.Challenge
	s.next.Disable()
	s.h.run(func(ctx context.Context) (err error) {
		ch, err = s.auth.Login(ctx, user, pass)
		return err
	}, func(err error) {
		s.next.Enable()
		s.password.SetText("")
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.challenge = ch
		s.afterStep(nil, nil)
	})
}

func (s *loginScreen) onCode() {
	code, ch := s.code.Text, s.challenge
	recovery := s.recovery.Checked
	s.step(func(ctx context.Context) (*auth.Session, error) {
		if recovery {
			return s.auth.LoginWithRecovery(ctx, ch, code)
		}
		return s.auth.VerifyTOTP(ctx, ch, code)
	})
}

func (s *loginScreen) onNewPassword() {
	if s.newPass.Text != s.newAgain.Text {
		s.errs.SetText(message(errPasswordsDiffer))
		return
	}
	pass, ch := s.newPass.Text, s.challenge
	s.step(func(ctx context.Context) (*auth.Session, error) { return s.auth.ChangePassword(ctx, ch, pass) })
}

// onEnrolCode confirms the new authenticator, then shows its recovery
// codes once before the login goes on.
func (s *loginScreen) onEnrolCode() {
	code, ch := s.enrol.code.Text, s.challenge
	var sess *auth.Session
	s.next.Disable()
	s.h.run(func(ctx context.Context) (err error) {
		sess, err = s.auth.CompleteEnrolment(ctx, ch, code)
		return err
	}, func(err error) {
		s.next.Enable()
		s.enrol.code.SetText("")
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.enrol.reset()
		s.codes.SetText(strings.Join(s.newCodes, "\n"))
		s.newCodes, s.codesShown, s.afterCodes = nil, true, sess
		s.showStep(stepRecoveryCodes)
		s.h.canvas().Focus(s.next)
	})
}

// focusAfterKey focuses an entry once the key event being handled is
// over: a space that taps "Devam" on the codes step would otherwise also
// type itself into the new password field it moves the focus to. (Fyne's
// test driver has no event loop: there the focus moves at once.)
func (s *loginScreen) focusAfterKey(e *entry) {
	if !s.h.background() {
		s.h.canvas().Focus(e)
		return
	}
	go fyne.Do(func() { s.h.canvas().Focus(e) })
}

// onCodesWritten forgets the recovery codes (they are not shown again) and
// goes on with the login.
func (s *loginScreen) onCodesWritten() {
	sess := s.afterCodes
	s.codes.SetText("")
	s.codesShown, s.afterCodes = false, nil
	s.afterStep(sess, nil)
}

// step runs one login step off the UI goroutine, then shows what comes next:
// the counter when a session was given, else the step the login still needs.
func (s *loginScreen) step(work func(ctx context.Context) (*auth.Session, error)) {
	var sess *auth.Session
	s.next.Disable()
	s.h.run(func(ctx context.Context) (err error) {
		sess, err = work(ctx)
		return err
	}, func(err error) {
		s.next.Enable()
		s.code.SetText("")
		s.newPass.SetText("")
		s.newAgain.SetText("")
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.afterStep(sess, nil)
	})
}

// afterStep shows what a login needs next: the counter once a session was
// given, a fresh authenticator secret when one must be enrolled, else the
// next step's fields.
func (s *loginScreen) afterStep(sess *auth.Session, _ error) {
	if sess != nil {
		s.startSession(sess)
		return
	}
	ch := s.challenge
	switch ch.Next() {
	case auth.StepTOTP:
		s.showStep(auth.StepTOTP)
		s.h.canvas().Focus(s.code)
		return
	case auth.StepChangePassword:
		s.showStep(auth.StepChangePassword)
		s.focusAfterKey(s.newPass)
		return
	}
	var e *auth.Enrolment
	s.h.run(func(ctx context.Context) (err error) {
		e, err = s.auth.BeginEnrolment(ctx, ch)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.enrol.set(e)
		s.newCodes = e.RecoveryCodes
		s.showStep(auth.StepEnrolTOTP)
		s.h.canvas().Focus(s.enrol.code)
	})
}
