package cups_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/app/sqlite"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gise.db")
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// needCUPS returns the test printers that scripts/cups.sh sets up.
func needCUPS(t *testing.T) (good, broken, closed, dir string) {
	t.Helper()
	good = os.Getenv("GISE_TEST_PRINTER")
	if good == "" {
		t.Skip("GISE_TEST_PRINTER is unset: run through scripts/with-services.sh (make test), which starts a private CUPS")
	}
	return good, os.Getenv("GISE_TEST_PRINTER_BROKEN"), os.Getenv("GISE_TEST_PRINTER_CLOSED"), os.Getenv("GISE_TEST_PRINT_DIR")
}

// receipt builds a real receipt, different each time (a fresh tracking code).
func receipt(t *testing.T) (app.TrackingCode, []byte) {
	t.Helper()
	h, err := paper.HeaderFrom(config.Default().Municipality)
	if err != nil {
		t.Fatal(err)
	}
	code := app.NewTrackingCode()
	pdf, err := paper.Receipt(paper.ReceiptDoc{Header: h, Kind: string(app.KindComplaint), Code: code,
		StatusURL: "https://www.kocasinan.bel.tr/basvuru/", Category: "Temizlik", NationalID: "10000000146",
		At: time.Now(), Terminal: "KCS-TEST-01"})
	if err != nil {
		t.Fatal(err)
	}
	return code, pdf
}

// eventually polls cond every 100 ms for up to 15 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("after 15 s: %s", what)
}

// pausedQueue returns the queue scripts/cups.sh keeps disabled.
func pausedQueue(t *testing.T) string {
	t.Helper()
	paused := os.Getenv("GISE_TEST_PRINTER_PAUSED")
	if paused == "" {
		t.Skip("GISE_TEST_PRINTER_PAUSED is unset: scripts/cups.sh creates it")
	}
	return paused
}

// follow asks CUPS about job until its outcome is known (15 s at most).
func follow(t *testing.T, p *cups.Printer, id string) *app.PrintJob {
	t.Helper()
	var j *app.PrintJob
	eventually(t, "the job's outcome never became known", func() bool {
		var err error
		if j, err = p.Job(context.Background(), id); err != nil {
			t.Fatal(app.ErrorMessage(err), err)
		}
		return j.Done()
	})
	return j
}

func TestPrintReachesRealCUPS(t *testing.T) {
	good, _, _, dir := needCUPS(t)
	s := openStore(t)
	p := cups.New(s, nil)
	code, pdf := receipt(t)
	ctx := context.Background()
	job, err := p.Print(ctx, good, "Makbuz "+code.String(), pdf)
	if err != nil {
		t.Fatal(app.ErrorMessage(err), err)
	}
	if job.Status != app.PrintSent || !regexp.MustCompile(`^`+regexp.QuoteMeta(good)+`-\d+$`).MatchString(job.SystemJob) {
		t.Fatalf("accepted job %+v", job)
	}
	eventually(t, "the PDF did not come out of the file printer", func() bool {
		return apptest.Printed(dir, good, pdf)
	})
	if j := follow(t, p, job.ID); j.Status != app.PrintPrinted || j.Error != "" {
		t.Fatalf("after it came out: %+v", j)
	}
	if pending, _ := p.Pending(ctx); len(pending) != 0 {
		t.Fatalf("a printed job is listed for reprint: %+v", pending[0])
	}
}

// The issue's stopped queue: CUPS accepts the receipt, then "Stopping job
// because the scheduler could not open the output file". The job is failed,
// with a sentence, and listed; reprinted to another queue it comes out once,
// and the stopped copy is cancelled.
func TestStoppedJobFailsThenReprintsElsewhere(t *testing.T) {
	good, broken, _, dir := needCUPS(t)
	s := openStore(t)
	ctx := context.Background()
	p := cups.New(s, nil)
	_, pdf := receipt(t)
	job, err := p.Print(ctx, broken, "Makbuz", pdf)
	if err != nil {
		t.Fatalf("CUPS should accept the job before the device fails: %v", err)
	}
	j := follow(t, p, job.ID)
	if j.Status != app.PrintFailed || !strings.Contains(j.Error, "yeniden yazdırın") {
		t.Fatalf("stopped job: %+v", j)
	}
	list, _ := p.Pending(ctx)
	if len(list) != 1 || list[0].Status != app.PrintFailed || list[0].SystemJob != job.SystemJob {
		t.Fatalf("reprint list: %+v", list)
	}

	again, err := p.Reprint(ctx, job.ID, good)
	if err != nil || again.Printer != good || again.SystemJob == job.SystemJob {
		t.Fatalf("reprint: %+v %v", again, err)
	}
	eventually(t, "the reprint did not come out", func() bool {
		return apptest.Printed(dir, good, pdf)
	})
	if j := follow(t, p, job.ID); j.Status != app.PrintPrinted || j.Attempts != 2 || j.Printer != good {
		t.Fatalf("after reprint: %+v", j)
	}
	if out, _ := exec.Command("lpstat", "-o", broken).CombinedOutput(); strings.Contains(string(out), job.SystemJob) {
		t.Fatalf("the stopped copy is still queued: %s", out)
	}
}

