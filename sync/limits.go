package sync

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/kocasinan/gise/app"
)

// Batch size memory. A central, or a proxy in front of it, may refuse
// bodies far smaller than the contract's 4 MiB (nginx's default
// client_max_body_size is 1 MiB). A 413 halves the batch and the round goes
// on; the size that worked is kept per central, so that later rounds (and a
// restart) start there rather than at 500 records again.
const (
	// MinBatchBytes is the smallest body limit halving goes down to; below it
	// only the record count keeps halving, down to one record.
	MinBatchBytes = 4 << 10
	// ProbeAfter is how many rounds in a row must send a full batch without
	// a 413 before the remembered size doubles again (towards the defaults):
	// the proxy may have been fixed.
	ProbeAfter = 10
)

// batchLimit is how big the batches to one central may be.
type batchLimit struct {
	Records int `json:"records"`
	Bytes   int `json:"bytes"`
	// Full counts the rounds in a row that sent a full batch at this size
	// without a 413.
	Full int `json:"full_rounds"`
}

// limitKey is the sync_state key of a central's remembered batch size.
func limitKey(baseURL string) string {
	return "batch_limit " + strings.TrimRight(strings.TrimSpace(baseURL), "/")
}

// defaultLimit is the worker's configured batch size.
func (w *Worker) defaultLimit() batchLimit {
	return batchLimit{Records: max(1, w.BatchRecords), Bytes: max(MinBatchBytes, w.BatchBytes)}
}

// loadLimit returns the batch size to start a round to baseURL with: the
// remembered one, never above the configured one.
func (w *Worker) loadLimit(ctx context.Context, baseURL string) batchLimit {
	def := w.defaultLimit()
	l, ok := readLimit(ctx, w.Store, baseURL)
	if !ok {
		return def
	}
	l.Records = min(max(1, l.Records), def.Records)
	l.Bytes = min(max(MinBatchBytes, l.Bytes), def.Bytes)
	return l
}

// readLimit returns the limit stored for baseURL; false when none is.
func readLimit(ctx context.Context, store app.OutboxStore, baseURL string) (batchLimit, bool) {
	v, err := store.SyncState(ctx, limitKey(baseURL))
	var l batchLimit
	if err != nil || v == "" || json.Unmarshal([]byte(v), &l) != nil {
		return l, false
	}
	return l, true
}

// StoredBatchLimit returns the batch size remembered for the central at
// baseURL after it refused batches as too large (413); false when none is
// and the configured size applies. For gise status, which runs no worker.
func StoredBatchLimit(ctx context.Context, store app.OutboxStore, baseURL string) (records, bytes int, ok bool) {
	l, ok := readLimit(ctx, store, baseURL)
	return l.Records, l.Bytes, ok
}

// saveLimit remembers l for baseURL; the configured size is not stored.
func (w *Worker) saveLimit(ctx context.Context, baseURL string, l batchLimit) error {
	v := ""
	if def := w.defaultLimit(); l.Records < def.Records || l.Bytes < def.Bytes {
		b, _ := json.Marshal(l)
		v = string(b)
	}
	return w.Store.SetSyncState(ctx, limitKey(baseURL), v)
}

// shrink is the limit after the central refused a batch of n records and
// size bytes as too large: half of each.
func (l batchLimit) shrink(n, size int) batchLimit {
	return batchLimit{Records: max(1, min(l.Records, n)/2), Bytes: max(MinBatchBytes, min(l.Bytes, size)/2)}
}

// afterCleanRound is the limit after a round without a 413; full tells
// whether a batch went out at the full size. After ProbeAfter such rounds
// the size doubles, up to def.
func (l batchLimit) afterCleanRound(full bool, def batchLimit) batchLimit {
	if !full || (l.Records >= def.Records && l.Bytes >= def.Bytes) {
		return l
	}
	if l.Full++; l.Full < ProbeAfter {
		return l
	}
	return batchLimit{Records: min(def.Records, 2*l.Records), Bytes: min(def.Bytes, 2*l.Bytes)}
}

// isFull reports whether a batch of n records and size bytes used the
// limit up: as many records as allowed, or most of the bytes (PendingBatch
// stops before the record that would pass them).
func (l batchLimit) isFull(n, size int) bool {
	return n >= l.Records || size >= l.Bytes-l.Bytes/4
}

// BatchLimit returns the batch size the next round to the current central
// starts with: the configured one, or smaller after a 413.
func (w *Worker) BatchLimit(ctx context.Context) (records, bytes int) {
	w.mu.Lock()
	url := w.settings.BaseURL
	w.mu.Unlock()
	l := w.loadLimit(ctx, url)
	return l.Records, l.Bytes
}
