package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/central"
)

// runGise runs the real binary on dataDir and returns its output and exit
// status.
func runGise(t *testing.T, bin, dataDir string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--data-dir", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), 0
}

// TestAuditTruncationAfterSync is issue 13's truncation test: the terminal
// syncs to a real reference central, which acknowledges its audit head;
// then the newest audit events are deleted with the triggers dropped, and
// their outbox records with them, so that nothing on the terminal but the
// acknowledged head remembers them. gise audit verify fails and names it.
func TestAuditTruncationAfterSync(t *testing.T) {
	ctx := context.Background()
	bin := buildBinary(t)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"ayse", "mehmet", "zeynep", "ayse", "emre"} {
		if err := store.Audit(ctx, app.Actor{Username: user, Role: app.RoleClerk}, "login.succeeded", user); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	srv, err := central.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	token, err := srv.EnrolDevice(ctx, "KCS-TEST-01")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	env := []string{"GISE_CENTRAL_URL=" + hs.URL, "GISE_DEVICE_ID=KCS-TEST-01", "GISE_CENTRAL_TOKEN=" + token, "LANG=C"}
	if out, code := runGise(t, bin, cfg.DataDir, env, "sync"); code != 0 {
		t.Fatalf("gise sync: exit %d\n%s", code, out)
	}
	head, err := srv.AuditHead(ctx, "KCS-TEST-01")
	if err != nil || head.Seq != 5 {
		t.Fatalf("central head %+v %v", head, err)
	}
	out, code := runGise(t, bin, cfg.DataDir, nil, "audit", "verify")
	if code != 0 || !strings.Contains(out, "acknowledged head seq 5, hash "+head.Hash) {
		t.Fatalf("verify after sync: exit %d\n%s", code, out)
	}

	db, err := sql.Open("sqlite", "file:"+cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER audit_events_refuse_delete`,
		`DELETE FROM audit_events WHERE seq > 3`,
		`DELETE FROM outbox WHERE type = 'audit.event' AND CAST(substr(subject, 7) AS INTEGER) > 3`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	out, code = runGise(t, bin, cfg.DataDir, nil, "audit", "verify")
	if code != 2 || !strings.Contains(out, "before the head the central acknowledged (seq 5, hash "+head.Hash+")") {
		t.Fatalf("verify after truncation: exit %d\n%s", code, out)
	}
	// The next event reuses sequence 4 (the repair of the dropped trigger
	// is one): the central refuses it and flags it for an operator.
	if out, code := runGise(t, bin, cfg.DataDir, env, "sync"); code != 0 {
		t.Fatalf("gise sync after truncation: exit %d\n%s", code, out)
	}
	flags, err := srv.AuditFlags(ctx, false)
	if err != nil || len(flags) != 1 || flags[0].Seq != 4 || flags[0].Code != app.AuditConflictSeqReused {
		t.Fatalf("central flags %+v %v", flags, err)
	}
}

// TestAuditVerifyNotesClockSetBack: events recorded with the clock set back
// verify, and gise audit verify says where time ran backwards.
func TestAuditVerifyNotesClockSetBack(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 5, 0, 0, time.UTC)
	store.Now = func() time.Time { return now }
	actor := app.Actor{Username: "ayse", Role: app.RoleClerk}
	store.Audit(ctx, actor, "login.succeeded", "ayse")
	now = now.Add(-5 * time.Minute)
	store.Audit(ctx, actor, "login.succeeded", "ayse")
	store.Close()
	out, err := captureStdout(t, func() error { return runAudit(ctx, cfg, []string{"verify"}) })
	want := "note: time runs backwards at event 2: 2026-11-28T10:00:00Z, after 2026-11-28T10:05:00Z (5m0s earlier)"
	if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "chain intact") ||
		!strings.Contains(out, "HMAC-SHA-256 under the terminal key from 1") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
}
