package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// A keyboard-wedge device (an identity-document reader, a barcode or QR
// scanner) types what it reads as keystrokes, far faster than a person:
// about 10 ms a character where a fast typist needs 100. The wedge holds
// every keystroke aimed at a counter screen for a moment and decides by
// timing: a run of keystrokes each less than wedgeGap after the last,
// wedgeMinRun long (or a shorter run ended by Enter, as scanners end a
// code), is a device's, and is handed whole to Kiosk.onDeviceText when
// the line falls quiet for wedgeQuiet; it never reaches a field. A
// person's keystrokes reach their field wedgeGap late, in order. A run
// onDeviceText does not claim (a fast typist, a key held down) is given
// back, key by key, to the widget it was aimed at.
const (
	wedgeGap      = 30 * time.Millisecond
	wedgeMinRun   = 20
	wedgeMinCode  = 12 // a tracking code without its dashes
	wedgeQuiet    = 150 * time.Millisecond
	wedgeMaxChars = 512 // a device read is never longer: a stuck key is given back
)

// wedgeClock is the wedge's time: the real one, or a test's.
type wedgeClock interface {
	Now() time.Time
	// AfterFunc runs f on the UI goroutine after d, unless stop is called.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// realClock is the wall clock; its timers come back through fyne.Do.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, func() { fyne.Do(f) }).Stop
}

// wedgeKey is one held keystroke: a rune, or a key (Enter).
type wedgeKey struct {
	r   rune
	key *fyne.KeyEvent
}

// wedge holds the run of keystrokes in progress and where it was aimed.
type wedge struct {
	clock  wedgeClock // nil: off, every keystroke goes straight on
	active func() bool
	claim  func(text string) bool // true: a device's read, taken
	keys   []wedgeKey
	target fyne.Focusable
	last   time.Time
	stop   func() bool
	giving bool // giving a run back: let the keys through
}

// typed takes a keystroke aimed at target; false lets it through now.
func (w *wedge) typed(target fyne.Focusable, k wedgeKey) bool {
	if w == nil || w.clock == nil || w.giving || !w.active() {
		return false
	}
	now := w.clock.Now()
	if len(w.keys) > 0 && (now.Sub(w.last) >= w.wait() || target != w.target) {
		w.finish()
	}
	if k.key != nil && len(w.keys) == 0 {
		return false // Enter, Backspace alone: a person's
	}
	if k.key != nil && k.key.Name != fyne.KeyReturn && k.key.Name != fyne.KeyEnter {
		w.finish() // an arrow or Backspace: the held keys go first
		return false
	}
	w.keys, w.target, w.last = append(w.keys, k), target, now
	if w.stop != nil {
		w.stop()
	}
	w.stop = w.clock.AfterFunc(w.wait(), w.finish)
	if len(w.keys) >= wedgeMaxChars {
		w.giveBack()
	}
	return true
}

// wait is how long the line may fall quiet before the run is over: the
// gap between a device's keystrokes, or once a run is clearly a device's,
// the pause that ends its read (readers pause at line ends).
func (w *wedge) wait() time.Duration {
	if len(w.keys) >= wedgeMinRun {
		return wedgeQuiet
	}
	return wedgeGap
}

// flush lets every held keystroke through: a shortcut, a tap or another
// screen must not overtake what was typed before it.
func (w *wedge) flush() {
	if w != nil && len(w.keys) > 0 {
		w.finish()
	}
}

// finish ends the run held: a device's read goes to claim, anything else
// back to its widget. The run is taken off first: claim may change the
// screen, which flushes.
func (w *wedge) finish() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
	keys, target := w.keys, w.target
	w.keys, w.target = nil, nil
	if len(keys) == 0 {
		return
	}
	last := keys[len(keys)-1].key
	device := len(keys) >= wedgeMinRun || last != nil && len(keys) > wedgeMinCode
	if device && w.claim(keysText(keys)) {
		return
	}
	w.give(keys, target)
}

// keysText is a run as text, Enter as a line break.
func keysText(keys []wedgeKey) string {
	out := make([]rune, 0, len(keys))
	for _, k := range keys {
		if k.key != nil {
			out = append(out, '\n')
		} else {
			out = append(out, k.r)
		}
	}
	return string(out)
}

// giveBack gives the run held back to its widget now.
func (w *wedge) giveBack() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
	keys, target := w.keys, w.target
	w.keys, w.target = nil, nil
	w.give(keys, target)
}

// give types keys into the widget they were aimed at; with nothing
// focused they are dropped, as Fyne drops them.
func (w *wedge) give(keys []wedgeKey, target fyne.Focusable) {
	if target == nil {
		return
	}
	w.giving = true
	defer func() { w.giving = false }()
	for _, k := range keys {
		if k.key != nil {
			target.TypedKey(k.key)
		} else {
			target.TypedRune(k.r)
		}
	}
}

// wedgeButton is a button that passes a device's keystrokes to the wedge
// while it has the focus: a plain button drops them, and a clerk may read
// a card with the focus on the page's first button.
type wedgeButton struct {
	widget.Button
	keys *keyRoute
}

// wbutton is texts.button as a wedgeButton.
func (t *texts) wbutton(key string, tapped func()) *wedgeButton {
	b := &wedgeButton{keys: t.keys}
	b.Text, b.OnTapped = lang.L(key), tapped
	b.ExtendBaseWidget(b)
	t.later(func() { b.SetText(lang.L(key)) })
	return b
}

// wprimary is texts.primary as a wedgeButton.
func (t *texts) wprimary(key string, tapped func()) *wedgeButton {
	b := t.wbutton(key, tapped)
	b.Importance = widget.HighImportance
	return b
}

// TypedRune implements fyne.Focusable.
func (b *wedgeButton) TypedRune(r rune) {
	if !b.keys.typed(b, wedgeKey{r: r}) {
		b.Button.TypedRune(r)
	}
}

// TypedKey implements fyne.Focusable.
func (b *wedgeButton) TypedKey(ev *fyne.KeyEvent) {
	if !b.keys.typed(b, wedgeKey{key: ev}) {
		b.Button.TypedKey(ev)
	}
}
