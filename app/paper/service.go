package paper

import (
	"context"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/notice"
)

// DefaultWait is how long a screen waits for a document to come out before it
// shows "waiting" and goes on following the job in the background.
const DefaultWait = 4 * time.Second

// pollEvery is how often Await asks the print system.
const pollEvery = 200 * time.Millisecond

// Service prints the terminal's documents: it lays out receipts and the
// notice with the municipality's header (prepared once) and hands them to
// an app.Printer, on the queues the settings name at the moment of each
// print, so that a queue chosen on the Administration screen applies to the
// very next document. Receipts go to the receipt queue (80 mm roll or A4,
// as receipt_layout says), the notice to the A4 notice queue. Safe for
// concurrent use; its methods do I/O: call them off the UI goroutine.
type Service struct {
	printer   app.Printer
	header    Header
	terminal  string
	statusURL string
	now       func() time.Time

	mu       sync.Mutex
	settings config.Printer
}

// NewService returns the print service of the terminal configured by cfg,
// printing through p. It prepares the header and logo once.
func NewService(p app.Printer, cfg config.Config) (*Service, error) {
	h, err := HeaderFrom(cfg.Municipality)
	if err != nil {
		return nil, err
	}
	return &Service{printer: p, header: h, terminal: cfg.TerminalID, statusURL: cfg.Municipality.StatusURL,
		now: time.Now, settings: cfg.Printer}, nil
}

// Settings returns the printer settings in force.
func (s *Service) Settings() config.Printer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// SetSettings puts new printer settings in force for the next document.
func (s *Service) SetSettings(c config.Printer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = c
}

// Receipt lays out the receipt of r as the settings in force say.
func (s *Service) Receipt(r app.ReceiptRequest) ([]byte, error) {
	return Receipt(ReceiptDoc{Header: s.header, Layout: Layout(s.Settings().Layout), Kind: r.Kind, Code: r.Code,
		StatusURL: s.statusURL, Category: r.Category, ApplicantName: r.ApplicantName, NationalID: r.NationalID,
		At: s.now(), DueDate: r.DueDate, Terminal: s.terminal})
}

// PrintReceipt prints the receipt of a saved record on the receipt queue and
// returns its job as the print system accepted it (follow it with Await).
// EINVALID, with no job, when the terminal has no receipt printer; else the
// errors of app.Printer.Print, with the job kept for reprint.
func (s *Service) PrintReceipt(ctx context.Context, r app.ReceiptRequest) (*app.PrintJob, error) {
	queue := s.Settings().Name
	if queue == "" {
		if r.Kind == KindApplication {
			return nil, app.Errorf(app.EINVALID, "Bu terminale yazıcı tanımlanmamış; takip kodunu ve yanıt tarihini vatandaşa yazıp verin.")
		}
		return nil, app.Errorf(app.EINVALID, "Bu terminale yazıcı tanımlanmamış; takip kodunu vatandaşa yazıp verin.")
	}
	pdf, err := s.Receipt(r)
	if err != nil {
		return nil, err
	}
	return s.printer.Print(ctx, queue, "Makbuz "+r.Code.String(), pdf)
}

// PrintNotice prints version ver of the notice on the notice queue, with the
// acknowledgement block for citizenName when it is not empty. EINVALID, with
// no job, when the terminal has no printer; else the errors of
// app.Printer.Print. The notice counts as given only once the job is
// printed: see notice.Visit.GivePrinted.
func (s *Service) PrintNotice(ctx context.Context, ver notice.Version, citizenName string) (*app.PrintJob, error) {
	queue := s.Settings().NoticeQueue()
	if queue == "" {
		return nil, app.Errorf(app.EINVALID, "Bu terminale yazıcı tanımlanmamış; metni ekranda gösterin.")
	}
	pdf, err := Notice(NoticeDoc{Header: s.header, Version: ver, At: s.now(), Terminal: s.terminal, CitizenName: citizenName})
	if err != nil {
		return nil, err
	}
	return s.printer.Print(ctx, queue, ver.String(), pdf)
}

// Reprint sends kept job id again, to queue (the job's own queue when "").
func (s *Service) Reprint(ctx context.Context, id, queue string) (*app.PrintJob, error) {
	if queue == "" {
		queue = s.Settings().Name
	}
	return s.printer.Reprint(ctx, id, queue)
}

// Job returns how job id stands now, asking the print system.
func (s *Service) Job(ctx context.Context, id string) (*app.PrintJob, error) {
	return s.printer.Job(ctx, id)
}

// Await follows job id until its outcome is known (printed or failed), for
// at most within, and returns it as last seen: still PrintSent when the
// time ran out. It returns at once with the error when the print system
// cannot be asked (EUNAVAILABLE).
func (s *Service) Await(ctx context.Context, id string, within time.Duration) (*app.PrintJob, error) {
	// The bound ends the waiting, not a question in flight: each one runs
	// on the caller's context.
	bound := time.NewTimer(within)
	defer bound.Stop()
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		j, err := s.printer.Job(ctx, id)
		if err != nil || j.Done() {
			return j, err
		}
		select {
		case <-bound.C:
			return j, nil
		case <-ctx.Done():
			return j, nil
		case <-t.C:
		}
	}
}

// Queues returns the print system's queues, for the Administration screen
// and the reprint choice. EUNAVAILABLE when the print system cannot be
// reached.
func (s *Service) Queues(ctx context.Context) ([]string, error) { return s.printer.Queues(ctx) }
