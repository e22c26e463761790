package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// errorLabel is where a screen says, in a sentence, what went wrong and
// what to do. It is empty while all is well.
func errorLabel() *widget.Label {
	return &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
}

// infoLabel shows a quiet result ("Kaydedildi").
func infoLabel() *widget.Label {
	return &widget.Label{Importance: widget.SuccessImportance, Wrapping: fyne.TextWrapWord}
}

// page lays a screen out: a heading at the top, the body scrolling in the
// middle, the actions at the bottom, all within a readable width.
func page(heading fyne.CanvasObject, body fyne.CanvasObject, actions ...fyne.CanvasObject) fyne.CanvasObject {
	return fixedPage(heading, vscroll(body), actions...)
}

// vscroll scrolls obj up and down with room on the right for the scroll
// bar, which Fyne draws over the content: without it the right edge of
// every full-width input and the last button of a row ("Ara", "Düzelt")
// lay under the bar.
func vscroll(obj fyne.CanvasObject) *container.Scroll {
	return container.NewVScroll(container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.ScrollBarSize()), obj))
}

// fixedPage is page without the scrolling body: for screens whose body
// fills the window itself (a notice panel that scrolls on its own, sections
// that each fit).
func fixedPage(heading fyne.CanvasObject, body fyne.CanvasObject, actions ...fyne.CanvasObject) fyne.CanvasObject {
	bar := container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, actions...)...)
	inner := container.NewBorder(container.NewVBox(heading, widget.NewSeparator()), container.NewVBox(widget.NewSeparator(), bar), nil, nil,
		body)
	return container.New(&maxWidth{width: 980}, inner)
}

// maxWidth centres its one child and keeps it at most width wide: forms do
// not stretch across a 1920-pixel screen.
type maxWidth struct{ width float32 }

func (m *maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(min(s.Width, m.width), s.Height)
}

func (m *maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width-2*theme.Padding(), m.width)
	objs[0].Resize(fyne.NewSize(w, size.Height-2*theme.Padding()))
	objs[0].Move(fyne.NewPos((size.Width-w)/2, theme.Padding()))
}

// scrollToTop puts the first scroll of a page back at its top, where the
// page says what its last action did.
func scrollToTop(page fyne.CanvasObject) {
	if sc := firstScroll(page); sc != nil {
		sc.ScrollToTop()
	}
}

// firstScroll is the first scroll shown in page, nil when none.
func firstScroll(page fyne.CanvasObject) *container.Scroll {
	var sc *container.Scroll
	walkTree(page, false, func(o fyne.CanvasObject) {
		if s, ok := o.(*container.Scroll); ok && sc == nil {
			sc = s
		}
	})
	return sc
}

// scrollIntoView scrolls the first scroll of page just enough to show obj
// whole: an outcome shown at the page's lower edge is read, not cut.
func scrollIntoView(page, obj fyne.CanvasObject) {
	sc := firstScroll(page)
	if sc == nil || sc.Content == nil {
		return
	}
	sc.Refresh() // a message just set has its wrapped height only after a layout
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(obj).Y - d.AbsolutePositionForObject(sc.Content).Y
	bottom, view := top+obj.Size().Height, sc.Size().Height
	switch {
	case bottom > sc.Offset.Y+view:
		sc.Offset.Y = bottom - view + theme.Padding()
	case top < sc.Offset.Y:
		sc.Offset.Y = top - theme.Padding()
	}
	sc.Offset.Y = max(0, min(sc.Offset.Y, sc.Content.MinSize().Height-view))
	sc.Refresh()
}

// bigText is a large line, for a tracking code read aloud across a counter.
func bigText(size float32) *canvas.Text {
	t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.Alignment = fyne.TextAlignCenter
	return t
}

// setError shows err's message, or clears the label for nil.
func setError(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		return
	}
	l.SetText(message(err))
}

// showOnly shows the one object of list at index i and hides the rest.
func showOnly(list []fyne.CanvasObject, i int) {
	for j, o := range list {
		if j == i {
			o.Show()
		} else {
			o.Hide()
		}
	}
}
