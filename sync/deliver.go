package sync

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
)

// errIncomplete is returned when the central's answer left records of the
// batch unanswered; they stay pending and the round backs off.
var errIncomplete = errors.New("central answered only part of the batch")

// deliver sends pending records batch by batch until none is left.
func (w *Worker) deliver(ctx context.Context, c *Client) error {
	limit := w.BatchRecords
	for {
		recs, err := w.Store.PendingBatch(ctx, limit, w.BatchBytes-1024)
		if err != nil || len(recs) == 0 {
			return err
		}
		if err := w.uploadAttachments(ctx, c, recs); err != nil {
			return err
		}
		sent, err := w.sendBatch(ctx, c, recs)
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusRequestEntityTooLarge {
			if sent == 1 {
				err = w.rejectTooLarge(ctx, recs[0])
			}
			limit = max(1, sent/2)
			w.Logger.Info("central refused the batch as too large; halving", "records", sent, "next", limit)
		}
		if err != nil {
			return err
		}
	}
}

// sendBatch posts the first records of recs that fit BatchBytes and applies
// the answers; it returns how many records it sent.
func (w *Worker) sendBatch(ctx context.Context, c *Client, recs []app.Record) (int, error) {
	batchID := uuid.Must(uuid.NewV7()).String()
	body, err := c.MarshalBatch(batchID, recs, w.Now())
	for err == nil && len(body) > w.BatchBytes && len(recs) > 1 {
		recs = recs[:len(recs)/2]
		body, err = c.MarshalBatch(batchID, recs, w.Now())
	}
	if err != nil {
		return 0, err
	}
	results, err := c.PostBatch(ctx, batchID, body)
	if err != nil {
		if ctx.Err() == nil {
			w.noteFailure(ctx, recs, err)
		}
		return len(recs), err
	}
	valid, missing := matchResults(recs, results)
	if err := w.Store.ApplyResults(ctx, valid); err != nil {
		return len(recs), err
	}
	if len(missing) > 0 {
		_ = w.Store.NoteFailure(ctx, missing, "no answer for the record")
		return len(recs), errIncomplete
	}
	return len(recs), nil
}

// matchResults keeps the first answer for each record sent and drops
// answers about records not in the batch (a confused server or proxy).
// Nothing is marked delivered without the server's answer for that record.
func matchResults(recs []app.Record, results []app.DeliveryResult) (valid []app.DeliveryResult, missing []string) {
	sent := make(map[string]bool, len(recs))
	for _, r := range recs {
		sent[r.ID] = true
	}
	seen := make(map[string]bool, len(recs))
	valid = make([]app.DeliveryResult, 0, len(recs))
	for _, r := range results {
		if !sent[r.ID] || seen[r.ID] {
			continue
		}
		switch r.Status {
		case app.DeliveryCreated, app.DeliveryDuplicate, app.DeliveryConflict, app.DeliveryRejected:
		default:
			continue
		}
		seen[r.ID] = true
		valid = append(valid, r)
	}
	for _, r := range recs {
		if !seen[r.ID] {
			missing = append(missing, r.ID)
		}
	}
	return valid, missing
}

func (w *Worker) noteFailure(ctx context.Context, recs []app.Record, cause error) {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	if err := w.Store.NoteFailure(ctx, ids, describe(cause)); err != nil {
		w.Logger.Warn("note delivery failure", "err", err)
	}
}

// rejectTooLarge keeps a single record the central refuses as too large as
// rejected, for a supervisor: sending it again can never succeed.
func (w *Worker) rejectTooLarge(ctx context.Context, r app.Record) error {
	return w.Store.ApplyResults(ctx, []app.DeliveryResult{{ID: r.ID, Status: app.DeliveryRejected,
		Code: "too_large", Detail: "the central refused this record alone as too large (413)"}})
}

// uploadAttachments PUTs the attachments the records name that the central
// does not hold yet, before the records themselves.
func (w *Worker) uploadAttachments(ctx context.Context, c *Client, recs []app.Record) error {
	var hashes []string
	for i := range recs {
		hashes = append(hashes, recs[i].AttachmentHashes()...)
	}
	if len(hashes) == 0 {
		return nil
	}
	todo, err := w.Store.AttachmentsToUpload(ctx, hashes)
	if err != nil {
		return err
	}
	for _, sha := range todo {
		data, err := w.Store.ReadAttachment(sha)
		if err != nil {
			// The record goes anyway; the central rejects it for the missing
			// attachment and a supervisor sees why.
			w.Logger.Warn("attachment file unreadable", "sha256", sha, "err", err)
			continue
		}
		if err := c.PutAttachment(ctx, sha, http.DetectContentType(data), data); err != nil {
			return fmt.Errorf("upload attachment: %w", err)
		}
		if err := w.Store.MarkAttachmentUploaded(ctx, sha); err != nil {
			return err
		}
	}
	return nil
}

// pull applies /v1/updates page by page; each page commits with its cursor.
func (w *Worker) pull(ctx context.Context, c *Client) error {
	cursor, err := w.Store.SyncState(ctx, app.SyncCursor)
	if err != nil {
		return err
	}
	for {
		page, err := c.Updates(ctx, cursor, w.UpdatesLimit)
		if err != nil {
			return fmt.Errorf("pull updates: %w", err)
		}
		if page.Cursor == "" {
			page.Cursor = cursor
		}
		if err := w.Store.ApplyUpdates(ctx, page); err != nil {
			return err
		}
		if !page.More || page.Cursor == cursor {
			return nil
		}
		cursor = page.Cursor
	}
}
