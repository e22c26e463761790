package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth/authtest"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/kvkk"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

// TestLogsHoldNoPersonalData runs the counter's flows (registration,
// identity check, complaint, data-subject application, revealing the
// number, a search), a sync round to a reference central and a
// retention run, all logging through the program's real handler (openLog),
// then searches every line of the log file for the citizen's national ID,
// phone, e-mail and names, and finds none.
func TestLogsHoldNoPersonalData(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	before := slog.Default()
	logger, closeLog, err := openLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slog.SetDefault(before) })

	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.Local)
	tm := authtest.New(t, at)
	svc := &counter.Service{Store: tm.Store, Now: tm.Clock.Now}
	clerk := tm.Session(app.RoleClerk)
	in := app.CitizenInput{NationalID: "10000000146", FirstName: "Gülizar", LastName: "Karaosmanoğlu",
		BirthDate: "17.09.1973", Phone: "0533 987 65 43", Email: "gulizar.k@ornek.com.tr"}
	v, err := svc.StartVisit(clerk, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Give(ctx, notice.New(1, notice.Turkish, "Aydınlatma metni", time.Time{}), app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Register(ctx, clerk, v, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Register(ctx, clerk, v, in); err == nil {
		t.Fatal("a second registration of the same number was accepted")
	}
	if err := svc.VerifyIdentity(ctx, clerk, v, &app.IdentityCheck{Method: app.MethodIDCard, SerialLast4: "a12b",
		Result: app.Verified, PhotoMatched: true}); err != nil {
		t.Fatal(err)
	}
	if err := svc.FileComplaint(ctx, clerk, &app.Complaint{CitizenID: c.ID, Kind: app.KindComplaint,
		CategoryCode: "TEM-01", Description: "Karaosmanoğlu ailesinin önündeki çöp alınmadı.",
		Address: "Hoşdere Mah. Lale Sok. No: 77", NeighbourhoodCode: "HOSDERE", Channel: app.ChannelCounter}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordApplication(ctx, clerk, v, kvkk.ApplicationInput{Rights: []kvkk.Right{kvkk.RightAccess},
		Detail: "Gülizar Karaosmanoğlu verilerini istiyor.", ReplyChannel: kvkk.ReplyEmail,
		ReplyAddress: "gulizar.k@ornek.com.tr"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RevealNationalID(ctx, clerk, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Find(ctx, clerk, "karaosman"); err != nil {
		t.Fatal(err)
	}

	srv, err := central.Open(ctx, filepath.Join(dir, "central"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Logger = logger
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	token, err := srv.EnrolDevice(ctx, "KCS-TEST-01")
	if err != nil {
		t.Fatal(err)
	}
	w, err := gsync.NewWorker(tm.Store, gsync.Settings{BaseURL: hs.URL, DeviceID: "KCS-TEST-01", Token: token}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	bad, _ := gsync.NewWorker(tm.Store, gsync.Settings{BaseURL: hs.URL, DeviceID: "KCS-TEST-01", Token: "wrong"}, logger)
	_ = bad.Sync(ctx)
	r := &kvkk.Runner{Store: tm.Store, Policy: kvkk.DefaultPolicy(), Log: logger, Now: func() time.Time { return at.AddDate(0, 2, 0) }}
	if _, err := r.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	logger.Info("citizen registered", "national_id", c.NationalID) // LogValue masks it
	closeLog()

	b, err := os.ReadFile(filepath.Join(dir, "logs", "gise.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("100******46")) {
		t.Fatalf("the log does not hold what the test wrote:\n%s", b)
	}
	lower := strings.ToLower(string(b))
	for _, v := range []string{"10000000146", "+905339876543", "5339876543", "533 987 65 43", "gulizar.k@ornek.com.tr",
		"gülizar", "gulizar", "karaosmanoğlu", "karaosmanoglu", "hoşdere", "lale sok"} {
		if strings.Contains(lower, v) {
			t.Errorf("the log holds %q", v)
		}
	}
	t.Logf("%d log lines searched:\n%s", bytes.Count(b, []byte("\n")), b)
}
