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

// homeScreen is the day at a glance, kept live while it is in front (what
// this terminal recorded today, what waits for the central and why, the
// printer), the latest requests, and a large button for each flow.
type homeScreen struct {
	k            *Kiosk
	summary      *widget.Label
	queue        *widget.Label
	devices      *widget.Label
	recent       *widget.Label
	admin        *wedgeButton
	first        *wedgeButton
	selfService  *wedgeButton
	applications *wedgeButton
	track        *wedgeButton
	obj          fyne.CanvasObject
}

func newHomeScreen(k *Kiosk) *homeScreen {
	s := &homeScreen{k: k}
	t := k.t
	s.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.queue = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.devices = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.recent = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Monospace: true}}
	s.admin = t.wbutton("home.admin", func() { k.touch(); k.admin.refresh(); k.show(screenAdmin) })
	s.selfService = t.wbutton("home.selfservice", k.onSelfService)
	s.applications = t.wbutton("home.applications", func() {
		k.touch()
		k.applications.refresh()
		k.show(screenApplications)
	})
	s.track = t.wbutton("home.track", func() { k.touch(); k.track.begin(); k.show(screenTrack) })
	s.first = t.wprimary("home.register", func() { k.touch(); k.register.begin(); k.show(screenRegister) })
	flows := container.NewGridWithColumns(2,
		s.first,
		t.wprimary("home.complaint", func() { k.touch(); k.complaint.begin(nil); k.show(screenComplaint) }),
		s.track,
		t.wbutton("home.sync", func() { k.touch(); k.syncPanel.refresh(); k.show(screenSync) }),
		s.admin,
		s.applications,
		s.selfService,
	)
	day := container.NewVBox(t.heading("home.today"), s.summary, s.queue, s.devices)
	body := container.NewVBox(flows, widget.NewSeparator(), day, widget.NewSeparator(), t.label("home.recent"), s.recent)
	s.obj = page(t.heading("home.title"), body)
	return s
}

func (s *homeScreen) root() fyne.CanvasObject { return s.obj }
func (s *homeScreen) focus()                  { s.k.win.Canvas().Focus(s.first) }

// opened reloads the figures each time home comes to the front: a request
// just filed is in the list when the clerk returns.
func (s *homeScreen) opened() {
	if s.k.sess != nil {
		s.reload()
		s.k.shell.refreshBadge()
	}
}

func (s *homeScreen) reset() {
	for _, l := range []*widget.Label{s.summary, s.queue, s.devices, s.recent} {
		l.SetText("")
	}
}

// refresh shows what the clerk may do and reloads the day's figures.
func (s *homeScreen) refresh() {
	s.admin.Hidden = !may(s.k, app.RoleAdmin)
	s.selfService.Hidden = !may(s.k, app.RoleAdmin, app.RoleSupervisor)
	s.applications.Hidden = !may(s.k, app.RoleSupervisor)
	s.obj.Refresh()
	s.reload()
}

// reload reads the day, the queue and the latest requests off the UI
// goroutine; the shell calls it every few seconds while home is in front.
func (s *homeScreen) reload() {
	s.devices.SetText(s.printerLine())
	if !may(s.k, counterRoles...) {
		s.summary.SetText(lang.L("home.adminonly"))
		s.recent.SetText("")
		return
	}
	var day app.DayCounts
	var recent []*app.Complaint
	sess := s.k.sess
	s.k.run(func(ctx context.Context) (err error) {
		if day, err = s.k.svc.Counter.Today(ctx, sess); err != nil {
			return err
		}
		recent, err = s.k.svc.Counter.Recent(ctx, sess, 8)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.summary, err)
			return
		}
		s.summary.SetText(dayText(day))
		s.recent.TextStyle.Monospace = len(recent) > 0 // columns line up; a sentence does not need to
		s.recent.SetText(recentText(recent))
	})
}

// showSync puts the sync worker's state on the home screen.
func (s *homeScreen) showSync(v SyncView, err error) {
	switch {
	case err != nil:
		s.queue.SetText(lang.L("sync.badge.unknown"))
	case !v.Configured:
		s.queue.SetText(lang.L("home.queue.unlinked", map[string]any{"Pending": v.Pending}))
	default:
		text := lang.L("home.queue", map[string]any{"Pending": v.Pending, "Problems": v.Conflicts + v.Rejected})
		if v.LastError != "" && !v.Online {
			text += "\n" + lang.L("home.queue.error", map[string]any{"Error": v.LastError})
		}
		s.queue.SetText(text)
	}
}

func (s *homeScreen) printerLine() string {
	if name := s.k.svc.Config.Printer.Name; name != "" {
		return lang.L("home.printer", map[string]any{"Name": name})
	}
	return lang.L("home.printer.none")
}

// dayText says what the terminal recorded today, in the clerk's words.
func dayText(d app.DayCounts) string {
	complaints := d.Records[app.TypeComplaintFiled]
	var kinds []string
	for _, k := range app.Kinds {
		if n := d.Kinds[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, lower(lang.L("kind."+string(k)))))
		}
	}
	// The requests by kind follow their count: after the last figure they
	// read as the KVKK applications' ("0 KVKK başvurusu (1 şikâyet)").
	by := ""
	if len(kinds) > 0 {
		by = " (" + strings.Join(kinds, ", ") + ")"
	}
	return lang.L("home.day", map[string]any{"Citizens": d.Records[app.TypeCitizenRegistered],
		"Complaints": complaints, "Kinds": by, "Checks": d.Records[app.TypeIdentityVerified],
		"Applications": d.Records[app.TypeDataSubjectRequest]})
}

func recentText(list []*app.Complaint) string {
	if len(list) == 0 {
		return lang.L("home.recent.none")
	}
	var b strings.Builder
	for _, c := range list {
		fmt.Fprintf(&b, "%s  %s  %s  %s\n", c.CreatedAt.Local().Format("02.01 15:04"), c.TrackingCode,
			lang.L("kind."+string(c.Kind)), lang.L("status."+c.Status))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// counterRoles may do counter work (mirrors the counter service's rule).
var counterRoles = []app.Role{app.RoleClerk, app.RoleSupervisor}
