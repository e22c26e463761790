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

// flight is one batch on its way: its records and, once the central has
// answered, the answers or the failure.
type flight struct {
	recs    []app.Record
	results []app.DeliveryResult
	err     error
	done    chan struct{}
}

// deliver sends pending records batch by batch until none is left, with up
// to InFlight batches on the wire so that the terminal reads and marshals
// the next batch while the central stores the last one. Answers are applied
// as they come, each batch in its own transaction.
func (w *Worker) deliver(ctx context.Context, c *Client) error {
	limit := w.BatchRecords
	for {
		n, err := w.deliverFrom(ctx, c, limit)
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusRequestEntityTooLarge {
			if n == 1 {
				err = w.rejectTooLarge(ctx, ae.recs[0])
			}
			limit = max(1, n/2)
			w.Logger.Info("central refused a batch as too large; halving", "records", n, "next", limit)
			if err == nil {
				continue
			}
		}
		return err
	}
}

// deliverFrom runs one pass over the pending records in batches of limit.
// On a failure it lets the batches in flight land, then returns the first
// failure and the size of the batch that failed.
func (w *Worker) deliverFrom(ctx context.Context, c *Client, limit int) (int, error) {
	var queue []*flight
	var after int64
	var firstErr error
	failedSize := 0
	land := func(f *flight) {
		<-f.done
		if err := w.land(ctx, f); err != nil && weight(err) > weight(firstErr) {
			firstErr, failedSize = err, len(f.recs)
		}
	}
	for firstErr == nil {
		recs, last, err := w.Store.PendingBatch(ctx, after, limit, w.BatchBytes-1024)
		if err != nil {
			firstErr = err
			break
		}
		if len(recs) == 0 {
			break
		}
		if err := w.uploadAttachments(ctx, c, recs); err != nil {
			firstErr = err
			break
		}
		f, err := w.launch(ctx, c, recs)
		if err != nil {
			firstErr = err
			break
		}
		after = last
		if len(f.recs) < len(recs) {
			after = 0 // trimmed to fit BatchBytes: the rest comes in a later pass
		}
		queue = append(queue, f)
		if len(queue) >= max(1, w.InFlight) {
			land(queue[0])
			queue = queue[1:]
		}
		if after == 0 {
			for _, f := range queue {
				land(f)
			}
			queue = nil
		}
	}
	for _, f := range queue {
		land(f)
	}
	return failedSize, firstErr
}

// weight ranks the failures of batches in flight together, so that the one
// that must steer the worker is returned: a refused credential (stop), then
// a Retry-After (obey it), then any other.
func weight(err error) int {
	var ae *APIError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ae) && (ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden):
		return 3
	case errors.As(err, &ae) && ae.RetryAfter > 0:
		return 2
	default:
		return 1
	}
}

// launch marshals the first records of recs that fit BatchBytes and posts
// them in the background.
func (w *Worker) launch(ctx context.Context, c *Client, recs []app.Record) (*flight, error) {
	batchID := uuid.Must(uuid.NewV7()).String()
	body, err := c.MarshalBatch(batchID, recs, w.Now())
	for err == nil && len(body) > w.BatchBytes && len(recs) > 1 {
		recs = recs[:len(recs)/2]
		body, err = c.MarshalBatch(batchID, recs, w.Now())
	}
	if err != nil {
		return nil, err
	}
	f := &flight{recs: recs, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.results, f.err = c.PostBatch(ctx, batchID, body)
	}()
	return f, nil
}

// land applies a batch's answers, or notes its failure on its records.
func (w *Worker) land(ctx context.Context, f *flight) error {
	if f.err != nil {
		var ae *APIError
		if errors.As(f.err, &ae) {
			ae.recs = f.recs
		}
		if ctx.Err() == nil {
			w.noteFailure(ctx, f.recs, f.err)
		}
		return f.err
	}
	valid, missing := matchResults(f.recs, f.results)
	if err := w.Store.ApplyResults(ctx, valid); err != nil {
		return err
	}
	if len(missing) > 0 {
		_ = w.Store.NoteFailure(ctx, missing, "no answer for the record")
		return errIncomplete
	}
	return nil
}

// matchResults keeps the first answer for each record sent and drops
// answers about records not in the batch (a confused server or proxy),
// and an audit_gap conflict, which means the central waits for earlier
// audit events (a batch on the wire overtook the one holding them).
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
		if r.Status == app.DeliveryConflict && r.Code == app.AuditConflictGap {
			continue // earlier audit events have not reached the central yet: resent, in order
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
