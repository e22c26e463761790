package sync_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/bundle"
	"github.com/kocasinan/gise/central"
)

// TestUSBImportChild is the importing process of TestUSBImportKilled; it
// runs only when that test starts it.
func TestUSBImportChild(t *testing.T) {
	dir, file := os.Getenv("GISE_USB_CENTRAL"), os.Getenv("GISE_USB_BUNDLE")
	if dir == "" {
		t.Skip("only runs as TestUSBImportKilled's child")
	}
	ctx := context.Background()
	srv, err := central.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := srv.ImportBundle(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(filepath.Dir(file), out.ReceiptName), out.Receipt, 0o600)
}

// TestUSBImportKilled kills a central process five times while it imports
// one bundle (3,000 records, 300 attachments), at random moments, then
// imports once more undisturbed (or, when a child had finished, takes the
// receipt the central issued) and applies the receipt: every record at
// the central once, the terminal's states the central's.
func TestUSBImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills: five SIGKILLs of an importing central")
	}
	r := newUSBRig(t)
	atts := seedAttachments(t, r.store, r.path, 300)
	s := seedWithAttachments(t, r.path, 3000, atts, 10)
	file := r.export()[0]
	r.c.http.Close()
	r.c.srv.Close()
	rng := rand.New(rand.NewPCG(17, 2026))
	// The first kill at a random moment of the start (verifying, spooling,
	// storing attachments), the others once the central has committed a
	// random number of the records.
	thresholds := []int{0, 1 + rng.IntN(800), 800 + rng.IntN(800), 1600 + rng.IntN(800), 2400 + rng.IntN(500)}
	killed := 0
	for _, at := range thresholds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestUSBImportChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GISE_USB_CENTRAL="+r.dir, "GISE_USB_BUNDLE="+file)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if at == 0 {
			time.Sleep(time.Duration(100+rng.IntN(300)) * time.Millisecond)
		} else {
			waitForRecords(r.dir, at, exited)
		}
		select {
		case err := <-exited:
			exited <- err
		default:
			cmd.Process.Signal(syscall.SIGKILL)
			killed++
		}
		var ee *exec.ExitError
		if err := <-exited; err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
	}
	if killed < 4 {
		t.Errorf("only %d of 5 kills landed on a running import", killed)
	}
	r.openCentral()
	held := 0
	r.c.srv.ForEachRecord(r.ctx, func(central.StoredRecord) error { held++; return nil })
	t.Logf("%d kills landed; after them the central holds %d records", killed, held)
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.c.srv.ImportBundle(r.ctx, f)
	f.Close()
	if bundle.RefusalCode(err) == bundle.CodeReplayed {
		t.Log("a child finished the import; taking the receipt it issued")
		var ok bool
		out, ok, err = r.c.srv.IssuedReceipt(r.ctx, bundleIDOf(t, r, file))
		if !ok {
			t.Fatal("replayed, yet no receipt issued")
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	receipt := filepath.Join(r.stick, out.ReceiptName)
	os.WriteFile(receipt, out.Receipt, 0o600)
	r.apply(receipt)
	if err := r.online(3); err != nil {
		t.Fatal(err)
	}
	checkSame(t, r.store, r.c.srv, s, 0)
}

// waitForRecords returns once the central in dir holds at least n
// records, or the child has exited (its exit is put back), or after 20 s.
func waitForRecords(dir string, n int, exited chan error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "central.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return
	}
	defer db.Close()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		select {
		case err := <-exited:
			exited <- err
			return
		default:
		}
		var now int
		if db.QueryRow(`SELECT COUNT(*) FROM records`).Scan(&now); now >= n {
			return
		}
	}
}

// bundleIDOf returns the id of the one bundle the terminal exported.
func bundleIDOf(t *testing.T, r *usbRig, file string) string {
	t.Helper()
	rows := r.strings(`SELECT id FROM bundle_exports WHERE file_name = '` + filepath.Base(file) + `'`)
	if len(rows) != 1 {
		t.Fatalf("%d bundles named %s", len(rows), file)
	}
	return rows[0]
}
