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

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// citizenScreen is one citizen's page: who they are, the identity checks,
// the e-Belediye password set-up, and a complaint for them.
type citizenScreen struct {
	h        host
	counter  *counter.Service
	to       citizenMoves
	citizen  *app.Citizen
	visit    *counter.Visit
	details  *widget.Label
	checks   *widget.Label
	method   *widget.Select
	serial   *entry
	result   *widget.RadioGroup
	note     *entry
	activate *fyne.Container
	errs     *widget.Label
	info     *widget.Label
	// The activation's outcome, beside its own buttons: under "Doğrulamayı
	// kaydet" a refused SMS read as a refused identity check.
	actErrs, actInfo *widget.Label
	verifyRow        *fyne.Container // "Doğrulamayı kaydet" and its outcome
	saved            *widget.Label   // the banner of what was just done
	toComplaint      *wedgeButton
	// KVKK: the national ID is shown masked unless a clerk or supervisor
	// asks to see it whole (audited); an application is recorded from here.
	showNID       *wedgeButton
	nidShown      bool
	toApplication *wedgeButton
	obj           fyne.CanvasObject
	photo         *widget.Check
	// A document's machine-readable zone, read: each point's mark, the
	// tick when all passed (not the clerk's to set), and what the check
	// records of it.
	mrzRows   *widget.Label
	mrzPassed *widget.Label // "✓ MRZ checks passed", shown only then
	mrz       mrzState
	mrzExpiry time.Time
}

var (
	methods = []app.DocumentMethod{app.MethodIDCardChip, app.MethodIDCard, app.MethodOldIDBooklet,
		app.MethodPassport, app.MethodResidencePermit, app.MethodOnlineKPS}
	results = []app.VerificationResult{app.Verified, app.Mismatch, app.NotVerified}
)

// openCitizen shows citizen c's page within visit v (a new visit when
// nil), with banner above it ("" for none): how another screen moves there.
type openCitizen func(c *app.Citizen, v *counter.Visit, banner string)

// citizenMoves are where a citizen's page leads, for that citizen.
type citizenMoves struct {
	complaint   func(c *app.Citizen)                   // starts a complaint for c
	application func(c *app.Citizen, v *counter.Visit) // starts a data-subject application
}

func newCitizenScreen(h host, c *counter.Service, to citizenMoves) *citizenScreen {
	s := &citizenScreen{h: h, counter: c, to: to}
	t := h.texts()
	s.details = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.checks = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.method = &widget.Select{}
	s.result = &widget.RadioGroup{Horizontal: true}
	t.add(func() {
		s.method.Options = labels("method.", methods)
		s.result.Options = labels("result.", results)
		s.method.PlaceHolder = lang.L("verify.method.placeholder")
		s.method.Refresh()
		s.result.Refresh()
	})
	s.serial, s.note = t.input(), t.input()
	s.photo = t.check("verify.photo", nil)
	s.mrzRows = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.mrzPassed = t.label("verify.mrz")
	s.mrzPassed.Importance, s.mrzPassed.TextStyle = widget.SuccessImportance, fyne.TextStyle{Bold: true}
	s.mrzPassed.Hide()
	s.errs, s.info, s.saved = errorLabel(), infoLabel(), infoLabel()
	s.actErrs, s.actInfo = errorLabel(), infoLabel()
	s.saved.TextStyle = fyne.TextStyle{Bold: true}
	// The label wraps on a line of its own: beside the buttons in an HBox it
	// was given no width and laid out one letter per line.
	s.activate = container.NewVBox(t.label("verify.activation"), container.NewBorder(nil, nil, container.NewVBox(container.NewHBox(
		t.wbutton("verify.activation.sms", func() { s.onActivate(app.ActivationSMS) }),
		t.wbutton("verify.activation.email", func() { s.onActivate(app.ActivationEmail) }))), nil,
		column(s.actErrs, s.actInfo)))
	// Full-width rows, so a horizontal radio and a long check label are
	// never squeezed into half the page (they were clipped there).
	docRow := container.NewGridWithColumns(3, t.field("method", "verify.method", "", false, s.method).box,
		t.field("document_serial_last4", "verify.serial", "", false, s.serial).box,
		t.field("note", "verify.note", "", true, s.note).box)
	s.verifyRow = container.NewBorder(nil, nil, container.NewVBox(t.wprimary("verify.save", s.onVerify)), nil, column(s.errs, s.info))
	verify := container.NewVBox(t.heading("verify.title"), t.label("verify.mrz.explain"), s.mrzRows, s.mrzPassed, docRow, s.photo,
		t.field("result", "verify.result", "", false, s.result).box,
		// The outcome beside the button that caused it, not below it (where
		// it fell out of view at 1024x768).
		s.verifyRow,
		s.activate)
	s.showNID = t.wbutton("citizen.nid.show", s.onShowNID)
	s.toApplication = t.wbutton("citizen.application", s.onApplication)
	// Who the page is about stays above the scrolling part: the clerk marks
	// "Doğrulandı" further down with the name and the number in sight.
	person := container.NewBorder(nil, nil, nil, container.NewVBox(s.showNID), s.details)
	body := container.NewVBox(s.saved, verify, widget.NewSeparator(), t.label("verify.history"), s.checks)
	s.toComplaint = t.wprimary("citizen.complaint", s.onComplaint)
	s.obj = page(container.NewVBox(t.heading("citizen.title"), person), body, t.wbutton("common.home", s.onDone),
		s.toApplication, s.toComplaint)
	return s
}

