package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column lays objects out top to bottom like a VBox, but gives no room to
// an empty message: a label with no text takes neither height nor the
// padding around it. A screen's error and result lines stay in place, and
// an empty one leaves no gap above the form.
func column(objs ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: columnLayout{}, Objects: objs}
}

type columnLayout struct{}

func shownInColumn(o fyne.CanvasObject) bool {
	if !o.Visible() {
		return false
	}
	if l, ok := o.(*widget.Label); ok && l.Text == "" {
		return false
	}
	return true
}

// MinSize implements fyne.Layout.
func (columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	n := 0
	for _, o := range objs {
		if !shownInColumn(o) {
			continue
		}
		m := o.MinSize()
		size.Width = max(size.Width, m.Width)
		size.Height += m.Height
		n++
	}
	if n > 1 {
		size.Height += theme.Padding() * float32(n-1)
	}
	return size
}

// Layout implements fyne.Layout.
func (columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !shownInColumn(o) {
			o.Resize(fyne.NewSize(size.Width, 0))
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + theme.Padding()
	}
}

// leadThenFill lays out its first object at its minimum width on the left
// and gives the second the rest: a Border's left and centre, but in the
// order the objects are given, which is the order Tab takes.
type leadThenFill struct{}

// MinSize implements fyne.Layout.
func (leadThenFill) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+theme.Padding()+b.Width, max(a.Height, b.Height))
}

// Layout implements fyne.Layout.
func (leadThenFill) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := objs[0].MinSize().Width
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	x := w + theme.Padding()
	objs[1].Move(fyne.NewPos(x, 0))
	objs[1].Resize(fyne.NewSize(size.Width-x, size.Height))
}
