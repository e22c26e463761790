package central

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestStoredFingerprintsMoveToRFC8785: a record a central stored in the
// canonical form before RFC 8785 (numbers as written, U+2028 escaped) gets
// the new form and fingerprint at the next start, so that the terminal's
// honest redelivery is a duplicate with the original server_ref, not a
// conflict.
func TestStoredFingerprintsMoveToRFC8785(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := s.EnrolDevice(ctx, "D1")
	e := env{s: s, h: s.Handler(), token: token}
	sent := `{"category_code":"TEM-01","description":"satır` + "\u2028" + `sonu","tracking_code":"K7Q-M4X-29P","weight":1.50}`
	first := e.post(t, rec(id1, sent))
	if first[0].Status != "created" {
		t.Fatalf("first delivery: %+v", first[0])
	}
	// What the central stored before: the old canonical form and its fingerprint.
	oldData := `{"category_code":"TEM-01","description":"satır\u2028sonu","tracking_code":"K7Q-M4X-29P","weight":1.50}`
	sum := sha256.Sum256([]byte(`{"data":` + oldData + `,"occurred_at":"2026-11-28T09:58:41+03:00","schema":1,"type":"complaint.filed"}`))
	db := sqliteDB(s)
	if _, err := db.Exec(`UPDATE records SET data = ?, fingerprint = ? WHERE id = ?`, oldData, hex.EncodeToString(sum[:]), id1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	if s, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e = env{s: s, h: s.Handler(), token: token}
	got, _, _ := s.Lookup(ctx, id1)
	if strings.Contains(got.Data, `\u2028`) || !strings.Contains(got.Data, `"weight":1.5}`) {
		t.Errorf("stored data not in RFC 8785 form: %s", got.Data)
	}
	again := e.post(t, rec(id1, sent))
	if again[0].Status != "duplicate" || again[0].ServerRef != first[0].ServerRef {
		t.Fatalf("redelivery after the upgrade: %+v, want duplicate %s", again[0], first[0].ServerRef)
	}
}
