package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
)

// secretCitizen is a citizen whose every personal value is distinctive, so
// that finding it in a file can only mean it was stored in the clear.
func secretCitizen(t testing.TB, n int) *app.Citizen {
	t.Helper()
	c, err := app.ParseCitizen(app.CitizenInput{
		NationalID: validNationalID(n), FirstName: "Gülizar Nurcihan", LastName: "Karaosmanoğlu",
		BirthDate: "17.09.1973", Phone: "0533 987 65 43", Email: "gulizar.k@ornek.com.tr",
	}, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	c.Channel = app.ChannelCounter
	return &c
}

// writePersonalData stores a citizen, a complaint with an attachment and a
// print job, and returns every personal value written.
func writePersonalData(t *testing.T, s *sqlite.Store) []string {
	t.Helper()
	ctx := context.Background()
	c := secretCitizen(t, 4242)
	if err := s.RegisterCitizen(ctx, clerk, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordIdentityCheck(ctx, clerk, &app.IdentityCheck{CitizenID: c.ID, Method: app.MethodIDCard,
		SerialLast4: "a12b", Result: app.Verified, Note: "Kimliği kızı Feraye getirdi"}); err != nil {
		t.Fatal(err)
	}
	scan := append([]byte("\x89PNG\r\n\x1a\n"), []byte("TARANMIS-BELGE-Karaosmanoğlu-dilekçesi")...)
	att, err := s.SaveAttachment(ctx, "dilekce-karaosmanoglu.png", scan)
	if err != nil {
		t.Fatal(err)
	}
	k := complaint(c.ID)
	k.Description = "Bahçemin önündeki çınar ağacı devrilmek üzere, lütfen acele edin."
	k.Address = "Hoşdere Mah. Lale Sok. No: 77 Daire 5"
	k.Attachments = []app.Attachment{att}
	if err := s.FileComplaint(ctx, clerk, k); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePrintJob(ctx, &app.PrintJob{Title: "Makbuz", Printer: "p", PDF: []byte("%PDF-1.7 Sayın Gülizar Nurcihan Karaosmanoğlu")}); err != nil {
		t.Fatal(err)
	}
	return []string{c.NationalID.Digits(), "Gülizar", "Nurcihan", "Karaosmanoğlu", "1973-09-17", "+905339876543",
		"5339876543", "gulizar.k@ornek.com.tr", k.Description, "çınar ağacı", k.Address, "Lale Sok", "TARANMIS-BELGE",
		"dilekce-karaosmanoglu", "Feraye"}
}

// forms returns the ways a value may appear in a file: as typed, JSON
// escaped (with and without \u escapes of non-ASCII letters) and folded.
func forms(v string) []string {
	out := []string{v, app.FoldName(v)}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, strings.Trim(string(b), `"`))
	}
	var esc strings.Builder
	for _, r := range v {
		if r < 128 {
			esc.WriteRune(r)
		} else {
			esc.WriteString(strings.TrimPrefix(strings.Trim(string(mustJSONASCII(r)), `"`), ""))
		}
	}
	return append(out, esc.String())
}

func mustJSONASCII(r rune) []byte {
	var b bytes.Buffer
	b.WriteString(`\u`)
	const hex = "0123456789abcdef"
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hex[(r>>shift)&0xF])
	}
	return b.Bytes()
}

// filesUnder returns the database, its WAL and every attachment file.
func storeFiles(t *testing.T, s *sqlite.Store) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(s.Dir(), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, keys.DefaultFileName) {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil {
			out[p] = b
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertNoPlaintext fails for every value found in any file of the store.
func assertNoPlaintext(t *testing.T, s *sqlite.Store, values []string) {
	t.Helper()
	files := storeFiles(t, s)
	// The search itself must work: a category code is stored in the clear.
	found := false
	for _, b := range files {
		found = found || bytes.Contains(b, []byte("YENIDOGAN"))
	}
	if !found {
		t.Fatal("the search does not find a value stored in the clear")
	}
	for path, b := range files {
		for _, v := range values {
			for _, f := range forms(v) {
				if f != "" && bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(f))) {
					t.Errorf("%s holds %q in plaintext", filepath.Base(path), f)
				}
			}
		}
	}
}

