package central

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

// chainEvent is a device's audit event n linked to prev (the central does
// not check the MAC, so any 64 hex digits serve as a hash).
func chainEvent(n int, prev, hash string) (id, record string) {
	id = fmt.Sprintf("0193a4c1-0000-7000-8000-%012d", 9000+n)
	data := fmt.Sprintf(`{"seq":%d,"at":"2026-11-28T07:00:00Z","actor":"ayse","action":"login.succeeded","object":"ayse",`+
		`"terminal_id":"D1","terminal_ip":"","prev_hash":%q,"hash":%q}`, n, prev, hash)
	return id, fmt.Sprintf(`{"id":%q,"type":"audit.event","schema":1,"occurred_at":"2026-11-28T10:00:00+03:00","data":%s}`, id, data)
}

func hexOf(n int) string { return fmt.Sprintf("%064x", n) }

func (e env) post(t *testing.T, recs ...string) []Result {
	t.Helper()
	w := e.do("POST", "/v1/batches", e.token, batch(recs...))
	var out struct{ Results []Result }
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("batch: %d %s", w.Code, w.Body)
	}
	return out.Results
}

// TestCentralVerifiesAuditChains: the central took a second event for a
// sequence and events linked to nothing; now each is a conflict with a
// code, not stored, flagged, and the verified head comes with every answer.
func TestCentralVerifiesAuditChains(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		ctx := context.Background()
		var recs []string
		prev := app.GenesisHash
		for n := 1; n <= 3; n++ {
			_, r := chainEvent(n, prev, hexOf(n))
			recs, prev = append(recs, r), hexOf(n)
		}
		res := e.post(t, recs...)
		for i, r := range res {
			if r.Status != "created" || r.AuditHead == nil || r.AuditHead.Seq != int64(i+1) || r.AuditHead.Hash != hexOf(i+1) {
				t.Fatalf("event %d: %+v %+v", i+1, r, r.AuditHead)
			}
		}
		_, second := chainEvent(3, hexOf(2), hexOf(33)) // another event 3, other id
		second = strings.Replace(second, "000000009003", "000000009903", 1)
		_, unlinked := chainEvent(4, hexOf(77), hexOf(4)) // next sequence, links to nothing
		_, far := chainEvent(9, hexOf(8), hexOf(9))       // events 4 to 8 never sent
		_, again := chainEvent(3, hexOf(2), hexOf(3))     // the same event 3 under a new id
		again = strings.Replace(again, "000000009003", "000000009803", 1)
		res = e.post(t, second, unlinked, far, again)
		want := []struct{ status, code string }{{"conflict", app.AuditConflictSeqReused}, {"conflict", app.AuditConflictUnlinked},
			{"conflict", app.AuditConflictGap}, {"duplicate", ""}}
		for i, w := range want {
			r := res[i]
			code := ""
			if r.Error != nil {
				code = r.Error.Code
			}
			if r.Status != w.status || code != w.code || r.AuditHead == nil || r.AuditHead.Seq != 3 {
				t.Errorf("answer %d: %+v (head %+v), want %s %s", i, r, r.AuditHead, w.status, w.code)
			}
		}
		if n, _ := e.s.RecordCount(ctx); n != 3 {
			t.Errorf("%d records stored, want the 3 linked events", n)
		}
		flags, err := e.s.AuditFlags(ctx, false)
		if err != nil || len(flags) != 3 {
			t.Fatalf("flags %+v %v", flags, err)
		}
		w := e.do("GET", "/admin/v1/audit/flags", "adm", "")
		for _, code := range []string{app.AuditConflictSeqReused, app.AuditConflictUnlinked, app.AuditConflictGap} {
			if !strings.Contains(w.Body.String(), `"code":"`+code+`"`) {
				t.Errorf("admin flags lack %s: %s", code, w.Body)
			}
		}
		w = e.do("GET", "/admin/v1/devices/D1/audit-head", "adm", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"seq":3`) || !strings.Contains(w.Body.String(), hexOf(3)) {
			t.Errorf("admin head: %d %s", w.Code, w.Body)
		}
		if w = e.do("GET", "/admin/v1/audit/flags", e.token, ""); w.Code != 401 {
			t.Errorf("flags with a device token: %d", w.Code)
		}
	})
}

// TestCentralGapFillsWhenEarlierEventsArrive: a batch that overtook the
// one before it meets a gap; once the earlier events land, the same record
// is accepted and its flag closes.
func TestCentralGapFillsWhenEarlierEventsArrive(t *testing.T) {
	eachStore(t, func(t *testing.T, e env) {
		ctx := context.Background()
		_, r1 := chainEvent(1, app.GenesisHash, hexOf(1))
		_, r2 := chainEvent(2, hexOf(1), hexOf(2))
		if res := e.post(t, r2); res[0].Status != "conflict" || res[0].Error.Code != app.AuditConflictGap || res[0].AuditHead != nil {
			t.Fatalf("overtaking event: %+v", res[0])
		}
		e.post(t, r1)
		if res := e.post(t, r2); res[0].Status != "created" || res[0].AuditHead.Seq != 2 {
			t.Fatalf("resent in order: %+v", res[0])
		}
		if open, _ := e.s.AuditFlags(ctx, false); len(open) != 0 {
			t.Errorf("open flags after the gap filled: %+v", open)
		}
		if all, _ := e.s.AuditFlags(ctx, true); len(all) != 1 || all[0].ResolvedAt == "" || all[0].Times != 1 {
			t.Errorf("all flags: %+v", all)
		}
	})
}

// TestCentralTakesStoredEventsAsChains: a central that stored audit events
// before it verified chains takes them as each device's chain at Open, and
// flags the second event it had stored for one sequence.
func TestCentralTakesStoredEventsAsChains(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range []string{
		`{"seq":1,"prev_hash":"` + app.GenesisHash + `","hash":"` + hexOf(1) + `"}`,
		`{"seq":2,"prev_hash":"` + hexOf(1) + `","hash":"` + hexOf(2) + `"}`,
		`{"seq":2,"prev_hash":"` + hexOf(1) + `","hash":"` + hexOf(22) + `"}`,
	} {
		if _, err := sqliteDB(s).Exec(`INSERT INTO records (id, seq, fingerprint, server_ref, device_id, type, schema, occurred_at, data, received_at)
			VALUES (?, ?, 'fp', ?, 'D1', 'audit.event', 1, '', ?, '')`, fmt.Sprintf("r%d", i), i+1, fmt.Sprintf("KCS-%d", i), d); err != nil {
			t.Fatal(err)
		}
	}
	sqliteDB(s).Exec(`DELETE FROM audit_chain`)
	s.Close()
	if s, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := s.AuditHead(ctx, "D1")
	if err != nil || h.Seq != 2 || h.Hash != hexOf(2) {
		t.Errorf("head %+v %v", h, err)
	}
	if flags, _ := s.AuditFlags(ctx, false); len(flags) != 1 || flags[0].RecordID != "r2" || flags[0].Code != app.AuditConflictSeqReused {
		t.Errorf("flags %+v", flags)
	}
}
