package sync_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

func TestSyncDeliversAndPulls(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	store, path := openStore(t)
	s := seedOutbox(t, path, 1200, 50, 70)
	preloadConflicts(t, c, s)
	w, err := gsync.NewWorker(store, c.settings(c.http.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	checkEndState(t, store, c, s)
	// A status set centrally flows back to the terminal.
	if err := c.srv.SetComplaintStatus(ctx, s.recs[0].ID, "in_progress", "Fen İşleri Müdürlüğüne iletildi"); err != nil {
		t.Fatal(err)
	}
	if err := c.srv.PublishNotice(ctx, central.Notice{Version: 2, Language: "tr", Text: "Aydınlatma metni", EffectiveFrom: "2027-01-01"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	cursor, _ := store.SyncState(ctx, app.SyncCursor)
	if cursor == "" {
		t.Fatal("no cursor stored")
	}
	st, err := w.Status(ctx)
	if err != nil || !st.Online || st.LastError != "" || st.Counts.Rejected == 0 || st.Counts.Conflict == 0 || !st.SkewKnown {
		t.Fatalf("status: %+v %v", st, err)
	}
}

func TestRevokedDeviceBlocksUntilAdminActs(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	store, path := openStore(t)
	seedOutbox(t, path, 10, 0, 0)
	w, err := gsync.NewWorker(store, c.settings(c.http.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.srv.RevokeDevice(ctx, deviceID); err != nil {
		t.Fatal(err)
	}
	var ae *gsync.APIError
	if err := w.Sync(ctx); !errors.As(err, &ae) || ae.Status != 403 {
		t.Fatalf("first round: %v", err)
	}
	if err := w.Sync(ctx); !errors.Is(err, gsync.ErrBlocked) {
		t.Fatalf("second round: %v, want blocked", err)
	}
	st, _ := w.Status(ctx)
	if st.Blocked != "403" || st.Counts.PendingTotal != 10 || st.LastError == "" {
		t.Fatalf("status: %+v", st)
	}
	// A fresh worker (a restart) still sees the block.
	w2, _ := gsync.NewWorker(store, c.settings(c.http.URL), nil)
	if err := w2.Sync(ctx); !errors.Is(err, gsync.ErrBlocked) {
		t.Fatalf("after restart: %v", err)
	}
	token, _ := c.srv.EnrolDevice(ctx, deviceID)
	set := c.settings(c.http.URL)
	set.Token = token
	if err := w.SetSettings(set); err != nil {
		t.Fatal(err)
	}
	if err := w.Unblock(ctx, app.Actor{Username: "root", Role: app.RoleSupervisor}); app.ErrorCode(err) != app.EPERMISSION {
		t.Fatalf("unblock by a supervisor: %v", err)
	}
	if err := w.Unblock(ctx, app.Actor{Username: "root", Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestStartWakesOnQueuedRecords(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	store, _ := openStore(t)
	set := c.settings(c.http.URL)
	set.Interval = time.Hour
	w, err := gsync.NewWorker(store, set, nil)
	if err != nil {
		t.Fatal(err)
	}
	store.OnQueued(w.Notify)
	w.Start(ctx)
	defer w.Stop()
	if err := store.Audit(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, "login.ok", "ayse"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, _ := w.Status(ctx); st.Counts.Delivered == 1 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the queued audit event was not delivered after the store's notify")
}

func TestMaskReason(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"category ZB-99 is retired", "category ZB-99 is retired"},
		{"national_id 10000000146 is taken", "national_id 100******46 is taken"},
		{"phone 05321234567\nor ayse.yilmaz@example.org", "phone 053******67 or a***@example.org"},
		{"kısa 12345", "kısa 12345"},
	} {
		if got := gsync.MaskReason(c.in); got != c.want {
			t.Errorf("MaskReason(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := []rune(gsync.MaskReason(strings.Repeat("ş", 400))); len(got) != 301 {
		t.Errorf("a long reason kept %d characters", len(got))
	}
}
