package central

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// canonicalRecord returns the canonical JSON of a record's data and the
// record's fingerprint. It is app.Record.Fingerprint's definition (SHA-256
// of the canonical {data, occurred_at, schema, type}) with the data made
// canonical once and reused for storage; TestFingerprintMatchesDomain holds
// the two to the same answer.
func canonicalRecord(typ string, schema int, occurredAt string, data json.RawMessage) (canon []byte, fp string, err error) {
	if canon, err = canonicalObject(data); err != nil {
		return nil, "", err
	}
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
	return canon, hex.EncodeToString(sum[:]), nil
}

// writeString writes s as a JSON string the way CanonicalJSON does (no HTML
// escaping).
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}
