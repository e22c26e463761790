package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

// The moves through the flow: each handler acts only for the step it
// belongs to, so a tap that reaches a button of a page already left does
// nothing.

func (s *selfScreen) onStart() {
	s.activity()
	if s.step != selfWelcome {
		return
	}
	s.visit = s.counter.StartKioskVisit()
	setMessage(s.noticeErr, s.notice.load())
	s.loadCategories()
	s.show(selfNotice)
}

// onRead is "Okudum, devam et": the notice was given on screen.
func (s *selfScreen) onRead() {
	s.activity()
	if s.step != selfNotice || s.visit == nil {
		return
	}
	if s.visit.NoticeGiven() { // back from the first question
		s.show(selfNationalID)
		return
	}
	s.notice.giveOnScreen(s.visit, s.noticeErr, func() { s.show(selfNationalID) })
	s.noticeErr.Hidden = s.noticeErr.Text == ""
}

// request is what the citizen has given so far.
func (s *selfScreen) request() counter.SelfServiceRequest {
	req := counter.SelfServiceRequest{Citizen: s.fields.input(), Description: s.desc.Text}
	if i := s.kind.Selected(); i >= 0 {
		req.Kind = app.Kinds[i]
	}
	if i := s.category.Selected(); i >= 0 && i < len(s.cats) {
		req.CategoryCode = s.cats[i].Code
	}
	return req
}

// onNext is a question's "Devam et": check its answers, keep every value,
// and move on (or back to the summary after a "Değiştir").
func (s *selfScreen) onNext(step int) {
	s.activity()
	q := s.questions[step]
	if s.step != step || s.overlay != overlayNone || q == nil {
		return
	}
	errs := s.request().Check(q.group, s.now())
	q.show(errs)
	if len(errs) > 0 {
		q.focusField(app.ErrorField(errs[0]))
		s.render()
		return
	}
	if s.editing || step == selfDescription {
		s.editing = false
		s.summary.fill(s.answers())
		s.show(selfCheck)
		return
	}
	s.show(step + 1)
}

// onEnter is the keyboard's ⏎: the next field of the screen, or its
// "Devam et" from the last one.
func (s *selfScreen) onEnter() {
	q := s.questions[s.step]
	if q == nil || s.overlay != overlayNone {
		if s.overlay == overlayStaff {
			s.h.canvas().FocusNext()
		}
		return
	}
	focused := s.h.canvas().Focused()
	for i, f := range q.fields {
		if f.focus == focused && i+1 < len(q.fields) && q.fields[i+1].focus != nil {
			s.h.canvas().Focus(q.fields[i+1].focus)
			s.followFocus()
			return
		}
	}
	s.onNext(s.step)
}

// onBack is "Geri": the page before, keeping every answer. From the notice
// it leaves the visit, which wipes it.
func (s *selfScreen) onBack() {
	s.activity()
	switch {
	case s.overlay != overlayNone:
		s.setOverlay(overlayNone)
	case s.step == selfNotice:
		s.reset()
	case s.editing:
		s.editing = false
		s.summary.fill(s.answers())
		s.show(selfCheck)
	case s.step > selfNotice && s.step < selfDone:
		s.show(s.step - 1)
	}
}

// onChange is a summary row's "Değiştir".
func (s *selfScreen) onChange(step int) {
	s.activity()
	if s.step != selfCheck || s.busy {
		return
	}
	s.editing = true
	s.show(step)
}

// answers are the summary's values, by step.
func (s *selfScreen) answers() map[int]string {
	in := s.fields.input()
	contact := strings.TrimSpace(strings.Join(nonEmpty(s.phoneShown(in.Phone), strings.TrimSpace(in.Email)), " · "))
	if contact == "" {
		contact = lang.L("self.summary.nocontact")
	}
	// The number masked, as on the receipt: people queue behind a kiosk, and
	// "Değiştir" shows it whole to the citizen who wants to check it.
	nid := strings.ReplaceAll(in.NationalID, " ", "")
	if m := app.NationalID(nid).Masked(); m != "" {
		nid = m
	}
	return map[int]string{
		selfNationalID:  nid,
		selfName:        strings.TrimSpace(in.FirstName + " " + in.LastName),
		selfBirth:       s.birthShown(in.BirthDate),
		selfContact:     contact,
		selfSubject:     s.kind.SelectedText() + " · " + s.category.SelectedText(),
		selfDescription: strings.Join(strings.Fields(s.desc.Text), " "),
	}
}

// phoneShown is a phone number as it will be saved.
func (s *selfScreen) phoneShown(typed string) string {
	if p, err := app.NormalizePhone(typed); err == nil && p != "" {
		return app.FormatPhone(p)
	}
	return strings.TrimSpace(typed)
}

// birthShown is a birth date as GG.AA.YYYY, or as typed if it reads as none.
func (s *selfScreen) birthShown(typed string) string {
	if d, err := app.ParseBirthDate(typed, s.now()); err == nil {
		return d.Format("02.01.2006")
	}
	return strings.TrimSpace(typed)
}

func nonEmpty(list ...string) []string {
	var out []string
	for _, v := range list {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// onSend is "Gönder": file the request and print the receipt, once; a
// second tap while it works is ignored.
func (s *selfScreen) onSend() {
	s.activity()
	if s.step != selfCheck || s.busy || s.visit == nil {
		return
	}
	s.busy = true
	s.summary.send.Disable()
	setMessage(s.summary.errs, nil)
	req, v := s.request(), s.visit
	kind, category := s.kind.SelectedText(), s.category.SelectedText()
	var filed *counter.SelfServiceFiling
	var printErr error
	s.h.run(func(ctx context.Context) (err error) {
		if filed, err = s.counter.FileSelfService(ctx, v, req); err != nil {
			return err
		}
		_, printErr = s.print.receipt(ctx, complaintReceipt(filed.Complaint, filed.Applicant, category))
		return nil
	}, func(err error) {
		s.busy = false
		s.summary.send.Enable()
		if err != nil {
			setMessage(s.summary.errs, err)
			s.render()
			return
		}
		s.filed(filed, kind, category, printErr)
	})
}

// filed shows the receipt and forgets the answers: the receipt screen
// shows what was filed, and the wipe takes that too.
func (s *selfScreen) filed(f *counter.SelfServiceFiling, kind, category string, printErr error) {
	s.visit = nil
	s.clearAnswers()
	s.receipt.fill(f, kind, category, s.cfg.Municipality, printErr)
	s.show(selfDone)
}

func (s *selfScreen) onLanguage() {
	s.activity()
	s.kiosk.toggleLanguage()
	s.clearPlaceholders()
	if s.step == selfNotice {
		_ = s.notice.load()
	}
	for _, q := range s.questions {
		q.relabel()
	}
	if s.step == selfCheck {
		s.summary.fill(s.answers())
	}
	s.render()
}

func (s *selfScreen) loadCategories() {
	s.catalog.loadCategories(func(err error) {
		if err != nil {
			return
		}
		s.cats = s.catalog.categories()
		s.category.SetOptions(s.catalog.categoryLabels())
	})
}
