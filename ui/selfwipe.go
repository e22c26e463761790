package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// reset wipes the visit and returns to the welcome: it leaves nothing of
// the person anywhere (UX.md, after ADA §707.4 and KVKK m.12). Every entry
// under the screen is emptied and every scroll put back at the top by
// walking the tree, so a field added later cannot be forgotten here; the
// answers that are not entries, the messages, the staff call and login,
// the keyboard's shift and remembered field, the focus, the status line
// and the clipboard are cleared by name.
func (s *selfScreen) reset() {
	if v := s.visit; v != nil {
		s.h.run(func(ctx context.Context) error { return v.End(ctx) }, func(error) {})
	}
	s.visit, s.busy, s.editing = nil, false, false
	s.clearAnswers()
	walkTree(s.obj, true, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *entry:
			x.SetText("")
		case *container.Scroll:
			x.ScrollToTop()
		}
	})
	setMessage(s.noticeErr, nil)
	s.summary.clear()
	s.summary.send.Enable()
	s.receipt.clear()
	s.exit.clear()
	s.exit.box.Hide()
	s.staff.clear()
	s.keyboard.Reset()
	s.clearPlaceholders()
	s.h.canvas().Unfocus()
	s.lastSeen = nil
	if c := s.h.clipboard(); c != nil {
		c.SetContent("")
	}
	s.h.notify("")
	s.idle.showing = false
	s.idle.touch(s.now())
	s.show(selfWelcome)
}

// clearAnswers empties every answer and its message.
func (s *selfScreen) clearAnswers() {
	s.fields.reset()
	s.desc.SetText("")
	s.kind.Clear()
	s.category.Clear()
	for _, q := range s.questions {
		q.show(nil)
	}
	if q := s.questions[selfContact]; q != nil {
		s.phoneHint(q.fields[0])
	}
}

// walkTree visits obj and what it holds through containers, scrolls and
// theme overrides (not into other widgets' insides); all includes what is
// hidden.
func walkTree(obj fyne.CanvasObject, all bool, visit func(fyne.CanvasObject)) {
	if obj == nil || (!all && !obj.Visible()) {
		return
	}
	visit(obj)
	switch o := obj.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			walkTree(c, all, visit)
		}
	case *container.Scroll:
		walkTree(o.Content, all, visit)
	case *container.ThemeOverride:
		walkTree(o.Content, all, visit)
	case *steadyTheme:
		walkTree(o.over, all, visit)
	}
}

// touchCatcher lies under the whole screen and takes the taps that land
// on nothing else: any touch keeps the visit alive (UX.md).
type touchCatcher struct {
	widget.BaseWidget
	onTap func()
}

func newTouchCatcher(onTap func()) *touchCatcher {
	c := &touchCatcher{onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped implements fyne.Tappable.
func (c *touchCatcher) Tapped(*fyne.PointEvent) { c.onTap() }

// CreateRenderer implements fyne.Widget: the catcher draws nothing.
func (c *touchCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
