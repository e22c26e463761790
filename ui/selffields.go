package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// buildFields makes the answers' inputs. The citizen fields are the
// counter's (citizenFields), with their own handlers kept: the screen adds
// to an entry's OnChanged, never replaces it, so the phone's "Kaydedilecek:
// 0532 …" hint that citizenFields computes still happens here.
func (s *selfScreen) buildFields() {
	t := s.h.texts()
	s.fields = newCitizenFields(s.h)
	s.desc = t.input()
	s.desc.MultiLine, s.desc.Wrapping = true, fyne.TextWrapWord
	s.desc.SetMinRowsVisible(3)
	for _, e := range append(s.fields.entries(), s.desc, s.exit.username, s.exit.password, s.exit.code) {
		e.Validator = nil // checked on "Devam et", not while typing (UX.md)
		onChanged(e, func(string) {
			s.activity()
			s.keyboard.Follow(s.h.canvas().Focused())
		})
	}
	s.kind, s.category = newSelfChoice(5, 5), newSelfChoice(3, 12)
	s.kind.OnChanged = func(int) { s.activity(); s.questions[selfSubject].fields[0].setError(nil) }
	s.category.OnChanged = func(int) { s.activity(); s.questions[selfSubject].fields[1].setError(nil) }
	t.add(func() {
		if s.kind.options == nil {
			s.kind.SetOptions(labels("kind.", app.Kinds))
		} else {
			s.kind.Relabel(labels("kind.", app.Kinds))
		}
	})
}

// clearPlaceholders takes the counter's placeholders out of the citizen's
// fields: here the label and hint above a field say what to type (UX.md:
// labels above fields, never placeholders). A language switch sets them
// again, so the screen clears them after one.
func (s *selfScreen) clearPlaceholders() {
	for _, e := range s.fields.entries() {
		e.SetPlaceHolder("")
	}
}

// onChanged adds f after whatever e already does when its text changes.
func onChanged(e *entry, f func(string)) {
	prev := e.OnChanged
	e.OnChanged = func(text string) {
		if prev != nil {
			prev(text)
		}
		f(text)
	}
}

// buildQuestions lays out the six screens of questions, by step.
func (s *selfScreen) buildQuestions() map[int]*selfQuestion {
	t, f := s.h.texts(), s.fields
	next := func(step int) func() { return func() { s.onNext(step) } }
	phone := s.entryField("phone", t.label("self.phone"), t.label("self.phone.hint"), f.phone, 380)
	onChanged(f.phone, func(string) { s.phoneHint(phone) })
	return map[int]*selfQuestion{
		selfNationalID: newSelfQuestion(t, counter.GroupNationalID, t.heading("self.q.nid"), 1, next(selfNationalID),
			s.entryField("national_id", t.label("citizen.nid"), t.label("self.nid.hint"), f.nationalID, 300)),
		selfName: newSelfQuestion(t, counter.GroupName, t.heading("self.q.name"), 2, next(selfName),
			s.entryField("first_name", t.label("citizen.first"), t.label("self.name.hint"), f.firstName, 0),
			s.entryField("last_name", t.label("citizen.last"), t.label("self.name.hint"), f.lastName, 0)),
		selfBirth: newSelfQuestion(t, counter.GroupBirthDate, t.heading("self.q.birth"), 1, next(selfBirth),
			s.entryField("birth_date", t.label("citizen.birth"), t.label("self.birth.hint"), f.birthDate, 300)),
		selfContact: newSelfQuestion(t, counter.GroupContact, t.heading("self.q.contact"), 2, next(selfContact),
			phone, s.entryField("email", t.label("self.email"), t.label("self.email.hint"), f.email, 0)),
		selfSubject: newSelfQuestion(t, counter.GroupSubject, t.heading("self.q.subject"), 1, next(selfSubject),
			newSelfField("kind", t.label("complaint.kind"), nil, s.kind.grid, nil),
			newSelfField("category_code", t.label("complaint.category"), nil, s.category.grid, nil)),
		selfDescription: newSelfQuestion(t, counter.GroupDescription, t.heading("self.q.description"), 1, next(selfDescription),
			s.entryField("description", t.label("complaint.description"), t.label("self.description.hint"), s.desc, 0)),
	}
}

// probed is e under a probe that takes a tap on it.
func (s *selfScreen) probed(e *entry) fyne.CanvasObject {
	return container.NewStack(e, newFocusProbe(func() { s.onFieldTapped(e) }))
}

// entryField is an answer typed into e, width wide (0: the column's width),
// under a probe that takes a tap on it.
func (s *selfScreen) entryField(field string, label, hint *widget.Label, e *entry, width float32) *selfField {
	input := s.probed(e)
	if width > 0 {
		input = container.NewHBox(container.New(&atLeast{size: fyne.NewSize(width, 0)}, input))
	}
	return newSelfField(field, label, hint, input, e)
}

// phoneHint shows the number as it will be saved, under the phone field,
// once it reads as one; citizenFields works it out.
func (s *selfScreen) phoneHint(f *selfField) {
	if h := s.fields.phoneSaved(); h != "" {
		f.hint.SetText(h)
	} else {
		f.hint.SetText(lang.L("self.phone.hint"))
	}
	f.hint.Hidden = f.msg.Visible()
	f.box.Refresh()
}

// onFieldTapped puts the focus in a field a finger touched, with its pad.
func (s *selfScreen) onFieldTapped(e *entry) {
	s.activity()
	s.h.canvas().Focus(e)
	s.followFocus()
}

// focusProbe lies over a self-service entry and takes its taps: it puts
// the focus there, keeps the cursor at the end (the keyboard has no arrow
// keys) and opens no copy-and-paste menu, so nothing a citizen typed
// reaches the clipboard.
type focusProbe struct {
	widget.BaseWidget
	onTap func()
}

func newFocusProbe(onTap func()) *focusProbe {
	p := &focusProbe{onTap: onTap}
	p.ExtendBaseWidget(p)
	return p
}

// Tapped implements fyne.Tappable.
func (p *focusProbe) Tapped(*fyne.PointEvent) { p.onTap() }

// TappedSecondary implements fyne.SecondaryTappable: no context menu.
func (p *focusProbe) TappedSecondary(*fyne.PointEvent) { p.onTap() }

// CreateRenderer implements fyne.Widget: the probe draws nothing.
func (p *focusProbe) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
