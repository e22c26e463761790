package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/auth"
)

// exitPanel is the only way out of self-service: a clerk's username,
// password and authenticator code.
type exitPanel struct {
	k        *Kiosk
	username *entry
	password *entry
	code     *entry
	errs     *widget.Label
	box      *fyne.Container
}

func newExitPanel(k *Kiosk) *exitPanel {
	p := &exitPanel{k: k}
	t := k.t
	p.username = t.entry("login.username.placeholder")
	p.password = t.password("login.password.placeholder")
	p.code = t.entry("login.code.placeholder")
	p.errs = errorLabel()
	form := &widget.Form{Items: []*widget.FormItem{t.formItem("login.username", p.username),
		t.formItem("login.password", p.password), t.formItem("login.code", p.code)}}
	p.box = container.NewVBox(t.heading("exit.title"), t.label("exit.explain"), form, p.errs,
		container.NewHBox(t.button("common.cancel", p.hide), t.primary("exit.confirm", p.onExit)))
	p.box.Hide()
	return p
}

func (p *exitPanel) show() { p.box.Show() }

func (p *exitPanel) hide() {
	p.username.SetText("")
	p.password.SetText("")
	p.code.SetText("")
	p.errs.SetText("")
	p.box.Hide()
}

// onExit logs the clerk in and returns the terminal to counter mode. A
// clerk whose account still needs a step (new password, authenticator) must
// do it at the counter's login screen.
func (p *exitPanel) onExit() {
	user, pass, code := p.username.Text, p.password.Text, p.code.Text
	var sess *auth.Session
	p.k.run(func(ctx context.Context) error {
		ch, err := p.k.svc.Auth.Login(ctx, user, pass)
		if err != nil {
			return err
		}
		sess, err = p.k.svc.Auth.VerifyTOTP(ctx, ch, code)
		return err
	}, func(err error) {
		p.password.SetText("")
		p.code.SetText("")
		if err != nil {
			setError(p.errs, err)
			return
		}
		p.hide()
		p.k.leaveSelfService(sess)
	})
}
