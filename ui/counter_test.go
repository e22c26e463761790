package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/auth/authtest"
)

func TestSetupCreatesFirstAdmin(t *testing.T) {
	r := newRig(t)
	// A terminal with no account: a fresh store under the same rig.
	s := newSetupScreen(r.k, r.k.svc.Auth, r.k.startSession)
	r.k.add("setup-test", s)
	r.k.show("setup-test")
	r.typeInto(s.username, "bilgi.islem")
	r.typeInto(s.password, "Kayseri mantısı 2026!")
	r.typeInto(s.again, "Kayseri mantısı 2026?")
	r.tap(s.next)
	if !strings.Contains(s.errs.Text, "aynı değil") || s.username.Text != "bilgi.islem" {
		t.Fatalf("differing passwords: %q, username kept %q", s.errs.Text, s.username.Text)
	}
	r.typeInto(s.again, "\b!")
	r.tap(s.next)
	// The rig's terminal already has an administrator: setup must refuse.
	if s.step != 0 || s.errs.Text == "" {
		t.Fatalf("setup on a terminal with accounts: step %d, %q", s.step, s.errs.Text)
	}
}

func TestRegisterNeedsTheNoticeAndKeepsTheForm(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	r.tap(button(t, r.k.home.obj, "Vatandaş kaydı"))
	r.wantScreen(screenRegister)
	s := r.k.register
	if !strings.Contains(s.notice.text.Text, "Kocasinan Belediye Başkanlığı") {
		t.Fatalf("the notice is not shown: %.60q", s.notice.text.Text)
	}
	// The form is the second section: no saving before the notice is given.
	if s.save.Visible() || s.steps[registerForm].Visible() {
		t.Fatal("the form is open before the notice was given")
	}
	r.k.shortcuts["CustomDesktop:Control+S"]()
	r.wantScreen(screenRegister)
	r.tap(button(t, s.obj, "Ekranda okundu"))
	if !s.save.Visible() || r.w.Canvas().Focused() != s.fields.nationalID ||
		!strings.Contains(s.noticeOK.Text, "ekranda gösterildi") {
		t.Fatalf("after the notice: save shown %v, focus %v, %q", s.save.Visible(), r.w.Canvas().Focused(), s.noticeOK.Text)
	}
	f := s.fields
	r.typeInto(f.nationalID, "10000000146")
	r.typeInto(f.firstName, "ışıl")
	r.typeInto(f.lastName, "ÇAĞLAR")
	r.typeInto(f.birthDate, "23.04.1985")
	r.typeInto(f.phone, "0532 123 45 67")
	if !strings.Contains(f.phoneField.hint.Text, "0532 123 45 67") {
		t.Errorf("phone hint %q", f.phoneField.hint.Text)
	}
	r.tap(s.save)
	r.wantScreen(screenCitizen)
	cs := r.k.citizen
	if !strings.Contains(cs.details.Text, "Işıl Çağlar") || !strings.Contains(cs.details.Text, "100******46") ||
		!strings.Contains(cs.saved.Text, "Işıl Çağlar kaydedildi") {
		t.Errorf("citizen page: %q, banner %q", cs.details.Text, cs.saved.Text)
	}
	if r.count(`SELECT COUNT(*) FROM citizens`) != 1 ||
		r.count(`SELECT COUNT(*) FROM notice_acks WHERE citizen_id IS NOT NULL AND delivery = 'screen'`) != 1 ||
		r.count(`SELECT COUNT(*) FROM outbox WHERE type = 'citizen.registered'`) != 1 {
		t.Error("the citizen, the notice proof and the outbox record must be stored together")
	}
}

