package main

import (
	"bufio"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// socatPTY starts socat with two linked pseudo-terminals and returns one:
// a serial reader's stand-in.
func socatPTY(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatalf("socat (scripts/deps.sh test installs it): %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	re := regexp.MustCompile(`PTY is (\S+)`)
	sc := bufio.NewScanner(stderr)
	var name string
	for sc.Scan() && !strings.Contains(sc.Text(), "starting data transfer loop") {
		if m := re.FindStringSubmatch(sc.Text()); m != nil && name == "" {
			name = m[1]
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return name
}

func TestDoctorMRZReader(t *testing.T) {
	cfg := terminalWithRecords(t, 0)
	if _, c := doctorJSON(t, cfg); c["mrz_reader"].Status != checkSkip {
		t.Errorf("no port set: %+v", c["mrz_reader"])
	}
	cfg.MRZReader.Port = socatPTY(t)
	if _, c := doctorJSON(t, cfg); c["mrz_reader"].Status != checkOK || !strings.Contains(c["mrz_reader"].Detail, "9600 baud") {
		t.Errorf("a port that opens: %+v", c["mrz_reader"])
	}
	cfg.MRZReader.Port = "/dev/gise-no-such-port"
	if code, c := doctorJSON(t, cfg); code != 1 || c["mrz_reader"].Status != checkFail || !strings.Contains(c["mrz_reader"].Detail, "Yönetim ekranında") {
		t.Errorf("a missing port: exit %d %+v", code, c["mrz_reader"])
	}
}
