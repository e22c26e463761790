package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// homeScreen is the day at a glance and a large button for each flow.
type homeScreen struct {
	k            *Kiosk
	summary      *widget.Label
	recent       *widget.Label
	admin        *widget.Button
	first        *widget.Button
	selfService  *widget.Button
	applications *widget.Button
	track        *widget.Button
	obj          fyne.CanvasObject
}

func newHomeScreen(k *Kiosk) *homeScreen {
	s := &homeScreen{k: k}
	t := k.t
	s.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.recent = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Monospace: true}}
	s.admin = t.button("home.admin", func() { k.touch(); k.admin.refresh(); k.show(screenAdmin) })
	s.selfService = t.button("home.selfservice", k.onSelfService)
	s.applications = t.button("home.applications", func() {
		k.touch()
		k.applications.refresh()
		k.show(screenApplications)
	})
	s.track = t.button("home.track", func() { k.touch(); k.track.begin(); k.show(screenTrack) })
	s.first = t.primary("home.register", func() { k.touch(); k.register.begin(); k.show(screenRegister) })
	flows := container.NewGridWithColumns(2,
		s.first,
		t.primary("home.complaint", func() { k.touch(); k.complaint.begin(nil); k.show(screenComplaint) }),
		s.track,
		t.button("home.sync", func() { k.touch(); k.syncPanel.refresh(); k.show(screenSync) }),
		s.admin,
		s.applications,
		s.selfService,
	)
	body := container.NewVBox(flows, widget.NewSeparator(), s.summary, t.label("home.recent"), s.recent)
	s.obj = page(t.heading("home.title"), body)
	return s
}

func (s *homeScreen) root() fyne.CanvasObject { return s.obj }
func (s *homeScreen) focus()                  { s.k.win.Canvas().Focus(s.first) }
func (s *homeScreen) reset()                  { s.recent.SetText(""); s.summary.SetText("") }

// refresh reloads the day's figures.
func (s *homeScreen) refresh() {
	s.admin.Hidden = !s.k.may(app.RoleAdmin)
	s.selfService.Hidden = !s.k.may(app.RoleAdmin, app.RoleSupervisor)
	s.applications.Hidden = !s.k.may(app.RoleSupervisor)
	s.applications.Refresh()
	s.admin.Refresh()
	s.selfService.Refresh()
	if !s.k.may(counterRoles...) {
		s.summary.SetText(lang.L("home.adminonly"))
		return
	}
	var recent []*app.Complaint
	sess := s.k.sess
	s.k.run(func(ctx context.Context) (err error) {
		recent, err = s.k.svc.Counter.Recent(ctx, sess, 8)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.summary, err)
			return
		}
		s.summary.SetText(lang.L("home.summary", map[string]any{"Count": len(recent)}))
		text := ""
		for _, c := range recent {
			text += fmt.Sprintf("%s  %s  %s  %s\n", c.CreatedAt.Local().Format("02.01 15:04"), c.TrackingCode,
				lang.L("kind."+string(c.Kind)), lang.L("status."+c.Status))
		}
		s.recent.SetText(text)
	})
}

// counterRoles may do counter work (mirrors the counter service's rule).
var counterRoles = []app.Role{app.RoleClerk, app.RoleSupervisor}
