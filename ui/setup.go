package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/auth"
)

// setupScreen creates the first administrator on a terminal with no account:
// username and password, then the authenticator, then the recovery codes.
type setupScreen struct {
	h        host
	auth     *auth.Service
	username *entry
	password *entry
	again    *entry
	enrol    *enrolPanel
	codes    *widget.Label
	errs     *widget.Label
	next     *widget.Button
	steps    []fyne.CanvasObject
	step     int
	setup    *auth.Setup
	session  *auth.Session
	obj      fyne.CanvasObject

	// startSession hands the first administrator's session to the kiosk.
	startSession func(*auth.Session)
}

func newSetupScreen(h host, a *auth.Service, startSession func(*auth.Session)) *setupScreen {
	s := &setupScreen{h: h, auth: a, startSession: startSession}
	s.buildUI()
	return s
}

func (s *setupScreen) buildUI() {
	t := s.h.texts()
	s.username = t.entry("setup.username.placeholder")
	s.password = t.password("setup.password.placeholder")
	s.again = t.password("setup.again.placeholder")
	s.enrol = newEnrolPanel(s.h)
	s.enrol.code.OnSubmitted = func(string) { s.onNext() }
	s.codes = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
	s.errs = errorLabel()
	s.next = t.primary("setup.next", s.onNext)
	s.steps = []fyne.CanvasObject{
		container.NewVBox(t.label("setup.explain"), &widget.Form{Items: []*widget.FormItem{
			t.formItem("setup.username", s.username), t.formItem("setup.password", s.password),
			t.formItem("setup.again", s.again)}}),
		s.enrol.box,
		container.NewVBox(t.label("setup.codes.explain"), s.codes),
	}
	body := container.NewVBox(container.NewStack(s.steps...), s.errs)
	s.obj = page(t.heading("setup.title"), body, s.next)
	s.reset()
}

func (s *setupScreen) root() fyne.CanvasObject { return s.obj }

func (s *setupScreen) reset() {
	s.username.SetText("")
	s.password.SetText("")
	s.again.SetText("")
	s.enrol.reset()
	s.codes.SetText("")
	s.errs.SetText("")
	s.setup, s.session = nil, nil
	s.showStep(0)
}

func (s *setupScreen) focus() { s.h.canvas().Focus(s.username) }

func (s *setupScreen) showStep(i int) {
	s.step = i
	showOnly(s.steps, i)
}

func (s *setupScreen) onNext() {
	s.errs.SetText("")
	switch s.step {
	case 0:
		s.onAccount()
	case 1:
		s.onConfirm()
	case 2:
		s.startSession(s.session)
	}
}

func (s *setupScreen) onAccount() {
	if s.password.Text != s.again.Text {
		s.errs.SetText(message(errPasswordsDiffer))
		return
	}
	user, pass := s.username.Text, s.password.Text
	var setup *auth.Setup
	s.next.Disable()
	s.h.run(func(ctx context.Context) (err error) {
		setup, err = s.auth.BeginSetup(ctx, user, pass)
		return err
	}, func(err error) {
		s.next.Enable()
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.setup = setup
		s.password.SetText("")
		s.again.SetText("")
		s.enrol.set(setup.Enrolment)
		s.showStep(1)
		s.h.canvas().Focus(s.enrol.code)
	})
}

func (s *setupScreen) onConfirm() {
	code := s.enrol.code.Text
	var sess *auth.Session
	s.next.Disable()
	s.h.run(func(ctx context.Context) (err error) {
		sess, err = s.auth.CompleteSetup(ctx, s.setup, code)
		return err
	}, func(err error) {
		s.next.Enable()
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.session = sess
		s.codes.SetText(strings.Join(s.setup.Enrolment.RecoveryCodes, "\n"))
		s.enrol.reset()
		s.showStep(2)
		s.h.canvas().Focus(s.next)
	})
}
