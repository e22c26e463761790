package central

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"regexp"

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
	created, err := s.st.PutAttachment(r.Context(), sha, r.Header.Get("Content-Type"), data, s.Now())
	if err != nil {
		s.Logger.Error("store attachment", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the attachment was not stored")
		return
	}
	if created {
		w.WriteHeader(http.StatusCreated)
		return
	}
	w.WriteHeader(http.StatusOK)
}
