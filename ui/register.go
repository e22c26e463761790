package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// registerScreen registers a citizen: the notice first (shown or printed,
// the proof recorded), then the form, checked field by field as it is typed.
type registerScreen struct {
	k        *Kiosk
	visit    *counter.Visit
	notice   *noticePanel
	noticeOK *widget.Label
	printed  *printOutcome
	form     *widget.Form
	fields   citizenFields
	errs     *widget.Label
	save     *widget.Button
	shown    *widget.Button
	obj      fyne.CanvasObject
}

// citizenFields are the entries of a registration form, shared by the
// counter and the self-service form.
type citizenFields struct {
	nationalID, firstName, lastName, birthDate, phone, email *entry
	declined                                                 *widget.Check
	phoneItem                                                *widget.FormItem
}

func newCitizenFields(k *Kiosk) citizenFields {
	t := k.t
	f := citizenFields{
		nationalID: t.entry("citizen.nid.placeholder"), firstName: t.entry("citizen.first.placeholder"),
		lastName: t.entry("citizen.last.placeholder"), birthDate: t.entry("citizen.birth.placeholder"),
		phone: t.entry("citizen.phone.placeholder"), email: t.entry("citizen.email.placeholder"),
		declined: t.check("citizen.declined", nil),
	}
	f.nationalID.Validator = func(s string) error { _, err := app.ParseNationalID(s); return translated(err) }
	f.firstName.Validator = func(s string) error { _, err := app.NormalizeName("first_name", s); return translated(err) }
	f.lastName.Validator = func(s string) error { _, err := app.NormalizeName("last_name", s); return translated(err) }
	f.birthDate.Validator = func(s string) error { _, err := app.ParseBirthDate(s, time.Now()); return translated(err) }
	f.phone.Validator = func(s string) error { _, err := app.NormalizePhone(s); return translated(err) }
	f.email.Validator = func(s string) error { _, err := app.NormalizeEmail(s); return translated(err) }
	for _, e := range f.entries() {
		e.OnChanged = func(string) { k.touch() }
	}
	f.phoneItem = t.formItem("citizen.phone", f.phone)
	f.phone.OnChanged = func(s string) {
		k.touch()
		if p, err := app.NormalizePhone(s); err == nil && p != "" {
			f.phoneItem.HintText = lang.L("citizen.phone.normalised", map[string]any{"Phone": app.FormatPhone(p)})
		} else {
			f.phoneItem.HintText = ""
		}
	}
	return f
}

func (f citizenFields) entries() []*entry {
	return []*entry{f.nationalID, f.firstName, f.lastName, f.birthDate, f.phone, f.email}
}

func (f citizenFields) items(t *texts) []*widget.FormItem {
	return []*widget.FormItem{t.formItem("citizen.nid", f.nationalID), t.formItem("citizen.first", f.firstName),
		t.formItem("citizen.last", f.lastName), t.formItem("citizen.birth", f.birthDate), f.phoneItem,
		t.formItem("citizen.email", f.email), t.formItem("", f.declined)}
}

func (f citizenFields) input() app.CitizenInput {
	return app.CitizenInput{NationalID: f.nationalID.Text, FirstName: f.firstName.Text, LastName: f.lastName.Text,
		BirthDate: f.birthDate.Text, Phone: f.phone.Text, Email: f.email.Text, ContactDeclined: f.declined.Checked}
}

func (f citizenFields) reset() {
	for _, e := range f.entries() {
		e.SetText("")
		e.SetValidationError(nil)
	}
	f.declined.SetChecked(false)
	f.phoneItem.HintText = ""
}

// translated turns a domain error into one whose text is in the
// interface's language, for Fyne's validation hints.
func translated(err error) error {
	if err == nil {
		return nil
	}
	return &app.Error{Code: app.ErrorCode(err), Field: app.ErrorField(err), Message: message(err)}
}

