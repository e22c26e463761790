package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// syncScreen shows the queue and the sync worker's state, with "sync now".
// It shows the same reading as the badge (shell.showSync).
type syncScreen struct {
	k     *Kiosk
	state *widget.Label
	note  *widget.Label // what "Şimdi gönder" did, beside it
	errs  *widget.Label
	now   *widget.Button
	obj   fyne.CanvasObject
}

func newSyncScreen(k *Kiosk) *syncScreen {
	s := &syncScreen{k: k}
	t := k.t
	s.state = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.note = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	s.errs = errorLabel()
	s.now = t.primary("sync.now", s.onSyncNow)
	actions := container.NewHBox(s.now, t.button("sync.refresh", s.refresh), t.button("sync.problems", s.onProblems),
		t.button("sync.usb", func() { k.views[screenUSB].(*usbScreen).open() }))
	s.obj = page(t.heading("sync.title"), container.NewVBox(s.state, actions, s.note, s.errs),
		t.button("common.home", func() { k.show(screenHome) }))
	return s
}

func (s *syncScreen) root() fyne.CanvasObject { return s.obj }

func (s *syncScreen) reset() {
	s.state.SetText("")
	s.note.SetText("")
	s.errs.SetText("")
}

// refresh reads the worker's state for the badge and this screen at once.
func (s *syncScreen) refresh() { s.k.shell.refreshBadge() }

// show lays out one reading of the worker's state.
func (s *syncScreen) show(v SyncView, err error) {
	setError(s.errs, err)
	if err != nil {
		return
	}
	if s.k.svc.Sync == nil || !v.Configured {
		// The button stays: pressed, it says why nothing can be sent.
		s.state.SetText(lang.L("sync.notconfigured") + "\n" + lang.L("sync.pending", map[string]any{"Pending": v.Pending}))
		return
	}
	s.state.SetText(syncText(v))
}

func syncText(v SyncView) string {
	last, next := lang.L("sync.never"), "-"
	if !v.LastSuccess.IsZero() {
		last = v.LastSuccess.Local().Format("02.01.2006 15:04:05")
	}
	if !v.NextAttempt.IsZero() {
		next = v.NextAttempt.Local().Format("15:04:05")
	}
	lastErr := v.LastError
	if lastErr == "" {
		lastErr = "-"
	}
	return lang.L("sync.state", map[string]any{
		"Badge": badgeText(v, nil), "Pending": v.Pending, "Conflicts": v.Conflicts, "Rejected": v.Rejected,
		"Last": last, "Next": next, "Error": lastErr,
	})
}

// onProblems opens the supervisor's list of conflicts, rejections and
// failed print jobs.
func (s *syncScreen) onProblems() {
	s.k.touch()
	s.k.problems.reset()
	s.k.problems.refresh()
	s.k.show(screenProblems)
}

// onSyncNow starts a round at once; the state above shows how it went a
// moment later. A terminal with no central says so instead of pretending.
func (s *syncScreen) onSyncNow() {
	s.k.touch()
	s.note.SetText("")
	if s.k.svc.Sync == nil {
		s.show(SyncView{}, nil)
		s.note.SetText(lang.L("sync.now.unlinked"))
		return
	}
	s.k.readSync(func(v SyncView, err error) {
		s.k.shell.showSync(v, err)
		if err != nil || !v.Configured {
			s.note.SetText(lang.L("sync.now.unlinked"))
			return
		}
		if time.Until(v.QuietUntil) > 0 {
			// The worker keeps the central's wait; saying "started" would be untrue.
			s.note.SetText(lang.L("sync.now.quiet", map[string]any{"Time": v.QuietUntil.Local().Format("15:04:05")}))
			return
		}
		s.k.svc.Sync.SyncNow()
		s.note.SetText(lang.L("sync.started"))
		if !s.k.inline {
			time.AfterFunc(2*time.Second, func() { fyne.Do(s.refresh) })
		}
	})
}