func TestClosedPrinterKeepsRecordAndJob(t *testing.T) {
	good, _, closed, dir := needCUPS(t)
	s := openStore(t)
	ctx := context.Background()
	c := &app.Complaint{Anonymous: true, Kind: app.KindComplaint, CategoryCode: "TEM-01",
		Description: "Sokakta çöp toplanmadı.", Channel: app.ChannelCounter}
	if err := s.FileComplaint(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, c); err != nil {
		t.Fatal(err)
	}
	_, pdf := receipt(t)
	p := cups.New(s, nil)
	start := time.Now()
	job, err := p.Print(ctx, closed, "Makbuz "+c.TrackingCode.String(), pdf)
	if err == nil {
		t.Fatalf("a closed queue accepted job %s", job.SystemJob)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("a closed printer held the clerk for %v", time.Since(start))
	}
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "iş kabul etmiyor") || app.ErrorCode(err) != app.EINVALID {
		t.Errorf("error for the window: %v", err)
	}
	if job == nil || job.Status != app.PrintFailed || job.Error != app.ErrorMessage(err) {
		t.Fatalf("the refused job: %+v", job)
	}
	if _, err := s.ComplaintByTrackingCode(ctx, c.TrackingCode); err != nil {
		t.Fatalf("the complaint is lost: %v", err)
	}
	pending, err := p.Pending(ctx)
	if err != nil || len(pending) != 1 || pending[0].Status != app.PrintFailed || pending[0].Error == "" {
		t.Fatalf("pending: %+v %v", pending, err)
	}

	// The clerk picks a working printer and reprints.
	if _, err = p.Reprint(ctx, pending[0].ID, good); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reprint did not come out", func() bool {
		return apptest.Printed(dir, good, pdf)
	})
	if kept := follow(t, p, pending[0].ID); kept.Status != app.PrintPrinted || kept.Attempts != 2 || kept.Error != "" {
		t.Fatalf("after reprint: %+v", kept)
	}
}

func TestNoPrintSystem(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, printer, lp, want, code string
	}{
		{"no printer configured", "", "", "yazıcı tanımlanmamış", app.EINVALID},
		{"lp missing", "gise", filepath.Join(t.TempDir(), "no-lp"), "kurulu değil", app.EUNAVAILABLE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := cups.New(s, nil)
			p.LP = tc.lp
			_, err := p.Print(ctx, tc.printer, "Makbuz", []byte("%PDF-1.4"))
			if !strings.Contains(app.ErrorMessage(err), tc.want) || app.ErrorCode(err) != tc.code {
				t.Fatalf("got %v", err)
			}
		})
	}
	if list, _ := s.PrintJobs(ctx, 10, app.PrintFailed); len(list) != 2 {
		t.Fatalf("%d failed jobs kept, want 2", len(list))
	}
}

func TestHungSchedulerDoesNotBlock(t *testing.T) {
	lp := filepath.Join(t.TempDir(), "lp")
	if err := os.WriteFile(lp, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	p := cups.New(s, nil)
	p.LP, p.Timeout = lp, 300*time.Millisecond
	start := time.Now()
	_, err := p.Print(context.Background(), "gise", "Makbuz", []byte("%PDF-1.4"))
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Print took %v with a 300 ms timeout", took)
	}
	if !strings.Contains(app.ErrorMessage(err), "yanıt vermedi") {
		t.Fatalf("got %v", err)
	}
	if list, _ := s.PrintJobs(context.Background(), 10, app.PrintFailed); len(list) != 1 {
		t.Fatal("the timed-out job is not listed for reprint")
	}
}

// A paused queue accepts the job and holds it: the job waits, says why, and
// is never taken for printed; once the queue resumes it prints, once.
func TestPausedPrinterWaitsAndNeverPrinted(t *testing.T) {
	needCUPS(t)
	paused := pausedQueue(t)
	s := openStore(t)
	ctx := context.Background()
	p := cups.New(s, nil)
	_, pdf := receipt(t)
	job, err := p.Print(ctx, paused, "Makbuz", pdf)
	if err != nil {
		t.Fatalf("a paused queue still accepts jobs: %v", err)
	}
	for range 5 {
		j, err := p.Job(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != app.PrintSent || !strings.Contains(j.Waiting, "duraklatılmış") {
			t.Fatalf("a job on a paused queue: %+v", j)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if out, err := exec.Command("cupsenable", paused).CombinedOutput(); err != nil {
		t.Fatalf("cupsenable: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("cupsdisable", paused).Run() })
	if j := follow(t, p, job.ID); j.Status != app.PrintPrinted {
		t.Fatalf("after the queue resumed: %+v", j)
	}
}

func TestQueuesListsCUPS(t *testing.T) {
	good, broken, closed, _ := needCUPS(t)
	p := cups.New(openStore(t), nil)
	names, err := p.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{good, broken, closed} {
		if !slices.Contains(names, want) {
			t.Errorf("queues %v lack %q", names, want)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("queues not sorted: %v", names)
	}
}

// With no scheduler to ask, the list and the job's state fail with a
// sentence, never with a guess.
func TestUnreachableCUPS(t *testing.T) {
	s := openStore(t)
	p := cups.New(s, nil)
	p.Server = filepath.Join(t.TempDir(), "no-cups.sock")
	ctx := context.Background()
	if _, err := p.Queues(ctx); app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "ulaşılamadı") {
		t.Fatalf("queues: %v", err)
	}
	j := &app.PrintJob{Title: "Makbuz", Printer: "gise", PDF: []byte("%PDF-1.4"), Status: app.PrintQueued}
	if err := s.SavePrintJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdatePrintJob(ctx, j.ID, app.PrintSent, "gise", "gise-41", ""); err != nil {
		t.Fatal(err)
	}
	got, err := p.Job(ctx, j.ID)
	if app.ErrorCode(err) != app.EUNAVAILABLE || got == nil || got.Status != app.PrintSent {
		t.Fatalf("job: %+v %v", got, err)
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
