package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// selfLayout lays the self-service screen out as three bands: the bar at
// the top, the question area in the middle and the on-screen keyboard at
// the bottom. The keyboard is part of the layout, not drawn over it: the
// question area ends where the keyboard begins, so the focused field and
// "Devam et" are never under it (UX.md, after WCAG 2.4.11 and Microsoft's
// InputPane). The keyboard takes the height its keys want, but never so
// much that the question area is squeezed below what it needs.
type selfLayout struct {
	bar, body fyne.CanvasObject
	keyboard  *Keyboard
}

// keyHeight is the height of a key row for a window size: 20 mm where the
// screen allows (UX.md), between 52 and 84 px.
func keyHeight(window fyne.Size) float32 {
	return min(max(window.Height*0.085, 52), 84)
}

// keyboardHeight is the height the keyboard gets in a window of size,
// when the question area above it needs body.
func (l *selfLayout) keyboardHeight(size fyne.Size, bar, body float32) float32 {
	if !l.keyboard.Visible() {
		return 0
	}
	want := float32(l.keyboard.Rows())*keyHeight(size) + 2*theme.Padding()
	room := size.Height - bar - body
	return max(min(want, room), l.keyboard.MinSize().Height)
}

// Layout implements fyne.Layout.
func (l *selfLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	barH := l.bar.MinSize().Height
	l.bar.Resize(fyne.NewSize(size.Width, barH))
	l.bar.Move(fyne.NewPos(0, 0))
	kbH := l.keyboardHeight(size, barH, l.body.MinSize().Height)
	l.body.Resize(fyne.NewSize(size.Width, size.Height-barH-kbH))
	l.body.Move(fyne.NewPos(0, barH))
	l.keyboard.Resize(fyne.NewSize(size.Width, kbH))
	l.keyboard.Move(fyne.NewPos(0, size.Height-kbH))
}

// MinSize implements fyne.Layout.
func (l *selfLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	bar, body := l.bar.MinSize(), l.body.MinSize()
	h := bar.Height + body.Height
	if l.keyboard.Visible() {
		h += l.keyboard.MinSize().Height
	}
	return fyne.NewSize(max(bar.Width, body.Width), h)
}

// selfColumn centres its one child in a column at most width wide, with
// the theme's padding around it, counted in its minimum size too.
type selfColumn struct{ width float32 }

func (l *selfColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	p := 2 * theme.Padding()
	s := objs[0].MinSize()
	return fyne.NewSize(min(s.Width, l.width)+p, s.Height+p)
}

func (l *selfColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p := theme.Padding()
	w := min(size.Width-2*p, l.width)
	objs[0].Resize(fyne.NewSize(w, size.Height-2*p))
	objs[0].Move(fyne.NewPos((size.Width-w)/2, p))
}

// atLeast gives its objects at least a size, for a column that must not
// shrink below a readable width.
type atLeast struct{ size fyne.Size }

func (l *atLeast) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := l.size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *atLeast) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}
