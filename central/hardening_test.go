package central

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAdminTokenOnlyAsBearer(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		const body = `{"code":"MAH-009","name":"Sahabiye","active":true}`
		for _, c := range []struct {
			name   string
			query  string
			header [2]string
			bearer bool
			want   int
		}{
			{"bearer", "", [2]string{}, true, 200},
			{"also in the query", "?token=adm", [2]string{}, true, 400},
			{"also as a query key", "?adm", [2]string{}, true, 400},
			{"only in the query", "?access_token=adm", [2]string{}, false, 400},
			{"also in another header", "", [2]string{"X-Admin-Token", "adm"}, true, 400},
			{"in a cookie", "", [2]string{"Cookie", "session=x; admin=adm"}, false, 400},
			{"none", "", [2]string{}, false, 401},
		} {
			r := httptest.NewRequest("POST", "/admin/v1/neighbourhoods"+c.query, strings.NewReader(body))
			if c.bearer {
				r.Header.Set("Authorization", "Bearer adm")
			}
			if c.header[0] != "" {
				r.Header.Set(c.header[0], c.header[1])
			}
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, r)
			if w.Code != c.want {
				t.Errorf("%s: %d, want %d (%s)", c.name, w.Code, c.want, w.Body)
			}
		}
	})
}

func TestDeviceIDsKeepToASafeAlphabet(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		ctx := context.Background()
		for _, id := range []string{"", "../etc", "a b", "a\nb", "-lead", ".hidden", "cihaz-ü", "x'; DROP TABLE devices;--",
			strings.Repeat("a", 65)} {
			if _, err := e.s.EnrolDevice(ctx, id); err == nil {
				t.Errorf("enrolled %q", id)
			}
		}
		for _, id := range []string{"KCS-MERKEZ-01", "k.1_2-3", "9", strings.Repeat("a", 64)} {
			if _, err := e.s.EnrolDevice(ctx, id); err != nil {
				t.Errorf("refused %q: %v", id, err)
			}
		}
		for _, id := range []string{"../etc", "cihaz-ü", "a;b", strings.Repeat("a", 65)} {
			r := httptest.NewRequest("GET", "/v1/updates", nil)
			r.Header.Set("Authorization", "Bearer "+e.token)
			r.Header.Set("X-Device-Id", id)
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, r)
			if w.Code != http.StatusBadRequest {
				t.Errorf("request as %q: %d, want 400", id, w.Code)
			}
		}
		r := httptest.NewRequest("POST", "/admin/v1/devices/..%2Fx/revoke", nil)
		r.Header.Set("Authorization", "Bearer adm")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest {
			t.Errorf("revoke of a bad id: %d", w.Code)
		}
	})
}

func TestDatabaseIsOwnerOnly(t *testing.T) {
	ctx := context.Background()
	old := t.TempDir()
	// A file an older version left readable by everyone is tightened too.
	if err := os.WriteFile(filepath.Join(old, "central.db"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{t.TempDir(), old} {
		s, err := Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.EnrolDevice(ctx, "D1"); err != nil { // writes: the WAL and -shm exist now
			t.Fatal(err)
		}
		for _, name := range []string{"central.db", "central.db-wal", "central.db-shm"} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s is %v, want 0600", name, fi.Mode().Perm())
			}
		}
		s.Close()
	}
}

// serveReal serves the central on a loopback port with the real server
// settings (HTTPServer), as gise central does.
func serveReal(t *testing.T, s *Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer("")
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// trickle opens a connection, writes head, then one byte of drip every
// 50 ms, and reports whether the server closed the connection before the
// 15 s the drip could take were over.
func trickle(t *testing.T, addr, head string, drip byte) bool {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn) // returns when the server hangs up
		close(closed)
	}()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for range 300 {
		select {
		case <-closed:
			return true
		case <-tick.C:
			if _, err := conn.Write([]byte{drip}); err != nil {
				return true
			}
		}
	}
	return false
}

func TestSlowClientsAreCutOff(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		e.s.HeaderTimeout, e.s.BodyTimeout = 300*time.Millisecond, 500*time.Millisecond
		addr := serveReal(t, e.s)
		body := fmt.Sprintf("POST /v1/batches HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Device-Id: D1\r\n"+
			"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", e.token)
		if !trickle(t, addr, body, ' ') {
			t.Error("a client sending its body a byte at a time was never cut off")
		}
		if !trickle(t, addr, "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ", 'a') {
			t.Error("a client sending its headers a byte at a time was never cut off")
		}
		// A prompt client is served as before.
		resp, err := http.Get("http://" + addr + "/v1/health")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("health: %v %v", resp, err)
		}
		resp.Body.Close()
	})
}

// TestBusyNodeAnswers503: a node at its MaxBatches answers the next batch
// 503 with Retry-After (which the terminal honours) instead of taking more
// into memory, and takes batches again once one is done.
func TestBusyNodeAnswers503(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		e.s.MaxBatches = 1
		addr := serveReal(t, e.s)
		pr, pw := io.Pipe()
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/batches", pr)
		req.Header.Set("Authorization", "Bearer "+e.token)
		req.Header.Set("X-Device-Id", "D1")
		first := make(chan int)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				first <- 0
				return
			}
			resp.Body.Close()
			first <- resp.StatusCode
		}()
		io.WriteString(pw, `{"batch_id":"b","device_id":"D1","sent_at":"2026-11-28T10:04:05+03:00",`) // half a batch: the slot is held
		var code int
		var retry string
		for range 200 { // until the first request has reached the handler
			w := e.do("POST", "/v1/batches", e.token, batch(rec(id1, ok1)))
			if code, retry = w.Code, w.Header().Get("Retry-After"); code == 503 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if code != 503 || retry == "" {
			t.Errorf("a second batch while one is read: %d Retry-After %q, want 503 with Retry-After", code, retry)
		}
		io.WriteString(pw, `"records":[]}`)
		pw.Close()
		if c := <-first; c != 200 {
			t.Errorf("the first batch: %d", c)
		}
		if w := e.do("POST", "/v1/batches", e.token, batch(rec(id2, ok1))); w.Code != 200 {
			t.Errorf("after the first is done: %d %s", w.Code, w.Body)
		}
	})
}
