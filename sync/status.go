package sync

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/kocasinan/gise/app"
)

// state is the worker's in-memory view between rounds.
type state struct {
	syncing     bool
	online      bool
	blocked     string // "401" or "403" while an admin must act
	failures    int
	lastAttempt time.Time
	lastSuccess time.Time
	lastError   string
	nextAttempt time.Time
	quietUntil  time.Time // the central's Retry-After: no request of any kind before it
	lastLogged  string
	loggedAt    time.Time
}

// Status is what the UI shows about delivery.
type Status struct {
	Online      bool   // the last round reached the central
	Syncing     bool   // a round is running
	Blocked     string // "401" or "403": the central refused the credentials; an admin must act
	Counts      app.OutboxCounts
	LastSuccess time.Time // end of the last round that left nothing behind
	LastAttempt time.Time
	LastError   string    // a Turkish sentence for the operator, "" after a success
	NextAttempt time.Time // zero when no backoff is running
	// QuietUntil is the end of a wait the central asked for (Retry-After on
	// a 429 or 503); until then no request goes out, "sync now" included.
	// Zero when none runs.
	QuietUntil time.Time
	ClockSkew  time.Duration
	SkewKnown  bool
	// BatchRecords and BatchBytes are the batch size the next round starts
	// with: the configured one, or smaller after the central refused
	// batches as too large (413).
	BatchRecords, BatchBytes int
}

// ClockWarning reports whether the terminal's clock is off by more than
// MaxClockSkew from the central's.
func (s Status) ClockWarning() bool {
	return s.SkewKnown && (s.ClockSkew > MaxClockSkew || s.ClockSkew < -MaxClockSkew)
}

// Status returns the delivery status with fresh counts from the store.
func (w *Worker) Status(ctx context.Context) (Status, error) {
	counts, err := w.Store.OutboxCounts(ctx)
	if err != nil {
		return Status{}, err
	}
	persisted, err := w.Store.SyncState(ctx, app.SyncLastSuccess)
	if err != nil {
		return Status{}, err
	}
	records, bytes := w.BatchLimit(ctx)
	w.mu.Lock()
	defer w.mu.Unlock()
	st := Status{Online: w.st.online, Syncing: w.st.syncing, Blocked: w.st.blocked, Counts: counts,
		LastSuccess: w.st.lastSuccess, LastAttempt: w.st.lastAttempt, LastError: w.st.lastError,
		BatchRecords: records, BatchBytes: bytes}
	if w.st.nextAttempt.After(w.Now()) {
		st.NextAttempt = w.st.nextAttempt
	}
	if w.st.quietUntil.After(w.Now()) {
		st.QuietUntil = w.st.quietUntil
	}
	st.ClockSkew, st.SkewKnown = w.client.ClockSkew()
	if st.LastSuccess.IsZero() && persisted != "" {
		st.LastSuccess, _ = time.Parse(time.RFC3339, persisted) // from an earlier run
	}
	return st, nil
}

// finish records the round's outcome: the backoff, the visible state and
// the persisted last success or last error.
func (w *Worker) finish(ctx context.Context, err error) {
	now := w.Now()
	w.mu.Lock()
	w.st.syncing = false
	var ae *APIError
	isAPI := errors.As(err, &ae)
	w.st.online = err == nil || isAPI
	switch {
	case err == nil:
		w.st.failures, w.st.nextAttempt, w.st.lastError, w.st.lastSuccess = 0, time.Time{}, "", now
		w.st.quietUntil = time.Time{}
	case isAPI && (ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden):
		w.st.blocked = map[int]string{401: "401", 403: "403"}[ae.Status]
		w.st.lastError = describe(err)
	default:
		w.st.failures++
		delay := fullJitter(w.BackoffBase, w.BackoffMax, w.st.failures)
		if isAPI && ae.RetryAfter > 0 {
			delay = min(ae.RetryAfter, w.MaxRetryAfter)
			w.st.quietUntil = now.Add(delay)
		}
		w.st.nextAttempt, w.st.lastError = now.Add(delay), describe(err)
	}
	blocked, lastErr := w.st.blocked, w.st.lastError
	w.logOnce(err)
	w.mu.Unlock()
	if ctx.Err() != nil && err != nil {
		ctx = context.Background() // the round's deadline passed; the bookkeeping must still land
	}
	w.persist(ctx, err == nil, now, blocked, lastErr)
}

