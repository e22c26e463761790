package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/paper"
)

// The three screen sizes the self-service terminal must work at.
var selfSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1280, Height: 800}, {Width: 1920, Height: 1080}}

// selfRig is a rig showing the self-service screen at size, with a clock
// the test moves and a printer that keeps what it was given.
type selfRig struct {
	*rig
	s       *selfScreen
	clock   time.Time
	printer *keptPrinter
	taps    int
}

func newSelfRig(t *testing.T, size fyne.Size) *selfRig {
	t.Helper()
	r := &selfRig{rig: newRig(t), clock: start}
	r.printer = r.keepPrints()
	r.s = r.k.self
	r.s.now = func() time.Time { return r.clock }
	r.w.Resize(size)
	r.k.show(screenSelf)
	r.s.reset()
	return r
}

// keptPrinter is a receipt printer that prints at once and keeps the PDFs
// it was sent; its jobs are kept in the terminal's real job store.
type keptPrinter struct {
	jobs app.PrintJobStore
	pdfs [][]byte
}

var _ app.Printer = (*keptPrinter)(nil)

// keepPrints makes the rig's printing service print to a keptPrinter.
func (r *rig) keepPrints() *keptPrinter {
	r.t.Helper()
	p := &keptPrinter{jobs: r.tm.Store}
	r.k.svc.Config.Printer.Name = "gise-kept"
	ps, err := paper.NewService(p, r.k.svc.Config)
	if err != nil {
		r.t.Fatal(err)
	}
	r.with(func(s *Services) { s.Printing = ps })
	return p
}

func (p *keptPrinter) Print(ctx context.Context, queue, title string, pdf []byte) (*app.PrintJob, error) {
	p.pdfs = append(p.pdfs, pdf)
	j := &app.PrintJob{Title: title, Printer: queue, PDF: pdf, Status: app.PrintPrinted,
		SystemJob: fmt.Sprintf("%s-%d", queue, len(p.pdfs))}
	return j, p.jobs.SavePrintJob(ctx, j)
}

func (p *keptPrinter) Reprint(ctx context.Context, id, queue string) (*app.PrintJob, error) {
	j, err := p.jobs.PrintJob(ctx, id)
	if err != nil {
		return nil, err
	}
	return p.Print(ctx, queue, j.Title, j.PDF)
}

func (p *keptPrinter) Job(ctx context.Context, id string) (*app.PrintJob, error) {
	return p.jobs.PrintJob(ctx, id)
}

func (p *keptPrinter) Pending(ctx context.Context) ([]*app.PrintJob, error) {
	return p.jobs.PrintJobs(ctx, 100, app.PrintSent, app.PrintFailed)
}

func (p *keptPrinter) Refresh(context.Context) error { return nil }

func (p *keptPrinter) Queues(context.Context) ([]string, error) { return []string{"gise-kept"}, nil }

// press taps a step button where a finger would: at its centre on the
// canvas, so the tap reaches whatever is drawn on top there.
func (r *selfRig) press(b *stepButton) {
	r.t.Helper()
	if !shown(b) {
		r.t.Fatalf("step %d: button %q is not on screen", r.s.step, b.Text)
	}
	r.tapAt(b)
	r.s.followFocus()
}

// key taps the key labelled label on the keyboard as shown.
func (r *selfRig) key(label string) {
	r.t.Helper()
	for _, k := range r.s.keyboard.keys {
		if k.label == label && shown(k) {
			r.tapAt(k)
			return
		}
	}
	r.t.Fatalf("step %d: no key %q on the keyboard shown (mode %d)", r.s.step, label, r.s.keyboard.Mode())
}

// typeKeys types text on the on-screen keyboard, with ⇧ before capitals.
func (r *selfRig) typeKeys(text string) {
	r.t.Helper()
	for _, ch := range text {
		s := string(ch)
		if s == " " {
			r.key("␣")
			continue
		}
		l := app.LowerTR(s)
		if capital := l != s; capital != r.s.keyboard.shift && l != app.UpperTR(l) {
			r.key("⇧") // shift as the letter needs it, whatever it is now
		}
		r.key(l)
	}
}

// tapAt taps the middle of obj through the canvas and counts the tap.
func (r *selfRig) tapAt(obj fyne.CanvasObject) {
	r.t.Helper()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(obj)
	mid := pos.Add(fyne.NewPos(obj.Size().Width/2, obj.Size().Height/2))
	o, _ := findTappableAt(r.w.Canvas(), mid)
	if o != obj {
		r.t.Fatalf("step %d: a tap at %v on %T reaches %T", r.s.step, mid, obj, o)
	}
	test.TapCanvas(r.w.Canvas(), mid)
	r.k.Wait()
	r.taps++
}

