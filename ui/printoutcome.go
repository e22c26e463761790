package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/paper"
)

// followFor and followEvery bound the background following of a job that
// had not come out within paper.DefaultWait.
const (
	followFor   = 10 * time.Minute
	followEvery = 2 * time.Second
)

// printOutcome shows what became of one printed document, in a sentence
// beside the action that printed it: "Yazdırıldı", "Yazıcı bekliyor…" or
// why it did not print. Whatever is not printed is offered again, with
// "Yeniden yazdır" and a choice of queue. Every screen that prints uses one.
type printOutcome struct {
	h       host
	print   printing
	status  *widget.Label
	queue   *widget.Select
	reprint *widget.Button
	retry   *fyne.Container
	box     *fyne.Container

	// job is the document followed; nil before printing.
	job *app.PrintJob
	// seen counts the outcomes shown, so that a stale background answer
	// (from before a reprint or a reset) is dropped.
	seen int
	// stop ends the background following.
	stop context.CancelFunc
	// printed is called once, on the UI goroutine, when the job is printed.
	printed func(*app.PrintJob)
	// again reprints job id to queue; the print service's Reprint when nil.
	again func(ctx context.Context, id, queue string) (*app.PrintJob, error)
}

func newPrintOutcome(h host, p printing) *printOutcome {
	o := &printOutcome{h: h, print: p}
	t := h.texts()
	o.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	o.queue = &widget.Select{}
	t.add(func() { o.queue.PlaceHolder = lang.L("print.queue.placeholder"); o.queue.Refresh() })
	o.reprint = t.button("print.again", o.onReprint)
	o.retry = container.NewBorder(nil, nil, nil, o.reprint, o.queue)
	o.box = container.NewVBox(o.status, o.retry)
	o.reset()
	return o
}

func (o *printOutcome) root() fyne.CanvasObject { return o.box }

// reset forgets the job and stops following it.
func (o *printOutcome) reset() {
	o.seen++
	if o.stop != nil {
		o.stop()
		o.stop = nil
	}
	o.job = nil
	o.status.SetText("")
	o.status.Importance = widget.MediumImportance
	o.retry.Hide()
	o.box.Hide()
}

// start prints with work off the UI goroutine, waits a few seconds for the
// outcome and shows it; a job still waiting is followed in the background.
func (o *printOutcome) start(work func(ctx context.Context, p *paper.Service) (*app.PrintJob, error)) {
	o.reset()
	o.box.Show()
	o.status.SetText(lang.L("print.sending"))
	n := o.seen
	var job *app.PrintJob
	o.h.run(func(ctx context.Context) (err error) {
		p, err := o.print.service()
		if err != nil {
			return err
		}
		if job, err = work(ctx, p); err != nil || job == nil {
			return err
		}
		return awaitInto(ctx, p, &job)
	}, func(err error) { o.show(n, job, err) })
}

// adopt shows a kept job (from the reprint list) and offers it again.
func (o *printOutcome) adopt(job *app.PrintJob) {
	o.reset()
	o.show(o.seen, job, nil)
}

// awaitInto waits for *job's outcome and stores what it learnt in *job.
func awaitInto(ctx context.Context, p *paper.Service, job **app.PrintJob) error {
	j, err := p.Await(ctx, (*job).ID, paper.DefaultWait)
	if j != nil {
		*job = j
	}
	return err
}

// show puts the outcome of the n-th print on the screen, unless something
// newer came since.
func (o *printOutcome) show(n int, job *app.PrintJob, err error) {
	if n != o.seen {
		return
	}
	if job != nil {
		o.job = job
	}
	o.box.Show()
	o.status.SetText(o.sentence(job, err))
	o.status.Importance = widget.DangerImportance
	switch {
	case err == nil && job != nil && job.Status == app.PrintPrinted:
		o.status.Importance = widget.SuccessImportance
		if o.printed != nil {
			o.printed(job)
		}
	case err == nil && job != nil && job.Status == app.PrintSent:
		o.status.Importance = widget.WarningImportance
		o.followInBackground(n, job.ID)
	}
	o.status.Refresh()
	o.offerReprint()
}

// sentence is what the clerk reads of a job and the error beside it.
func (o *printOutcome) sentence(job *app.PrintJob, err error) string {
	switch {
	case err != nil:
		return message(err)
	case job == nil:
		return ""
	case job.Status == app.PrintPrinted:
		return lang.L("print.printed")
	case job.Status == app.PrintFailed:
		return jobSentence(job.Error)
	case job.Waiting != "":
		return lang.L("print.waiting") + " " + jobSentence(job.Waiting)
	default:
		return lang.L("print.waiting")
	}
}

// jobSentence is a print job's Turkish sentence (why it failed or waits) in
// the interface's language: the adapter's fixed sentences are in
// errors.en.json, like the domain's errors.
func jobSentence(tr string) string {
	return message(app.Errorf(app.EUNAVAILABLE, "%s", tr))
}

// offerReprint shows the reprint row for a kept job, with the print system's
// queues to choose from (loaded off the UI goroutine).
func (o *printOutcome) offerReprint() {
	if o.job == nil || o.job.ID == "" {
		o.retry.Hide()
		return
	}
	o.retry.Show()
	current := o.job.Printer
	var queues []string
	o.h.run(func(ctx context.Context) error {
		p, err := o.print.service()
		if err == nil {
			queues, err = p.Queues(ctx)
		}
		return err
	}, func(err error) {
		if err != nil || len(queues) == 0 {
			queues = []string{current} // CUPS cannot list them: the job's own queue
		}
		o.queue.Options = queues
		o.queue.SetSelected(current)
	})
}

// onReprint sends the job again, to the chosen queue, and follows it.
func (o *printOutcome) onReprint() {
	o.h.touch()
	if o.job == nil {
		return
	}
	id, queue, again := o.job.ID, o.queue.Selected, o.again
	o.start(func(ctx context.Context, p *paper.Service) (*app.PrintJob, error) {
		if again != nil {
			return again(ctx, id, queue)
		}
		return p.Reprint(ctx, id, queue)
	})
}

// followInBackground keeps asking about a waiting job and shows its outcome
// when it is known. Under the test driver (inline) there is no event loop
// to come back to, so the screen stays at "waiting".
func (o *printOutcome) followInBackground(n int, id string) {
	if !o.h.background() || o.stop != nil {
		return
	}
	p, err := o.print.service()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), followFor)
	o.stop = cancel
	go func() {
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(followEvery):
			}
			j, err := p.Job(ctx, id)
			if ctx.Err() == nil && (err != nil || j.Done()) {
				fyne.Do(func() { o.stop = nil; o.show(n, j, err) })
				return
			}
		}
	}()
}
