package central

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// refBatch is the batch as encoding/json decodes it.
type refBatch struct {
	BatchID  string `json:"batch_id"`
	DeviceID string `json:"device_id"`
	SentAt   string `json:"sent_at"`
	Records  []struct {
		ID         string          `json:"id"`
		Type       string          `json:"type"`
		Schema     int             `json:"schema"`
		OccurredAt string          `json:"occurred_at"`
		Data       json.RawMessage `json:"data"`
	} `json:"records"`
}

var (
	// encoding/json matches member names without regard to case (and
	// folds K and ſ); decodeBatch matches them exactly. Inputs where the two
	// rules could differ are left out of the comparison.
	nameVariant = regexp.MustCompile(`(?i)"(batch_id|device_id|sent_at|records|id|type|schema|occurred_at|data)"`)
	escapedName = regexp.MustCompile(`(?i)\\u(00[4-7][0-9a-f]|212a|017f)|\x{212A}|\x{017F}`)
)

func comparable(in []byte) bool {
	for _, m := range nameVariant.FindAll(in, -1) {
		if !bytes.Equal(m, bytes.ToLower(m)) {
			return false
		}
	}
	// A repeated records member makes encoding/json decode the second array
	// into the elements of the first.
	return !escapedName.Match(in) && bytes.Count(in, []byte(`"records"`)) < 2
}

func FuzzDecodeBatch(f *testing.F) {
	for _, seed := range []string{
		batch(rec(id1, ok1), rec(id2, `{"category_code":"ZB-99","description":"x"}`)),
		`{"batch_id":"b","records":[{"id":"x","type":"t","schema":1,"occurred_at":"o","data":{"b":1,"a":[1,{"d":null,"c":"\u00e7"}]},"extra":[1,2]}],"more":{"x":[]}}`,
		`{"batch_id":null,"records":null}`, `{"records":[null,{"data":null},{"data":[1]},{"data":"{}"}]}`,
		`{"records":[{"schema":1.0}]}`, `{"records":[{"schema":"1"}]}`, `{"records":[{"schema":-0}]}`,
		`{"batch_id":"a","batch_id":"b","records":[]}`, ` { "records" : [ ] } `, `{"records":[]} x`,
		`{"records":[{"data":{"a":"\ud800"}}]}`, "{\"records\":[{\"id\":\"\xff\"}]}",
		`{"records":[{"data":` + strings.Repeat(`{"a":`, 1100) + `1` + strings.Repeat(`}`, 1100) + `}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := decodeBatch(in)
		var ref refBatch
		refErr := json.Unmarshal(in, &ref)
		if errors.Is(err, errTooMany) {
			if refErr == nil && len(ref.Records) <= MaxBatchRecords {
				t.Fatalf("%q: too many records, encoding/json read %d", in, len(ref.Records))
			}
			return
		}
		if !comparable(in) {
			return
		}
		if (err == nil) != (refErr == nil) {
			t.Fatalf("%q: decodeBatch %v, encoding/json %v", in, err, refErr)
		}
		if err != nil {
			return
		}
		if got.BatchID != ref.BatchID || got.DeviceID != ref.DeviceID || got.SentAt != ref.SentAt ||
			len(got.Records) != len(ref.Records) || (got.Records == nil) != (ref.Records == nil) {
			t.Fatalf("%q: envelope %+v, encoding/json %+v", in, got, ref)
		}
		for i, r := range got.Records {
			w := ref.Records[i]
			if r.ID != w.ID || r.Type != w.Type || r.Schema != w.Schema || r.OccurredAt != w.OccurredAt {
				t.Fatalf("%q: record %d %+v, encoding/json %+v", in, i, r, w)
			}
			if object := len(w.Data) > 0 && w.Data[0] == '{'; r.object != object {
				t.Fatalf("%q: record %d object %v, encoding/json data %s", in, i, r.object, w.Data)
			}
			if !r.object || r.bad {
				continue
			}
			canon, top, err := canonicalObject(w.Data)
			if err != nil || !bytes.Equal(canon, r.canon) || len(top) != len(r.top) {
				t.Fatalf("%q: record %d data %s, canonicalObject %s (%v)", in, i, r.canon, canon, err)
			}
		}
	})
}
