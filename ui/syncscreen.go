package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// syncScreen shows the queue and the sync worker's state, with "sync now".
// It shows the same reading as the badge (shell.showSync).
type syncScreen struct {
	h     host
	sync  SyncControl // nil when the terminal runs without a central
	badge syncBadge
	to    syncMoves
	state *widget.Label
	note  *widget.Label // what "Şimdi gönder" did, beside it
	errs  *widget.Label
	now   *widget.Button
	obj   fyne.CanvasObject
}

// syncBadge is the shell's one reading of the sync worker's state, shown
// everywhere it appears (the badge, the home screen, the sync screen), so
// that they never disagree.
type syncBadge interface {
	// refreshBadge reads the state again, off the UI goroutine, and shows it.
	refreshBadge()
	// showSync shows one reading everywhere.
	showSync(v SyncView, err error)
}

// syncMoves are the screens the sync screen opens, made ready; wired in New.
type syncMoves struct {
	problems func() // the supervisor's conflicts, rejections and failed print jobs, read again
	usb      func() // the transfer by USB stick, its media and counts read again
}

func newSyncScreen(h host, sync SyncControl, badge syncBadge, to syncMoves) *syncScreen {
	s := &syncScreen{h: h, sync: sync, badge: badge, to: to}
	t := h.texts()
	s.state = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.note = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	s.errs = errorLabel()
	s.now = t.primary("sync.now", s.onSyncNow)
	actions := container.NewHBox(s.now, t.button("sync.refresh", s.refresh), t.button("sync.problems", s.onProblems),
		t.button("sync.usb", to.usb))
	s.obj = page(t.heading("sync.title"), container.NewVBox(s.state, actions, s.note, s.errs),
		t.button("common.home", func() { h.show(screenHome) }))
	return s
}

func (s *syncScreen) root() fyne.CanvasObject { return s.obj }

func (s *syncScreen) reset() {
	s.state.SetText("")
	s.note.SetText("")
	s.errs.SetText("")
}

// refresh reads the worker's state for the badge and this screen at once.
func (s *syncScreen) refresh() { s.badge.refreshBadge() }

// show lays out one reading of the worker's state.
func (s *syncScreen) show(v SyncView, err error) {
	setError(s.errs, err)
	if err != nil {
		return
	}
	if s.sync == nil || !v.Configured {
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
	s.h.touch()
	s.to.problems()
}

// onSyncNow starts a round at once; the state above shows how it went a
// moment later. A terminal with no central says so instead of pretending.
func (s *syncScreen) onSyncNow() {
	s.h.touch()
	s.note.SetText("")
	if s.sync == nil {
		s.show(SyncView{}, nil)
		s.setNote(lang.L("sync.now.unlinked"), widget.WarningImportance)
		return
	}
	var v SyncView
	s.h.run(func(ctx context.Context) (err error) {
		v, err = s.sync.View(ctx)
		return err
	}, func(err error) {
		s.badge.showSync(v, err)
		if err != nil || !v.Configured {
			s.setNote(lang.L("sync.now.unlinked"), widget.WarningImportance)
			return
		}
		if time.Until(v.QuietUntil) > 0 {
			// The worker keeps the central's wait; saying "started" would be untrue.
			s.setNote(lang.L("sync.now.quiet", map[string]any{"Time": v.QuietUntil.Local().Format("15:04:05")}), widget.WarningImportance)
			return
		}
		s.sync.SyncNow()
		s.setNote(lang.L("sync.started"), widget.SuccessImportance)
		if s.h.background() {
			time.AfterFunc(2*time.Second, func() { fyne.Do(s.refresh) })
		}
	})
}

// setNote says what "Şimdi gönder" did, in the colour of its meaning: a
// round that could not start is a warning, not plain text.
func (s *syncScreen) setNote(text string, imp widget.Importance) {
	s.note.Importance = imp
	s.note.SetText(text)
}
