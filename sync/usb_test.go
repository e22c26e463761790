package sync_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
	"github.com/kocasinan/gise/central/centraltest"
	gsync "github.com/kocasinan/gise/sync"
)

// TestUSBRoundTrip is the round trip: 5,000 records, every tenth
// naming its own attachment, exported to a stick, imported at the
// central, the receipt applied: every record at the central once, nothing
// pending, and the statuses the central set afterwards back at the
// terminal with the next receipt. On the SQLite central, and on
// PostgreSQL when GISE_TEST_PG is set. `go test -run USBRoundTrip -v` logs
// the time of each step.
func TestUSBRoundTrip(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testUSBRoundTrip(t, "") })
	t.Run("postgres", func(t *testing.T) { testUSBRoundTrip(t, centraltest.PostgresDSN(t)) })
}

func testUSBRoundTrip(t *testing.T, dsn string) {
	r := newUSBRigOn(t, dsn)
	atts := seedAttachments(t, r.store, r.path, 500)
	s := seedWithAttachments(t, r.path, 5000, atts, 10)
	step := time.Now()
	lap := func(what string) {
		t.Logf("%-8s %v", what, time.Since(step).Round(time.Millisecond))
		step = time.Now()
	}
	if n, _ := r.store.OnUSB(r.ctx); n != 0 {
		t.Fatalf("%d on the stick before any export", n)
	}
	files := r.export()
	lap("export")
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	if n, _ := r.store.OnUSB(r.ctx); n < 5000 {
		t.Fatalf("%d records shown on the stick, want 5000 and more", n)
	}
	if c, _ := r.store.OutboxCounts(r.ctx); c.Delivered != 0 {
		t.Fatalf("exporting marked %d delivered", c.Delivered)
	}
	receipt := r.importAt(files[0])
	lap("import")
	out := r.apply(receipt)
	lap("receipt")
	if out.Delivered < 5000 || out.Conflict+out.Rejected+out.Unanswered != 0 || out.UpdatesApplied == 0 {
		t.Fatalf("receipt: %+v", out)
	}
	if n := r.count(`SELECT COUNT(*) FROM attachments WHERE uploaded_at <> ''`); n != 500 {
		t.Fatalf("%d attachments marked uploaded, want 500", n)
	}
	// Statuses set at the central after the import come back with the next
	// receipt (the audit events of the first exchange are its records).
	for i := 0; i < 50; i++ {
		if err := r.c.srv.SetComplaintStatus(r.ctx, s.recs[i].ID, "in_progress", "Fen İşleri Müdürlüğüne iletildi"); err != nil {
			t.Fatal(err)
		}
	}
	out = r.apply(r.importAt(r.export()[0]))
	if out.UpdatesApplied != 50 {
		t.Fatalf("second receipt: %+v", out)
	}
	if statuses := r.count(`SELECT COUNT(*) FROM complaint_statuses WHERE status = 'in_progress'`); statuses != 50 {
		t.Fatalf("%d statuses back at the terminal, want 50", statuses)
	}
	checkSame(t, r.store, r.c.srv, s, 2)
	info, _ := os.Stat(files[0])
	t.Logf("bundle of 5,000 records and 500 attachments: %d bytes", info.Size())
}

// TestUSBReceiptRefusals: a receipt for another device, one applied
// already, a bundle offered as a receipt, and a changed receipt are each
// refused with a sentence and change nothing.
func TestUSBReceiptRefusals(t *testing.T) {
	r := newUSBRig(t)
	seedOutbox(t, r.path, 20, 0, 0)
	file := r.export()[0]
	receipt := r.importAt(file)

	other := newUSBRig(t)
	seedOutbox(t, other.path, 3, 0, 0)
	otherReceipt := other.importAt(other.export()[0])

	changed := filepath.Join(r.stick, "degismis"+".gise")
	b, _ := os.ReadFile(receipt)
	b[len(b)-40] ^= 0x20
	os.WriteFile(changed, b, 0o600)
	for _, c := range []struct {
		name, file, code string
	}{
		{"another device's receipt", otherReceipt, bundle.CodeOtherDevice},
		{"a bundle as a receipt (encrypted to the central)", file, bundle.CodeOtherDevice},
		{"a changed receipt", changed, bundle.CodeDamaged},
	} {
		_, err := r.usb.ApplyReceipt(r.ctx, r.actor, c.file)
		if bundle.RefusalCode(err) != c.code || app.ErrorMessage(err) == "" {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if c, _ := r.store.OutboxCounts(r.ctx); c.Delivered != 0 {
		t.Fatalf("a refused receipt delivered %d", c.Delivered)
	}
	r.apply(receipt)
	before, _ := r.store.OutboxCounts(r.ctx)
	_, err := r.usb.ApplyReceipt(r.ctx, r.actor, receipt)
	if bundle.RefusalCode(err) != bundle.CodeApplied {
		t.Fatalf("applied twice: %v", err)
	}
	if after, _ := r.store.OutboxCounts(r.ctx); after.Delivered != before.Delivered || after.PendingTotal != before.PendingTotal {
		t.Fatalf("the second application changed the outbox: %+v → %+v", before, after)
	}
}

// TestUSBExportNoKeys: a terminal enrolled before USB transfer existed
// (no bundle keys) is told to enrol again; nothing is written or marked.
func TestUSBExportNoKeys(t *testing.T) {
	store, path := openStore(t)
	seedOutbox(t, path, 3, 0, 0)
	usb := &gsync.USB{Store: store, Keys: terminalKey(path)}
	stick := t.TempDir()
	_, err := usb.Export(context.Background(), app.Actor{Username: "cli:test", Role: app.RoleAdmin}, stick, nil)
	if bundle.RefusalCode(err) != bundle.CodeNoKeys {
		t.Fatalf("export without keys: %v", err)
	}
	if entries, _ := os.ReadDir(stick); len(entries) != 0 {
		t.Fatalf("the stick holds %d files", len(entries))
	}
}
