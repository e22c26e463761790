package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// secrets are the strings of a person the wipe must take away.
func secrets() []string {
	a := citizenAnswers
	return []string{a.nid, "100******46", a.first, a.last, a.birth, "02.03.1990", "9876543", "987 65 43", a.desc,
		"yonetici", "gizli-sifre", "Kaydedilecek"}
}

// leftovers are the places under obj where any of secrets is still found.
func leftovers(obj fyne.CanvasObject, secrets []string) []string {
	var out []string
	for _, text := range allTexts(obj) {
		for _, sec := range secrets {
			if text != "" && strings.Contains(text, sec) {
				out = append(out, fmt.Sprintf("%q holds %q", text, sec))
			}
		}
	}
	return out
}

func TestSelfServiceIdleWipeLeavesNothing(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	s := r.s
	if !strings.Contains(visibleText(s.obj), "60 saniye") || !strings.Contains(visibleText(s.obj), "30 saniye") {
		t.Errorf("the first screen states the time limit: %s", visibleText(s.obj))
	}
	r.fillAll()
	r.press(s.summary.send)
	code := s.receipt.code.Text
	r.press(s.call)
	r.press(staffLoginButton(t, s))
	r.typeInto(s.exit.username, "yonetici")
	r.typeInto(s.exit.password, "gizli-sifre")
	r.key("⇧")
	fyne.CurrentApp().Clipboard().SetContent(citizenAnswers.nid)
	var scrolls []*container.Scroll
	walkAll(s.obj, func(o fyne.CanvasObject) {
		if sc, ok := o.(*container.Scroll); ok {
			scrolls = append(scrolls, sc)
			sc.ScrollToOffset(fyne.NewPos(0, 40))
		}
	})

	// The warning comes after the quiet time, at least 30 s before the wipe.
	r.clock = r.clock.Add(59 * time.Second)
	s.tick(r.clock)
	if s.idle.showing {
		t.Fatal("the warning came before the quiet time was over")
	}
	r.clock = r.clock.Add(2 * time.Second)
	s.tick(r.clock)
	warning := visibleText(s.obj)
	if !s.idle.showing || !strings.Contains(warning, "29 saniye") || strings.Contains(warning, "yonetici") {
		t.Fatalf("no countdown of ≥30 s over the visit: %s", warning)
	}
	// A touch anywhere puts the visit back; the warning can come again.
	test.TapCanvas(r.w.Canvas(), fyne.NewPos(900, 700))
	if s.idle.showing || s.overlay != overlayStaff {
		t.Fatal("a touch did not bring the visit back")
	}
	r.clock = r.clock.Add(61 * time.Second)
	s.tick(r.clock)
	r.press(findStep(t, s.idle.box, "Devam et"))
	if s.idle.showing {
		t.Fatal("Devam et did not bring the visit back")
	}
	r.clock = r.clock.Add(91 * time.Second)
	s.tick(r.clock)
	r.k.Wait()

	if s.step != selfWelcome || s.overlay != overlayNone || s.idle.showing {
		t.Fatalf("after the countdown: step %d, overlay %d", s.step, s.overlay)
	}
	if left := leftovers(r.w.Canvas().Content(), append(secrets(), code)); len(left) > 0 {
		t.Errorf("the wipe left the previous person on the terminal:\n\t%s", strings.Join(left, "\n\t"))
	}
	if screen := visibleText(r.w.Canvas().Content()); strings.Contains(screen, "Görevli geliyor") || strings.Contains(screen, "Görevli çağrıldı") {
		t.Errorf("the staff call greets the next citizen: %s", screen)
	}
	if got := fyne.CurrentApp().Clipboard().Content(); got != "" {
		t.Errorf("the clipboard still holds %q", got)
	}
	for _, sc := range scrolls {
		if sc.Offset.Y != 0 {
			t.Errorf("a scroll is still at %v", sc.Offset)
		}
	}
	if s.keyboard.shift || s.keyboard.last != nil || s.keyboard.Mode() != padLetters || r.w.Canvas().Focused() != nil {
		t.Errorf("the keyboard remembers the person: shift %v, field %T, mode %d, focus %T",
			s.keyboard.shift, s.keyboard.last, s.keyboard.Mode(), r.w.Canvas().Focused())
	}
	if s.kind.Selected() >= 0 || s.category.Selected() >= 0 || s.exit.box.Visible() {
		t.Error("a choice or the staff login survived the wipe")
	}
	// The notice given to the person who walked away is kept as proof.
	if r.count(`SELECT COUNT(*) FROM notice_acks`) != 1 {
		t.Error("the notice proof of the visit is lost")
	}
}

