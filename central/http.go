package central

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Server timeouts: a client that sends its headers or its body too slowly
// (slowloris) is cut off rather than holding a connection for ever.
const (
	DefaultHeaderTimeout = 10 * time.Second
	// DefaultBodyTimeout bounds reading a whole request, body included: a
	// 20 MiB attachment at 2 Mbit/s takes 80 s.
	DefaultBodyTimeout = 2 * time.Minute
)

// HTTPServer returns an http.Server for Handler on addr with the header and
// body timeouts (HeaderTimeout, BodyTimeout), a write and an idle timeout,
// and a 64 KiB header limit.
func (s *Server) HTTPServer(addr string) *http.Server {
	header, body := s.HeaderTimeout, s.BodyTimeout
	if header <= 0 {
		header = DefaultHeaderTimeout
	}
	if body <= 0 {
		body = DefaultBodyTimeout
	}
	return &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: header, ReadTimeout: body,
		WriteTimeout: body + time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.Logger.Handler(), slog.LevelInfo)}
}

// Handler returns the HTTP handler of the whole contract, plus the admin
// endpoints when AdminToken is set.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/health", s.health)
	mux.HandleFunc("POST /v1/batches", s.device(s.postBatch))
	mux.HandleFunc("PUT /v1/attachments/{sha256}", s.device(s.putAttachment))
	mux.HandleFunc("GET /v1/updates", s.device(s.getUpdates))
	mux.HandleFunc("POST /v1/health-report", s.device(s.postHealthReport))
	mux.HandleFunc("PUT /v1/device-keys", s.device(s.putDeviceKeys))
	mux.HandleFunc("POST /v1/bundles", s.device(s.postBundle))
	s.adminRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "not_found", "no such endpoint")
	})
	return mux
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "time": s.Now().Format(time.RFC3339)})
}

// problem writes an RFC 9457 problem document.
func problem(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"type":   "https://gise.kocasinan.bel.tr/problems/" + code,
		"title":  http.StatusText(status),
		"status": status,
		"detail": detail,
		"code":   code,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type ctxKey struct{}

// deviceID returns the authenticated device of a request.
func deviceID(r *http.Request) string { v, _ := r.Context().Value(ctxKey{}).(string); return v }

// device authenticates a terminal: 400 for a device id outside the safe
// alphabet (it never reaches the database or a log line), 401 for a missing
// or wrong token, 403 for a revoked device.
func (s *Server) device(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Device-Id")
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if id == "" || !ok || token == "" {
			problem(w, http.StatusUnauthorized, "unauthorized", "bearer token and X-Device-Id are required")
			return
		}
		if !ValidDeviceID(id) {
			problem(w, http.StatusBadRequest, "malformed", "X-Device-Id must match "+deviceIDRe.String())
			return
		}
		want, revoked, err := s.st.Device(r.Context(), id)
		sum := sha256.Sum256([]byte(token))
		if errors.Is(err, errNoDevice) || subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(want)) != 1 {
			s.Logger.Info("refused device", "device", id)
			problem(w, http.StatusUnauthorized, "unauthorized", "unknown device or wrong token")
			return
		}
		if err != nil {
			problem(w, http.StatusInternalServerError, "internal", "device lookup failed")
			return
		}
		if revoked {
			problem(w, http.StatusForbidden, "device_revoked", "this device was revoked; enrol it again")
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
	}
}
