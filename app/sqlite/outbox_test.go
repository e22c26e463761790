package sqlite_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kocasinan/gise/app"
)

var supervisor = app.Actor{Username: "mehmet", Role: app.RoleSupervisor}

func TestOutboxLifecycle(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	for i := range 3 {
		if err := s.RegisterCitizen(ctx, clerk, citizen(t, i+1, "Ali", "Kaya"), nil); err != nil {
			t.Fatal(err)
		}
	}
	batch, last, err := s.PendingBatch(ctx, 0, 500, 4<<20)
	if err != nil || len(batch) != 6 {
		t.Fatalf("pending batch: %d %v", len(batch), err)
	}
	if one, _, _ := s.PendingBatch(ctx, 0, 500, 1); len(one) != 1 {
		t.Fatalf("a byte limit below one record must still give one, got %d", len(one))
	}
	if after, _, _ := s.PendingBatch(ctx, last, 500, 4<<20); len(after) != 0 {
		t.Fatalf("%d records after the last one", len(after))
	}
	if two, _, _ := s.PendingBatch(ctx, 0, 2, 4<<20); len(two) != 2 {
		t.Fatalf("limit 2 gave %d", len(two))
	}
	results := []app.DeliveryResult{
		{ID: batch[0].ID, Status: app.DeliveryCreated, ServerRef: "KCS-2026-0000001"},
		{ID: batch[1].ID, Status: app.DeliveryDuplicate, ServerRef: "KCS-2026-0000002"},
		{ID: batch[2].ID, Status: app.DeliveryConflict},
		{ID: batch[4].ID, Status: app.DeliveryRejected, Code: "invalid_category", Detail: "retired"},
		{ID: batch[0].ID, Status: app.DeliveryConflict}, // a repeated answer changes nothing
	}
	if err := s.ApplyResults(ctx, results); err != nil {
		t.Fatal(err)
	}
	c, err := s.OutboxCounts(ctx)
	if err != nil || c.PendingTotal != 2 || c.Delivered != 2 || c.Conflict != 1 || c.Rejected != 1 {
		t.Fatalf("counts: %+v %v", c, err)
	}
	if err := s.ApplyResults(ctx, []app.DeliveryResult{{ID: batch[3].ID, Status: "bogus"}}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unknown status: %v", err)
	}
	rej, _ := s.OutboxEntries(ctx, app.OutboxRejected, 10)
	if len(rej) != 1 || rej[0].RejectCode != "invalid_category" {
		t.Fatalf("rejected list: %+v", rej)
	}
	if _, err := s.ResendCorrected(ctx, clerk, rej[0].ID, rej[0].Data, "fix"); app.ErrorCode(err) != app.EPERMISSION {
		t.Errorf("clerk resend: %v", err)
	}
	if err := s.CloseEntry(ctx, supervisor, batch[0].ID, "x"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("close delivered: %v", err)
	}
	newID, err := s.ResendCorrected(ctx, supervisor, rej[0].ID, json.RawMessage(`{"a":1}`), "kategori düzeltildi")
	if err != nil || newID == "" {
		t.Fatal(err)
	}
	if err := s.CloseEntry(ctx, supervisor, batch[2].ID, "merkezle görüşüldü"); err != nil {
		t.Fatal(err)
	}
	c, _ = s.OutboxCounts(ctx)
	// 2 pending + the corrected record + two audit events for the decisions.
	if c.PendingTotal != 5 || c.Closed != 2 || c.Conflict != 0 || c.Rejected != 0 {
		t.Fatalf("after resolving: %+v", c)
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Fatalf("audit: %+v %v", rep, err)
	}
}

func TestApplyUpdatesStoresCursor(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	yes := true
	page := app.UpdatesPage{Cursor: "c-000002", Updates: []app.Update{
		{Type: app.UpdateCategory, Code: "TEM-01", Name: "Temizlik", Group: "Temizlik İşleri", Active: &yes},
		{Type: app.UpdateComplaintStatus, RecordID: "r", TrackingCode: "K7Q-M4X-29P", Status: "in_progress", Note: "n", At: "2026-11-28T10:00:00+03:00"},
	}}
	if err := s.ApplyUpdates(ctx, page); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.SyncState(ctx, app.SyncCursor); cur != "c-000002" {
		t.Fatalf("cursor %q", cur)
	}
	bad := app.UpdatesPage{Cursor: "c-000003", Updates: []app.Update{{Type: app.UpdateComplaintStatus, Status: "lost"}}}
	if err := s.ApplyUpdates(ctx, bad); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("bad status: %v", err)
	}
	if cur, _ := s.SyncState(ctx, app.SyncCursor); cur != "c-000002" {
		t.Fatalf("cursor moved on a refused page: %q", cur)
	}
	if err := s.UnblockSync(ctx, supervisor); app.ErrorCode(err) != app.EPERMISSION {
		t.Fatalf("unblock by supervisor: %v", err)
	}
}
