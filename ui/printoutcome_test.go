package ui

import (
	"os"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/apptest"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/paper"
)

// testQueues are the private CUPS's queues that scripts/cups.sh makes.
type testQueues struct{ good, broken, paused, dir string }

func needCUPS(t *testing.T) testQueues {
	t.Helper()
	q := testQueues{good: os.Getenv("GISE_TEST_PRINTER"), broken: os.Getenv("GISE_TEST_PRINTER_BROKEN"),
		paused: os.Getenv("GISE_TEST_PRINTER_PAUSED"), dir: os.Getenv("GISE_TEST_PRINT_DIR")}
	if q.good == "" || q.broken == "" || q.paused == "" {
		t.Skip("the test printers are unset: run through scripts/with-services.sh, which starts a private CUPS")
	}
	return q
}

// printRig is a rig whose kiosk prints through the real CUPS, receipts to
// receipts and the notice to notices ("" for the receipt queue).
func printRig(t *testing.T, receipts, notices string) *rig {
	t.Helper()
	r := newRig(t)
	r.k.svc.Config.Printer.Name, r.k.svc.Config.Printer.NoticeName = receipts, notices
	printer := cups.New(r.tm.Store, nil)
	p, err := paper.NewService(printer, r.k.svc.Config)
	if err != nil {
		t.Fatal(err)
	}
	r.with(func(s *Services) { s.Printing = p })
	r.with(func(s *Services) { s.Supervision = &counter.Supervision{Store: r.tm.Store, Printer: printer} })
	return r
}

// fileComplaint files an anonymous paper complaint as a clerk would, and
// returns the screen showing its tracking code and its receipt's outcome.
func (r *rig) fileComplaint() *complaintScreen {
	r.t.Helper()
	r.tap(button(r.t, r.k.home.obj, "Başvuru kaydı (kâğıt / gişe)"))
	s := r.k.complaint
	s.anonymous.SetChecked(true)
	s.kind.SetSelectedIndex(0)
	s.category.SetSelectedIndex(0)
	r.typeInto(s.description, "Sokak lambası yanmıyor.")
	r.typeInto(s.paperRef, "EVR-2026/78")
	r.typeInto(s.paperDate, "27.11.2026")
	r.tap(s.save)
	if _, err := app.ParseTrackingCode(s.code.Text); err != nil {
		r.t.Fatalf("no tracking code shown (%q): %q", s.code.Text, s.errs.Text)
	}
	return s
}

// wantPrinted checks that the newest job was sent to queue and that what
// came out of queue's file printer is its kept PDF, byte for byte.
func (r *rig) wantPrinted(q testQueues, queue string) {
	r.t.Helper()
	list, err := r.tm.Store.PrintJobs(r.ctx, 1)
	if err != nil || len(list) == 0 {
		r.t.Fatalf("no print job: %v", err)
	}
	j, err := r.tm.Store.PrintJob(r.ctx, list[0].ID)
	if err != nil {
		r.t.Fatal(err)
	}
	if !apptest.Printed(q.dir, queue, j.PDF) || j.Printer != queue {
		r.t.Fatalf("the document did not come out of %s (job on %q)", queue, j.Printer)
	}
}

// The stopped queue: CUPS accepts the receipt, then stops the job.
// The clerk sees why at once, beside the code, with "Yeniden yazdır" and the
// queues; reprinted to gise-pdf it comes out and the screen says so.
func TestReceiptToStoppedQueueIsShownFailedAndReprinted(t *testing.T) {
	q := needCUPS(t)
	r := printRig(t, q.broken, "")
	r.login(app.RoleClerk)
	s := r.fileComplaint()
	o := s.receipt
	if !strings.Contains(o.status.Text, "basamadı") || strings.Contains(o.status.Text, "Yazdırıldı") {
		t.Fatalf("a stopped receipt reads %q", o.status.Text)
	}
	if !o.retry.Visible() || !o.reprint.Visible() || o.reprint.Text != "Yeniden yazdır" {
		t.Fatal("no reprint offered for the stopped receipt")
	}
	if n := r.count(`SELECT COUNT(*) FROM print_jobs WHERE status = 'failed' AND printer = ?`, q.broken); n != 1 {
		t.Fatalf("%d failed jobs listed on %s", n, q.broken)
	}
	if r.count(`SELECT COUNT(*) FROM complaints`) != 1 {
		t.Fatal("the complaint is not saved")
	}
	found := false
	for _, name := range o.queue.Options {
		found = found || name == q.good
	}
	if !found {
		t.Fatalf("the queues offered %v lack %s", o.queue.Options, q.good)
	}

	o.queue.SetSelected(q.good)
	r.tap(o.reprint)
	if o.status.Text != "Yazdırıldı." {
		t.Fatalf("after reprint to %s: %q", q.good, o.status.Text)
	}
	r.wantPrinted(q, q.good)
	if r.count(`SELECT COUNT(*) FROM print_jobs`) != 1 {
		t.Error("the reprint made a second job instead of sending the kept one")
	}
}

