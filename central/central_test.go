package central

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/internal/jcstest"
)

// TestCanonicalObjectFollowsRFC8785 holds the central's one-pass
// canonicaliser to RFC 8785's published examples, the ones the terminal's
// app.CanonicalJSON is held to.
func TestCanonicalObjectFollowsRFC8785(t *testing.T) {
	for _, c := range jcstest.Objects {
		got, _, err := canonicalObject([]byte(c.In))
		if err != nil || string(got) != c.Out {
			t.Errorf("%s:\n got %s (%v)\nwant %s", c.Name, got, err, c.Out)
		}
	}
	for _, n := range jcstest.Numbers {
		f := math.Float64frombits(n.Bits)
		if n.Text == "" {
			continue // NaN and Infinity cannot be written in JSON at all
		}
		// Any spelling of the double reads as its canonical text.
		for _, spelt := range []string{n.Text, strconv.FormatFloat(f, 'e', 20, 64), strconv.FormatFloat(f, 'g', 17, 64)} {
			got, _, err := canonicalObject([]byte(`{"n":` + spelt + `}`))
			if err != nil || string(got) != `{"n":`+n.Text+`}` {
				t.Errorf("%016x written %s: %s (%v), want %s", n.Bits, spelt, got, err, n.Text)
			}
		}
	}
	if _, _, err := canonicalObject([]byte(`{"n":1e400}`)); !errors.Is(err, errRange) {
		t.Errorf("1e400: %v, want errRange", err)
	}
}

func TestFingerprintMatchesDomain(t *testing.T) {
	at := time.Date(2026, 11, 28, 9, 58, 41, 0, time.FixedZone("+03", 3*3600))
	for i, data := range []string{
		`{}`,
		`{"b":1,"a":"x"}`,
		`{"description":"<çöp> & \"ğüşıİ\" \u2028","n":1.50,"big":12345678901234567890,"list":[3,{"z":null,"a":true}]}`,
		`{"dup":1,"a":{"y":[],"x":{}},"dup":2}`,
		"{\"raw\":\"\u2029 \xff\xfe tab\\t\"}",
		"{ \"spaced\" :\t[ 1 , 2 ] }",
	} {
		r := app.Record{ID: "x", Type: app.TypeComplaintFiled, Schema: 1, OccurredAt: at, Data: json.RawMessage(data)}
		want, err := r.Fingerprint()
		if err != nil {
			t.Fatal(err)
		}
		got, err := recordFingerprint(r.Type, r.Schema, at.Format(time.RFC3339), r.Data)
		if err != nil || got != want {
			t.Errorf("case %d: central %s, domain %s (%v)", i, got, want, err)
		}
	}
}

// recordFingerprint is the central's fingerprint of one record: its data
// made canonical as decodeBatch makes it, then fingerprint.
func recordFingerprint(typ string, schema int, occurredAt string, data json.RawMessage) (string, error) {
	canon, _, err := canonicalObject(data)
	if err != nil {
		return "", err
	}
	return fingerprint(typ, schema, occurredAt, canon), nil
}

func FuzzFingerprintMatchesDomain(f *testing.F) {
	for _, seed := range []string{`{"a":"<&>","b":[1,2.0]}`, `{"n":[1e21,-0,5e-324,1E400,0.1e1,123456789012345678]}`,
		`{"\ue000":1,"\ud800\udc00":2,"😀":3,"\uffff":4}`, `{"b":1,"a":2,"b":3}`, `{"s":"\u2028\ud800x\n\"\\","n":-0.0e+5}`,
		`{"t":"ğüşıöç İ","z":[true,false,null,{}],"e":[]}`, "{\"bad\":\"\xff\"}", `{"x":01}`, `[1]`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		got, err := recordFingerprint("t", 1, "2026-11-28T09:58:41+03:00", json.RawMessage(data))
		trimmed := bytes.TrimLeft([]byte(data), " \t\r\n")
		at, _ := time.Parse(time.RFC3339, "2026-11-28T09:58:41+03:00")
		r := app.Record{Type: "t", Schema: 1, OccurredAt: at, Data: json.RawMessage(data)}
		want, werr := r.Fingerprint()
		if err != nil {
			// Refused alike: not an object, or no canonical form (1e400).
			if json.Valid([]byte(data)) && len(trimmed) > 0 && trimmed[0] == '{' && (werr == nil || !errors.Is(err, errRange)) {
				t.Fatalf("%q: a valid object refused: %v (the terminal: %v)", data, err, werr)
			}
			return
		}
		if werr != nil || want != got {
			t.Fatalf("%q: central %s, domain %s (%v)", data, got, want, werr)
		}
	})
}

