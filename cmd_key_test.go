package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/keys"
)

// The tests of this file and of cmd_backup_test.go and cmd_doctor_test.go
// run the real binary, built once per test run; GISE_TEST_BINARY names a
// binary built elsewhere instead (to run them against an older build).

var cli struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// TestMain removes the binary built for the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if cli.path != "" {
		os.RemoveAll(filepath.Dir(cli.path))
	}
	os.Exit(code)
}

// cliBinary returns the gise binary, building it on first use.
func cliBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	if p := os.Getenv("GISE_TEST_BINARY"); p != "" {
		return p
	}
	cli.once.Do(func() {
		dir, err := os.MkdirTemp("", "gise-cli-")
		if err != nil {
			cli.err = err
			return
		}
		cli.path = filepath.Join(dir, "gise")
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		cli.out, cli.err = exec.CommandContext(ctx, "go", "build", "-tags", buildTags, "-o", cli.path, ".").CombinedOutput()
	})
	if cli.err != nil {
		t.Fatalf("build: %v\n%s", cli.err, cli.out)
	}
	return cli.path
}

// run is one run of the binary: its output and exit status.
type run struct {
	stdout, stderr string
	code           int
}

func (r run) output() string { return r.stdout + r.stderr }

// gise runs the binary on cfg's data directory with stdin as its standard
// input (not a terminal: passphrases are read from it).
func gise(t *testing.T, cfg config.Config, stdin string, args ...string) run {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "gise.toml")
	// Only what a test set, so that an older binary reads the file too.
	set := map[string]any{}
	if cfg.Printer.Name != "" {
		set["printer"] = map[string]any{"name": cfg.Printer.Name}
	}
	if cfg.Central.URL != "" {
		set["central"] = map[string]any{"url": cfg.Central.URL}
	}
	if cfg.MRZReader.Port != "" {
		set["mrz_reader"] = map[string]any{"port": cfg.MRZReader.Port}
	}
	if cfg.Storage.MinFreeMB != config.Default().Storage.MinFreeMB {
		set["storage"] = map[string]any{"min_free_mb": cfg.Storage.MinFreeMB}
	}
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(set); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cliBinary(t), append([]string{"--config", conf, "--data-dir", cfg.DataDir}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=tr_TR.UTF-8", "LC_ALL=", "GISE_CENTRAL_URL=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := run{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("gise %v: %v", args, err)
	}
	return r
}

// terminalWithRecords makes a terminal under a new data directory, as the
// kiosk would, with n registered citizens, and returns its settings.
func terminalWithRecords(t *testing.T, n int) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	addCitizens(t, cfg, 0, n)
	return cfg
}

