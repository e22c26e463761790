package ui

import (
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

func TestSupervisorClosesARejectedRecord(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	if err := r.tm.Store.Audit(r.ctx, app.Actor{Username: "x", Role: app.RoleClerk}, "test.event", "o"); err != nil {
		t.Fatal(err)
	}
	recs, _, err := r.tm.Store.PendingBatch(r.ctx, 0, 500, 4<<20)
	if err != nil || len(recs) == 0 {
		t.Fatalf("pending: %d, %v", len(recs), err)
	}
	rejected := recs[len(recs)-1]
	if err := r.tm.Store.ApplyResults(r.ctx, []app.DeliveryResult{{ID: rejected.ID, Status: "rejected",
		Code: "invalid_category", Detail: "category ZB-99 is retired"}}); err != nil {
		t.Fatal(err)
	}
	// A clerk may not.
	r.k.problems.refresh()
	r.k.Wait()
	if !strings.Contains(r.k.problems.errs.Text, "yalnızca") {
		t.Fatalf("a clerk listing problems: %q", r.k.problems.errs.Text)
	}
	r.login(app.RoleSupervisor)
	s := r.k.problems
	r.k.show(screenProblems)
	s.reset()
	s.refresh()
	r.k.Wait()
	if len(s.records.Options) != 1 {
		t.Fatalf("problems listed: %v (%q)", s.records.Options, s.errs.Text)
	}
	s.records.SetSelectedIndex(0)
	if !strings.Contains(s.detail.Text, "retired") {
		t.Errorf("detail: %q", s.detail.Text)
	}
	r.tap(button(t, s.obj, "Notla kapat"))
	if !strings.Contains(s.errs.Text, "Neden") {
		t.Fatalf("closing without a note: %q", s.errs.Text)
	}
	r.typeInto(s.note, "Kategori merkezde kaldırıldı; vatandaş yeniden başvuracak.")
	r.tap(button(t, s.obj, "Notla kapat"))
	if s.errs.Text != "" || len(s.records.Options) != 0 {
		t.Fatalf("after closing: %q, %v", s.errs.Text, s.records.Options)
	}
	if r.count(`SELECT COUNT(*) FROM outbox WHERE id = ? AND state = 'closed'`, rejected.ID) != 1 {
		t.Error("the record is not closed in the store")
	}
}
