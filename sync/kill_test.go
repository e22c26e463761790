package sync_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/sqlite"
	gsync "github.com/kocasinan/gise/sync"
)

// TestKillChild is the syncing process of TestKill; it runs only when
// TestKill starts it.
func TestKillChild(t *testing.T) {
	path := os.Getenv("GISE_KILL_DB")
	if path == "" {
		t.Skip("only runs as TestKill's child")
	}
	ctx := context.Background()
	store, err := sqlite.Open(ctx, path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	w, err := gsync.NewWorker(store, gsync.Settings{BaseURL: os.Getenv("GISE_KILL_URL"), DeviceID: deviceID,
		Token: os.Getenv("GISE_KILL_TOKEN")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.BatchRecords = 25 // many small batches: many moments to be killed in
	for {
		err := w.Sync(ctx)
		st, _ := w.Status(ctx)
		if err == nil && st.Counts.PendingTotal == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kill: ten SIGKILLs of a syncing process")
	}
	c := newCentral(t)
	store, path := openStore(t)
	s := seedOutbox(t, path, *queueSize, 97, 89)
	preloadConflicts(t, c, s)
	rng := rand.New(rand.NewPCG(10, 2026))
	killed := 0
	for range 10 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GISE_KILL_DB="+path, "GISE_KILL_URL="+c.http.URL, "GISE_KILL_TOKEN="+c.token)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForProgress(t, store)
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			killed++
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
	}
	counts, _ := store.OutboxCounts(context.Background())
	t.Logf("%d of 10 kills hit a running process; %d records left pending for the last run", killed, counts.PendingTotal)
	if killed < 8 {
		t.Errorf("only %d kills landed: the queue drained too fast to prove anything", killed)
	}
	// One last undisturbed run, then the end state the chaos test demands.
	w, err := gsync.NewWorker(store, c.settings(c.http.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkEndState(t, store, c, s)
	if res, err := store.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity after kills: %q %v", res, err)
	}
}

// waitForProgress returns once the child has delivered a batch, so that
// each kill lands while the child is syncing, not while it starts.
func waitForProgress(t *testing.T, store *sqlite.Store) {
	t.Helper()
	before, _ := store.OutboxCounts(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		now, _ := store.OutboxCounts(context.Background())
		if now.PendingTotal < before.PendingTotal || now.PendingTotal == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
