package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/notice"
)

// selfScreen is the self-service terminal: a welcome with a language
// switch, the notice with "Okudum" before any personal data is asked, a
// short form typed on the on-screen keyboard, and the receipt. After a quiet
// minute a visible countdown wipes everything and the welcome returns.
type selfScreen struct {
	k         *Kiosk
	steps     []fyne.CanvasObject
	step      int
	notice    *noticePanel
	fields    *citizenFields
	kind      *widget.Select
	category  *widget.Select
	cats      []app.Category
	desc      *entry
	keyboard  *Keyboard
	errs      *widget.Label
	code      *canvas.Text
	done      *widget.Label
	countdown *widget.Label
	visit     *notice.Visit
	lastInput time.Time
	exit      *exitPanel
	obj       fyne.CanvasObject
}

// Self-service steps.
const (
	selfWelcome = iota
	selfNotice
	selfForm
	selfDone
)

func newSelfScreen(k *Kiosk) *selfScreen {
	s := &selfScreen{k: k}
	t := k.t
	s.notice = newNoticePanel(k)
	s.fields = newCitizenFields(k)
	s.fields.onChange(s.activity)
	s.kind, s.category = &widget.Select{OnChanged: func(string) { s.activity() }}, &widget.Select{OnChanged: func(string) { s.activity() }}
	t.add(func() {
		s.kind.Options = labels("kind.", app.Kinds)
		s.kind.Refresh()
	})
	s.desc = t.entry("complaint.description.placeholder")
	s.desc.MultiLine, s.desc.Wrapping = true, fyne.TextWrapWord
	s.desc.SetMinRowsVisible(3)
	s.desc.OnChanged = func(string) { s.activity() }
	s.keyboard = NewKeyboard(k.win.Canvas())
	s.keyboard.OnKey = s.activity
	s.errs = errorLabel()
	s.code = bigText(64)
	s.done = infoLabel()
	s.countdown = &widget.Label{Importance: widget.WarningImportance, Alignment: fyne.TextAlignCenter, TextStyle: fyne.TextStyle{Bold: true}}
	s.exit = newExitPanel(k)
	s.buildSteps()
	staff := t.button("self.staff", s.onCallStaff)
	top := container.NewHBox(t.button("self.language", s.onLanguage), staff, s.countdown)
	s.obj = container.NewBorder(top, nil, nil, nil, container.NewStack(append(s.steps, s.exit.box)...))
	s.reset()
	return s
}

func (s *selfScreen) buildSteps() {
	t := s.k.t
	welcome := container.NewVBox(t.heading("self.welcome"), t.label("self.welcome.explain"),
		container.NewCenter(t.primary("self.start", s.onStart)))
	readNotice := page(t.heading("self.notice"), s.notice.box, t.button("self.cancel", s.reset), t.primary("self.read", s.onRead))
	f := s.fields
	form := container.NewVBox(f.nidField.box, f.firstField.box, f.lastField.box, f.birthField.box, f.phoneField.box,
		f.emailField.box, t.field("kind", "complaint.kind", "", false, s.kind).box,
		t.field("category_code", "complaint.category", "", false, s.category).box,
		t.field("description", "complaint.description", "", false, s.desc).box)
	actions := container.NewBorder(nil, nil, t.button("self.cancel", s.reset), t.primary("self.send", s.onSend), s.errs)
	formPage := container.NewBorder(actions, s.keyboard, nil, nil, container.NewVScroll(form))
	done := container.NewVBox(t.heading("self.done"), s.code, s.done, container.NewCenter(t.primary("self.finish", s.reset)))
	s.steps = []fyne.CanvasObject{container.NewCenter(welcome), readNotice, formPage, container.NewCenter(done)}
}

func (s *selfScreen) root() fyne.CanvasObject { return s.obj }

// reset wipes everything typed and returns to the welcome.
func (s *selfScreen) reset() {
	if v := s.visit; v != nil {
		s.k.run(func(ctx context.Context) error { return v.End(ctx) }, func(error) {})
	}
	s.visit = nil
	s.fields.reset()
	s.keyboard.Forget()
	s.kind.ClearSelected()
	s.category.ClearSelected()
	s.desc.SetText("")
	s.errs.SetText("")
	s.code.Text = ""
	s.code.Refresh()
	s.done.SetText("")
	s.countdown.SetText("")
	s.exit.hide()
	s.show(selfWelcome)
	s.lastInput = time.Now()
}

