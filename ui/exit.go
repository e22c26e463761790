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
	h        host
	auth     *auth.Service
	username *entry
	password *entry
	code     *entry
	errs     *widget.Label
	box      *fyne.Container
	// onShow, onHide and onMessage let the screen around the panel follow
	// it: a message shown needs its room.
	onShow, onHide, onMessage func()
	// leave returns the terminal to counter mode for the clerk logged in.
	leave func(*auth.Session)
}

// newExitPanel builds the panel; input wraps each entry for the screen
// around it (the self-service screen puts a focus probe over it), and leave
// takes the session of the clerk who logged in.
func newExitPanel(h host, a *auth.Service, input func(*entry) fyne.CanvasObject, leave func(*auth.Session)) *exitPanel {
	p := &exitPanel{h: h, auth: a, leave: leave}
	t := h.texts()
	p.username = t.entry("login.username.placeholder")
	p.password = t.password("login.password.placeholder")
	p.code = t.entry("login.code.placeholder")
	p.errs = errorLabel()
	p.errs.Hide()
	row := func(l *widget.Label, e *entry) fyne.CanvasObject {
		l.TextStyle = fyne.TextStyle{Bold: true}
		return container.NewVBox(l, input(e))
	}
	heading := t.heading("exit.title")
	heading.Wrapping = fyne.TextWrapWord
	p.box = container.NewVBox(heading, t.label("exit.explain"),
		container.NewGridWithColumns(3, row(t.label("login.username"), p.username), row(t.label("login.password"), p.password), row(t.label("login.code"), p.code)),
		p.errs, container.NewHBox(t.large("common.cancel", false, p.hide), t.large("exit.confirm", true, p.onExit)))
	p.box.Hide()
	return p
}

// show opens the panel.
func (p *exitPanel) show() {
	p.box.Show()
	if p.onShow != nil {
		p.onShow()
	}
}

// hide closes the panel and forgets everything typed into it.
func (p *exitPanel) hide() {
	p.clear()
	p.box.Hide()
	if p.onHide != nil {
		p.onHide()
	}
}

// clear forgets the username, password, code and message.
func (p *exitPanel) clear() {
	p.username.SetText("")
	p.password.SetText("")
	p.code.SetText("")
	setMessage(p.errs, nil)
}

// onExit logs the clerk in and returns the terminal to counter mode. A
// clerk whose account still needs a step (new password, authenticator) must
// do it at the counter's login screen.
func (p *exitPanel) onExit() {
	user, pass, code := p.username.Text, p.password.Text, p.code.Text
	var sess *auth.Session
	p.h.run(func(ctx context.Context) error {
		ch, err := p.auth.Login(ctx, user, pass)
		if err != nil {
			return err
		}
		sess, err = p.auth.VerifyTOTP(ctx, ch, code)
		return err
	}, func(err error) {
		p.password.SetText("")
		p.code.SetText("")
		if err != nil {
			setMessage(p.errs, err)
			// The password is to be typed again: the cursor waits there,
			// with the keyboard, rather than nowhere.
			p.h.canvas().Focus(p.password)
			if p.onMessage != nil {
				p.onMessage()
			}
			return
		}
		p.hide()
		p.leave(sess)
	})
}
