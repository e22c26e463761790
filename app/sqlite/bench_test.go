package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

var (
	firstNames = []string{"Ahmet", "Mehmet", "Ayşe", "Fatma", "Mustafa", "Emine", "Ali", "Hatice", "Hüseyin",
		"Zeynep", "İbrahim", "Elif", "Hasan", "Meryem", "Işıl", "Çağrı", "Gökhan", "Şule", "Ömer", "Özlem",
		"Yusuf", "Büşra", "Murat", "Esra", "İsmail", "Ebru", "Osman", "Gül", "Kemal", "Sibel"}
	lastNames = []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
		"Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek",
		"Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Akın", "Işık", "Güneş", "Bulut", "Tekin"}
)

// percentiles reports p50 and p99 of the samples as benchmark metrics.
func percentiles(b *testing.B, samples []time.Duration) {
	slices.Sort(samples)
	at := func(p float64) float64 {
		return float64(samples[int(p*float64(len(samples)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkRegisterCitizen measures the commit latency of one registration
// (citizen row, outbox record, audit event and its record) with
// synchronous=FULL on a real file.
func BenchmarkRegisterCitizen(b *testing.B) {
	s := openStore(b)
	s.Now = time.Now
	samples := make([]time.Duration, 0, 4096)
	i := 0
	for b.Loop() {
		i++
		c := citizen(b, 1_000_000+i, firstNames[i%len(firstNames)], lastNames[i%len(lastNames)])
		start := time.Now()
		if err := s.RegisterCitizen(context.Background(), clerk, c, nil); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	percentiles(b, samples)
}

// millionStore returns a store holding 1,000,000 citizens. The file is built
// once, sealed with its own terminal key beside it, through the same code
// RegisterCitizen uses for the citizen rows (sealed columns, blind indexes,
// name index; no records), and kept in the user's cache folder between runs.
func millionStore(b *testing.B) *sqlite.Store {
	b.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	path := filepath.Join(cache, "gise-bench", "citizens-1m-sealed-v3.db")
	s, err := sqlite.Open(context.Background(), path, terminalKey(path))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	db := rawDB(b, path)
	if n := count(b, db, `SELECT COUNT(*) FROM citizens`); n < 1_000_000 {
		b.Logf("building %s (once)", path)
		fillCitizens(b, s, n, 1_000_000)
	}
	return s
}

// fillCitizens adds citizens from..n-1 in transactions of 20,000.
func fillCitizens(b *testing.B, s *sqlite.Store, from, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	batch := make([]*app.Citizen, 0, 20_000)
	for i := range n {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))] + fmt.Sprintf("%c", 'a'+rune(r.IntN(26)))
		if i < from {
			continue
		}
		batch = append(batch, &app.Citizen{ID: fmt.Sprintf("c-%07d", i), NationalID: app.NationalID(validNationalID(i)),
			FirstName: first, LastName: last, BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC),
			Phone: fmt.Sprintf("+90532%07d", i), Channel: app.ChannelCounter, Clerk: "bench", CreatedAt: at})
		if len(batch) == cap(batch) || i == n-1 {
			if err := s.FillCitizens(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkLookupNationalID finds one citizen by national ID among a million.
func BenchmarkLookupNationalID(b *testing.B) {
	s := millionStore(b)
	r := rand.New(rand.NewPCG(3, 4))
	samples := make([]time.Duration, 0, 4096)
	for b.Loop() {
		n := app.NationalID(validNationalID(r.IntN(1_000_000)))
		start := time.Now()
		if _, err := s.CitizenByNationalID(context.Background(), n); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	percentiles(b, samples)
}

// BenchmarkLookupNamePrefix lists the first 20 citizens whose name starts
// with a prefix of two to six letters (the counter asks for two), among a
// million.
func BenchmarkLookupNamePrefix(b *testing.B) {
	s := millionStore(b)
	r := rand.New(rand.NewPCG(5, 6))
	samples := make([]time.Duration, 0, 4096)
	for b.Loop() {
		name := []rune(lastNames[r.IntN(len(lastNames))])
		if r.IntN(2) == 0 {
			name = []rune(firstNames[r.IntN(len(firstNames))])
		}
		prefix := string(name[:2+r.IntN(min(6, len(name))-1)])
		start := time.Now()
		list, err := s.FindCitizensByName(context.Background(), prefix, 20)
		if err != nil || len(list) == 0 {
			b.Fatalf("prefix %q: %d found, %v", prefix, len(list), err)
		}
		samples = append(samples, time.Since(start))
	}
	percentiles(b, samples)
}
