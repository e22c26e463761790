package ui

import (
	"context"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
	"github.com/kocasinan/gise/app/paper"
)

// printing is the print service as the screens take it: nil when the
// terminal has no printer.
type printing struct{ svc *paper.Service }

// service returns the print service, or why the terminal cannot print.
func (p printing) service() (*paper.Service, error) {
	if p.svc == nil {
		return nil, app.Errorf(app.EINVALID, "Bu terminale yazıcı tanımlanmamış.")
	}
	return p.svc, nil
}

// receipt prints the receipt of r and waits a few seconds for it to come
// out, for a screen that shows no printOutcome (self-service): nil only when
// the print system reports it printed; otherwise an error whose sentence
// says why (failed, still waiting, no printer). The record is saved whatever
// the printer does, and a job that did not come out stays listed for reprint.
func (pr printing) receipt(ctx context.Context, r app.ReceiptRequest) (*app.PrintJob, error) {
	p, err := pr.service()
	if err != nil {
		return nil, err
	}
	job, err := p.PrintReceipt(ctx, r)
	if err != nil || job == nil {
		return job, err
	}
	if err := awaitInto(ctx, p, &job); err != nil {
		return job, err
	}
	switch job.Status {
	case app.PrintPrinted:
		return job, nil
	case app.PrintFailed:
		return job, errReceiptFailed
	default:
		return job, errReceiptWaiting
	}
}

// Why a receipt did not come out, for a screen without a printOutcome; the
// job itself says more on the problems screen.
var (
	errReceiptFailed = &app.Error{Code: app.EUNAVAILABLE, Field: "printer",
		Message: "Makbuz yazıcıdan çıkmadı; iş yeniden yazdırma listesinde. Yazıcıyı kontrol edip yeniden yazdırın."}
	errReceiptWaiting = &app.Error{Code: app.EUNAVAILABLE, Field: "printer",
		Message: "Makbuz yazıcıda bekliyor, henüz çıkmadı. Yazıcıya bakın; çıkmazsa yeniden yazdırın."}
)

// complaintReceipt is the receipt request of a complaint filed at the counter
// for citizen (nil or ignored when anonymous).
func complaintReceipt(c *app.Complaint, citizen *app.Citizen, category string) app.ReceiptRequest {
	r := app.ReceiptRequest{Kind: string(c.Kind), Code: c.TrackingCode, Category: category}
	if citizen != nil && !c.Anonymous {
		r.ApplicantName, r.NationalID = citizen.DisplayName(), citizen.NationalID
	}
	return r
}

// applicationReceipt is the receipt request of a data-subject application
// recorded for citizen: the tracking code, the due date, the citizen's name
// and masked national ID.
func applicationReceipt(a *kvkk.Application, citizen *app.Citizen) app.ReceiptRequest {
	return app.ReceiptRequest{Kind: paper.KindApplication, Code: a.TrackingCode,
		ApplicantName: citizen.DisplayName(), NationalID: citizen.NationalID, DueDate: a.DueDate}
}
