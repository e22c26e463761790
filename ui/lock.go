package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/auth"
)

// lockScreen covers the counter while its clerk is away. The same clerk
// unlocks with their password and finds their half-typed form; another clerk
// logs in afresh, and the form is cleared.
type lockScreen struct {
	h        host
	auth     *auth.Service
	who      *widget.Label
	password *entry
	errs     *widget.Label
	sess     *auth.Session
	obj      fyne.CanvasObject

	// unlocked returns the kiosk to where its clerk was.
	unlocked func()
}

func newLockScreen(h host, a *auth.Service, unlocked func()) *lockScreen {
	s := &lockScreen{h: h, auth: a, unlocked: unlocked}
	t := h.texts()
	s.who = &widget.Label{Alignment: fyne.TextAlignCenter, TextStyle: fyne.TextStyle{Bold: true}}
	s.password = t.password("lock.password.placeholder")
	s.password.OnSubmitted = func(string) { s.onUnlock() }
	s.errs = errorLabel()
	body := container.NewVBox(t.label("lock.explain"), s.who,
		&widget.Form{Items: []*widget.FormItem{t.formItem("lock.password", s.password)}}, s.errs)
	s.obj = page(t.heading("lock.title"), body, t.button("lock.other", s.onOther), t.primary("lock.unlock", s.onUnlock))
	return s
}

func (s *lockScreen) root() fyne.CanvasObject { return s.obj }
func (s *lockScreen) focus()                  { s.h.canvas().Focus(s.password) }

func (s *lockScreen) reset() {
	s.password.SetText("")
	s.errs.SetText("")
}

// prepare readies the screen for sess's clerk.
func (s *lockScreen) prepare(sess *auth.Session) {
	s.sess = sess
	s.reset()
	s.who.SetText(lang.L("lock.who", map[string]any{"User": sess.Username()}))
}

func (s *lockScreen) onUnlock() {
	pass, sess := s.password.Text, s.sess
	s.h.run(func(ctx context.Context) error { return s.auth.Unlock(ctx, sess, pass) }, func(err error) {
		s.password.SetText("")
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.unlocked()
	})
}

// onOther lets another clerk log in; their login hands the session over.
func (s *lockScreen) onOther() { s.h.show(screenLogin) }
