package cups

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// DefaultTimeout bounds one hand-over to CUPS. A local scheduler answers in
// milliseconds; a scheduler that hangs must not hold the clerk longer.
const DefaultTimeout = 10 * time.Second

var _ app.Printer = (*Printer)(nil)

// Printer prints to CUPS queues, named at each call so that a queue chosen
// on the Administration screen applies to the very next document. Its
// methods do I/O: call them off the UI goroutine.
type Printer struct {
	// Server overrides CUPS_SERVER (a socket path or host[:port]); "" uses
	// the environment and CUPS's defaults.
	Server string
	// Jobs keeps every job for reprint.
	Jobs app.PrintJobStore
	// Timeout bounds one call of lp; DefaultTimeout when zero.
	Timeout time.Duration
	// Log receives operational lines (never document contents).
	Log *slog.Logger
	// LP is the lp command; "lp" when empty.
	LP string

	ippOnce   sync.Once
	ippClient *ippClient
}

// ipp returns the printer's IPP client, made on first use.
func (p *Printer) ipp() *ippClient {
	p.ippOnce.Do(func() { p.ippClient = newIPPClient(p.Server) })
	return p.ippClient
}

// New returns a printer that keeps its jobs in jobs.
func New(jobs app.PrintJobStore, log *slog.Logger) *Printer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Printer{Jobs: jobs, Log: log}
}

// Print implements app.Printer. title names the job in CUPS's queue and
// logs, so it must hold no personal data (a tracking code or "aydınlatma
// metni v1 (tr)").
func (p *Printer) Print(ctx context.Context, queue, title string, pdf []byte) (*app.PrintJob, error) {
	j := &app.PrintJob{Title: title, Printer: queue, PDF: pdf, Status: app.PrintQueued}
	if err := p.Jobs.SavePrintJob(ctx, j); err != nil {
		// The document itself is saved by whoever asked to print it; try to
		// print all the same.
		p.Log.Error("save print job", "err", err)
		j.ID = ""
	}
	return p.send(ctx, j)
}

// Reprint implements app.Printer. A copy that CUPS still holds (a stopped or
// paused queue) is cancelled first, so that the document does not come out
// twice when the printer recovers.
func (p *Printer) Reprint(ctx context.Context, id, queue string) (*app.PrintJob, error) {
	j, err := p.Jobs.PrintJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.SystemJob != "" && j.Status != app.PrintPrinted {
		p.cancel(ctx, j.SystemJob)
	}
	j.Printer, j.Waiting = queue, ""
	return p.send(ctx, j)
}

// Pending implements app.Printer.
func (p *Printer) Pending(ctx context.Context) ([]*app.PrintJob, error) {
	return p.Jobs.PrintJobs(ctx, 100, app.PrintQueued, app.PrintSent, app.PrintFailed)
}

// send hands j to its queue and records the outcome in j and in the store.
func (p *Printer) send(ctx context.Context, j *app.PrintJob) (*app.PrintJob, error) {
	systemJob, err := p.submit(ctx, j)
	j.SystemJob, j.Error, j.Status = systemJob, "", app.PrintSent
	if err != nil {
		p.Log.Warn("print failed", "printer", j.Printer, "job", j.ID, "err", err)
		j.Status, j.Error = app.PrintFailed, app.ErrorMessage(err)
	} else {
		p.Log.Info("print job accepted", "printer", j.Printer, "job", j.ID, "cups_job", systemJob)
	}
	j.Attempts++
	p.record(ctx, j)
	j.PDF = nil
	return j, err
}

