package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/counter"
)

// trackScreen looks up a tracking code: a complaint's status last pulled
// from the central with its history, or a KVKK application's deadline.
type trackScreen struct {
	h       host
	counter *counter.Service
	code    *entry
	result  *trackResult
	errs    *widget.Label
	obj     fyne.CanvasObject
}

func newTrackScreen(h host, c *counter.Service) *trackScreen {
	s := &trackScreen{h: h, counter: c}
	t := h.texts()
	s.code = t.entry("track.code.placeholder")
	s.code.OnSubmitted = func(string) { s.onLookup() }
	s.result = newTrackResult()
	s.errs = errorLabel()
	lookup := container.NewBorder(nil, nil, nil, t.primary("track.lookup", s.onLookup), s.code)
	body := container.NewVBox(t.label("track.explain"), lookup, s.errs, s.result.box)
	s.obj = page(t.heading("track.title"), body, t.button("common.home", func() { s.reset(); h.show(screenHome) }))
	return s
}

func (s *trackScreen) root() fyne.CanvasObject { return s.obj }
func (s *trackScreen) focus()                  { s.h.canvas().Focus(s.code) }

// begin opens the screen afresh: a code typed on an earlier visit is not
// kept for the next one (nor for the next citizen), and typing never appends
// to it. Leaving by a shortcut skips the home button's reset.
func (s *trackScreen) begin() { s.reset() }

// lookup opens the screen on code, as a scanned receipt does.
func (s *trackScreen) lookup(code string) {
	s.reset()
	s.code.SetText(code)
	s.onLookup()
}

func (s *trackScreen) reset() {
	s.code.SetText("")
	s.result.clear()
	s.errs.SetText("")
}

func (s *trackScreen) onLookup() {
	s.h.touch()
	code, sess := s.code.Text, s.h.session()
	var found counter.Tracked
	s.h.run(func(ctx context.Context) (err error) {
		found, err = s.counter.Track(ctx, sess, code)
		return err
	}, func(err error) {
		s.result.clear()
		setError(s.errs, err)
		if err == nil {
			s.result.show(found)
		}
	})
}
