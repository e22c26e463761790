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
	if f := faultIn(stderr); f != nil {
		return f
	}
	return app.ErrScanFailed
}

// faultIn finds a fault in what scanimage wrote, nil when it named none:
// SANE's own sentences (sane_strstatus, in English under LC_ALL=C) and
// scanimage's about opening the device and setting its options.
func faultIn(stderr string) *app.Error {
	for _, f := range []struct {
		words string
		fault *app.Error
	}{
		{"device busy", app.ErrScanBusy},
		{"open of device", app.ErrScanMissing},
		{"setting of option", app.ErrScanSetting},
		{"jammed", app.ErrScanJammed},
		{"cover is open", app.ErrScanCoverOpen},
		{"out of documents", app.ErrScanFeederEmpty},
		{"error during device i/o", app.ErrScanIO},
		{"access to resource has been denied", app.ErrScanDenied},
		{"operation was canceled", app.ErrScanCancelled},
	} {
		if strings.Contains(strings.ToLower(stderr), f.words) {
			return f.fault
		}
	}
	return nil
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
