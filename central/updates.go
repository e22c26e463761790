package central

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

// Category is one complaint category of the catalogue.
type Category struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Group  string `json:"group"`
	Active bool   `json:"active"`
}

// Neighbourhood is one neighbourhood of the municipality.
type Neighbourhood struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

// Notice is a version of the KVKK notice text in one language.
type Notice struct {
	Version       int    `json:"version"`
	Language      string `json:"language"`
	Text          string `json:"text"`
	EffectiveFrom string `json:"effective_from"`
}

// errNotFound is returned for a status change of an unknown complaint.
var errNotFound = errors.New("no such complaint")

// PublishCategory stores a category and publishes it in /v1/updates.
func (s *Server) PublishCategory(ctx context.Context, c Category) error {
	if c.Code == "" || c.Name == "" {
		return fmt.Errorf("category: code and name are required")
	}
	body, err := json.Marshal(app.Update{Type: app.UpdateCategory, Code: c.Code, Name: c.Name, Group: c.Group, Active: &c.Active})
	if err != nil {
		return err
	}
	return wrapPublish(app.UpdateCategory, s.st.PutCategory(ctx, c, body))
}

// PublishNeighbourhood stores a neighbourhood and publishes it.
func (s *Server) PublishNeighbourhood(ctx context.Context, n Neighbourhood) error {
	if n.Code == "" || n.Name == "" {
		return fmt.Errorf("neighbourhood: code and name are required")
	}
	body, err := json.Marshal(app.Update{Type: app.UpdateNeighbourhood, Code: n.Code, Name: n.Name, Active: &n.Active})
	if err != nil {
		return err
	}
	return wrapPublish(app.UpdateNeighbourhood, s.st.PutNeighbourhood(ctx, n, body))
}

// PublishNotice publishes a notice version; its SHA-256 is computed here.
func (s *Server) PublishNotice(ctx context.Context, n Notice) error {
	if n.Version <= 0 || n.Language == "" || n.Text == "" {
		return fmt.Errorf("notice: version, language and text are required")
	}
	if _, err := time.Parse(app.DateLayout, n.EffectiveFrom); err != nil {
		return fmt.Errorf("notice: effective_from must be YYYY-MM-DD")
	}
	sum := sha256.Sum256([]byte(n.Text))
	body, err := json.Marshal(app.Update{Type: app.UpdateNotice, Version: n.Version, Language: n.Language,
		SHA256: hex.EncodeToString(sum[:]), Text: n.Text, EffectiveFrom: n.EffectiveFrom})
	if err != nil {
		return err
	}
	return wrapPublish(app.UpdateNotice, s.st.AppendUpdate(ctx, body))
}

// SetComplaintStatus changes a complaint's status, found by the id of its
// complaint.filed record or by its tracking code, and publishes the change.
func (s *Server) SetComplaintStatus(ctx context.Context, ref, status, note string) error {
	if !slices.Contains(app.ComplaintStatuses, status) {
		return fmt.Errorf("status %q is not one of %s", status, strings.Join(app.ComplaintStatuses, ", "))
	}
	at := s.Now().Format(time.RFC3339)
	return s.st.SetComplaintStatus(ctx, ref, status, func(id, code string) ([]byte, error) {
		return json.Marshal(app.Update{Type: app.UpdateComplaintStatus, RecordID: id, TrackingCode: code, Status: status,
			Note: note, At: at})
	})
}

func wrapPublish(typ string, err error) error {
	if err != nil && !errors.Is(err, errNotFound) {
		return fmt.Errorf("publish %s: %w", typ, err)
	}
	return err
}

func cursorText(seq int64) string { return fmt.Sprintf("c-%06d", seq) }

func parseCursor(c string) (int64, bool) {
	if c == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(c, "c-"), 10, 64)
	return n, err == nil && strings.HasPrefix(c, "c-") && n >= 0
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	since, ok := parseCursor(r.URL.Query().Get("since"))
	limit := 500
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			ok = false
		}
		limit = n
	}
	if !ok {
		problem(w, http.StatusBadRequest, "malformed", "since must be a cursor from this server and limit 1 to 1000")
		return
	}
	page, err := s.updatesPage(r.Context(), since, limit)
	if err != nil {
		problem(w, http.StatusInternalServerError, "internal", "updates could not be read")
		return
	}
	writeJSON(w, http.StatusOK, page)
}

type updatesPage struct {
	Cursor  string            `json:"cursor"`
	More    bool              `json:"more"`
	Updates []json.RawMessage `json:"updates"`
}

func (s *Server) updatesPage(ctx context.Context, since int64, limit int) (updatesPage, error) {
	p := updatesPage{Cursor: cursorText(since), Updates: []json.RawMessage{}}
	items, err := s.st.UpdatesAfter(ctx, since, limit+1)
	if err != nil {
		return p, err
	}
	if len(items) > limit {
		items, p.More = items[:limit], true
	}
	for _, it := range items {
		p.Updates, p.Cursor = append(p.Updates, json.RawMessage(it.body)), cursorText(it.seq)
	}
	return p, nil
}