// banner shows, above the page, what the clerk's last action on another
// screen did ("Işıl Çağlar kaydedildi."): the result replaces the form.
func (s *citizenScreen) banner(msg string) {
	if msg == "" { // an empty line took 60 px above the citizen's name
		s.saved.SetText("")
		s.saved.Hide()
		return
	}
	s.saved.SetText("✓ " + msg)
	s.saved.Show()
}

// labels translates a list of codes under a key prefix.
func labels[T ~string](prefix string, codes []T) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = lang.L(prefix + string(c))
	}
	return out
}

func (s *citizenScreen) root() fyne.CanvasObject { return s.obj }
func (s *citizenScreen) focus()                  { s.h.canvas().Focus(s.toComplaint) }

func (s *citizenScreen) reset() {
	s.citizen, s.visit = nil, nil
	s.details.SetText("")
	s.checks.SetText("")
	s.method.ClearSelected()
	s.result.SetSelected("")
	s.serial.SetText("")
	s.note.SetText("")
	s.photo.SetChecked(false)
	s.mrz, s.mrzExpiry = mrzState{}, time.Time{}
	s.showMRZ()
	s.errs.SetText("")
	s.info.SetText("")
	s.actErrs.SetText("")
	s.actInfo.SetText("")
	s.banner("")
	s.activate.Hide()
	s.nidShown = false
	s.showNID.SetText(lang.L("citizen.nid.show"))
}

// open shows c's page within visit (a new visit when nil).
func (s *citizenScreen) open(c *app.Citizen, v *counter.Visit) {
	s.reset()
	if v == nil {
		var err error
		if v, err = s.counter.StartVisit(s.h.session(), c.ID); err != nil {
			setError(s.errs, err)
		}
	}
	s.citizen, s.visit = c, v
	s.showNID.Hidden = !may(s.h, counterRoles...)
	s.showNID.Refresh()
	s.showDetails(c.NationalID.Masked())
	s.loadChecks()
	s.h.show(screenCitizen)
}

// showDetails shows who the citizen is, with the national ID as given.
func (s *citizenScreen) showDetails(nid string) {
	c := s.citizen
	contact := lang.L("citizen.nocontact")
	// Masked like the national ID, and shown whole with it: the clerk asks
	// "still the one ending in 67?" with others in the queue.
	phone, email := app.MaskPhone(c.Phone), app.MaskEmail(c.Email)
	if s.nidShown {
		phone, email = app.FormatPhone(c.Phone), c.Email
	}
	if c.Phone != "" || c.Email != "" {
		contact = strings.TrimSpace(phone + "  " + email)
	}
	s.details.SetText(fmt.Sprintf("%s\n%s: %s · %s: %s · %s: %s", c.DisplayName(),
		lang.L("citizen.nid"), nid, lang.L("citizen.birth"), c.BirthDate.Format(dateLayout),
		lang.L("citizen.contact"), contact))
}

