package cups_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/assets"
)

// The whole path a clerk takes: print the notice for a newcomer on the A4
// notice queue (not the receipt queue), see it come out, register them, and
// find the proof (version, hash, language, delivery, CUPS job) with its
// audit event.
func TestNoticePrintedThenAcknowledgedWithRegistration(t *testing.T) {
	good, broken, _, dir := needCUPS(t)
	s := openStore(t)
	ctx := context.Background()
	cfg := config.Default()
	cfg.Printer.Name, cfg.Printer.NoticeName = broken, good // the receipt roll would fail
	printing, err := paper.NewService(cups.New(s, nil), cfg)
	if err != nil {
		t.Fatal(err)
	}

	ver := notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{})
	clerk := app.Actor{Username: "ayse", Role: app.RoleClerk}
	visit := notice.NewVisit(s, clerk, "")
	printed, err := printing.PrintNotice(ctx, ver, "Işık Çağrı")
	if err != nil {
		t.Fatal(app.ErrorMessage(err), err)
	}
	if printed.Printer != good {
		t.Fatalf("the notice went to %q, not the notice queue %q", printed.Printer, good)
	}
	eventually(t, "the notice never printed", func() bool {
		printed, err = printing.Await(ctx, printed.ID, time.Second)
		return err == nil && printed.Status == app.PrintPrinted
	})
	if _, err := visit.GivePrinted(ctx, ver, printed); err != nil {
		t.Fatal(err)
	}
	job := printed.SystemJob
	kept, err := s.PrintJob(ctx, printed.ID)
	if err != nil {
		t.Fatal(err)
	}
	pdf := kept.PDF
	c, err := app.ParseCitizen(app.CitizenInput{NationalID: "10000000146", FirstName: "Işık", LastName: "Çağrı",
		BirthDate: "01.02.1990", ContactDeclined: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c.Channel = app.ChannelCounter
	if err := visit.Register(ctx, &c); err != nil {
		t.Fatal(err)
	}
	acks, err := s.NoticeAcks(ctx, c.ID)
	if err != nil || len(acks) != 1 {
		t.Fatalf("acks %d %v", len(acks), err)
	}
	a := acks[0]
	if a.Version != 1 || a.SHA256 != ver.SHA256 || a.Language != "tr" || a.Delivery != app.NoticePrinted || a.PrintJob != job {
		t.Fatalf("ack %+v (job %s)", a, job)
	}
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var events, records int
	db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = ? AND object = ?`, app.TypeNoticeAcknowledged, a.ID).Scan(&events)
	// Payloads are sealed at rest: read them through the store, as the sync worker does.
	pending, err := s.OutboxEntries(ctx, app.OutboxPending, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pending {
		if e.Type == app.TypeNoticeAcknowledged && strings.Contains(string(e.Data), `"print_job":"`+job+`"`) {
			records++
		}
	}
	if events != 1 || records != 1 {
		t.Fatalf("%d audit events and %d records for the acknowledgement", events, records)
	}
	eventually(t, "the notice did not come out", func() bool {
		return apptest.Printed(dir, good, pdf)
	})
}
