package sane

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// errStalled is the cause of a scan given up for silence.
var errStalled = errors.New("scanner stopped answering")

// faultGrace is how long scanimage may take to end once it has reported a
// fault (a jam, a busy device): the backend's cancel should take a moment,
// and the clerk is told the fault, not that the scanner stopped answering.
const faultGrace = 10 * time.Second

// Scan implements app.Scanner: one scanimage batch into a temporary folder,
// removed afterwards; each page is read when scanimage names it whole.
func (s *Scanner) Scan(ctx context.Context, req app.ScanRequest, got func(app.ScanEvent)) error {
	if err := req.Validate(); err != nil {
		return err
	}
	opts, err := s.deviceOptionsOf(ctx, req.Device)
	if err != nil {
		return err
	}
	devArgs, err := opts.args(req)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "gise-scan-")
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	defer os.RemoveAll(dir)
	r := &run{s: s, req: req, got: got, resolution: req.Resolution}
	if opts.resolutions != nil {
		r.resolution = opts.resolution(req.Resolution)
	}
	args := append([]string{"-d", req.Device}, devArgs...)
	args = append(args, "--format=jpeg", "--batch="+filepath.Join(dir, "p%04d.jpg"), "--batch-print", "-p")
	if n := req.MaxPages; req.Source == app.SourceFlatbed || n > 0 {
		args = append(args, "--batch-count="+strconv.Itoa(max(n, 1)))
	}
	return r.do(ctx, append(args, s.Extra...))
}

// run is one scanimage batch in progress.
type run struct {
	s          *Scanner
	req        app.ScanRequest
	got        func(app.ScanEvent)
	resolution int        // the device's, which the pages are at
	pages      int        // whole pages handed over
	faulted    bool       // scanimage reported a failed SANE call
	fault      *app.Error // the fault it named, before any stall
	tail       tail
	stop       stopper
}

// line is one line of scanimage's output: a finished page's file (stdout)
// or a message (stderr).
type line struct {
	page string
	msg  string
}

// do runs scanimage and hands its pages and progress over until it ends.
func (r *run) do(parent context.Context, args []string) error {
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	stall := r.s.Stall
	if stall <= 0 {
		stall = DefaultStall
	}
	watchdog := time.AfterFunc(stall, func() { stop(errStalled) })
	defer watchdog.Stop()
	cmd, lines, err := r.start(parent, ctx, args)
	if err != nil {
		return r.s.failure(parent, "scan", err, 0, "")
	}
	var pageErr error
	for l := range lines {
		if watchdog.Reset(stall); r.faulted {
			watchdog.Reset(min(stall, faultGrace))
		}
		if l.msg != "" {
			r.stop.saw(l.msg)
		}
		if pageErr == nil {
			if pageErr = r.handle(l, ctx.Err() == nil); pageErr != nil {
				stop(pageErr)
			}
		}
	}
	watchdog.Stop()
	err = cmd.Wait()
	switch {
	case errors.Is(context.Cause(ctx), errStalled) && parent.Err() == nil:
		return r.stalled()
	case pageErr != nil:
		return pageErr
	}
	return r.s.outcome(parent, r, err)
}

// start starts scanimage and returns its lines, both streams in one
// channel, closed when both end. ctx ends the run; parent is the caller's,
// whose end is the clerk stopping the batch.
func (r *run) start(parent, ctx context.Context, args []string) (*exec.Cmd, <-chan line, error) {
	cmd := r.s.command(ctx, args...)
	// Interrupted, scanimage cancels the scan on the device (sane_cancel)
	// and keeps the pages it finished; killed only if it will not stop.
	// The clerk's stop waits for a moment scanimage heeds (stopper).
	cmd.Cancel = func() error {
		if parent.Err() != nil {
			return r.stop.want(cmd.Process)
		}
		return r.stop.now(cmd.Process)
	}
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	r.s.Log.Info("scan started", "device", r.req.Device, "source", r.req.Source, "mode", r.req.Mode, "dpi", r.resolution)
	lines := make(chan line)
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); readLines(stdout, '\n', func(s string) { lines <- line{page: s} }) }()
	go func() { defer readers.Done(); readLines(stderr, 0, func(s string) { lines <- line{msg: s} }) }()
	go func() { readers.Wait(); close(lines) }()
	return cmd, lines, nil
}

// stalled is the outcome of a scan given up for silence: the fault
// scanimage named before it hung (a backend stuck cancelling after a jam),
// or that the scanner stopped answering.
func (r *run) stalled() error {
	r.s.Log.Warn("scan stalled", "device", r.req.Device, "pages", r.pages, "stderr", r.tail.String())
	switch {
	case r.fault == app.ErrScanFeederEmpty && r.pages > 0:
		return nil // the batch was over; only the closing hung
	case r.fault != nil:
		return app.ScanFault(r.fault, errStalled)
	}
	return app.ScanFault(app.ErrScanStalled, errStalled)
}

// handle acts on one line: a page is read and handed over, progress is
// passed on, anything else is kept to explain a failure. live is false
// once the scan is being stopped: what scanimage says then is about the
// stopping.
func (r *run) handle(l line, live bool) error {
	if l.page != "" {
		p, err := readPage(l.page, r.resolution)
		if err != nil {
			return err
		}
		r.pages++
		r.got(app.ScanEvent{Page: r.pages, Percent: 100, Scanned: &p})
		return nil
	}
	if v, ok := strings.CutPrefix(l.msg, "Progress: "); ok {
		if pct, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64); err == nil && pct < 100 {
			r.got(app.ScanEvent{Page: r.pages + 1, Percent: pct})
		}
		return nil
	}
	r.tail.add(l.msg)
	if live && !r.faulted && strings.HasPrefix(l.msg, "scanimage: sane_") {
		r.faulted, r.fault = true, faultIn(l.msg)
	}
	return nil
}

// readPage reads a finished page and its size in pixels.
func readPage(path string, dpi int) (app.ScannedPage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return app.ScannedPage{}, fmt.Errorf("scan: read page: %w", err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return app.ScannedPage{}, app.ScanFault(app.ErrScanFailed, fmt.Errorf("scan: page %s: %w", filepath.Base(path), err))
	}
	os.Remove(path) // the folder goes at the end; a long batch need not pile up
	return app.ScannedPage{JPEG: b, Width: cfg.Width, Height: cfg.Height, Resolution: dpi}, nil
}

// readLines calls each for every line of rd, split at '\n' or, with sep 0,
// at '\n' or '\r' (scanimage -p rewrites its progress line with '\r').
func readLines(rd io.Reader, sep byte, each func(string)) {
	sc := bufio.NewScanner(rd)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		for i, c := range data {
			if c == '\n' || (sep == 0 && c == '\r') {
				return i + 1, data[:i], nil
			}
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			each(t)
		}
	}
	_, _ = io.Copy(io.Discard, rd) // an over-long line: drain, so scanimage never blocks on a full pipe
}

// tail keeps the last messages of scanimage's standard error.
type tail struct{ lines []string }

func (t *tail) add(s string) {
	if t.lines = append(t.lines, s); len(t.lines) > 20 {
		t.lines = t.lines[1:]
	}
}

func (t *tail) String() string { return strings.Join(t.lines, "\n") }