type env struct {
	s     *Server
	h     http.Handler
	token string
}

func (e env) do(method, path, token, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("X-Device-Id", "D1")
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func batch(recs ...string) string {
	return `{"batch_id":"b","device_id":"D1","sent_at":"2026-11-28T10:04:05+03:00","records":[` + strings.Join(recs, ",") + `]}`
}

func rec(id, data string) string {
	return fmt.Sprintf(`{"id":%q,"type":"complaint.filed","schema":1,"occurred_at":"2026-11-28T09:58:41+03:00","data":%s}`, id, data)
}

const (
	id1 = "0193a4c1-0000-7000-8000-000000000001"
	id2 = "0193a4c1-0000-7000-8000-000000000002"
	ok1 = `{"category_code":"TEM-01","description":"Çöp alınmadı","tracking_code":"K7Q-M4X-29P","attachments":[]}`
)

func TestIdempotencyByIDAndFingerprint(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		w := e.do("POST", "/v1/batches", e.token, batch(rec(id1, ok1), rec(id2, `{"category_code":"ZB-99","description":"x"}`)))
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"created","server_ref":"KCS-`) ||
			!strings.Contains(w.Body.String(), `"code":"invalid_category"`) {
			t.Fatalf("first: %d %s", w.Code, w.Body)
		}
		var first struct{ Results []Result }
		json.Unmarshal(w.Body.Bytes(), &first)
		// Same id, same fingerprint (other spacing and key order): duplicate with the original ref.
		w = e.do("POST", "/v1/batches", e.token, batch(rec(id1, `{ "tracking_code":"K7Q-M4X-29P", "description":"Çöp alınmadı","category_code":"TEM-01","attachments":[]}`)))
		if !strings.Contains(w.Body.String(), `"duplicate","server_ref":"`+first.Results[0].ServerRef+`"`) {
			t.Fatalf("resend: %s", w.Body)
		}
		w = e.do("POST", "/v1/batches", e.token, batch(rec(id1, `{"category_code":"TEM-01","description":"başka"}`)))
		if !strings.Contains(w.Body.String(), `"status":"conflict"`) {
			t.Fatalf("changed payload: %s", w.Body)
		}
		if n, _ := e.s.RecordCount(context.Background()); n != 1 {
			t.Fatalf("%d records stored, want 1", n)
		}
		if err := e.s.SetComplaintStatus(context.Background(), "K7Q-M4X-29P", "in_progress", "iletildi"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWholeRequestAnswers(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		many := make([]string, 501)
		for i := range many {
			many[i] = rec(fmt.Sprintf("0193a4c1-0000-7000-8000-%012d", i), `{}`)
		}
		for _, c := range []struct {
			name, method, path, token, body string
			status                          int
		}{
			{"no token", "POST", "/v1/batches", "", batch(), 401},
			{"wrong token", "POST", "/v1/batches", "nope", batch(), 401},
			{"malformed", "POST", "/v1/batches", e.token, `{"records":`, 400},
			{"bad id", "POST", "/v1/batches", e.token, batch(rec("1", `{}`)), 400},
			{"501 records", "POST", "/v1/batches", e.token, batch(many...), 413},
			{"too many bytes", "POST", "/v1/batches", e.token, batch(rec(id1, `{"d":"`+strings.Repeat("x", 5<<20)+`"}`)), 413},
			{"bad cursor", "GET", "/v1/updates?since=zzz", e.token, "", 400},
			{"updates", "GET", "/v1/updates?limit=2", e.token, "", 200},
			{"hash mismatch", "PUT", "/v1/attachments/" + strings.Repeat("0", 64), e.token, "abc", 422},
			{"health needs no token", "GET", "/v1/health", "", "", 200},
			{"admin needs its token", "POST", "/admin/v1/categories", e.token, `{}`, 401},
		} {
			w := e.do(c.method, c.path, c.token, c.body)
			if w.Code != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.status)
			}
			if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: content type %q", c.name, w.Header().Get("Content-Type"))
			}
		}
		e.s.RevokeDevice(context.Background(), "D1")
		if w := e.do("GET", "/v1/updates", e.token, ""); w.Code != 403 {
			t.Errorf("revoked: %d", w.Code)
		}
	})
}

