package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
)

// TestStoreWatch runs the kiosk's background care on a real store: free
// space under the floor is logged and handed to the screens, and the idle
// integrity check finds a page broken under the running store, reports it
// and leaves the store refusing writes.
func TestStoreWatch(t *testing.T) {
	cfg := terminalWithRecords(t, 20)
	cfg.Storage.MinFreeMB = 1 << 30 // a petabyte: always under it
	ctx := context.Background()
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var logged bytes.Buffer
	var damage error
	w := watchStore(store, cfg, slog.New(slog.NewTextHandler(&logged, nil)), func(err error) { damage = err })
	defer w.stop()
	if free, floor := w.space(); free == 0 || free >= floor || !strings.Contains(logged.String(), "free disk space under the floor") {
		t.Fatalf("space %d of floor %d; log:\n%s", free, floor, logged.String())
	}
	if w.integrityDue(time.Now()) {
		t.Fatal("the full check is due right after the start's quick_check")
	}
	apptest.CorruptTable(t, cfg.DatabasePath(), "citizens")
	later := time.Now().Add(cfg.Storage.IntegrityEvery.Duration + time.Minute)
	if !w.integrityDue(later) {
		t.Fatal("the full check is not due a day later on an idle store")
	}
	w.checkIntegrity()
	if app.ErrorCode(damage) != app.EDAMAGED || !store.Damaged() {
		t.Fatalf("the idle check on a damaged file: %v", damage)
	}
	c, _ := app.ParseCitizen(app.CitizenInput{NationalID: apptest.NationalID(99), FirstName: "Işıl", LastName: "Çağlar",
		BirthDate: "23.04.1985"}, time.Now())
	if err := store.RegisterCitizen(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, &c, nil); app.ErrorCode(err) != app.EDAMAGED {
		t.Fatalf("a write after the damage was found: %v", err)
	}
}
