package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// tap taps o where a person sees it: in the visible part of it, after
// scrolling it into view when a scroll hides it. What is on top at that
// point (a pop-up, a key) receives the tap, as on a real screen.
func (w *walker) tap(o fyne.CanvasObject) {
	w.t.Helper()
	vis, sc := w.reveal(o)
	w.count.taps++
	// A person taps the control itself (a check's box and label, a
	// button's face), which is at least its minimum size from its start.
	n := sc.byObj[o]
	ms := o.MinSize()
	y0 := n.box.y0 + (n.box.h()-ms.Height)/2
	if core := vis.and(rect{n.box.x0, y0, n.box.x0 + ms.Width, y0 + ms.Height}); !core.empty() {
		vis = core
	}
	at := fyne.NewPos((vis.x0+vis.x1)/2, (vis.y0+vis.y1)/2)
	switch e := o.(type) {
	case *entry, *widget.SelectEntry: // a press in a field focuses it (Entry.MouseDown)
		if w.k.Shown() != screenSelf { // self-service's fields take taps through a probe on top
			w.w.Canvas().Focus(e.(fyne.Focusable))
			return
		}
	}
	test.TapCanvas(w.w.Canvas(), at)
	w.k.Wait()
}

// reveal returns the visible part of o, scrolling the scroll around it
// (one scroll gesture) when o is out of its view, and the scene it read.
func (w *walker) reveal(o fyne.CanvasObject) (rect, *scene) {
	w.t.Helper()
	sc := newScene(w.w.Canvas())
	n := sc.byObj[o]
	if n == nil {
		w.t.Fatalf("step %d: cannot tap %s: not shown", w.n+1, w.name(sc, o))
	}
	if vis := n.box.and(n.clip); !vis.empty() && vis.h() >= min(n.box.h(), 20) {
		return vis, sc
	}
	scroll, ok := n.clipper.(*container.Scroll)
	if !ok {
		w.t.Fatalf("step %d: cannot tap %s: out of the window at %v", w.n+1, w.name(sc, o), n.box)
	}
	sn := sc.byObj[scroll]
	off := scroll.Offset
	top := n.box.y0 - sn.box.y0 + off.Y // o's top within the scrolled content
	off.Y = top
	if n.box.h() < sn.box.h() {
		off.Y -= (sn.box.h() - n.box.h()) / 2
	}
	off.Y = max(0, min(off.Y, scroll.Content.Size().Height-scroll.Size().Height))
	scroll.ScrollToOffset(off)
	w.count.scrolls++
	sc = newScene(w.w.Canvas())
	n = sc.byObj[o]
	vis := n.box.and(n.clip)
	if vis.empty() {
		w.t.Fatalf("step %d: %s stays out of view after scrolling", w.n+1, w.name(sc, o))
	}
	return vis, sc
}

// fillable is a field a person types into: the kiosk's entry, or a
// Fyne select-entry (the administrator's printer queues).
type fillable interface {
	fyne.Focusable
	fyne.CanvasObject
	SetText(string)
}

func textIn(e fillable) string {
	switch x := e.(type) {
	case *entry:
		return x.Text
	case *widget.SelectEntry:
		return x.Text
	}
	return ""
}

// fill moves to e (Tab when it is the next field, else a click) and
// types text, a keystroke a character.
func (w *walker) fill(e fillable, text string) {
	w.t.Helper()
	c := w.w.Canvas()
	if c.Focused() != fyne.Focusable(e) {
		prev := c.Focused()
		c.FocusNext()
		if c.Focused() == fyne.Focusable(e) && prev != nil {
			w.count.keys++
		} else {
			if prev != nil {
				c.Focus(prev)
			} else {
				c.Unfocus()
			}
			w.tap(e)
		}
	}
	if textIn(e) != "" { // select all and type over it
		w.count.keys += 2
		e.SetText("")
	}
	test.Type(e, text)
	w.count.keys += len([]rune(text))
	w.typed = append(w.typed, text)
	w.dict.addData(text)
}

// choose opens a select and taps its i-th option in the pop-up.
func (w *walker) choose(s interface {
	fyne.Tappable
	fyne.CanvasObject
}, option string) {
	w.t.Helper()
	w.tap(s)
	overlay := w.w.Canvas().Overlays().Top()
	if overlay == nil {
		w.t.Fatalf("step %d: no pop-up after tapping %s", w.n+1, w.names[s])
	}
	w.tapText(overlay, option)
}

