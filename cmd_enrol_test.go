package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

// headless runs the real binary with the C.UTF-8 locale (Debian's and
// Docker's default) and no central settings from the environment.
type headless struct {
	bin, dataDir string
	lang         string
}

// run runs one command with stdin and returns its output and exit status.
func (h headless) run(t *testing.T, stdin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(h.bin, append([]string{"--data-dir", h.dataDir}, args...)...)
	cmd.Env = append(cleanEnv(h.lang), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// cleanEnv is the test's environment without locale or central settings.
func cleanEnv(lang string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG") && !strings.HasPrefix(kv, "GISE_") {
			env = append(env, kv)
		}
	}
	return append(env, "LANG="+lang)
}

func TestEnrolThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	ctx := context.Background()
	srv, err := central.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	token, err := srv.EnrolDevice(ctx, "KCS-CLI-01")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	h := headless{bin: buildBinary(t), dataDir: t.TempDir(), lang: "C.UTF-8"}

	// On the command line the token is refused, before anything is saved.
	_, stderr, code := h.run(t, "", nil, "enrol", "--url", hs.URL, "--device-id", "KCS-CLI-01", "--token="+token)
	if code == 0 || !strings.Contains(stderr, "standard input") {
		t.Fatalf("--token: exit %d, %s", code, stderr)
	}
	// No token at all.
	if _, stderr, code = h.run(t, "", nil, "enrol", "--url", hs.URL, "--device-id", "KCS-CLI-01"); code == 0 {
		t.Fatalf("no token: exit 0, %s", stderr)
	}
	// From standard input; while the command waits for it, its arguments
	// (what ps shows) hold no token.
	cmdline := enrolWithPipedToken(t, h, token, "enrol", "--url", hs.URL, "--device-id", "KCS-CLI-01")
	if strings.Contains(cmdline, token) {
		t.Fatalf("the token shows in ps: %q", cmdline)
	}
	// A bad device id is refused by the service, naming the field.
	_, stderr, code = h.run(t, token+"\n", nil, "enrol", "--url", hs.URL, "--device-id", "../KCS")
	if code != 1 || !strings.Contains(stderr, "device_id") {
		t.Fatalf("bad device id: exit %d, %s", code, stderr)
	}
	// From the environment, to a central that is not there: saved, exit 4.
	_, stderr, code = h.run(t, "", []string{"GISE_CENTRAL_TOKEN=" + token}, "enrol", "--url", "http://127.0.0.1:1", "--device-id", "KCS-CLI-01")
	if code != 4 || !strings.Contains(stderr, "health") {
		t.Fatalf("unreachable central: exit %d, %s", code, stderr)
	}
	// Back to the real one; gise sync then delivers with the stored token.
	stdout, stderr, code := h.run(t, token+"\n", nil, "enrol", "--url", hs.URL, "--device-id", "KCS-CLI-01")
	if code != 0 || !strings.Contains(stdout, "central: ok") {
		t.Fatalf("enrol: exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout, stderr, code = h.run(t, "", nil, "sync"); code != 0 {
		t.Fatalf("sync with the stored enrolment: exit %d\n%s%s", code, stdout, stderr)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dataDir, "gise.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'terminal.enrolment_saved'
		AND actor LIKE 'cli:%' AND object = 'KCS-CLI-01'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("audited enrolments: %d (%v), want 3", n, err)
	}
}

// enrolWithPipedToken starts the command with a pipe for stdin, reads its
// command line from /proc while it waits for the token, then sends it.
func enrolWithPipedToken(t *testing.T, h headless, token string, args ...string) string {
	t.Helper()
	cmd := exec.Command(h.bin, append([]string{"--data-dir", h.dataDir}, args...)...)
	cmd.Env = cleanEnv(h.lang)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let it reach the read; the line is read either way
	cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "cmdline"))
	if err != nil {
		t.Fatal(err)
	}
	in.Write([]byte(token + "\n"))
	in.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("enrol with a piped token: %v\n%s", err, out.String())
	}
	return string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
}