// findTappableAt is the object a tap at pos reaches.
func findTappableAt(c fyne.Canvas, pos fyne.Position) (fyne.CanvasObject, fyne.Position) {
	var found fyne.CanvasObject
	walkAbs(c.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, at fyne.Position) {
		if _, ok := o.(fyne.Tappable); ok && inside(pos, at, o.Size()) {
			found = o
		}
	})
	return found, pos
}

func inside(p, at fyne.Position, s fyne.Size) bool {
	return p.X >= at.X && p.Y >= at.Y && p.X < at.X+s.Width && p.Y < at.Y+s.Height
}

// walkAbs visits every visible object with its absolute position.
func walkAbs(obj fyne.CanvasObject, offset fyne.Position, visit func(fyne.CanvasObject, fyne.Position)) {
	if obj == nil || !obj.Visible() {
		return
	}
	at := offset.Add(obj.Position())
	visit(obj, at)
	switch o := obj.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			walkAbs(c, at, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			walkAbs(c, at, visit)
		}
	}
}

// shown reports whether obj is on the canvas and it and every parent are
// visible.
func shown(obj fyne.CanvasObject) bool {
	c := fyne.CurrentApp().Driver().CanvasForObject(obj)
	if c == nil {
		return false
	}
	found := false
	walkAbs(c.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		found = found || o == obj
	})
	return found
}

// walkAll visits everything under obj, hidden or not, through the
// renderers of widgets.
func walkAll(obj fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if obj == nil {
		return
	}
	visit(obj)
	switch o := obj.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			walkAll(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			walkAll(c, visit)
		}
	}
}

// allTexts returns every text under obj (hidden too): labels, entries,
// buttons, canvas texts and rich texts.
func allTexts(obj fyne.CanvasObject) []string {
	var out []string
	walkAll(obj, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *tapLabel:
			out = append(out, x.Text)
		case *entry:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.RichText:
			out = append(out, x.String())
		}
	})
	return out
}

// visibleText is every text on screen under obj, joined.
func visibleText(obj fyne.CanvasObject) string {
	var b strings.Builder
	walkAbs(obj, fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		switch x := o.(type) {
		case *canvas.Text:
			b.WriteString(x.Text + " ")
		}
	})
	return b.String()
}

// citizenAnswers are Çağrı Işık's answers, as typed.
var citizenAnswers = struct{ nid, first, last, birth, phone, email, desc string }{
	"10000000146", "Çağrı", "Işık", "2.3.1990", "05419876543", "", "Parktaki salıncak kırık",
}

// fillAll walks the flow to the summary typing with the test driver.
func (r *selfRig) fillAll() {
	r.t.Helper()
	s, a := r.s, citizenAnswers
	r.press(r.s.start)
	r.press(r.s.read)
	r.typeInto(s.fields.nationalID, a.nid)
	r.press(s.questions[selfNationalID].next)
	r.typeInto(s.fields.firstName, a.first)
	r.typeInto(s.fields.lastName, a.last)
	r.press(s.questions[selfName].next)
	r.typeInto(s.fields.birthDate, a.birth)
	r.press(s.questions[selfBirth].next)
	r.typeInto(s.fields.phone, a.phone)
	r.press(s.questions[selfContact].next)
	r.tapAt(s.kind.tiles[0])
	r.tapAt(s.category.tiles[slices.Index(s.category.options, "Park, bahçe ve ağaç")])
	r.press(s.questions[selfSubject].next)
	r.typeInto(s.desc, a.desc)
	r.press(s.questions[selfDescription].next)
	if s.step != selfCheck {
		r.t.Fatalf("step %d after the last question; problems %v", s.step, s.questions[s.step].errs)
	}
}

// staffLoginButton is the staff page's "Görevli girişi".
func staffLoginButton(t *testing.T, s *selfScreen) *stepButton {
	return findStep(t, s.staff.wait, lt("self.staff.login"))
}

// exitConfirm is the staff login's primary button.
func exitConfirm(t *testing.T, s *selfScreen) *stepButton {
	return findStep(t, s.exit.box, lt("exit.confirm"))
}

// findStep finds the step button labelled text under obj.
func findStep(t *testing.T, obj fyne.CanvasObject, text string) *stepButton {
	t.Helper()
	var found *stepButton
	walkAll(obj, func(o fyne.CanvasObject) {
		if b, ok := o.(*stepButton); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no step button %q", text)
	}
	return found
}

// lt is the translation of key in the current language.
func lt(key string) string { return lang.L(key) }
