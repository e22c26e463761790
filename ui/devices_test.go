package ui

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/serialport"
)

// ptyPair starts socat with two linked pseudo-terminals: the reader's
// serial line. It returns the device end and the end a reader writes to.
func ptyPair(t *testing.T) (string, *os.File) {
	t.Helper()
	cmd := exec.Command("socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatalf("socat (scripts/deps.sh test installs it): %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	re := regexp.MustCompile(`PTY is (\S+)`)
	sc := bufio.NewScanner(stderr)
	var names []string
	for sc.Scan() && !strings.Contains(sc.Text(), "starting data transfer loop") {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			names = append(names, m[1])
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if len(names) != 2 {
		t.Fatalf("socat gave %v", names)
	}
	f, err := os.OpenFile(names[1], os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return names[0], f
}

// TestSerialReaderFillsTheForm chooses the reader's port on the
// Administration screen, then reads a card through it (a pseudo-terminal
// standing in for the device) into the register form.
func TestSerialReaderFillsTheForm(t *testing.T) {
	device, line := ptyPair(t)
	r := newRig(t, func(s *Services) {
		s.SerialPorts = func() ([]string, error) { return []string{device}, nil }
		s.OpenMRZReader = func(port string, _ int) (app.MRZReader, error) {
			return serialport.Open(port, serialport.DefaultBaud, 50*time.Millisecond)
		}
	})
	posted := make(chan func(), 4)
	r.k.post = func(f func()) { posted <- f } // the test's goroutine is the UI's
	defer r.k.stopMRZReader()

	r.login(app.RoleAdmin)
	a := r.k.admin
	a.refresh()
	a.showSection(2)
	if len(a.ports) != 1 || a.ports[0] != device {
		t.Fatalf("ports offered: %v", a.ports)
	}
	a.mrzPort.SetText(device)
	test.Tap(button(t, a.obj, "Ayarları kaydet"))
	if r.k.svc.Config.MRZReader.Port != device || r.k.mrzStop == nil {
		t.Fatalf("port saved %q, reader running %v (%s)", r.k.svc.Config.MRZReader.Port, r.k.mrzStop != nil, a.errs.Text)
	}

	r.login(app.RoleClerk)
	s := r.registerForm()
	card, zone := turkishCard("")
	if _, err := line.WriteString(strings.ReplaceAll(zone, "\n", "\r") + "\r"); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-posted:
		f()
	case <-time.After(10 * time.Second):
		t.Fatal("nothing came from the serial reader")
	}
	if f := s.fields; f.nationalID.Text != card.NationalID || f.lastName.Text != "CAGLAR" {
		t.Errorf("filled: %q %q (%s)", f.nationalID.Text, f.lastName.Text, s.read.Text)
	}
}