func TestRegisterBadInputSaysWhatToFix(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	s := r.registerForm()
	f := s.fields
	r.typeInto(f.nationalID, "1000000014")
	if f.nidField.errBox.Visible() {
		t.Errorf("ten digits flagged already: %q", f.nidField.err.Text)
	}
	r.typeInto(f.nationalID, "7")
	if !f.nidField.errBox.Visible() || !strings.Contains(f.nidField.err.Text, "kontrol hanesi") ||
		strings.Contains(f.nidField.err.Text, "invalid") {
		t.Errorf("live check of a wrong national ID: %q", f.nidField.err.Text)
	}
	r.typeInto(f.firstName, "Ali")
	r.typeInto(f.birthDate, "31.02.1990")
	r.tap(s.save)
	if !s.summary.box.Visible() || len(s.summary.list.Objects) != 4 || f.firstName.Text != "Ali" ||
		r.count(`SELECT COUNT(*) FROM citizens`) != 0 {
		t.Fatalf("bad input: summary shown %v with %d problems, kept %q", s.summary.box.Visible(),
			len(s.summary.list.Objects), f.firstName.Text)
	}
	for _, fl := range []*field{f.nidField, f.lastField, f.birthField, f.phoneField} {
		if !fl.errBox.Visible() || strings.Contains(fl.err.Text, "invalid") {
			t.Errorf("field %s: message %q", fl.name, fl.err.Text)
		}
	}
	// The summary at the top takes the focus (its first "Düzelt"); pressing
	// it brings the first field at fault into view and into focus.
	fix, ok := r.w.Canvas().Focused().(*widget.Button)
	if !ok || fix.Text != "Düzelt" {
		t.Fatalf("the summary has not the focus: %v", r.w.Canvas().Focused())
	}
	r.tap(fix)
	if r.w.Canvas().Focused() != f.nationalID {
		t.Errorf("Düzelt did not take the focus to the field at fault: %v", r.w.Canvas().Focused())
	}
	// The next citizen's form shows nothing of these problems.
	r.tap(button(t, s.obj, "Vazgeç"))
	r.k.register.begin()
	r.k.show(screenRegister)
	r.tap(button(t, s.obj, "Ekranda okundu"))
	walk(s.obj, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Importance == widget.DangerImportance && l.Text != "" {
			t.Errorf("a reopened form shows %q", l.Text)
		}
	})
}

