package sqlite_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// TestNewerSchemaIsRefusedAndNotWritten: a database a newer binary
// migrated (a package downgraded) is refused with a sentence that names
// both schema versions, and the file is left exactly as it was.
func TestNewerSchemaIsRefusedAndNotWritten(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	if err := s.RegisterCitizen(ctx, clerk, citizen(t, 1, "Ayşe", "Şahin"), nil); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	latest := sqlite.LatestSchema()
	if latest < 9 {
		t.Fatalf("LatestSchema %d: the embedded migrations go to 0009 at least", latest)
	}
	newer := latest + 3
	db := rawDB(t, path)
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', '2030-01-01T00:00:00Z')`, newer); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileSum(t, path)

	_, err := sqlite.Open(ctx, path, terminalKey(path))
	msg := app.ErrorMessage(err)
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(msg, strconv.Itoa(newer)) ||
		!strings.Contains(msg, strconv.Itoa(latest)) || !strings.Contains(msg, "Hiçbir şey yazılmadı") {
		t.Fatalf("open of a newer schema: %v", err)
	}
	if fileSum(t, path) != before {
		t.Error("opening a newer schema's file changed it")
	}
}
