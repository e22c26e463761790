package central

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kocasinan/gise/central/centraltest"
)

// The contract suite runs against both stores: every test that takes its
// central from eachStore runs once on SQLite and once on PostgreSQL. The
// PostgreSQL run needs GISE_TEST_PG (a DSN; scripts/with-services.sh starts
// a throwaway cluster and sets it) and skips only when it is unset.

// storeKinds are the stores the suite runs on.
var storeKinds = []struct {
	name string
	open func(t *testing.T) *Server
}{
	{"sqlite", func(t *testing.T) *Server {
		s, err := Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
	{"postgres", func(t *testing.T) *Server {
		s, err := OpenPostgres(context.Background(), centraltest.PostgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
}

// eachStore runs fn as a subtest per store, with a fresh central holding
// device D1.
func eachStore(t *testing.T, fn func(t *testing.T, e env)) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			t.Cleanup(func() { s.Close() })
			token, err := s.EnrolDevice(context.Background(), "D1")
			if err != nil {
				t.Fatal(err)
			}
			s.AdminToken = "adm"
			fn(t, env{s: s, h: s.Handler(), token: token})
		})
	}
}

// sqliteDB is the SQLite store's database, for tests that reach under the
// contract.
func sqliteDB(s *Server) *sql.DB { return s.st.(*sqliteStore).db }
