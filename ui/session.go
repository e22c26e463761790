package ui

import (
	"context"

	"github.com/kocasinan/gise/app/auth"
)

// Screen names.
const (
	screenSetup     = "setup"
	screenLogin     = "login"
	screenLock      = "lock"
	screenHome      = "home"
	screenRegister  = "register"
	screenCitizen   = "citizen"
	screenComplaint = "complaint"
	screenTrack     = "track"
	screenSync      = "sync"
	screenAdmin     = "admin"
	screenSelf      = "self"
	screenProblems  = "problems"
)

// startSession begins work for a clerk who just logged in. A previous
// clerk's locked session is handed over: its forms are cleared.
func (k *Kiosk) startSession(sess *auth.Session) {
	prev := k.sess
	if prev != nil && prev.AccountID() != sess.AccountID() {
		k.run(func(ctx context.Context) error {
			_, err := k.svc.Auth.Handover(ctx, prev, sess)
			return err
		}, func(error) {})
		k.resetAll()
	}
	k.views[screenLogin].reset()
	k.sess = sess
	k.resume = screenHome
	k.shell.setWho(sess)
	k.shell.showBar(true)
	k.shell.refreshBadge()
	k.home.refresh()
	k.show(screenHome)
}

// lockNow hides everything behind the lock screen; the forms stay as they
// are for the same clerk.
func (k *Kiosk) lockNow() {
	sess := k.sess
	if k.shown != screenLock && k.shown != screenLogin {
		k.resume = k.shown
	}
	k.shell.showBar(false)
	k.lock.prepare(sess)
	k.show(screenLock)
	k.run(func(ctx context.Context) error { return k.svc.Auth.Lock(ctx, sess) }, func(error) {})
}

// onLock is the lock button.
func (k *Kiosk) onLock() { k.lockNow() }

// onLogout ends the session and clears every screen.
func (k *Kiosk) onLogout() {
	sess := k.sess
	k.run(func(ctx context.Context) error { return k.svc.Auth.Logout(ctx, sess) }, func(error) {})
	k.endSession("")
}

// endSession forgets the clerk and returns to the login screen.
func (k *Kiosk) endSession(why string) {
	k.sess = nil
	k.resetAll()
	k.shell.showBar(false)
	k.show(screenLogin)
	k.notify(why)
}

// notify shows a short message on the status line.
func (k *Kiosk) notify(msg string) { k.shell.setStatus(msg) }

// toggleLanguage switches between Turkish and English.
func (k *Kiosk) toggleLanguage() {
	k.lang = map[string]string{"tr": "en", "en": "tr"}[k.lang]
	setLanguage(k.lang)
	k.t.refresh()
	if k.sess != nil {
		k.shell.setWho(k.sess)
	}
}
