package ui

import (
	"context"
	"encoding/json"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// problemsScreen is the supervisor's: records the central did not take
// (conflicts, rejections) and print jobs that did not come out.
type problemsScreen struct {
	h           host
	supervision *counter.Supervision
	records     *widget.Select
	entries     []app.OutboxEntry
	detail      *widget.Label
	data        *entry
	note        *entry
	jobs        *widget.Select
	jobList     []*app.PrintJob
	job         *printOutcome
	errs        *widget.Label
	info        *widget.Label
	obj         fyne.CanvasObject
}

func newProblemsScreen(h host, sup *counter.Supervision, p printing) *problemsScreen {
	s := &problemsScreen{h: h, supervision: sup}
	t := h.texts()
	s.records = &widget.Select{OnChanged: func(string) { s.onPick() }}
	s.jobs = &widget.Select{OnChanged: func(string) { s.onPickJob() }}
	s.job = newPrintOutcome(h, p)
	t.add(func() {
		s.records.PlaceHolder = lang.L("problems.records.placeholder")
		s.jobs.PlaceHolder = lang.L("problems.jobs.placeholder")
		s.records.Refresh()
		s.jobs.Refresh()
	})
	s.detail = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.data = t.entry("problems.data.placeholder")
	s.data.MultiLine, s.data.Wrapping = true, fyne.TextWrapBreak
	s.data.SetMinRowsVisible(4) // the buttons and their message stay in view at 1024x768
	s.note = t.entry("problems.note.placeholder")
	s.errs, s.info = errorLabel(), infoLabel()
	records := column(t.heading("problems.records"), t.label("problems.records.explain"), s.records, s.detail,
		&widget.Form{Items: []*widget.FormItem{t.formItem("problems.data", s.data), t.formItem("problems.note", s.note)}},
		// What the buttons did shows beside them, in view after the tap;
		// the sentence wraps in the width the buttons leave.
		container.NewBorder(nil, nil, container.NewHBox(t.primary("problems.resend", s.onResend),
			t.button("problems.close", s.onClose)), nil, column(s.errs, s.info)))
	jobs := container.NewVBox(t.heading("problems.jobs"), s.jobs, s.job.root())
	body := container.NewVBox(records, widget.NewSeparator(), jobs)
	s.obj = page(t.heading("problems.title"), body, t.button("common.home", func() { h.show(screenHome) }),
		t.button("sync.refresh", s.refresh))
	return s
}

func (s *problemsScreen) root() fyne.CanvasObject { return s.obj }

func (s *problemsScreen) reset() {
	s.entries, s.jobList = nil, nil
	s.records.Options, s.jobs.Options = nil, nil
	s.records.ClearSelected()
	s.jobs.ClearSelected()
	s.job.reset()
	s.detail.SetText("")
	s.data.SetText("")
	s.note.SetText("")
	s.errs.SetText("")
	s.info.SetText("")
}

// refresh loads both lists.
func (s *problemsScreen) refresh() {
	sess := s.h.session()
	var entries []app.OutboxEntry
	var jobs []*app.PrintJob
	s.h.run(func(ctx context.Context) (err error) {
		if entries, err = s.supervision.Problems(ctx, sess); err != nil {
			return err
		}
		jobs, err = s.supervision.PrintJobs(ctx, sess)
		return err
	}, func(err error) {
		setError(s.errs, err)
		s.entries, s.jobList = entries, jobs
		s.records.Options = make([]string, len(entries))
		for i, e := range entries {
			s.records.Options[i] = fmt.Sprintf("%s · %s · %s", lang.L("problems.state."+string(e.State)), e.Type,
				formatTime(e.OccurredAt))
		}
		s.jobs.Options = make([]string, len(jobs))
		for i, j := range jobs {
			s.jobs.Options[i] = fmt.Sprintf("%s · %s · %s", j.CreatedAt.Local().Format("02.01 15:04"), j.Title, j.Error)
		}
		s.records.ClearSelected()
		s.jobs.ClearSelected()
		s.job.reset()
		s.records.Refresh()
		s.jobs.Refresh()
	})
}

func (s *problemsScreen) selected() *app.OutboxEntry {
	if i := s.records.SelectedIndex(); i >= 0 && i < len(s.entries) {
		return &s.entries[i]
	}
	return nil
}

func (s *problemsScreen) onPick() {
	e := s.selected()
	if e == nil {
		return
	}
	s.detail.SetText(lang.L("problems.detail", map[string]any{"Code": e.RejectCode, "Detail": e.RejectDetail,
		"Error": e.LastError}))
	s.data.SetText(string(e.Data))
}

func (s *problemsScreen) onResend() {
	s.h.touch()
	e := s.selected()
	if e == nil {
		s.errs.SetText(lang.L("problems.pick"))
		return
	}
	data := json.RawMessage(s.data.Text)
	id, note, sess := e.ID, s.note.Text, s.h.session()
	s.act(func(ctx context.Context) error {
		_, err := s.supervision.Resend(ctx, sess, id, data, note)
		return err
	})
}

func (s *problemsScreen) onClose() {
	s.h.touch()
	e := s.selected()
	if e == nil {
		s.errs.SetText(lang.L("problems.pick"))
		return
	}
	id, note, sess := e.ID, s.note.Text, s.h.session()
	s.act(func(ctx context.Context) error { return s.supervision.Close(ctx, sess, id, note) })
}

// onPickJob shows the chosen job's state, with the reprint and the queue
// to send it to.
func (s *problemsScreen) onPickJob() {
	if i := s.jobs.SelectedIndex(); i >= 0 && i < len(s.jobList) {
		sess := s.h.session() // read here, on the UI goroutine
		s.job.adopt(s.jobList[i])
		s.job.again = func(ctx context.Context, id, queue string) (*app.PrintJob, error) {
			return s.supervision.Reprint(ctx, sess, id, queue)
		}
	}
}

// act runs one supervisor action, then reloads the lists.
func (s *problemsScreen) act(work func(ctx context.Context) error) {
	s.errs.SetText("")
	s.info.SetText("")
	s.h.run(work, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.note.SetText("")
		s.info.SetText(lang.L("admin.done"))
		s.refresh()
	})
}
