package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
)

func TestSelfServiceFilesARequestAlone(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
	r.fillAll()
	s := r.s
	sum := visibleText(s.obj)
	if strings.Contains(sum, "10000000146") {
		t.Error("the summary shows the whole national ID to whoever stands behind the citizen")
	}
	for _, want := range []string{"100******46", "Çağrı Işık", "02.03.1990", "0541 987 65 43", "Şikâyet · Park, bahçe ve ağaç", "Parktaki salıncak kırık"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary does not show %q", want)
		}
	}
	r.press(s.summary.send)
	if s.step != selfDone {
		t.Fatalf("step %d, errors %q", s.step, s.summary.errs.Text)
	}
	if _, err := app.ParseTrackingCode(s.receipt.code.Text); err != nil {
		t.Fatalf("tracking code %q: %v", s.receipt.code.Text, err)
	}
	if r.count(`SELECT COUNT(*) FROM complaints WHERE channel = 'self_service'`) != 1 ||
		r.count(`SELECT COUNT(*) FROM citizens WHERE channel = 'self_service' AND contact_declined = 0`) != 1 ||
		r.count(`SELECT COUNT(*) FROM notice_acks WHERE delivery = 'screen' AND citizen_id IS NOT NULL`) != 1 {
		t.Error("the request, the citizen and the notice proof must all be stored")
	}
	if s.fields.firstName.Text != "" || s.desc.Text != "" {
		t.Error("the form still holds the citizen's answers after sending")
	}
}

func TestSelfServiceReceiptNamesTheApplicant(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	r.fillAll()
	r.press(r.s.summary.send)
	screen := visibleText(r.s.obj)
	for _, want := range []string{"Çağrı Işık", "100******46", r.s.receipt.code.Text, "Fişinizi alın", "Alo 153"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the receipt screen does not show %q: %s", want, screen)
		}
	}
	if len(r.printer.pdfs) != 1 {
		t.Fatalf("%d receipts printed", len(r.printer.pdfs))
	}
	text := apptest.PDFText(t, r.printer.pdfs[0])
	if strings.Contains(text, "İsimsiz") || !strings.Contains(text, "100******46") {
		t.Errorf("the printed receipt does not name the applicant:\n%s", text)
	}
}

func TestSelfServiceValidatesOnDevamEt(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	s := r.s
	r.press(s.start)
	r.press(s.read)
	q := s.questions[selfNationalID]
	r.typeInto(s.fields.nationalID, "1234")
	if !strings.Contains(visibleText(s.obj), "Adım 1 / 6") || strings.Contains(visibleText(s.obj), "Bir sorun var") {
		t.Fatal("the first question shows its progress and no problem before Devam et")
	}
	r.press(q.next)
	screen := visibleText(s.obj)
	if s.step != selfNationalID || !strings.Contains(screen, "Bir sorun var") || strings.Count(screen, "11 haneli olmalıdır") != 2 {
		t.Fatalf("a short number: step %d, screen %s", s.step, screen)
	}
	if s.fields.nationalID.Text != "1234" || r.w.Canvas().Focused() != fyne.Focusable(s.fields.nationalID) {
		t.Error("the value is kept and the focus is back in the field")
	}
	s.fields.nationalID.SetText("")
	r.typeInto(s.fields.nationalID, "10000000146")
	r.press(q.next)
	if s.step != selfName || strings.Contains(visibleText(s.obj), "Bir sorun var") {
		t.Fatalf("a good number moves on without a message: step %d", s.step)
	}
	r.press(s.back)
	if s.step != selfNationalID || s.fields.nationalID.Text != "10000000146" || strings.Contains(visibleText(s.obj), "Bir sorun var") {
		t.Fatal("Geri shows the answer as given, without the old message")
	}
}

func TestSelfServicePhoneHintShows(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
	s := r.s
	r.press(s.start)
	r.press(s.read)
	s.show(selfContact)
	r.focusByTap(s.fields.phone)
	r.typeKeys("05321234567")
	if !strings.Contains(visibleText(s.obj), "Kaydedilecek: 0532 123 45 67") {
		t.Errorf("the phone hint does not show: %s", visibleText(s.obj))
	}
}

