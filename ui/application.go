package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/kvkk"
)

// screenApplication records a data-subject application (KVKK art. 11).
const screenApplication = "application"

// applicationScreen is the form of a data-subject application for the
// citizen whose page it was opened from, and its receipt.
type applicationScreen struct {
	h       host
	counter *counter.Service
	print   printing
	// back returns to the citizen's page the form was opened from.
	back    func(*app.Citizen, *counter.Visit)
	citizen *app.Citizen
	visit   *counter.Visit
	who     *widget.Label
	rights  *widget.CheckGroup
	detail  *entry
	channel *widget.RadioGroup
	address *entry
	errs    *widget.Label
	info    *widget.Label
	code    *canvas.Text // the tracking code, large, once saved
	save    *widget.Button
	obj     fyne.CanvasObject
}

func newApplicationScreen(h host, c *counter.Service, p printing, openCitizen func(*app.Citizen, *counter.Visit)) *applicationScreen {
	s := &applicationScreen{h: h, counter: c, print: p, back: openCitizen}
	t := h.texts()
	s.who = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.rights = &widget.CheckGroup{}
	s.channel = &widget.RadioGroup{Horizontal: true}
	t.add(func() {
		s.rights.Options = labels("application.right.", kvkk.Rights)
		s.channel.Options = labels("application.channel.", kvkk.ReplyChannels)
		s.rights.Refresh()
		s.channel.Refresh()
	})
	s.detail = t.entry("application.detail.placeholder")
	s.detail.MultiLine, s.detail.Wrapping = true, fyne.TextWrapWord
	s.detail.SetMinRowsVisible(4)
	s.address = t.entry("application.address.placeholder")
	s.errs, s.info = errorLabel(), infoLabel()
	// The code large, as after a complaint: the clerk reads it out, and a
	// receipt may not come out.
	s.code = bigText(40)
	s.code.Hide()
	// The request in the citizen's words first: the form opens with the
	// focus there, in view, and Tab goes down the page (the long list of
	// rights below it would push a first field under the fold at 1024x768).
	form := &widget.Form{Items: []*widget.FormItem{
		t.formItem("application.detail", s.detail), t.formItem("application.rights", s.rights),
		t.formItem("application.channel", s.channel), t.formItem("application.address", s.address)}}
	s.save = t.primary("application.save", s.onSave)
	// What the save did shows at the top, where the page is put back to.
	body := column(s.who, s.info, s.code, s.errs, t.label("application.hint"), form) // saved, then what the printer did
	s.obj = page(t.heading("application.title"), body, t.button("application.back", s.onBack), s.save)
	return s
}

func (s *applicationScreen) root() fyne.CanvasObject { return s.obj }
func (s *applicationScreen) focus()                  { s.h.canvas().Focus(s.detail) }

func (s *applicationScreen) reset() {
	s.citizen, s.visit = nil, nil
	s.who.SetText("")
	s.rights.SetSelected(nil)
	s.detail.SetText("")
	s.channel.SetSelected("")
	s.address.SetText("")
	s.errs.SetText("")
	s.info.SetText("")
	s.code.Text = ""
	s.code.Hide()
	s.save.Enable()
}

// begin opens the form for a citizen within their visit.
func (s *applicationScreen) begin(c *app.Citizen, v *counter.Visit) {
	s.reset()
	s.citizen, s.visit = c, v
	s.who.SetText(fmt.Sprintf("%s  (%s)", c.DisplayName(), c.NationalID.Masked()))
}

// input reads the form.
func (s *applicationScreen) input() kvkk.ApplicationInput {
	in := kvkk.ApplicationInput{Detail: s.detail.Text, ReplyAddress: s.address.Text}
	for i, o := range s.rights.Options {
		for _, sel := range s.rights.Selected {
			if o == sel {
				in.Rights = append(in.Rights, kvkk.Rights[i])
			}
		}
	}
	for i, o := range s.channel.Options {
		if o == s.channel.Selected {
			in.ReplyChannel = kvkk.ReplyChannels[i]
		}
	}
	return in
}

func (s *applicationScreen) onSave() {
	s.h.touch()
	s.errs.SetText("")
	in, sess, v, c := s.input(), s.h.session(), s.visit, s.citizen
	var a *kvkk.Application
	var printErr error
	s.h.run(func(ctx context.Context) (err error) {
		if a, err = s.counter.RecordApplication(ctx, sess, v, in); err != nil {
			return err
		}
		_, printErr = s.print.receipt(ctx, applicationReceipt(a, c))
		return nil
	}, func(err error) {
		scrollToTop(s.obj)
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.save.Disable()
		s.info.SetText(lang.L("application.saved", map[string]any{"Code": a.TrackingCode.String(),
			"Due": a.DueDate.Format(dateLayout)}))
		s.code.Text = a.TrackingCode.String()
		s.code.Color = theme.Color(theme.ColorNameForeground) // the theme of now (high contrast)
		s.code.Show()
		s.code.Refresh()
		if printErr != nil {
			setError(s.errs, printErr)
		}
	})
}

func (s *applicationScreen) onBack() {
	s.h.touch()
	c, v := s.citizen, s.visit
	s.reset()
	if c == nil {
		s.h.show(screenHome)
		return
	}
	s.back(c, v)
}
