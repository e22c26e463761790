package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/kocasinan/gise/app"
)

// DefaultRequestTimeout bounds one HTTP attempt.
const DefaultRequestTimeout = 30 * time.Second

// Client speaks the central API contract through one resty client. resty's
// own retries stay off: the Worker owns retries and backoff, so the two
// never compound.
type Client struct {
	rc       *resty.Client
	deviceID string

	mu      gosync.Mutex
	skew    time.Duration // server Date minus local clock at the last response
	skewSet bool
}

// NewClient returns a client for s. EINVALID when the URL or the pin is
// unusable, or plain HTTP is asked for a host other than loopback.
func NewClient(s Settings, timeout time.Duration) (*Client, error) {
	pin, err := s.validate()
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	c := &Client{deviceID: s.DeviceID}
	c.rc = resty.New().
		SetTransport(newTransport(s, pin)).
		SetBaseURL(strings.TrimRight(s.BaseURL, "/")).
		SetTimeout(timeout).
		SetRetryCount(0).
		SetRedirectPolicy(resty.NoRedirectPolicy()).
		SetLogger(quietLogger{}).
		SetHeader("User-Agent", "gise-sync/1").
		SetHeader("Accept", "application/json, application/problem+json").
		SetResponseBodyLimit(64 << 20)
	if s.Token != "" {
		c.rc.SetAuthToken(s.Token)
	}
	if s.DeviceID != "" {
		c.rc.SetHeader("X-Device-Id", s.DeviceID)
	}
	c.rc.OnAfterResponse(func(_ *resty.Client, r *resty.Response) error {
		if d, err := http.ParseTime(r.Header().Get("Date")); err == nil {
			c.mu.Lock()
			c.skew, c.skewSet = time.Until(d).Round(time.Second), true
			c.mu.Unlock()
		}
		return nil
	})
	return c, nil
}

// ClockSkew returns how far the server's Date header was ahead of the local
// clock at the last response, and whether any response has been seen.
func (c *Client) ClockSkew() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skew, c.skewSet
}

// Close releases idle connections.
func (c *Client) Close() { c.rc.GetClient().CloseIdleConnections() }

// APIError is a whole-request answer other than success: the HTTP status,
// the problem document's code and detail, and the server's Retry-After.
type APIError struct {
	Status     int
	Code       string
	Detail     string
	RetryAfter time.Duration // 0 when the server sent none
}

