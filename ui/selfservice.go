package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/notice"
)

// selfScreen is the self-service terminal, a step-by-step flow for a
// citizen alone, as ATMs and check-in kiosks go: a welcome that states the
// time limit; the KVKK notice ("Okudum, devam et"); six short screens of
// questions, each checked on "Devam et"; a summary with "Değiştir" per
// answer; "Gönder"; and the receipt. The on-screen keyboard sits below the
// question area and never covers it. "Geri" is at the top left, "Görevli
// çağır" at the top right. A quiet spell brings a warning with a
// countdown, then a wipe that leaves nothing of the visit.
type selfScreen struct {
	h       host
	cfg     *config.Config // the terminal's live settings
	counter *counter.Service
	print   printing
	kiosk   selfFuncs
	catalog *catalog // the subjects a citizen picks from, in Turkish order
	now     func() time.Time
	step    int
	overlay selfOverlay
	editing bool // a "Değiştir" from the summary: "Devam et" returns there
	busy    bool // a filing is on its way
	visit   *notice.Visit
	cats    []app.Category

	notice    *noticePanel
	noticeErr *widget.Label
	limit     *widget.Label
	fields    *citizenFields
	kind      *selfChoice
	category  *selfChoice
	desc      *entry
	keyboard  *Keyboard
	questions map[int]*selfQuestion
	summary   *selfSummary
	receipt   *selfReceipt
	staff     *selfStaff
	exit      *exitPanel
	idle      *selfIdle

	back     *stepButton
	progress *widget.Label // "Adım 3 / 6": text, not a control
	call     *stepButton
	start    *stepButton
	read     *stepButton
	pages    []fyne.CanvasObject // by step, then the staff and idle pages
	bar      *fyne.Container
	frame    *fyne.Container
	lastSeen fyne.Focusable // the focus at the last look, to notice a change
	obj      fyne.CanvasObject
}

// Self-service steps, in order.
const (
	selfWelcome = iota
	selfNotice
	selfNationalID
	selfName
	selfBirth
	selfContact
	selfSubject
	selfDescription
	selfCheck
	selfDone
	selfSteps
)

// Pages shown over a step, by index after the steps.
const (
	pageStaff = selfSteps + iota
	pageIdle
)

// selfOverlay is a page shown in place of the step, which stays as it was.
type selfOverlay int

const (
	overlayNone selfOverlay = iota
	overlayStaff
)

// selfFuncs is what the self-service screen asks of the kiosk and of main.
type selfFuncs struct {
	toggleLanguage func()
	// leave returns the terminal to counter mode for the clerk who logged
	// in at the exit panel.
	leave func(*auth.Session)
	// audit appends a security event (a staff call); nil: none kept.
	audit func(ctx context.Context, actor app.Actor, action, object string) error
}

// newSelfScreen builds the screen around notice, the panel that shows the
// disclosure notice; catalog lists the subjects a citizen picks from.
func newSelfScreen(h host, cfg *config.Config, c *counter.Service, a *auth.Service, p printing,
	catalog app.CatalogStore, notice *noticePanel, f selfFuncs) *selfScreen {
	s := &selfScreen{h: h, cfg: cfg, counter: c, print: p, kiosk: f, notice: notice, now: time.Now,
		questions: map[int]*selfQuestion{}}
	s.catalog = newCatalog(h, catalog, categoryByName)
	set := cfg.Session
	s.idle = newSelfIdle(h.texts(), set.KioskIdleReset.Duration, set.KioskCountdown.Duration, s.onResume)
	s.keyboard = NewKeyboard(h.canvas())
	s.keyboard.OnKey, s.keyboard.OnEnter, s.keyboard.AutoShift = s.activity, s.onEnter, s.capitalNext
	s.exit = newExitPanel(h, a, s.probed, f.leave)
	s.staff = newSelfStaff(s)
	s.exit.onShow, s.exit.onHide, s.exit.onMessage = s.staff.showLogin, s.onExitHidden, s.render
	s.buildFields()
	s.buildPages()
	s.obj = s.buildFrame()
	s.reset()
	return s
}

// buildFrame lays the bar, the pages and the keyboard out in the
// self-service theme, over a catcher of touches on empty space.
func (s *selfScreen) buildFrame() fyne.CanvasObject {
	t := s.h.texts()
	s.back = t.large("self.back", false, s.onBack)
	s.call = t.large("self.staff", false, s.staff.onCall)
	lang := t.large("self.language", false, s.onLanguage)
	s.progress = &widget.Label{}
	s.bar = container.NewHBox(s.back, container.NewCenter(s.progress), layout.NewSpacer(), container.NewCenter(s.staff.note), lang, s.call)
	bar := s.bar
	body := container.New(&selfColumn{width: 1000}, container.NewStack(s.pages...))
	l := &selfLayout{bar: bar, body: body, keyboard: s.keyboard}
	s.frame = container.New(l, bar, body, s.keyboard)
	return newSteadyTheme(container.NewStack(newTouchCatcher(s.activity), s.frame), selfTheme{})
}

