package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// trackScreen looks up a tracking code: the status last pulled from the
// central and its history.
type trackScreen struct {
	k      *Kiosk
	code   *entry
	result *widget.Label
	errs   *widget.Label
	obj    fyne.CanvasObject
}

func newTrackScreen(k *Kiosk) *trackScreen {
	s := &trackScreen{k: k}
	t := k.t
	s.code = t.entry("track.code.placeholder")
	s.code.OnSubmitted = func(string) { s.onLookup() }
	s.result = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.errs = errorLabel()
	body := container.NewVBox(t.label("track.explain"),
		container.NewBorder(nil, nil, nil, t.primary("track.lookup", s.onLookup), s.code), s.errs, s.result)
	s.obj = page(t.heading("track.title"), body, t.button("common.home", func() { s.reset(); k.show(screenHome) }))
	return s
}

func (s *trackScreen) root() fyne.CanvasObject { return s.obj }
func (s *trackScreen) focus()                  { s.k.win.Canvas().Focus(s.code) }

// begin opens the screen afresh: a code typed on an earlier visit is not
// kept for the next one (nor for the next citizen), and typing never appends
// to it. Leaving by a shortcut skips the home button's reset.
func (s *trackScreen) begin() { s.reset() }

func (s *trackScreen) reset() {
	s.code.SetText("")
	s.result.SetText("")
	s.errs.SetText("")
}

func (s *trackScreen) onLookup() {
	s.k.touch()
	code, sess := s.code.Text, s.k.sess
	var c *app.Complaint
	var hist []app.StatusChange
	s.k.run(func(ctx context.Context) (err error) {
		c, hist, err = s.k.svc.Counter.Track(ctx, sess, code)
		return err
	}, func(err error) {
		s.result.SetText("")
		setError(s.errs, err)
		if err != nil {
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n%s: %s\n%s: %s\n%s: %s\n", c.TrackingCode, lang.L("track.kind"), lang.L("kind."+string(c.Kind)),
			lang.L("track.filed"), c.CreatedAt.Local().Format("02.01.2006 15:04"),
			lang.L("track.status"), lang.L("status."+c.Status))
		if len(hist) > 0 {
			b.WriteString("\n" + lang.L("track.history") + "\n")
		}
		for _, h := range hist {
			fmt.Fprintf(&b, "%s  %s  %s\n", h.At.Local().Format("02.01.2006 15:04"), lang.L("status."+h.Status), h.Note)
		}
		s.result.SetText(b.String())
	})
}
