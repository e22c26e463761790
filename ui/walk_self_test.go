package ui

import (
	"time"

	"github.com/kocasinan/gise/app"
)

// selfFlows are self-service's flows: a supervisor turns the terminal to
// self-service, then a citizen uses it alone, on the on-screen keyboard.
func selfFlows() []flow {
	return []flow{{"self-complaint", flowSelfComplaint}, {"self-wipe", flowSelfWipe}}
}

// toSelfService is the supervisor's tap that turns the counter into a
// self-service terminal; the citizen's counts start after it.
func (w *walker) toSelfService() *selfScreen {
	w.login(app.RoleSupervisor)
	w.step("welcome", nil, func() { w.tap(w.k.home.selfService) })
	w.count = counts{}
	return w.k.self
}

// flowSelfComplaint is a citizen filing a complaint alone, every character
// tapped on the on-screen keyboard, then the receipt.
func flowSelfComplaint(w *walker) {
	s := w.toSelfService()
	w.step("notice", nil, func() { w.tap(w.button(s.obj, "self.start")) })
	w.step("form", nil, func() { w.tap(w.button(s.obj, "self.read")) })
	w.step("national-id", nil, func() { w.keys("10000000146"); w.tapKey("⏎") })
	w.step("first-name", nil, func() { w.keys("Çağrı"); w.tapKey("⏎") })
	w.step("last-name", nil, func() { w.keys("Işık"); w.tapKey("⏎") })
	w.step("birth-date", nil, func() { w.keys("02.03.1990"); w.tapKey("⏎"); w.tapKey("⏎") })
	w.step("email", nil, func() { w.keys("cagri@example.com") })
	w.step("kind", nil, func() { w.choose(s.kind, s.kind.Options[0]); w.choose(s.category, s.category.Options[2]) })
	w.step("description", nil, func() { w.tap(s.desc); w.keys("Parktaki salıncak kırık.") })
	w.step("sent", s.code, func() { w.tap(w.button(s.obj, "self.send")) })
	w.newPerson()
	w.step("finished", nil, func() { w.tap(w.button(s.obj, "self.finish")) })
}

// flowSelfWipe is a citizen who types a name, calls staff and walks away:
// the countdown shows, then the wipe leaves nothing of them.
func flowSelfWipe(w *walker) {
	s := w.toSelfService()
	w.step("notice", nil, func() { w.tap(w.button(s.obj, "self.start")) })
	w.step("form", nil, func() { w.tap(w.button(s.obj, "self.read")) })
	w.step("typed", nil, func() { w.keys("10000000146"); w.tapKey("⏎"); w.keys("Gizli") })
	w.step("staff-called", w.k.shell.status, func() { w.tap(w.button(s.obj, "self.staff")) })
	w.personal(w.k.shell.status.Text) // this citizen's call: the next one must not see it
	cfg := w.k.svc.Config.Session
	quiet := s.lastInput
	w.step("countdown", s.countdown, func() { s.tick(quiet.Add(cfg.KioskIdleReset.Duration + time.Second)) })
	w.newPerson()
	w.step("wiped", nil, func() { s.tick(quiet.Add(cfg.KioskIdleReset.Duration + cfg.KioskCountdown.Duration + time.Second)) })
}
