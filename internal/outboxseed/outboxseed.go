// Package outboxseed queues many records in a terminal's store at once,
// for tests and the load test that need thousands of pending records:
// straight into the outbox tables in one transaction, sealed with the
// terminal key as the store seals them (the domain path costs minutes for
// tens of thousands). The records are complaint.filed with canonical data.
package outboxseed

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"

	_ "modernc.org/sqlite" // the database/sql driver
)

// Seed queues n complaint.filed records of terminal into the store at path
// (opened once by sqlite.Open before, so that its schema exists), sealed by
// sealer, occurring one second apart from at. It returns them in queue
// order.
func Seed(ctx context.Context, path string, sealer *keys.Sealer, terminal string, n int, at time.Time) ([]app.Record, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO outbox (id, type, schema, occurred_at, subject) VALUES (?, ?, 1, ?, ?)`)
	if err != nil {
		return nil, err
	}
	payload, err := tx.PrepareContext(ctx, `INSERT INTO outbox_payloads (seq, data) VALUES (last_insert_rowid(), ?)`)
	if err != nil {
		return nil, err
	}
	out := make([]app.Record, 0, n)
	for i := range n {
		rec, err := complaint(terminal, i, at.Add(time.Duration(i)*time.Second))
		if err != nil {
			return nil, err
		}
		sealed, err := sealer.Seal(rec.ID, "data", rec.Data)
		if err != nil {
			return nil, err
		}
		if _, err := st.ExecContext(ctx, rec.ID, rec.Type, rec.OccurredAt.Format(time.RFC3339), "seed-"+rec.ID); err != nil {
			return nil, err
		}
		if _, err := payload.ExecContext(ctx, sealed); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, tx.Commit()
}

func complaint(terminal string, i int, at time.Time) (app.Record, error) {
	d := app.ComplaintFiledData{
		ComplaintID: uuid.Must(uuid.NewV7()).String(), TrackingCode: fmt.Sprintf("L%s-%06d", terminal, i),
		Kind: "complaint", CategoryCode: "TEM-01",
		Description: fmt.Sprintf("Sokak lambası yanmıyor (%d). Çöp konteyneri dolu, ğüşıöç <acil> & hızlı.", i),
		Address:     "Mimarsinan Mah. 1. Sk. No: 3", NeighbourhoodCode: "MAH-001", Channel: "counter",
		Attachments: []app.Attachment{}, Clerk: "ayse", TerminalID: terminal,
	}
	data, err := app.CanonicalJSON(d)
	if err != nil {
		return app.Record{}, err
	}
	return app.Record{ID: uuid.Must(uuid.NewV7()).String(), Type: app.TypeComplaintFiled, Schema: 1, OccurredAt: at, Data: data}, nil
}
