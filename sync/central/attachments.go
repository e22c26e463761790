package central

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/kocasinan/gise/app"
)

var shaRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

// putAttachment stores an attachment by its hash: 201 stored, 200 already
// there, 422 when the bytes do not hash to the path.
func (s *Server) putAttachment(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha256")
	if !shaRe.MatchString(sha) {
		problem(w, http.StatusBadRequest, "malformed", "the path must name a lowercase hex SHA-256")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, app.MaxAttachmentSize))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		problem(w, http.StatusRequestEntityTooLarge, "too_large", "an attachment is at most 20 MiB")
		return
	}
	if err != nil {
		problem(w, http.StatusBadRequest, "malformed", "the body could not be read")
		return
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		problem(w, http.StatusUnprocessableEntity, "hash_mismatch", "the bytes do not hash to the path")
		return
	}
	var one int
	err = s.db.QueryRowContext(r.Context(), `SELECT 1 FROM attachments WHERE sha256 = ?`, sha).Scan(&one)
	if err == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	if !errors.Is(err, sql.ErrNoRows) {
		problem(w, http.StatusInternalServerError, "internal", "attachment lookup failed")
		return
	}
	if err := s.saveAttachment(r.Context(), sha, r.Header.Get("Content-Type"), data); err != nil {
		s.Logger.Error("store attachment", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the attachment was not stored")
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) saveAttachment(ctx context.Context, sha, mediaType string, data []byte) error {
	path := filepath.Join(s.dir, "attachments", sha)
	if err := os.WriteFile(path+".tmp", data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO attachments (sha256, media_type, size, stored_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`, sha, mediaType, len(data),
		s.Now().Format(time.RFC3339))
	return err
}
