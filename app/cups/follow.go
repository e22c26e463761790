package cups

import (
	"context"
	"strings"
)

// Refresh asks CUPS how each sent job stands and records it: completed jobs
// become Printed; jobs CUPS stopped, aborted or cancelled, and jobs waiting
// on a stopped queue, become Failed with a Turkish reason and stay listed
// for reprint. A failed job that CUPS printed after all (the queue was
// resumed) becomes Printed and leaves the list. A job still waiting or
// printing is left as it is. Call it when the reprint list opens, or every
// few seconds after printing, off the UI goroutine.
func (p *Printer) Refresh(ctx context.Context) error {
	jobs, err := p.Jobs.PrintJobs(ctx, 100, Sent, Failed)
	if err != nil || len(jobs) == 0 {
		return err
	}
	ipp := p.ipp()
	defer ipp.close()
	queues := map[string]*printerState{} // asked once per round
	for _, j := range jobs {
		n, ok := cupsJobNumber(j.CUPSJob)
		if !ok { // never accepted by CUPS: only a reprint helps
			continue
		}
		st, err := ipp.getJob(ctx, n)
		if err != nil {
			p.Log.Info("print job state", "cups_job", j.CUPSJob, "err", err)
			continue
		}
		status, msg := judge(st)
		if j.Status == Failed {
			if status == Printed {
				if err := p.Jobs.UpdatePrintJob(ctx, j.ID, Printed, j.CUPSJob, ""); err != nil {
					return err
				}
			}
			continue
		}
		if status == Sent && (st.State == jobPending || st.State == jobHeld) {
			status, msg = p.judgeQueue(ctx, ipp, queues, j.Printer)
		}
		if status == Sent {
			continue
		}
		if err := p.Jobs.UpdatePrintJob(ctx, j.ID, status, j.CUPSJob, msg); err != nil {
			return err
		}
	}
	return nil
}

// judgeQueue fails a waiting job when its queue is stopped (paused by an
// operator, or stopped by CUPS after a device error).
func (p *Printer) judgeQueue(ctx context.Context, ipp *ippClient, seen map[string]*printerState, name string) (Status, string) {
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
		return Sent, ""
	}
	detail := ""
	if st.Message != "" {
		detail = " (" + st.Message + ")"
	}
	return Failed, "Yazıcı durdurulmuş" + detail + "; belge sırada bekliyor. Yazıcıyı açtırın ya da belgeyi " +
		"listeden yeniden yazdırın (sıradaki kopya iptal edilir)."
}

// judge maps a CUPS job state to a job status and the window's sentence.
func judge(st jobState) (Status, string) {
	detail := ""
	if st.Message != "" {
		detail = " (yazıcının bildirdiği: " + st.Message + ")"
	}
	switch st.State {
	case jobCompleted:
		return Printed, ""
	case jobStopped:
		return Failed, "Yazıcı bu belgeyi basamadı ve işi durdurdu" + detail + ". Kâğıdı, toneri ve kabloyu " +
			"kontrol edin, sonra belgeyi listeden yeniden yazdırın."
	case jobAborted:
		return Failed, "Yazdırma sistemi bu belgeyi basamadı" + detail + ". Belgeyi listeden yeniden yazdırın; " +
			"sürerse bilgi işlem birimine haber verin."
	case jobCanceled:
		return Failed, "Yazdırma işi iptal edildi. Gerekirse belgeyi listeden yeniden yazdırın."
	case jobHeld:
		if hasReason(st.Reasons, "job-hold-until-specified") {
			return Failed, "Yazdırma işi bekletmeye alınmış. Belgeyi listeden yeniden yazdırın."
		}
	}
	if hasReason(st.Reasons, "printer-stopped") {
		return Failed, "Yazıcı durdurulmuş; belge sırada bekliyor. Yazıcıyı açtırın ya da belgeyi listeden " +
			"yeniden yazdırın (sıradaki kopya iptal edilir)."
	}
	return Sent, ""
}

func hasReason(list []string, want string) bool {
	for _, r := range list {
		if strings.EqualFold(r, want) {
			return true
		}
	}
	return false
}
