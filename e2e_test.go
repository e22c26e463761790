package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
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
	k := startKiosk(t, "")
	k.setupAdmin()
	temp := k.createClerk("ayse.kaya")
	k.firstLogin("ayse.kaya", temp, "Talas-Hisarcik-2026")
	k.register("10000000146", "Işıl", "Çağlar")
	k.paperComplaint("EVR-2026/1183")
	k.x.shot("e2e-complaint")
	checkEndState(t, k.db, k.dataDir)
	if k.printer != "" {
		waitForPrint(t, k.db)
	} else {
		t.Log("GISE_TEST_PRINTER unset: the receipt was not printed (run under scripts/with-services.sh)")
	}
}

// kiosk is the real binary running in the X server, with its database.
type kiosk struct {
	t       *testing.T
	x       *xDriver
	db      *sql.DB
	dataDir string
	printer string
	cmd     *exec.Cmd
}

// startKiosk builds and starts the binary on a fresh data directory; env
// adds variables (GISE_MEMSTATS for the soak).
func startKiosk(t *testing.T, env ...string) *kiosk {
	t.Helper()
	x := newXDriver(t)
	bin := buildBinary(t)
	k := &kiosk{t: t, x: x, dataDir: t.TempDir(), printer: os.Getenv("GISE_TEST_PRINTER")}
	cfgPath := filepath.Join(k.dataDir, "gise.toml")
	cfg := fmt.Sprintf("terminal_id = \"KCS-E2E-01\"\nlanguage = \"tr\"\n[printer]\nname = %q\n[session]\nidle_lock = \"2m\"\n", k.printer)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	k.cmd = exec.Command(bin, "--config", cfgPath, "--data-dir", k.dataDir)
	k.cmd.Env = append(append(os.Environ(), "LANG=tr_TR.UTF-8", "LC_ALL="), env...)
	var out bytes.Buffer
	k.cmd.Stdout, k.cmd.Stderr = &out, &out
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = k.cmd.Process.Kill()
		_, _ = k.cmd.Process.Wait()
		if t.Failed() {
			t.Logf("kiosk output:\n%s", out.String())
		}
	})
	x.waitWindow("Gişe")
	k.db = openDB(t, filepath.Join(k.dataDir, "gise.db"))
	return k
}

// setupAdmin walks the first-run setup with the secret the screen shows.
func (k *kiosk) setupAdmin() {
	x := k.x
	x.typeText("bilgi.islem")
	x.key("Tab")
	x.typeText("Erciyes-Kayseri-38")
	x.key("Tab")
	x.typeText("Erciyes-Kayseri-38")
	x.key("Tab", "space")
	x.sleep(3 * time.Second) // the password hash, then the screen
	secret := x.copySecret()
	x.typeText(code(k.t, secret))
	x.key("Return")
	x.waitFor(k.db, `SELECT COUNT(*) FROM accounts`, 1)
	x.key("space") // past the recovery codes
	x.sleep(time.Second)
}

// createClerk opens a clerk's account as the administrator, logs out and
// returns the temporary password.
func (k *kiosk) createClerk(user string) string {
	x := k.x
	x.key("ctrl+5")
	x.sleep(time.Second)
	x.typeText(user)
	x.key("Tab", "Right", "Tab", "space") // role: the first, clerk; then "Hesap aç"
	x.waitFor(k.db, `SELECT COUNT(*) FROM accounts WHERE role = 'clerk'`, 1)
	x.sleep(500 * time.Millisecond)
	temp := x.clickCopyTempPassword()
	x.key("ctrl+q")
	x.sleep(time.Second)
	return temp
}

// firstLogin logs a new clerk in: temporary password, authenticator (and
// its recovery codes, shown once), new password.
func (k *kiosk) firstLogin(user, temp, password string) {
	x := k.x
	x.typeText(user)
	x.key("Tab")
	x.typeText(temp)
	x.key("Return")
	x.waitFor(k.db, `SELECT COUNT(*) FROM audit_events WHERE action = 'login.password_accepted' AND actor = '`+user+`'`, 1)
	x.sleep(1500 * time.Millisecond) // the new authenticator secret, then the screen
	secret := x.copySecret()
	x.typeText(code(k.t, secret))
	x.key("Return")
	x.sleep(time.Second)
	x.key("space") // past the recovery codes
	x.sleep(500 * time.Millisecond)
	x.typeText(password)
	x.key("Tab")
	x.typeText(password)
	x.key("Return")
	x.waitFor(k.db, `SELECT COUNT(*) FROM audit_events WHERE action = 'login.succeeded' AND actor = '`+user+`'`, 1)
	x.sleep(time.Second)
}

