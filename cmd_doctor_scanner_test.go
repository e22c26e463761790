package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sane/sanetest"
)

// TestDoctorScanner runs gise doctor against SANE's test backend: the
// chosen scanner answers with its settings mapped, a missing one fails with
// the sentence and the devices SANE does list.
func TestDoctorScanner(t *testing.T) {
	t.Setenv("SANE_CONFIG_DIR", sanetest.ConfigDir(t))
	cfg := terminalWithRecords(t, 1)
	_, c := doctorJSON(t, cfg)
	if c["scanner"].Status != checkSkip || !strings.Contains(c["scanner"].Detail, "test:0, test:1") {
		t.Fatalf("no scanner chosen: %+v", c["scanner"])
	}
	for _, tc := range []struct {
		device, source, status, says string
	}{
		{"test:0", "feeder", checkOK, "--source Automatic Document Feeder --mode Gray --resolution 200"},
		{"test:9", "flatbed", checkFail, app.ErrScanMissing.Message},
	} {
		cfg.Scanner = config.Scanner{Device: tc.device, Source: tc.source, Mode: "grey", Resolution: 200}
		if err := config.SaveTerminal(cfg); err != nil { // as the Administration screen saves it
			t.Fatal(err)
		}
		code, c := doctorJSON(t, cfg)
		got := c["scanner"]
		if got.Status != tc.status || !strings.Contains(got.Detail, tc.says) {
			t.Errorf("%s: exit %d %+v", tc.device, code, got)
		}
		if devs, _ := got.Data["devices"].([]any); !slices.Contains(devs, any("test:0")) {
			t.Errorf("%s: devices %v", tc.device, got.Data["devices"])
		}
	}
	r := gise(t, cfg, "", "doctor")
	if !strings.Contains(r.stdout, "HATA    Tarayıcı") {
		t.Errorf("doctor in Turkish:\n%s", r.stdout)
	}
}
