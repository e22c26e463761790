package sane

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"

	"github.com/kocasinan/gise/app"
)

// SANE_Status values, which scanimage exits with when an operation fails.
const (
	statusCancelled    = 2
	statusDeviceBusy   = 3
	statusJammed       = 6
	statusNoDocs       = 7
	statusCoverOpen    = 8
	statusIOError      = 9
	statusNoMem        = 10
	statusAccessDenied = 11
)

// outcome turns how a batch ended into the scan's error: nil when it
// delivered pages and stopped because the feeder ran out or the count was
// reached.
func (s *Scanner) outcome(parent context.Context, r *run, waitErr error) error {
	stderr := r.tail.String()
	if parent.Err() != nil {
		s.Log.Info("scan cancelled", "device", r.req.Device, "pages", r.pages)
		return app.ScanFault(app.ErrScanCancelled, parent.Err())
	}
	if waitErr == nil || exitStatus(waitErr) == statusNoDocs {
		if r.pages > 0 {
			s.Log.Info("scan done", "device", r.req.Device, "pages", r.pages)
			return nil
		}
		s.Log.Warn("scan gave no page", "device", r.req.Device, "source", r.req.Source, "stderr", stderr)
		if r.req.Source == app.SourceFeeder {
			return app.ScanFault(app.ErrScanFeederEmpty, nil)
		}
		return app.ScanFault(app.ErrScanNoPage, nil)
	}
	return s.failure(parent, "scan", waitErr, r.pages, stderr)
}

// failure turns a failed scanimage run into a domain error, by its exit
// status and what it wrote to standard error, and logs the detail.
func (s *Scanner) failure(ctx context.Context, op string, err error, pages int, stderr string) error {
	cause := fmt.Errorf("scanimage %s: %w: %s", op, err, strings.TrimSpace(stderr))
	fault := classify(err, stderr)
	if ctx.Err() != nil {
		fault = app.ErrScanCancelled
	}
	s.Log.Warn("scanner failed", "op", op, "code", fault.Code, "pages", pages, "err", cause)
	return app.ScanFault(fault, cause)
}

// classify finds the fault a failure is.
func classify(err error, stderr string) *app.Error {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return app.ErrScanNoProgram
	}
	switch exitStatus(err) {
	case statusCancelled: // the copier's own stop button
		return app.ErrScanCancelled
	case statusDeviceBusy:
		return app.ErrScanBusy
	case statusJammed:
		return app.ErrScanJammed
	case statusCoverOpen:
		return app.ErrScanCoverOpen
	case statusIOError:
		return app.ErrScanIO
	case statusAccessDenied:
		return app.ErrScanDenied
	case statusNoMem:
		return app.ErrScanFailed
	}
	// Exit status 1: scanimage's own failures, told apart by its words.
	switch e := strings.ToLower(stderr); {
	case strings.Contains(e, "device busy"):
		return app.ErrScanBusy
	case strings.Contains(e, "open of device"):
		return app.ErrScanMissing
	case strings.Contains(e, "setting of option"):
		return app.ErrScanSetting
	case strings.Contains(e, "jammed"):
		return app.ErrScanJammed
	case strings.Contains(e, "cover is open"):
		return app.ErrScanCoverOpen
	}
	return app.ErrScanFailed
}

// exitStatus is scanimage's exit status, or -1 when it did not exit on its
// own (killed, never started).
func exitStatus(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}
