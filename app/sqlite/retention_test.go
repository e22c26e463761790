package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
	"github.com/kocasinan/gise/app/sqlite"
)

// deliverAll marks every pending record delivered, as the central's
// acknowledgement would.
func deliverAll(t *testing.T, s *sqlite.Store, except map[string]bool) {
	t.Helper()
	ctx := context.Background()
	recs, _, err := s.PendingBatch(ctx, 0, 100000, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var res []app.DeliveryResult
	for _, r := range recs {
		if !except[r.ID] {
			res = append(res, app.DeliveryResult{ID: r.ID, Status: app.DeliveryCreated, ServerRef: "srv-" + r.ID})
		}
	}
	if err := s.ApplyResults(ctx, res); err != nil {
		t.Fatal(err)
	}
}

// sealedBytes returns the stored (sealed) bytes of one column of one row.
func sealedBytes(t *testing.T, s *sqlite.Store, q string, args ...any) []byte {
	t.Helper()
	var b []byte
	if err := rawDB(t, s.Path()).QueryRow(q, args...).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRetentionDestroysOnlyWhatWasDelivered(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.FixedZone("+03", 3*3600))
	s.Now = func() time.Time { return now }

	gone := secretCitizen(t, 4242)
	if err := s.RegisterCitizen(ctx, clerk, gone, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordIdentityCheck(ctx, clerk, &app.IdentityCheck{CitizenID: gone.ID, Method: app.MethodIDCard,
		SerialLast4: "a12b", Result: app.Verified}); err != nil {
		t.Fatal(err)
	}
	scan := append([]byte("\x89PNG\r\n\x1a\n"), []byte("TARANMIS-BELGE")...)
	att, err := s.SaveAttachment(ctx, "scan.png", scan)
	if err != nil {
		t.Fatal(err)
	}
	k := complaint(gone.ID)
	k.Attachments = []app.Attachment{att}
	if err := s.FileComplaint(ctx, clerk, k); err != nil {
		t.Fatal(err)
	}
	app11 := &kvkk.Application{CitizenID: gone.ID, Rights: []kvkk.Right{kvkk.RightAccess}, Detail: "Verilerim",
		ReplyChannel: kvkk.ReplyInPerson}
	if err := s.RecordApplication(ctx, clerk, app11); err != nil {
		t.Fatal(err)
	}
	if err := s.AnswerApplication(ctx, app.Actor{Username: "sef", Role: app.RoleSupervisor}, app11.ID, "Verildi."); err != nil {
		t.Fatal(err)
	}
	deliverAll(t, s, nil)

	kept := citizen(t, 77, "Kalan", "Vatandaş")
	if err := s.RegisterCitizen(ctx, clerk, kept, nil); err != nil {
		t.Fatal(err)
	}
	// The kept citizen's registration stays undelivered; everything else goes.
	pending, _, _ := s.PendingBatch(ctx, 0, 1000, 1<<30)
	except := map[string]bool{}
	for _, r := range pending {
		if r.Type == app.TypeCitizenRegistered {
			except[r.ID] = true
		}
	}
	deliverAll(t, s, except)

	traces := [][]byte{
		sealedBytes(t, s, `SELECT first_name FROM citizens WHERE id = ?`, gone.ID),
		sealedBytes(t, s, `SELECT national_id_index FROM citizens WHERE id = ?`, gone.ID),
		sealedBytes(t, s, `SELECT description FROM complaints WHERE id = ?`, k.ID),
		sealedBytes(t, s, `SELECT detail FROM data_subject_requests WHERE id = ?`, app11.ID),
		sealedBytes(t, s, `SELECT data FROM outbox JOIN outbox_payloads USING (seq) WHERE subject = ? AND type = 'citizen.registered'`, gone.ID),
	}

	p := kvkk.DefaultPolicy()
	if out, err := s.DestroyDue(ctx, p, now.Add(29*24*time.Hour)); err != nil || total(out) != 0 {
		t.Fatalf("before the period: %+v %v", out, err)
	}
	now = now.Add(31 * 24 * time.Hour)
	out, err := s.DestroyDue(ctx, p, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[kvkk.Class]int64{}
	for _, d := range out {
		got[d.Class] = d.Count
	}
	if got[kvkk.ClassCitizens] != 1 || got[kvkk.ClassComplaints] != 1 {
		t.Fatalf("destroyed %+v", out)
	}
	if _, err := s.CitizenByID(ctx, gone.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("destroyed citizen still readable: %v", err)
	}
	if _, err := s.CitizenByID(ctx, kept.ID); err != nil {
		t.Errorf("the undelivered citizen was destroyed: %v", err)
	}
	if list, _ := s.FindCitizensByName(ctx, "karaosmanoğlu", 20); len(list) != 0 {
		t.Errorf("destroyed citizen still found by name")
	}
	if _, err := os.Stat(s.AttachmentPath(att.SHA256)); !os.IsNotExist(err) {
		t.Errorf("attachment file of a destroyed complaint: %v", err)
	}
	counts, _ := s.OutboxCounts(ctx)
	if counts.Pending[app.TypeRetentionDestroyed] != 10 { // two runs, five classes
		t.Errorf("retention.destroyed records queued: %d, want one a class a run", counts.Pending[app.TypeRetentionDestroyed])
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Errorf("audit after destruction: %+v %v", rep, err)
	}
	if n := count(t, rawDB(t, s.Path()), `SELECT COUNT(*) FROM outbox_payloads WHERE seq NOT IN (SELECT seq FROM outbox)`); n != 0 {
		t.Errorf("%d payloads outlived their destroyed records", n)
	}
	for path, b := range storeFiles(t, s) {
		for i, tr := range traces {
			if bytes.Contains(b, tr) {
				t.Errorf("%s still holds trace %d of destroyed data", path, i)
			}
		}
	}
}

func total(out []kvkk.Destroyed) int64 {
	var n int64
	for _, d := range out {
		n += d.Count
	}
	return n
}

func TestRetentionOfAuditKeepsUndeliveredEvents(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	now := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	for range 3 {
		if err := s.Audit(ctx, clerk, "login.succeeded", "ayse"); err != nil {
			t.Fatal(err)
		}
	}
	deliverAll(t, s, nil)
	for range 2 {
		if err := s.Audit(ctx, clerk, "login.succeeded", "ayse"); err != nil {
			t.Fatal(err)
		}
	}
	now = now.AddDate(3, 0, 0)
	out, err := s.DestroyDue(ctx, kvkk.DefaultPolicy(), now)
	if err != nil {
		t.Fatal(err)
	}
	if out[2].Class != kvkk.ClassAudit || out[2].Count != 3 {
		t.Fatalf("audit destroyed %+v, want the 3 delivered events", out[2])
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() || rep.FirstSeq != 4 {
		t.Fatalf("chain after retention: %+v %v", rep, err)
	}
}
