package ui

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/auth/authtest"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/assets"
)

// rig is a kiosk on a real terminal (key file, SQLite file, accounts) with
// the Fyne test driver: no display, the same screens a clerk uses.
type rig struct {
	t  *testing.T
	tm *authtest.Terminal
	k  *Kiosk
	a  fyne.App
	w  fyne.Window
	// scanner is the terminal's scanner when a test gave one (useScanner):
	// a test swaps the device behind it, as a clerk swaps copiers.
	scanner *swapScanner
	ctx     context.Context
}

var start = time.Date(2026, 11, 28, 10, 0, 0, 0, time.Local)

// newRig builds the kiosk as main does, with the services changed by each
// of with (a scanner, a sync control, a printer): screens take their
// services when they are built, so a test gives them before.
func newRig(t *testing.T, with ...func(*Services)) *rig {
	t.Helper()
	a := test.NewTempApp(t)
	tm := authtest.New(t, start)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	notices := notice.NewCatalog(tm.Store, nil,
		notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{}),
		notice.New(1, notice.English, assets.NoticeV1EN, time.Time{}))
	svc := Services{Auth: tm.Service, Counter: &counter.Service{Store: tm.Store, Now: tm.Clock.Now},
		Catalog: tm.Store, Notices: notices, Config: cfg, Audit: tm.Store.Audit,
		Supervision: &counter.Supervision{Store: tm.Store}}
	for _, f := range with {
		f(&svc)
	}
	r := &rig{t: t, tm: tm, a: a, w: w, ctx: context.Background()}
	r.build(svc)
	t.Cleanup(func() { setLanguage("tr") })
	return r
}

func (r *rig) build(svc Services) {
	r.k = New(r.a, r.w, svc)
	r.k.inline = true
	r.k.wedge.clock = nil // off: the wedge's tests give it a clock of their own
}

// with builds the kiosk again on the same terminal with the services
// changed by f, as a restart with other settings would: the language and
// the screen in front are kept, nothing of the screens' state nor the
// session. Take references to screens (r.k.self) after it.
func (r *rig) with(f func(*Services)) {
	svc, lang, shown := r.k.svc, r.k.lang, r.k.shown
	f(&svc)
	r.build(svc)
	if r.k.lang != lang {
		r.k.toggleLanguage()
	}
	if shown != "" {
		r.k.show(shown) // the new kiosk's screen of that name, afresh; no session is kept
	}
}

// login starts a session of role on the kiosk, as the login screen does.
func (r *rig) login(role app.Role) *auth.Session {
	sess := r.tm.Session(role)
	r.k.startSession(sess)
	r.k.Wait()
	return sess
}

// typeInto focuses an entry and types into it as a person would.
func (r *rig) typeInto(e *entry, s string) {
	r.w.Canvas().Focus(e)
	test.Type(e, s)
}

// tap taps a button and waits for the work it started.
func (r *rig) tap(b fyne.Tappable) {
	test.Tap(b)
	r.k.Wait()
}

func (r *rig) wantScreen(name string) {
	r.t.Helper()
	if r.k.Shown() != name {
		r.t.Fatalf("screen %q is shown, want %q", r.k.Shown(), name)
	}
}

// scan runs a one-row query on the terminal's database file into dest.
func (r *rig) scan(query string, args []any, dest ...any) {
	r.t.Helper()
	db, err := sql.Open("sqlite", "file:"+r.tm.Store.Path()+"?_pragma=busy_timeout(5000)&mode=ro")
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(query, args...).Scan(dest...); err != nil {
		r.t.Fatalf("%s: %v", query, err)
	}
}

// count runs a counting query on the terminal's database file.
func (r *rig) count(query string, args ...any) int {
	r.t.Helper()
	var n int
	r.scan(query, args, &n)
	return n
}

// button finds the visible button labelled text under obj.
func button(t *testing.T, obj fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(obj, func(o fyne.CanvasObject) {
		if wb, ok := o.(*wedgeButton); ok {
			o = &wb.Button
		}
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no visible button %q", text)
	}
	return found
}

// drawnButton finds the visible button labelled text under obj as the
// canvas holds it: a wedgeButton itself, not the widget.Button inside it,
// so that a tap can find where it is drawn.
func drawnButton(t *testing.T, obj fyne.CanvasObject, text string) fyne.CanvasObject {
	t.Helper()
	var found fyne.CanvasObject
	walk(obj, func(o fyne.CanvasObject) {
		b, ok := o.(*widget.Button)
		if wb, isWedge := o.(*wedgeButton); isWedge {
			b, ok = &wb.Button, true
		}
		if ok && b.Text == text && b.Visible() && found == nil {
			found = o
		}
	})
	if found == nil {
		t.Fatalf("no visible button %q", text)
	}
	return found
}

// walk visits obj and everything inside it, through containers and widgets.
func walk(obj fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if obj == nil || !obj.Visible() {
		return
	}
	visit(obj)
	switch o := obj.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			walk(c, visit)
		}
	}
}

// frame lays the canvas out as the window's next frame would. Fyne's GL
// driver lays out again the parent of every object whose minimum size
// changed (common.Canvas.EnsureMinSize) before it paints; the test canvas
// does not, so a label shown or filled after the last resize would stay
// where it was. Laying every visible container and widget out top-down
// gives the layout a person would see.
func frame(c fyne.Canvas) {
	relayout(c.Content())
	for _, o := range c.Overlays().List() {
		relayout(o)
	}
}

func relayout(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		for _, c := range x.Objects {
			relayout(c)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		r.Layout(x.Size())
		for _, c := range r.Objects() {
			relayout(c)
		}
	}
}

// swapScanner is a scanner whose device a test changes between scans.
type swapScanner struct{ app.Scanner }

// useScanner builds the kiosk again with sc as its scanner, behind
// r.scanner so that a test can swap it later.
func (r *rig) useScanner(sc app.Scanner) {
	r.scanner = &swapScanner{sc}
	r.with(func(s *Services) { s.Scanner = r.scanner })
}
