package sync_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	gsync "github.com/kocasinan/gise/sync"
)

func TestPinnedKeyAndPlainHTTPRules(t *testing.T) {
	ctx := context.Background()
	c := newCentral(t)
	ts := httptest.NewTLSServer(c.srv.Handler())
	defer ts.Close()
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	set := c.settings(ts.URL)
	set.RootCAs = roots

	set.PinSHA256 = gsync.SPKIPin(ts.Certificate())
	cl, err := gsync.NewClient(set, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Health(ctx); err != nil {
		t.Fatalf("right pin: %v", err)
	}
	sum := sha256.Sum256([]byte("another key"))
	set.PinSHA256 = hex.EncodeToString(sum[:])
	cl, _ = gsync.NewClient(set, 0)
	if _, err := cl.Health(ctx); err == nil {
		t.Fatal("a server with another key was trusted")
	}

	for _, c := range []struct {
		url   string
		allow bool
		ok    bool
	}{
		{"http://127.0.0.1:8700", false, true},
		{"http://[::1]:8700", false, true},
		{"http://localhost:8700", false, true},
		{"http://ebelediye.kocasinan.bel.tr", false, false},
		{"http://ebelediye.kocasinan.bel.tr", true, true},
		{"https://ebelediye.kocasinan.bel.tr", false, true},
		{"ftp://x", true, false},
	} {
		_, err := gsync.NewClient(gsync.Settings{BaseURL: c.url, AllowPlainHTTP: c.allow}, 0)
		if (err == nil) != c.ok || (err != nil && app.ErrorCode(err) != app.EINVALID) {
			t.Errorf("%s allow=%v: %v", c.url, c.allow, err)
		}
	}
}

func TestRetryAfterSetsTheNextAttempt(t *testing.T) {
	ctx := context.Background()
	store, path := openStore(t)
	seedOutbox(t, path, 3, 0, 0)
	for _, c := range []struct {
		status int
		header string
		want   time.Duration
	}{
		{http.StatusTooManyRequests, "7", 7 * time.Second},
		{http.StatusServiceUnavailable, time.Now().Add(42 * time.Second).UTC().Format(http.TimeFormat), 42 * time.Second},
	} {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", c.header)
			w.WriteHeader(c.status)
		}))
		w, err := gsync.NewWorker(store, gsync.Settings{BaseURL: hs.URL, DeviceID: deviceID, Token: "t"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ae *gsync.APIError
		if err := w.Sync(ctx); !errors.As(err, &ae) || ae.Status != c.status {
			t.Fatalf("%d: %v", c.status, err)
		}
		st, _ := w.Status(ctx)
		if got := time.Until(st.NextAttempt); got < c.want-2*time.Second || got > c.want+time.Second {
			t.Errorf("%d Retry-After %q: next attempt in %v, want about %v", c.status, c.header, got, c.want)
		}
		if st.Counts.PendingTotal != 3 || st.LastError == "" || !st.Online {
			t.Errorf("%d: status %+v", c.status, st)
		}
		hs.Close()
	}
}
