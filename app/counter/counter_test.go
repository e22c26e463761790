package counter_test

import (
	"context"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth/authtest"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/notice"
)

var start = time.Date(2026, 11, 28, 10, 0, 0, 0, time.Local)

func setup(t *testing.T) (*authtest.Terminal, *counter.Service) {
	tm := authtest.New(t, start)
	return tm, &counter.Service{Store: tm.Store, Now: tm.Clock.Now}
}

var ayse = app.CitizenInput{NationalID: "10000000146", FirstName: "Ayşe", LastName: "Öztürk",
	BirthDate: "01.01.1970", Phone: "0532 123 45 67"}

func giveNotice(t *testing.T, v *counter.Visit) {
	t.Helper()
	ver := notice.New(1, notice.Turkish, "Aydınlatma metni", time.Time{})
	if _, err := v.Give(context.Background(), ver, app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
}

func TestEveryServiceChecksTheRole(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	admin := tm.Session(app.RoleAdmin)
	if _, err := svc.StartVisit(admin, ""); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("admin StartVisit: %v", err)
	}
	if _, err := svc.Find(ctx, admin, "öztürk"); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("admin Find: %v", err)
	}
	if err := svc.FileComplaint(ctx, admin, &app.Complaint{}); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("admin FileComplaint: %v", err)
	}
	if _, err := svc.Track(ctx, nil, "K7QM-4X29-PQ7C"); app.ErrorCode(err) != app.EUNAUTH {
		t.Errorf("no session Track: %v", err)
	}
	clerk := tm.Session(app.RoleClerk)
	v, err := svc.StartVisit(clerk, "")
	if err != nil {
		t.Fatal(err)
	}
	clerk.Touch()
	tm.Clock.Add(10 * time.Minute) // idle: the session locks
	if _, err := svc.Register(ctx, clerk, v, ayse); app.ErrorCode(err) != app.EUNAUTH {
		t.Errorf("locked session Register: %v", err)
	}
}

func TestRegisterFindAndDuplicates(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	clerk := tm.Session(app.RoleClerk)
	v, _ := svc.StartVisit(clerk, "")
	if _, err := svc.Register(ctx, clerk, v, ayse); app.ErrorField(err) != notice.FieldNotice {
		t.Fatalf("register without the notice: %v", err)
	}
	giveNotice(t, v)
	c, err := svc.Register(ctx, clerk, v, ayse)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"10000000146", "100 000 001 46", "0532 123 45 67", "+905321234567", "öztürk", "OZTURK", "ayşe"} {
		list, err := svc.Find(ctx, clerk, q)
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Errorf("Find(%q): %d, %v", q, len(list), err)
		}
	}
	if _, err := svc.Find(ctx, clerk, "a"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("one letter: %v", err)
	}
	v2, _ := svc.StartVisit(clerk, "")
	giveNotice(t, v2)
	existing, err := svc.Register(ctx, clerk, v2, ayse)
	if app.ErrorCode(err) != app.ECONFLICT || existing == nil || existing.ID != c.ID {
		t.Errorf("second registration: %v, %v", existing, err)
	}
}

func TestActivationNeedsAVerifiedIdentity(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	clerk := tm.Session(app.RoleClerk)
	v, _ := svc.StartVisit(clerk, "")
	giveNotice(t, v)
	if _, err := svc.Register(ctx, clerk, v, ayse); err != nil {
		t.Fatal(err)
	}
	if err := svc.RequestActivation(ctx, clerk, v, app.ActivationSMS); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("activation before verification: %v", err)
	}
	check := &app.IdentityCheck{Method: app.MethodIDCard, SerialLast4: "A12B", Result: app.Mismatch}
	if err := svc.VerifyIdentity(ctx, clerk, v, check); err != nil {
		t.Fatal(err)
	}
	if err := svc.RequestActivation(ctx, clerk, v, app.ActivationSMS); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("activation after a mismatch: %v", err)
	}
	check = &app.IdentityCheck{Method: app.MethodIDCardChip, SerialLast4: "A12B", Result: app.Verified}
	if err := svc.VerifyIdentity(ctx, clerk, v, check); app.ErrorField(err) != "photo" {
		t.Fatalf("verified without the photo check: %v", err)
	}
	check.PhotoMatched = true
	if err := svc.VerifyIdentity(ctx, clerk, v, check); err != nil {
		t.Fatal(err)
	}
	if err := svc.RequestActivation(ctx, clerk, v, app.ActivationEmail); app.ErrorField(err) != "delivery" {
		t.Fatalf("activation by e-mail without one: %v", err)
	}
	if err := svc.RequestActivation(ctx, clerk, v, app.ActivationSMS); err != nil {
		t.Fatal(err)
	}
}

func TestSelfServiceNeedsTheNotice(t *testing.T) {
	_, svc := setup(t)
	ctx := context.Background()
	v := svc.StartKioskVisit()
	req := counter.SelfServiceRequest{Citizen: ayse, Kind: app.KindRequest, CategoryCode: "TEM-01", Description: "Çöp"}
	if _, err := svc.FileSelfService(ctx, v, req); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("without the notice: %v", err)
	}
	giveNotice(t, &counter.Visit{Visit: v})
	f, err := svc.FileSelfService(ctx, v, req)
	if err != nil || f.Complaint.Channel != app.ChannelSelfService || f.Complaint.Clerk != "" {
		t.Fatalf("self-service: %+v, %v", f, err)
	}
}
