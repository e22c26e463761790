package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app/config"
)

// doctorJSON runs gise doctor --json and returns its exit status and
// checks by name.
func doctorJSON(t *testing.T, cfg config.Config) (int, map[string]checkResult) {
	t.Helper()
	r := gise(t, cfg, "", "doctor", "--json")
	var rep struct {
		Checks []checkResult `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, r.output())
	}
	out := map[string]checkResult{}
	for _, c := range rep.Checks {
		out[c.Name] = c
	}
	return r.code, out
}

// skewedCentral answers /v1/health with a clock off by skew.
func skewedCentral(t *testing.T, skew time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now().Add(skew).UTC()
		w.Header().Set("Date", at.Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"status": "ok", "time": at})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDoctorClockAndCentral(t *testing.T) {
	cfg := terminalWithRecords(t, 1)
	cfg.Central.URL = skewedCentral(t, 0).URL
	if code, c := doctorJSON(t, cfg); code != 0 || c["central"].Status != checkOK || c["clock"].Status != checkOK {
		t.Fatalf("a central on time: exit %d %+v %+v", code, c["central"], c["clock"])
	}
	cfg.Central.URL = skewedCentral(t, 5*time.Minute).URL
	code, c := doctorJSON(t, cfg)
	if skew, _ := c["clock"].Data["skew_seconds"].(float64); code != 1 || c["clock"].Status != checkFail || skew < 290 || skew > 310 {
		t.Fatalf("a clock 5 minutes off: exit %d %+v", code, c["clock"])
	}
	down := httptest.NewServer(http.NotFoundHandler())
	cfg.Central.URL = down.URL
	down.Close()
	if code, c := doctorJSON(t, cfg); code != 1 || c["central"].Status != checkFail || c["clock"].Status != checkSkip {
		t.Fatalf("a central out of reach: exit %d %+v", code, c["central"])
	}
	r := gise(t, cfg, "", "doctor")
	if !strings.Contains(r.stdout, "HATA    Merkez bağlantısı") || !strings.Contains(r.stdout, "Sonuç: 1 denetim başarısız") {
		t.Fatalf("doctor in Turkish:\n%s", r.output())
	}
}

// TestDoctorPrinters needs the CUPS of scripts/with-services.sh.
func TestDoctorPrinters(t *testing.T) {
	good, closed := os.Getenv("GISE_TEST_PRINTER"), os.Getenv("GISE_TEST_PRINTER_CLOSED")
	if good == "" || closed == "" {
		t.Skip("GISE_TEST_PRINTER unset: run under scripts/with-services.sh")
	}
	cfg := terminalWithRecords(t, 1)
	for _, tc := range []struct {
		queue, status, says string
	}{{good, checkOK, "iş kabul ediyor"}, {closed, checkFail, "kabul etmiyor"}, {"gise-yok", checkFail, "böyle bir kuyruk yok"}} {
		cfg.Printer.Name = tc.queue
		_, c := doctorJSON(t, cfg)
		if c["printers"].Status != tc.status || !strings.Contains(c["printers"].Detail, tc.says) {
			t.Errorf("queue %s: %+v", tc.queue, c["printers"])
		}
	}
}