func TestNoPersonalDataInTheClear(t *testing.T) {
	s := openStore(t)
	values := writePersonalData(t, s)
	if _, err := os.Stat(s.Path() + "-wal"); err != nil {
		t.Fatalf("the WAL should exist and be searched: %v", err)
	}
	assertNoPlaintext(t, s, values)

	// Everything still reads back through the store.
	ctx := context.Background()
	c, err := s.CitizenByNationalID(ctx, app.NationalID(validNationalID(4242)))
	if err != nil || c.LastName != "Karaosmanoğlu" || c.Email != "gulizar.k@ornek.com.tr" {
		t.Fatalf("by national id: %+v %v", c, err)
	}
	for _, q := range []string{"karaos", "gül", "nurcihan kara", "KARAOSMANOĞLU GÜLİZAR"} {
		if list, err := s.FindCitizensByName(ctx, q, 20); err != nil || len(list) != 1 {
			t.Errorf("by name %q: %d found, %v", q, len(list), err)
		}
	}
	if list, err := s.FindCitizensByName(ctx, "karaosmanoglux", 20); err != nil || len(list) != 0 {
		t.Errorf("a longer word than the name matched: %d, %v", len(list), err)
	}
	if list, _ := s.FindCitizensByPhone(ctx, "+905339876543"); len(list) != 1 {
		t.Errorf("by phone: %d found", len(list))
	}
	list, err := s.RecentComplaints(ctx, 5)
	if err != nil || len(list) != 1 || !strings.Contains(list[0].Address, "Lale") {
		t.Fatalf("complaints: %v", err)
	}
	b, err := s.ReadAttachment(list[0].Attachments[0].SHA256)
	if err != nil || !bytes.Contains(b, []byte("TARANMIS-BELGE")) {
		t.Fatalf("attachment: %v", err)
	}
	entries, err := s.OutboxEntries(ctx, app.OutboxPending, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if canon, _ := app.CanonicalJSON(e.Data); !bytes.Equal(canon, e.Data) {
			t.Errorf("%s payload is not its canonical bytes after opening", e.Type)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoPlaintext(t, s, values)
}

func TestRotationResealsEverythingAndResumesAfterACrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "gise.db")
	keyPath := keys.DefaultPath(dir)
	old, err := keys.LoadOrCreate(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, path, old)
	if err != nil {
		t.Fatal(err)
	}
	values := writePersonalData(t, s)
	for i := range 7 {
		if err := s.RegisterCitizen(ctx, clerk, citizen(t, 10+i, "Ahmet", "Yılmaz"), nil); err != nil {
			t.Fatal(err)
		}
	}
	payloads := map[string][]byte{}
	before, err := s.OutboxEntries(ctx, app.OutboxPending, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range before {
		payloads[e.ID] = e.Data
	}
	s.Close()
	if _, err := rawDB(t, path).Exec(`UPDATE outbox_payloads SET data = x'00' WHERE seq = 1`); err == nil ||
		!strings.Contains(err.Error(), "never changes") {
		t.Fatalf("changing a queued payload outside the re-seal path: %v", err)
	}
	rotated, err := keys.AddKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}

	crash := errors.New("simulated crash")
	batches := 0
	restore := sqlite.SetResealBatch(3, func(table string) error {
		if batches++; table == "citizens" && batches == 2 {
			return crash
		}
		return nil
	})
	if _, err := sqlite.Open(ctx, path, rotated); !errors.Is(err, crash) {
		t.Fatalf("first open after rotation: %v, want the simulated crash", err)
	}
	db := rawDB(t, path)
	if n := count(t, db, `SELECT COUNT(*) FROM reseal_progress WHERE tbl = 'citizens' AND key_id = 2 AND after = '6'`); n != 1 {
		t.Fatalf("progress of the crashed run not recorded (%d rows)", n)
	}
	restore()
	s, err = sqlite.Open(ctx, path, rotated)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		`SELECT COUNT(*) FROM citizens WHERE substr(national_id, 2, 1) <> x'02' OR substr(first_name, 2, 1) <> x'02'`,
		`SELECT COUNT(*) FROM outbox_payloads WHERE substr(data, 2, 1) <> x'02'`,
		`SELECT COUNT(*) FROM complaints WHERE substr(description, 2, 1) <> x'02'`,
		`SELECT COUNT(*) FROM print_jobs WHERE substr(pdf, 2, 1) <> x'02'`,
		`SELECT COUNT(*) FROM accounts WHERE totp_secret IS NOT NULL AND substr(totp_secret, 2, 1) <> x'02'`,
		`SELECT COUNT(*) FROM citizen_names WHERE key_id <> 2`,
	} {
		if n := count(t, db, q); n != 0 {
			t.Errorf("%s: %d", q, n)
		}
	}
	if list, err := s.FindCitizensByName(ctx, "ahmet yıl", 20); err != nil || len(list) != 7 {
		t.Errorf("by name after rotation: %d, %v", len(list), err)
	}
	if _, err := s.CitizenByNationalID(ctx, app.NationalID(validNationalID(4242))); err != nil {
		t.Errorf("by national id after rotation: %v", err)
	}
	if list, _ := s.FindCitizensByPhone(ctx, "+905339876543"); len(list) != 1 {
		t.Errorf("by phone after rotation: %d", len(list))
	}
	if list, err := s.RecentComplaints(ctx, 5); err != nil || len(list) != 1 {
		t.Fatalf("complaints after rotation: %v", err)
	} else if _, err := s.ReadAttachment(list[0].Attachments[0].SHA256); err != nil {
		t.Errorf("attachment after rotation: %v", err)
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Errorf("audit after rotation: %+v %v", rep, err)
	}
	after, err := s.OutboxEntries(ctx, app.OutboxPending, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range after {
		if old, ok := payloads[e.ID]; ok && !bytes.Equal(old, e.Data) {
			t.Errorf("payload of %s changed by the rotation", e.ID)
		}
		delete(payloads, e.ID)
	}
	if len(payloads) != 0 {
		t.Errorf("%d payloads lost by the rotation", len(payloads))
	}
	assertNoPlaintext(t, s, values)
}

