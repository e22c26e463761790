package notice_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
)

var clerk = app.Actor{Username: "ayse", Role: app.RoleClerk}

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gise.db")
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		t.Fatal(err)
	}
	s.TerminalID = "KCS-TEST-01"
	t.Cleanup(func() { s.Close() })
	return s
}

// builtin is version 1 as main wires it.
func builtin() []notice.Version {
	return []notice.Version{
		notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{}),
		notice.New(1, notice.English, assets.NoticeV1EN, time.Time{}),
	}
}

// putVersion writes a row as the sync worker does, straight into the table.
func putVersion(t *testing.T, s *sqlite.Store, v notice.Version, from string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO notice_versions (version, language, sha256, text, effective_from) VALUES (?, ?, ?, ?, ?)`,
		v.Number, v.Language, v.SHA256, v.Text, from); err != nil {
		t.Fatal(err)
	}
}

func day(s string) time.Time {
	d, _ := time.Parse(app.DateLayout, s)
	return d
}

func TestBuiltinHashIsOverExactBytes(t *testing.T) {
	sum := sha256.Sum256([]byte(assets.NoticeV1TR))
	c := notice.NewCatalog(nil, nil, builtin()...)
	v, err := c.Current(notice.Turkish, day("2026-11-28"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Number != 1 || v.SHA256 != hex.EncodeToString(sum[:]) || v.Text != assets.NoticeV1TR {
		t.Fatalf("version 1: %d %s", v.Number, v.SHA256)
	}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if en, err := c.Current(notice.English, day("2026-11-28")); err != nil || en.SHA256 == v.SHA256 {
		t.Fatalf("english: %v", err)
	}
	if _, err := c.Current("de", day("2026-11-28")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown language: %v", err)
	}
}

func TestCentralVersionTakesEffectOnItsDate(t *testing.T) {
	s := openStore(t)
	v2 := notice.New(2, notice.Turkish, "Aydınlatma Metni, ikinci sürüm: çğıİöşü.\n", time.Time{})
	putVersion(t, s, v2, "2027-01-01")
	forged := notice.New(3, notice.Turkish, "sahte", time.Time{})
	forged.Text = "başka bir metin" // hash no longer matches
	putVersion(t, s, forged, "2026-01-01")

	c := notice.NewCatalog(s, nil, builtin()...)
	if err := c.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		today string
		want  int
	}{{"2026-12-31", 1}, {"2027-01-01", 2}, {"2030-06-01", 2}} {
		v, err := c.Current(notice.Turkish, day(tc.today))
		if err != nil || v.Number != tc.want {
			t.Errorf("%s: version %d, want %d (%v)", tc.today, v.Number, tc.want, err)
		}
	}
	if _, err := c.Current(notice.English, day("2027-02-01")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("an outdated English translation was offered while Turkish v2 is in force: %v", err)
	}
	if v, err := c.Current(notice.English, day("2026-12-31")); err != nil || v.Number != 1 {
		t.Errorf("English v1 before v2 takes effect: %d %v", v.Number, err)
	}
	if _, err := c.Version(3, notice.Turkish); err == nil {
		t.Error("a version whose hash does not match its text must be ignored")
	}
	if v, err := c.Version(2, notice.Turkish); err != nil || v.EffectiveFrom != day("2027-01-01") {
		t.Errorf("version 2: %+v %v", v, err)
	}
}

func newcomer(t *testing.T) *app.Citizen {
	t.Helper()
	c, err := app.ParseCitizen(app.CitizenInput{NationalID: "10000000146", FirstName: "Işık",
		LastName: "Çağrı", BirthDate: "01.02.1990", ContactDeclined: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c.Channel = app.ChannelCounter
	return &c
}

func TestRegisterRefusedWithoutNotice(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	visit := notice.NewVisit(s, clerk, "")
	c := newcomer(t)
	err := visit.Register(ctx, c)
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != notice.FieldNotice {
		t.Fatalf("register without notice: %v", err)
	}
	if msg := app.ErrorMessage(err); msg == "" || msg[:len("Kayıt yapılamadı")] != "Kayıt yapılamadı" {
		t.Fatalf("message: %q", msg)
	}
	if _, err := s.CitizenByNationalID(ctx, c.NationalID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("citizen stored although refused: %v", err)
	}

	v1 := builtin()[0]
	if _, err := visit.Give(ctx, v1, app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
	if err := visit.Register(ctx, c); err != nil {
		t.Fatal(err)
	}
	acks, err := s.NoticeAcks(ctx, c.ID)
	if err != nil || len(acks) != 1 {
		t.Fatalf("acks: %d %v", len(acks), err)
	}
	if a := acks[0]; a.Version != 1 || a.SHA256 != v1.SHA256 || a.Language != "tr" || a.Delivery != app.NoticeScreen {
		t.Fatalf("ack: %+v", a)
	}
	if visit.CitizenID() != c.ID {
		t.Fatal("visit does not know its citizen")
	}
	if n := countOutbox(t, s, app.TypeNoticeAcknowledged); n != 1 {
		t.Fatalf("%d notice.acknowledged records queued", n)
	}
}

// A printed notice counts as given only once its job came out: accepted,
// failed or waiting is not given.
func TestGivePrintedOnlyWhenPrinted(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c := newcomer(t)
	setup := notice.NewVisit(s, clerk, "")
	if _, err := setup.Give(ctx, builtin()[1], app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
	if err := setup.Register(ctx, c); err != nil {
		t.Fatal(err)
	}

	visit := notice.NewVisit(s, clerk, c.ID)
	for _, j := range []*app.PrintJob{nil, {Status: app.PrintSent, SystemJob: "gise-6"},
		{Status: app.PrintFailed, SystemJob: "gise-5", Error: "Yazıcı bu belgeyi basamadı."}} {
		if _, err := visit.GivePrinted(ctx, builtin()[0], j); app.ErrorField(err) != notice.FieldNotice {
			t.Fatalf("job %+v: %v", j, err)
		}
	}
	if visit.NoticeGiven() {
		t.Fatal("a notice that did not come out counted as given")
	}
	if _, err := visit.GivePrinted(ctx, builtin()[0], &app.PrintJob{Status: app.PrintPrinted, SystemJob: "gise-7"}); err != nil {
		t.Fatal(err)
	}
	acks, _ := s.NoticeAcks(ctx, c.ID)
	if len(acks) != 2 || acks[0].Delivery != app.NoticePrinted || acks[0].PrintJob != "gise-7" {
		t.Fatalf("acks after print: %+v", acks)
	}
}

func TestEndKeepsProofOfAnonymousNotice(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	visit := notice.NewVisit(s, clerk, "")
	if _, err := visit.Give(ctx, builtin()[0], app.NoticeScreen, ""); err != nil {
		t.Fatal(err)
	}
	if err := visit.End(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countOutbox(t, s, app.TypeNoticeAcknowledged); n != 1 {
		t.Fatalf("%d notice.acknowledged records queued for the anonymous visitor", n)
	}
}

func countOutbox(t *testing.T, s *sqlite.Store, typ string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE type = ?`, typ).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The municipality's text is version 1 word for word: its hash is pinned
// here, so an editor that trims a trailing space or converts line endings
// fails the build instead of silently changing what citizens acknowledged.
func TestVersion1IsTheMunicipalitysText(t *testing.T) {
	const (
		trSHA = "66bad03c5a066e6bc57d85bae59330170cd5867c11f00242199fbe64bf42b279"
		enSHA = "d21feddd4d59fbd732d422f6a2273f2a3d4717aaaee8118145351ac7b288a92f"
	)
	if got := notice.Hash(assets.NoticeV1TR); got != trSHA {
		t.Errorf("Turkish v1 hash %s, want %s", got, trSHA)
	}
	if got := notice.Hash(assets.NoticeV1EN); got != enSHA {
		t.Errorf("English v1 hash %s, want %s (a new translation is a new version)", got, enSHA)
	}
	// Where the project's shared folder sits beside the repository (developers
	// and CI), compare with the file the municipality gave.
	seed, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seed", "aydinlatma-metni.txt"))
	if err != nil {
		t.Logf("seed file not found beside the repository (%v); the pinned hash still holds", err)
		return
	}
	if string(seed) != assets.NoticeV1TR {
		t.Error("assets/notice/aydinlatma-metni.tr.txt differs from shared/seed/aydinlatma-metni.txt")
	}
}

// terminalKey returns the terminal key kept beside the database at path,
// as main keeps it, so that a reopened store (or a child process) opens
// what an earlier one sealed.
func terminalKey(path string) *keys.Sealer {
	s, err := keys.LoadOrCreate(keys.DefaultPath(filepath.Dir(path)))
	if err != nil {
		panic(err)
	}
	return s
}