// addCitizens registers citizens from..from+n-1 on the terminal.
func addCitizens(t *testing.T, cfg config.Config, from, n int) {
	t.Helper()
	ctx := context.Background()
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for i := from; i < from+n; i++ {
		c, err := app.ParseCitizen(app.CitizenInput{NationalID: apptest.NationalID(i + 1), FirstName: "Işıl",
			LastName: "Çağlar", BirthDate: "23.04.1985", Phone: "0532 123 45 67"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		c.Channel = app.ChannelCounter
		if err := store.RegisterCitizen(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, &c, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// citizenOpens reports whether citizen i opens on the terminal, with the
// key in place, through the kiosk's own start path.
func citizenOpens(t *testing.T, cfg config.Config, i int) bool {
	t.Helper()
	store, _, err := openTerminal(context.Background(), cfg)
	if err != nil {
		t.Logf("open: %v", err)
		return false
	}
	defer store.Close()
	c, err := store.CitizenByNationalID(context.Background(), app.NationalID(apptest.NationalID(i+1)))
	return err == nil && c.FirstName == "Işıl"
}

const passphrase = "Erciyes'in karı Nisan'da erir 38"

// everyCommand is a run of each command that opens the terminal's store
// or key; TestMissingKeyRefusesEveryCommand checks it names them all.
var everyCommand = [][]string{
	{"status"}, {"sync", "--url", "http://127.0.0.1:9"}, {"audit", "verify"}, {"audit", "export", "--from", "2026-11-01"},
	{"kvkk", "report"}, {"kvkk", "destroy"}, {"kvkk", "rotate-key"}, {"doctor"},
	{"backup", "--out", "BACKUPS"}, {"key", "backup", "--out", "KEYFILE"},
	{"enrol", "--url", "http://127.0.0.1:9", "--device-id", "KCS-TEST-01"},
	{"export", "--to", "BACKUPS"}, {"import-receipt", "KEYFILE"},
}

// commandsWithoutStore are the commands that open no terminal store: the
// reference central has its own database; a restore brings the key back;
// version only prints.
var commandsWithoutStore = map[string]bool{"central": true, "restore": true, "key restore": true, "version": true}

func TestMissingKeyRefusesEveryCommand(t *testing.T) {
	cfg := terminalWithRecords(t, 3)
	keyPath := keys.DefaultPath(cfg.DataDir)
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{"key": true}
	for _, args := range everyCommand {
		covered[args[0]] = true
		args = replaceAll(args, "BACKUPS", t.TempDir(), "KEYFILE", filepath.Join(t.TempDir(), "k.backup"))
		r := gise(t, cfg, passphrase+"\n", args...)
		want := 4
		if args[0] == "doctor" { // a report of every check, failed
			want = 1
		}
		if r.code != want || !strings.Contains(r.output(), app.MsgKeyMissing) {
			t.Errorf("gise %s: exit %d, want %d and the sentence; output:\n%s", strings.Join(args, " "), r.code, want, r.output())
		}
		if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
			t.Fatalf("gise %s made a new key file", strings.Join(args, " "))
		}
	}
	var missed []string
	for name := range subcommands {
		if !covered[name] && !commandsWithoutStore[name] {
			missed = append(missed, name)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("commands not checked without their key: %v (add them to everyCommand)", missed)
	}
	// The kiosk's start, before any window: the same refusal.
	if _, _, err := openTerminal(context.Background(), cfg); app.ErrorCode(err) != app.EKEY || app.ErrorMessage(err) != app.MsgKeyMissing {
		t.Fatalf("kiosk start without its key: %v", err)
	}
	if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
		t.Fatal("the kiosk's start made a new key file")
	}
	// A brand-new terminal still makes its key, when the kiosk first starts
	// (a reading command there makes nothing: TestReadingCommandsMakeNoTerminal).
	fresh := config.Default()
	fresh.DataDir = t.TempDir()
	store, _, err := openTerminal(context.Background(), fresh)
	if err != nil {
		t.Fatalf("the kiosk's first start: %v", err)
	}
	store.Close()
	if _, err := os.Stat(keys.DefaultPath(fresh.DataDir)); err != nil {
		t.Fatalf("a new terminal has no key: %v", err)
	}
	if r := gise(t, fresh, "", "status"); r.code != 0 {
		t.Fatalf("status on a new terminal: %d\n%s", r.code, r.output())
	}
}

func TestKeyBackupAndRestore(t *testing.T) {
	cfg := terminalWithRecords(t, 3)
	backup := filepath.Join(t.TempDir(), "kocasinan-01.key.backup")
	if r := gise(t, cfg, "kısa\n", "key", "backup", "--out", backup); r.code == 0 || !strings.Contains(r.stderr, "en az 16 karakter") {
		t.Fatalf("a short passphrase: %d\n%s", r.code, r.output())
	}
	if r := gise(t, cfg, passphrase+"\n", "key", "backup", "--out", backup); r.code != 0 || !strings.Contains(r.stdout, "Anahtar yedeği yazıldı") {
		t.Fatalf("key backup: %d\n%s", r.code, r.output())
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the key backup: %v", err)
	}
	if r := gise(t, cfg, passphrase+"\n", "key", "backup", "--out", backup); r.code == 0 {
		t.Fatal("a key backup over an existing file")
	}

	keyPath := keys.DefaultPath(cfg.DataDir)
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	if r := gise(t, cfg, "Erciyes'in karı Mayıs'ta erir 38\n", "key", "restore", "--from", backup); r.code == 0 || !strings.Contains(r.stderr, "Parola yanlış") {
		t.Fatalf("a wrong passphrase: %d\n%s", r.code, r.output())
	}
	other := terminalWithRecords(t, 1)
	otherBackup := filepath.Join(t.TempDir(), "other.key.backup")
	if r := gise(t, other, passphrase+"\n", "key", "backup", "--out", otherBackup); r.code != 0 {
		t.Fatalf("other key backup: %d\n%s", r.code, r.output())
	}
	if r := gise(t, cfg, passphrase+"\n", "key", "restore", "--from", otherBackup); r.code != 4 || !strings.Contains(r.stderr, "veritabanını açmıyor") {
		t.Fatalf("another terminal's key: %d\n%s", r.code, r.output())
	}
	if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
		t.Fatal("a refused restore left a key file")
	}

	r := gise(t, cfg, passphrase+"\n", "key", "restore", "--from", backup)
	if r.code != 0 || !strings.Contains(r.stdout, "kayıtlarını açtığı denetlendi") {
		t.Fatalf("key restore: %d\n%s", r.code, r.output())
	}
	if info, err := os.Stat(keyPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("restored key: %v", err)
	}
	if r := gise(t, cfg, "", "status"); r.code != 0 {
		t.Fatalf("status after the restore: %d\n%s", r.code, r.output())
	}
	if !citizenOpens(t, cfg, 2) {
		t.Fatal("a record written before the loss does not open after the restore")
	}
}

// replaceAll replaces placeholders in args.
func replaceAll(args []string, pairs ...string) []string {
	out := append([]string(nil), args...)
	for i := range out {
		for j := 0; j+1 < len(pairs); j += 2 {
			if out[i] == pairs[j] {
				out[i] = pairs[j+1]
			}
		}
	}
	return out
}

// TestKioskShowsTheStartFailure starts the real kiosk in an X server on a
// terminal whose key is gone: a window opens with the failure screen (no
// login screen behind it), the sentence is printed, no key file appears,
// and closing the window exits with the key's status.
func TestKioskShowsTheStartFailure(t *testing.T) {
	x := newXDriver(t)
	cfg := terminalWithRecords(t, 1)
	keyPath := keys.DefaultPath(cfg.DataDir)
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cliBinary(t), "--data-dir", cfg.DataDir)
	cmd.Env = append(os.Environ(), "LANG=tr_TR.UTF-8", "LC_ALL=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	x.waitWindow("Gişe")
	x.shot("start-failure-key")
	if !strings.Contains(out.String(), app.MsgKeyMissing) {
		t.Errorf("the kiosk printed:\n%s", out.String())
	}
	if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
		t.Fatal("the kiosk made a new key file")
	}
	x.key("Tab", "space") // the only button: close
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 4 {
			t.Fatalf("the kiosk exited with %v, want status 4\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the close button did not close the kiosk\n%s", out.String())
	}
}

// TestReadingCommandsMakeNoTerminal: status, sync, audit and export on a
// data directory with no terminal in it (a mistyped --data-dir) say so
// and leave the directory empty; they never make a key there that the real
// database, restored there later, would refuse.
func TestReadingCommandsMakeNoTerminal(t *testing.T) {
	for _, args := range [][]string{{"status"}, {"sync"}, {"audit", "verify"}, {"export", "--to", ""}} {
		cfg := config.Default()
		cfg.DataDir = filepath.Join(t.TempDir(), "gise")
		if args[0] == "export" {
			args[2] = t.TempDir() // a stick
		}
		if err := os.Mkdir(cfg.DataDir, 0o700); err != nil {
			t.Fatal(err)
		}
		r := gise(t, cfg, "", args...)
		if r.code == 0 || !strings.Contains(r.output(), "Gişe terminali yok") {
			t.Errorf("gise %v on an empty directory: exit %d, %q", args, r.code, r.output())
		}
		if left, _ := os.ReadDir(cfg.DataDir); len(left) != 0 {
			t.Errorf("gise %v left %d files in an empty directory: %v", args, len(left), left)
		}
	}
}
