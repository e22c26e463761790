package central

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kocasinan/gise/app"
)

// DefaultSilentAfter is how long a device may stay silent (no batch, no
// health report) before the fleet view flags it.
const DefaultSilentAfter = 24 * time.Hour

// maxHealthReport bounds a health report's body.
const maxHealthReport = 16 << 10

// postHealthReport keeps the device's latest health (POST
// /v1/health-report): 204, or 400 for a body that is not a report.
func (s *Server) postHealthReport(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxHealthReport)
	var h app.HealthReport
	if err == nil {
		err = json.Unmarshal(body, &h)
	}
	if err != nil || h.Pending < 0 || h.OldestPendingAge < 0 || len(h.Version) > 64 || len(h.LastError) > 1000 {
		problem(w, http.StatusBadRequest, "malformed", "the body is not a health report")
		return
	}
	clean, _ := json.Marshal(h) // only the contract's fields are kept
	if err := s.st.PutHealth(r.Context(), deviceID(r), clean, s.Now()); err != nil {
		s.Logger.Error("store health report", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the report was not stored")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// FleetDevice is one terminal in the fleet view.
type FleetDevice struct {
	DeviceID   string            `json:"device_id"`
	Revoked    bool              `json:"revoked"`
	EnrolledAt string            `json:"enrolled_at"`
	LastSeen   string            `json:"last_seen,omitempty"` // the last batch or health report
	Silent     bool              `json:"silent"`              // nothing heard for longer than silent_after_s (or never)
	HealthAt   string            `json:"health_at,omitempty"` // when the report below arrived
	Health     *app.HealthReport `json:"health,omitempty"`
}

// Fleet lists every enrolled device with its latest health, flagging those
// silent for longer than silentAfter (SilentAfter when 0). A revoked
// device is never flagged: it is silent on purpose.
func (s *Server) Fleet(ctx context.Context, silentAfter time.Duration) ([]FleetDevice, error) {
	if silentAfter <= 0 {
		silentAfter = s.SilentAfter
	}
	rows, err := s.st.Devices(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]FleetDevice, 0, len(rows))
	for _, d := range rows {
		f := FleetDevice{DeviceID: d.id, Revoked: d.revoked, EnrolledAt: d.enrolledAt.Format(time.RFC3339),
			Silent: !d.revoked && (d.lastSeen.IsZero() || now.Sub(d.lastSeen) > silentAfter)}
		if !d.lastSeen.IsZero() {
			f.LastSeen = d.lastSeen.Format(time.RFC3339)
		}
		if d.health != nil {
			var h app.HealthReport
			if json.Unmarshal(d.health, &h) == nil {
				f.Health, f.HealthAt = &h, d.healthAt.Format(time.RFC3339)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// fleetRoutes adds the fleet view:
//
//	GET /admin/v1/devices[?silent_after=24h] → {"silent_after_s", "devices": [...]}
func (s *Server) fleetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/v1/devices", s.admin(func(r *http.Request) (any, error) {
		after := s.SilentAfter
		if v := r.URL.Query().Get("silent_after"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("silent_after must be a duration such as 24h or 90m")
			}
			after = d
		}
		list, err := s.Fleet(r.Context(), after)
		return map[string]any{"silent_after_s": int64(after / time.Second), "devices": list}, err
	}))
}

// WriteFleetTable prints the fleet view as a table, one device a line, the
// silent ones marked, as gise central devices shows it.
func WriteFleetTable(w io.Writer, list []FleetDevice, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEVICE\tSTATE\tLAST SEEN\tVERSION\tPENDING\tOLDEST\tCONFLICTS\tREJECTED\tFREE DISK\tPRINTER\tSKEW\tLAST ERROR")
	silent := 0
	for _, d := range list {
		state := "ok"
		switch {
		case d.Revoked:
			state = "revoked"
		case d.Silent:
			state, silent = "SILENT", silent+1
		}
		seen := "never"
		if t, err := time.Parse(time.RFC3339, d.LastSeen); err == nil {
			seen = ago(now.Sub(t))
		}
		cols := []string{d.DeviceID, state, seen, "-", "-", "-", "-", "-", "-", "-", "-", ""}
		if h := d.Health; h != nil {
			cols[3], cols[4], cols[6], cols[7] = dash(h.Version), strconv.Itoa(h.Pending), strconv.Itoa(h.Conflicts), strconv.Itoa(h.Rejected)
			if h.Pending > 0 {
				cols[5] = ago(time.Duration(h.OldestPendingAge) * time.Second)
			}
			if h.FreeDiskBytes != nil {
				cols[8] = fmt.Sprintf("%.1f GiB", float64(*h.FreeDiskBytes)/(1<<30))
			}
			cols[9] = dash(h.Printer)
			if h.ClockSkew != nil {
				cols[10] = fmt.Sprintf("%+ds", *h.ClockSkew)
			}
			cols[11] = strings.Join(strings.Fields(h.LastError), " ")
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	fmt.Fprintf(tw, "%d devices, %d silent\n", len(list), silent)
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ago writes a duration the way an operator reads it: 42s, 7m, 3h, 2d.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
}
