package ui

// The screen walk: every flow of the counter and of self-service, driven
// as a person drives it (typing, tapping what is in view, shortcuts, the
// on-screen keyboard) at three window sizes in both languages, with the
// invariants of walk_check_test.go checked over the rendered canvas after
// every step and a PNG of every step written for a person to page through.
//
// `make walk` runs it and writes the PNGs under DIR/SIZE/LANG/FLOW/NN-step.png
// (WALK_DIR=DIR, by default the system temp folder's gise-walk); `make test`
// runs it too, every invariant at every size in both languages, without the
// PNGs (a quarter of its CPU).
//
// # Adding a flow
//
// A flow is a function of a *walker, listed in walkFlows (counter) or
// selfFlows (self-service). The walker embeds the test rig (newRig: a real
// terminal, SQLite store and accounts), so screens are reached through the
// kiosk's fields, as in the other tests of this package:
//
//	func flowTrack(w *walker) {
//		w.login(app.RoleClerk)
//		code := w.fileComplaint()
//		s := w.k.track
//		w.step("open", nil, func() { w.tap(w.k.home.track) })
//		w.fail("unknown", s.errs, func() { w.fill(s.code, "ZZZZ-ZZZZ-ZZ"); w.press(fyne.KeyReturn) })
//		w.step("found", s.result, func() { w.fill(s.code, code); w.press(fyne.KeyReturn) })
//	}
//
//   - w.step(name, outcome, do) runs do, then checks every invariant; outcome
//     is the object that shows the result of the action (a saved record's
//     code, a confirmation), which must then be in view without scrolling.
//     nil when the step has no result to show (typing, opening a screen).
//   - w.fail(name, outcome, do) is a step whose outcome is an error the
//     person provoked: after a later step with an outcome it must be gone.
//   - w.newPerson() says the next steps serve someone else: nothing typed
//     so far, no message shown so far (w.personal(text) marks one, such as
//     "Görevli çağrıldı") may be visible any more (a wipe, a logout);
//     w.newForm() says a new form opened for the same person: no earlier
//     error may show on it.
//   - Actions count what a person does (docs/PERFORMANCE.md): w.tap(obj)
//     taps what is in view (scrolling to it first counts a scroll),
//     w.fill(entry, text) moves there (Tab when it is next, else a tap) and
//     types, w.choose(select, i) opens a select and taps the option,
//     w.tapText(root, text) taps a radio or check item by its label,
//     w.press(key), w.shortcut(key) (Ctrl+key), w.keys(text) types on the
//     on-screen keyboard. Each is one call in the flow, so a screen change
//     changes the flow's lines, not the walker.
//   - w.data(s...) allows strings the store holds or the central sent, in
//     any language; what the walker types is allowed already.
//
// What each invariant checks, and what it leaves alone so as not to cry
// wolf, is at the top of walk_check_test.go.
//
// Findings are compared with ui/testdata/walk-known.txt, one line a finding
// (size lang flow step invariant object): a new finding fails the walk, and
// so does a listed one that no longer fires, so the list only shrinks as
// the screens are fixed. GISE_WALK_RECORD=1 rewrites the list from the run.

import (
	"bufio"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// walkSizes are the screens the kiosk runs on: a 15″ 4:3 terminal, a
// 13″ laptop at the counter and a 21.5″ self-service stand.
var walkSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1280, Height: 800}, {Width: 1920, Height: 1080}}

// finding is one invariant broken at one step.
type finding struct {
	line   string // size lang flow step invariant object: stable across runs
	detail string
}

// walker drives one flow at one size in one language.
type walker struct {
	*rig
	size     fyne.Size
	lang     string
	flow     string
	dir      string
	n        int
	names    map[fyne.CanvasObject]string
	dict     *dictionary
	provoked map[string]string // error text → the step that provoked it
	earlier  []string          // an earlier person's data
	typed    []string          // this person's data
	messages []string          // messages shown to this person
	gone     []string          // messages of an earlier attempt or person
	found    map[string]finding
	count    counts
	leaks    int // texts the software painter draws outside their scrolls
}

// counts are what a person did in a flow.
type counts struct{ keys, taps, scrolls int }

type flow struct {
	name string
	run  func(*walker)
}

