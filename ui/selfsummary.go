package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// selfSummary is the check-answers screen before "Gönder": one row per
// question group with what the citizen gave and a "Değiştir" that opens
// that group again (UX.md, after GOV.UK's "Check answers").
type selfSummary struct {
	heading *widget.Label
	rows    []*summaryRow
	errs    *widget.Label
	send    *stepButton
	box     fyne.CanvasObject
}

// summaryRow is one answer: its label, its value and its "Değiştir".
type summaryRow struct {
	step   int
	label  *widget.Label
	value  *widget.Label
	change *stepButton
}

func newSelfSummary(t *texts, change func(step int), send func()) *selfSummary {
	s := &selfSummary{heading: t.heading("self.summary")}
	s.heading.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{s.heading}
	labels := map[int]*widget.Label{selfNationalID: t.label("citizen.nid"), selfName: t.label("self.summary.name"),
		selfBirth: t.label("citizen.birth"), selfContact: t.label("self.summary.contact"),
		selfSubject: t.label("self.summary.subject"), selfDescription: t.label("complaint.description")}
	for step := selfNationalID; step <= selfDescription; step++ {
		r := &summaryRow{step: step, label: labels[step], value: &widget.Label{Truncation: fyne.TextTruncateEllipsis}}
		r.label.Wrapping, r.label.TextStyle = fyne.TextWrapOff, fyne.TextStyle{Bold: true}
		r.change = t.large("self.change", false, func() { change(r.step) })
		label := container.New(&atLeast{size: fyne.NewSize(250, 0)}, container.NewVBox(layout.NewSpacer(), r.label, layout.NewSpacer()))
		value := container.NewVBox(layout.NewSpacer(), r.value, layout.NewSpacer())
		objs = append(objs, container.NewBorder(nil, nil, label, r.change, value))
		s.rows = append(s.rows, r)
	}
	s.errs = errorLabel()
	s.errs.Hide()
	s.send = t.large("self.send", true, send)
	objs = append(objs, s.errs, container.NewHBox(s.send))
	s.box = container.NewVBox(objs...)
	return s
}

// fill shows the answers, by step.
func (s *selfSummary) fill(values map[int]string) {
	for _, r := range s.rows {
		r.value.SetText(values[r.step])
	}
	setMessage(s.errs, nil)
}

// clear forgets every answer shown.
func (s *selfSummary) clear() { s.fill(nil) }