// tapText taps the item labelled text under root (a radio option, a
// check-group item, a menu item).
func (w *walker) tapText(root fyne.CanvasObject, text string) {
	w.t.Helper()
	var target fyne.CanvasObject
	walk(root, func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok && t.Text == text && target == nil {
			target = t
		}
	})
	if target == nil {
		w.t.Fatalf("step %d: no %q to tap", w.n+1, text)
	}
	vis, _ := w.reveal(target)
	w.count.taps++
	test.TapCanvas(w.w.Canvas(), fyne.NewPos(vis.x0+1, (vis.y0+vis.y1)/2))
	w.k.Wait()
}

// press types one key (Tab, Return) into what has the focus.
func (w *walker) press(k fyne.KeyName) {
	w.count.keys++
	ev := &fyne.KeyEvent{Name: k}
	if k == fyne.KeyTab {
		w.w.Canvas().FocusNext()
		return
	}
	if f := w.w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
	}
	w.k.Wait()
}

// shortcut types Ctrl+k: the focused field gets it first, as in Fyne.
func (w *walker) shortcut(k fyne.KeyName) {
	w.count.keys += 2
	sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl}
	if f, ok := w.w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
	} else {
		w.w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
	}
	w.k.Wait()
}

// keys types text on the self-service keyboard, tap by tap on the keys
// drawn: ⇧ when the letter's case is not the one shift gives now (shift
// comes on by itself before a name's first letter).
func (w *walker) keys(text string) {
	w.t.Helper()
	kb := w.k.self.keyboard
	for _, r := range text {
		ch := string(r)
		low := app.LowerTR(ch)
		if ch == " " {
			low = "␣"
		} else if capital := low != ch; capital != kb.shift && low != app.UpperTR(low) {
			w.tapKey("⇧")
		}
		w.tapKey(low)
	}
	w.typed = append(w.typed, text)
	w.dict.addData(text)
}

// keyFor is the key labelled label on the keyboard in view (the letters
// or the pad, whichever shows), nil when there is none.
func (w *walker) keyFor(label string) *key {
	kb := w.k.self.keyboard
	shown := kb.digits
	if kb.Mode() == padLetters {
		shown = kb.letters
	}
	var found *key
	walk(shown, func(o fyne.CanvasObject) {
		if k, ok := o.(*key); ok && k.label == label && found == nil {
			found = k
		}
	})
	return found
}

// tapKey taps the key labelled label where it is drawn.
func (w *walker) tapKey(label string) {
	w.t.Helper()
	k := w.keyFor(label)
	if k == nil {
		w.t.Fatalf("step %d: no key %q on the keyboard in view (mode %d)", w.n+1, label, w.k.self.keyboard.Mode())
	}
	// At the key's centre, where the finger lands; the keyboard is laid
	// out as the step's check saw it, so no scene is read for each key.
	w.count.taps++
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(k)
	test.TapCanvas(w.w.Canvas(), pos.Add(fyne.NewPos(k.Size().Width/2, k.Size().Height/2)))
	w.k.Wait()
}

// aside runs a detour of a flow (a mistake put right) without counting
// what it costs: the counts are the straight path's.
func (w *walker) aside(do func()) {
	c := w.count
	do()
	w.count = c
}

// login logs a role in as the rig does (the login flow walks the screen).
func (w *walker) login(role app.Role) string {
	sess := w.rig.login(role)
	w.dict.addData(sess.Username())
	return sess.Username()
}

// data allows strings the store holds or the central sent.
func (w *walker) data(s ...string) {
	for _, x := range s {
		w.dict.addData(x)
		// The citizen page shows contact details masked until "Tümünü göster".
		if strings.Contains(x, "@") {
			w.dict.addData(app.MaskEmail(x))
		} else if p, err := app.NormalizePhone(x); err == nil && p != "" {
			w.dict.addData(app.MaskPhone(p))
		}
	}
}

// storeData allows what the terminal's store and settings hold: the
// catalogue, the municipality, the accounts, the notice text.
func (w *walker) storeData() {
	ctx := context.Background()
	cats, _ := w.k.svc.Catalog.Categories(ctx)
	for _, c := range cats {
		w.data(c.Group, c.Name)
	}
	hoods, _ := w.k.svc.Catalog.Neighbourhoods(ctx)
	for _, h := range hoods {
		w.data(h.Name)
	}
	w.data(w.k.svc.Config.Municipality.Name, "Gişe", "yonetici", w.k.svc.Config.TerminalID)
	if v, err := w.k.svc.Notices.Current(w.lang, app.Today(start)); err == nil {
		w.dict.addText("notice", v.Text)
	}
}
