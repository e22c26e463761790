package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"

	"github.com/kocasinan/gise/app"
)

// SaveAttachment stores the bytes of a scan or photo in the attachment folder
// beside the database, sealed with the terminal key, named by the SHA-256 of
// the plain bytes, and records it; the file is
// synced to disk before the row commits. Saving the same bytes twice is
// harmless. The media type is sniffed from the bytes, not trusted from the
// file name.
func (s *Store) SaveAttachment(ctx context.Context, name string, data []byte) (app.Attachment, error) {
	sum := sha256.Sum256(data)
	a := app.Attachment{SHA256: hex.EncodeToString(sum[:]), MediaType: sniff(data), Size: int64(len(data)), Name: filepath.Base(name)}
	if err := app.ValidateAttachments([]app.Attachment{a}); err != nil {
		return a, err
	}
	sealed, err := s.sealer.Seal(a.SHA256, "attachment", data)
	if err != nil {
		return a, fmt.Errorf("save attachment: %w", err)
	}
	if err := writeFileSync(s.AttachmentPath(a.SHA256), sealed); err != nil {
		return a, s.faultOf(fmt.Errorf("save attachment: %w", err))
	}
	_, err = s.writer.ExecContext(ctx, `INSERT INTO attachments (sha256, media_type, size) VALUES (?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, a.SHA256, a.MediaType, a.Size)
	if err != nil {
		return a, s.faultOf(fmt.Errorf("save attachment: %w", err))
	}
	return a, nil
}

// AttachmentPath returns where the sealed bytes of an attachment live.
func (s *Store) AttachmentPath(sha string) string {
	return filepath.Join(s.Dir(), "attachments", sha[:2], sha)
}

// ReadAttachment returns the plain bytes of a stored attachment.
func (s *Store) ReadAttachment(sha string) ([]byte, error) {
	b, err := os.ReadFile(s.AttachmentPath(sha))
	if err != nil {
		return nil, err
	}
	return s.sealer.Open(sha, "attachment", b)
}

func (w *wtx) attachmentStored(sha string) error {
	var one int
	if err := w.QueryRowContext(w.ctx, `SELECT 1 FROM attachments WHERE sha256 = ?`, sha).Scan(&one); err != nil {
		return &app.Error{Code: app.EINVALID, Field: "attachments",
			Message: "Ek dosya kaydedilmemiş; dosyayı yeniden ekleyin.", Err: err}
	}
	return nil
}

func sniff(data []byte) string {
	ct, _, err := mime.ParseMediaType(http.DetectContentType(data))
	if err != nil {
		return "application/octet-stream"
	}
	return ct
}

// writeFileSync writes data to path through a temporary file, fsyncs it and
// renames it into place, so a crash leaves either nothing or the whole file.
func writeFileSync(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}