// onShowNID shows the whole national ID (the service audits it) or masks
// it again.
func (s *citizenScreen) onShowNID() {
	s.h.touch()
	if s.citizen == nil {
		return
	}
	if s.nidShown {
		s.nidShown = false
		s.showNID.SetText(lang.L("citizen.nid.show"))
		s.showDetails(s.citizen.NationalID.Masked())
		return
	}
	id, sess := s.citizen.ID, s.h.session()
	var nid app.NationalID
	s.h.run(func(ctx context.Context) (err error) {
		nid, err = s.counter.RevealNationalID(ctx, sess, id)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.nidShown = true
		s.showNID.SetText(lang.L("citizen.nid.hide"))
		s.showDetails(nid.Digits())
	})
}

// onApplication opens the data-subject application form for this citizen.
func (s *citizenScreen) onApplication() {
	s.h.touch()
	s.to.application(s.citizen, s.visit)
	s.h.show(screenApplication)
}

func (s *citizenScreen) loadChecks() {
	id, sess := s.citizen.ID, s.h.session()
	var list []*app.IdentityCheck
	s.h.run(func(ctx context.Context) (err error) {
		list, err = s.counter.IdentityChecks(ctx, sess, id)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		var b strings.Builder
		for _, c := range list {
			fmt.Fprintf(&b, "%s  %s  %s  %s\n", formatTime(c.CheckedAt),
				lang.L("method."+string(c.Method)), lang.L("result."+string(c.Result)), c.Clerk)
		}
		s.checks.SetText(b.String())
	})
}

func (s *citizenScreen) onVerify() {
	s.h.touch()
	s.errs.SetText("")
	check := &app.IdentityCheck{SerialLast4: s.serial.Text, Note: s.note.Text, PhotoMatched: s.photo.Checked,
		DocumentExpiry: s.mrzExpiry}
	if i := s.method.SelectedIndex(); i >= 0 {
		check.Method = methods[i]
	}
	// The read counts only for the document it read: a serial or a method
	// changed by hand is another document.
	check.MRZPassed = s.mrz.read && s.mrz.match.Passed() && check.Method == s.mrz.method &&
		strings.EqualFold(strings.TrimSpace(check.SerialLast4), s.mrz.serial)
	for i, o := range s.result.Options {
		if o == s.result.Selected {
			check.Result = results[i]
		}
	}
	sess, v := s.h.session(), s.visit
	s.h.run(func(ctx context.Context) error { return s.counter.VerifyIdentity(ctx, sess, v, check) },
		func(err error) {
			// The outcome in view, whether the clerk scrolled to the button or not.
			defer scrollIntoView(s.obj, s.verifyRow)
			if err != nil {
				setError(s.errs, err)
				return
			}
			s.info.SetText(lang.L("verify.saved"))
			s.serial.SetText("")
			s.note.SetText("")
			s.mrz, s.mrzExpiry = mrzState{}, time.Time{}
			s.showMRZ()
			if v.Verified() {
				s.activate.Show()
			}
			s.loadChecks()
		})
}

func (s *citizenScreen) onActivate(d app.ActivationDelivery) {
	s.h.touch()
	s.actErrs.SetText("") // an earlier refusal is not this request's outcome
	s.actInfo.SetText("")
	sess, v := s.h.session(), s.visit
	s.h.run(func(ctx context.Context) error { return s.counter.RequestActivation(ctx, sess, v, d) },
		func(err error) {
			if err != nil {
				setError(s.actErrs, err)
			} else {
				s.actInfo.SetText(lang.L("verify.activation.queued"))
			}
			scrollIntoView(s.obj, s.activate)
		})
}

func (s *citizenScreen) onComplaint() {
	s.h.touch()
	s.to.complaint(s.citizen)
	s.h.show(screenComplaint)
}

func (s *citizenScreen) onDone() {
	if v := s.visit; v != nil {
		s.h.run(func(ctx context.Context) error { return v.End(ctx) }, func(error) {})
	}
	s.reset()
	s.h.show(screenHome)
}
