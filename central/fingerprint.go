package central

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// fingerprint is the SHA-256 of the canonical {data, occurred_at, schema,
// type}, given the data in canonical form: app.Record.Fingerprint's
// definition with the data made canonical once (by decodeBatch) and reused
// for storage. TestFingerprintMatchesDomain and its fuzz target hold the
// two to the same answer.
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
