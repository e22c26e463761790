package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
)

// fileSum returns the SHA-256 of the database file and its WAL.
func fileSum(t testing.TB, path string) [32]byte {
	h := sha256.New()
	for _, p := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(p)
		h.Write(b)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// TestDamagedFileIsNotOpenedNorWritten breaks a table the key probe reads
// (citizens) and one only quick_check reads (the audit chain).
func TestDamagedFileIsNotOpenedNorWritten(t *testing.T) {
	for _, table := range []string{"citizens", "audit_events"} {
		t.Run(table, func(t *testing.T) { damagedNotOpened(t, table) })
	}
}

func damagedNotOpened(t *testing.T, table string) {
	s := openStore(t)
	ctx := context.Background()
	for i := range 50 {
		if err := s.RegisterCitizen(ctx, clerk, citizen(t, i+1, "Ayşe", "Şahin"), nil); err != nil {
			t.Fatal(err)
		}
	}
	path := s.Path()
	s.Close()
	apptest.CorruptTable(t, path, table)
	before := fileSum(t, path)

	_, err := sqlite.Open(ctx, path, terminalKey(path))
	if app.ErrorCode(err) != app.EDAMAGED || app.ErrorMessage(err) != app.MsgDamaged {
		t.Fatalf("open of a damaged file: %v", err)
	}
	if fileSum(t, path) != before {
		t.Error("opening a damaged file changed it")
	}
	r, err := sqlite.Inspect(ctx, path, true)
	if app.ErrorCode(err) != app.EDAMAGED || r.Check == "" || r.Check == "ok" {
		t.Fatalf("inspect: %+v %v", r, err)
	}
}

func TestIdleIntegrityCheckStopsWrites(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	if err := s.CheckIntegrity(ctx); err != nil || s.Damaged() {
		t.Fatalf("a sound file: %v", err)
	}
	for i := range 50 {
		if err := s.RegisterCitizen(ctx, clerk, citizen(t, i+1, "Ayşe", "Şahin"), nil); err != nil {
			t.Fatal(err)
		}
	}
	// Damage the file under the open store, as a failing disk would.
	db := rawDB(t, s.Path())
	var pageSize, root int64
	db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'citizens_national_id_index'`).Scan(&root)
	if root == 0 {
		db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'citizens'`).Scan(&root)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(s.Path(), os.O_WRONLY, 0)
	f.WriteAt(bytes.Repeat([]byte{0x5a}, int(pageSize)), (root-1)*pageSize)
	f.Close()

	if err := s.CheckIntegrity(ctx); app.ErrorCode(err) != app.EDAMAGED || !s.Damaged() {
		t.Fatalf("integrity check of a damaged file: %v", err)
	}
	err := s.RegisterCitizen(ctx, clerk, citizen(t, 99, "Işıl", "Çağlar"), nil)
	if app.ErrorCode(err) != app.EDAMAGED {
		t.Fatalf("a write after the damage was found: %v", err)
	}
}

func TestWrongKeyIsRefusedBeforeAnyWrite(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	if err := s.RegisterCitizen(ctx, clerk, citizen(t, 1, "Ayşe", "Şahin"), nil); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	other, err := keys.Ephemeral()
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := sqlite.CheckKey(ctx, path, terminalKey(path)); err != nil || !ok {
		t.Fatalf("its own key: %v %v", ok, err)
	}
	if _, err := sqlite.CheckKey(ctx, path, other); app.ErrorCode(err) != app.EKEY {
		t.Fatalf("another key: %v", err)
	}
	before := fileSum(t, path)
	if _, err := sqlite.Open(ctx, path, other); app.ErrorCode(err) != app.EKEY || app.ErrorMessage(err) != app.MsgKeyWrong {
		t.Fatalf("open with another key: %v", err)
	}
	if fileSum(t, path) != before {
		t.Error("opening with another key changed the file")
	}
	fresh := filepath.Join(t.TempDir(), "gise.db")
	if ok, err := sqlite.CheckKey(ctx, fresh, other); err != nil || ok {
		t.Fatalf("a database with nothing sealed: %v %v", ok, err)
	}
}