func TestSelfServiceWipeMidFormLeavesNothing(t *testing.T) {
	r := newSelfRig(t, selfSizes[1])
	s := r.s
	r.fillAll()
	r.press(s.summary.rows[0].change)
	s.fields.nationalID.SetText("")
	r.typeInto(s.fields.nationalID, "987")
	r.press(s.questions[selfNationalID].next) // a message about what was typed is on screen
	r.clock = r.clock.Add(2 * time.Minute)
	s.tick(r.clock)
	if s.step != selfWelcome {
		t.Fatalf("step %d after two quiet minutes", s.step)
	}
	if left := leftovers(s.obj, append(secrets(), "987", "11 haneli olmalıdır")); len(left) > 0 {
		t.Errorf("the wipe left:\n\t%s", strings.Join(left, "\n\t"))
	}
	if s.editing || r.count(`SELECT COUNT(*) FROM complaints`) != 0 {
		t.Error("the wiped visit is still being edited, or was filed")
	}
}

func TestSelfServiceStaffCallIsVisibleAndWiped(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	s := r.s
	r.press(s.start)
	r.press(s.read)
	r.typeInto(s.fields.nationalID, "10000000146")
	r.press(s.call)
	screen := visibleText(s.obj)
	for _, want := range []string{"Görevli çağrıldı", "Bir görevli geliyor", "bu ekranda bekleyin", "Görevli geliyor"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after Görevli çağır the screen lacks %q: %s", want, screen)
		}
	}
	if r.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'kiosk.staff_called'`) != 1 {
		t.Error("the call is not recorded")
	}
	r.press(findStep(t, s.staff.wait, "Başvuruma dön"))
	if s.step != selfNationalID || s.fields.nationalID.Text != "10000000146" || !strings.Contains(visibleText(s.obj), "Görevli geliyor") {
		t.Fatal("back at the question, the answer kept and the bar still saying staff are coming")
	}
	r.press(s.call)
	if r.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'kiosk.staff_called'`) != 1 {
		t.Error("a second tap while staff are coming records a second call")
	}
	// Waiting as asked: the usual quiet time passes with no warning.
	called := r.clock
	r.clock = r.clock.Add(2 * time.Minute)
	s.tick(r.clock)
	if s.idle.showing || s.fields.nationalID.Text != "10000000146" {
		t.Fatal("the countdown came while the citizen waits for staff as asked")
	}
	// Nobody came back: after the longer wait the countdown, then the wipe.
	r.clock = called.Add(staffQuiet + time.Second)
	s.tick(r.clock)
	if !s.idle.showing {
		t.Fatalf("no countdown after %v untouched with staff called", staffQuiet)
	}
	r.clock = r.clock.Add(s.idle.warn + time.Second)
	s.tick(r.clock)
	if strings.Contains(visibleText(r.w.Canvas().Content()), "Görevli") && strings.Contains(visibleText(r.w.Canvas().Content()), "geliyor") {
		t.Errorf("the staff call greets the next citizen: %s", visibleText(r.w.Canvas().Content()))
	}
	if s.staff.called || s.overlay != overlayNone {
		t.Error("the staff call survived the wipe")
	}
}

func TestSelfServiceReceiptTimesOut(t *testing.T) {
	r := newSelfRig(t, selfSizes[0])
	r.fillAll()
	r.press(r.s.summary.send)
	r.clock = r.clock.Add(61 * time.Second)
	r.s.tick(r.clock)
	if !r.s.idle.showing {
		t.Fatal("the receipt screen gives no warning")
	}
	r.clock = r.clock.Add(30 * time.Second)
	r.s.tick(r.clock)
	if r.s.step != selfWelcome || r.s.receipt.code.Text != "" {
		t.Fatalf("the receipt stays: step %d, code %q", r.s.step, r.s.receipt.code.Text)
	}
}
