package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// xDriver types and reads the clipboard in a real X server.
type xDriver struct{ t *testing.T }

func newXDriver(t *testing.T) *xDriver {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X server (DISPLAY unset): run under scripts/with-services.sh")
	}
	for _, tool := range []string{"xdotool", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s missing: make deps-test installs it", tool)
		}
	}
	return &xDriver{t: t}
}

func (x *xDriver) run(name string, args ...string) string {
	x.t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		x.shot("e2e-failure")
		x.t.Fatalf("%s %v: %v", name, args, err)
	}
	return strings.TrimSpace(string(out))
}

func (x *xDriver) waitWindow(name string) {
	x.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if out, err := exec.Command("xdotool", "search", "--name", name).Output(); err == nil && len(out) > 0 {
			time.Sleep(time.Second) // the first frame
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	x.t.Fatalf("no window %q appeared", name)
}

func (x *xDriver) key(keys ...string) {
	x.t.Helper()
	for _, k := range keys {
		x.run("xdotool", "key", "--clearmodifiers", k)
		time.Sleep(120 * time.Millisecond)
	}
}

// typeText types ASCII text; Turkish letters go through paste.
func (x *xDriver) typeText(s string) {
	x.t.Helper()
	x.run("xdotool", "type", "--delay", "40", s)
	time.Sleep(150 * time.Millisecond)
}

// paste types any text through the clipboard, which keeps every Turkish
// letter (xdotool's typing drops ı and ğ under Xvfb).
func (x *xDriver) paste(s string) {
	x.t.Helper()
	cmd := exec.Command("xclip", "-selection", "clipboard")
	cmd.Stdin = strings.NewReader(s)
	if err := cmd.Run(); err != nil {
		x.t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	x.key("ctrl+v")
}

func (x *xDriver) clipboard() string {
	x.t.Helper()
	return x.run("xclip", "-o", "-selection", "clipboard")
}

// copySecret presses the enrolment panel's "Kopyala" button (just before the
// focused code field) and returns the secret, without its spaces.
func (x *xDriver) copySecret() string {
	x.t.Helper()
	x.key("shift+Tab", "space")
	time.Sleep(300 * time.Millisecond)
	secret := strings.ReplaceAll(x.clipboard(), " ", "")
	if strings.Contains(secret, "-") {
		x.shot("e2e-failure")
		x.t.Fatalf("the clipboard holds %q, not an authenticator secret: the enrolment screen was not up", secret)
	}
	x.key("Tab")
	return secret
}

// clickCopyTempPassword presses the admin screen's copy button, which has
// the focus after an account was created, and returns the temporary
// password.
func (x *xDriver) clickCopyTempPassword() string {
	x.t.Helper()
	x.key("space")
	time.Sleep(300 * time.Millisecond)
	return x.clipboard()
}

func (x *xDriver) sleep(d time.Duration) { time.Sleep(d) }

// waitFor polls the database until the query counts want.
func (x *xDriver) waitFor(db *sql.DB, query string, want int) {
	x.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	got := -1
	for time.Now().Before(deadline) {
		if got = count(x.t, db, query); got == want {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	x.shot("e2e-failure")
	x.t.Fatalf("%s: %d, want %d (screenshot in the test's log folder)", query, got, want)
}

// shot saves a screenshot of the X screen for a person to look at.
func (x *xDriver) shot(name string) {
	dir := os.Getenv("GISE_E2E_SHOTS")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := exec.Command("import", "-window", "root", path).Run(); err == nil {
		x.t.Logf("screenshot: %s", path)
	}
}
