package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/auth/authtest"
)

// walkFlows are the counter's flows, each from a fresh terminal.
func walkFlows() []flow {
	return []flow{
		{"login", flowLogin}, {"home", flowHome}, {"register", flowRegister}, {"citizen", flowCitizen},
		{"complaint", flowComplaint}, {"track", flowTrack}, {"sync", flowSync}, {"admin", flowAdmin},
		{"problems", flowProblems}, {"kvkk", flowKVKK}, {"lock", flowLock},
		{"count-known", flowCountKnown}, {"count-new", flowCountNew},
	}
}

// button is the visible button of root labelled with key's text.
func (w *walker) button(root fyne.CanvasObject, key string) fyne.CanvasObject {
	w.t.Helper()
	return drawnButton(w.t, root, lang.L(key))
}

// citizen registers Ayşe Öztürk through the service, as an earlier visit
// would have: the known citizen of the counter's flows.
func (w *walker) citizen() *app.Citizen {
	w.t.Helper()
	sess := w.k.sess
	v, err := w.k.svc.Counter.StartVisit(sess, "")
	if err != nil {
		w.t.Fatal(err)
	}
	ver, _ := w.k.svc.Notices.Current("tr", start)
	if _, err := v.Give(w.ctx, ver, app.NoticeScreen, ""); err != nil {
		w.t.Fatal(err)
	}
	c, err := w.k.svc.Counter.Register(w.ctx, sess, v, app.CitizenInput{NationalID: "10000000146", FirstName: "Ayşe",
		LastName: "Öztürk", BirthDate: "01.01.1970", Email: "ayse@example.com"})
	if err != nil {
		w.t.Fatal(err)
	}
	w.data("Ayşe Öztürk", "ayse@example.com", "100******46")
	return c
}

// fileComplaint files a complaint through the service and returns its code.
func (w *walker) fileComplaint() string {
	w.t.Helper()
	c := &app.Complaint{Kind: app.Kinds[0], Description: "Çöp toplanmadı.", Channel: app.ChannelCounter, Anonymous: true}
	cats, _ := w.k.svc.Catalog.Categories(w.ctx)
	c.CategoryCode = cats[0].Code
	if err := w.k.svc.Counter.FileComplaint(w.ctx, w.k.sess, c); err != nil {
		w.t.Fatal(err)
	}
	w.data(c.Description)
	return c.TrackingCode.String()
}

// flowLogin is a clerk's first login: a wrong password, the temporary one,
// a new password and the authenticator, then the counter.
func flowLogin(w *walker) {
	admin := w.tm.Session(app.RoleAdmin)
	_, temp, err := w.k.svc.Auth.CreateAccount(context.Background(), admin, "ayse.kaya", app.RoleClerk)
	if err != nil {
		w.t.Fatal(err)
	}
	w.data("ayse.kaya")
	s := w.k.views[screenLogin].(*loginScreen)
	w.step("open", nil, func() { w.k.show(screenLogin) })
	w.fail("wrong-password", s.errs, func() {
		w.fill(s.username, "ayse.kaya")
		w.fill(s.password, "yanlış şifre")
		w.press(fyne.KeyReturn)
	})
	w.step("temporary-password", nil, func() { w.fill(s.password, temp); w.press(fyne.KeyReturn) })
	for i := 0; w.k.sess == nil && i < 4; i++ {
		if s.codesShown { // the recovery codes, shown once
			w.step("codes-written", nil, func() { w.press(fyne.KeySpace) })
			continue
		}
		switch s.challenge.Next() {
		case auth.StepChangePassword:
			w.step("new-password", nil, func() {
				w.fill(s.newPass, authtest.Password)
				w.fill(s.newAgain, authtest.Password)
				w.press(fyne.KeyReturn)
			})
		case auth.StepEnrolTOTP:
			w.data(s.enrol.secret.Text)
			code, _ := auth.CodeAt(s.enrol.secret.Text, w.tm.Clock.Now())
			w.step("authenticator", s.codes, func() {
				w.fill(s.enrol.code, code)
				w.press(fyne.KeyReturn)
				w.data(strings.Fields(s.codes.Text)...)
			})
		default:
			w.t.Fatalf("login step %v", s.challenge.Next())
		}
	}
	w.step("home", w.k.home.summary, func() {})
}

