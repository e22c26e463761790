package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// How the canvas is read. The walk lays the canvas out as the window's next
// frame would (frame), then flattens it with absolute positions, the clip of
// every scroll above (intersected, as the GL painter does) and the window.
// Hidden objects and everything under them are skipped; content under a
// pop-up or dialog counts as covered.
//
// Not flagged, on purpose:
//   - a text cut by a scroll in the direction that scroll moves and whose
//     content is longer than its view (the rest of a list or form the
//     person scrolls to); a text cut by the window, by a scroll that cannot
//     move that way, or sticking out of its own widget is clipped;
//   - a text Fyne shortens with an ellipsis (it then fits its box);
//   - scroll bars and scroll-edge shadows drawn over a focused field;
//   - keys of the on-screen keyboard (letters, not words of a language);
//   - what a person typed into a field, in its field;
//   - numbers, dates, codes, masked IDs, and words the walk was told are
//     data (typed, held in the store: categories, neighbourhoods, names).
//
// Texts are read as a person reads them: a label's, button's or field's
// whole text, split where screens join translations and data ("  ", " · ",
// ": ", parentheses, then sentences).
//
// The invariants, as the findings name them:
const (
	invOutcome = "outcome-in-view" // the step's outcome is on screen, whole, without scrolling
	invFocus   = "focus-in-view"   // the focused field is whole on screen and nothing is drawn over it
	invClipped = "clipped"         // a text is cut by its box or a clip (not by a scroll the person moves)
	invOverlap = "overlap"         // two texts are drawn over each other
	invNarrow  = "narrow"          // a wrapping text is narrower than its longest word (a letter a line)
	invBlank   = "blank-button"    // a button's face is in view but its label is not
	invWindow  = "window-size"     // the window or its content's minimum outgrew the size given
	invLang    = "language"        // a text is not from the current language nor data
	invZero    = "zero-count"      // a sentence counting nothing ("Son 0 başvuru aşağıda.")
	invStale   = "stale"           // a message of an earlier attempt or an earlier person is shown
)

// invLeak is not a finding of the screens but of Fyne's software painter
// (the PNGs): it clips a scroll inside a scroll to the inner one alone, so
// texts of fields scrolled out of a page are drawn over what lies beyond it
// (the on-screen keyboard, the action bar, the status line). The window's GL
// painter intersects the clips and shows none of it. The walk counts these
// per flow, logs the count and hides such texts in its PNGs.
const invLeak = "png-leak"

// check runs every invariant over the canvas as it is after step name.
func (w *walker) check(name string, outcome fyne.CanvasObject) *scene {
	sc := newScene(w.w.Canvas())
	w.checkWindow(name)
	if outcome != nil {
		w.checkOutcome(name, sc, outcome)
	}
	w.checkFocus(name, sc)
	texts := sc.texts()
	w.checkTexts(name, sc, texts)
	w.checkOverlaps(name, texts)
	w.checkWrapping(name, sc)
	w.checkButtons(name, sc)
	w.checkWords(name, sc, outcome)
	return sc
}

func (w *walker) checkWindow(step string) {
	c := w.w.Canvas()
	if c.Size() != w.size {
		w.find(step, invWindow, "canvas", fmt.Sprintf("canvas %v, given %v", c.Size(), w.size))
	}
	min := c.Content().MinSize().Add(fyne.NewSquareSize(2 * theme.Padding()))
	if min.Width > w.size.Width+0.5 || min.Height > w.size.Height+0.5 {
		w.find(step, invWindow, "content", fmt.Sprintf("content needs %v, given %v", min, w.size))
	}
}

// checkOutcome wants the outcome shown, not empty, and every glyph of it
// inside the window and its clips, with no pop-up over it.
func (w *walker) checkOutcome(step string, sc *scene, o fyne.CanvasObject) {
	name := w.name(sc, o)
	n := sc.byObj[o]
	if n == nil || !shownInTree(o, sc) {
		w.find(step, invOutcome, name, "the outcome is hidden")
		return
	}
	if sc.hidden(n) {
		w.find(step, invOutcome, name, "the outcome is under a pop-up")
		return
	}
	var glyphs []*node
	for _, t := range sc.texts() {
		if t.within(o) {
			glyphs = append(glyphs, t)
		}
	}
	if len(glyphs) == 0 {
		w.find(step, invOutcome, name, "the outcome shows no text")
		return
	}
	for _, t := range glyphs {
		if b := textBox(t); !t.clip.holds(b) {
			w.find(step, invOutcome, name, fmt.Sprintf("%q at %v, visible area %v", t.obj.(*canvas.Text).Text, b, t.clip))
			return
		}
	}
}

