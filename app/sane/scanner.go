package sane

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// DefaultStall is how long a scan may go without a word from the scanner
// (no progress, no page) before it is given up: a network copier that fell
// off the network, a USB scanner pulled out. A lamp warming up takes well
// under it.
const DefaultStall = 90 * time.Second

// Scanner scans through scanimage. The zero value is not ready: use New.
type Scanner struct {
	// Program is the scanimage to run; "scanimage" on PATH by default.
	Program string
	// ConfigDir, when set, is SANE's configuration folder for every run
	// (SANE_CONFIG_DIR): tests point it at a dll.conf naming only the test
	// backend. Empty: SANE's own (/etc/sane.d), or the environment's.
	ConfigDir string
	// Extra options are given to scanimage after Gişe's own, for a device
	// that needs one (the test backend's --read-return-value in tests).
	Extra []string
	// Stall gives up a scan the scanner stopped answering (DefaultStall).
	Stall time.Duration
	Log   *slog.Logger

	mu      sync.Mutex
	options map[string]deviceOptions // by device name, read once
}

var _ app.Scanner = (*Scanner)(nil)

// New returns a scanner that runs scanimage from PATH.
func New(log *slog.Logger) *Scanner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scanner{Program: "scanimage", Stall: DefaultStall, Log: log, options: map[string]deviceOptions{}}
}

// command is a scanimage run with Gişe's environment: SANE's messages and
// numbers in English and C format (the kiosk's Turkish locale would
// translate the sentences read from its standard error), and the chosen
// configuration folder.
func (s *Scanner) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, s.Program, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=C")
	if s.ConfigDir != "" {
		cmd.Env = append(cmd.Env, "SANE_CONFIG_DIR="+s.ConfigDir)
	}
	return cmd
}

// Devices implements app.Scanner: scanimage -f, one device a line.
func (s *Scanner) Devices(ctx context.Context) ([]app.ScanDevice, error) {
	var stderr bytes.Buffer
	cmd := s.command(ctx, "-f", "%d\t%v\t%m\t%t%n")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, s.failure(ctx, "list", err, 0, stderr.String())
	}
	var list []app.ScanDevice
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 || f[0] == "" {
			continue
		}
		list = append(list, app.ScanDevice{Name: f[0], Vendor: f[1], Model: f[2], Type: f[3]})
	}
	return list, nil
}

// deviceOptionsOf returns what the device offers, asking it once (scanimage
// -A opens it: a missing or busy scanner fails here).
func (s *Scanner) deviceOptionsOf(ctx context.Context, device string) (deviceOptions, error) {
	s.mu.Lock()
	o, ok := s.options[device]
	s.mu.Unlock()
	if ok {
		return o, nil
	}
	var stderr bytes.Buffer
	cmd := s.command(ctx, "-d", device, "-A")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return o, s.failure(ctx, "options", err, 0, stderr.String())
	}
	o = parseOptions(string(out))
	s.mu.Lock()
	if s.options == nil {
		s.options = map[string]deviceOptions{}
	}
	s.options[device] = o
	s.mu.Unlock()
	return o, nil
}

// Forget drops what was read of a device's options, so the next scan asks
// it again (the Administration screen chose it anew).
func (s *Scanner) Forget(device string) {
	s.mu.Lock()
	delete(s.options, device)
	s.mu.Unlock()
}

// Probe is what a device answered when asked for its options, and the
// options a request becomes on it.
type Probe struct {
	Sources []string // nil: the device has one source
	Modes   []string
	Args    []string // --source, --mode, --resolution for the request
}

// Probe opens the device afresh (gise doctor): it answers, and req's
// settings map onto its options. The errors are Scan's.
func (s *Scanner) Probe(ctx context.Context, req app.ScanRequest) (Probe, error) {
	if err := req.Validate(); err != nil {
		return Probe{}, err
	}
	s.Forget(req.Device)
	o, err := s.deviceOptionsOf(ctx, req.Device)
	if err != nil {
		return Probe{}, err
	}
	args, err := o.args(req)
	return Probe{Sources: o.sources, Modes: o.modes, Args: args}, err
}
