package ui

import (
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
)

// fakeClock is the wedge's time in tests: it moves only when told, and
// runs the timers that fall due then, on the test's goroutine.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool { was := !t.stopped; t.stopped = true; return was }
}

// advance moves the clock on by d, running the timers due on the way.
func (c *fakeClock) advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		if len(c.timers) == 0 || c.timers[0].at.After(end) {
			break
		}
		t := c.timers[0]
		c.timers = c.timers[1:]
		if !t.stopped {
			c.now = t.at
			t.f()
		}
	}
	c.now = end
}

// wedgeOn gives the kiosk's wedge a fake clock.
func (r *rig) wedgeOn() *fakeClock {
	c := &fakeClock{now: start}
	r.k.wedge.clock = c
	return c
}

// keyboard types text as the window would deliver it, gap between keys:
// to the focused widget, or to the canvas when nothing has the focus; a
// line break is the Return key.
func (r *rig) keyboard(c *fakeClock, text string, gap time.Duration) {
	for _, ch := range text {
		c.advance(gap)
		focused := r.w.Canvas().Focused()
		switch {
		case ch == '\n' && focused != nil:
			focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		case ch == '\n':
			r.w.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
		case focused != nil:
			focused.TypedRune(ch)
		default:
			r.w.Canvas().OnTypedRune()(ch)
		}
	}
}

// A reader types about a character every 8 ms; a person one every 150.
const (
	readerGap = 8 * time.Millisecond
	personGap = 150 * time.Millisecond
)

// turkishCard is the card these tests read: Işıl Nur Çağlar's.
func turkishCard(expiry string) (apptest.Card, string) {
	c := apptest.TurkishCard(apptest.NationalID(777), "CAGLAR", "ISIL NUR", "850423")
	if expiry != "" {
		c.Expiry = expiry
	}
	return c, c.TD1()
}

// registerForm opens the register screen's form, the notice given.
func (r *rig) registerForm() *registerScreen {
	r.k.register.begin()
	r.k.show(screenRegister)
	r.tap(r.k.register.shown)
	return r.k.register
}

func TestWedgeFillsTheRegisterForm(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	clock := r.wedgeOn()
	s := r.registerForm()
	f := s.fields
	r.w.Canvas().Focus(f.firstName)
	r.keyboard(clock, "Işıl", personGap) // the clerk had begun typing the first name
	clock.advance(personGap)
	r.w.Canvas().Focus(f.nationalID)
	card, zone := turkishCard("")
	r.keyboard(clock, strings.ReplaceAll(zone, "\n", "\r\n")+"\n", readerGap)
	if f.nationalID.Text != "" {
		t.Fatalf("the reader's keys reached the field before the read ended: %q", f.nationalID.Text)
	}
	clock.advance(wedgeQuiet)
	if f.nationalID.Text != card.NationalID || f.birthDate.Text != "23.04.1985" || f.lastName.Text != "CAGLAR" {
		t.Fatalf("filled: %q %q %q", f.nationalID.Text, f.birthDate.Text, f.lastName.Text)
	}
	// The first name typed with its Turkish letters is kept only if it
	// folds like the card's: "Işıl" is not "ISIL NUR", so the card's goes in.
	if f.firstName.Text != "ISIL NUR" || !strings.Contains(f.firstField.hint.Text, "Kartta: ISIL NUR") {
		t.Errorf("first name %q, hint %q", f.firstName.Text, f.firstField.hint.Text)
	}
	if !strings.HasPrefix(s.read.Text, "✓ Kimlik kartı okundu") {
		t.Errorf("read: %q", s.read.Text)
	}
	// The clerk puts in the Turkish letters; the hint says it matches.
	f.lastName.SetText("")
	r.w.Canvas().Focus(f.lastName)
	r.keyboard(clock, "Çağlar", personGap)
	clock.advance(personGap)
	if f.lastName.Text != "Çağlar" || !strings.HasPrefix(f.lastField.hint.Text, "✓ Kartla uyuşuyor") {
		t.Errorf("corrected surname %q, hint %q", f.lastName.Text, f.lastField.hint.Text)
	}
	r.keyboard(clock, "a", personGap)
	clock.advance(personGap)
	if !strings.HasPrefix(f.lastField.hint.Text, "⚠ Kartta başka yazıyor") {
		t.Errorf("a surname the card has not: %q", f.lastField.hint.Text)
	}
}

// TestWedgeKeepsTypingAsTyped: a person's keys reach the field in order,
// with Backspace; a fast run that is no device's read is given back whole;
// a zone with a bad check digit is refused with its line, never typed in.
func TestWedgeKeepsTypingAsTyped(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	clock := r.wedgeOn()
	s := r.registerForm()
	f := s.fields
	r.w.Canvas().Focus(f.firstName)
	r.keyboard(clock, "Ayşx", personGap)
	clock.advance(personGap)
	f.firstName.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	r.keyboard(clock, "e", personGap)
	clock.advance(personGap)
	if f.firstName.Text != "Ayşe" {
		t.Errorf("typed slowly: %q", f.firstName.Text)
	}
	fast := " Nur Gülbahar Elif Zeynep"
	r.keyboard(clock, fast, readerGap)
	clock.advance(wedgeQuiet)
	if f.firstName.Text != "Ayşe"+fast {
		t.Errorf("a fast run given back: %q", f.firstName.Text)
	}
	_, zone := turkishCard("")
	bad := zone[:35] + string('0'+(zone[35]-'0'+1)%10) + zone[36:] // line 2's birth date
	r.w.Canvas().Focus(f.birthDate)
	r.keyboard(clock, bad, readerGap)
	clock.advance(wedgeQuiet)
	if f.birthDate.Text != "" || !strings.Contains(s.read.Text, "Doğum tarihinin kontrol hanesi") ||
		!strings.Contains(s.read.Text, "(MRZ satırı 2)") {
		t.Errorf("a bad read: field %q, said %q", f.birthDate.Text, s.read.Text)
	}
}

