package cups

import (
	"context"
	"slices"
	"strings"

	"github.com/kocasinan/gise/app"
)

// Job implements app.Printer: it asks CUPS how the job stands and records
// what changed. A failed job that CUPS printed after all (its queue resumed)
// becomes Printed.
func (p *Printer) Job(ctx context.Context, id string) (*app.PrintJob, error) {
	j, err := p.Jobs.PrintJob(ctx, id)
	if err != nil {
		return nil, err
	}
	j.PDF = nil
	ipp := p.ipp()
	defer ipp.close()
	if err := p.follow(ctx, ipp, j, map[string]*printerState{}); err != nil {
		return j, err
	}
	return j, nil
}

// Refresh implements app.Printer. Call it when the reprint list opens, off
// the UI goroutine.
func (p *Printer) Refresh(ctx context.Context) error {
	jobs, err := p.Jobs.PrintJobs(ctx, 100, app.PrintSent, app.PrintFailed)
	if err != nil || len(jobs) == 0 {
		return err
	}
	ipp := p.ipp()
	defer ipp.close()
	queues := map[string]*printerState{} // asked once per round
	for _, j := range jobs {
		if err := p.follow(ctx, ipp, j, queues); err != nil {
			p.Log.Info("print job state", "cups_job", j.SystemJob, "err", err)
		}
	}
	return nil
}

// follow asks CUPS about one sent (or failed) job and records a change of
// status in j and in the store. A job still waiting or printing stays Sent;
// when its queue is stopped, j.Waiting says so.
func (p *Printer) follow(ctx context.Context, ipp *ippClient, j *app.PrintJob, queues map[string]*printerState) error {
	n, ok := cupsJobNumber(j.SystemJob)
	if !ok || (j.Status != app.PrintSent && j.Status != app.PrintFailed) {
		return nil // never accepted by CUPS, or its outcome is final
	}
	st, err := ipp.getJob(ctx, n)
	if err != nil {
		return failure(app.EUNAVAILABLE, "Yazdırma hizmetine (CUPS) ulaşılamadı; belgenin çıkıp çıkmadığı bilinmiyor. "+
			"Yazıcıya bakın; çıkmadıysa yeniden yazdırın.", err)
	}
	status, msg := judge(st)
	if st.Message != "" && status == app.PrintFailed {
		p.Log.Warn("print job failed", "cups_job", j.SystemJob, "state", st.State, "cups_says", st.Message)
	}
	if j.Status == app.PrintFailed && status != app.PrintPrinted {
		return nil // a failed job stays failed until it prints after all or is reprinted
	}
	if status == app.PrintSent {
		if st.State == jobPending || st.State == jobHeld || hasReason(st.Reasons, "printer-stopped") {
			j.Waiting = p.judgeQueue(ctx, ipp, queues, j.Printer)
		}
		return nil
	}
	j.Status, j.Error = status, msg
	return p.Jobs.UpdatePrintJob(ctx, j.ID, j.Status, j.Printer, j.SystemJob, j.Error)
}

// Queues implements app.Printer.
func (p *Printer) Queues(ctx context.Context) ([]string, error) {
	ipp := p.ipp()
	defer ipp.close()
	names, err := ipp.getPrinters(ctx)
	if err != nil {
		return nil, failure(app.EUNAVAILABLE, "Yazdırma hizmetine (CUPS) ulaşılamadı; yazıcı listesi alınamadı. "+
			"Kuyruk adını elle yazabilirsiniz; sürerse bilgi işlem birimine haber verin.", err)
	}
	slices.Sort(names)
	return names, nil
}

// waitingOnStopped is the sentence for a job that waits on a stopped queue.
const waitingOnStopped = "Yazıcı duraklatılmış ya da durdurulmuş; belge sırada bekliyor. Yazıcıyı açtırın ya da " +
	"başka bir yazıcıya yeniden yazdırın (sıradaki kopya iptal edilir)."

// judgeQueue says why a waiting job waits when its queue is stopped (paused
// by an operator, or stopped by CUPS after a device error); "" otherwise.
func (p *Printer) judgeQueue(ctx context.Context, ipp *ippClient, seen map[string]*printerState, name string) string {
	st, ok := seen[name]
	if !ok {
		got, err := ipp.getPrinter(ctx, name)
		if err != nil {
			p.Log.Info("printer state", "printer", name, "err", err)
		} else {
			st = &got
		}
		seen[name] = st
	}
	if st == nil || st.State != printerStopped {
		return ""
	}
	return waitingOnStopped
}

// Sentences for the jobs CUPS did not print. They name no printer and carry
// no detail from CUPS (that goes to the log), so that each has a fixed
// translation.
const (
	msgStopped = "Yazıcı bu belgeyi basamadı ve işi durdurdu. Kâğıdı, toneri ve kabloyu kontrol edin, sonra " +
		"belgeyi yeniden yazdırın ya da başka bir yazıcı seçin."
	msgAborted = "Yazdırma sistemi bu belgeyi basamadı. Belgeyi yeniden yazdırın ya da başka bir yazıcı seçin; " +
		"sürerse bilgi işlem birimine haber verin."
	msgCanceled = "Yazdırma işi iptal edildi; belge basılmadı. Gerekirse yeniden yazdırın."
	msgHeld     = "Yazdırma işi bekletmeye alınmış; belge basılmadı. Yeniden yazdırın ya da başka bir yazıcı seçin."
)

// judge maps a CUPS job state to a job status and the window's sentence.
func judge(st jobState) (app.PrintStatus, string) {
	switch st.State {
	case jobCompleted:
		return app.PrintPrinted, ""
	case jobStopped:
		return app.PrintFailed, msgStopped
	case jobAborted:
		return app.PrintFailed, msgAborted
	case jobCanceled:
		return app.PrintFailed, msgCanceled
	case jobHeld:
		if !hasReason(st.Reasons, "job-incoming") { // still arriving: not held by anyone
			return app.PrintFailed, msgHeld
		}
	}
	return app.PrintSent, ""
}

func hasReason(list []string, want string) bool {
	for _, r := range list {
		if strings.EqualFold(r, want) {
			return true
		}
	}
	return false
}