// TestSelfServiceOnScreenKeyboardAlone files a complaint as a citizen
// alone would, with the on-screen keyboard and the step buttons only, each
// tapped where it is drawn, and counts the taps.
func TestSelfServiceOnScreenKeyboardAlone(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	s, a := r.s, citizenAnswers
	screens := 0
	next := func(b *stepButton) { r.press(b); screens++ }
	next(s.start)
	next(s.read)
	r.typeKeys(a.nid)
	next(s.questions[selfNationalID].next)
	r.typeKeys(a.first)
	r.key("⏎")
	r.typeKeys(a.last)
	next(s.questions[selfName].next)
	r.typeKeys(a.birth)
	next(s.questions[selfBirth].next)
	next(s.questions[selfContact].next) // no contact: optional
	r.tapAt(s.kind.tiles[0])
	r.tapAt(s.category.tiles[slices.Index(s.category.options, "Park, bahçe ve ağaç")])
	next(s.questions[selfSubject].next)
	r.typeKeys(a.desc)
	next(s.questions[selfDescription].next)
	next(s.summary.send)
	if s.step != selfDone {
		t.Fatalf("step %d: %q", s.step, s.summary.errs.Text)
	}
	typed := len([]rune(a.nid + a.first + a.last + a.birth + a.desc))
	t.Logf("self-service complaint on the on-screen keyboard alone: %d taps on %d screens (%d characters typed)", r.taps, screens, typed)
	if r.taps > typed+20 {
		t.Errorf("%d taps for %d characters: the flow costs more than 20 taps beyond the typing", r.taps, typed)
	}
}

func TestSelfServiceDoubleTapCountsOnce(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
	s := r.s
	r.press(s.start)
	r.press(s.read)
	r.typeInto(s.fields.nationalID, "10000000146")
	test.DoubleTap(s.questions[selfNationalID].next)
	r.k.Wait()
	if s.step != selfName {
		t.Fatalf("a double tap on Devam et moved to step %d, want %d", s.step, selfName)
	}
	s.fields.nationalID.SetText("")
	r.press(s.back)
	r.press(s.questions[selfNationalID].next)
	test.Tap(s.questions[selfNationalID].next) // a second tap on the page just left
	r.k.Wait()
	if s.step != selfNationalID {
		t.Fatalf("a tap on a page left behind acted: step %d", s.step)
	}
	r.typeInto(s.fields.nationalID, "10000000146")
	r.press(s.questions[selfNationalID].next)
	r.typeInto(s.fields.firstName, "Çağrı")
	r.typeInto(s.fields.lastName, "Işık")
	r.press(s.questions[selfName].next)
	r.typeInto(s.fields.birthDate, "2.3.1990")
	r.press(s.questions[selfBirth].next)
	r.press(s.questions[selfContact].next)
	r.tapAt(s.kind.tiles[1])
	r.tapAt(s.category.tiles[0])
	r.press(s.questions[selfSubject].next)
	r.typeInto(s.desc, "Çöp alınmadı")
	r.press(s.questions[selfDescription].next)
	r.k.inline = false // the filing runs in the background, as on the kiosk
	test.Tap(s.summary.send)
	test.Tap(s.summary.send)
	test.DoubleTap(s.summary.send)
	r.k.Wait()
	if n := r.count(`SELECT COUNT(*) FROM complaints`); n != 1 || len(r.printer.pdfs) != 1 || s.step != selfDone {
		t.Fatalf("taps on Gönder while it worked: %d complaints, %d receipts, step %d", n, len(r.printer.pdfs), s.step)
	}
}

func TestSelfServiceRefusesSomeoneElsesNumber(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
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
	r.fillAll()
	r.press(r.s.summary.send)
	if r.s.step != selfCheck || !strings.Contains(r.s.summary.errs.Text, "Görevli çağır") || !shown(r.s.summary.errs) {
		t.Fatalf("step %d, %q", r.s.step, r.s.summary.errs.Text)
	}
	if screen := visibleText(r.s.obj); strings.Contains(screen, "Ayşe") || strings.Contains(screen, "Öztürk") {
		t.Fatal("the stored citizen's name was shown")
	}
}

func TestSelfServiceExitNeedsAClerk(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
	s := r.s
	r.press(s.call)
	r.press(staffLoginButton(t, s))
	if !shown(s.exit.username) {
		t.Fatal("the staff login is not on screen")
	}
	r.typeInto(s.exit.username, "yonetici")
	r.typeInto(s.exit.password, "yanlış")
	r.typeInto(s.exit.code, "000000")
	r.press(exitConfirm(t, s))
	if r.k.Shown() != screenSelf || s.exit.errs.Text == "" || !shown(s.exit.errs) {
		t.Fatalf("a wrong login left self-service: %q", r.k.Shown())
	}
	if r.w.Canvas().Focused() != fyne.Focusable(s.exit.password) || !shown(s.keyboard) {
		t.Error("after a wrong login the cursor waits in the password field, with the keyboard")
	}
	r.press(findStep(t, s.exit.box, "Vazgeç"))
	if s.exit.box.Visible() || s.exit.username.Text != "" {
		t.Error("cancel leaves the staff login open, or its username typed")
	}
	if !shown(findStep(t, s.staff.wait, "Başvuruma dön")) {
		t.Error("after cancel the citizen sees the waiting page again")
	}
}
