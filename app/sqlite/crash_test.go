package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// crashChildEnv names the database a crash-test child writes to.
const crashChildEnv = "GISE_CRASH_CHILD_DB"

// TestCrashChild is not a test on its own: TestCrashKill runs the test binary
// again with crashChildEnv set, and this function then writes records in a
// loop, printing "ok TYPE ID" after each commit returns, until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("run by TestCrashKill")
	}
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	s.TerminalID = "KCS-CRASH"
	out := bufio.NewWriter(os.Stdout)
	seed := int(time.Now().UnixNano() % 1e8)
	for i := 0; ; i++ {
		c := citizen(t, seed*100+i, "Çağla", "Işıkoğlu")
		if err := s.RegisterCitizen(context.Background(), clerk, c, nil); err != nil {
			if app.ErrorCode(err) == app.ECONFLICT {
				continue
			}
			fmt.Fprintln(out, "error:", err)
			out.Flush()
			os.Exit(3)
		}
		fmt.Fprintln(out, "ok citizen", c.ID)
		out.Flush()
		k := complaint(c.ID)
		if err := s.FileComplaint(context.Background(), clerk, k); err != nil {
			fmt.Fprintln(out, "error:", err)
			out.Flush()
			os.Exit(3)
		}
		fmt.Fprintln(out, "ok complaint", k.ID)
		out.Flush()
	}
}

// TestCrashKill kills a writing child with SIGKILL at random moments, twenty
// times, and after each kill checks that the file is sound, that every write
// the child reported committed is there with its outbox record and audit
// event, and that the audit chain verifies.
func TestCrashKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process 20 times")
	}
	path := filepath.Join(t.TempDir(), "gise.db")
	reported := map[string]string{} // id → type
	for round := range 20 {
		runAndKill(t, path, time.Duration(50+rand.IntN(250))*time.Millisecond, reported)
		checkAfterCrash(t, path, reported, round)
	}
	t.Logf("%d writes reported committed across 20 kills", len(reported))
	if len(reported) < 40 {
		t.Errorf("only %d writes reported in 20 rounds: the child barely ran", len(reported))
	}
}

func runAndKill(t *testing.T, path string, after time.Duration, reported map[string]string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// Kill only once the child has started writing, then at a random moment.
	first, ok := <-lines
	if !ok {
		t.Fatal("the child wrote nothing")
	}
	time.Sleep(after)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	for _, line := range append([]string{first}, drain(lines)...) {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == "ok" {
			reported[f[2]] = f[1]
		} else if strings.HasPrefix(line, "error") {
			t.Fatalf("child: %s", line)
		}
	}
	_ = cmd.Wait()
}

func drain(lines <-chan string) []string {
	var out []string
	for l := range lines {
		out = append(out, l)
	}
	return out
}

func checkAfterCrash(t *testing.T, path string, reported map[string]string, round int) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, terminalKey(path))
	if err != nil {
		t.Fatalf("round %d: reopen: %v", round, err)
	}
	defer s.Close()
	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("round %d: integrity_check %q %v", round, res, err)
	}
	db := openedDB(t, s)
	rows := ids(t, db, `SELECT id FROM citizens UNION ALL SELECT id FROM complaints`)
	queued := ids(t, db, `SELECT COALESCE(json_extract(data, '$.complaint_id'), json_extract(data, '$.citizen_id'))
		FROM outbox WHERE type IN ('citizen.registered', 'complaint.filed')`)
	audited := ids(t, db, `SELECT object FROM audit_events WHERE action IN ('citizen.registered', 'complaint.filed')`)
	for id, typ := range reported {
		if rows[id] != 1 || queued[id] != 1 || audited[id] != 1 {
			t.Fatalf("round %d: reported %s %s: %d rows, %d outbox records, %d audit events; want 1 each",
				round, typ, id, rows[id], queued[id], audited[id])
		}
	}
	// Writes the child committed but never got to report are allowed; a row
	// without its record or its audit event is not.
	for id := range rows {
		if queued[id] != 1 || audited[id] != 1 {
			t.Fatalf("round %d: row %s has %d outbox records and %d audit events", round, id, queued[id], audited[id])
		}
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("round %d: audit chain %+v %v", round, rep, err)
	}
}

// ids counts the values of a one-column query.
func ids(t *testing.T, db *sql.DB, query string) map[string]int {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id]++
	}
	return out
}
