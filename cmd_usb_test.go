package main

import (
	"context"
	"database/sql"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kocasinan/gise/central"
)

// TestUSBThroughTheBinary runs the whole USB path with the real binary:
// gise enrol registers the keys, gise export writes the bundle (nothing
// delivered, the records "USB'de" in gise status), gise central import
// answers with a receipt (and refuses the same bundle again, writing its
// receipt anew), gise import-receipt applies it (and refuses it again).
func TestUSBThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	srv, err := central.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	token, err := srv.EnrolDevice(ctx, "KCS-SAHA-01")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	h := headless{bin: buildBinary(t), dataDir: t.TempDir(), lang: "C.UTF-8"}
	stdout, stderr, code := h.run(t, token+"\n", nil, "enrol", "--url", hs.URL, "--device-id", "KCS-SAHA-01")
	if code != 0 || !strings.Contains(stdout, "USB transfer: this terminal's keys are registered") {
		t.Fatalf("enrol: exit %d\n%s%s", code, stdout, stderr)
	}
	hs.Close()
	srv.Close() // the office is offline from here; the central runs as a command

	stick := t.TempDir()
	stdout, stderr, code = h.run(t, "", nil, "export", "--to", stick)
	if code != 0 || !strings.Contains(stdout, "written: aktarim-KCS-SAHA-01-") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(stick, "*"))
	hidden, _ := filepath.Glob(filepath.Join(stick, ".*"))
	if len(files) != 1 || len(hidden) != 0 {
		t.Fatalf("the stick holds %v and %v", files, hidden)
	}
	if stdout, _, _ = h.run(t, "", nil, "status"); !strings.Contains(stdout, "on USB:") || strings.Contains(stdout, "delivered: 1") {
		t.Fatalf("status after export:\n%s", stdout)
	}

	stdout, stderr, code = h.run(t, "", nil, "central", "import", "--data", dir, files[0])
	if code != 0 || !strings.Contains(stdout, "imported ") || !strings.Contains(stdout, "receipt: ") {
		t.Fatalf("central import: exit %d\n%s%s", code, stdout, stderr)
	}
	receipts, _ := filepath.Glob(filepath.Join(stick, "yanit-KCS-SAHA-01-*.gise"))
	if len(receipts) != 1 {
		t.Fatalf("receipts %v", receipts)
	}
	first, _ := os.ReadFile(receipts[0])
	os.Remove(receipts[0])
	stdout, stderr, code = h.run(t, "", nil, "central", "import", "--data", dir, files[0])
	if code != 1 || !strings.Contains(stderr, "daha önce içe aktarıldı") || !strings.Contains(stderr, "replayed") {
		t.Fatalf("central import again: exit %d\n%s%s", code, stdout, stderr)
	}
	if again, err := os.ReadFile(receipts[0]); err != nil || string(again) != string(first) {
		t.Fatalf("the receipt was not written again: %v", err)
	}

	stdout, stderr, code = h.run(t, "", nil, "import-receipt", receipts[0])
	if code != 0 || !strings.Contains(stdout, "Yanıt uygulandı") {
		t.Fatalf("import-receipt: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = h.run(t, "", nil, "import-receipt", receipts[0])
	if code != 1 || !strings.Contains(stderr, "daha önce uygulandı") {
		t.Fatalf("import-receipt again: exit %d\n%s%s", code, stdout, stderr)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dataDir, "gise.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var delivered, answered int
	db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'delivered'`).Scan(&delivered)
	db.QueryRow(`SELECT COUNT(*) FROM bundle_exports WHERE state = 'answered'`).Scan(&answered)
	if delivered < 2 || answered != 1 {
		t.Fatalf("%d delivered, %d bundles answered", delivered, answered)
	}
}