func TestUpdatesPagesWithCursor(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		var cursor string
		var all []app.Update
		for range 20 {
			w := e.do("GET", "/v1/updates?limit=5&since="+cursor, e.token, "")
			var p app.UpdatesPage
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			all, cursor = append(all, p.Updates...), p.Cursor
			if !p.More {
				break
			}
		}
		if len(all) != len(seedCategories)+len(seedNeighbourhoods) {
			t.Fatalf("%d updates, want the seeded %d", len(all), len(seedCategories)+len(seedNeighbourhoods))
		}
		w := e.do("POST", "/admin/v1/notices", "adm", `{"version":2,"language":"tr","text":"metin","effective_from":"2027-01-01"}`)
		if w.Code != 200 {
			t.Fatalf("publish notice: %d %s", w.Code, w.Body)
		}
		w = e.do("GET", "/v1/updates?since="+cursor, e.token, "")
		if !bytes.Contains(w.Body.Bytes(), []byte(`"type":"notice"`)) || bytes.Contains(w.Body.Bytes(), []byte(`"category"`)) {
			t.Fatalf("after cursor: %s", w.Body)
		}
	})
}

// TestValidateReadsFieldsAsDecoded holds the central's checks, which read
// the members canonicalObject returns, to what a decode of the data would
// see: escaped strings, null, wrong types, duplicates and nesting.
func TestValidateReadsFieldsAsDecoded(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		for i, c := range []struct{ data, want string }{
			{`{"category_code":"TEM\u002d01","description":"Çöp \"alınmadı\"\n"}`, `"created"`},
			{`{"category_code":"TEM-01","description":"\u00c7\u00f6p"}`, `"created"`},
			{`{"category_code":"ZB-99","category_code":"TEM-01","description":"son yazılan geçer"}`, `"created"`},
			{`{"category_code":"TEM-01","description":null}`, `"code":"invalid_description"`},
			{`{"category_code":"TEM-01","description":42}`, `"code":"invalid_data"`},
			{`{"category_code":["TEM-01"],"description":"x"}`, `"code":"invalid_data"`},
			{`{"category_code":"TEM-01","description":"x","attachments":{"sha256":"x"}}`, `"code":"invalid_data"`},
			{`{"category_code":"TEM-01","description":"x","attachments":[{"sha256":"ab","size":1}]}`, `"code":"invalid_data"`},
			{`{"Category_Code":"TEM-01","description":"x"}`, `"code":"invalid_category"`},
			{`{"category_code":"TEM-01","description":"x","extra":{"description":""}}`, `"created"`},
		} {
			id := fmt.Sprintf("0193a4c1-0000-7000-8000-1000000000%02d", i)
			w := e.do("POST", "/v1/batches", e.token, batch(rec(id, c.data)))
			if w.Code != 200 || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%s: %d %s, want %s", c.data, w.Code, w.Body, c.want)
			}
		}
		reg := func(id, data string) string {
			return fmt.Sprintf(`{"id":%q,"type":"citizen.registered","schema":1,"occurred_at":"2026-11-28T09:58:41+03:00","data":%s}`, id, data)
		}
		for i, c := range []struct{ data, want string }{
			{`{"national_id":"10000000146"}`, `"created"`},
			{`{"national_id":"1000000014\u0036"}`, `"created"`},
			{`{"national_id":10000000146}`, `"code":"invalid_national_id"`},
			{`{"national_id":null}`, `"code":"invalid_national_id"`},
			{`{}`, `"code":"invalid_national_id"`},
		} {
			id := fmt.Sprintf("0193a4c1-0000-7000-8000-2000000000%02d", i)
			w := e.do("POST", "/v1/batches", e.token, batch(reg(id, c.data)))
			if w.Code != 200 || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%s: %d %s, want %s", c.data, w.Code, w.Body, c.want)
			}
		}
	})
}