func shownInTree(o fyne.CanvasObject, sc *scene) bool { _, ok := sc.byObj[o]; return ok && o.Visible() }

// checkFocus wants the focused object whole inside its clips and nothing
// opaque drawn over it (the on-screen keyboard, a button, a pop-up).
func (w *walker) checkFocus(step string, sc *scene) {
	f, ok := w.w.Canvas().Focused().(fyne.CanvasObject)
	if !ok || f == nil {
		return
	}
	if _, isKeyboard := f.(*Keyboard); isKeyboard {
		return
	}
	name := w.name(sc, f)
	n := sc.byObj[f]
	if n == nil {
		w.find(step, invFocus, name, "the focused object is not shown")
		return
	}
	if !n.clip.holds(n.box) {
		w.find(step, invFocus, name, fmt.Sprintf("at %v, visible area %v", n.box, n.clip))
		return
	}
	if sc.hidden(n) {
		w.find(step, invFocus, name, "under a pop-up")
		return
	}
	for _, o := range sc.nodes[n.order+1:] {
		if o.within(f) || !opaque(o.obj) || chrome(o) || o.layer < n.layer {
			continue
		}
		if hit := o.box.and(o.clip).and(n.box); !hit.empty() && hit.w() > 2 && hit.h() > 2 {
			w.find(step, invFocus, name, fmt.Sprintf("covered by %s (%T at %v)", w.name(sc, o.obj), o.obj, hit))
			return
		}
	}
}

// checkTexts finds texts cut off: wider than their own widget, or outside
// the clip (the window, a scroll) other than by the scrolling a person
// does; and texts the PNG draws outside their scroll.
func (w *walker) checkTexts(step string, sc *scene, texts []*node) {
	for _, t := range texts {
		b := textBox(t)
		// The software painter clips a nested scroll to that scroll alone,
		// not to the scrolls around it: what lies outside them shows in
		// the PNG though the window hides it.
		if leak := b.and(t.swClip).and(sc.window); !leak.empty() && overflow(t.clip, leak) >= 4 {
			w.leaks++
		}
		if vis := b.and(t.clip); vis.empty() {
			continue
		}
		if !t.clip.holds(b) && !scrolledAway(t, b) {
			w.find(step, invClipped, w.name(sc, t.obj), fmt.Sprintf("%q at %v, visible area %v", textOf(t), b, t.clip))
		} else if box := ownBox(t); box != nil && (b.x0 < box.box.x0-2 || b.x1 > box.box.x1+2) {
			w.find(step, invClipped, w.name(sc, t.obj), fmt.Sprintf("%q at %v, wider than its %T %v", textOf(t), b, box.obj, box.box))
		}
	}
}

// overflow is how far o sticks out of r, at most.
func overflow(r, o rect) float32 {
	return max(r.x0-o.x0, r.y0-o.y0, o.x1-r.x1, o.y1-r.y1, 0)
}

// ownBox is the widget a text belongs to, whose box its glyphs must stay in.
func ownBox(t *node) *node {
	return t.parent.ancestor(func(o fyne.CanvasObject) bool {
		switch o.(type) {
		case *widget.Label, *widget.Button, *widget.Check, *widget.Select, *key:
			return true
		}
		return false
	})
}

func textOf(n *node) string { return n.obj.(*canvas.Text).Text }

func (w *walker) checkOverlaps(step string, texts []*node) {
	for i, a := range texts {
		ab := textBox(a).and(a.clip)
		if ab.empty() {
			continue
		}
		for _, b := range texts[i+1:] {
			if a.layer != b.layer {
				continue
			}
			hit := ab.and(textBox(b).and(b.clip))
			if !hit.empty() && hit.w() > 2 && hit.h() > 2 {
				w.find(step, invOverlap, w.field(a)+" × "+w.field(b), fmt.Sprintf("%q over %q at %v", textOf(a), textOf(b), hit))
			}
		}
	}
}

// checkWrapping finds wrapping texts laid out narrower than their longest
// word: Fyne then breaks the word, down to a letter a line.
func (w *walker) checkWrapping(step string, sc *scene) {
	for _, n := range sc.nodes {
		rt, ok := n.obj.(*widget.RichText)
		if !ok || rt.Wrapping == fyne.TextWrapOff || rt.Wrapping == fyne.TextWrapBreak || sc.hidden(n) || n.box.and(n.clip).empty() {
			continue
		}
		size, style := theme.TextSize(), fyne.TextStyle{}
		if len(rt.Segments) > 0 {
			if ts, ok := rt.Segments[0].(*widget.TextSegment); ok {
				style = ts.Style.TextStyle
				if ts.Style.SizeName != "" {
					size = theme.Size(ts.Style.SizeName)
				}
			}
		}
		room := n.box.w() - 2*theme.InnerPadding()
		for _, word := range strings.Fields(rt.String()) {
			if fyne.MeasureText(word, size, style).Width > room+1 {
				w.find(step, invNarrow, w.name(sc, rt), fmt.Sprintf("%q needs %.0f, laid out %.0f wide", word,
					fyne.MeasureText(word, size, style).Width, room))
				break
			}
		}
	}
}

