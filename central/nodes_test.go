package central

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/central/centraltest"
)

// twoNodes opens two centrals on one PostgreSQL schema, each behind its own
// loopback server: two stateless nodes.
func twoNodes(t *testing.T) (dsn string, nodes [2]*Server, urls [2]string) {
	t.Helper()
	dsn = centraltest.PostgresDSN(t)
	for i := range nodes {
		s, err := OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		s.AdminToken = "adm"
		hs := httptest.NewServer(s.Handler())
		t.Cleanup(func() { hs.Close(); s.Close() })
		nodes[i], urls[i] = s, hs.URL
	}
	return dsn, nodes, urls
}

// postBatch posts body as device to url and returns the answers by id.
func postBatch(t *testing.T, url, device, token, body string) map[string]Result {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/v1/batches", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Device-Id", device)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer resp.Body.Close()
	var out struct{ Results []Result }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Errorf("batch to %s: %d %v", url, resp.StatusCode, err)
		return nil
	}
	m := make(map[string]Result, len(out.Results))
	for _, r := range out.Results {
		m[r.ID] = r
	}
	return m
}

// TestTwoNodesStoreEachRecordOnce: the same batches delivered to two nodes
// at the same moment, by many goroutines, and delivered again (a terminal's
// retry on the other node), store each record once: every answer for an id,
// from either node, names the one stored server_ref, the database holds
// each id once with the data sent, and another fingerprint for a known id
// is a conflict on both nodes. Some record ids are sent by two devices at
// once (the device lock does not cover that; the primary key does).
func TestTwoNodesStoreEachRecordOnce(t *testing.T) {
	_, nodes, urls := twoNodes(t)
	ctx := context.Background()
	const devices, batchesPerDevice, perBatch = 6, 8, 60
	tokens := map[string]string{}
	for d := range devices {
		id := fmt.Sprintf("KCS-NODE-%02d", d)
		tok, err := nodes[d%2].EnrolDevice(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		tokens[id] = tok
	}
	type sent struct {
		device, body string
		ids          []string
	}
	var batches []sent
	want := map[string]string{} // id → canonical data
	shared := 0
	for d := range devices {
		device := fmt.Sprintf("KCS-NODE-%02d", d)
		for b := range batchesPerDevice {
			var recs []string
			var ids []string
			for i := range perBatch {
				id := fmt.Sprintf("0193a4c1-%04d-7000-8000-%012d", d, b*1000+i)
				owner := d
				if i%20 == 0 { // the same record, id and data, from every device at once
					id, owner = fmt.Sprintf("0193a4c1-ffff-7000-8000-%012d", b*1000+i), -1
					shared++
				}
				data := fmt.Sprintf(`{"category_code":"TEM-01","description":"Çöp <alınmadı> & %d-%d","tracking_code":"T-%d-%d-%d","n":1.50}`,
					b, i, owner, b, i)
				recs, ids = append(recs, rec(id, data)), append(ids, id)
				canon, _, _ := canonicalObject([]byte(data))
				want[id] = string(canon)
			}
			batches = append(batches, sent{device, batch(recs...), ids})
		}
	}
	var mu gosync.Mutex
	refs := map[string]map[string]bool{} // id → every server_ref answered for it
	var wg gosync.WaitGroup
	for round := range 2 { // the second round: every batch again, as retries
		for _, b := range batches {
			for n := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got := postBatch(t, urls[(n+round)%2], b.device, tokens[b.device], b.body)
					mu.Lock()
					defer mu.Unlock()
					for _, id := range b.ids {
						r, ok := got[id]
						if !ok || (r.Status != "created" && r.Status != "duplicate") {
							t.Errorf("%s on node %d: %+v", id, (n+round)%2, r)
							continue
						}
						if refs[id] == nil {
							refs[id] = map[string]bool{}
						}
						refs[id][r.ServerRef] = true
					}
				}()
			}
		}
		wg.Wait()
	}
	stored := 0
	err := nodes[0].ForEachRecord(ctx, func(r StoredRecord) error {
		stored++
		if r.Data != want[r.ID] {
			t.Errorf("%s stored as %s, sent %s", r.ID, r.Data, want[r.ID])
		}
		if len(refs[r.ID]) != 1 || !refs[r.ID][r.ServerRef] {
			t.Errorf("%s stored as %s, answered %v", r.ID, r.ServerRef, refs[r.ID])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if stored != len(want) {
		t.Errorf("%d records stored, want each of the %d ids once", stored, len(want))
	}
	// Another fingerprint for a known id is a conflict on every node.
	known := batches[0].ids[1]
	for i, url := range urls {
		got := postBatch(t, url, batches[0].device, tokens[batches[0].device], batch(rec(known, `{"category_code":"TEM-01","description":"başka"}`)))
		if got[known].Status != "conflict" {
			t.Errorf("node %d: another fingerprint for %s answered %+v", i, known, got[known])
		}
	}
	t.Logf("%d ids (%d sent by every device at once), %d batches posted 4 times each over two nodes", len(want), shared/devices, len(batches))
}

// TestUpdatesFeedHasNoGapsUnderConcurrency: writers on both nodes publish
// while readers on both page through /v1/updates with their cursor. Each
// write waits a little between taking its feed position and committing,
// which is when a feed numbered by a bare sequence loses items: a reader
// that has seen position 8 never asks for 7 committed after it. Every
// reader must see every item exactly once.
func TestUpdatesFeedHasNoGapsUnderConcurrency(t *testing.T) {
	_, nodes, urls := twoNodes(t)
	ctx := context.Background()
	for _, n := range nodes {
		rng := gosync.Mutex{}
		r := rand.New(rand.NewPCG(1, 2))
		n.st.(*pgStore).beforeFeedCommit = func() {
			rng.Lock()
			d := time.Duration(r.IntN(3000)) * time.Microsecond
			rng.Unlock()
			time.Sleep(d)
		}
	}
	token, err := nodes[0].EnrolDevice(ctx, "D1")
	if err != nil {
		t.Fatal(err)
	}
	const writers, perWriter, readers = 6, 25, 4
	done := make(chan struct{})
	var wg gosync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				c := Category{Code: fmt.Sprintf("W%d-%03d", w, i), Name: "yazar", Group: "test", Active: true}
				if err := nodes[w%2].PublishCategory(ctx, c); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	seen := make([]map[string]int, readers)
	var rwg gosync.WaitGroup
	for r := range readers {
		seen[r] = map[string]int{}
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			cursor, final := "", false
			for {
				select {
				case <-done:
					final = true
				default:
				}
				req, _ := http.NewRequest("GET", urls[r%2]+"/v1/updates?limit=7&since="+cursor, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("X-Device-Id", "D1")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var p app.UpdatesPage
				err = json.NewDecoder(resp.Body).Decode(&p)
				resp.Body.Close()
				if err != nil {
					t.Error(err)
					return
				}
				for _, u := range p.Updates {
					seen[r][u.Code]++
				}
				cursor = p.Cursor
				if final && !p.More {
					return // the writers had finished before this page: it is the end
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	rwg.Wait()
	for r, got := range seen {
		missing := 0
		for w := range writers {
			for i := range perWriter {
				if got[fmt.Sprintf("W%d-%03d", w, i)] != 1 {
					missing++
				}
			}
		}
		if missing > 0 {
			t.Errorf("reader %d: %d of the %d published items not seen exactly once", r, missing, writers*perWriter)
		}
	}
}
