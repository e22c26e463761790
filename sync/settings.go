// Package sync delivers the terminal's outbox to the central API and pulls
// back what changed centrally (complaint statuses, catalogues, notice
// versions). The Worker is shaped like litestream's replicator: Start/Stop,
// a synchronous Sync for tests and headless runs, and a "sync now" Trigger.
// The reference central server lives in the top-level package central.
package sync

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

// Settings are what the worker needs to reach the central; main fills them
// from the enrolment and the configuration.
type Settings struct {
	// BaseURL of the central API, e.g. https://ebelediye.kocasinan.bel.tr.
	BaseURL string
	// DeviceID and Token were provisioned when the terminal was enrolled.
	DeviceID string
	Token    string
	// PinSHA256 optionally pins the server's key: the SHA-256 of its
	// SubjectPublicKeyInfo, in base64 or hex.
	PinSHA256 string
	// AllowPlainHTTP permits http:// to a host other than loopback.
	AllowPlainHTTP bool
	// Interval between rounds when nothing wakes the worker (default 30 s).
	Interval time.Duration
	// RootCAs replaces the system roots (a private municipal CA; tests).
	RootCAs *x509.CertPool
}

// DefaultInterval is the time between rounds when nothing wakes the worker.
const DefaultInterval = 30 * time.Second

// validate checks the URL scheme and the pin, and returns the decoded pin.
func (s Settings) validate() ([]byte, error) {
	u, err := url.Parse(s.BaseURL)
	if err != nil || u.Host == "" {
		return nil, app.Errorf(app.EINVALID, "Merkez adresi geçersiz; ayarlardaki adresi düzeltin.")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && (s.AllowPlainHTTP || isLoopback(u.Hostname())):
	default:
		return nil, app.Errorf(app.EINVALID, "Merkeze yalnızca HTTPS ile bağlanılır; şifresiz bağlantı yalnızca bu bilgisayarın kendisine açıktır.")
	}
	if s.PinSHA256 == "" {
		return nil, nil
	}
	pin, err := decodePin(s.PinSHA256)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "Sabitlenmiş sunucu anahtarı özeti geçersiz; ayarlardaki değeri düzeltin.")
	}
	return pin, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func decodePin(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == sha256.Size {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == sha256.Size {
			return b, nil
		}
	}
	return nil, fmt.Errorf("pin is not a SHA-256 in hex or base64")
}

// SPKIPin returns the base64 SHA-256 of a certificate's SubjectPublicKeyInfo:
// the value to put in Settings.PinSHA256.
func SPKIPin(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}
