package central

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// deviceIDRe is the alphabet of device ids, the terminal's own rule
// (app/auth): it keeps ids out of paths, logs and SQL as plain words.
var deviceIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidDeviceID reports whether id is a device id the central accepts.
func ValidDeviceID(id string) bool { return deviceIDRe.MatchString(id) }

// EnrolDevice registers (or re-keys) a terminal and returns its new token.
// Only the token's hash is kept. The id must match
// ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$.
func (s *Server) EnrolDevice(ctx context.Context, id string) (string, error) {
	if !ValidDeviceID(id) {
		return "", fmt.Errorf("enrol: a device id is 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := hex.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	if err := s.st.PutDevice(ctx, id, hex.EncodeToString(sum[:]), s.Now()); err != nil {
		return "", fmt.Errorf("enrol: %w", err)
	}
	return token, nil
}

// RevokeDevice makes every later request of the device answer 403.
func (s *Server) RevokeDevice(ctx context.Context, id string) error {
	if !ValidDeviceID(id) {
		return fmt.Errorf("revoke: %q is not a device id", id)
	}
	return s.st.RevokeDevice(ctx, id)
}

// adminRoutes adds the back-office endpoints, guarded by AdminToken:
//
//	POST /admin/v1/devices                  {"device_id"}          → {"token"}
//	POST /admin/v1/devices/{id}/revoke
//	POST /admin/v1/complaints/{ref}/status  {"status", "note"}     (ref: record id or tracking code)
//	POST /admin/v1/categories               {"code", "name", "group", "active"}
//	POST /admin/v1/neighbourhoods           {"code", "name", "active"}
//	POST /admin/v1/notices                  {"version", "language", "text", "effective_from"}
func (s *Server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/v1/devices", s.admin(func(r *http.Request) (any, error) {
		var in struct {
			DeviceID string `json:"device_id"`
		}
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		token, err := s.EnrolDevice(r.Context(), in.DeviceID)
		return map[string]string{"device_id": in.DeviceID, "token": token}, err
	}))
	mux.HandleFunc("POST /admin/v1/devices/{id}/revoke", s.admin(func(r *http.Request) (any, error) {
		return nil, s.RevokeDevice(r.Context(), r.PathValue("id"))
	}))
	mux.HandleFunc("POST /admin/v1/complaints/{ref}/status", s.admin(func(r *http.Request) (any, error) {
		var in struct{ Status, Note string }
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return nil, s.SetComplaintStatus(r.Context(), r.PathValue("ref"), in.Status, in.Note)
	}))
	mux.HandleFunc("POST /admin/v1/categories", s.admin(func(r *http.Request) (any, error) {
		var in Category
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return nil, s.PublishCategory(r.Context(), in)
	}))
	mux.HandleFunc("POST /admin/v1/neighbourhoods", s.admin(func(r *http.Request) (any, error) {
		var in Neighbourhood
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return nil, s.PublishNeighbourhood(r.Context(), in)
	}))
	mux.HandleFunc("POST /admin/v1/notices", s.admin(func(r *http.Request) (any, error) {
		var in Notice
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return nil, s.PublishNotice(r.Context(), in)
	}))
	s.auditRoutes(mux)
	s.fleetRoutes(mux)
}

// adminTokenLeaked reports whether the admin token appears anywhere in the
// request but Authorization: in a query value or key, or in another
// header's value (alone, or last after a space, "=" or ":").
func (s *Server) adminTokenLeaked(r *http.Request) bool {
	for key, vals := range r.URL.Query() {
		if s.isAdminToken(key) {
			return true
		}
		for _, v := range vals {
			if s.isAdminToken(v) {
				return true
			}
		}
	}
	for name, vals := range r.Header {
		if name == "Authorization" {
			continue
		}
		for _, v := range vals {
			if s.isAdminToken(v) || s.isAdminToken(v[strings.LastIndexAny(v, " =:")+1:]) {
				return true
			}
		}
	}
	return false
}

func (s *Server) isAdminToken(v string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(v)), []byte(s.AdminToken)) == 1
}

func decode(r *http.Request, v any) error {
	return json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v)
}

// admin checks the admin token and writes fn's answer: 200 with its JSON,
// 404 for an unknown complaint, 400 for any other refusal. The token is
// taken only from Authorization: Bearer; a request that also carries it in
// its query string or in another header is refused (400), since those end
// up in access logs and proxies: the token must then be changed.
func (s *Server) admin(fn func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.AdminToken != "" && s.adminTokenLeaked(r) {
			s.Logger.Warn("admin token sent outside Authorization: Bearer; refused, change the token", "path", r.URL.Path)
			problem(w, http.StatusBadRequest, "token_misplaced",
				"the admin token goes only in Authorization: Bearer; it was seen in the URL or another header, so change it")
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if s.AdminToken == "" || !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.AdminToken)) != 1 {
			problem(w, http.StatusUnauthorized, "unauthorized", "admin token required")
			return
		}
		out, err := fn(r)
		switch {
		case errors.Is(err, errNotFound):
			problem(w, http.StatusNotFound, "not_found", err.Error())
		case err != nil:
			problem(w, http.StatusBadRequest, "invalid", err.Error())
		case out == nil:
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		default:
			writeJSON(w, http.StatusOK, out)
		}
	}
}
