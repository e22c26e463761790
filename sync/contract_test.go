package sync_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	gosync "sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

// contractCheck wraps a handler and validates every request (the client's
// side) and every response (the server's side) against sync/openapi.yaml.
type contractCheck struct {
	v    validator.Validator
	next http.Handler

	mu       gosync.Mutex
	problems []string
	seen     map[string]bool // "METHOD path-template status"
}

func newContractCheck(t testing.TB, next http.Handler) *contractCheck {
	t.Helper()
	doc, err := libopenapi.NewDocument(gsync.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("openapi.yaml: %s: %s", e.Message, e.Reason)
		}
		t.FailNow()
	}
	return &contractCheck{v: v, next: next, seen: map[string]bool{}}
}

func (c *contractCheck) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	check := r.Clone(context.Background())
	check.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	resp := rec.Result()
	if resp.Header.Get("Date") == "" {
		resp.Header.Set("Date", "set by net/http when served") // the recorder bypasses the server's Date
	}
	respBody := rec.Body.Bytes()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	_, errs := c.v.ValidateHttpRequestResponse(check, resp)
	c.mu.Lock()
	for _, e := range errs {
		c.problems = append(c.problems, fmt.Sprintf("%s %s → %d: %s (%s)", r.Method, r.URL.Path, rec.Code, e.Message, e.Reason))
	}
	c.seen[fmt.Sprintf("%s %d", r.Method, rec.Code)] = true
	c.mu.Unlock()
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(respBody)
}

func (c *contractCheck) report(t *testing.T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.problems {
		t.Error(p)
	}
}

// TestClientAndServerKeepTheContract runs on both stores of the reference
// central.
func TestClientAndServerKeepTheContract(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) { keepTheContract(t, store) })
	}
}

func keepTheContract(t *testing.T, store string) {
	ctx := context.Background()
	c := newCentralOn(t, store)
	cc := newContractCheck(t, c.srv.Handler())
	hs := httptest.NewServer(cc)
	defer hs.Close()

	terminal, path := openStore(t)
	s := seedOutbox(t, path, 300, 20, 30)
	preloadConflicts(t, &testCentral{srv: c.srv, http: hs, token: c.token}, s)
	att, err := terminal.SaveAttachment(ctx, "dilekce.png", pngBytes())
	if err != nil {
		t.Fatal(err)
	}
	filed := &app.Complaint{Anonymous: true, Kind: app.KindComplaint, CategoryCode: "TEM-01",
		Description: "Konteyner taşıyor", Channel: app.ChannelCounter, Attachments: []app.Attachment{att}}
	if err := terminal.FileComplaint(ctx, app.Actor{Username: "ayse", Role: app.RoleClerk}, filed); err != nil {
		t.Fatal(err)
	}
	w, err := gsync.NewWorker(terminal, c.settings(hs.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.BatchRecords = 120
	w.UpdatesLimit = 3
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.srv.SetComplaintStatus(ctx, filed.TrackingCode.String(), "resolved", "Konteyner boşaltıldı"); err != nil {
		t.Fatal(err)
	}
	c.srv.PublishNotice(ctx, central.Notice{Version: 2, Language: "tr", Text: "metin", EffectiveFrom: "2027-01-01"})
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := terminal.ComplaintByTrackingCode(ctx, filed.TrackingCode)
	if err != nil || got.Status != "resolved" {
		t.Fatalf("status did not flow back: %+v %v", got, err)
	}
	if _, err := gsync.Health(ctx, hs.URL); err != nil {
		t.Fatal(err)
	}
	// Refusals are problem documents of the contract too.
	bad, _ := gsync.NewClient(gsync.Settings{BaseURL: hs.URL, DeviceID: deviceID, Token: "wrong"}, 0)
	empty, _ := bad.MarshalBatch("0193a4c2-0000-7000-8000-000000000000", nil, time.Now())
	if _, err := bad.PostBatch(ctx, "b", empty); err == nil {
		t.Fatal("a wrong token was accepted")
	}
	good, _ := gsync.NewClient(c.settings(hs.URL), 0)
	if err := good.PutAttachment(ctx, hex.EncodeToString(make([]byte, 32)), "image/png", pngBytes()); err == nil {
		t.Fatal("bytes that do not hash to the path were accepted")
	}
	cc.report(t)
	for _, want := range []string{"POST 200", "POST 204", "PUT 201", "GET 200", "POST 401", "PUT 422"} {
		if !cc.seen[want] {
			t.Errorf("the contract test never saw %s", want)
		}
	}
}

// pngBytes is a tiny PNG-looking file (its signature is enough for sniffing).
func pngBytes() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
}
