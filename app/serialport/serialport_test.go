package serialport_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/serialport"
)

// ptyPair starts socat with two linked pseudo-terminals, the stand-in for
// a reader's serial line: the device end is opened by the adapter, the
// other end is where the test writes what the reader would send.
func ptyPair(t *testing.T) (device string, reader *os.File) {
	t.Helper()
	if _, err := exec.LookPath("socat"); err != nil {
		t.Fatal("socat is needed (scripts/deps.sh test installs it)")
	}
	cmd := exec.Command("socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	re := regexp.MustCompile(`PTY is (\S+)`)
	var names []string
	sc := bufio.NewScanner(stderr)
	for len(names) < 2 && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			names = append(names, m[1])
		}
	}
	for sc.Scan() && !strings.Contains(sc.Text(), "starting data transfer loop") {
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if len(names) < 2 {
		t.Fatalf("socat gave %v", names)
	}
	f, err := os.OpenFile(names[1], os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return names[0], f
}

func TestReaderDeliversZones(t *testing.T) {
	device, line := ptyPair(t)
	r, err := serialport.Open(device, serialport.DefaultBaud, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	zone := apptest.TurkishCard(apptest.NationalID(31), "OZTURK", "AYSE", "700101").TD1()
	passport := apptest.TurkishCard(apptest.NationalID(32), "YILMAZ", "CAN", "851224").TD3()
	// As readers send them: lines ended by CR, the zone then quiet; and
	// framed by STX … ETX with CR LF, two zones back to back.
	for _, send := range []string{
		strings.ReplaceAll(zone, "\n", "\r") + "\r",
		"\x02" + strings.ReplaceAll(passport, "\n", "\r\n") + "\r\n\x03\x02" + zone + "\x03",
	} {
		if _, err := line.WriteString(send); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{zone, passport, zone} {
		text, err := r.Read(ctx)
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		got, err := app.ParseMRZ(text)
		wantM, _ := app.ParseMRZ(want)
		if err != nil || got != wantM {
			t.Errorf("read %d: %q: %+v, %v", i, text, got, err)
		}
	}
	// Nothing more comes: Read waits until the context ends.
	short, stop := context.WithTimeout(ctx, 200*time.Millisecond)
	defer stop()
	if _, err := r.Read(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("idle read: %v", err)
	}
}

func TestOpenMissingPort(t *testing.T) {
	_, err := serialport.Open("/dev/gise-no-such-port", serialport.DefaultBaud, serialport.DefaultQuiet)
	if app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(app.ErrorMessage(err), "Yönetim ekranında") {
		t.Errorf("missing port: %v", err)
	}
}
