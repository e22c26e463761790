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
// Turkish Q layout with first-level ç ğ ı ö ş ü and separate I/ı and İ/i
// (CLDR tr), or a 12-key telephone pad, 1-2-3 on top, whose bottom-left key
// is what the field needs: nothing for a T.C. Kimlik No, "+" for a phone,
// "." for a date. It types into whatever entry has the focus. Its keys are
// not focusable, so a tap never takes the focus away from that entry. It
// paints an opaque panel: nothing behind it shows through.
type Keyboard struct {
	widget.BaseWidget
	canvas  fyne.Canvas
	shift   bool
	auto    bool // shift came on by itself, for a capital, not by ⇧
	mode    padMode
	letters *fyne.Container
	digits  *fyne.Container
	extra   *key // the pad's bottom-left key
	keys    []*key
	last    fyne.Focusable // the field typed into last, should a tap take the focus away
	// OnKey is called after every key, for idle tracking.
	OnKey func()
	// OnEnter is the ⏎ key; without it ⏎ moves to the next field.
	OnEnter func()
	// AutoShift reports whether the next letter typed into a field should
	// be a capital (a name's first letter); nil for never.
	AutoShift func(fyne.Focusable) bool
}

// padMode is which keys the keyboard shows.
type padMode int

// Keyboard modes.
const (
	padLetters padMode = iota // letters, digits and what e-mail needs
	padDigits                 // 0–9 only: T.C. Kimlik No
	padPhone                  // 0–9 and "+"
	padDate                   // 0–9 and "."
)

var qRows = [][]string{
	{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
	{"q", "w", "e", "r", "t", "y", "u", "ı", "o", "p", "ğ", "ü"},
	{"a", "s", "d", "f", "g", "h", "j", "k", "l", "ş", "i"},
	{"z", "x", "c", "v", "b", "n", "m", "ö", "ç", "."},
}

// keyRows is how many rows of keys each mode shows.
const (
	letterRows = 5
	padRows    = 4
)

// NewKeyboard returns a keyboard that types into c's focused object.
func NewKeyboard(c fyne.Canvas) *Keyboard {
	k := &Keyboard{canvas: c}
	k.ExtendBaseWidget(k)
	k.letters = k.buildLetters()
	k.digits = k.buildPad()
	k.digits.Hide()
	return k
}

func (k *Keyboard) buildLetters() *fyne.Container {
	rows := make([]fyne.CanvasObject, 0, letterRows)
	for i, row := range qRows {
		keys := make([]fyne.CanvasObject, 0, len(row)+1)
		weights := make([]float32, 0, len(row)+1)
		if i == 3 {
			keys, weights = append(keys, k.newKey("⇧", func() { k.setShift(!k.shift, false) })), append(weights, 1.5)
		}
		for _, ch := range row {
			keys, weights = append(keys, k.newKey(ch, k.typeText(ch))), append(weights, 1)
		}
		rows = append(rows, container.New(&keyRow{weights: weights}, keys...))
	}
	rows = append(rows, container.New(&keyRow{weights: []float32{1, 1, 1, 5, 1.5, 1.5}},
		k.newKey("@", k.typeText("@")), k.newKey("-", k.typeText("-")), k.newKey("'", k.typeText("'")),
		k.newKey("␣", k.typeText(" ")), k.newKey("⌫", k.backspace), k.newKey("⏎", k.enter)))
	return container.NewGridWithRows(letterRows, rows...)
}

func (k *Keyboard) buildPad() *fyne.Container {
	keys := make([]fyne.CanvasObject, 0, 12)
	for _, ch := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		keys = append(keys, k.newKey(ch, k.typeText(ch)))
	}
	k.extra = k.newKey("", func() {
		if k.extra.label != "" {
			k.typeText(k.extra.label)()
		}
	})
	keys = append(keys, k.extra, k.newKey("0", k.typeText("0")), k.newKey("⌫", k.backspace))
	return container.NewGridWithColumns(3, keys...)
}

// SetMode shows the letters or one of the pads.
func (k *Keyboard) SetMode(m padMode) {
	k.mode = m
	k.letters.Hidden, k.digits.Hidden = m != padLetters, m == padLetters
	k.extra.setLabel(map[padMode]string{padPhone: "+", padDate: "."}[m])
	k.Refresh()
}

// Mode is what the keyboard shows.
func (k *Keyboard) Mode() padMode { return k.mode }

// Rows is how many rows of keys the keyboard shows now.
func (k *Keyboard) Rows() int {
	if k.mode == padLetters {
		return letterRows
	}
	return padRows
}

// CreateRenderer implements fyne.Widget.
func (k *Keyboard) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	body := container.New(&maxWidth{width: 1280}, container.NewStack(k.letters, container.New(&maxWidth{width: 560}, k.digits)))
	return &keyboardRenderer{k: k, bg: bg, body: body}
}

// keyboardRenderer draws the opaque panel under the keys.
type keyboardRenderer struct {
	k    *Keyboard
	bg   *canvas.Rectangle
	body *fyne.Container
}

func (r *keyboardRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.body.Resize(s)
}

// MinSize: rows of 40 px at the least, 12 mm at 15″ 1024×768, above
// UX.md's 9 mm floor; the layout gives more wherever the screen has room.
func (r *keyboardRenderer) MinSize() fyne.Size {
	return fyne.NewSize(480, float32(r.k.Rows())*minKeyRow)
}

// minKeyRow is the least height of a row of keys.
const minKeyRow = 40

func (r *keyboardRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameHeaderBackground)
	r.bg.Refresh()
	r.body.Refresh()
}
func (r *keyboardRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.body} }
func (r *keyboardRenderer) Destroy()                     {}

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

// Reset forgets everything of the last person: the remembered field, the
// shift state and the pad shown.
func (k *Keyboard) Reset() {
	k.last = nil
	k.setShift(false, false)
	k.SetMode(padLetters)
}

func (k *Keyboard) typeText(s string) func() {
	return func() {
		target := k.target()
		if target == nil {
			return
		}
		out := s
		if k.shift {
			out = app.UpperTR(s)
			k.setShift(false, false) // one letter only
		}
		for _, r := range out {
			target.TypedRune(r)
		}
		k.Follow(target)
	}
}

// Follow sets shift as target wants it now: on by itself before a capital
// (AutoShift), off again once the field no longer wants one. Shift set by
// the citizen's own ⇧ is left alone. The screen calls it when the focus
// moves and when a field's text changes.
func (k *Keyboard) Follow(target fyne.Focusable) {
	wants := k.AutoShift != nil && target != nil && k.AutoShift(target)
	switch {
	case wants && !k.shift:
		k.setShift(true, true)
	case !wants && k.shift && k.auto:
		k.setShift(false, false)
	}
}

// setShift turns shift on or off; auto says the keyboard did it itself.
func (k *Keyboard) setShift(on, auto bool) {
	k.auto = on && auto
	if on == k.shift {
		return
	}
	k.shift = on
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
		k.Follow(target)
	}
}

// enter is ⏎: the screen's next field or its "Devam et"; it never sends.
func (k *Keyboard) enter() {
	if k.target() == nil {
		return
	}
	if k.OnEnter != nil {
		k.OnEnter()
		return
	}
	k.canvas.FocusNext()
	k.last = k.canvas.Focused()
}
