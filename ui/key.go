package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// key is one key: large, tappable, and deliberately not focusable.
type key struct {
	widget.BaseWidget
	label  string
	tapped func()
	bg     *canvas.Rectangle
	text   *canvas.Text
}

func newKey(label string, tapped func()) *key {
	k := &key{label: label, tapped: tapped}
	k.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	k.bg.CornerRadius = 6
	k.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	k.bg.StrokeWidth = 1
	k.text = canvas.NewText(label, theme.Color(theme.ColorNameForeground))
	k.text.TextSize = 28
	k.text.Alignment = fyne.TextAlignCenter
	k.ExtendBaseWidget(k)
	return k
}

// setLabel changes what the key types and shows; an empty key is blank
// and does nothing.
func (k *key) setLabel(label string) {
	k.label, k.text.Text = label, label
	k.bg.Hidden = label == ""
	k.Refresh()
}

// Tapped implements fyne.Tappable.
func (k *key) Tapped(*fyne.PointEvent) { k.tapped() }

// CreateRenderer implements fyne.Widget.
func (k *key) CreateRenderer() fyne.WidgetRenderer {
	return &keyRenderer{k: k, objs: []fyne.CanvasObject{k.bg, k.text}}
}

type keyRenderer struct {
	k    *key
	objs []fyne.CanvasObject
}

// Layout leaves 3 px of dead space around each key (≥1 mm, UX.md).
func (r *keyRenderer) Layout(s fyne.Size) {
	r.k.bg.Resize(s.SubtractWidthHeight(6, 6))
	r.k.bg.Move(fyne.NewPos(3, 3))
	h := r.k.text.MinSize().Height
	r.k.text.Resize(fyne.NewSize(s.Width, h))
	r.k.text.Move(fyne.NewPos(0, (s.Height-h)/2))
}

// MinSize keeps every key a finger's target (the keyboard sets the
// height of its rows).
func (r *keyRenderer) MinSize() fyne.Size { return fyne.NewSize(40, minKeyRow) }
func (r *keyRenderer) Refresh() {
	r.k.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.k.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.k.bg.Refresh()
	r.k.text.Color = theme.Color(theme.ColorNameForeground)
	r.k.text.Refresh()
}
func (r *keyRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *keyRenderer) Destroy()                     {}

// keyRow lays a row of keys out side by side, each as wide as its weight
// says (the space bar five keys, shift one and a half).
type keyRow struct{ weights []float32 }

func (l *keyRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w, h = w+m.Width, max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}

func (l *keyRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for _, w := range l.weights {
		total += w
	}
	x := float32(0)
	for i, o := range objs {
		w := size.Width * l.weights[i] / total
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w
	}
}
