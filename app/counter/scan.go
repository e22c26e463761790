package counter

import (
	"context"
	"fmt"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/paper"
)

// AttachScan makes one PDF of the pages scanned for a complaint being
// written and stores it like every attachment: named by its hash, sealed
// with the terminal key, at most app.MaxAttachmentSize (EINVALID beyond).
func (s *Service) AttachScan(ctx context.Context, sess *auth.Session, pages []app.ScannedPage) (app.Attachment, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return app.Attachment{}, err
	}
	if len(pages) == 0 {
		return app.Attachment{}, app.FieldError("attachments", "Taranmış sayfa yok; önce Tara'ya basın.")
	}
	pdf, err := paper.ScanPDF(pages, s.Now())
	if err != nil {
		return app.Attachment{}, err
	}
	return s.Store.SaveAttachment(ctx, fmt.Sprintf("tarama-%d-sayfa.pdf", len(pages)), pdf)
}