func TestWalk(t *testing.T) {
	// The PNGs cost a quarter of the walk's CPU: `make walk` asks for them
	// (WALK_DIR), `make test` checks every step without them.
	dir := os.Getenv("WALK_DIR")
	if dir != "" {
		t.Logf("walk PNGs under %s", dir)
	}
	// The walk builds a kiosk a flow and lays the canvas out at every step:
	// most of its garbage is short-lived, and collecting it less often saves
	// a fifth of its time.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	found := map[string]finding{}
	ran := map[string]bool{}
	began := time.Now()
	for _, size := range walkSizes {
		for _, lang := range []string{"tr", "en"} {
			for _, f := range append(walkFlows(), selfFlows()...) {
				sz := fmt.Sprintf("%.0fx%.0f", size.Width, size.Height)
				t.Run(sz+"/"+lang+"/"+f.name, func(t *testing.T) {
					ran[sz+" "+lang+" "+f.name] = true
					w := newWalker(t, size, lang, f.name, dir)
					defer func() { // also when the flow stopped half-way
						for k, v := range w.found {
							found[k] = v
						}
						walkCounts[sz+" "+lang+" "+f.name] = w.count
					}()
					f.run(w)
					if w.leaks > 0 {
						t.Logf("%d texts drawn by the software painter outside their scrolls, hidden in the PNGs (%s)", w.leaks, invLeak)
					}
				})
			}
		}
	}
	t.Logf("walk: %d flows in %v", len(ran), time.Since(began).Round(time.Millisecond))
	for _, k := range []string{"1280x800 tr count-known", "1280x800 tr count-new", "1280x800 tr self-complaint"} {
		if c, ok := walkCounts[k]; ok {
			t.Logf("counts %s: %d keystrokes, %d taps, %d scrolls", k, c.keys, c.taps, c.scrolls)
		}
	}
	compareKnown(t, found, ran)
}

// walkCounts keeps each flow's counts, for TestWalkCounts' report.
var walkCounts = map[string]counts{}

func newWalker(t *testing.T, size fyne.Size, lang, flowName, dir string) *walker {
	r := newRig(t)
	if lang == "en" {
		r.k.toggleLanguage()
	}
	r.w.Resize(size)
	w := &walker{rig: r, size: size, lang: lang, flow: flowName, names: objectNames(r.k),
		dict: newDictionary(t, lang), provoked: map[string]string{}, found: map[string]finding{}}
	if dir != "" {
		w.dir = filepath.Join(dir, fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), lang, flowName)
		if err := os.RemoveAll(w.dir); err != nil { // no step of an earlier run left among this one's
			t.Fatal(err)
		}
	}
	w.storeData()
	return w
}

// with builds the walker's kiosk again with other services, and learns
// the new screens' object names.
func (w *walker) with(f func(*Services)) {
	w.rig.with(f)
	w.names = objectNames(w.k)
}

// step runs one action of a person, then checks the canvas.
func (w *walker) step(name string, outcome fyne.CanvasObject, do func()) {
	w.t.Helper()
	do()
	w.k.Wait()
	w.k.shell.tick() // the kiosk's once-a-second ticker, as between two actions
	w.n++
	sc := w.check(name, outcome)
	w.forgetCleared(sc)
	w.capture(name)
}

// fail is a step whose outcome is an error the person provoked.
func (w *walker) fail(name string, outcome fyne.CanvasObject, do func()) {
	w.t.Helper()
	w.step(name, outcome, do)
	if t := unitOf(outcome); t != "" {
		w.provoked[t] = name
		w.gone = slices.DeleteFunc(w.gone, func(m string) bool { return m == t })
	}
}

// personal marks a text shown to this person as theirs: once the next
// person comes it must be gone.
func (w *walker) personal(text string) { w.messages = append(w.messages, text) }

// newForm says a new form opened for the same person: no earlier error
// may show on it.
func (w *walker) newForm() {
	for msg := range w.provoked {
		w.gone = append(w.gone, msg)
	}
	w.provoked = map[string]string{}
}

// newPerson starts serving someone else: this person's data is earlier now.
func (w *walker) newPerson() {
	w.newForm()
	w.earlier = append(w.earlier, w.typed...)
	w.gone = append(w.gone, w.messages...)
	w.typed, w.messages = nil, nil
}

// forgetCleared drops provoked errors no longer shown: they were cleared.
func (w *walker) forgetCleared(sc *scene) {
	var shown []string
	for _, u := range visibleUnits(sc) {
		shown = append(shown, unitText(u.obj))
	}
	all := strings.Join(shown, "\n")
	for msg := range w.provoked {
		if !strings.Contains(all, msg) {
			delete(w.provoked, msg)
		}
	}
}

func unitOf(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case interface{ String() string }:
		return strings.TrimSpace(x.String())
	}
	var b strings.Builder
	walk(o, func(c fyne.CanvasObject) {
		if s, ok := c.(interface{ String() string }); ok && b.Len() == 0 {
			b.WriteString(s.String())
		}
	})
	return strings.TrimSpace(b.String())
}

// find records a finding; the same line at the same step counts once.
func (w *walker) find(step, inv, object, detail string) {
	line := fmt.Sprintf("%.0fx%.0f %s %s %s %s %s", w.size.Width, w.size.Height, w.lang, w.flow, step, inv, object)
	if r := []rune(detail); len(r) > 160 {
		detail = string(r[:160]) + "…"
	}
	if _, ok := w.found[line]; !ok {
		w.found[line] = finding{line: line, detail: detail}
	}
}

