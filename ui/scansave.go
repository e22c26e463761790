package ui

import (
	"context"

	"fyne.io/fyne/v2/lang"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/counter"
)

// scanSave is what saving a complaint takes of the panel: the kept pages
// and, when they have not changed since, the attachment already made.
type scanSave struct {
	pages   []app.ScannedPage
	version int
	made    app.Attachment
}

// forSave takes the pages for a save, on the UI goroutine; a scan still
// under way must end first.
func (p *scanPanel) forSave() (scanSave, bool) {
	if p.busy() {
		p.setErr(lang.L("scan.busy"))
		p.h.notify(lang.L("scan.busy")) // the panel may be out of view
		return scanSave{}, false
	}
	sv := scanSave{pages: p.kept(), version: p.version}
	if p.made.version == p.version {
		sv.made = p.made.a
	}
	return sv, true
}

// attach makes the pages one PDF attachment, off the UI goroutine; nil
// when there are no pages.
func (sv scanSave) attach(ctx context.Context, c *counter.Service, sess *auth.Session) (*app.Attachment, error) {
	if len(sv.pages) == 0 {
		return nil, nil
	}
	if sv.made.SHA256 != "" {
		return &sv.made, nil
	}
	a, err := c.AttachScan(ctx, sess, sv.pages)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// attached remembers the attachment made of the pages at sv's version.
func (p *scanPanel) attached(sv scanSave, a *app.Attachment) {
	if a != nil {
		p.made.version, p.made.a = sv.version, *a
	}
}