func newRegisterScreen(k *Kiosk) *registerScreen {
	s := &registerScreen{k: k}
	t := k.t
	s.notice = newNoticePanel(k)
	s.noticeOK = infoLabel()
	s.printed = newPrintOutcome(k)
	s.fields = newCitizenFields(k)
	s.form = &widget.Form{Items: s.fields.items(t)}
	s.errs = errorLabel()
	s.save = t.primary("register.save", s.onSave)
	s.shown = t.button("register.notice.shown", s.onShown)
	noticeBox := container.NewVBox(t.label("register.notice.explain"), s.notice.box,
		container.NewHBox(s.shown, t.button("register.notice.print", s.onPrint)), s.printed.root(), s.noticeOK)
	body := container.NewVBox(noticeBox, widget.NewSeparator(), s.form, s.errs)
	s.obj = page(t.heading("register.title"), body, t.button("common.cancel", s.onCancel), s.save)
	return s
}

func (s *registerScreen) root() fyne.CanvasObject { return s.obj }
func (s *registerScreen) focus()                  { s.k.win.Canvas().Focus(s.shown) }

func (s *registerScreen) reset() {
	s.fields.reset()
	s.errs.SetText("")
	s.noticeOK.SetText("")
	s.printed.reset()
	s.visit = nil
}

// begin starts a new visit for a newcomer.
func (s *registerScreen) begin() {
	s.reset()
	v, err := s.k.svc.Counter.StartVisit(s.k.sess, "")
	if err != nil {
		setError(s.errs, err)
		return
	}
	s.visit = v
	if err := s.notice.load(); err != nil {
		setError(s.errs, err)
	}
}

// onShown records that the notice was shown on screen and read.
func (s *registerScreen) onShown() {
	s.k.touch()
	if s.visit == nil {
		return // no visit could start (the role's refusal is on the screen)
	}
	s.notice.giveOnScreen(s.visit.Visit, s.errs, func() {
		s.noticeOK.SetText(lang.L("register.notice.given.screen"))
		s.k.win.Canvas().Focus(s.fields.nationalID)
	})
}

// onPrint prints the notice; it counts as given once it came out. A failing
// printer leaves the job for reprint, and the clerk may show it on screen
// instead.
func (s *registerScreen) onPrint() {
	s.k.touch()
	if s.visit == nil {
		return // no visit could start (the role's refusal is on the screen)
	}
	s.errs.SetText("")
	name := app.TitleTR(strings.TrimSpace(s.fields.firstName.Text + " " + s.fields.lastName.Text))
	s.notice.printNotice(s.printed, s.visit.Visit, name, s.errs, func() {
		s.noticeOK.SetText(lang.L("register.notice.given.print"))
		s.k.win.Canvas().Focus(s.fields.nationalID)
	})
}

func (s *registerScreen) onSave() {
	s.k.touch()
	s.errs.SetText("")
	in, v, sess := s.fields.input(), s.visit, s.k.sess
	var c *app.Citizen
	s.save.Disable()
	s.k.run(func(ctx context.Context) (err error) {
		c, err = s.k.svc.Counter.Register(ctx, sess, v, in)
		return err
	}, func(err error) {
		s.save.Enable()
		if app.ErrorCode(err) == app.ECONFLICT && c != nil {
			// The citizen exists: open their page instead of a duplicate.
			s.k.citizen.open(c, nil)
			s.k.notify(message(err))
			return
		}
		if err != nil {
			setError(s.errs, err)
			s.k.notify(message(err)) // the form is long: the status line is always in view
			return
		}
		s.k.citizen.open(c, v)
		s.k.notify(lang.L("register.saved", map[string]any{"Name": c.DisplayName()}))
		s.reset()
	})
}

func (s *registerScreen) onCancel() {
	v := s.visit
	if v != nil {
		s.k.run(func(ctx context.Context) error { return v.End(ctx) }, func(error) {})
	}
	s.reset()
	s.k.show(screenHome)
}