// field is the nearest screen field at or above n, for findings between
// two objects (an overlap), where the field pair says enough.
func (w *walker) field(n *node) string {
	for p := n; p != nil; p = p.parent {
		if s, ok := w.names[p.obj]; ok {
			return s
		}
	}
	if n.layer > 0 {
		return "overlay"
	}
	return "unnamed"
}

// name is what a finding calls o: the nearest screen field at or above it,
// and the translation key of its text when it has one.
func (w *walker) name(sc *scene, o fyne.CanvasObject) string {
	if n := sc.byObj[o]; n != nil {
		return w.nameOf(n)
	}
	if s, ok := w.names[o]; ok {
		return s
	}
	return fmt.Sprintf("%T", o)
}

func (w *walker) nameOf(n *node) string {
	field := ""
	for p := n; p != nil; p = p.parent {
		if s, ok := w.names[p.obj]; ok {
			field = s
			break
		}
	}
	if field == "" {
		field = "unnamed"
		if n.layer > 0 {
			field = "overlay"
		}
	}
	var text string
	switch x := n.obj.(type) {
	case *canvas.Text:
		text = x.Text
		if rt := n.ancestor(func(o fyne.CanvasObject) bool { _, ok := o.(*widget.RichText); return ok }); rt != nil {
			text = rt.obj.(*widget.RichText).String()
		}
	case *widget.RichText:
		text = x.String()
	}
	// A translation key tells which text of the field it is; a domain
	// message (error:…) is a sentence, not a name, and the field says enough.
	if _, key, _ := w.dict.match(text); key != "" && !strings.HasPrefix(key, "error:") && field != w.names[n.obj] {
		return field + "/" + key
	}
	return field
}

// capture writes the canvas as the window shows it: drawn by the software
// painter, without the texts it would draw outside their scrolls (invLeak).
func (w *walker) capture(step string) {
	if w.dir == "" {
		return
	}
	sc := newScene(w.w.Canvas())
	for _, t := range sc.texts() {
		if b := textBox(t); b.and(t.clip).empty() && !b.and(t.swClip).and(sc.window).empty() {
			t.obj.Hide()
			defer t.obj.Show()
		}
	}
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(w.dir, fmt.Sprintf("%02d-%s.png", w.n, step)))
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(f, w.w.Canvas().Capture()); err != nil {
		w.t.Fatal(err)
	}
}

const knownPath = "testdata/walk-known.txt"

// compareKnown fails on a finding not in the list, and on a listed finding
// of a flow that ran which no longer fires.
func compareKnown(t *testing.T, found map[string]finding, ran map[string]bool) {
	if os.Getenv("GISE_WALK_RECORD") != "" {
		for _, l := range sortedKeys(found) {
			t.Logf("finding: %s\n\t%s", l, found[l].detail)
		}
		writeKnown(t, found)
		return
	}
	known, either := readKnown(t)
	var fresh []string
	for line, f := range found {
		if !known[line] && !either[line] {
			fresh = append(fresh, line+"\n\t"+f.detail)
		}
	}
	sort.Strings(fresh)
	for _, l := range fresh {
		t.Errorf("new finding: %s", l)
	}
	var gone []string
	for line := range known {
		f := strings.Fields(line)
		if len(f) > 3 && ran[strings.Join(f[:3], " ")] {
			if _, ok := found[line]; !ok {
				gone = append(gone, line)
			}
		}
	}
	sort.Strings(gone)
	for _, l := range gone {
		t.Errorf("fixed, delete this line from ui/%s: %s", knownPath, l)
	}
}

// readKnown reads the list: a line is a finding that fires; a line
// starting with "? " one that fires or not with the data (a sentence
// holding a random tracking code wraps one word earlier or later).
func readKnown(t *testing.T) (known, either map[string]bool) {
	known, either = map[string]bool{}, map[string]bool{}
	f, err := os.Open(knownPath)
	if os.IsNotExist(err) {
		return known, either
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "? "):
			either[strings.TrimPrefix(l, "? ")] = true
		case l != "" && !strings.HasPrefix(l, "#"):
			known[l] = true
		}
	}
	return known, either
}

func writeKnown(t *testing.T, found map[string]finding) {
	lines := make([]string, 0, len(found))
	for l := range found {
		lines = append(lines, l)
	}
	sort.Strings(lines)
	_, either := readKnown(t)
	for l := range either {
		if _, ok := found[l]; !ok {
			lines = append(lines, "? "+l)
		}
	}
	for i, l := range lines {
		if either[l] {
			lines[i] = "? " + l
		}
	}
	sort.Slice(lines, func(i, j int) bool {
		return strings.TrimPrefix(lines[i], "? ") < strings.TrimPrefix(lines[j], "? ")
	})
	head := "# Findings of the screen walk (TestWalk) on the screens as they are: size lang flow step invariant object.\n" +
		"# A finding not listed fails the walk; a listed one that no longer fires fails too: delete its line.\n" +
		"# \"? \" marks a finding that fires or not with the data (a random tracking code's width).\n"
	if err := os.WriteFile(knownPath, []byte(head+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