func TestPaperComplaintGetsATrackingCode(t *testing.T) {
	r := newRig(t)
	sess := r.login(app.RoleClerk)
	v, _ := r.k.svc.Counter.StartVisit(sess, "")
	ver, _ := r.k.svc.Notices.Current("tr", start)
	if _, err := v.Give(r.ctx, ver, app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
	c, err := r.k.svc.Counter.Register(r.ctx, sess, v, app.CitizenInput{NationalID: "10000000146", FirstName: "Ayşe",
		LastName: "Öztürk", BirthDate: "01.01.1970", Email: "ayse@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	r.tap(button(t, r.k.home.obj, "Başvuru kaydı (kâğıt / gişe)"))
	s := r.k.complaint
	r.typeInto(s.search, "öztürk")
	r.tap(button(t, s.obj, "Ara"))
	if s.citizen == nil || s.citizen.ID != c.ID {
		t.Fatalf("search by name found %v", s.found.Options)
	}
	s.kind.SetSelectedIndex(1)
	s.category.SetSelectedIndex(0)
	r.typeInto(s.description, "Sokak lambası yanmıyor.")
	r.typeInto(s.paperRef, "EVR-2026/77")
	r.typeInto(s.paperDate, "27.11.2026")
	r.tap(s.save)
	code := s.code.Text
	if _, err := app.ParseTrackingCode(code); err != nil {
		t.Fatalf("tracking code shown %q: %v (errors: %q)", code, err, s.errs.Text)
	}
	if r.count(`SELECT COUNT(*) FROM complaints WHERE tracking_code = ? AND citizen_id = ? AND channel = 'paper'`,
		strings.ReplaceAll(code, "-", ""), c.ID) != 1 {
		t.Error("the complaint is not stored as shown")
	}
	if !strings.Contains(s.receipt.status.Text, "yazıcı tanımlanmamış") {
		t.Errorf("no printer: the clerk must be told beside the code, got %q", s.receipt.status.Text)
	}
}

func TestRolesGuardTheScreens(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleAdmin)
	if !strings.Contains(r.k.home.summary.Text, "Yöneticiler") {
		t.Errorf("admin home: %q", r.k.home.summary.Text)
	}
	r.k.register.begin()
	if !strings.Contains(r.k.register.errs.Text, "yalnızca") {
		t.Errorf("admin at the register screen: %q", r.k.register.errs.Text)
	}
	r.login(app.RoleClerk)
	if r.k.home.admin.Visible() {
		t.Error("a clerk sees the administration button")
	}
	r.k.admin.refresh()
	r.k.Wait()
	if !strings.Contains(r.k.admin.errs.Text, "yalnızca") {
		t.Errorf("a clerk reading accounts: %q", r.k.admin.errs.Text)
	}
}

func TestLockKeepsTheFormForTheSameClerkOnly(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	r.k.register.begin()
	r.k.show(screenRegister)
	r.typeInto(r.k.register.fields.firstName, "Yarım")
	r.k.lockNow()
	r.k.Wait()
	r.wantScreen(screenLock)
	if r.k.shell.bar.Visible() {
		t.Error("the bar with the clerk's name shows on the lock screen")
	}
	r.typeInto(r.k.lock.password, "yanlış şifre")
	r.tap(button(t, r.k.lock.obj, "Kilidi aç"))
	if r.k.lock.errs.Text == "" {
		t.Fatal("a wrong password unlocked")
	}
	r.typeInto(r.k.lock.password, authtest.Password)
	r.tap(button(t, r.k.lock.obj, "Kilidi aç"))
	r.wantScreen(screenRegister)
	if r.k.register.fields.firstName.Text != "Yarım" {
		t.Fatal("the same clerk lost the half-typed form")
	}
	r.k.lockNow()
	r.k.Wait()
	r.login(app.RoleClerk) // another clerk
	if r.k.register.fields.firstName.Text != "" {
		t.Fatal("another clerk sees the previous clerk's form")
	}
}

// TestIdleSessionLocks: before an idle session locks, a dialog says so
// with the seconds left; Esc keeps the session (the focus back in the
// field, the draft kept), "Çıkış yap" logs out, and doing nothing locks
// with the dialog gone.
func TestIdleSessionLocks(t *testing.T) {
	r := newRig(t)
	sess := r.login(app.RoleClerk)
	r.k.register.begin()
	r.k.show(screenRegister)
	r.tap(r.k.register.shown) // the notice given: the identity fields come
	first := r.k.register.fields.firstName
	r.typeInto(first, "Yarım")
	d := r.k.shell.dialog
	idle := func() {
		r.tm.Clock.Add(auth.DefaultIdleLock - auth.DefaultWarnBefore + time.Second)
		r.k.shell.tick()
	}
	idle()
	if sess.State() != auth.SessionWarning || !d.up() {
		t.Fatalf("state %v, dialog up %v", sess.State(), d.up())
	}
	if !strings.Contains(d.title.Text, "kapanmak üzere") || !strings.Contains(d.left.Text, "29 saniye") {
		t.Errorf("the dialog reads %q / %q", d.title.Text, d.left.Text)
	}
	if r.w.Canvas().Focused() != d.stay {
		t.Errorf("focus on %T, want the stay button", r.w.Canvas().Focused())
	}
	d.stay.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	r.k.shell.tick()
	if d.up() || sess.State() != auth.SessionActive {
		t.Fatalf("after Esc: dialog up %v, state %v", d.up(), sess.State())
	}
	if r.w.Canvas().Focused() != first || first.Text != "Yarım" {
		t.Errorf("after Esc the focus is on %T and the field reads %q", r.w.Canvas().Focused(), first.Text)
	}
	for i := 0; i < 10; i++ { // as often as the clerk needs (WCAG 2.2.1: at least ten times)
		idle()
		test.Tap(d.stay)
		if d.up() || sess.State() != auth.SessionActive {
			t.Fatalf("extension %d: dialog up %v, state %v", i+1, d.up(), sess.State())
		}
	}
	idle()
	r.tm.Clock.Add(auth.DefaultWarnBefore)
	r.k.shell.tick()
	r.k.Wait()
	r.wantScreen(screenLock)
	if d.up() {
		t.Error("the dialog stays over the lock screen")
	}

	sess = r.login(app.RoleClerk)
	idle()
	test.Tap(d.leave)
	r.k.Wait()
	if d.up() || sess.State() != auth.SessionEnded {
		t.Errorf("after Çıkış yap: dialog up %v, state %v", d.up(), sess.State())
	}
	r.wantScreen(screenLogin)
}

func TestLanguageSwitchRelabels(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	b := button(t, r.k.home.obj, "Vatandaş kaydı")
	r.k.toggleLanguage()
	if b.Text != "Register a citizen" {
		t.Fatalf("after switching to English: %q", b.Text)
	}
	r.k.toggleLanguage()
	if b.Text != "Vatandaş kaydı" {
		t.Fatalf("after switching back: %q", b.Text)
	}
}

// TestAFieldsMessageMovesOnlyTheRowsBelow: a message under Ad leaves the
// row above it as high as its own fields; no gap opens under a row with no
// message.
func TestAFieldsMessageMovesOnlyTheRowsBelow(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	s := r.registerForm()
	f := s.fields
	r.typeInto(f.nationalID, "10000000146")
	r.typeInto(f.birthDate, "23.04.1985")
	r.typeInto(f.firstName, "Işıl2")
	r.typeInto(f.lastName, "Çağlar")
	r.tap(s.save)
	if !f.firstField.errBox.Visible() || f.nidField.errBox.Visible() || f.birthField.errBox.Visible() {
		t.Fatal("want a message under Ad only")
	}
	pad := theme.Padding()
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.nidField.box)
	below := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.firstField.box)
	if gap := below.Y - (top.Y + f.nidField.box.MinSize().Height); gap > pad+0.5 {
		t.Errorf("%v px between the first row and Ad's, want the padding (%v)", gap, pad)
	}
}
