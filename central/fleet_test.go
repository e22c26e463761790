package central

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
)

// TestFleetViewListsHealthAndSilentDevices: a health report is kept and
// listed with its device; a device never heard of, or not for longer than
// the silent time (24 h unless asked otherwise), is flagged silent; a
// revoked one is not; the table marks the same.
func TestFleetViewListsHealthAndSilentDevices(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		e.s.Now = func() time.Time { return now }
		for _, id := range []string{"D2-NEVER", "D3-REVOKED"} {
			if _, err := e.s.EnrolDevice(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		e.s.RevokeDevice(ctx, "D3-REVOKED")
		free, skew := uint64(3<<30), int64(-4)
		report, _ := json.Marshal(app.HealthReport{Version: "0.1.0", ReportedAt: now.Format(time.RFC3339), Pending: 12,
			OldestPendingAge: 420, Conflicts: 1, LastError: "Merkeze ulaşılamıyor", FreeDiskBytes: &free, Printer: "paused", ClockSkew: &skew})
		if w := e.do("POST", "/v1/health-report", e.token, string(report)); w.Code != 204 {
			t.Fatalf("health report: %d %s", w.Code, w.Body)
		}
		if w := e.do("POST", "/v1/health-report", e.token, `{"pending":-1}`); w.Code != 400 {
			t.Errorf("a negative count: %d, want 400", w.Code)
		}
		list := fleet(t, e, "")
		d1 := list["D1"]
		if d1.Silent || d1.Health == nil || d1.Health.Pending != 12 || d1.Health.Printer != "paused" ||
			*d1.Health.FreeDiskBytes != free || d1.LastSeen != now.Format(time.RFC3339) {
			t.Errorf("D1: %+v %+v", d1, d1.Health)
		}
		if !list["D2-NEVER"].Silent || list["D3-REVOKED"].Silent {
			t.Errorf("never heard: %+v; revoked: %+v", list["D2-NEVER"], list["D3-REVOKED"])
		}
		now = now.Add(25 * time.Hour)
		if !fleet(t, e, "")["D1"].Silent {
			t.Error("D1 silent for 25 h is not flagged")
		}
		if fleet(t, e, "?silent_after=48h")["D1"].Silent {
			t.Error("silent_after=48h still flags D1 after 25 h")
		}
		// A batch is a sign of life too.
		e.post(t, rec(id1, ok1))
		if fleet(t, e, "")["D1"].Silent {
			t.Error("D1 delivered a batch just now but is flagged")
		}
		all, _ := e.s.Fleet(ctx, 0)
		var out bytes.Buffer
		WriteFleetTable(&out, all, now)
		if !strings.Contains(out.String(), "D2-NEVER") || !strings.Contains(out.String(), "SILENT") ||
			!strings.Contains(out.String(), "3 devices, 1 silent") {
			t.Errorf("table:\n%s", out.String())
		}
	})
}

func fleet(t *testing.T, e env, query string) map[string]FleetDevice {
	t.Helper()
	w := e.do("GET", "/admin/v1/devices"+query, "adm", "")
	var out struct {
		SilentAfter int64         `json:"silent_after_s"`
		Devices     []FleetDevice `json:"devices"`
	}
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("fleet: %d %s", w.Code, w.Body)
	}
	m := map[string]FleetDevice{}
	for _, d := range out.Devices {
		m[d.DeviceID] = d
	}
	return m
}
