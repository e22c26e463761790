package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
)

// clerk is the actor of the tests' writes.
var clerk = app.Actor{Username: "ayse", Role: app.RoleClerk}

// openStore opens a fresh store on a real file under t.TempDir().
func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gise.db")
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	s.TerminalID, s.TerminalIP = "KCS-TEST-01", "192.0.2.10"
	s.Now = func() time.Time { return time.Date(2026, 11, 28, 10, 4, 5, 0, time.FixedZone("+03", 3*3600)) }
	t.Cleanup(func() { s.Close() })
	return s
}

// citizen returns a valid citizen whose national ID is made from n.
func citizen(t testing.TB, n int, first, last string) *app.Citizen {
	t.Helper()
	c, err := app.ParseCitizen(app.CitizenInput{
		NationalID: validNationalID(n), FirstName: first, LastName: last, BirthDate: "23.04.1985",
		Phone: "0532 123 45 67",
	}, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	c.Channel = app.ChannelCounter
	return &c
}

// validNationalID builds a checksum-valid TC Kimlik No from a seed.
func validNationalID(n int) string { return apptest.NationalID(n) }

func TestRegisterAndFind(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c := citizen(t, 1, "Ayşe", "ŞAHİN")
	if err := s.RegisterCitizen(ctx, clerk, c, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.CitizenByNationalID(ctx, c.NationalID)
	if err != nil || got.ID != c.ID || got.LastName != "ŞAHİN" {
		t.Fatalf("by national id: %+v %v", got, err)
	}
	for _, q := range []string{"şahin", "Şahin", "ŞAHİN", "sahin", "ayşe", "AYŞE Ş"} {
		list, err := s.FindCitizensByName(ctx, q, 20)
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Errorf("by name %q: %d found, %v", q, len(list), err)
		}
	}
	if list, _ := s.FindCitizensByPhone(ctx, "+905321234567"); len(list) != 1 {
		t.Errorf("by phone: %d found", len(list))
	}
	err = s.RegisterCitizen(ctx, clerk, citizen(t, 1, "Başka", "Biri"), nil)
	if app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second registration of one national ID: %v, want conflict", err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK() || rep.Events != 1 {
		t.Fatalf("audit: %+v %v", rep, err)
	}
}

// terminalKey returns the terminal key kept beside the database at path,
// as main keeps it, so that a reopened store (or a child process) opens
// what an earlier one sealed.
func terminalKey(path string) *keys.Sealer {
	s, err := keys.LoadOrCreate(keys.DefaultPath(filepath.Dir(path)))
	if err != nil {
		panic(err)
	}
	return s
}