// record stores j's status, even when the caller's context has run out.
func (p *Printer) record(ctx context.Context, j *app.PrintJob) {
	if j.ID == "" {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := p.Jobs.UpdatePrintJob(rctx, j.ID, j.Status, j.Printer, j.SystemJob, j.Error); err != nil {
		p.Log.Error("update print job", "job", j.ID, "err", err)
	}
}

var requestID = regexp.MustCompile(`request id is (\S+)`)

// submit runs lp with the PDF on its standard input and returns the job ID.
func (p *Printer) submit(ctx context.Context, j *app.PrintJob) (string, error) {
	if j.Printer == "" {
		return "", failure(app.EINVALID, "Bu terminale yazıcı tanımlanmamış. Belge yeniden yazdırma listesinde bekliyor; "+
			"yazıcıyı ayarlardan tanımlatın ya da bilgi işlem birimine haber verin.", nil)
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	lp := p.LP
	if lp == "" {
		lp = "lp"
	}
	cmd := exec.CommandContext(ctx, lp, "-d", j.Printer, "-t", j.Title, "-o", "job-sheets=none", "-")
	cmd.Stdin = bytes.NewReader(j.PDF)
	cmd.Env = p.env()
	cmd.WaitDelay = time.Second
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", failure(app.EUNAVAILABLE, fmt.Sprintf("Yazıcı %d saniye içinde yanıt vermedi. Belge yeniden yazdırma listesinde bekliyor; "+
			"yazıcının açık ve bağlı olduğunu kontrol edip listeden yeniden yazdırın.", int(timeout.Seconds())), ctx.Err())
	}
	if err != nil {
		return "", lpFailure(j.Printer, strings.TrimSpace(stderr.String()), err)
	}
	m := requestID.FindStringSubmatch(out.String())
	if m == nil {
		return "", failure(app.EUNAVAILABLE, "Yazdırma sistemi işi aldı ama iş numarası vermedi. Kâğıdın çıkıp çıkmadığına bakın; "+
			"çıkmadıysa listeden yeniden yazdırın.", fmt.Errorf("lp said %q", out.String()))
	}
	return m[1], nil
}

// env runs CUPS's tools in English, so that their messages can be read, and
// points them at the configured server.
func (p *Printer) env() []string {
	env := append(os.Environ(), "LANG=C", "LC_ALL=C")
	if p.Server != "" {
		env = append(env, "CUPS_SERVER="+p.Server)
	}
	return env
}

func (p *Printer) cancel(ctx context.Context, cupsJob string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "cancel", cupsJob)
	cmd.Env = p.env()
	if err := cmd.Run(); err != nil {
		p.Log.Info("cancel old print job", "cups_job", cupsJob, "err", err)
	}
}

// failure returns the error a screen shows: an *app.Error (Field "printer")
// whose message, in Turkish, reaches the clerk, with the technical cause
// wrapped for the log only.
func failure(code, msg string, cause error) error {
	return &app.Error{Code: code, Field: "printer", Message: msg, Err: cause}
}

// lpFailure turns lp's English complaint into a Turkish sentence.
func lpFailure(printer, stderr string, err error) error {
	cause := fmt.Errorf("lp: %v: %s", err, stderr)
	switch {
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist):
		return failure(app.EUNAVAILABLE, "Bu terminalde yazdırma sistemi (CUPS) kurulu değil. Belge yeniden yazdırma listesinde bekliyor; "+
			"bilgi işlem birimine haber verin.", cause)
	case strings.Contains(stderr, "does not exist"):
		return failure(app.EINVALID, fmt.Sprintf("“%s” adlı yazıcı bulunamadı. Ayarlardaki yazıcı adını kontrol edin; "+
			"belge yeniden yazdırma listesinde bekliyor.", printer), cause)
	case strings.Contains(stderr, "not accepting jobs"):
		return failure(app.EINVALID, fmt.Sprintf("“%s” yazıcısı şu anda iş kabul etmiyor (kapatılmış). Yazıcıyı açtırın, "+
			"sonra belgeyi yeniden yazdırma listesinden yazdırın.", printer), cause)
	case strings.Contains(stderr, "connect") || strings.Contains(stderr, "scheduler") ||
		strings.Contains(stderr, "No such file or directory"):
		return failure(app.EUNAVAILABLE, "Yazdırma hizmetine (CUPS) ulaşılamadı. Belge yeniden yazdırma listesinde bekliyor; "+
			"terminali yeniden başlatın, sürerse bilgi işlem birimine haber verin.", cause)
	default:
		return failure(app.EUNAVAILABLE, "Belge yazıcıya gönderilemedi. Yeniden yazdırma listesinden tekrar deneyin; "+
			"sürerse bilgi işlem birimine haber verin.", cause)
	}
}

// cupsJobNumber returns the number at the end of a CUPS job ID ("gise-pdf-12" → 12).
func cupsJobNumber(id string) (int, bool) {
	i := strings.LastIndexByte(id, '-')
	n, err := strconv.Atoi(id[i+1:])
	return n, err == nil && n > 0
}