// TestMigrationSealsPlaintextOfSchema5 stores personal data as schema 5
// did (in the clear), then opens the file with this build: the migration and
// its sealing step leave no value in the clear and every one readable.
func TestMigrationSealsPlaintextOfSchema5(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "gise.db")
	if err := sqlite.CreateAtVersion(ctx, path, 5); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	c := secretCitizen(t, 4242)
	scan := append([]byte("\x89PNG\r\n\x1a\n"), []byte("TARANMIS-BELGE-Karaosmanoğlu")...)
	sum := sha256.Sum256(scan)
	sha := hex.EncodeToString(sum[:])
	data, _ := app.CanonicalJSON(c.RegisteredData("KCS-TEST-01"))
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO citizens (id, national_id, first_name, last_name, last_first_key, first_last_key, birth_date,
			phone, email, channel, clerk, created_at) VALUES ('c-1', ?, ?, ?, ?, ?, '1973-09-17', ?, ?, 'counter', 'ayse', '2026-11-01T10:00:00Z')`,
			[]any{c.NationalID.Digits(), c.FirstName, c.LastName, app.FoldName(c.LastName + " " + c.FirstName),
				app.FoldName(c.FirstName + " " + c.LastName), c.Phone, c.Email}},
		{`INSERT INTO complaints (id, tracking_code, citizen_id, anonymous, kind, category_code, description, address,
			neighbourhood_code, channel, paper_ref, paper_date, attachments, clerk, created_at)
			VALUES ('k-1', 'K7QM4X29P', 'c-1', 0, 'complaint', 'TEM-01', 'Bahçemin önündeki çınar ağacı', 'Lale Sok',
			'YENIDOGAN', 'counter', '', '', ?, 'ayse', '2026-11-01T10:00:00Z')`,
			[]any{`[{"sha256":"` + sha + `","media_type":"image/png","size":1,"name":"dilekce-karaosmanoglu.png"}]`}},
		{`INSERT INTO attachments (sha256, media_type, size) VALUES (?, 'image/png', ?)`, []any{sha, len(scan)}},
		{`INSERT INTO outbox (id, type, schema, occurred_at, data) VALUES ('r-1', 'citizen.registered', 1, '2026-11-01T10:00:00Z', ?)`,
			[]any{string(data)}},
		{`INSERT INTO print_jobs (id, title, printer, pdf, status, created_at, updated_at)
			VALUES ('p-1', 'Makbuz', 'p', ?, 'printed', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z')`,
			[]any{[]byte("%PDF-1.7 Sayın Gülizar Nurcihan Karaosmanoğlu")}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	attPath := filepath.Join(dir, "attachments", sha[:2], sha)
	if err := os.MkdirAll(filepath.Dir(attPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(attPath, scan, 0o600); err != nil {
		t.Fatal(err)
	}

	s, err := sqlite.Open(ctx, path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if on, err := s.ForeignKeys(ctx); err != nil || !on {
		t.Errorf("foreign keys after the migrations: %v %v", on, err)
	}
	got, err := s.CitizenByNationalID(ctx, c.NationalID)
	if err != nil || got.ID != "c-1" || got.FirstName != c.FirstName || got.Phone != c.Phone {
		t.Fatalf("migrated citizen: %+v %v", got, err)
	}
	if list, err := s.FindCitizensByName(ctx, "karaosman gül", 20); err != nil || len(list) != 1 {
		t.Errorf("migrated citizen by name: %d %v", len(list), err)
	}
	e, err := s.OutboxEntry(ctx, "r-1")
	if err != nil || !bytes.Equal(e.Data, data) {
		t.Fatalf("migrated payload changed: %v", err)
	}
	if b, err := s.ReadAttachment(sha); err != nil || !bytes.Equal(b, scan) {
		t.Fatalf("migrated attachment: %v", err)
	}
	if j, err := s.PrintJob(ctx, "p-1"); err != nil || !bytes.HasPrefix(j.PDF, []byte("%PDF")) {
		t.Fatalf("migrated print job: %v", err)
	}
	assertNoPlaintext(t, s, []string{c.NationalID.Digits(), "Gülizar", "Karaosmanoğlu", "gulizar.k@ornek.com.tr",
		"+905339876543", "1973-09-17", "çınar ağacı", "Lale Sok", "TARANMIS-BELGE", "dilekce-karaosmanoglu"})
}
