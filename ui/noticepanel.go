package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/paper"
)

// noticePanel shows the disclosure notice in force, in the interface's
// language, with the version and short hash that prove which words were
// given.
type noticePanel struct {
	h       host
	notices *notice.Catalog
	text    *widget.Label
	version *widget.Label
	current notice.Version
	box     fyne.CanvasObject
}

func newNoticePanel(h host, notices *notice.Catalog) *noticePanel {
	p := &noticePanel{h: h, notices: notices}
	p.text = &widget.Label{Wrapping: fyne.TextWrapWord}
	p.version = &widget.Label{}
	scroll := vscroll(p.text)
	// The page gives it the rest of the window; its least leaves room at
	// 1024x768 for the buttons and what printing said under them.
	scroll.SetMinSize(fyne.NewSize(560, 160))
	p.box = container.NewBorder(nil, p.version, nil, nil, scroll)
	return p
}

// load shows the version in force today in the interface's language.
func (p *noticePanel) load() error {
	v, err := p.notices.Current(current, app.Today(time.Now()))
	if err != nil {
		return err
	}
	p.current = v
	p.text.SetText(v.Text)
	p.version.SetText(lang.L("notice.version", map[string]any{"Version": v.Number, "Hash": v.ShortHash()}))
	return nil
}

// giveOnScreen records, off the UI goroutine, that the version shown was
// read on screen in visit v, then calls then; a failure goes to errs.
func (p *noticePanel) giveOnScreen(v *notice.Visit, errs *widget.Label, then func()) {
	ver := p.current
	p.h.run(func(ctx context.Context) error {
		_, err := v.Give(ctx, ver, app.NoticeScreen, "")
		return err
	}, func(err error) {
		if err != nil {
			setError(errs, err)
			return
		}
		then()
	})
}

// printNotice prints the version shown for visit v into outcome, which says
// whether it came out. Only once it is printed is the delivery recorded
// (off the UI goroutine), then then is called; a failure goes to errs. A
// notice that did not come out is not given: the clerk reprints it or shows
// it on screen.
func (p *noticePanel) printNotice(o *printOutcome, v *notice.Visit, citizenName string, errs *widget.Label, then func()) {
	ver := p.current
	o.printed = func(job *app.PrintJob) {
		p.h.run(func(ctx context.Context) error {
			_, err := v.GivePrinted(ctx, ver, job)
			return err
		}, func(err error) {
			if err != nil {
				setError(errs, err)
				return
			}
			then()
		})
	}
	o.start(func(ctx context.Context, ps *paper.Service) (*app.PrintJob, error) {
		return ps.PrintNotice(ctx, ver, citizenName)
	})
}
