package sane

import (
	"testing"

	"github.com/kocasinan/gise/app"
)

// TestFaultInReadsSANEsWords: the sentences scanimage writes under LC_ALL=C
// (sane_strstatus and its own) name their fault.
func TestFaultInReadsSANEsWords(t *testing.T) {
	for line, want := range map[string]*app.Error{
		"scanimage: sane_read: Document feeder jammed":                     app.ErrScanJammed,
		"scanimage: sane_read: Scanner cover is open":                      app.ErrScanCoverOpen,
		"scanimage: sane_start: Document feeder out of documents":          app.ErrScanFeederEmpty,
		"scanimage: sane_read: Device busy":                                app.ErrScanBusy,
		"scanimage: open of device airscan:e0:Kyocera failed: Device busy": app.ErrScanBusy,
		"scanimage: open of device test:9 failed: Invalid argument":        app.ErrScanMissing,
		"scanimage: setting of option --mode failed (Invalid argument)":    app.ErrScanSetting,
		"scanimage: sane_read: Error during device I/O":                    app.ErrScanIO,
		"scanimage: sane_start: Access to resource has been denied":        app.ErrScanDenied,
		"scanimage: sane_read: Operation was canceled":                     app.ErrScanCancelled,
		"Scanning page 1": nil,
	} {
		if got := faultIn(line); got != want {
			t.Errorf("%q: %v, want %v", line, got, want)
		}
	}
}

// TestStalledAfterAFaultSaysTheFault: a backend that hangs while cancelling
// after a jam is reported as the jam, not as a silent scanner; one that
// hangs closing a feeder it emptied has delivered its batch.
func TestStalledAfterAFaultSaysTheFault(t *testing.T) {
	r := &run{s: New(nil), fault: app.ErrScanJammed}
	if err := r.stalled(); app.ErrorCode(err) != app.EScanJammed {
		t.Errorf("jam then silence: %v", err)
	}
	r = &run{s: New(nil), fault: app.ErrScanFeederEmpty, pages: 10}
	if err := r.stalled(); err != nil {
		t.Errorf("ten pages, then the feeder ran out and the close hung: %v", err)
	}
	r = &run{s: New(nil)}
	if err := r.stalled(); app.ErrorMessage(err) != app.ErrScanStalled.Message {
		t.Errorf("silence: %v", err)
	}
}