// checkButtons finds buttons whose face is in view, at least as tall as
// a button needs, while their label is not.
func (w *walker) checkButtons(step string, sc *scene) {
	for _, n := range sc.nodes {
		b, ok := n.obj.(*widget.Button)
		if !ok || b.Text == "" || sc.hidden(n) {
			continue
		}
		face := n.box.and(n.clip)
		if face.empty() || face.h() < b.MinSize().Height {
			continue
		}
		shown := false
		for _, t := range sc.texts() {
			if t.within(b) && !textBox(t).and(t.clip).empty() {
				shown = true
			}
		}
		if !shown {
			w.find(step, invBlank, w.name(sc, b), fmt.Sprintf("%q: face %v in view, label not", b.Text, face))
		}
	}
}

// visibleUnits are the texts a person reads as one: a RichText (a label's,
// a button's, an entry's) or a lone canvas.Text, with at least a glyph in view.
func visibleUnits(sc *scene) []*node {
	var out []*node
	done := map[fyne.CanvasObject]bool{}
	for _, t := range sc.texts() {
		if textBox(t).and(t.clip).empty() {
			continue
		}
		unit := t
		if rt := t.ancestor(func(o fyne.CanvasObject) bool { _, ok := o.(*widget.RichText); return ok }); rt != nil {
			unit = rt
		}
		if !done[unit.obj] {
			done[unit.obj] = true
			out = append(out, unit)
		}
	}
	return out
}

// checkWords wants every text in the current language (or data), no
// sentence counting nothing, and nothing left of an earlier attempt or an
// earlier person.
func (w *walker) checkWords(step string, sc *scene, outcome fyne.CanvasObject) {
	for _, unit := range visibleUnits(sc) {
		text := unitText(unit.obj)
		w.checkStale(step, sc, unit, text, outcome)
		if unit.ancestor(isKeyboard) != nil || typedText(unit, text) {
			continue
		}
		ok, _, zero := w.dict.match(text)
		if !ok {
			w.find(step, invLang, w.name(sc, unit.obj), fmt.Sprintf("%q", text))
		}
		if zero {
			w.find(step, invZero, w.name(sc, unit.obj), fmt.Sprintf("%q", text))
		}
	}
}

func unitText(o fyne.CanvasObject) string {
	if rt, ok := o.(*widget.RichText); ok {
		return rt.String()
	}
	return o.(*canvas.Text).Text
}

func isKeyboard(o fyne.CanvasObject) bool { _, ok := o.(*Keyboard); return ok }

// typedText reports whether text is what a person typed into the entry it
// shows in (its content, not its placeholder).
func typedText(n *node, text string) bool {
	e := n.ancestor(func(o fyne.CanvasObject) bool {
		switch o.(type) {
		case *entry, *widget.Entry:
			return true
		}
		return false
	})
	if e == nil {
		return false
	}
	var content string
	switch x := e.obj.(type) {
	case *entry:
		content = x.Text
	case *widget.Entry:
		content = x.Text
	}
	return text != "" && (text == content || strings.Trim(text, "•*") == "")
}

// checkStale finds an error provoked by an earlier step (and not by this
// one) after a step with an outcome, and an earlier person's data at all.
func (w *walker) checkStale(step string, sc *scene, unit *node, text string, outcome fyne.CanvasObject) {
	if outcome != nil && !unit.within(outcome) {
		for msg, at := range w.provoked {
			if strings.Contains(text, msg) {
				w.find(step, invStale, w.name(sc, unit.obj), fmt.Sprintf("%q, provoked at %s", msg, at))
			}
		}
	}
	for _, msg := range w.gone {
		if strings.Contains(text, msg) && (outcome == nil || !unit.within(outcome)) {
			w.find(step, invStale, w.name(sc, unit.obj), fmt.Sprintf("%q, shown to an earlier attempt or person", msg))
		}
	}
	if _, translated := w.dict.whole(strings.TrimSpace(text)); translated {
		return // a placeholder or label that reads like the data
	}
	for _, datum := range w.earlier {
		if len([]rune(datum)) >= 3 && strings.Contains(app.LowerTR(text), app.LowerTR(datum)) {
			w.find(step, invStale, w.name(sc, unit.obj), fmt.Sprintf("%q of an earlier person", datum))
		}
	}
}
