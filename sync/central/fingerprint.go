package central

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// canonicalRecord returns the canonical JSON of a record's data and the
// record's fingerprint. It is app.Record.Fingerprint's definition (SHA-256
// of the canonical {data, occurred_at, schema, type}) with the data made
// canonical once and reused for storage; TestFingerprintMatchesDomain holds
// the two to the same answer. The canonical form is CanonicalJSON's: numbers
// as written, keys sorted, no HTML escaping.
//
// It also returns the decoded data, so that validation reads it without
// decoding again.
func canonicalRecord(typ string, schema int, occurredAt string, data json.RawMessage) (canon []byte, fp string, obj map[string]any, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		return nil, "", nil, fmt.Errorf("data is not a JSON object")
	}
	var cb bytes.Buffer
	cb.Grow(len(data))
	enc := json.NewEncoder(&cb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return nil, "", nil, err
	}
	canon = bytes.TrimSuffix(cb.Bytes(), []byte("\n"))
	var b bytes.Buffer
	b.Grow(len(canon) + len(typ) + len(occurredAt) + 48)
	b.WriteString(`{"data":`)
	b.Write(canon)
	b.WriteString(`,"occurred_at":`)
	writeString(&b, occurredAt)
	b.WriteString(`,"schema":`)
	b.WriteString(strconv.Itoa(schema))
	b.WriteString(`,"type":`)
	writeString(&b, typ)
	b.WriteByte('}')
	sum := sha256.Sum256(b.Bytes())
	return canon, hex.EncodeToString(sum[:]), obj, nil
}

// writeString writes s as a JSON string the way CanonicalJSON does (no HTML
// escaping).
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}
