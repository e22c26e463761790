package central

import (
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
func canonicalRecord(typ string, schema int, occurredAt string, data json.RawMessage) (canon []byte, top members, fp string, err error) {
	if canon, top, err = canonicalObject(data); err != nil {
		return nil, nil, "", err
	}
	return canon, top, fingerprint(typ, schema, occurredAt, canon), nil
}

// fingerprint is the SHA-256 of the canonical {data, occurred_at, schema,
// type}, given the data in canonical form.
func fingerprint(typ string, schema int, occurredAt string, canon []byte) string {
	b := make([]byte, 0, len(canon)+len(typ)+len(occurredAt)+48)
	b = append(b, `{"data":`...)
	b = append(b, canon...)
	b = append(b, `,"occurred_at":`...)
	b = appendString(b, occurredAt)
	b = append(b, `,"schema":`...)
	b = strconv.AppendInt(b, int64(schema), 10)
	b = append(b, `,"type":`...)
	b = appendString(b, typ)
	b = append(b, '}')
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
