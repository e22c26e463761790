package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
)

// selfReceipt is the confirmation: what was filed and the name the citizen
// gave, the tracking code large, what happens next and how to ask, and
// "Fişinizi alın" (UX.md, after GOV.UK's confirmation pages). It times out
// like every other screen.
type selfReceipt struct {
	heading   *widget.Label
	applicant *widget.Label
	what      *widget.Label
	codeLabel *widget.Label
	code      *canvas.Text
	next      *widget.Label
	take      *widget.Label
	finish    *stepButton
	box       fyne.CanvasObject
}

func newSelfReceipt(t *texts, finish func()) *selfReceipt {
	r := &selfReceipt{heading: t.heading("self.done"), codeLabel: t.label("self.done.code")}
	r.heading.Wrapping = fyne.TextWrapWord
	r.applicant = &widget.Label{Wrapping: fyne.TextWrapWord}
	r.what = &widget.Label{Wrapping: fyne.TextWrapWord}
	r.code = bigText(64)
	r.next = &widget.Label{Wrapping: fyne.TextWrapWord}
	r.take = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	r.finish = t.large("self.finish", true, finish)
	r.box = container.NewVBox(r.heading, r.applicant, r.what, r.codeLabel, r.code, r.next, r.take,
		container.NewHBox(r.finish))
	return r
}

// fill shows a filing; printErr says whether the paper receipt came out.
func (r *selfReceipt) fill(f *counter.SelfServiceFiling, kind, category string, m config.Municipality, printErr error) {
	a := f.Applicant
	r.applicant.SetText(lang.L("self.done.applicant", map[string]any{"Name": a.DisplayName(), "ID": a.NationalID.Masked()}))
	r.what.SetText(kind + " · " + category)
	r.code.Text = f.Complaint.TrackingCode.String()
	r.code.Refresh()
	r.next.SetText(lang.L("self.done.next", map[string]any{"Web": m.Web}))
	if printErr != nil {
		r.take.Importance = widget.DangerImportance
		r.take.SetText(lang.L("self.done.noprint"))
		return
	}
	r.take.Importance = widget.MediumImportance
	r.take.SetText(lang.L("self.done.take"))
}

// clear forgets the filing shown.
func (r *selfReceipt) clear() {
	for _, l := range []*widget.Label{r.applicant, r.what, r.next, r.take} {
		l.SetText("")
	}
	r.code.Text = ""
	r.code.Refresh()
}
