package ui

import (
	"context"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
)

// onSelfService turns the counter into a self-service terminal: full
// screen, the clerk logged out, a citizen's welcome. Only an administrator
// or a supervisor may, and only a clerk's login leads back.
func (k *Kiosk) onSelfService() {
	if err := auth.Permits(k.sess, app.RoleAdmin, app.RoleSupervisor); err != nil {
		k.notify(message(err))
		return
	}
	sess := k.sess
	k.run(func(ctx context.Context) error {
		if k.svc.Audit != nil {
			if err := k.svc.Audit(ctx, sess.Actor(), "kiosk.self_service_started", k.svc.Config.TerminalID); err != nil {
				return err
			}
		}
		return k.svc.Auth.Logout(ctx, sess)
	}, func(error) {})
	k.keepMode(config.ModeSelfService)
	k.enterSelfService()
}

// enterSelfService shows the citizen's welcome, full screen, with no clerk
// logged in: after an admin's switch, or at a start in that mode.
func (k *Kiosk) enterSelfService() {
	k.sess = nil
	k.resetAll()
	k.shell.showBar(false)
	k.win.SetFullScreen(true)
	// Closing the window is no way out of self-service either.
	k.win.SetCloseIntercept(func() { k.self.exit.show() })
	k.self.reset()
	k.show(screenSelf)
}

// leaveSelfService returns to counter mode for the clerk who unlocked it.
func (k *Kiosk) leaveSelfService(sess *auth.Session) {
	k.self.reset()
	k.win.SetFullScreen(k.svc.FullScreen)
	k.win.SetCloseIntercept(k.win.Close)
	k.keepMode(config.ModeCounter)
	k.startSession(sess)
}

// keepMode remembers the terminal's mode for the next start
// (terminal.toml), so that a crash or a power cut brings it back to it.
func (k *Kiosk) keepMode(mode string) {
	k.svc.Config.Mode = mode
	if k.svc.SaveSettings == nil {
		return
	}
	if err := k.svc.SaveSettings(k.svc.Config); err != nil {
		k.svc.Log.Error("the terminal's mode is not kept for the next start", "mode", mode, "err", err)
	}
}

// toggleContrast switches the high-contrast theme.
func (k *Kiosk) toggleContrast() {
	k.contrast = !k.contrast
	k.app.Settings().SetTheme(newKioskTheme(k.contrast))
}
