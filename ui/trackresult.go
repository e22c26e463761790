package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/counter"
)

// trackResult shows what a tracking code leads to: the code large, what it
// is, when it was filed, where it stands and its history. Every screen that
// shows a looked-up record uses it.
type trackResult struct {
	code    *canvas.Text
	facts   *widget.Label
	history *widget.Label
	box     *fyne.Container
}

func newTrackResult() *trackResult {
	r := &trackResult{code: bigText(40), facts: &widget.Label{Wrapping: fyne.TextWrapWord},
		history: &widget.Label{Wrapping: fyne.TextWrapWord}}
	r.code.Alignment = fyne.TextAlignLeading
	r.box = container.NewVBox(r.code, r.facts, r.history)
	r.box.Hide()
	return r
}

// clear hides the result.
func (r *trackResult) clear() {
	r.code.Text = ""
	r.code.Refresh()
	r.facts.SetText("")
	r.history.SetText("")
	r.box.Hide()
}

// show lays out one looked-up record.
func (r *trackResult) show(t counter.Tracked) {
	switch {
	case t.Complaint != nil:
		c := t.Complaint
		r.code.Text = c.TrackingCode.String()
		r.facts.SetText(fmt.Sprintf("%s: %s\n%s: %s\n%s: %s", lang.L("track.kind"), lang.L("kind."+string(c.Kind)),
			lang.L("track.filed"), formatTime(c.CreatedAt), lang.L("track.status"), lang.L("status."+c.Status)))
		var b strings.Builder
		if len(t.History) > 0 {
			b.WriteString(lang.L("track.history"))
		}
		for _, h := range t.History {
			fmt.Fprintf(&b, "\n%s  %s  %s", formatTime(h.At), lang.L("status."+h.Status), h.Note)
		}
		r.history.SetText(b.String())
	case t.Application != nil:
		a := t.Application
		r.code.Text = a.TrackingCode.String()
		state := lang.L("track.application.open", map[string]any{"Due": a.DueDate.Format(dateLayout)})
		if !a.AnsweredAt.IsZero() {
			state = lang.L("track.application.answered", map[string]any{"At": formatTime(a.AnsweredAt)})
		}
		r.facts.SetText(fmt.Sprintf("%s: %s\n%s: %s\n%s: %s", lang.L("track.kind"), lang.L("track.application"),
			lang.L("track.filed"), formatTime(a.ReceivedAt), lang.L("track.status"), state))
		r.history.SetText("")
	default:
		r.clear()
		return
	}
	r.code.Refresh()
	r.box.Show()
}
