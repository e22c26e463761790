package ui

import (
	"context"
	"image"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// scanPanel is "Tara" on the complaint screen: it scans pages from the
// glass or the feeder into a row of thumbnails, adds more, removes one (at
// once, with "Geri al" in its place), rescans one, and hands the pages over
// to become one PDF attachment when the complaint is saved. Scanning runs
// off the UI goroutine with a progress line and "Durdur"; a fault is a
// sentence, and the pages scanned before it stay.
type scanPanel struct {
	h       host
	scanner app.Scanner    // nil: the terminal has none
	cfg     *config.Config // live: the admin sets the device and the source

	source *widget.RadioGroup
	scan   *widget.Button
	stop   *widget.Button
	status *widget.Label
	errs   *widget.Label
	thumbs *fyne.Container
	box    *fyne.Container

	pages  []*scanPage
	cancel context.CancelFunc // ends the scan under way; nil when none
	// stopping: "Durdur" was pressed and the scanner has not ended yet (it
	// stops at its next read, which can wait for a sheet to be fed).
	stopping bool
	// gen counts scans and resets: an event of an earlier one is dropped.
	gen int
	// made is the attachment made of the pages as they were at version
	// made.version: saving again after a refused save stores nothing new.
	version int
	made    struct {
		version int
		a       app.Attachment
	}
}

func newScanPanel(h host, sc app.Scanner, cfg *config.Config) *scanPanel {
	p := &scanPanel{h: h, scanner: sc, cfg: cfg}
	t := h.texts()
	p.source = &widget.RadioGroup{Horizontal: true, Required: true}
	p.scan = t.button("scan.scan", func() { p.onScan(nil) })
	p.stop = t.button("scan.stop", p.onStop)
	p.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	p.errs = errorLabel()
	p.thumbs = container.NewGridWrap(thumbSize)
	p.box = container.NewVBox(container.NewHBox(p.source, p.scan, p.stop), p.status, p.errs, p.thumbs)
	t.add(func() {
		selected := p.sourceChosen()
		p.source.Options = []string{lang.L("scan.source.flatbed"), lang.L("scan.source.feeder")} // as scanSources
		p.chooseSource(selected)
		p.render()
	})
	p.reset()
	return p
}

func (p *scanPanel) root() fyne.CanvasObject { return p.box }

// reset stops a scan under way and forgets every page: nothing of one
// citizen's papers stays for the next.
func (p *scanPanel) reset() {
	p.gen++
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	p.stopping = false
	p.pages = nil
	p.version++
	p.chooseSource(app.ScanSource(p.cfg.Scanner.Source))
	p.setStatus("")
	p.setErr("")
	p.render()
}

func (p *scanPanel) sourceChosen() app.ScanSource {
	for i, o := range p.source.Options {
		if o == p.source.Selected {
			return scanSources[i]
		}
	}
	return app.SourceFlatbed
}

func (p *scanPanel) chooseSource(src app.ScanSource) {
	if i := max(slices.Index(scanSources, src), 0); i < len(p.source.Options) {
		p.source.SetSelected(p.source.Options[i])
	}
}

// setStatus and setErr change the progress line and the fault's sentence;
// an empty one takes no room.
func (p *scanPanel) setStatus(text string) {
	p.status.SetText(text)
	p.status.Hidden = text == ""
}

func (p *scanPanel) setErr(text string) {
	p.errs.SetText(text)
	p.errs.Hidden = text == ""
}

// busy reports whether a scan is under way.
func (p *scanPanel) busy() bool { return p.cancel != nil }

// kept returns the pages to attach, in order, leaving out removed ones.
func (p *scanPanel) kept() []app.ScannedPage {
	var out []app.ScannedPage
	for _, sp := range p.pages {
		if !sp.removed {
			out = append(out, sp.page)
		}
	}
	return out
}

// render lays out the cards, numbers the pages and says what there is.
func (p *scanPanel) render() {
	objs := make([]fyne.CanvasObject, 0, len(p.pages))
	n := 0 // pages kept so far; a removed page shows the number it had
	for _, sp := range p.pages {
		if sp.removed {
			sp.relabel(n+1, p.busy())
		} else {
			n++
			sp.relabel(n, p.busy())
		}
		objs = append(objs, sp.card)
	}
	p.thumbs.Objects = objs
	p.thumbs.Layout = layout.NewGridWrapLayout(p.cell(objs))
	p.thumbs.Refresh()
	if n > 0 {
		p.scan.SetText(lang.L("scan.add"))
	} else {
		p.scan.SetText(lang.L("scan.scan"))
	}
	p.scan.Disable()
	p.stop.Disable()
	if p.busy() {
		if !p.stopping {
			p.stop.Enable()
		}
	} else {
		p.scan.Enable()
	}
	p.box.Refresh()
}

// cell is the size of a card: the largest any card needs in the current
// language and theme, the thumbnail's at least.
func (p *scanPanel) cell(cards []fyne.CanvasObject) fyne.Size {
	size := fyne.NewSize(thumbSize.Width, thumbSize.Height)
	for _, c := range cards {
		size = size.Max(c.MinSize())
	}
	return size
}

// summary says how many pages there are and how large their PDF will be.
func (p *scanPanel) summary() {
	pages := p.kept()
	size := 0
	for _, pg := range pages {
		size += len(pg.JPEG) + 1024 // the PDF's own bytes per page, about
	}
	if len(pages) == 0 {
		p.setStatus("")
		return
	}
	p.setStatus(lang.L("scan.summary", map[string]any{"Count": len(pages), "Size": formatSize(int64(size))}))
	if size > app.MaxAttachmentSize {
		p.setErr(lang.L("scan.toolarge"))
	}
}

// request is a scan as the Administration screen set it, from the source
// chosen here.
func (p *scanPanel) request() app.ScanRequest {
	c := p.cfg.Scanner
	return app.ScanRequest{Device: c.Device, Source: p.sourceChosen(), Mode: app.ScanMode(c.Mode), Resolution: c.Resolution}
}

// onScan scans and appends the pages, or with target set scans one page
// in its place.
func (p *scanPanel) onScan(target *scanPage) {
	p.h.touch()
	if p.busy() {
		return
	}
	p.drop()
	p.setErr("")
	req := p.request()
	if target != nil {
		req.MaxPages = 1
	}
	if p.scanner == nil {
		p.setErr(message(app.ErrScanNoDevice))
		return
	}
	p.start(req, target)
}

func (p *scanPanel) onStop() {
	if p.cancel == nil || p.stopping {
		return
	}
	p.stopping = true
	p.cancel()
	p.setStatus(lang.L("scan.stopping"))
	p.render()
}

// drop forgets a removed page for good: "Geri al" lasts until the next
// change.
func (p *scanPanel) drop() {
	kept := p.pages[:0]
	for _, sp := range p.pages {
		if !sp.removed {
			kept = append(kept, sp)
		}
	}
	p.pages = kept
}

func (p *scanPanel) onRemove(sp *scanPage) {
	p.h.touch()
	p.drop()
	sp.removed = true
	p.version++
	p.render()
	p.setErr("")
	p.summary()
	p.h.canvas().Focus(sp.undo)
}

func (p *scanPanel) onUndo(sp *scanPage) {
	p.h.touch()
	sp.removed = false
	p.version++
	p.render()
	p.summary()
	p.h.canvas().Focus(sp.remove)
}

// start runs the scan off the UI goroutine through the host; pages and
// progress come back through fyne.Do. The scan has a context of its own,
// not the host's: "Durdur" ends it, and a batch from the feeder takes
// longer than the host gives a screen's action.
func (p *scanPanel) start(req app.ScanRequest, target *scanPage) {
	p.gen++
	gen := p.gen
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.setStatus(lang.L("scan.starting"))
	p.render()
	scanner := p.scanner
	p.h.run(func(context.Context) error {
		defer cancel()
		return scanner.Scan(ctx, req, func(ev app.ScanEvent) { p.event(gen, ev, target) })
	}, func(err error) { p.finish(gen, err) })
}

// event takes one event of scan gen, on the scanning goroutine: a page's
// thumbnail is made here, the screen changed on the UI goroutine.
func (p *scanPanel) event(gen int, ev app.ScanEvent, target *scanPage) {
	var thumb image.Image
	if ev.Scanned != nil {
		thumb = pageThumbnail(*ev.Scanned)
	}
	fyne.Do(func() {
		if gen != p.gen {
			return
		}
		p.h.touch() // a long batch keeps the clerk's session open
		if ev.Scanned == nil {
			if p.stopping {
				return
			}
			p.setStatus(lang.L("scan.progress", map[string]any{"Page": ev.Page, "Percent": int(ev.Percent)}))
			return
		}
		p.version++
		if target != nil {
			target.set(*ev.Scanned, thumb)
		} else {
			p.pages = append(p.pages, newScanPage(*ev.Scanned, thumb, p.onScan, p.onRemove, p.onUndo))
		}
		p.render()
		if !p.stopping {
			p.setStatus(lang.L("scan.progress", map[string]any{"Page": ev.Page + 1, "Percent": 0}))
		}
	})
}

// finish shows how scan gen ended; the pages it gave stay.
func (p *scanPanel) finish(gen int, err error) {
	if gen != p.gen {
		return
	}
	p.cancel = nil
	stopped := p.stopping
	p.stopping = false
	p.render()
	p.summary()
	switch {
	case err == nil:
	case app.ErrorCode(err) == app.EScanCancelled && stopped:
		p.setStatus(message(err))
	case app.ErrorCode(err) == app.EScanCancelled:
		p.setStatus(strings.TrimSpace(p.status.Text + " " + message(err)))
	default:
		p.setErr(message(err))
	}
	if len(p.kept()) > 0 || err != nil {
		p.h.canvas().Focus(p.scan)
	}
}
