package sync

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/kocasinan/gise/app"
)

// PostHealthReport sends the terminal's health (POST /v1/health-report);
// 204 is success, anything else an *APIError.
func (c *Client) PostHealthReport(ctx context.Context, h app.HealthReport) error {
	body, err := json.Marshal(h)
	if err != nil {
		return err
	}
	r, err := c.rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").SetBody(body).
		Post("/v1/health-report")
	if err != nil {
		return err
	}
	if r.StatusCode() != http.StatusNoContent && r.StatusCode() != http.StatusOK {
		return apiError(r)
	}
	return nil
}

// healthReport is the terminal's health as the worker knows it, completed
// by the HealthInfo hook (version, free disk, printer).
func (w *Worker) healthReport(ctx context.Context, c *Client) (app.HealthReport, error) {
	counts, err := w.Store.OutboxCounts(ctx)
	if err != nil {
		return app.HealthReport{}, err
	}
	now := w.Now()
	h := app.HealthReport{ReportedAt: now.Format(time.RFC3339), Pending: counts.PendingTotal,
		Conflicts: counts.Conflict, Rejected: counts.Rejected}
	if !counts.OldestPending.IsZero() {
		h.OldestPendingAge = max(int64(now.Sub(counts.OldestPending)/time.Second), 0)
	}
	w.mu.Lock()
	h.LastError = w.st.lastError
	w.mu.Unlock()
	if skew, ok := c.ClockSkew(); ok {
		s := int64(skew / time.Second)
		h.ClockSkew = &s
	}
	if w.HealthInfo != nil {
		w.HealthInfo(ctx, &h)
	}
	return h, nil
}

// reportHealth sends the health report at the end of a round that reached
// the central. It never changes the round's outcome: a central without the
// endpoint (404), or one that is down, only costs a debug line. A round the
// central answered with Retry-After sends none (the central asked for
// quiet), and a Retry-After on the report itself holds the next round back.
func (w *Worker) reportHealth(ctx context.Context, c *Client, roundErr error) {
	var ae *APIError
	reached := roundErr == nil || (errors.As(roundErr, &ae) && ae.Status != http.StatusUnauthorized &&
		ae.Status != http.StatusForbidden && ae.RetryAfter == 0)
	if !reached || ctx.Err() != nil {
		return
	}
	h, err := w.healthReport(ctx, c)
	if err == nil {
		err = c.PostHealthReport(ctx, h)
	}
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		w.holdOff(ae.RetryAfter)
	}
	if err != nil && !errorsIsCanceled(err) {
		w.Logger.Debug("health report not sent", "err", err)
	}
}
