package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// selfQuestion is one screen of questions: the error summary (shown only
// after a failed "Devam et"), the question as heading, its fields with
// labels above them, and one "Devam et" under them. Its progress line
// ("Adım 3 / 6") is shown in the bar, above the heading.
type selfQuestion struct {
	group    counter.SelfServiceGroup
	problems *selfProblems
	heading  *widget.Label
	fields   []*selfField
	next     *stepButton
	errs     []error // the problems shown, to say again in another language
	box      fyne.CanvasObject
}

// selfField is one answer of a question: the label above, a hint, the red
// message after a failed check, and the input (an entry or a choice).
type selfField struct {
	field string // the domain's field name, as errors carry it
	label *widget.Label
	hint  *widget.Label
	msg   *widget.Label
	input fyne.CanvasObject
	focus fyne.Focusable // nil for a choice
	box   *fyne.Container
}

// newSelfField lays out an answer: label (bold) above, hint (nil for
// none), the message's place and the input.
func newSelfField(field string, label, hint *widget.Label, input fyne.CanvasObject, focus fyne.Focusable) *selfField {
	f := &selfField{field: field, label: label, hint: hint, input: input, focus: focus}
	f.label.TextStyle = fyne.TextStyle{Bold: true}
	if f.hint == nil {
		f.hint = &widget.Label{Wrapping: fyne.TextWrapWord}
		f.hint.Hide()
	}
	f.msg = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	f.msg.Hide()
	f.box = container.NewVBox(compactText(f.label, f.hint, f.msg), input)
	return f
}

// setError shows err's message beside the field, or clears it. The hint
// steps aside while a message says what to do.
func (f *selfField) setError(err error) {
	if err == nil {
		f.msg.SetText("")
		f.msg.Hide()
		f.hint.Hidden = f.hint.Text == ""
		f.box.Refresh()
		return
	}
	f.msg.SetText("⚠ " + message(err))
	f.msg.Show()
	f.hint.Hide()
	f.box.Refresh()
}

// newSelfQuestion lays out a question screen; columns puts the fields side
// by side (first and last name), 1 stacks them.
func newSelfQuestion(t *texts, group counter.SelfServiceGroup, heading *widget.Label, columns int, next func(), fields ...*selfField) *selfQuestion {
	q := &selfQuestion{group: group, fields: fields}
	q.heading = heading
	q.heading.Wrapping = fyne.TextWrapWord
	q.problems = newSelfProblems(t, q.focusField)
	q.next = t.large("self.next", true, next)
	boxes := make([]fyne.CanvasObject, len(fields))
	for i, f := range fields {
		boxes[i] = f.box
	}
	var body fyne.CanvasObject = container.NewVBox(boxes...)
	if columns > 1 {
		body = rows(columns, boxes...)
	}
	q.box = container.NewVBox(q.problems.box, compactText(q.heading), body, container.NewHBox(q.next))
	return q
}

// progress is the text "Adım 3 / 6" for this screen.
func (q *selfQuestion) progress() string {
	return lang.L("self.progress", map[string]any{"Step": int(q.group) + 1, "Of": len(counter.SelfServiceGroups)})
}

// show reports errs beside their fields and in the summary; nil clears.
func (q *selfQuestion) show(errs []error) {
	q.errs = errs
	for _, f := range q.fields {
		f.setError(nil)
	}
	var listed []error
	for _, err := range errs {
		if f := q.fieldFor(app.ErrorField(err)); f != nil {
			f.setError(err)
		}
		listed = append(listed, err)
	}
	q.problems.show(listed)
}

// relabel says the problems shown again, in the current language.
func (q *selfQuestion) relabel() { q.show(q.errs) }

// fieldFor returns the field an error names, or the first field.
func (q *selfQuestion) fieldFor(name string) *selfField {
	for _, f := range q.fields {
		if f.field == name {
			return f
		}
	}
	if len(q.fields) > 0 {
		return q.fields[0]
	}
	return nil
}

// focusField puts the focus in the field an error names.
func (q *selfQuestion) focusField(name string) {
	if f := q.fieldFor(name); f != nil && f.focus != nil {
		if c := fyne.CurrentApp().Driver().CanvasForObject(q.box); c != nil {
			c.Focus(f.focus)
		}
	}
}

// first is the field to focus when the screen opens.
func (q *selfQuestion) first() fyne.Focusable {
	for _, f := range q.fields {
		if f.focus != nil {
			return f.focus
		}
	}
	return nil
}

// selfProblems is the error summary above the heading: "Bir sorun var"
// and one tappable line per problem that takes the citizen to its field
// (UX.md, after GOV.UK's error summary). It takes no room while all is well.
type selfProblems struct {
	links []*tapLabel
	field []string
	box   *fyne.Container
	goTo  func(field string)
}

// maxProblems is the most problems one screen of questions can have.
const maxProblems = 3

func newSelfProblems(t *texts, goTo func(string)) *selfProblems {
	p := &selfProblems{goTo: goTo, field: make([]string, maxProblems)}
	title := t.label("self.problem")
	title.TextStyle, title.Importance = fyne.TextStyle{Bold: true}, widget.DangerImportance
	objs := []fyne.CanvasObject{title}
	for i := range maxProblems {
		l := newTapLabel("", func() { p.goTo(p.field[i]) })
		p.links = append(p.links, l)
		objs = append(objs, l)
	}
	p.box = container.NewVBox(compactText(objs...))
	p.box.Hide()
	return p
}

func (p *selfProblems) show(errs []error) {
	for i, l := range p.links {
		if i < len(errs) {
			p.field[i] = app.ErrorField(errs[i])
			l.SetText("⚠ " + message(errs[i]))
			l.Show()
		} else {
			p.field[i] = ""
			l.SetText("")
			l.Hide()
		}
	}
	p.box.Hidden = len(errs) == 0
	p.box.Refresh()
}

// tapLabel is a line of wrapped text that does something when tapped: a
// link of the error summary, which a button could not wrap.
type tapLabel struct {
	widget.Label
	onTap func()
}

func newTapLabel(text string, onTap func()) *tapLabel {
	l := &tapLabel{onTap: onTap}
	l.Text, l.Wrapping, l.Importance = text, fyne.TextWrapWord, widget.DangerImportance
	l.ExtendBaseWidget(l)
	return l
}

// Tapped implements fyne.Tappable.
func (l *tapLabel) Tapped(*fyne.PointEvent) { l.onTap() }

// setMessage shows err's message in l, or hides l: an empty message takes
// no room.
func setMessage(l *widget.Label, err error) {
	setError(l, err)
	l.Hidden = err == nil
	l.Refresh()
}