// register registers a citizen after showing the notice on screen.
func (k *kiosk) register(nationalID, first, last string) {
	x := k.x
	before := count(k.t, k.db, `SELECT COUNT(*) FROM citizens`)
	x.key("ctrl+1")
	x.sleep(time.Second)
	x.key("space") // "Ekranda okundu"
	x.sleep(time.Second)
	x.typeText(nationalID) // the form's rows: national ID and birth date, names, contact
	x.key("Tab")
	x.typeText("23.04.1985")
	x.key("Tab")
	x.paste(first)
	x.key("Tab")
	x.paste(last)
	x.key("Tab")
	x.typeText("0532 123 45 67")
	x.key("ctrl+s")
	x.waitFor(k.db, `SELECT COUNT(*) FROM citizens`, before+1)
	x.sleep(time.Second)
}

// paperComplaint records a paper complaint for the citizen whose page is
// open, with its receipt printed.
func (k *kiosk) paperComplaint(ref string) {
	x := k.x
	x.key("space") // "Bu vatandaş için başvuru kaydet"
	x.sleep(time.Second)
	x.key("Right", "Tab", "Right", "Tab", "Tab", "Tab") // kind, category, past the neighbourhood and the address
	x.paste("Sokağımızdaki çöp konteyneri üç gündür boşaltılmadı.")
	x.key("Tab", "Tab") // past the paper check box
	x.typeText(ref)
	x.key("Tab")
	x.typeText(time.Now().Format("02.01.2006"))
	x.key("ctrl+s")
	x.waitFor(k.db, `SELECT COUNT(*) FROM complaints WHERE channel = 'paper' AND paper_ref = '`+ref+`'`, 1)
}

// checkEndState checks what the flows left in the store: every record with
// its outbox record, and a chain that verifies. Payloads are sealed at rest,
// so their content is read through the store with the terminal's key.
func checkEndState(t *testing.T, db *sql.DB, dataDir string) {
	t.Helper()
	for _, q := range []struct {
		query string
		want  int
	}{
		{`SELECT COUNT(*) FROM notice_acks WHERE citizen_id IS NOT NULL AND delivery = 'screen'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE type = 'citizen.registered'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE type = 'complaint.filed'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE type = 'notice.acknowledged'`, 1},
		{`SELECT COUNT(*) FROM outbox WHERE state <> 'pending'`, 0},
		{`SELECT COUNT(*) FROM audit_events WHERE terminal_id <> 'KCS-E2E-01'`, 0},
	} {
		if got := count(t, db, q.query); got != q.want {
			t.Errorf("%s: %d, want %d", q.query, got, q.want)
		}
	}
	events := count(t, db, `SELECT COUNT(*) FROM audit_events`)
	queued := count(t, db, `SELECT COUNT(*) FROM outbox WHERE type = 'audit.event'`)
	if events == 0 || events != queued {
		t.Errorf("%d audit events, %d queued", events, queued)
	}
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir, cfg.TerminalID = dataDir, "KCS-E2E-01"
	store, err := openStore(ctx, cfg) // the kiosk's own way in, with its key
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	entries, err := store.OutboxEntries(ctx, app.OutboxPending, 1000)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{app.TypeCitizenRegistered: `"phone":"+905321234567"`, app.TypeComplaintFiled: `"clerk":"ayse.kaya"`}
	for _, e := range entries {
		if w, ok := want[e.Type]; ok {
			if !strings.Contains(string(e.Data), w) {
				t.Errorf("%s payload %s lacks %s", e.Type, e.Data, w)
			}
			delete(want, e.Type)
		}
	}
	if len(want) != 0 {
		t.Errorf("records not found in the outbox: %v", want)
	}
	if rep, err := store.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Errorf("audit chain: %+v %v", rep, err)
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

// buildTags are the Makefile's: Fyne's threading migration, and no bundled
// emoji font (nothing on a counter's screens needs it; parsed once for every
// text style, it cost about 20 MB of resident memory).
const buildTags = "migrated_fynedo,no_emoji"

// buildBinary builds the kiosk as make build does.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gise")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-tags", buildTags, "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}
