package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// field is one labelled input of a form: its label above it (never a
// placeholder), "(isteğe bağlı)" when optional, a hint, and below it the
// field's own message, in red with a warning sign so colour is not the only
// signal. The message appears when a save finds a problem and is gone when
// the form is reset: no red is left for the next person. Fyne's own entry
// validation is not used, because an entry once focused keeps showing its
// validator's verdict after it is emptied for the next citizen.
type field struct {
	name   string // the domain's field name ("national_id"), to place errors
	label  *widget.Label
	hint   *widget.Label
	input  fyne.CanvasObject
	err    *widget.Label
	errBox fyne.CanvasObject // err with compact padding; hidden with it
	box    *fyne.Container
}

// field builds a field labelled by key; hintKey may be "".
func (t *texts) field(name, key, hintKey string, optional bool, input fyne.CanvasObject) *field {
	f := &field{name: name, input: input,
		label: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
		hint:  &widget.Label{Wrapping: fyne.TextWrapWord},
		err:   &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}}
	t.add(func() {
		if key == "" {
			return
		}
		text := lang.L(key)
		if optional {
			text += " " + lang.L("field.optional")
		}
		f.label.SetText(text)
		if hintKey != "" {
			f.hint.SetText(lang.L(hintKey))
		}
	})
	f.hint.Hidden = hintKey == ""
	f.label.Hidden = key == ""
	f.errBox = compact(f.err)
	f.errBox.Hide()
	f.box = container.NewVBox(compact(f.label, f.hint), input, f.errBox)
	return f
}

// rows lays fields out cols a row, each row as high as its tallest field:
// a message under one field moves only the rows below it (one grid of all
// the fields gave every row the height of the tallest, and opened a gap
// under fields with no message).
func rows(cols int, objs ...fyne.CanvasObject) *fyne.Container {
	var rs []fyne.CanvasObject
	for i := 0; i < len(objs); i += cols {
		rs = append(rs, container.NewGridWithColumns(cols, objs[i:min(i+cols, len(objs))]...))
	}
	return container.NewVBox(rs...)
}

// setHint replaces the hint (the phone field says how it will be saved).
func (f *field) setHint(text string) {
	f.hint.SetText(text)
	f.hint.Hidden = text == ""
	f.hint.Refresh()
}

// setError shows msg under the field; "" clears it.
func (f *field) setError(msg string) {
	if msg == "" {
		f.err.SetText("")
		f.errBox.Hide()
	} else {
		f.err.SetText("⚠ " + msg)
		f.errBox.Show()
	}
	f.box.Refresh()
}

// errorSummary is the "Bir sorun var" box above a form: one line a problem,
// in the same words as the field's own message, each a button that takes
// the focus to its field. It is empty and hidden while all is well.
type errorSummary struct {
	h      host
	scroll *container.Scroll // the form's scroll, to bring a field into view; may be nil
	title  *widget.Label
	list   *fyne.Container
	box    *fyne.Container
}

func newErrorSummary(h host) *errorSummary {
	s := &errorSummary{h: h, title: h.texts().label("form.problem"), list: container.NewVBox()}
	s.title.TextStyle = fyne.TextStyle{Bold: true}
	s.title.Importance = widget.DangerImportance
	s.box = container.NewVBox(s.title, s.list)
	s.box.Hide()
	return s
}

// clear hides the summary and every field's message.
func (s *errorSummary) clear(fields ...*field) {
	for _, f := range fields {
		f.setError("")
	}
	s.list.Objects = nil
	s.box.Hide()
}

// show lists problems (domain errors naming their fields) above the form,
// marks each field, and focuses the first field at fault. A problem whose
// field is not among fields is listed alone.
func (s *errorSummary) show(problems []error, fields ...*field) {
	s.clear(fields...)
	var first fyne.Focusable // the first "Düzelt": the summary, at the top, takes the focus
	for _, p := range problems {
		msg := message(p)
		var target *field
		for _, f := range fields {
			if f.name != "" && f.name == app.ErrorField(p) {
				target = f
			}
		}
		text := &widget.Label{Text: "• " + msg, Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
		line := fyne.CanvasObject(text)
		if target != nil {
			target.setError(msg)
			if fc, ok := target.input.(fyne.Focusable); ok {
				// A label wraps where a long button would widen the window.
				fix := &widget.Button{Text: lang.L("form.fix"), Importance: widget.LowImportance,
					OnTapped: func() { s.reveal(target.box); s.h.canvas().Focus(fc) }}
				if first == nil {
					first = fix
				}
				line = container.NewBorder(nil, nil, nil, fix, text)
			}
		}
		s.list.Add(line)
	}
	if len(problems) == 0 {
		return
	}
	s.box.Show()
	// Twice: a wrapped line knows its height only once it has its width,
	// and the form below must move down by it (else it lies under the list).
	for range 2 {
		if s.scroll != nil {
			s.scroll.Refresh()
		} else {
			s.box.Refresh()
		}
	}
	if s.scroll != nil {
		s.scroll.ScrollToTop()
	}
	if first != nil {
		s.h.canvas().Focus(first)
	}
}

// reveal scrolls the form so that obj (a field) is in view.
func (s *errorSummary) reveal(obj fyne.CanvasObject) {
	if s.scroll == nil || s.scroll.Content == nil {
		return
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(obj).Y - d.AbsolutePositionForObject(s.scroll.Content).Y
	s.scroll.Offset.Y = max(0, min(y-theme.Padding(), s.scroll.Content.MinSize().Height-s.scroll.Size().Height))
	s.scroll.Refresh()
}
