package sqlite_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sqlite"
)

// BenchmarkApplyResults marks 10,000 queued records delivered, 500 a
// transaction, as the sync worker does with a batch's answers; each record
// is about its own subject, as on a terminal.
func BenchmarkApplyResults(b *testing.B) {
	const n, batch = 10_000, 500
	var spent time.Duration
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "gise.db")
		s, err := sqlite.Open(context.Background(), path, terminalKey(path))
		if err != nil {
			b.Fatal(err)
		}
		ids := seedPending(b, path, n)
		start := time.Now()
		for i := 0; i < n; i += batch {
			rs := make([]app.DeliveryResult, 0, batch)
			for j, id := range ids[i : i+batch] {
				rs = append(rs, app.DeliveryResult{ID: id, Status: app.DeliveryCreated, ServerRef: fmt.Sprintf("KCS-2026-%07d", i+j)})
			}
			if err := s.ApplyResults(context.Background(), rs); err != nil {
				b.Fatal(err)
			}
		}
		spent += time.Since(start)
		s.Close()
	}
	b.ReportMetric(float64(spent.Microseconds())/float64(b.N*n), "µs/record")
}

// seedPending queues n records straight into the outbox file.
func seedPending(b *testing.B, path string, n int) []string {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	data := make([]byte, 700)
	ids := make([]string, n)
	for i := range n {
		rand.Read(data)
		ids[i] = fmt.Sprintf("0196f3c2-0000-7000-8000-%012d", i)
		if _, err := tx.Exec(`INSERT INTO outbox (id, type, schema, occurred_at, subject) VALUES (?, 'complaint.filed', 1, '2026-11-28T09:58:41+03:00', ?)`,
			ids[i], fmt.Sprintf("cmp-%06d", i)); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO outbox_payloads (seq, data) VALUES (last_insert_rowid(), ?)`, data); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return ids
}
