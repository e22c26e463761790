package main

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// captureStdout runs fn and returns what it printed.
func captureStdout(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	err = fn()
	os.Stdout = old
	w.Close()
	b, _ := io.ReadAll(r)
	return string(b), err
}

func TestAuditAndKVKKCommands(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// An object shaped like a national ID must leave masked.
	if err := store.Audit(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, "test.event", "10000000146"); err != nil {
		t.Fatal(err)
	}
	store.Close()

	if out, err := captureStdout(t, func() error { return runKVKK(ctx, cfg, []string{"report"}) }); err != nil ||
		!strings.Contains(out, "citizens") || !strings.Contains(out, "audit.event") {
		t.Fatalf("kvkk report: %v\n%s", err, out)
	}
	if out, err := captureStdout(t, func() error { return runAudit(ctx, cfg, []string{"verify"}) }); err != nil ||
		!strings.HasPrefix(out, "ok:") {
		t.Fatalf("audit verify: %v %q", err, out)
	}
	day := time.Now().Format(app.DateLayout)
	out, err := captureStdout(t, func() error { return runAudit(ctx, cfg, []string{"export", "--from", day}) })
	if err != nil || strings.Contains(out, "10000000146") || !strings.Contains(out, "100******46") {
		t.Fatalf("audit export: %v\n%s", err, out)
	}

	db, err := sql.Open("sqlite", "file:"+cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TRIGGER audit_events_refuse_update; UPDATE audit_events SET actor = 'mallory'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = captureStdout(t, func() error { return runAudit(ctx, cfg, []string{"verify"}) })
	var broken auditBroken
	if !errors.As(err, &broken) || exitCode(err) != 2 {
		t.Fatalf("verify of a changed chain: %v (exit %d)", err, exitCode(err))
	}
}
