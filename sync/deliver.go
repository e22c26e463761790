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

// flight is one batch on its way: its records, the size of its body and,
// once the central has answered, the answers or the failure.
type flight struct {
	recs    []app.Record
	size    int
	results []app.DeliveryResult
	err     error
	done    chan struct{}
}

// pass is what one pass over the pending records came to.
type pass struct {
	err     error   // the failure that steers the worker; never a 413
	refused *flight // the first batch the central refused as too large (413)
	full    bool    // a batch went out that used the limit up
}

// deliver sends pending records batch by batch until none is left, with up
// to InFlight batches on the wire so that the terminal reads and marshals
// the next batch while the central stores the last one. Answers are applied
// as they come, each batch in its own transaction. A 413 halves the batch
// size and the round goes on; a single record refused alone is kept as
// rejected. Each 413 either shrinks the size or takes a record out of the
// queue, so the round ends.
func (w *Worker) deliver(ctx context.Context, c *Client, url string) error {
	lim := w.loadLimit(ctx, url)
	clean, full := true, false
	for {
		p := w.deliverFrom(ctx, c, lim)
		full = full || p.full
		if p.refused != nil {
			clean = false
			var err error
			if lim, err = w.onRefused(ctx, url, lim, p.refused); err != nil {
				return err
			}
		}
		if p.err != nil {
			return p.err
		}
		if p.refused == nil {
			break
		}
	}
	if !clean {
		return nil // the smaller size is stored already
	}
	if next := lim.afterCleanRound(full, w.defaultLimit()); next != lim {
		if next.Records > lim.Records || next.Bytes > lim.Bytes {
			w.Logger.Info("no 413 for a while; trying larger batches", "records", next.Records, "bytes", next.Bytes)
		}
		return w.saveLimit(ctx, url, next)
	}
	return nil
}

// onRefused handles a batch the central refused as too large: a batch of
// one record keeps that record as rejected; any other halves the limit,
// remembered for the central at once.
func (w *Worker) onRefused(ctx context.Context, url string, lim batchLimit, f *flight) (batchLimit, error) {
	if len(f.recs) == 1 {
		w.Logger.Warn("central refused a single record as too large; kept for a supervisor", "record", f.recs[0].ID, "bytes", f.size)
		return lim, w.reject(ctx, f.recs[:1], "too_large", fmt.Sprintf(
			"Merkez (ya da önündeki ağ geçidi) bu kaydı tek başına bile çok büyük buldu (413, %d bayt); kayıt bu hâliyle gönderilemez.", f.size))
	}
	next := lim.shrink(len(f.recs), f.size)
	w.Logger.Info("central refused a batch as too large; halving", "records", len(f.recs), "bytes", f.size,
		"next_records", next.Records, "next_bytes", next.Bytes)
	return next, w.saveLimit(ctx, url, next)
}

