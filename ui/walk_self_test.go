package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kocasinan/gise/app"
)

// selfFlows are self-service's flows: a supervisor turns the terminal to
// self-service, then a citizen uses it alone, on the on-screen keyboard.
func selfFlows() []flow {
	return []flow{{"self-complaint", flowSelfComplaint}, {"self-wipe", flowSelfWipe}, {"self-staff", flowSelfStaff}}
}

// toSelfService is the supervisor's tap that turns the counter into a
// self-service terminal; the citizen's counts start after it. The screen's
// clock is the walk's, so that the idle wipe can be reached.
func (w *walker) toSelfService() *selfScreen {
	w.login(app.RoleSupervisor)
	s := w.k.self
	now := start
	s.now = func() time.Time { return now }
	w.step("welcome", nil, func() { w.tap(w.k.home.selfService) })
	w.count = counts{}
	return s
}

// flowSelfComplaint is a citizen filing a complaint alone, every character
// tapped on the on-screen keyboard and every step by its button: a number
// too short refused, a name changed from the summary, then the receipt.
func flowSelfComplaint(w *walker) {
	s := w.toSelfService()
	w.step("notice", nil, func() { w.tap(s.start) })
	w.step("national-id", nil, func() { w.tap(s.read) })
	q := s.questions
	// The detours (a number one digit short, a name changed from the
	// summary) are walked but not counted: the counts are the straight path.
	w.fail("short-id", q[selfNationalID].problems.box, func() {
		w.keys("1000000014")
		w.aside(func() { w.tap(q[selfNationalID].next) })
	})
	w.step("name", nil, func() { w.keys("6"); w.tap(q[selfNationalID].next) })
	w.step("name-typed", nil, func() { w.keys("Çağrı"); w.tapKey("⏎"); w.keys("Işık") })
	w.step("birth-date", nil, func() { w.tap(q[selfName].next) })
	w.step("birth-typed", nil, func() { w.keys("02.03.1990") })
	w.step("contact", nil, func() { w.tap(q[selfBirth].next) })
	w.step("email", nil, func() { w.tap(q[selfContact].fields[1].input); w.keys("cagri@example.com") })
	w.step("subject", nil, func() { w.tap(q[selfContact].next) })
	w.step("subject-chosen", nil, func() {
		w.tap(s.kind.tiles[0])
		w.tap(s.category.tiles[slices.Index(s.category.options, "Park, bahçe ve ağaç")])
	})
	w.step("description", nil, func() { w.tap(q[selfSubject].next) })
	w.step("description-typed", nil, func() { w.keys("Parktaki salıncak kırık.") })
	w.step("summary", s.summary.box, func() { w.tap(q[selfDescription].next) })
	w.step("change-name", nil, func() { w.aside(func() { w.tap(s.summary.rows[1].change) }) })
	w.step("name-changed", s.summary.box, func() {
		w.aside(func() { w.tapKey("⌫"); w.keys("ı"); w.tap(q[selfName].next) })
	})
	w.step("sent", s.receipt.code, func() { w.tap(s.summary.send) })
	w.newPerson()
	w.step("finished", nil, func() { w.tap(s.receipt.finish) })
}

// flowSelfWipe is a citizen who types a name, calls staff and walks away:
// the countdown shows, then the wipe leaves nothing of them.
func flowSelfWipe(w *walker) {
	s := w.toSelfService()
	w.step("notice", nil, func() { w.tap(s.start) })
	w.step("national-id", nil, func() { w.tap(s.read) })
	w.step("typed", nil, func() {
		w.keys("10000000146")
		w.tap(s.questions[selfNationalID].next)
		w.keys("Gizli")
	})
	w.step("staff-called", s.staff.wait, func() { w.tap(s.call) })
	w.personal(s.staff.note.Text) // this citizen's call: the next one must not see it
	w.step("back-to-form", s.staff.note, func() { w.tap(w.stepButton(s.staff.wait, "self.staff.back")) })
	quiet, before := s.idle.last, s.idle.quietFor(true) // staff are on their way: the longer wait
	w.step("no-countdown-yet", s.staff.note, func() { s.tick(quiet.Add(s.idle.quiet + time.Second)) })
	if s.idle.showing {
		w.t.Errorf("the countdown came after %v while the citizen waits for staff as asked", s.idle.quiet)
	}
	w.step("countdown", s.idle.left, func() { s.tick(quiet.Add(before + time.Second)) })
	w.newPerson()
	w.step("wiped", nil, func() { s.tick(quiet.Add(before + s.idle.warn + time.Second)) })
}

// flowSelfStaff is staff called to the terminal: the waiting page, the
// staff login typed on the on-screen keyboard, a wrong password refused,
// and the login given up.
func flowSelfStaff(w *walker) {
	s := w.toSelfService()
	w.step("staff-called", s.staff.wait, func() { w.tap(s.call) })
	w.step("login", nil, func() { w.tap(w.stepButton(s.staff.wait, "self.staff.login")) })
	w.fail("wrong-password", s.exit.errs, func() {
		w.keys("yonetici")
		w.tap(s.exit.password)
		w.keys("yanlis")
		w.tap(s.exit.code)
		w.keys("000000")
		w.tap(w.stepButton(s.exit.box, "exit.confirm"))
	})
	w.newForm()
	w.step("cancelled", nil, func() { w.tap(w.stepButton(s.exit.box, "common.cancel")) })
}

// stepButton is the visible step button of root labelled with key's text.
func (w *walker) stepButton(root fyne.CanvasObject, key string) *stepButton {
	w.t.Helper()
	return findStep(w.t, root, lt(key))
}
