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
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
)

// homeScreen is the day at a glance, kept live while it is in front (what
// this terminal recorded today, what waits for the central and why, the
// printer), the latest requests, and a large button for each flow.
type homeScreen struct {
	h            host
	counter      *counter.Service
	cfg          *config.Config
	badge        syncBadge
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

// homeMoves are the flows home opens, each onto its screen made ready
// (a form begun afresh, a list read again), wired in New.
type homeMoves struct {
	register, complaint, track, sync, admin, applications func()
	selfService                                           func() // hands the terminal to citizens
}

func newHomeScreen(h host, c *counter.Service, cfg *config.Config, badge syncBadge, to homeMoves) *homeScreen {
	s := &homeScreen{h: h, counter: c, cfg: cfg, badge: badge}
	t := h.texts()
	s.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.queue = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.devices = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.recent = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Monospace: true}}
	move := func(open func()) func() { return func() { h.touch(); open() } }
	s.admin = t.wbutton("home.admin", move(to.admin))
	s.selfService = t.wbutton("home.selfservice", to.selfService)
	s.applications = t.wbutton("home.applications", move(to.applications))
	s.track = t.wbutton("home.track", move(to.track))
	s.first = t.wprimary("home.register", move(to.register))
	flows := container.NewGridWithColumns(2,
		s.first,
		t.wprimary("home.complaint", move(to.complaint)),
		s.track,
		t.wbutton("home.sync", move(to.sync)),
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
func (s *homeScreen) focus()                  { s.h.canvas().Focus(s.first) }

// opened reloads the figures each time home comes to the front: a request
// just filed is in the list when the clerk returns.
func (s *homeScreen) opened() {
	if s.h.session() != nil {
		s.reload()
		s.badge.refreshBadge()
	}
}

func (s *homeScreen) reset() {
	for _, l := range []*widget.Label{s.summary, s.queue, s.devices, s.recent} {
		l.SetText("")
	}
}

// refresh shows what the clerk may do and reloads the day's figures.
func (s *homeScreen) refresh() {
	s.admin.Hidden = !may(s.h, app.RoleAdmin)
	s.selfService.Hidden = !may(s.h, app.RoleAdmin, app.RoleSupervisor)
	s.applications.Hidden = !may(s.h, app.RoleSupervisor)
	s.obj.Refresh()
	s.reload()
}

// reload reads the day, the queue and the latest requests off the UI
// goroutine; the shell calls it every few seconds while home is in front.
func (s *homeScreen) reload() {
	s.devices.SetText(s.printerLine())
	if !may(s.h, counterRoles...) {
		s.summary.SetText(lang.L("home.adminonly"))
		s.recent.SetText("")
		return
	}
	var day app.DayCounts
	var recent []*app.Complaint
	sess := s.h.session()
	s.h.run(func(ctx context.Context) (err error) {
		if day, err = s.counter.Today(ctx, sess); err != nil {
			return err
		}
		recent, err = s.counter.Recent(ctx, sess, 8)
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
	if name := s.cfg.Printer.Name; name != "" {
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
			kinds = append(kinds, lang.L("home.day.kind", map[string]any{"N": n, "Kind": lower(lang.L("kind." + string(k)))}))
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