func (s *selfScreen) buildPages() {
	t := s.h.texts()
	s.pages = make([]fyne.CanvasObject, pageIdle+1)
	s.start = t.large("self.start", true, s.onStart)
	s.limit = &widget.Label{Wrapping: fyne.TextWrapWord}
	t.add(func() { s.limit.SetText(s.idle.limit()) })
	welcome := t.heading("self.welcome")
	welcome.Wrapping = fyne.TextWrapWord
	s.pages[selfWelcome] = container.NewVBox(layout.NewSpacer(), welcome, t.label("self.welcome.explain"), s.limit,
		container.NewHBox(s.start), layout.NewSpacer())
	s.noticeErr = errorLabel()
	s.noticeErr.Hide()
	s.read = t.large("self.read", true, s.onRead)
	up := t.large("self.notice.up", false, func() { s.scrollNotice(-1) })
	down := t.large("self.notice.down", false, func() { s.scrollNotice(1) })
	s.pages[selfNotice] = container.NewBorder(t.heading("self.notice"),
		container.NewVBox(s.noticeErr, container.NewHBox(s.read, layout.NewSpacer(), up, down)), nil, nil, s.notice.box)
	for step, q := range s.buildQuestions() {
		s.questions[step] = q
		s.pages[step] = q.box
	}
	s.summary = newSelfSummary(t, s.onChange, s.onSend)
	s.pages[selfCheck] = s.summary.box
	s.receipt = newSelfReceipt(t, s.reset)
	s.pages[selfDone] = s.receipt.box
	s.pages[pageStaff] = s.staff.box
	s.pages[pageIdle] = s.idle.box
}

func (s *selfScreen) root() fyne.CanvasObject { return s.obj }

// scrollNotice moves the notice a page up (-1) or down (1): a tap, not a
// swipe (UX.md: single-tap input).
func (s *selfScreen) scrollNotice(dir float32) {
	s.activity()
	walkTree(s.notice.box, false, func(o fyne.CanvasObject) {
		if sc, ok := o.(*container.Scroll); ok {
			page := sc.Size().Height * 0.8
			y := min(max(sc.Offset.Y+dir*page, 0), max(sc.Content.MinSize().Height-sc.Size().Height, 0))
			sc.ScrollToOffset(fyne.NewPos(0, y))
		}
	})
}

// show moves to a step and puts the focus in its first field.
func (s *selfScreen) show(step int) {
	s.step = step
	s.overlay = overlayNone
	s.h.canvas().Unfocus()
	s.render()
	if q := s.questions[step]; q != nil && q.first() != nil {
		s.h.canvas().Focus(q.first()) // once shown: a hidden field takes no focus
		s.followFocus()
	}
}

// render shows the page in front (the warning over everything, then the
// staff page, then the step) and the keyboard when a field there wants it.
func (s *selfScreen) render() {
	page := s.step
	switch {
	case s.idle.showing:
		page = pageIdle
	case s.overlay == overlayStaff:
		page = pageStaff
	}
	showOnly(s.pages, page)
	s.back.Hidden = page != s.step || s.step == selfWelcome || s.step == selfDone
	s.progress.SetText("")
	if q := s.questions[page]; q != nil {
		s.progress.SetText(q.progress())
	}
	s.followFocus()
	s.bar.Refresh() // the progress line or the staff note may have changed
	s.relayout()
	// Twice: wrapped text knows its height only once it has its width, and
	// a message just shown had none.
	s.pages[page].Refresh()
	s.pages[page].Refresh()
}

// relayout lays the bands out again without refreshing what is in them:
// a deep refresh would measure the notice's long text anew at every step.
func (s *selfScreen) relayout() {
	s.frame.Layout.Layout(s.frame.Objects, s.frame.Size())
	canvas.Refresh(s.frame)
}

// setOverlay shows a page over the step, or the step again.
func (s *selfScreen) setOverlay(o selfOverlay) {
	s.overlay = o
	if o == overlayNone {
		s.show(s.step)
		return
	}
	s.h.canvas().Unfocus()
	s.render()
}

// onExitHidden follows the staff login closing: back to the waiting page
// while staff are called, else to the step.
func (s *selfScreen) onExitHidden() {
	if s.staff.called && s.overlay == overlayStaff {
		s.staff.wait.Show()
		s.h.canvas().Unfocus()
		s.render()
		return
	}
	s.setOverlay(overlayNone)
}

// activity notes a touch: the quiet time starts again, and a warning on
// screen gives way to the visit as it was.
func (s *selfScreen) activity() {
	s.idle.touch(s.now())
	if s.idle.showing {
		s.idle.showing = false
		s.render()
	}
}

// onResume is the warning's "Devam et".
func (s *selfScreen) onResume() { s.activity() }

// dirty reports whether anything of a person is on the terminal: a visit
// under way, a staff call, a receipt, or the staff login open.
func (s *selfScreen) dirty() bool {
	return s.step != selfWelcome || s.staff.called || s.overlay != overlayNone
}

// tick follows the focus and counts the quiet time: after it a warning
// with a countdown, and at its end the wipe.
func (s *selfScreen) tick(now time.Time) {
	s.followFocus()
	if !s.dirty() {
		return
	}
	// Staff called and not yet at the login: the citizen waits as asked.
	waiting := s.staff.called && !s.exit.box.Visible()
	warn, seconds, wipe := s.idle.state(now, waiting)
	switch {
	case wipe:
		s.reset()
	case warn:
		s.idle.setSeconds(seconds)
		if !s.idle.showing {
			s.idle.showing = true
			s.h.canvas().Unfocus()
			s.render()
		}
	}
}