func (s *selfScreen) show(step int) {
	s.step = step
	showOnly(s.steps, step)
}

func (s *selfScreen) activity() {
	s.lastInput = time.Now()
	s.countdown.SetText("")
}

// tick counts the quiet time down: after the reset time a countdown shows,
// and at its end everything is wiped.
func (s *selfScreen) tick(now time.Time) {
	if s.step == selfWelcome {
		return
	}
	s.followFocus()
	quiet := now.Sub(s.lastInput)
	resetAfter := s.k.svc.Config.Session.KioskIdleReset.Duration
	countdown := s.k.svc.Config.Session.KioskCountdown.Duration
	switch {
	case quiet >= resetAfter+countdown:
		s.reset()
	case quiet >= resetAfter:
		left := int((resetAfter + countdown - quiet).Round(time.Second).Seconds())
		s.countdown.SetText(lang.L("self.countdown", map[string]any{"Seconds": left}))
	}
}

func (s *selfScreen) onStart() {
	s.activity()
	s.visit = s.k.svc.Counter.StartKioskVisit()
	if err := s.notice.load(); err != nil {
		setError(s.errs, err)
	}
	s.loadCategories()
	s.show(selfNotice)
}

func (s *selfScreen) onRead() {
	s.activity()
	s.notice.giveOnScreen(s.visit, s.errs, func() {
		s.show(selfForm)
		s.k.win.Canvas().Focus(s.fields.nationalID)
	})
}

func (s *selfScreen) loadCategories() {
	var cats []app.Category
	s.k.run(func(ctx context.Context) (err error) {
		cats, err = s.k.svc.Catalog.Categories(ctx)
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		s.cats = cats
		s.category.Options = make([]string, len(cats))
		for i, c := range cats {
			s.category.Options[i] = c.Name
		}
		s.category.Refresh()
	})
}

func (s *selfScreen) onSend() {
	s.activity()
	s.errs.SetText("")
	req := counter.SelfServiceRequest{Citizen: s.fields.input(), Description: s.desc.Text}
	if i := s.kind.SelectedIndex(); i >= 0 {
		req.Kind = app.Kinds[i]
	}
	if i := s.category.SelectedIndex(); i >= 0 {
		req.CategoryCode = s.cats[i].Code
	}
	v, category := s.visit, s.category.Selected
	var c *app.Complaint
	var printErr error
	s.k.run(func(ctx context.Context) (err error) {
		if c, err = s.k.svc.Counter.FileSelfService(ctx, v, req); err != nil {
			return err
		}
		_, printErr = s.k.printReceipt(ctx, selfServiceReceipt(c, req.Citizen, category))
		return nil
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.visit = nil
		s.fields.reset()
		s.desc.SetText("")
		s.code.Text = c.TrackingCode.String()
		s.code.Refresh()
		s.done.SetText(lang.L("self.done.explain"))
		if printErr != nil {
			s.done.SetText(lang.L("self.done.noprint"))
		}
		s.show(selfDone)
	})
}

func (s *selfScreen) onLanguage() {
	s.activity()
	s.k.toggleLanguage()
	if s.step == selfNotice {
		_ = s.notice.load()
	}
}

// onCallStaff asks a clerk to come; the terminal's own bell is the screen.
func (s *selfScreen) onCallStaff() {
	s.activity()
	s.k.notify(lang.L("self.staff.called"))
	s.done.SetText(lang.L("self.staff.called"))
	s.exit.show()
	s.k.run(func(ctx context.Context) error {
		return s.k.svc.Audit(ctx, app.SelfService, "kiosk.staff_called", s.k.svc.Config.TerminalID)
	}, func(error) {})
}

// followFocus shows the numeric pad while an ID, phone or date field has
// the focus, and the letters otherwise.
func (s *selfScreen) followFocus() {
	s.keyboard.Track()
	focused := s.k.win.Canvas().Focused()
	numeric := focused == s.fields.nationalID || focused == s.fields.phone || focused == s.fields.birthDate
	if numeric != s.keyboard.numeric {
		s.keyboard.SetNumeric(numeric)
	}
}