func TestBackupToIsAConsistentCheckedCopy(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	for i := range 20 {
		if err := s.RegisterCitizen(ctx, clerk, citizen(t, i+1, "Ayşe", "Şahin"), nil); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	r, err := sqlite.BackupTo(ctx, s.Path(), dst) // the store stays open, as under a running kiosk
	if err != nil || r.Check != "ok" || r.SchemaVersion == 0 {
		t.Fatalf("backup: %+v %v", r, err)
	}
	if info, err := os.Stat(dst); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("copy mode: %v", err)
	}
	if ok, err := sqlite.CheckKey(ctx, dst, terminalKey(s.Path())); err != nil || !ok {
		t.Fatalf("the key does not open the copy: %v", err)
	}
	if n := count(t, rawDB(t, dst), `SELECT COUNT(*) FROM citizens`); n != 20 {
		t.Fatalf("copy holds %d citizens", n)
	}
	if _, err := sqlite.BackupTo(ctx, s.Path(), dst); err == nil {
		t.Fatal("a backup over an existing file")
	}
}

func TestRestoreLockWaitsForEveryStore(t *testing.T) {
	s := openStore(t)
	if _, err := sqlite.LockExclusive(s.Path()); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("exclusive lock under an open store: %v", err)
	}
	path := s.Path()
	s.Close()
	unlock, err := sqlite.LockExclusive(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(context.Background(), path, terminalKey(path)); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("open during a restore: %v", err)
	}
	unlock()
}

// TestFullDiskHasItsOwnSentence fills a 2 MB tmpfs under the test's folder
// (mounted for the test: it needs root) until a write fails, and checks the
// failure is app.NoSpace, not the generic sentence, and that the store
// still opens and holds every write it acknowledged.
func TestFullDiskHasItsOwnSentence(t *testing.T) {
	dir := mountTiny(t, "2m")
	path := filepath.Join(dir, "gise.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var saved int
	for i := range 100_000 {
		c := citizen(t, i+1, "Ayşe", "Şahin")
		c.Email = fmt.Sprintf("ayse.sahin.%d@example.com", i)
		err = s.RegisterCitizen(ctx, clerk, c, nil)
		if err != nil {
			break
		}
		saved++
	}
	t.Logf("the disk was full after %d registrations: %v", saved, err)
	if app.ErrorCode(err) != app.ENOSPACE || app.ErrorMessage(err) != app.MsgNoSpace {
		t.Fatalf("after %d writes: %v, want the full-disk error", saved, err)
	}
	if _, err := s.SaveAttachment(ctx, "scan.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1<<20)...)); app.ErrorCode(err) != app.ENOSPACE {
		t.Fatalf("attachment on a full disk: %v", err)
	}
	if n := count(t, rawDB(t, path), `SELECT COUNT(*) FROM citizens`); n != saved {
		t.Fatalf("%d citizens stored, %d acknowledged", n, saved)
	}
}

// mountTiny mounts a tmpfs of the given size under t.TempDir() and skips
// the test where mounting is not allowed.
func mountTiny(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount: %v %s", err, out)
		}
	})
	return dir
}

// BenchmarkQuickCheck measures Open's quick_check and the idle
// integrity_check on a store of 100,000 registrations (each a citizen row,
// its outbox record, its audit event and that event's record), built once
// and kept in the user's cache folder.
func BenchmarkQuickCheck(b *testing.B) {
	path := registrationsStore(b, 100_000)
	for _, pragma := range []bool{false, true} {
		name := map[bool]string{false: "quick_check", true: "integrity_check"}[pragma]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if r, err := sqlite.Inspect(context.Background(), path, pragma); err != nil || r.Check != "ok" {
					b.Fatal(r, err)
				}
			}
			info, _ := os.Stat(path)
			b.ReportMetric(float64(info.Size())/(1<<20), "MiB")
		})
	}
}

// registrationsStore returns the path of a closed store holding n
// registrations, building it once.
func registrationsStore(b *testing.B, n int) string {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	path := filepath.Join(cache, "gise-bench", fmt.Sprintf("registrations-%d-v1.db", n))
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	have := count(b, rawDB(b, path), `SELECT COUNT(*) FROM citizens`)
	if have < n {
		b.Logf("building %s (once)", path)
		start := time.Now()
		for i := have; i < n; i++ {
			c := citizen(b, 2_000_000+i, firstNames[i%len(firstNames)], lastNames[i%len(lastNames)])
			if err := s.RegisterCitizen(context.Background(), clerk, c, nil); err != nil && !errors.Is(err, context.Canceled) {
				b.Fatal(err)
			}
		}
		b.Logf("built in %s", time.Since(start))
	}
	return path
}