// flowHome is the day at a glance: after login, then after a complaint
// was filed at this terminal.
func flowHome(w *walker) {
	w.step("home", w.k.home.summary, func() { w.login(app.RoleClerk) })
	code := w.fileComplaint()
	w.data(code)
	w.step("after-complaint", w.k.home.recent, func() { w.tap(w.k.shell.home) })
}

// flowRegister registers a newcomer: the notice printed (no printer) then
// shown, a bad name refused, the citizen saved, and the form opened again
// for the next person.
func flowRegister(w *walker) {
	w.login(app.RoleClerk)
	s := w.k.register
	f := s.fields
	w.step("open", nil, func() { w.tap(w.k.home.first) })
	w.fail("notice-print", s.printed.root(), func() { w.tap(s.print) })
	w.step("notice-shown", s.noticeOK, func() { w.tap(s.shown) })
	w.step("typed", nil, func() {
		w.fill(f.nationalID, "10000000146")
		w.fill(f.birthDate, "23.04.1985")
		w.fill(f.firstName, "Işıl2")
		w.fill(f.lastName, "Çağlar")
		w.fill(f.phone, "0533 765 43 21")
	})
	w.fail("bad-name", s.summary.box, func() { w.tap(s.save) })
	w.step("saved", w.k.citizen.saved, func() { w.fill(f.firstName, "Işıl"); w.tap(s.save) })
	w.newPerson()
	w.step("reopened", nil, func() {
		w.tap(w.button(w.k.citizen.obj, "common.home"))
		w.tap(w.k.home.first)
	})
	// The next newcomer leaves half-way with a wrong number; the one after
	// must find a clean form.
	w.step("abandoned", nil, func() {
		w.tap(s.shown)
		w.fill(f.nationalID, "12345")
		w.fill(f.birthDate, "1.1.1990")
		w.fill(f.firstName, "Veli")
		w.tap(s.save)
		w.tap(w.button(s.obj, "common.cancel"))
	})
	w.newPerson()
	w.step("reopened-again", nil, func() { w.tap(w.k.home.first) })
	w.step("form-again", nil, func() { w.tap(s.shown) })
}

// flowCitizen is a citizen's page: an identity check refused, then saved,
// and the e-Belediye activation it allows.
func flowCitizen(w *walker) {
	w.login(app.RoleClerk)
	c := w.citizen()
	s := w.k.citizen
	w.step("open", nil, func() { s.open(c, nil) }) // reached from the register flow's save
	w.fail("unchecked", s.errs, func() { w.tap(w.button(s.obj, "verify.save")) })
	w.step("verified", s.info, w.checkIdentity)
	// Ayşe has no phone on record: the SMS is refused, the e-mail goes.
	w.fail("activation-sms", s.actErrs, func() { w.tap(w.button(s.activate, "verify.activation.sms")) })
	w.step("activation-email", s.actInfo, func() { w.tap(w.button(s.activate, "verify.activation.email")) })
}

// checkIdentity checks the citizen in front against their identity card
// on the citizen page: document, serial, photo, result, save.
func (w *walker) checkIdentity() {
	s := w.k.citizen
	w.choose(s.method, s.method.Options[0])
	w.fill(s.serial, "A123")
	w.tap(s.photo)
	w.tapText(s.result, s.result.Options[0])
	w.tap(w.button(s.obj, "verify.save"))
}

// flowComplaint is a paper complaint for a known citizen: a date in the
// future refused, then saved with no attachment (and no printer), and
// another request for the same citizen.
func flowComplaint(w *walker) {
	w.login(app.RoleClerk)
	w.citizen()
	s := w.k.complaint
	w.step("open", nil, func() { w.tap(w.button(w.k.home.obj, "home.complaint")) })
	w.step("found", s.who, func() { w.fill(s.search, "öztürk"); w.press(fyne.KeyReturn) })
	w.step("typed", nil, func() {
		w.choose(s.kind, s.kind.Options[1])
		w.choose(s.category, s.category.Options[0])
		w.fill(s.description, "Sokak lambası üç gündür yanmıyor.")
		w.fill(s.paperRef, "EVR-2026/77")
		w.fill(s.paperDate, "30.12.2026")
	})
	w.fail("future-date", s.summary.box, func() { w.tap(s.save) })
	w.step("saved", s.code, func() { w.fill(s.paperDate, "27.11.2026"); w.tap(s.save) })
	w.newForm()
	w.step("again", nil, func() { w.tap(s.again) })
}