// Error implements error.
func (e *APIError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("central answered %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("central answered %d", e.Status)
}

func apiError(r *resty.Response) *APIError {
	e := &APIError{Status: r.StatusCode(), RetryAfter: retryAfter(r.Header().Get("Retry-After"), time.Now())}
	var p struct {
		Code   string `json:"code"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal(r.Body(), &p) == nil {
		e.Code, e.Detail = p.Code, p.Detail
	}
	return e
}

// retryAfter reads Retry-After in either form: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(n, 0)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// MarshalBatch returns the body of POST /v1/batches for recs, pre-marshalled
// so that a resend carries exactly the same bytes. Each record's data goes
// out byte for byte as stored (canonical JSON); EINVALID if one is not JSON.
func (c *Client) MarshalBatch(batchID string, recs []app.Record, now time.Time) ([]byte, error) {
	size := 128
	for i := range recs {
		size += len(recs[i].Data) + 160
	}
	b := bytes.NewBuffer(make([]byte, 0, size))
	b.WriteString(`{"batch_id":`)
	writeJSONString(b, batchID)
	b.WriteString(`,"device_id":`)
	writeJSONString(b, c.deviceID)
	b.WriteString(`,"sent_at":`)
	writeJSONString(b, now.Format(time.RFC3339))
	b.WriteString(`,"records":[`)
	for i := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeRecord(b, &recs[i]); err != nil {
			return nil, err
		}
	}
	b.WriteString(`]}`)
	return b.Bytes(), nil
}

// writeRecord writes one record as a batch carries it (and a bundle's
// records part, one a line): its data byte for byte as stored. EINVALID if
// the data is not JSON.
func writeRecord(b *bytes.Buffer, r *app.Record) error {
	if !json.Valid(r.Data) {
		return app.Errorf(app.EINVALID, "Kuyruktaki bir kaydın içeriği bozuk (%s).", r.ID)
	}
	b.WriteString(`{"id":`)
	writeJSONString(b, r.ID)
	b.WriteString(`,"type":`)
	writeJSONString(b, r.Type)
	b.WriteString(`,"schema":`)
	b.WriteString(strconv.Itoa(r.Schema))
	b.WriteString(`,"occurred_at":`)
	writeJSONString(b, r.OccurredAt.Format(time.RFC3339))
	b.WriteString(`,"data":`)
	b.Write(r.Data)
	b.WriteByte('}')
	return nil
}

// writeJSONString writes s as a JSON string without HTML escaping.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Truncate(b.Len() - 1)
}

type resultJSON struct {
	ID        string         `json:"id"`
	Status    string         `json:"status"`
	ServerRef string         `json:"server_ref"`
	AuditHead *app.AuditHead `json:"audit_head"`
	Error     *struct {
		Code   string `json:"code"`
		Detail string `json:"detail"`
	} `json:"error"`
}

// PostBatch sends one batch body and returns the per-record results as the
// server gave them (possibly repeated or out of order). A non-2xx answer is
// an *APIError; a broken connection is any other error.
func (c *Client) PostBatch(ctx context.Context, batchID string, body []byte) ([]app.DeliveryResult, error) {
	r, err := c.rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").
		SetHeader("Idempotency-Key", batchID).SetBody(body).Post("/v1/batches")
	if err != nil {
		return nil, err
	}
	if r.StatusCode() != http.StatusOK {
		return nil, apiError(r)
	}
	var res struct {
		Results []resultJSON `json:"results"`
	}
	if err := json.Unmarshal(r.Body(), &res); err != nil {
		return nil, fmt.Errorf("batch answer: %w", err)
	}
	out := make([]app.DeliveryResult, 0, len(res.Results))
	for _, x := range res.Results {
		d := app.DeliveryResult{ID: x.ID, Status: x.Status, ServerRef: x.ServerRef, AuditHead: x.AuditHead}
		if x.Error != nil {
			d.Code, d.Detail = x.Error.Code, x.Error.Detail
		}
		out = append(out, d)
	}
	return out, nil
}

// PutAttachment uploads one attachment by its hash; 200 and 201 both mean
// the central holds it.
func (c *Client) PutAttachment(ctx context.Context, sha, mediaType string, data []byte) error {
	r, err := c.rc.R().SetContext(ctx).SetHeader("Content-Type", mediaType).SetBody(data).
		Put("/v1/attachments/" + sha)
	if err != nil {
		return err
	}
	if r.StatusCode() != http.StatusOK && r.StatusCode() != http.StatusCreated {
		return apiError(r)
	}
	return nil
}

// Updates fetches one page of /v1/updates after cursor.
func (c *Client) Updates(ctx context.Context, cursor string, limit int) (app.UpdatesPage, error) {
	var p app.UpdatesPage
	r, err := c.rc.R().SetContext(ctx).SetQueryParam("since", cursor).
		SetQueryParam("limit", strconv.Itoa(limit)).Get("/v1/updates")
	if err != nil {
		return p, err
	}
	if r.StatusCode() != http.StatusOK {
		return p, apiError(r)
	}
	if err := json.Unmarshal(r.Body(), &p); err != nil {
		return p, fmt.Errorf("updates answer: %w", err)
	}
	return p, nil
}

// ServerTime is the answer of /v1/health: the server's clock from the body
// and from the Date header, and the local clock's offset from it.
type ServerTime struct {
	Time time.Time     // from the body
	Date time.Time     // from the Date header (second precision)
	Skew time.Duration // Time minus the local clock; above 120 s the operator is warned
}

// MaxClockSkew is the offset beyond which a terminal warns its operator.
const MaxClockSkew = 120 * time.Second

// Health calls GET /v1/health (no authentication) and returns the server's time.
func (c *Client) Health(ctx context.Context) (ServerTime, error) {
	var st ServerTime
	r, err := c.rc.R().SetContext(ctx).Get("/v1/health")
	if err != nil {
		return st, err
	}
	if r.StatusCode() != http.StatusOK {
		return st, apiError(r)
	}
	var body struct {
		Status string    `json:"status"`
		Time   time.Time `json:"time"`
	}
	if err := json.Unmarshal(r.Body(), &body); err != nil || body.Status != "ok" {
		return st, fmt.Errorf("health answer: not ok")
	}
	st.Time = body.Time
	st.Date, _ = http.ParseTime(r.Header().Get("Date"))
	st.Skew = time.Until(st.Time).Round(time.Second)
	return st, nil
}

// Health checks a central before enrolment and returns its time. It uses
// the system roots and allows plain HTTP only to loopback.
func Health(ctx context.Context, baseURL string) (ServerTime, error) {
	c, err := NewClient(Settings{BaseURL: baseURL}, 15*time.Second)
	if err != nil {
		return ServerTime{}, err
	}
	defer c.Close()
	return c.Health(ctx)
}

// quietLogger drops resty's own log lines: the worker logs what matters,
// without personal data.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}
