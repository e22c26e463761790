package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/kvkk"
)

// screenApplications is the supervisor's list of open applications.
const screenApplications = "applications"

// applicationsScreen lists open data-subject applications, the earliest
// due first with overdue ones marked, and records the answer to one.
type applicationsScreen struct {
	h       host
	counter *counter.Service
	open    []*kvkk.Application
	list    *widget.Label
	pick    *widget.Select
	answer  *entry
	errs    *widget.Label
	info    *widget.Label
	obj     fyne.CanvasObject
}

func newApplicationsScreen(h host, c *counter.Service) *applicationsScreen {
	s := &applicationsScreen{h: h, counter: c}
	t := h.texts()
	s.list = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Monospace: true}}
	s.pick = &widget.Select{}
	t.add(func() { s.pick.PlaceHolder = lang.L("applications.pick"); s.pick.Refresh() })
	s.answer = t.entry("applications.answer.placeholder")
	s.answer.MultiLine, s.answer.Wrapping = true, fyne.TextWrapWord
	s.answer.SetMinRowsVisible(3)
	s.errs, s.info = errorLabel(), infoLabel()
	form := &widget.Form{Items: []*widget.FormItem{t.formItem("applications.which", s.pick),
		t.formItem("applications.answer", s.answer)}}
	body := container.NewVBox(s.list, widget.NewSeparator(), form, s.errs, s.info)
	s.obj = page(t.heading("applications.title"), body, t.button("common.home", s.onHome),
		t.primary("applications.save", s.onAnswer))
	return s
}

func (s *applicationsScreen) root() fyne.CanvasObject { return s.obj }
func (s *applicationsScreen) focus()                  { s.h.canvas().Focus(s.answer) }

func (s *applicationsScreen) reset() {
	s.open = nil
	s.list.SetText("")
	s.pick.Options = nil
	s.pick.ClearSelected()
	s.answer.SetText("")
	s.errs.SetText("")
	s.info.SetText("")
}

// refresh loads the open applications.
func (s *applicationsScreen) refresh() {
	sess := s.h.session()
	var open []*kvkk.Application
	s.h.run(func(ctx context.Context) (err error) {
		open, err = s.counter.OpenApplications(ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.show(open, time.Now())
	})
}

// show lists the applications; an overdue one is marked.
func (s *applicationsScreen) show(open []*kvkk.Application, now time.Time) {
	s.open = open
	if len(open) == 0 {
		s.list.SetText(lang.L("applications.none"))
	}
	var b strings.Builder
	opts := make([]string, len(open))
	for i, a := range open {
		mark := "  "
		if a.Overdue(now) {
			mark = "! "
		}
		rights := make([]string, len(a.Rights))
		for j, r := range a.Rights {
			rights[j] = lang.L("application.right." + string(r))
		}
		fmt.Fprintf(&b, "%s%s  %s  %s  %s\n", mark, a.DueDate.Format(dateLayout), a.TrackingCode,
			lang.L("application.channel."+string(a.ReplyChannel)), strings.Join(rights, ", "))
		opts[i] = a.TrackingCode.String()
	}
	if len(open) > 0 {
		b.WriteString("\n" + lang.L("applications.legend"))
		s.list.SetText(b.String())
	}
	s.pick.Options = opts
	s.pick.ClearSelected()
}

func (s *applicationsScreen) onAnswer() {
	s.h.touch()
	s.errs.SetText("")
	i := s.pick.SelectedIndex()
	if i < 0 || i >= len(s.open) {
		s.errs.SetText(lang.L("applications.pick.first"))
		return
	}
	id, text, sess := s.open[i].ID, s.answer.Text, s.h.session()
	s.h.run(func(ctx context.Context) error { return s.counter.AnswerApplication(ctx, sess, id, text) },
		func(err error) {
			if err != nil {
				setError(s.errs, err)
				return
			}
			s.answer.SetText("")
			s.info.SetText(lang.L("applications.saved"))
			s.refresh()
		})
}

func (s *applicationsScreen) onHome() {
	s.h.touch()
	s.reset()
	s.h.show(screenHome)
}
