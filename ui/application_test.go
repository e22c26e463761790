package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
)

// registeredCitizen stores a citizen with a verified identity check.
func (r *rig) registeredCitizen() *app.Citizen {
	r.t.Helper()
	c, err := app.ParseCitizen(app.CitizenInput{NationalID: "10000000146", FirstName: "Işıl", LastName: "Çağlar",
		BirthDate: "23.04.1985", Phone: "0532 123 45 67"}, start)
	if err != nil {
		r.t.Fatal(err)
	}
	c.Channel = app.ChannelCounter
	clerk := app.Actor{Username: "ayse", Role: app.RoleClerk}
	if err := r.tm.Store.RegisterCitizen(r.ctx, clerk, &c, nil); err != nil {
		r.t.Fatal(err)
	}
	if err := r.tm.Store.RecordIdentityCheck(r.ctx, clerk, &app.IdentityCheck{CitizenID: c.ID,
		Method: app.MethodIDCard, SerialLast4: "a12b", Result: app.Verified}); err != nil {
		r.t.Fatal(err)
	}
	return &c
}

func TestApplicationFromTheCitizenPageAndTheSupervisorsAnswer(t *testing.T) {
	r := newRig(t)
	c := r.registeredCitizen()
	r.login(app.RoleClerk)
	r.k.citizen.open(c, nil)
	r.k.Wait()
	cs := r.k.citizen
	if !strings.Contains(cs.details.Text, "100******46") || !strings.Contains(cs.details.Text, "0532 *** ** 67") ||
		strings.Contains(cs.details.Text, "123 45") {
		t.Fatalf("citizen page shows %q", cs.details.Text)
	}
	r.tap(cs.showNID)
	if !strings.Contains(cs.details.Text, "10000000146") || !strings.Contains(cs.details.Text, "0532 123 45 67") {
		t.Fatalf("after show: %q", cs.details.Text)
	}
	r.tap(cs.showNID)
	if strings.Contains(cs.details.Text, "10000000146") || strings.Contains(cs.details.Text, "123 45") {
		t.Fatalf("after hide: %q", cs.details.Text)
	}
	if r.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'citizen.national_id_shown' AND object = ?`, c.ID) != 1 {
		t.Error("showing the number was not audited once")
	}

	r.tap(cs.toApplication)
	r.wantScreen(screenApplication)
	s := r.k.views[screenApplication].(*applicationScreen)
	r.tap(s.save)
	if !strings.Contains(s.errs.Text, "en az bir hakkı") {
		t.Fatalf("empty form: %q", s.errs.Text)
	}
	s.rights.SetSelected([]string{s.rights.Options[1], s.rights.Options[5]})
	r.typeInto(s.detail, "Hangi verilerimin tutulduğunu öğrenmek istiyorum.")
	s.channel.SetSelected(s.channel.Options[1])
	r.typeInto(s.address, "isil@ornek.com.tr")
	r.tap(s.save)
	if !strings.Contains(s.info.Text, "Takip kodu") || !s.save.Disabled() {
		t.Fatalf("after save: info %q, errs %q", s.info.Text, s.errs.Text)
	}
	if r.count(`SELECT COUNT(*) FROM data_subject_requests WHERE citizen_id = ?`, c.ID) != 1 ||
		r.count(`SELECT COUNT(*) FROM outbox WHERE type = 'data_subject.request'`) != 1 {
		t.Fatal("the application and its record must be stored together")
	}
	// Its receipt tells the citizen to quote the code at any counter: the
	// tracking screen of this terminal finds it.
	var code string
	r.scan(`SELECT tracking_code FROM data_subject_requests WHERE citizen_id = ?`, []any{c.ID}, &code)
	if !s.code.Visible() || s.code.Text != app.TrackingCode(code).String() {
		t.Errorf("the saved application's code large: %q shown %v, want %s", s.code.Text, s.code.Visible(), code)
	}
	r.k.shortcuts["CustomDesktop:Control+3"]()
	r.typeInto(r.k.track.code, code)
	r.k.track.onLookup()
	r.k.Wait()
	if r.k.track.errs.Text != "" || r.k.track.result.code.Text != app.TrackingCode(code).String() ||
		!strings.Contains(r.k.track.result.facts.Text, "KVKK") {
		t.Fatalf("tracking %s: error %q, result %q %q", code, r.k.track.errs.Text, r.k.track.result.code.Text,
			r.k.track.result.facts.Text)
	}

	r.login(app.RoleSupervisor)
	r.k.shortcuts["CustomDesktop:Control+6"]()
	r.k.Wait()
	r.wantScreen(screenApplications)
	l := r.k.views[screenApplications].(*applicationsScreen)
	if len(l.pick.Options) != 1 || !strings.Contains(l.list.Text, l.pick.Options[0]) {
		t.Fatalf("open list %q, options %v", l.list.Text, l.pick.Options)
	}
	l.pick.SetSelectedIndex(0)
	r.typeInto(l.answer, "Kayıtlı verileri e-postayla gönderdik.")
	test.Tap(button(t, l.obj, "Yanıtı kaydet"))
	r.k.Wait()
	if l.info.Text == "" || len(l.pick.Options) != 0 || r.count(`SELECT COUNT(*) FROM data_subject_requests WHERE answered_at <> ''`) != 1 {
		t.Fatalf("after the answer: info %q errs %q, %d open", l.info.Text, l.errs.Text, len(l.pick.Options))
	}
}
