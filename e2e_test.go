package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/auth"
	_ "modernc.org/sqlite"
)

// TestEndToEnd starts the real binary in a real X server and drives it with
// xdotool as a clerk would, keyboard only: first-run setup of the
// administrator (TOTP from the secret the screen shows), a clerk account,
// the clerk's first login, registering a citizen after the notice, a paper
// complaint with its receipt printed to a CUPS file printer. Then it checks
// the database and the outbox.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary")
	}
	x := newXDriver(t)
	bin := buildBinary(t)
	dataDir := t.TempDir()
	cfgPath := filepath.Join(dataDir, "gise.toml")
	printer := os.Getenv("GISE_TEST_PRINTER")
	cfg := fmt.Sprintf("terminal_id = \"KCS-E2E-01\"\nlanguage = \"tr\"\n[printer]\nname = %q\n", printer)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", cfgPath, "--data-dir", dataDir)
	cmd.Env = append(os.Environ(), "LANG=tr_TR.UTF-8", "LC_ALL=")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		if t.Failed() {
			t.Logf("kiosk output:\n%s", stderr.String())
		}
	})
	x.waitWindow("Gişe")
	db := openDB(t, filepath.Join(dataDir, "gise.db"))

	// First run: the administrator.
	x.typeText("bilgi.islem")
	x.key("Tab")
	x.typeText("Erciyes-Kayseri-38")
	x.key("Tab")
	x.typeText("Erciyes-Kayseri-38")
	x.key("Tab", "space")
	x.sleep(2 * time.Second) // the password hash
	adminSecret := x.copySecret()
	x.typeText(code(t, adminSecret))
	x.key("Return")
	x.waitFor(db, `SELECT COUNT(*) FROM accounts`, 1)
	x.key("space") // past the recovery codes
	x.sleep(time.Second)

	// The administrator opens a clerk's account.
	x.key("ctrl+5")
	x.sleep(time.Second)
	x.typeText("ayse.kaya")
	x.key("Tab", "Right", "Tab", "space") // role: the first, clerk; then "Hesap aç"
	x.waitFor(db, `SELECT COUNT(*) FROM accounts`, 2)
	x.sleep(500 * time.Millisecond)
	temp := x.clickCopyTempPassword()
	x.shot("e2e-copied")
	x.key("ctrl+q")
	x.sleep(time.Second)

	// The clerk's first login: temporary password, authenticator, new password.
	x.typeText("ayse.kaya")
	x.key("Tab")
	x.typeText(temp)
	x.key("Return")
	x.sleep(2 * time.Second)
	x.shot("e2e-clerk-enrol")
	clerkSecret := x.copySecret()
	x.typeText(code(t, clerkSecret))
	x.key("Return")
	x.sleep(time.Second)
	x.typeText("Talas-Hisarcik-2026")
	x.key("Tab")
	x.typeText("Talas-Hisarcik-2026")
	x.key("Return")
	x.waitFor(db, `SELECT COUNT(*) FROM audit_events WHERE action = 'login.succeeded' AND actor = 'ayse.kaya'`, 1)
	x.sleep(time.Second)

	// Register a citizen: the notice on screen first, then the form.
	x.key("ctrl+1")
	x.sleep(time.Second)
	x.key("space") // "Ekranda okundu"
	x.sleep(time.Second)
	x.typeText("10000000146")
	x.key("Tab")
	x.paste("Işıl")
	x.key("Tab")
	x.paste("Çağlar")
	x.key("Tab")
	x.typeText("23.04.1985")
	x.key("Tab")
	x.typeText("0532 123 45 67")
	x.key("ctrl+s")
	x.waitFor(db, `SELECT COUNT(*) FROM citizens WHERE first_name = 'Işıl' AND last_name = 'Çağlar'`, 1)
	x.sleep(time.Second)

	// A paper complaint for her, with its receipt printed.
	x.key("space") // "Bu vatandaş için başvuru kaydet"
	x.sleep(time.Second)
	x.key("Right", "Tab", "Right", "Tab", "Tab") // kind, category, past the neighbourhood
	x.paste("Sokağımızdaki çöp konteyneri üç gündür boşaltılmadı.")
	x.key("Tab", "Tab", "Tab") // past the address and the paper check box
	x.typeText("EVR-2026/1183")
	x.key("Tab")
	x.typeText(time.Now().Format("02.01.2006"))
	x.key("ctrl+s")
	x.waitFor(db, `SELECT COUNT(*) FROM complaints WHERE channel = 'paper' AND paper_ref = 'EVR-2026/1183'`, 1)
	x.shot("e2e-complaint")

	checkEndState(t, db)
	if printer != "" {
		waitForPrint(t, db)
	} else {
		t.Log("GISE_TEST_PRINTER unset: the receipt was not printed (run under scripts/with-services.sh)")
	}
}

// checkEndState checks what the flows left in the store: every record with
// its outbox record, and a chain that verifies.
func checkEndState(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, q := range []struct {
		query string
		want  int
	}{
		{`SELECT COUNT(*) FROM notice_acks WHERE citizen_id IS NOT NULL AND delivery = 'screen'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE type = 'citizen.registered' AND json_extract(data, '$.phone') = '+905321234567'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE type = 'complaint.filed' AND json_extract(data, '$.clerk') = 'ayse.kaya'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE type = 'notice.acknowledged'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE state <> 'pending'`, 0},
		{`SELECT COUNT(*) FROM audit_events WHERE terminal_id <> 'KCS-E2E-01'`, 0},
	} {
		if got := count(t, db, q.query); got != q.want {
			t.Errorf("%s: %d, want %d", q.query, got, q.want)
		}
	}
	var events, queued int
	events = count(t, db, `SELECT COUNT(*) FROM audit_events`)
	queued = count(t, db, `SELECT COUNT(*) FROM outbox WHERE type = 'audit.event'`)
	if events == 0 || events != queued {
		t.Errorf("%d audit events, %d queued", events, queued)
	}
}

func waitForPrint(t *testing.T, db *sql.DB) {
	t.Helper()
	dir := os.Getenv("GISE_TEST_PRINT_DIR")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if matches, _ := filepath.Glob(filepath.Join(dir, "*.pdf")); len(matches) > 0 {
			if data, err := os.ReadFile(matches[0]); err == nil && bytes.HasPrefix(data, []byte("%PDF")) {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Errorf("no receipt came out of the CUPS file printer in %s", dir)
}

func code(t *testing.T, secret string) string {
	t.Helper()
	c, err := auth.CodeAt(secret, time.Now())
	if err != nil {
		t.Fatalf("code for the shown secret %q: %v", secret, err)
	}
	return c
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		return -1
	}
	return n
}

// buildBinary builds the kiosk as make build does.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gise")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}