// deliverFrom runs one pass over the pending records in batches of at most
// lim. On a failure or a 413 it lets the batches in flight land, then
// returns.
func (w *Worker) deliverFrom(ctx context.Context, c *Client, lim batchLimit) pass {
	var p pass
	var queue []*flight
	var after int64
	land := func(f *flight) {
		<-f.done
		err := w.land(ctx, f)
		switch {
		case isTooLarge(err):
			if p.refused == nil {
				p.refused = f
			}
		case err != nil && steers(err, p.err):
			p.err = err
		case err == nil && lim.isFull(len(f.recs), f.size):
			p.full = true
		}
	}
	for p.err == nil && p.refused == nil {
		recs, last, err := w.Store.PendingBatch(ctx, after, lim.Records, lim.Bytes-1024)
		if err != nil {
			p.err = err
			break
		}
		if len(recs) == 0 {
			break
		}
		if recs, err = w.uploadAttachments(ctx, c, recs); err != nil {
			p.err = err
			break
		}
		if len(recs) == 0 {
			after = last // every record of the batch named a refused attachment
			continue
		}
		f, err := w.launch(ctx, c, recs, lim.Bytes)
		if err != nil {
			p.err = err
			break
		}
		after = last
		if len(f.recs) < len(recs) {
			after = 0 // trimmed to fit the limit: the rest comes in a later pass
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
	return p
}

// isTooLarge reports a 413: the central or a proxy refused the body's size.
func isTooLarge(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusRequestEntityTooLarge
}

// steers reports whether err, from one of the batches in flight together,
// must steer the worker rather than the failure kept so far: the heavier
// one, and of two Retry-Afters the longer, so that every wait the central
// asked for is kept.
func steers(err, kept error) bool {
	if w, k := weight(err), weight(kept); w != k {
		return w > k
	}
	var a, b *APIError
	return errors.As(err, &a) && errors.As(kept, &b) && a.RetryAfter > b.RetryAfter
}

// weight ranks the failures of batches in flight together: a refused
// credential (stop), then a Retry-After (obey it), then any other.
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

// launch marshals the first records of recs whose body fits maxBytes (at
// least one) and posts them in the background.
func (w *Worker) launch(ctx context.Context, c *Client, recs []app.Record, maxBytes int) (*flight, error) {
	batchID := uuid.Must(uuid.NewV7()).String()
	body, err := c.MarshalBatch(batchID, recs, w.Now())
	for err == nil && len(body) > maxBytes && len(recs) > 1 {
		recs = recs[:len(recs)/2]
		body, err = c.MarshalBatch(batchID, recs, w.Now())
	}
	if err != nil {
		return nil, err
	}
	f := &flight{recs: recs, size: len(body), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.results, f.err = c.PostBatch(ctx, batchID, body)
	}()
	return f, nil
}

// land applies a batch's answers, or notes its failure on its records. A
// 413 is not noted: the records go again at once in smaller batches.
func (w *Worker) land(ctx context.Context, f *flight) error {
	if f.err != nil {
		if ctx.Err() == nil && !isTooLarge(f.err) {
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

// reject keeps records the central can never take as rejected, with a
// code and a reason for a supervisor, as if the central had answered so:
// sending them again cannot succeed.
func (w *Worker) reject(ctx context.Context, recs []app.Record, code, detail string) error {
	res := make([]app.DeliveryResult, len(recs))
	for i, r := range recs {
		res[i] = app.DeliveryResult{ID: r.ID, Status: app.DeliveryRejected, Code: code, Detail: detail}
	}
	return w.Store.ApplyResults(ctx, res)
}

// uploadAttachments PUTs the attachments the records name that the central
// does not hold yet, before the records themselves. A record whose
// attachment the central refuses as too large (413) is kept as rejected and
// left out of what it returns.
func (w *Worker) uploadAttachments(ctx context.Context, c *Client, recs []app.Record) ([]app.Record, error) {
	var hashes []string
	for i := range recs {
		hashes = append(hashes, recs[i].AttachmentHashes()...)
	}
	if len(hashes) == 0 {
		return recs, nil
	}
	todo, err := w.Store.AttachmentsToUpload(ctx, hashes)
	if err != nil {
		return nil, err
	}
	refused := map[string]int{}
	for _, sha := range todo {
		data, err := w.Store.ReadAttachment(sha)
		if err != nil {
			// The record goes anyway; the central rejects it for the missing
			// attachment and a supervisor sees why.
			w.Logger.Warn("attachment file unreadable", "sha256", sha, "err", err)
			continue
		}
		err = c.PutAttachment(ctx, sha, http.DetectContentType(data), data)
		if isTooLarge(err) {
			w.Logger.Warn("central refused an attachment as too large", "sha256", sha, "bytes", len(data))
			refused[sha] = len(data)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("upload attachment: %w", err)
		}
		if err := w.Store.MarkAttachmentUploaded(ctx, sha); err != nil {
			return nil, err
		}
	}
	if len(refused) == 0 {
		return recs, nil
	}
	return w.rejectRefusedAttachments(ctx, recs, refused)
}

// rejectRefusedAttachments keeps the records naming a refused attachment
// as rejected and returns the others.
func (w *Worker) rejectRefusedAttachments(ctx context.Context, recs []app.Record, refused map[string]int) ([]app.Record, error) {
	var keep []app.Record
	for _, r := range recs {
		size, bad := 0, false
		for _, sha := range r.AttachmentHashes() {
			if n, ok := refused[sha]; ok {
				size, bad = n, true
			}
		}
		if !bad {
			keep = append(keep, r)
			continue
		}
		detail := fmt.Sprintf("Merkez (ya da önündeki ağ geçidi) bu kaydın ekini çok büyük buldu (413, %d bayt); "+
			"eki daha düşük çözünürlükte tarayıp kaydı düzelterek yeniden gönderin.", size)
		if err := w.reject(ctx, []app.Record{r}, "attachment_too_large", detail); err != nil {
			return nil, err
		}
	}
	return keep, nil
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