// flowTrack looks a code up: an unknown one, then one filed here.
func flowTrack(w *walker) {
	w.login(app.RoleClerk)
	code := w.fileComplaint()
	s := w.k.track
	w.step("open", nil, func() { w.tap(w.k.home.track) })
	w.fail("unknown", s.errs, func() { w.fill(s.code, "ZZZZ-ZZZZ-ZZ"); w.press(fyne.KeyReturn) })
	w.step("found", s.result.box, func() { w.fill(s.code, code); w.press(fyne.KeyReturn) })
}

// flowSync is the sync screen of a terminal linked to no central, as main
// builds it (the queue's counts, no worker): "Şimdi gönder" says why
// nothing goes, with a record waiting.
func flowSync(w *walker) {
	w.with(func(s *Services) { s.Sync = queueOnly{w.tm.Store} })
	w.login(app.RoleClerk)
	w.fileComplaint()
	s := w.k.syncPanel
	w.step("open", s.state, func() { w.tap(w.button(w.k.home.obj, "home.sync")) })
	w.step("sync-now", s.note, func() { w.tap(s.now) })
	w.step("home", w.k.home.queue, func() { w.tap(w.button(s.obj, "common.home")) })
}

// flowAdmin is the administrator's screen, section by section: a clerk
// created, the terminal enrolled, the terminal's settings refused then
// saved.
func flowAdmin(w *walker) {
	w.login(app.RoleAdmin)
	s := w.k.admin
	w.step("open", nil, func() { w.tap(w.k.home.admin) })
	w.step("clerk-created", s.secret, func() {
		w.fill(s.user, "mehmet.demir")
		w.choose(s.role, s.role.Options[0])
		w.tap(w.button(s.obj, "admin.create"))
	})
	w.data(s.temp)
	w.step("enrol-section", nil, func() { w.tap(s.tabs[1]) })
	w.step("enrolled", s.clock, func() {
		w.fill(s.url, "https://merkez.kocasinan.bel.tr")
		w.fill(s.device, "KCS-GISE-07")
		w.fill(s.token, "kayit-jetonu-42")
		w.tap(w.button(s.obj, "admin.enrol.save"))
	})
	w.step("terminal-section", nil, func() { w.tap(s.tabs[2]) })
	w.fail("bad-idle", s.errs, func() { w.fill(s.idle, "3s"); w.tap(w.button(s.obj, "admin.terminal.save")) })
	w.step("terminal-saved", s.info, func() {
		w.fill(s.printer, "Gise_Makbuz")
		w.fill(s.idle, "5m0s")
		w.tap(w.button(s.obj, "admin.terminal.save"))
	})
}

// flowProblems is the supervisor's problems screen, empty, and an action
// asked without a record picked.
func flowProblems(w *walker) {
	w.login(app.RoleSupervisor)
	s := w.k.problems
	w.step("open", nil, func() {
		w.tap(w.button(w.k.home.obj, "home.sync"))
		w.tap(w.button(w.k.syncPanel.obj, "sync.problems"))
	})
	w.fail("no-pick", s.errs, func() { w.tap(w.button(s.obj, "problems.resend")) })
	w.step("no-pick-close", s.errs, func() { w.tap(w.button(s.obj, "problems.close")) })
}

// flowKVKK is a data-subject application from a citizen's page, its code
// looked up, and the supervisor's list with an answer.
func flowKVKK(w *walker) {
	w.login(app.RoleSupervisor)
	c := w.citizen()
	a := w.k.views[screenApplication].(*applicationScreen)
	w.step("open", nil, func() {
		w.k.citizen.open(c, nil)
		w.checkIdentity()
		w.tap(w.k.citizen.toApplication)
	})
	w.fail("empty", a.errs, func() { w.tap(a.save) })
	w.step("saved", a.info, func() {
		w.tapText(a.rights, a.rights.Options[0])
		w.fill(a.detail, "Hakkımda hangi verilerin tutulduğunu öğrenmek istiyorum.")
		w.tapText(a.channel, a.channel.Options[1])
		w.fill(a.address, "ayse@example.com")
		w.tap(a.save)
	})
	code := ""
	if f := strings.Fields(a.info.Text); len(f) > 0 {
		for _, x := range f {
			if _, err := app.ParseTrackingCode(strings.Trim(x, ".·")); err == nil {
				code = strings.Trim(x, ".·")
			}
		}
	}
	w.step("tracked", w.k.track.result.box, func() {
		w.tap(w.button(a.obj, "application.back"))
		w.tap(w.button(w.k.citizen.obj, "common.home"))
		w.tap(w.k.home.track)
		w.fill(w.k.track.code, code)
		w.press(fyne.KeyReturn)
	})
	s := w.k.applications
	w.step("list", s.list, func() {
		w.tap(w.button(w.k.track.obj, "common.home"))
		w.tap(w.k.home.applications)
	})
	w.step("answered", s.info, func() {
		w.choose(s.pick, s.pick.Options[0])
		w.fill(s.answer, "Kayıtlı verileriniz e-posta ile gönderildi.")
		w.tap(w.button(s.obj, "applications.save"))
	})
}

