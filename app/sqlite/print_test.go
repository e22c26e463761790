package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
)

func TestPrintJobsKeptForReprint(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	pdf := []byte("%PDF-1.4 makbuz")
	a := &app.PrintJob{Title: "Makbuz K7QM-4X29-PQ7C", Printer: "gise", PDF: pdf}
	b := &app.PrintJob{Title: "aydınlatma metni v1 (tr)", Printer: "gise", PDF: pdf}
	for _, j := range []*app.PrintJob{a, b} {
		if err := s.SavePrintJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.UpdatePrintJob(ctx, a.ID, app.PrintFailed, "gise", "", "Yazıcı kapalı."); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdatePrintJob(ctx, b.ID, app.PrintPrinted, "gise", "gise-3", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdatePrintJob(ctx, "nope", app.PrintSent, "gise", "", ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown job: %v", err)
	}
	failed, err := s.PrintJobs(ctx, 10, app.PrintQueued, app.PrintSent, app.PrintFailed)
	if err != nil || len(failed) != 1 || failed[0].ID != a.ID || failed[0].Error != "Yazıcı kapalı." ||
		failed[0].Attempts != 1 || failed[0].PDF != nil {
		t.Fatalf("reprint list: %+v %v", failed, err)
	}
	got, err := s.PrintJob(ctx, a.ID)
	if err != nil || string(got.PDF) != string(pdf) {
		t.Fatalf("kept PDF: %v", err)
	}
	if all, _ := s.PrintJobs(ctx, 10); len(all) != 2 {
		t.Fatalf("%d jobs", len(all))
	}
	n, err := s.DeletePrintedJobsBefore(ctx, s.Now().Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("retention removed %d, %v", n, err)
	}
	if _, err := s.PrintJob(ctx, a.ID); err != nil {
		t.Fatal("retention removed a job still waiting for reprint")
	}
}
