package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// registerScreen registers a citizen in two sections that each fit the
// window: the notice first (shown or printed, the proof recorded), then the
// identity and contact fields side by side. Problems are listed above the
// form and marked at each field when the clerk saves.
type registerScreen struct {
	h         host
	counter   *counter.Service
	toCitizen openCitizen

	visit    *counter.Visit
	notice   *noticePanel
	noticeOK *widget.Label
	printed  *printOutcome // what became of the printed notice
	fields   *citizenFields
	summary  *errorSummary
	errs     *widget.Label // a notice or visit problem, beside its buttons
	read     *widget.Label // what the last read of a document gave
	card     *app.MRZ      // the names and birth date the card spelled; nil: none read
	save     *wedgeButton
	shown    *wedgeButton
	print    *wedgeButton
	steps    []fyne.CanvasObject
	obj      fyne.CanvasObject
}

// Sections of the register screen.
const (
	registerNotice = iota
	registerForm
)

// newRegisterScreen builds the screen around notice, the panel that shows
// and records the disclosure notice.
func newRegisterScreen(h host, c *counter.Service, p printing, notice *noticePanel, toCitizen openCitizen) *registerScreen {
	s := &registerScreen{h: h, counter: c, toCitizen: toCitizen}
	t := h.texts()
	s.notice = notice
	s.noticeOK = infoLabel()
	s.printed = newPrintOutcome(h, p)
	s.fields = newCitizenFields(h)
	s.summary = newErrorSummary(h)
	s.errs = errorLabel()
	s.read = infoLabel()
	s.save = t.wprimary("register.save", s.onSave)
	s.shown = t.wprimary("register.notice.shown", s.onShown)
	s.print = t.wbutton("register.notice.print", s.onPrint)
	s.fields.onChange(s.checkNames)
	f := s.fields
	noticeStep := container.NewBorder(container.NewVBox(t.heading("register.step.notice"), t.label("register.notice.explain")),
		container.NewVBox(container.NewHBox(s.shown, s.print), s.printed.root(), s.errs), nil, nil, s.notice.box)
	// Two fields a row, in the order Tab takes: the whole form fits 1024x768.
	grid := rows(2, f.nidField.box, f.birthField.box, f.firstField.box, f.lastField.box,
		f.phoneField.box, f.emailField.box)
	form := container.NewVBox(t.heading("register.step.form"), s.noticeOK, s.read, s.summary.box, grid, f.declined)
	formScroll := vscroll(form)
	s.summary.scroll = formScroll
	s.steps = []fyne.CanvasObject{noticeStep, formScroll}
	s.obj = fixedPage(t.heading("register.title"), container.NewStack(s.steps...), t.wbutton("common.cancel", s.onCancel), s.save)
	s.reset()
	return s
}

func (s *registerScreen) root() fyne.CanvasObject { return s.obj }

func (s *registerScreen) focus() {
	if s.steps[registerNotice].Visible() {
		s.h.canvas().Focus(s.shown)
	} else {
		s.fields.focusFirst(s.h.canvas())
	}
}

func (s *registerScreen) reset() {
	s.card = nil
	s.read.SetText("")
	s.read.Hide()
	s.fields.reset()
	s.summary.clear(s.fields.all()...)
	s.errs.SetText("")
	s.noticeOK.SetText("")
	s.printed.reset()
	s.visit = nil
	s.showStep(registerNotice)
}

func (s *registerScreen) showStep(step int) {
	showOnly(s.steps, step)
	s.save.Hidden = step != registerForm
	s.obj.Refresh() // the action bar lays out the save button anew
}

// begin starts a new visit for a newcomer.
func (s *registerScreen) begin() {
	s.reset()
	v, err := s.counter.StartVisit(s.h.session(), "")
	if err != nil {
		setError(s.errs, err)
		return
	}
	s.visit = v
	if err := s.notice.load(); err != nil {
		setError(s.errs, err)
	}
}

// noticeGiven moves on to the form once the notice's proof is recorded.
func (s *registerScreen) noticeGiven(msg string) {
	s.errs.SetText("")
	s.noticeOK.SetText("✓ " + msg)
	s.showStep(registerForm)
	s.fields.focusFirst(s.h.canvas())
}

// onShown records that the notice was shown on screen and read.
func (s *registerScreen) onShown() {
	s.h.touch()
	if s.visit == nil {
		return // no visit could start (the role's refusal is on the screen)
	}
	s.notice.giveOnScreen(s.visit.Visit, s.errs, func() { s.noticeGiven(lang.L("register.notice.given.screen")) })
}

// onPrint prints the notice on the notice printer; it counts as given only
// when CUPS reports the page printed, and a failure says so beside the
// buttons with a reprint, while the clerk may show it on screen instead.
func (s *registerScreen) onPrint() {
	s.h.touch()
	if s.visit == nil {
		return // no visit could start (the role's refusal is on the screen)
	}
	s.errs.SetText("")
	s.notice.printNotice(s.printed, s.visit.Visit, "", s.errs, func() {
		s.noticeGiven(lang.L("register.notice.given.print"))
	})
}

func (s *registerScreen) onSave() {
	s.h.touch()
	if !s.save.Visible() || s.save.Disabled() {
		return // Ctrl+S before the notice, or a second press while saving
	}
	in, v, sess := s.fields.input(), s.visit, s.h.session()
	if _, problems := app.ParseCitizenAll(in, s.counter.Now()); len(problems) > 0 {
		s.summary.show(problems, s.fields.all()...)
		return
	}
	s.summary.clear(s.fields.all()...)
	var c *app.Citizen
	s.save.Disable()
	s.h.run(func(ctx context.Context) (err error) {
		c, err = s.counter.Register(ctx, sess, v, in)
		return err
	}, func(err error) {
		s.save.Enable()
		if app.ErrorCode(err) == app.ECONFLICT && c != nil {
			// The citizen exists: open their page instead of a duplicate.
			s.reset()
			s.toCitizen(c, nil, message(err))
			return
		}
		if err != nil {
			s.summary.show([]error{err}, s.fields.all()...)
			return
		}
		s.reset()
		s.toCitizen(c, v, lang.L("register.saved", map[string]any{"Name": c.DisplayName()}))
	})
}

func (s *registerScreen) onCancel() {
	v := s.visit
	if v != nil {
		s.h.run(func(ctx context.Context) error { return v.End(ctx) }, func(error) {})
	}
	s.reset()
	s.h.show(screenHome)
}