func (w *Worker) persist(ctx context.Context, ok bool, now time.Time, blocked, lastErr string) {
	var err error
	if ok {
		err = w.Store.SetSyncState(ctx, app.SyncLastSuccess, now.Format(time.RFC3339))
	}
	if err == nil {
		err = w.Store.SetSyncState(ctx, app.SyncLastError, lastErr)
	}
	if err == nil && blocked != "" {
		err = w.Store.SetSyncState(ctx, app.SyncBlocked, blocked)
	}
	if err != nil && !errorsIsCanceled(err) {
		w.Logger.Warn("store sync state", "err", err)
	}
}

// logOnce logs a failure, but the same failure at most once a minute, and
// never a shutdown. Caller holds w.mu.
func (w *Worker) logOnce(err error) {
	if err == nil || errorsIsCanceled(err) {
		return
	}
	msg := err.Error()
	if msg == w.st.lastLogged && w.Now().Sub(w.st.loggedAt) < time.Minute {
		return
	}
	w.st.lastLogged, w.st.loggedAt = msg, w.Now()
	w.Logger.Warn("sync round failed", "err", msg, "failures", w.st.failures, "next_attempt", w.st.nextAttempt)
}

// describe turns a failure into a sentence for the operator.
func describe(err error) string {
	var ae *APIError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
		return "Merkez terminalin anahtarını kabul etmedi (401); sistem yöneticisi terminali yeniden kaydetmeli."
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return "Merkez bu terminali devre dışı bırakmış (403); sistem yöneticisine haber verin."
	case errors.As(err, &ae) && (ae.Status == http.StatusTooManyRequests || ae.Status == http.StatusServiceUnavailable):
		return "Merkez şu an yoğun; kayıtlar biraz sonra kendiliğinden gönderilecek."
	case errors.As(err, &ae):
		return "Merkez beklenmeyen bir yanıt verdi (" + http.StatusText(ae.Status) + "); kayıtlar saklı, yeniden denenecek."
	case errors.Is(err, errPinMismatch):
		return "Merkezin sunucu anahtarı sabitlenen anahtarla uyuşmuyor; bağlantı güvenli değil, bilgi işleme haber verin."
	case errors.Is(err, errIncomplete):
		return "Merkez bazı kayıtları yanıtsız bıraktı; o kayıtlar saklı, yeniden denenecek."
	case errors.Is(err, context.DeadlineExceeded):
		return "Merkez zamanında yanıt vermedi; kayıtlar saklı, yeniden denenecek."
	case app.ErrorCode(err) != app.EINTERNAL:
		return app.ErrorMessage(err)
	default:
		return "Merkeze ulaşılamıyor; kayıtlar bu terminalde saklı, ağ gelince gönderilecek."
	}
}

// MaskReason readies a central's reason for a record, or a local one, for a
// console or a log: runs of ten or more digits (a national ID, a phone
// number) keep their first three and last two, an e-mail address its first
// letter and its domain, control characters become spaces, and the text is
// cut at 300 characters. A reason names fields, not people, but a server
// may echo a value.
func MaskReason(s string) string {
	s = digitRun.ReplaceAllStringFunc(s, func(d string) string {
		return d[:3] + strings.Repeat("*", len(d)-5) + d[len(d)-2:]
	})
	s = emailLocal.ReplaceAllStringFunc(s, func(e string) string {
		return e[:1] + "***@"
	})
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

var (
	digitRun   = regexp.MustCompile(`[0-9]{10,}`)
	emailLocal = regexp.MustCompile(`[\p{L}0-9._%+-]+@`)
)

// holdOff obeys a Retry-After that came outside a round's outcome (the
// health report's): nothing goes out before it ends.
func (w *Worker) holdOff(d time.Duration) {
	until := w.Now().Add(min(d, w.MaxRetryAfter))
	w.mu.Lock()
	defer w.mu.Unlock()
	if until.After(w.st.quietUntil) {
		w.st.quietUntil = until
	}
	if until.After(w.st.nextAttempt) {
		w.st.nextAttempt = until
	}
}

// quietLeft is how long the wait the central asked for still runs.
func (w *Worker) quietLeft() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.st.quietUntil.Sub(w.Now())
}
