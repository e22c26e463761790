package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// Keyboard is the on-screen keyboard of the self-service terminal: the
// Turkish Q layout with ı, İ, ğ, ü, ş, ö, ç, or a numeric pad for ID and
// phone fields. It types into whatever entry has the focus. Its keys are
// not focusable, so a tap never takes the focus away from that entry; its
// Enter key moves to the next field and never submits a form.
type Keyboard struct {
	widget.BaseWidget
	canvas  fyne.Canvas
	shift   bool
	numeric bool
	letters *fyne.Container
	digits  *fyne.Container
	keys    []*key
	last    fyne.Focusable // the field typed into last, should a tap take the focus away
	// OnKey is called after every key, for idle tracking.
	OnKey func()
}

var qRows = [][]string{
	{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
	{"q", "w", "e", "r", "t", "y", "u", "ı", "o", "p", "ğ", "ü"},
	{"a", "s", "d", "f", "g", "h", "j", "k", "l", "ş", "i"},
	{"z", "x", "c", "v", "b", "n", "m", "ö", "ç", ".", "@"},
}

// NewKeyboard returns a keyboard that types into c's focused object.
func NewKeyboard(c fyne.Canvas) *Keyboard {
	k := &Keyboard{canvas: c}
	k.ExtendBaseWidget(k)
	rows := make([]fyne.CanvasObject, 0, len(qRows)+1)
	for _, row := range qRows {
		keys := make([]fyne.CanvasObject, len(row))
		for i, ch := range row {
			keys[i] = k.newKey(ch, k.typeText(ch))
		}
		rows = append(rows, container.NewGridWithColumns(len(row), keys...))
	}
	rows = append(rows, container.NewGridWithColumns(6,
		k.newKey("⇧", k.toggleShift), k.newKey("123", func() { k.SetNumeric(true) }), k.newKey("-", k.typeText("-")), k.newKey("␣", k.typeText(" ")),
		k.newKey("⌫", k.backspace), k.newKey("⏎", k.next)))
	k.letters = container.NewVBox(rows...)
	pad := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "0"}
	padKeys := make([]fyne.CanvasObject, 0, 15)
	for _, ch := range pad {
		padKeys = append(padKeys, k.newKey(ch, k.typeText(ch)))
	}
	padKeys = append(padKeys, k.newKey("⌫", k.backspace), k.newKey("ABC", func() { k.SetNumeric(false) }), k.newKey("/", k.typeText("/")), k.newKey("⏎", k.next))
	k.digits = container.NewGridWithColumns(3, padKeys...)
	k.digits.Hide()
	return k
}

// SetNumeric shows the numeric pad (true) or the letters.
func (k *Keyboard) SetNumeric(on bool) {
	k.numeric = on
	k.letters.Hidden, k.digits.Hidden = on, !on
	k.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (k *Keyboard) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(k.letters, container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 340), k.digits))))
}

func (k *Keyboard) newKey(label string, tapped func()) *key {
	ky := newKey(label, func() {
		tapped()
		if k.OnKey != nil {
			k.OnKey()
		}
	})
	k.keys = append(k.keys, ky)
	return ky
}

// target returns the field to type into: the focused one, or the one typed
// into last when a tap took the focus away.
func (k *Keyboard) target() fyne.Focusable {
	if f := k.canvas.Focused(); f != nil && f != fyne.Focusable(k) {
		k.last = f
		return f
	}
	if k.last != nil {
		k.canvas.Focus(k.last)
	}
	return k.last
}

// FocusGained, FocusLost, TypedRune and TypedKey make the keyboard a
// focusable parent of its keys: Fyne's desktop driver then leaves the
// field's focus alone when a key is tapped. They do nothing themselves.
func (k *Keyboard) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (k *Keyboard) FocusLost() {}

// TypedRune implements fyne.Focusable.
func (k *Keyboard) TypedRune(rune) {}

// TypedKey implements fyne.Focusable.
func (k *Keyboard) TypedKey(*fyne.KeyEvent) {}

// Track remembers the focused field, if any; the kiosk calls it on its
// ticker so that a tap that takes the focus away still types there.
func (k *Keyboard) Track() {
	if f := k.canvas.Focused(); f != nil && f != fyne.Focusable(k) {
		k.last = f
	}
}

// Forget drops the remembered field, when the form is wiped.
func (k *Keyboard) Forget() { k.last = nil }

func (k *Keyboard) typeText(s string) func() {
	return func() {
		target := k.target()
		if target == nil {
			return
		}
		out := s
		if k.shift {
			out = app.UpperTR(s)
		}
		for _, r := range out {
			target.TypedRune(r)
		}
		if k.shift {
			k.toggleShift()
		}
	}
}

func (k *Keyboard) toggleShift() {
	k.shift = !k.shift
	for _, ky := range k.keys {
		if len([]rune(ky.label)) == 1 && ky.label != app.UpperTR(ky.label) {
			if k.shift {
				ky.text.Text = app.UpperTR(ky.label)
			} else {
				ky.text.Text = ky.label
			}
			ky.text.Refresh()
		}
	}
}

func (k *Keyboard) backspace() {
	if target := k.target(); target != nil {
		target.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	}
}

// next moves to the next field: a kiosk's Enter never submits a form.
func (k *Keyboard) next() {
	if k.target() != nil {
		k.canvas.FocusNext()
		k.last = k.canvas.Focused()
	}
}

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
	k.bg = canvas.NewRectangle(theme.Color(theme.ColorNameButton))
	k.bg.CornerRadius = 6
	k.text = canvas.NewText(label, theme.Color(theme.ColorNameForeground))
	k.text.TextSize = 26
	k.text.Alignment = fyne.TextAlignCenter
	k.ExtendBaseWidget(k)
	return k
}

// Tapped implements fyne.Tappable.
func (k *key) Tapped(*fyne.PointEvent) {
	k.bg.FillColor = theme.Color(theme.ColorNamePressed)
	k.bg.Refresh()
	k.tapped()
	k.bg.FillColor = theme.Color(theme.ColorNameButton)
	k.bg.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (k *key) CreateRenderer() fyne.WidgetRenderer {
	return &keyRenderer{k: k, objs: []fyne.CanvasObject{k.bg, k.text}}
}

type keyRenderer struct {
	k    *key
	objs []fyne.CanvasObject
}

func (r *keyRenderer) Layout(s fyne.Size) {
	r.k.bg.Resize(s.SubtractWidthHeight(4, 4))
	r.k.bg.Move(fyne.NewPos(2, 2))
	h := r.k.text.MinSize().Height
	r.k.text.Resize(fyne.NewSize(s.Width, h))
	r.k.text.Move(fyne.NewPos(0, (s.Height-h)/2))
}

// MinSize keeps every key at least 52 px square: a finger's width.
func (r *keyRenderer) MinSize() fyne.Size { return fyne.NewSize(52, 52) }
func (r *keyRenderer) Refresh() {
	r.k.bg.Refresh()
	r.k.text.Color = theme.Color(theme.ColorNameForeground)
	r.k.text.Refresh()
}
func (r *keyRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *keyRenderer) Destroy()                     {}
