package counter_test

import (
	"context"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
)

func TestApplicationNeedsAVerifiedCitizenAndASupervisorAnswers(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	clerk := tm.Session(app.RoleClerk)
	v, err := svc.StartVisit(clerk, "")
	if err != nil {
		t.Fatal(err)
	}
	giveNotice(t, v)
	c, err := svc.Register(ctx, clerk, v, ayse)
	if err != nil {
		t.Fatal(err)
	}
	in := kvkk.ApplicationInput{Rights: []kvkk.Right{kvkk.RightAccess, kvkk.RightErase}, Detail: "Hangi verilerim tutuluyor?",
		ReplyChannel: kvkk.ReplyEmail, ReplyAddress: "ayse@ornek.com.tr"}
	if _, err := svc.RecordApplication(ctx, clerk, v, in); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("application of an unverified citizen: %v", err)
	}
	if err := svc.VerifyIdentity(ctx, clerk, v, &app.IdentityCheck{Method: app.MethodIDCard, SerialLast4: "a12b",
		Result: app.Verified, PhotoMatched: true}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.RecordApplication(ctx, clerk, v, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.TrackingCode == "" || !a.DueDate.Equal(app.Today(start).AddDate(0, 0, 30)) {
		t.Errorf("tracking code %q, due %v", a.TrackingCode, a.DueDate)
	}
	// The receipt tells the citizen to quote the code at any counter: the
	// tracking lookup finds it, as printed and as typed in lower case.
	for _, typed := range []string{a.TrackingCode.String(), app.LowerTR(a.TrackingCode.String())} {
		got, err := svc.Track(ctx, clerk, typed)
		if err != nil || got.Application == nil || got.Application.ID != a.ID || got.Complaint != nil {
			t.Errorf("Track(%q) = %+v, %v; want the application", typed, got, err)
		}
	}
	// A later visit: the stored check is enough.
	later, _ := svc.StartVisit(clerk, c.ID)
	if _, err := svc.RecordApplication(ctx, clerk, later, in); err != nil {
		t.Errorf("second application with a stored check: %v", err)
	}
	if _, err := svc.OpenApplications(ctx, clerk); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("clerk lists applications: %v", err)
	}
	tm.Clock.Add(31 * 24 * time.Hour)
	sup := tm.Session(app.RoleSupervisor)
	open, err := svc.OpenApplications(ctx, sup)
	if err != nil || len(open) != 2 || !open[0].Overdue(tm.Clock.Now()) {
		t.Fatalf("open applications: %d, %v", len(open), err)
	}
	if err := svc.AnswerApplication(ctx, sup, open[0].ID, "Veriler e-postayla gönderildi."); err != nil {
		t.Fatal(err)
	}
	if err := svc.AnswerApplication(ctx, sup, open[0].ID, "Yine"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second answer: %v", err)
	}
	if open, _ := svc.OpenApplications(ctx, sup); len(open) != 1 {
		t.Errorf("after the answer %d open", len(open))
	}
}

func TestRevealNationalIDIsAudited(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	clerk := tm.Session(app.RoleClerk)
	v, _ := svc.StartVisit(clerk, "")
	giveNotice(t, v)
	c, err := svc.Register(ctx, clerk, v, ayse)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RevealNationalID(ctx, tm.Session(app.RoleAdmin), c.ID); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("admin reveals: %v", err)
	}
	n, err := svc.RevealNationalID(ctx, clerk, c.ID)
	if err != nil || n.Digits() != "10000000146" {
		t.Fatalf("reveal: %q %v", n, err)
	}
	events, err := tm.Store.AuditEvents(ctx, start.Add(-time.Hour), start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, e := range events {
		if e.Action == "citizen.national_id_shown" && e.Object == c.ID {
			shown++
		}
	}
	if shown != 1 {
		t.Errorf("%d audit events for showing the number", shown)
	}
}
