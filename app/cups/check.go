package cups

import (
	"context"
	"strings"
)

// QueueState is what CUPS says of the printer's queue, for gise doctor.
type QueueState struct {
	Exists    bool   // CUPS knows the queue
	Accepting bool   // it takes new jobs (cupsaccept)
	Stopped   bool   // it is paused or stopped by an error (cupsenable)
	Message   string // printer-state-message, often the backend's last words
}

// OK reports whether a job sent now would be taken and printed.
func (q QueueState) OK() bool { return q.Exists && q.Accepting && !q.Stopped }

// CheckQueue asks CUPS (Get-Printer-Attributes) how a queue stands. A
// queue CUPS does not know is Exists false with no error; an error means
// CUPS did not answer.
func (p *Printer) CheckQueue(ctx context.Context, queue string) (QueueState, error) {
	ipp := newIPPClient(p.Server)
	defer ipp.close()
	st, err := ipp.getPrinter(ctx, queue)
	if err != nil {
		if strings.Contains(err.Error(), "status 0x0406") { // client-error-not-found
			return QueueState{}, nil
		}
		return QueueState{}, err
	}
	return QueueState{Exists: true, Accepting: st.Accepting, Stopped: st.State == printerStopped, Message: st.Message}, nil
}
