package cups_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
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

func TestPrintReachesRealCUPS(t *testing.T) {
	good, _, _, dir := needCUPS(t)
	s := openStore(t)
	p := cups.New(good, s, nil)
	code, pdf := receipt(t)
	ctx := context.Background()
	job, err := p.Print(ctx, "Makbuz "+code.String(), pdf)
	if err != nil {
		t.Fatal(app.ErrorMessage(err), err)
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(good) + `-\d+$`).MatchString(job) {
		t.Fatalf("job ID %q", job)
	}
	out := filepath.Join(dir, good+".pdf")
	eventually(t, "the PDF did not come out of the file printer", func() bool {
		got, _ := os.ReadFile(out)
		return bytes.Equal(got, pdf)
	})
	eventually(t, "the job was not marked printed", func() bool {
		if err := p.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := s.PrintJobs(ctx, 10)
		return len(list) == 1 && list[0].Status == cups.Printed && list[0].CUPSJob == job
	})
	if pending, _ := p.Pending(ctx); len(pending) != 0 {
		t.Fatalf("a printed job is listed for reprint: %+v", pending[0])
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
	p := cups.New(closed, s, nil)
	start := time.Now()
	job, err := p.Print(ctx, "Makbuz "+c.TrackingCode.String(), pdf)
	if err == nil {
		t.Fatalf("a closed queue accepted job %s", job)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("a closed printer held the clerk for %v", time.Since(start))
	}
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "iş kabul etmiyor") {
		t.Errorf("message for the window: %q", msg)
	}
	if _, err := s.ComplaintByTrackingCode(ctx, c.TrackingCode); err != nil {
		t.Fatalf("the complaint is lost: %v", err)
	}
	pending, err := p.Pending(ctx)
	if err != nil || len(pending) != 1 || pending[0].Status != cups.Failed || pending[0].Error == "" {
		t.Fatalf("pending: %+v %v", pending, err)
	}

	// The clerk switches to a working printer and reprints from the list.
	p.Name = good
	job, err = p.Reprint(ctx, pending[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reprint did not come out", func() bool {
		got, _ := os.ReadFile(filepath.Join(dir, good+".pdf"))
		return bytes.Equal(got, pdf)
	})
	kept, _ := s.PrintJob(ctx, pending[0].ID)
	if kept.CUPSJob != job || kept.Attempts != 2 || kept.Error != "" {
		t.Fatalf("after reprint: %+v", kept)
	}
}

func TestBrokenDeviceIsListedForReprint(t *testing.T) {
	_, broken, _, _ := needCUPS(t)
	s := openStore(t)
	ctx := context.Background()
	p := cups.New(broken, s, nil)
	_, pdf := receipt(t)
	job, err := p.Print(ctx, "Makbuz", pdf)
	if err != nil {
		t.Fatalf("CUPS should accept the job before the device fails: %v", err)
	}
	eventually(t, "the failed device was not noticed", func() bool {
		if err := p.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := p.Pending(ctx)
		return len(list) == 1 && list[0].Status == cups.Failed && list[0].CUPSJob == job
	})
	list, _ := p.Pending(ctx)
	t.Logf("window says: %s", list[0].Error)
	if !strings.Contains(list[0].Error, "yeniden yazdırın") {
		t.Errorf("the message does not say what to do: %q", list[0].Error)
	}
}

func TestNoPrintSystem(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, printer, lp, want string
	}{
		{"no printer configured", "", "", "yazıcı tanımlanmamış"},
		{"lp missing", "gise", filepath.Join(t.TempDir(), "no-lp"), "kurulu değil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := cups.New(tc.printer, s, nil)
			p.LP = tc.lp
			if _, err := p.Print(ctx, "Makbuz", []byte("%PDF-1.4")); !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if list, _ := s.PrintJobs(ctx, 10, cups.Failed); len(list) != 2 {
		t.Fatalf("%d failed jobs kept, want 2", len(list))
	}
}

func TestHungSchedulerDoesNotBlock(t *testing.T) {
	lp := filepath.Join(t.TempDir(), "lp")
	if err := os.WriteFile(lp, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	p := cups.New("gise", s, nil)
	p.LP, p.Timeout = lp, 300*time.Millisecond
	start := time.Now()
	_, err := p.Print(context.Background(), "Makbuz", []byte("%PDF-1.4"))
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Print took %v with a 300 ms timeout", took)
	}
	if !strings.Contains(app.ErrorMessage(err), "yanıt vermedi") {
		t.Fatalf("got %v", err)
	}
	if list, _ := s.PrintJobs(context.Background(), 10, cups.Failed); len(list) != 1 {
		t.Fatal("the timed-out job is not listed for reprint")
	}
}

func TestPausedPrinterIsListedForReprint(t *testing.T) {
	needCUPS(t)
	paused := os.Getenv("GISE_TEST_PRINTER_PAUSED")
	if paused == "" {
		t.Skip("GISE_TEST_PRINTER_PAUSED is unset: scripts/cups.sh creates it")
	}
	s := openStore(t)
	ctx := context.Background()
	p := cups.New(paused, s, nil)
	_, pdf := receipt(t)
	job, err := p.Print(ctx, "Makbuz", pdf)
	if err != nil {
		t.Fatalf("a paused queue still accepts jobs: %v", err)
	}
	eventually(t, "the paused printer was not noticed", func() bool {
		if err := p.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := p.Pending(ctx)
		return len(list) == 1 && list[0].Status == cups.Failed && list[0].CUPSJob == job
	})
	list, _ := p.Pending(ctx)
	if !strings.Contains(list[0].Error, "durdurulmuş") {
		t.Errorf("the window's message: %q", list[0].Error)
	}
	// Someone resumes the queue: CUPS prints the waiting copy, and the job
	// leaves the reprint list without a second copy.
	if out, err := exec.Command("cupsenable", paused).CombinedOutput(); err != nil {
		t.Fatalf("cupsenable: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("cupsdisable", paused).Run() })
	eventually(t, "the job printed after the queue resumed is still listed", func() bool {
		if err := p.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := p.Pending(ctx)
		return len(list) == 0
	})
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
