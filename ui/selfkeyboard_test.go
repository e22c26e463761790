package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// checkKeyboardClear fails unless the focused entry, the page's primary
// button and everything else on the page in front lie fully above the
// keyboard and inside the window.
func (r *selfRig) checkKeyboardClear(where string, primary fyne.CanvasObject) {
	r.t.Helper()
	s, d := r.s, fyne.CurrentApp().Driver()
	e, ok := r.w.Canvas().Focused().(*entry)
	if !ok {
		r.t.Fatalf("%s: no entry has the focus (%T)", where, r.w.Canvas().Focused())
	}
	if !s.keyboard.Visible() {
		r.t.Fatalf("%s: the keyboard is hidden while an entry has the focus", where)
	}
	top := d.AbsolutePositionForObject(s.keyboard).Y
	win := r.w.Canvas().Size()
	if bottom := d.AbsolutePositionForObject(s.keyboard).Y + s.keyboard.Size().Height; bottom > win.Height+0.5 {
		r.t.Errorf("%s: the keyboard ends at %.0f, below the window's %.0f", where, bottom, win.Height)
	}
	for _, o := range []fyne.CanvasObject{e, primary} {
		p := d.AbsolutePositionForObject(o)
		if p.Y < 0 || p.X < 0 || p.X+o.Size().Width > win.Width+0.5 || p.Y+o.Size().Height > top+0.5 {
			r.t.Errorf("%s: %T at %v size %v is not fully above the keyboard (top %.0f) in %v", where, o, p, o.Size(), top, win)
		}
	}
	front := s.pages[s.step]
	if s.overlay == overlayStaff {
		front = s.pages[pageStaff]
	}
	walkAbs(front, d.AbsolutePositionForObject(front).Subtract(front.Position()), func(o fyne.CanvasObject, at fyne.Position) {
		if _, ok := o.(*canvas.Text); ok && at.Y+o.Size().Height > top+0.5 {
			r.t.Errorf("%s: text %q at y %.0f–%.0f is drawn under the keyboard (top %.0f)", where, o.(*canvas.Text).Text, at.Y, at.Y+o.Size().Height, top)
		}
	})
}

// focusByTap taps an entry where a finger would.
func (r *selfRig) focusByTap(e *entry) {
	r.t.Helper()
	d := fyne.CurrentApp().Driver()
	mid := d.AbsolutePositionForObject(e).Add(fyne.NewPos(e.Size().Width/2, e.Size().Height/2))
	test.TapCanvas(r.w.Canvas(), mid)
	r.s.followFocus()
	if r.w.Canvas().Focused() != fyne.Focusable(e) {
		r.t.Fatalf("a tap on the field did not focus it (%T)", r.w.Canvas().Focused())
	}
}

func TestSelfServiceKeyboardNeverCoversTheField(t *testing.T) {
	for _, size := range selfSizes {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			r := newSelfRig(t, size)
			s, f := r.s, r.s.fields
			r.press(s.start)
			r.press(s.read)
			steps := []struct {
				step    int
				entries []*entry
				bad     func() // leaves the step's answers wrong, for its messages
				good    func()
			}{
				{selfNationalID, []*entry{f.nationalID}, func() {}, func() { r.typeInto(f.nationalID, "10000000146") }},
				{selfName, []*entry{f.firstName, f.lastName}, func() {}, func() { r.typeInto(f.firstName, "Çağrı"); r.typeInto(f.lastName, "Işık") }},
				{selfBirth, []*entry{f.birthDate}, func() {}, func() { r.typeInto(f.birthDate, "2.3.1990") }},
				{selfContact, []*entry{f.phone, f.email}, func() { r.typeInto(f.phone, "12"); r.typeInto(f.email, "x@") },
					func() { f.phone.SetText(""); f.email.SetText("") }},
			}
			for _, st := range steps {
				q := s.questions[st.step]
				for _, state := range []string{"clean", "with messages"} {
					if state != "clean" {
						st.bad()
						r.press(q.next)
						if len(q.errs) == 0 {
							t.Fatalf("step %d: no messages to check with", st.step)
						}
					}
					for _, e := range st.entries {
						r.focusByTap(e)
						r.checkKeyboardClear(fmt.Sprintf("step %d %s, field %q", st.step, state, e.PlaceHolder), q.next)
					}
				}
				st.good()
				r.press(q.next)
			}
			r.tapAt(s.kind.tiles[0])
			r.tapAt(s.category.tiles[0])
			r.press(s.questions[selfSubject].next)
			q := s.questions[selfDescription]
			r.press(q.next)
			r.focusByTap(s.desc)
			r.checkKeyboardClear("description with messages", q.next)
			r.press(s.call)
			r.press(staffLoginButton(t, s))
			for _, e := range []*entry{s.exit.username, s.exit.password, s.exit.code} {
				r.focusByTap(e)
				r.checkKeyboardClear("staff login", exitConfirm(t, s))
			}
		})
	}
}

func TestSelfServicePadsCarryWhatTheFieldNeeds(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	s, f := r.s, r.s.fields
	r.press(s.start)
	r.press(s.read)
	pad := func() []string {
		var keys []string
		for _, k := range s.keyboard.keys {
			if shown(k) {
				keys = append(keys, k.label)
			}
		}
		return keys
	}
	for _, tc := range []struct {
		step  int
		field *entry
		want  string
	}{
		{selfNationalID, f.nationalID, "1 2 3 4 5 6 7 8 9  0 ⌫"},
		{selfBirth, f.birthDate, "1 2 3 4 5 6 7 8 9 . 0 ⌫"},
		{selfContact, f.phone, "1 2 3 4 5 6 7 8 9 + 0 ⌫"},
	} {
		s.show(tc.step)
		r.focusByTap(tc.field)
		if got := strings.Join(pad(), " "); got != tc.want {
			t.Errorf("step %d: the pad shows %q, want the 12 keys %q", tc.step, got, tc.want)
		}
	}
	r.focusByTap(f.email)
	keys := strings.Join(pad(), "")
	for _, want := range []string{"ç", "ğ", "ı", "ö", "ş", "ü", "i", "q", "w", "x", "@", ".", "'", "-"} {
		if !strings.Contains(keys, want) {
			t.Errorf("the letters lack %q: %s", want, keys)
		}
	}
}

func TestKeyboardTypesTurkish(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
	s := r.s
	r.press(s.start)
	r.press(s.read)
	s.show(selfName)
	e := s.fields.firstName
	if r.w.Canvas().Focused() != fyne.Focusable(e) || !s.keyboard.shift {
		t.Fatalf("the name step opens in the first name, shift on for its capital: %T, %v", r.w.Canvas().Focused(), s.keyboard.shift)
	}
	for _, k := range []string{"ı", "ş", "ı", "k", "␣", "i", "ğ", "⌫", "ğ", "ü"} {
		r.key(k)
	}
	if e.Text != "Işık İğü" {
		t.Fatalf("typed %q: ı capitalises to I and i to İ", e.Text)
	}
	r.key("⏎")
	if r.w.Canvas().Focused() != fyne.Focusable(s.fields.lastName) {
		t.Error("⏎ moves to the next field")
	}
	r.key("⇧") // shift came on by itself; the citizen turns it off
	r.key("ç")
	if s.fields.lastName.Text != "ç" {
		t.Errorf("shift off: %q", s.fields.lastName.Text)
	}
}
