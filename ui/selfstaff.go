package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// selfStaff is what "Görevli çağır" opens: it tells the citizen that a
// member of staff is coming and to wait at this screen, keeps saying so in
// the bar until staff log in at the exit panel or the visit is wiped, and
// holds the staff's way in (the exit panel) behind "Görevli girişi".
type selfStaff struct {
	s      *selfScreen
	called bool
	note   *widget.Label // in the bar while staff are on their way
	wait   *fyne.Container
	box    *fyne.Container
}

func newSelfStaff(s *selfScreen) *selfStaff {
	t := s.h.texts()
	st := &selfStaff{s: s}
	st.note = t.label("self.staff.coming")
	st.note.Importance, st.note.TextStyle, st.note.Wrapping = widget.WarningImportance, fyne.TextStyle{Bold: true}, fyne.TextWrapOff
	st.note.Hide()
	heading := t.heading("self.staff.title")
	heading.Wrapping = fyne.TextWrapWord
	st.wait = container.NewVBox(heading, t.label("self.staff.wait"),
		container.NewHBox(t.large("self.staff.back", true, st.onBack)),
		widget.NewSeparator(), container.NewHBox(t.large("self.staff.login", false, st.onLogin)))
	st.box = container.NewStack(st.wait, s.exit.box)
	return st
}

// onCall is "Görevli çağır": the first call of a visit is recorded in the
// audit chain; every call shows the waiting page.
func (st *selfStaff) onCall() {
	st.s.activity()
	if !st.called {
		st.called = true
		st.note.Show()
		s := st.s
		s.h.run(func(ctx context.Context) error {
			if s.kiosk.audit == nil {
				return nil
			}
			return s.kiosk.audit(ctx, app.SelfService, "kiosk.staff_called", s.cfg.TerminalID)
		}, func(error) {})
	}
	st.s.exit.box.Hide()
	st.wait.Show()
	st.s.setOverlay(overlayStaff)
}

// onBack returns the citizen to where they were; the bar keeps saying that
// staff are coming.
func (st *selfStaff) onBack() {
	st.s.activity()
	st.s.setOverlay(overlayNone)
}

// onLogin shows the staff's login, with the keyboard.
func (st *selfStaff) onLogin() {
	st.s.activity()
	st.wait.Hide()
	st.s.exit.show()
}

// showLogin opens the staff login directly (a closed window's intercept).
func (st *selfStaff) showLogin() {
	st.wait.Hide()
	st.s.setOverlay(overlayStaff)
	st.s.h.canvas().Focus(st.s.exit.username)
	st.s.followFocus()
}

// clear forgets the call.
func (st *selfStaff) clear() {
	st.called = false
	st.note.Hide()
	st.wait.Show()
}