// citizenPage registers Işıl Nur Çağlar and opens her page.
func (r *rig) citizenPage(t *testing.T, card apptest.Card) *citizenScreen {
	t.Helper()
	sess := r.k.sess
	v, _ := r.k.svc.Counter.StartVisit(sess, "")
	ver, _ := r.k.svc.Notices.Current("tr", start)
	if _, err := v.Give(r.ctx, ver, app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
	c, err := r.k.svc.Counter.Register(r.ctx, sess, v, app.CitizenInput{NationalID: card.NationalID, FirstName: "Işıl Nur",
		LastName: "Çağlar", BirthDate: "23.04.1985", ContactDeclined: true})
	if err != nil {
		t.Fatal(err)
	}
	r.k.citizen.open(c, v)
	return r.k.citizen
}

func TestWedgeVerifiesTheCitizen(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	clock := r.wedgeOn()
	card, zone := turkishCard("")
	s := r.citizenPage(t, card)
	if r.w.Canvas().Focused() != s.toComplaint {
		t.Fatalf("focus on %v", r.w.Canvas().Focused())
	}
	r.keyboard(clock, zone+"\n", readerGap) // typed with the focus on a button
	clock.advance(wedgeQuiet)
	if r.k.shown != screenCitizen || s.method.Selected != "Kimlik kartı" || s.serial.Text != "4567" ||
		s.result.Selected != "Doğrulandı" || !s.mrzPassed.Visible() || s.photo.Checked {
		t.Fatalf("after the read: %s, method %q serial %q result %q mrz %v photo %v", r.k.shown, s.method.Selected,
			s.serial.Text, s.result.Selected, s.mrzPassed.Visible(), s.photo.Checked)
	}
	if !strings.Contains(s.mrzRows.Text, "✓ T.C. kimlik numarası kayıtla aynı") || strings.Contains(s.mrzRows.Text, "✗") {
		t.Errorf("rows: %q", s.mrzRows.Text)
	}
	test.Tap(s.photo)
	r.tap(button(t, s.obj, "Doğrulamayı kaydet"))
	list, err := r.k.svc.Counter.IdentityChecks(r.ctx, r.k.sess, s.citizen.ID)
	if err != nil || len(list) != 1 || !s.visit.Verified() {
		t.Fatalf("checks %v, %v", list, err)
	}
	// What is kept: the method, the serial's last four, the result and the
	// MRZ sentence; of the document number nothing more.
	if c := list[0]; c.Method != app.MethodIDCard || c.SerialLast4 != "4567" || c.Result != app.Verified ||
		c.Note != app.MRZNote || strings.Contains(c.Note, card.Document) {
		t.Errorf("recorded %+v", c)
	}
	if r.count(`SELECT COUNT(*) FROM outbox WHERE type = 'identity.verified'`) != 1 {
		t.Error("identity.verified not queued")
	}
}

func TestWedgeRefusesAnExpiredDocument(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	clock := r.wedgeOn()
	card, zone := turkishCard("200101")
	s := r.citizenPage(t, card)
	r.keyboard(clock, zone, readerGap)
	clock.advance(wedgeQuiet)
	if s.result.Selected != "Doğrulanamadı" || s.mrzPassed.Visible() || !strings.Contains(s.mrzRows.Text, "✗ Belgenin süresi 01.01.2020") {
		t.Fatalf("expired: result %q mrz %v rows %q", s.result.Selected, s.mrzPassed.Visible(), s.mrzRows.Text)
	}
	test.Tap(s.photo)
	s.result.SetSelected("Doğrulandı") // the clerk insists
	r.tap(button(t, s.obj, "Doğrulamayı kaydet"))
	if !strings.Contains(s.errs.Text, "geçerlilik süresi dolmuş") || s.visit.Verified() {
		t.Errorf("verified with an expired card: %q", s.errs.Text)
	}
}

func TestWedgeOpensAScannedReceipt(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	clock := r.wedgeOn()
	code := app.NewTrackingCode()
	base := r.k.svc.Config.Municipality.StatusURL
	for name, scan := range map[string]string{"QR code": base + code.String(), "printed code": code.String()} {
		r.k.show(screenHome)
		r.w.Canvas().Focus(r.k.home.first)
		r.keyboard(clock, scan+"\n", readerGap)
		clock.advance(wedgeQuiet)
		if r.k.shown != screenTrack || r.k.track.code.Text != code.String() {
			t.Errorf("%s: screen %s, code %q", name, r.k.shown, r.k.track.code.Text)
		}
	}
	// Typed by a person into the lookup itself, a code is the field's.
	r.k.track.begin()
	r.w.Canvas().Focus(r.k.track.code)
	r.keyboard(clock, code.String(), personGap)
	clock.advance(personGap)
	if r.k.track.code.Text != code.String() {
		t.Errorf("typed: %q", r.k.track.code.Text)
	}
}