// flowLock locks a half-typed form (Ctrl+L), refuses a wrong password and
// unlocks to the same form.
func flowLock(w *walker) {
	w.login(app.RoleClerk)
	w.step("typing", nil, func() {
		w.tap(w.k.home.first)
		w.tap(w.k.register.shown)
		w.fill(w.k.register.fields.firstName, "Yarım")
	})
	// The clerk turns away: a dialog warns before the session locks; Esc
	// keeps it open, back in the field; turned away again, it locks.
	d := w.k.shell.dialog
	idle := func() { w.tm.Clock.Add(auth.DefaultIdleLock - auth.DefaultWarnBefore + time.Second) }
	w.step("idle-warning", d.left, idle)
	w.step("stay", w.k.register.fields.firstName, func() { w.press(fyne.KeyEscape) })
	w.step("idle-again", d.stay, idle)
	w.step("timed-out", nil, func() { w.tm.Clock.Add(auth.DefaultWarnBefore) })
	s := w.k.lock
	w.fail("wrong-password", s.errs, func() { w.fill(s.password, "yanlış"); w.press(fyne.KeyReturn) })
	w.step("unlocked", w.k.register.fields.firstName, func() { w.fill(s.password, authtest.Password); w.press(fyne.KeyReturn) })
}

// flowCountKnown is the counted path "known citizen, paper complaint,
// receipt": from home to the tracking code, nothing going wrong.
func flowCountKnown(w *walker) {
	w.login(app.RoleClerk)
	w.citizen()
	s := w.k.complaint
	w.count = counts{}
	w.step("open", nil, func() { w.shortcut(fyne.Key2) })
	w.step("found", s.who, func() { w.fill(s.search, "öztürk"); w.press(fyne.KeyReturn) })
	w.step("typed", nil, func() {
		w.choose(s.kind, s.kind.Options[1])
		w.choose(s.category, s.category.Options[0])
		w.fill(s.description, "Sokak lambası yanmıyor.")
		w.fill(s.paperRef, "EVR-77")
		w.fill(s.paperDate, "27.11.2026")
	})
	w.step("saved", s.code, func() { w.shortcut(fyne.KeyS) })
}

// flowCountNew is the counted path "new citizen with notice, identity
// check, complaint": the notice shown (Space on its focused button), the
// fields two a row in Tab order, Ctrl+S, the check on the citizen page, its
// "Başvuru kaydet" and the complaint.
func flowCountNew(w *walker) {
	w.login(app.RoleClerk)
	r, c, s := w.k.register, w.k.citizen, w.k.complaint
	w.count = counts{}
	w.step("open", nil, func() { w.shortcut(fyne.Key1) })
	w.step("notice", r.noticeOK, func() { w.press(fyne.KeySpace) })
	w.step("registered", c.saved, func() {
		w.fill(r.fields.nationalID, "10000000146")
		w.fill(r.fields.birthDate, "23.04.1985")
		w.fill(r.fields.firstName, "Işıl")
		w.fill(r.fields.lastName, "Çağlar")
		w.fill(r.fields.phone, "05321234567")
		w.shortcut(fyne.KeyS)
	})
	w.step("verified", c.info, w.checkIdentity)
	w.step("complaint", nil, func() { w.tap(c.toComplaint) })
	w.step("saved", s.code, func() {
		w.choose(s.kind, s.kind.Options[1])
		w.choose(s.category, s.category.Options[0])
		w.fill(s.description, "Sokak lambası yanmıyor.")
		w.tap(s.onPaper) // arrived at the counter, not on paper
		w.shortcut(fyne.KeyS)
	})
}
