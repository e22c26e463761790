package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
)

// The home screen's day is the terminal's day: records are counted by
// instant, whatever offset their time was written with, and yesterday's and
// tomorrow's are left out.
func TestDayCountsCountTheTerminalsDay(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	istanbul := time.FixedZone("+03", 3*3600)
	at := func(tm time.Time) { s.Now = func() time.Time { return tm } }
	at(time.Date(2026, 11, 27, 23, 59, 0, 0, istanbul)) // yesterday, Istanbul time
	if err := s.RegisterCitizen(ctx, clerk, citizen(t, 1, "Dün", "Gelen"), nil); err != nil {
		t.Fatal(err)
	}
	at(time.Date(2026, 11, 27, 21, 30, 0, 0, time.UTC)) // 00:30 today in Istanbul, written in UTC
	if err := s.RegisterCitizen(ctx, clerk, citizen(t, 2, "Gece", "Yarısı"), nil); err != nil {
		t.Fatal(err)
	}
	at(time.Date(2026, 11, 28, 10, 0, 0, 0, istanbul))
	c := citizen(t, 3, "Öğle", "Vakti")
	if err := s.RegisterCitizen(ctx, clerk, c, nil); err != nil {
		t.Fatal(err)
	}
	fileComplaint(t, s, c, app.KindRequest)
	fileComplaint(t, s, c, app.KindComplaint)
	fileComplaint(t, s, c, app.KindRequest)
	from := time.Date(2026, 11, 28, 0, 0, 0, 0, istanbul)
	got, err := s.DayCounts(ctx, from, from.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got.Records[app.TypeCitizenRegistered] != 2 || got.Records[app.TypeComplaintFiled] != 3 ||
		got.Kinds[app.KindRequest] != 2 || got.Kinds[app.KindComplaint] != 1 {
		t.Fatalf("today: records %v, kinds %v", got.Records, got.Kinds)
	}
}

func fileComplaint(t *testing.T, s interface {
	FileComplaint(context.Context, app.Actor, *app.Complaint) error
}, c *app.Citizen, kind app.Kind) {
	t.Helper()
	k := complaint(c.ID)
	k.Kind = kind
	if err := s.FileComplaint(context.Background(), clerk, k); err != nil {
		t.Fatal(err)
	}
}
