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
	"github.com/kocasinan/gise/app/config"
)

// DefaultTimeout bounds one hand-over to CUPS. A local scheduler answers in
// milliseconds; a scheduler that hangs must not hold the clerk longer.
const DefaultTimeout = 10 * time.Second

// Printer prints to one CUPS queue, the terminal's (config's printer.name).
// Its methods do I/O: call them off the UI goroutine.
type Printer struct {
	// Name is the CUPS queue; empty means the terminal has no printer.
	Name string
	// Server overrides CUPS_SERVER (a socket path or host[:port]); "" uses
	// the environment and CUPS's defaults.
	Server string
	// Jobs keeps every job for reprint.
	Jobs JobStore
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

// New returns a printer for the queue name that keeps its jobs in jobs.
func New(name string, jobs JobStore, log *slog.Logger) *Printer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Printer{Name: name, Jobs: jobs, Log: log}
}

// Print saves the document as a job, hands it to CUPS and returns CUPS's job
// ID. title names the job in CUPS's queue and logs, so it must hold no
// personal data (a tracking code or "aydınlatma metni v1 (tr)"). On failure
// the error is an *app.Error whose message tells the clerk what happened and
// what to do, and the job stays listed by Pending for reprint.
func (p *Printer) Print(ctx context.Context, title string, pdf []byte) (string, error) {
	j := &Job{Title: title, Printer: p.Name, PDF: pdf, Status: Queued}
	if err := p.Jobs.SavePrintJob(ctx, j); err != nil {
		// The document itself is saved by whoever asked to print it; try to
		// print all the same.
		p.Log.Error("save print job", "err", err)
	}
	return p.send(ctx, j)
}

// Reprint sends a kept job again, to this terminal's printer. A copy that
// CUPS still holds (a stopped or paused queue) is cancelled first, so that
// the document does not come out twice when the printer recovers.
func (p *Printer) Reprint(ctx context.Context, id string) (string, error) {
	j, err := p.Jobs.PrintJob(ctx, id)
	if err != nil {
		return "", err
	}
	if j.CUPSJob != "" && j.Status != Printed {
		p.cancel(ctx, j.CUPSJob)
	}
	j.Printer = p.Name
	return p.send(ctx, j)
}

// Pending returns the jobs not known to be printed, newest first: those the
// window lists for reprint.
func (p *Printer) Pending(ctx context.Context) ([]*Job, error) {
	return p.Jobs.PrintJobs(ctx, 100, Queued, Sent, Failed)
}

func (p *Printer) send(ctx context.Context, j *Job) (string, error) {
	cupsJob, err := p.submit(ctx, j)
	// Record the outcome even when the caller's context has run out.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err != nil {
		p.Log.Warn("print failed", "printer", p.Name, "job", j.ID, "err", err)
		if j.ID != "" {
			if uerr := p.Jobs.UpdatePrintJob(rctx, j.ID, Failed, "", app.ErrorMessage(err)); uerr != nil {
				p.Log.Error("update print job", "job", j.ID, "err", uerr)
			}
		}
		return "", err
	}
	p.Log.Info("printed", "printer", p.Name, "job", j.ID, "cups_job", cupsJob)
	if j.ID != "" {
		if uerr := p.Jobs.UpdatePrintJob(rctx, j.ID, Sent, cupsJob, ""); uerr != nil {
			p.Log.Error("update print job", "job", j.ID, "err", uerr)
		}
	}
	return cupsJob, nil
}

var requestID = regexp.MustCompile(`request id is (\S+)`)

// submit runs lp with the PDF on its standard input and returns the job ID.
func (p *Printer) submit(ctx context.Context, j *Job) (string, error) {
	if p.Name == "" {
		return "", failure("Bu terminale yazıcı tanımlanmamış. Belge yeniden yazdırma listesinde bekliyor; "+
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
	cmd := exec.CommandContext(ctx, lp, "-d", p.Name, "-t", j.Title, "-o", "job-sheets=none", "-")
	cmd.Stdin = bytes.NewReader(j.PDF)
	cmd.Env = p.env()
	cmd.WaitDelay = time.Second
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", failure(fmt.Sprintf("Yazıcı %d saniye içinde yanıt vermedi. Belge yeniden yazdırma listesinde bekliyor; "+
			"yazıcının açık ve bağlı olduğunu kontrol edip listeden yeniden yazdırın.", int(timeout.Seconds())), ctx.Err())
	}
	if err != nil {
		return "", lpFailure(p.Name, strings.TrimSpace(stderr.String()), err)
	}
	m := requestID.FindStringSubmatch(out.String())
	if m == nil {
		return "", failure("Yazdırma sistemi işi aldı ama iş numarası vermedi. Kâğıdın çıkıp çıkmadığına bakın; "+
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
func failure(msg string, cause error) error {
	return &app.Error{Code: app.EINTERNAL, Field: "printer", Message: msg, Err: cause}
}

// lpFailure turns lp's English complaint into a Turkish sentence.
func lpFailure(printer, stderr string, err error) error {
	cause := fmt.Errorf("lp: %v: %s", err, stderr)
	switch {
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist):
		return failure("Bu terminalde yazdırma sistemi (CUPS) kurulu değil. Belge yeniden yazdırma listesinde bekliyor; "+
			"bilgi işlem birimine haber verin.", cause)
	case strings.Contains(stderr, "does not exist"):
		return failure(fmt.Sprintf("“%s” adlı yazıcı bulunamadı. Ayarlardaki yazıcı adını kontrol edin; "+
			"belge yeniden yazdırma listesinde bekliyor.", printer), cause)
	case strings.Contains(stderr, "not accepting jobs"):
		return failure(fmt.Sprintf("“%s” yazıcısı şu anda iş kabul etmiyor (kapatılmış). Yazıcıyı açtırın, "+
			"sonra belgeyi yeniden yazdırma listesinden yazdırın.", printer), cause)
	case strings.Contains(stderr, "connect") || strings.Contains(stderr, "scheduler") ||
		strings.Contains(stderr, "No such file or directory"):
		return failure("Yazdırma hizmetine (CUPS) ulaşılamadı. Belge yeniden yazdırma listesinde bekliyor; "+
			"terminali yeniden başlatın, sürerse bilgi işlem birimine haber verin.", cause)
	default:
		return failure("Belge yazıcıya gönderilemedi. Yeniden yazdırma listesinden tekrar deneyin; "+
			"sürerse bilgi işlem birimine haber verin.", cause)
	}
}

// cupsJobNumber returns the number at the end of a CUPS job ID ("gise-pdf-12" → 12).
func cupsJobNumber(id string) (int, bool) {
	i := strings.LastIndexByte(id, '-')
	n, err := strconv.Atoi(id[i+1:])
	return n, err == nil && n > 0
}

// FromConfig returns the terminal's receipt printer and its notice printer
// (the same queue unless config names an A4 one), both keeping their jobs in
// jobs.
func FromConfig(c config.Printer, jobs JobStore, log *slog.Logger) (receipts, notices *Printer) {
	receipts, notices = New(c.Name, jobs, log), New(c.NoticeQueue(), jobs, log)
	receipts.Timeout, notices.Timeout = c.Timeout.Duration, c.Timeout.Duration
	return receipts, notices
}
