package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
)

func TestSelfServiceFilesARequestAlone(t *testing.T) {
	r := newRig(t)
	r.k.show(screenSelf)
	s := r.k.self
	r.tap(button(t, s.obj, "Başla"))
	if s.step != selfNotice || !strings.Contains(s.notice.text.Text, "İLGİLİ KİŞİNİN HAKLARI") {
		t.Fatalf("step %d: the notice must come before any personal data", s.step)
	}
	r.tap(button(t, s.obj, "Okudum"))
	if s.step != selfForm {
		t.Fatalf("step %d after Okudum", s.step)
	}
	f := s.fields
	r.typeInto(f.nationalID, "10000000146")
	r.typeInto(f.firstName, "Çağrı")
	r.typeInto(f.lastName, "Işık")
	r.typeInto(f.birthDate, "02.03.1990")
	r.typeInto(f.email, "cagri@example.com")
	s.kind.SetSelectedIndex(0)
	s.category.SetSelectedIndex(2)
	r.typeInto(s.desc, "Parktaki salıncak kırık.")
	r.tap(button(t, s.obj, "Gönder"))
	if s.step != selfDone {
		t.Fatalf("step %d, errors %q", s.step, s.errs.Text)
	}
	if _, err := app.ParseTrackingCode(s.code.Text); err != nil {
		t.Fatalf("tracking code %q: %v", s.code.Text, err)
	}
	if r.count(`SELECT COUNT(*) FROM complaints WHERE channel = 'self_service'`) != 1 ||
		r.count(`SELECT COUNT(*) FROM citizens WHERE channel = 'self_service'`) != 1 ||
		r.count(`SELECT COUNT(*) FROM notice_acks WHERE delivery = 'screen' AND citizen_id IS NOT NULL`) != 1 {
		t.Error("the request, the citizen and the notice proof must all be stored")
	}
	if f.firstName.Text != "" {
		t.Error("the form still holds the citizen's name after sending")
	}
}

func TestSelfServiceIdleResetWipesEverything(t *testing.T) {
	r := newRig(t)
	r.k.show(screenSelf)
	s := r.k.self
	r.tap(button(t, s.obj, "Başla"))
	r.tap(button(t, s.obj, "Okudum"))
	r.typeInto(s.fields.firstName, "Gizli")
	r.typeInto(s.fields.nationalID, "10000000146")
	now := time.Now()
	s.tick(now.Add(59 * time.Second))
	if s.countdown.Text != "" || s.step != selfForm {
		t.Fatal("the countdown started before the quiet minute")
	}
	s.tick(now.Add(61 * time.Second))
	if !strings.Contains(s.countdown.Text, "saniye") {
		t.Fatalf("no visible countdown: %q", s.countdown.Text)
	}
	s.tick(now.Add(76 * time.Second))
	r.k.Wait()
	if s.step != selfWelcome || s.fields.firstName.Text != "" || s.fields.nationalID.Text != "" {
		t.Fatalf("after the countdown: step %d, name %q", s.step, s.fields.firstName.Text)
	}
	// The notice given to the person who walked away is kept as proof.
	if r.count(`SELECT COUNT(*) FROM notice_acks WHERE citizen_id IS NULL`) != 1 {
		t.Error("the notice proof of the abandoned visit is lost")
	}
}

func TestSelfServiceRefusesSomeoneElsesNumber(t *testing.T) {
	r := newRig(t)
	sess := r.login(app.RoleClerk)
	v, _ := r.k.svc.Counter.StartVisit(sess, "")
	ver, _ := r.k.svc.Notices.Current("tr", start)
	_, _ = v.Give(r.ctx, ver, app.NoticeScreen, "")
	if _, err := r.k.svc.Counter.Register(r.ctx, sess, v, app.CitizenInput{NationalID: "10000000146", FirstName: "Ayşe",
		LastName: "Öztürk", BirthDate: "01.01.1970", ContactDeclined: true}); err != nil {
		t.Fatal(err)
	}
	r.k.onLogout()
	r.k.Wait()
	r.k.show(screenSelf)
	s := r.k.self
	r.tap(button(t, s.obj, "Başla"))
	r.tap(button(t, s.obj, "Okudum"))
	r.typeInto(s.fields.nationalID, "10000000146")
	r.typeInto(s.fields.firstName, "Mehmet")
	r.typeInto(s.fields.lastName, "Başka")
	r.typeInto(s.fields.birthDate, "05.05.1980")
	r.typeInto(s.fields.phone, "0532 000 11 22")
	s.kind.SetSelectedIndex(0)
	s.category.SetSelectedIndex(0)
	r.typeInto(s.desc, "deneme")
	r.tap(button(t, s.obj, "Gönder"))
	if s.step != selfForm || !strings.Contains(s.errs.Text, "Görevli çağır") {
		t.Fatalf("step %d, %q", s.step, s.errs.Text)
	}
	if strings.Contains(s.errs.Text, "Ayşe") || strings.Contains(s.errs.Text, "Öztürk") {
		t.Fatal("the stored citizen's name was shown")
	}
}

func TestSelfServiceExitNeedsAClerk(t *testing.T) {
	r := newRig(t)
	r.k.show(screenSelf)
	s := r.k.self
	r.tap(button(t, s.obj, "Görevli çağır"))
	if !s.exit.box.Visible() {
		t.Fatal("calling staff shows the staff login")
	}
	r.typeInto(s.exit.username, "yonetici")
	r.typeInto(s.exit.password, "yanlış")
	r.typeInto(s.exit.code, "000000")
	r.tap(button(t, s.obj, "Görevli girişi"))
	if r.k.Shown() != screenSelf || s.exit.errs.Text == "" {
		t.Fatalf("a wrong login left self-service: %q", r.k.Shown())
	}
	test.Tap(button(t, s.obj, "Vazgeç"))
	if s.exit.box.Visible() {
		t.Error("cancel leaves the staff login open")
	}
}
