// Command seed writes and reads back records in a terminal's data directory
// for make package-test (packaging/package-test.sh): it is built from the
// old commit to write records before an upgrade, and from the new one to
// check them after. It goes through app/sqlite as the kiosk does (sealed
// with the terminal key, audited, queued), not around it.
//
//	seed -data-dir D -write N    N citizens, each with a paper complaint
//	seed -data-dir D -check      prints counts, the schema and citizen 1
//	seed -data-dir D -future V   records schema version V (a newer binary)
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
)

var clerk = app.Actor{Username: "paket-testi", Role: app.RoleClerk}

func main() {
	dir := flag.String("data-dir", "/var/lib/gise", "the terminal's data directory")
	write := flag.Int("write", 0, "write this many citizens, each with a complaint")
	check := flag.Bool("check", false, "print what the database holds")
	future := flag.Int("future", 0, "record this schema version, as a newer binary would")
	flag.Parse()
	ctx := context.Background()
	db := filepath.Join(*dir, "gise.db")
	var err error
	switch {
	case *future > 0:
		err = recordFuture(db, *future)
	case *write > 0:
		err = writeRecords(ctx, *dir, db, *write)
	case *check:
		err = report(ctx, *dir, db)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func open(ctx context.Context, dir, db string) (*sqlite.Store, error) {
	sealer, err := keys.LoadForStore(keys.DefaultPath(dir), db)
	if err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, db, sealer, sqlite.WithTerminal("KCS-PAKET-01", "192.0.2.10"))
}

func writeRecords(ctx context.Context, dir, db string, n int) error {
	s, err := open(ctx, dir, db)
	if err != nil {
		return err
	}
	defer s.Close()
	for i := 1; i <= n; i++ {
		c, err := app.ParseCitizen(app.CitizenInput{NationalID: apptest.NationalID(i), FirstName: "Çağrı",
			LastName: "Işıkoğlu", BirthDate: "23.04.1985", Phone: "0532 123 45 67"}, time.Now())
		if err != nil {
			return err
		}
		c.Channel = app.ChannelCounter
		if err := s.RegisterCitizen(ctx, clerk, &c, nil); err != nil {
			return err
		}
		k := &app.Complaint{CitizenID: c.ID, Kind: app.KindComplaint, CategoryCode: "TEM-01",
			Description: "Sokağımızdaki çöp konteyneri üç gündür boşaltılmadı.", Address: "Yenidoğan Mah. 12. Sok.",
			NeighbourhoodCode: "YENIDOGAN", Channel: app.ChannelPaper, PaperRef: fmt.Sprintf("EVR-2026/%d", i),
			PaperDate: time.Now().Truncate(24 * time.Hour)}
		if err := s.FileComplaint(ctx, clerk, k); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d citizens and %d complaints\n", n, n)
	return nil
}

func report(ctx context.Context, dir, db string) error {
	s, err := open(ctx, dir, db)
	if err != nil {
		return err
	}
	defer s.Close()
	first, err := s.CitizenByNationalID(ctx, app.NationalID(apptest.NationalID(1)))
	if err != nil {
		return err
	}
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		return err
	}
	defer raw.Close()
	for _, q := range []struct{ name, sql string }{
		{"citizens", `SELECT COUNT(*) FROM citizens`},
		{"complaints", `SELECT COUNT(*) FROM complaints`},
		{"audit_events", `SELECT COUNT(*) FROM audit_events`},
		{"schema", `SELECT MAX(version) FROM schema_migrations`},
		{"migrations_applied_twice", `SELECT COUNT(*) FROM (SELECT version FROM schema_migrations GROUP BY version HAVING COUNT(*) > 1)`},
	} {
		var n int
		if err := raw.QueryRowContext(ctx, q.sql).Scan(&n); err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		fmt.Printf("%s=%d\n", q.name, n)
	}
	fmt.Printf("citizen_1=%s %s\n", first.FirstName, first.LastName)
	return nil
}

func recordFuture(db string, v int) error {
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		return err
	}
	defer raw.Close()
	_, err = raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from-a-newer-binary.sql', ?)`,
		v, time.Now().Format(time.RFC3339))
	return err
}