// A paused queue holds the receipt: the screen says it waits, never printed.
func TestReceiptToPausedQueueShowsWaiting(t *testing.T) {
	q := needCUPS(t)
	r := printRig(t, q.paused, "")
	r.login(app.RoleClerk)
	o := r.fileComplaint().receipt
	if !strings.HasPrefix(o.status.Text, "Yazıcı bekliyor…") || !strings.Contains(o.status.Text, "duraklatılmış") {
		t.Fatalf("a receipt on a paused queue reads %q", o.status.Text)
	}
	if !o.reprint.Visible() {
		t.Error("no reprint offered for a receipt that waits")
	}
	if r.count(`SELECT COUNT(*) FROM print_jobs WHERE status = 'printed'`) != 0 {
		t.Fatal("a waiting job was recorded as printed")
	}
}

// A printer chosen on the Administration screen prints the very next
// receipt, without a restart; the list offers CUPS's queues.
func TestAdminPrinterAppliesToNextPrint(t *testing.T) {
	q := needCUPS(t)
	r := printRig(t, q.broken, "")
	r.login(app.RoleAdmin)
	a := r.k.admin
	a.refresh()
	r.k.Wait()
	if !strings.Contains(strings.Join(a.offered, " "), q.good) || !strings.Contains(a.queues.Text, "listeden") {
		t.Fatalf("queues offered: %v (%q)", a.offered, a.queues.Text)
	}
	r.tap(button(t, a.obj, "Bu terminal"))
	a.printer.SetText(q.good)
	r.tap(button(t, a.obj, "Ayarları kaydet"))
	if a.errs.Text != "" {
		t.Fatalf("saving the printer: %q", a.errs.Text)
	}

	r.login(app.RoleClerk)
	if o := r.fileComplaint().receipt; o.status.Text != "Yazdırıldı." {
		t.Fatalf("the next receipt after choosing %s: %q", q.good, o.status.Text)
	}
	r.wantPrinted(q, q.good)
}

// The notice goes to the A4 notice queue, not the receipt roll, and counts as
// given once it came out.
func TestNoticeGoesToNoticeQueue(t *testing.T) {
	q := needCUPS(t)
	r := printRig(t, q.broken, q.good)
	r.login(app.RoleClerk)
	s := r.k.register
	s.begin()
	r.k.show(screenRegister)
	r.typeInto(s.fields.firstName, "Işıl")
	r.typeInto(s.fields.lastName, "Çağlar")
	r.tap(button(t, s.obj, "Yazdır"))
	if s.printed.status.Text != "Yazdırıldı." || !strings.Contains(s.noticeOK.Text, "çıktı") {
		t.Fatalf("notice: %q / %q (errors %q)", s.printed.status.Text, s.noticeOK.Text, s.errs.Text)
	}
	r.wantPrinted(q, q.good)
	if !s.visit.NoticeGiven() {
		t.Fatal("the printed notice does not count as given")
	}
}

// A notice that did not come out is not given: registration stays refused.
func TestNoticeOnStoppedQueueIsNotGiven(t *testing.T) {
	q := needCUPS(t)
	r := printRig(t, q.good, q.broken)
	r.login(app.RoleClerk)
	s := r.k.register
	s.begin()
	r.k.show(screenRegister)
	r.tap(button(t, s.obj, "Yazdır"))
	if !strings.Contains(s.printed.status.Text, "basamadı") || s.noticeOK.Text != "" || s.visit.NoticeGiven() {
		t.Fatalf("notice on a stopped queue: %q / %q", s.printed.status.Text, s.noticeOK.Text)
	}
}

// A receipt names the applicant, never "İsimsiz" for a named one (the
// self-service screen passed no citizen before), and no one when anonymous.
func TestReceiptRequestNamesTheApplicant(t *testing.T) {
	c := &app.Complaint{Kind: app.KindComplaint, TrackingCode: app.NewTrackingCode()}
	who, err := app.ParseCitizen(app.CitizenInput{NationalID: "10000000146", FirstName: "ışıl", LastName: "çağlar",
		BirthDate: "23.04.1985", ContactDeclined: true}, start)
	if err != nil {
		t.Fatal(err)
	}
	r := complaintReceipt(c, &who, "Temizlik")
	if r.ApplicantName != "Işıl Çağlar" || r.NationalID != "10000000146" || r.Code != c.TrackingCode {
		t.Fatalf("receipt request %+v", r)
	}
	c.Anonymous = true
	if r := complaintReceipt(c, &who, ""); r.ApplicantName != "" || r.NationalID != "" {
		t.Fatalf("an anonymous receipt names %+v", r)
	}
}

// A supervisor finds the stopped receipt in the problems list and reprints it
// to another queue from there; it comes out once.
func TestProblemsReprintToAnotherQueue(t *testing.T) {
	q := needCUPS(t)
	r := printRig(t, q.broken, "")
	r.login(app.RoleClerk)
	r.fileComplaint()
	r.login(app.RoleSupervisor)
	s := r.k.problems
	r.k.show(screenProblems)
	s.reset()
	s.refresh()
	r.k.Wait()
	if len(s.jobs.Options) != 1 {
		t.Fatalf("jobs listed: %v (%q)", s.jobs.Options, s.errs.Text)
	}
	s.jobs.SetSelectedIndex(0)
	if !strings.Contains(s.job.status.Text, "basamadı") {
		t.Fatalf("the picked job reads %q", s.job.status.Text)
	}
	s.job.queue.SetSelected(q.good)
	r.tap(s.job.reprint)
	if s.job.status.Text != "Yazdırıldı." {
		t.Fatalf("after reprint: %q", s.job.status.Text)
	}
	r.wantPrinted(q, q.good)
}
