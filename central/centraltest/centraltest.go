// Package centraltest gives tests a PostgreSQL to run the central on: the
// cluster scripts/with-services.sh starts (scripts/postgres.sh), named by
// GISE_TEST_PG, with a fresh schema per test.
package centraltest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PGEnv is the variable naming the test PostgreSQL (a DSN).
const PGEnv = "GISE_TEST_PG"

var schemas atomic.Int64

// PostgresDSN returns a DSN on a fresh, empty schema of the test database,
// dropped at the end of the test, or skips the test when GISE_TEST_PG is
// unset (and only then).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PGEnv)
	if base == "" {
		t.Skip(PGEnv + " is not set: no PostgreSQL to test on (scripts/with-services.sh starts one)")
	}
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), schemas.Add(1))
	if err := exec(base, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("%s: %v", PGEnv, err)
	}
	t.Cleanup(func() { exec(base, "DROP SCHEMA "+name+" CASCADE") })
	return WithSearchPath(base, name)
}

func exec(dsn, sql string) error {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}

// WithSearchPath adds search_path to a DSN in either form (URL or
// key=value).
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + schema
	}
	return dsn + " search_path=" + schema
}
