package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// syncScreen shows the queue and the sync worker's state, with "sync now".
type syncScreen struct {
	k     *Kiosk
	state *widget.Label
	errs  *widget.Label
	obj   fyne.CanvasObject
}

func newSyncScreen(k *Kiosk) *syncScreen {
	s := &syncScreen{k: k}
	t := k.t
	s.state = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.errs = errorLabel()
	s.obj = page(t.heading("sync.title"), container.NewVBox(s.state, s.errs),
		t.button("common.home", func() { k.show(screenHome) }), t.button("sync.refresh", s.refresh),
		t.button("sync.problems", s.onProblems),
		t.primary("sync.now", s.onSyncNow))
	return s
}

func (s *syncScreen) root() fyne.CanvasObject { return s.obj }
func (s *syncScreen) reset()                  { s.state.SetText(""); s.errs.SetText("") }

// refresh reads the worker's state.
func (s *syncScreen) refresh() {
	if s.k.svc.Sync == nil {
		s.state.SetText(lang.L("sync.notconfigured"))
		return
	}
	s.k.readSync(func(v SyncView, err error) {
		setError(s.errs, err)
		if err != nil {
			return
		}
		s.state.SetText(syncText(v))
	})
}

func syncText(v SyncView) string {
	last, next := lang.L("sync.never"), "-"
	if !v.LastSuccess.IsZero() {
		last = v.LastSuccess.Local().Format("02.01.2006 15:04:05")
	}
	if !v.NextAttempt.IsZero() {
		next = v.NextAttempt.Local().Format("15:04:05")
	}
	return lang.L("sync.state", map[string]any{
		"Badge": badgeText(v, nil), "Pending": v.Pending, "Conflicts": v.Conflicts, "Rejected": v.Rejected,
		"Last": last, "Next": next, "Error": v.LastError,
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

func (s *syncScreen) onSyncNow() {
	s.k.touch()
	if s.k.svc.Sync == nil {
		s.state.SetText(lang.L("sync.notconfigured"))
		return
	}
	s.k.svc.Sync.SyncNow()
	s.k.notify(lang.L("sync.started"))
}