func TestStatusListsProblemsAndExits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	ctx := context.Background()
	srv, err := central.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	token, _ := srv.EnrolDevice(ctx, "KCS-CLI-01")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	h := headless{bin: buildBinary(t), dataDir: t.TempDir(), lang: "C.UTF-8"}
	ids := fileTwoComplaints(t, h.dataDir)
	// The first complaint's category is retired centrally before it
	// arrives; another terminal already sent other data under the second's id.
	if err := srv.PublishCategory(ctx, central.Category{Code: "TEM-02", Name: "Sokak temizliği", Group: "Temizlik İşleri"}); err != nil {
		t.Fatal(err)
	}
	deliverAsOther(t, srv, hs.URL, ids[1])

	env := []string{"GISE_CENTRAL_URL=" + hs.URL, "GISE_DEVICE_ID=KCS-CLI-01", "GISE_CENTRAL_TOKEN=" + token}
	if stdout, stderr, code := h.run(t, "", env, "sync"); code != 0 {
		t.Fatalf("sync: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code := h.run(t, "", nil, "status")
	t.Logf("gise status:\n%s", stdout)
	if code != 4 {
		t.Fatalf("status with problems: exit %d, want 4\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"rejected (1):", ids[0], "invalid_category: category TEM-02 is retired",
		"conflict (1):", ids[1], "other data"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status does not show %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "Mimarsinan") || strings.Contains(stdout, "konteyner") {
		t.Errorf("status shows a record's data:\n%s", stdout)
	}
	// Revoked centrally: blocked, exit 5.
	srv.RevokeDevice(ctx, "KCS-CLI-01")
	h.run(t, "", env, "sync")
	if _, _, code := h.run(t, "", nil, "status"); code != 5 {
		t.Errorf("status while blocked: exit %d, want 5", code)
	}
}

// fileTwoComplaints files two complaints on the terminal's store in
// dataDir, as the counter screen would, and returns their outbox ids.
func fileTwoComplaints(t *testing.T, dataDir string) [2]string {
	t.Helper()
	ctx := context.Background()
	sealer, err := keys.LoadOrCreate(keys.DefaultPath(dataDir))
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(dataDir, "gise.db"), sealer)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, cat := range []string{"TEM-02", "TEM-01"} {
		c := &app.Complaint{Anonymous: true, Kind: app.KindComplaint, CategoryCode: cat, Channel: app.ChannelCounter,
			Description: "Mimarsinan Mah. konteyner taşıyor"}
		if err := store.FileComplaint(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, c); err != nil {
			t.Fatal(err)
		}
	}
	pending, _, err := store.PendingBatch(ctx, 0, 100, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var ids [2]string
	i := 0
	for _, r := range pending {
		if r.Type == app.TypeComplaintFiled && i < 2 {
			ids[i] = r.ID
			i++
		}
	}
	if i != 2 {
		t.Fatalf("%d complaints queued", i)
	}
	return ids
}

// deliverAsOther sends other data under id from another device.
func deliverAsOther(t *testing.T, srv *central.Server, url, id string) {
	t.Helper()
	ctx := context.Background()
	token, _ := srv.EnrolDevice(ctx, "KCS-OTHER-01")
	c, err := gsync.NewClient(gsync.Settings{BaseURL: url, DeviceID: "KCS-OTHER-01", Token: token}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rec := app.Record{ID: id, Type: app.TypeCitizenUpdated, Schema: 1, OccurredAt: time.Now(), Data: []byte(`{"x":1}`)}
	body, _ := c.MarshalBatch(uuid.NewString(), []app.Record{rec}, time.Now())
	if _, err := c.PostBatch(ctx, "other", body); err != nil {
		t.Fatal(err)
	}
}

func TestHeadlessCommandsSayNothingAboutTheLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	bin := buildBinary(t)
	for _, lang := range []string{"C", "C.UTF-8", "POSIX"} {
		h := headless{bin: bin, dataDir: t.TempDir(), lang: lang}
		for _, args := range [][]string{{"status"}, {"audit", "verify"}, {"help"}} {
			_, stderr, _ := h.run(t, "", nil, args...)
			stderr = strings.ReplaceAll(stderr, h.dataDir, "DIR") // the test's own name says Locale
			if strings.Contains(strings.ToLower(stderr), "locale") {
				t.Errorf("LANG=%s gise %s: %s", lang, strings.Join(args, " "), stderr)
			}
		}
	}
}
