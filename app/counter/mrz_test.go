package counter_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

// TestAnExpiredDocumentVerifiesNobody: a read document past its expiry
// cannot make a check "verified"; "not verified" is recorded. A check
// whose zone matched the record carries the MRZ sentence in its note.
func TestAnExpiredDocumentVerifiesNobody(t *testing.T) {
	tm, svc := setup(t)
	ctx := context.Background()
	clerk := tm.Session(app.RoleClerk)
	v, _ := svc.StartVisit(clerk, "")
	giveNotice(t, v)
	if _, err := svc.Register(ctx, clerk, v, ayse); err != nil {
		t.Fatal(err)
	}
	today := app.Today(tm.Clock.Now())
	check := &app.IdentityCheck{Method: app.MethodIDCard, SerialLast4: "4567", Result: app.Verified, PhotoMatched: true,
		DocumentExpiry: today.AddDate(0, 0, -1), MRZPassed: true}
	if err := svc.VerifyIdentity(ctx, clerk, v, check); app.ErrorField(err) != "result" || v.Verified() {
		t.Fatalf("verified with a document expired yesterday: %v", err)
	}
	check.Result = app.NotVerified
	if err := svc.VerifyIdentity(ctx, clerk, v, check); err != nil {
		t.Fatal(err)
	}
	check = &app.IdentityCheck{Method: app.MethodIDCard, SerialLast4: "4567", Result: app.Verified, PhotoMatched: true,
		DocumentExpiry: today, MRZPassed: true, Note: "ön yüz temiz"}
	if err := svc.VerifyIdentity(ctx, clerk, v, check); err != nil || !v.Verified() {
		t.Fatalf("valid through today: %v", err)
	}
	list, err := svc.IdentityChecks(ctx, clerk, v.CitizenID())
	if err != nil || len(list) != 2 || list[0].Note != app.MRZNote+" ön yüz temiz" || strings.Contains(list[1].Note, "4567") {
		t.Fatalf("checks: %v, %v", list, err)
	}
}
