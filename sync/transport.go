package sync

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"
)

// newTransport returns the HTTP transport: system roots (or s.RootCAs),
// TLS 1.2 at least, and when pin is set a check in VerifyConnection that the
// server's leaf key hashes to it, on top of the normal chain verification.
func newTransport(s Settings, pin []byte) *http.Transport {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: s.RootCAs}
	if pin != nil {
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("server sent no certificate")
			}
			sum := sha256.Sum256(cs.PeerCertificates[0].RawSubjectPublicKeyInfo)
			if subtle.ConstantTimeCompare(sum[:], pin) != 1 {
				return errPinMismatch
			}
			return nil
		}
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       cfg,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConns:          4,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// errPinMismatch is returned when the server's key is not the pinned one.
var errPinMismatch = errors.New("server key does not match the pinned SHA-256")
