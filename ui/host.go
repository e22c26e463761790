package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

// host is what a screen may use of the window it lives in, and nothing
// more of the kiosk: the texts that relabel on a language switch, the
// canvas (focus), work off the UI goroutine, the clerk's session, the
// status line and a way to show another screen. Every screen gets a host
// and, beside it, only the services it calls and the moves to other
// screens it makes (as funcs), so that what a screen depends on is read
// off its constructor. The Kiosk is the one host; it wires the screens
// together in New.
type host interface {
	texts() *texts
	canvas() fyne.Canvas
	clipboard() fyne.Clipboard
	// run does work off the UI goroutine and applies done's result on it.
	run(work func(ctx context.Context) error, done func(error))
	// background reports whether the UI has an event loop to come back to
	// later (false under Fyne's test driver, where work runs inline):
	// follow-ups that poll (a print job, a delayed refresh) only start
	// when it has.
	background() bool
	// touch notes activity, which keeps a clerk's session from locking.
	touch()
	// show puts the named screen in front.
	show(name string)
	// session is the clerk logged in; nil when none (self-service).
	session() *auth.Session
	// notify shows a short message on the status line.
	notify(msg string)
}

// may reports whether the clerk logged in to h has one of roles, to hide
// what they may not do; the services check again.
func may(h host, roles ...app.Role) bool {
	sess := h.session()
	if sess == nil {
		return false
	}
	for _, r := range roles {
		if sess.Role() == r {
			return true
		}
	}
	return false
}

func (k *Kiosk) texts() *texts             { return k.t }
func (k *Kiosk) canvas() fyne.Canvas       { return k.win.Canvas() }
func (k *Kiosk) clipboard() fyne.Clipboard { return k.app.Clipboard() }
func (k *Kiosk) background() bool          { return !k.inline }
func (k *Kiosk) session() *auth.Session    { return k.sess }

// prints is the print service for the screens that print.
func (k *Kiosk) prints() printing { return printing{k.svc.Printing} }
