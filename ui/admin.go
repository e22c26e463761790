package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
)

// adminScreen is the administrator's: accounts, terminal enrolment, printer,
// timers, contrast, and the switch to self-service.
type adminScreen struct {
	h        host
	cfg      *config.Config // the terminal's live settings, which this screen changes
	auth     *auth.Service
	print    printing
	kiosk    adminFuncs
	accounts *widget.Label
	user     *entry
	role     *widget.Select
	secret   *widget.Label
	temp     string
	copyTemp *widget.Button
	url      *entry
	device   *entry
	token    *entry
	clock    *widget.Label
	printer  *widget.SelectEntry
	notices  *widget.SelectEntry
	queues   *widget.Label
	offered  []string // the CUPS queues the two printer fields offer
	scanner  *scannerSettings
	idle     *entry
	mrzPort  *widget.SelectEntry // the serial identity-document reader; "" for none
	ports    []string            // the serial ports mrzPort offers
	errs     *widget.Label
	info     *widget.Label
	result   *fyne.Container // errs, info and a temporary password
	sections []fyne.CanvasObject
	tabs     []*widget.Button
	obj      fyne.CanvasObject
}

// adminFuncs is what the admin screen asks of the kiosk and of main.
type adminFuncs struct {
	language       func() string // the interface's language, kept as the terminal's
	showing        func() bool   // whether the admin screen is in front
	toggleContrast func()
	startMRZReader func() // (re)starts the serial reader on the settings saved
	// saveSettings keeps the settings for the next start; nil: not kept.
	saveSettings func(config.Config) error
	// onEnrolled follows a saved enrolment (main restarts sync); nil: none.
	onEnrolled func()
	// health asks the central at baseURL for its time; nil: offline.
	health func(ctx context.Context, baseURL string) (time.Time, error)
	// serialPorts lists the ports the MRZ reader may be on; nil: none.
	serialPorts func() ([]string, error)
}

var roles = []app.Role{app.RoleClerk, app.RoleSupervisor, app.RoleAdmin}

func newAdminScreen(h host, cfg *config.Config, a *auth.Service, p printing, sc app.Scanner, f adminFuncs) *adminScreen {
	s := &adminScreen{h: h, cfg: cfg, auth: a, print: p, kiosk: f}
	t := h.texts()
	s.accounts = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
	s.user = t.input()
	s.role = &widget.Select{}
	t.add(func() {
		s.role.Options = labels("role.", roles)
		s.role.PlaceHolder = lang.L("admin.role.placeholder")
		s.role.Refresh()
	})
	s.secret = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapWord}
	s.url, s.device, s.token = t.input(), t.input(), t.password("admin.token.placeholder")
	s.token.PlaceHolder = ""
	s.clock = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.printer, s.notices = widget.NewSelectEntry(nil), widget.NewSelectEntry(nil)
	s.queues = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.idle = t.input()
	s.mrzPort = widget.NewSelectEntry(nil)
	s.errs, s.info = errorLabel(), infoLabel()
	s.copyTemp = t.button("enrol.copy", s.onCopy)
	s.copyTemp.Hide()
	s.scanner = newScannerSettings(h, sc)
	s.sections = []fyne.CanvasObject{s.accountsSection(), s.enrolSection(), s.terminalSection()}
	s.tabs = []*widget.Button{t.button("admin.accounts", func() { s.showSection(0) }),
		t.button("admin.enrol", func() { s.showSection(1) }), t.button("admin.terminal", func() { s.showSection(2) })}
	tabs := container.NewHBox(s.tabs[0], s.tabs[1], s.tabs[2])
	// The outcome of every action (a new temporary password too) shows under
	// the section switch, above the section it belongs to: always in view.
	s.result = container.NewVBox(s.errs, s.info, container.NewBorder(nil, nil, nil, s.copyTemp, s.secret))
	body := container.NewBorder(container.NewVBox(tabs, s.result), nil, nil, nil, container.NewStack(s.sections...))
	s.obj = fixedPage(t.heading("admin.title"), body, t.button("common.home", func() { h.show(screenHome) }))
	s.showSection(0)
	return s
}

// say shows an action's outcome; empty lines take no room.
func (s *adminScreen) say(errMsg, info, secret string) {
	s.errs.SetText(errMsg)
	s.info.SetText(info)
	s.secret.SetText(secret)
	s.errs.Hidden, s.info.Hidden, s.secret.Hidden = errMsg == "", info == "", secret == ""
	s.copyTemp.Hidden = secret == ""
	s.result.Hidden = errMsg == "" && info == "" && secret == ""
	s.obj.Refresh()
}

// accountsSection creates and changes accounts; the list of accounts sits
// beside the form, and a new temporary password right under the buttons.
func (s *adminScreen) accountsSection() fyne.CanvasObject {
	t := s.h.texts()
	who := container.NewGridWithColumns(2, t.field("username", "admin.user", "admin.user.hint", false, s.user).box,
		t.field("role", "admin.role", "", false, s.role).box)
	actions := container.NewGridWithColumns(3, t.primary("admin.create", s.onCreate), t.button("admin.setrole", s.onSetRole),
		t.button("admin.resetpass", s.onResetPassword), t.button("admin.disable", func() { s.onDisable(true) }),
		t.button("admin.enable", func() { s.onDisable(false) }), t.button("admin.resettotp", s.onResetTOTP))
	return container.NewBorder(container.NewVBox(who, actions, t.label("admin.accounts.list")), nil, nil, nil,
		vscroll(s.accounts))
}

func (s *adminScreen) enrolSection() fyne.CanvasObject {
	t := s.h.texts()
	return vscroll(container.NewVBox(
		t.field("central_url", "admin.url", "admin.url.hint", false, s.url).box,
		t.field("device_id", "admin.device", "admin.device.hint", false, s.device).box,
		t.field("token", "admin.token", "admin.token.hint", false, s.token).box,
		container.NewHBox(t.primary("admin.enrol.save", s.onEnrol)), s.clock))
}

func (s *adminScreen) terminalSection() fyne.CanvasObject {
	t := s.h.texts()
	return vscroll(container.NewVBox(
		container.NewGridWithColumns(2, t.field("printer", "admin.printer", "admin.printer.hint", false, s.printer).box,
			t.field("notice_printer", "admin.noticeprinter", "admin.noticeprinter.hint", false, s.notices).box),
		s.queues,
		s.scanner.root(),
		container.NewGridWithColumns(2, t.field("idle_lock", "admin.idle", "admin.idle.hint", false, s.idle).box,
			t.field("mrz_port", "admin.mrzport", "admin.mrzport.hint", true, s.mrzPort).box),
		container.NewHBox(t.primary("admin.terminal.save", s.onTerminal), t.button("admin.contrast", s.kiosk.toggleContrast))))
}

// showSection brings one section to the front and marks its switch.
func (s *adminScreen) showSection(i int) {
	s.say("", "", "")
	showOnly(s.sections, i)
	for j, b := range s.tabs {
		b.Importance = widget.MediumImportance
		if j == i {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
	if c := s.h.canvas(); c != nil && s.kiosk.showing() {
		c.Focus([]fyne.Focusable{s.user, s.url, s.printer}[i])
	}
}

func (s *adminScreen) root() fyne.CanvasObject { return s.obj }
func (s *adminScreen) focus()                  { s.h.canvas().Focus(s.user) }

func (s *adminScreen) reset() {
	for _, e := range []*entry{s.user, s.url, s.device, s.token} {
		e.SetText("")
	}
	s.role.ClearSelected()
	s.secret.SetText("")
	s.temp = ""
	s.clock.SetText("")
	s.say("", "", "")
	s.accounts.SetText("")
}

// refresh loads the accounts and the terminal's settings.
func (s *adminScreen) refresh() {
	s.printer.SetText(s.cfg.Printer.Name)
	s.notices.SetText(s.cfg.Printer.NoticeName)
	s.idle.SetText(shortDuration(s.cfg.Session.IdleLock.Duration))
	s.mrzPort.SetText(s.cfg.MRZReader.Port)
	s.loadQueues()
	s.scanner.load(s.cfg.Scanner)
	s.loadPorts()
	sess := s.h.session()
	var list []*auth.Account
	s.h.run(func(ctx context.Context) (err error) {
		list, err = s.auth.Accounts(ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			s.say(message(err), "", "")
			return
		}
		var b strings.Builder
		for _, a := range list {
			state := lang.L("admin.state.active")
			if a.Disabled {
				state = lang.L("admin.state.disabled")
			}
			fmt.Fprintf(&b, "%-20s %-14s %s\n", a.Username, lang.L("role."+string(a.Role)), state)
		}
		s.accounts.SetText(b.String())
	})
}

// loadQueues offers CUPS's queues for the receipt and the notice printer,
// off the UI goroutine; when CUPS cannot be asked, a sentence says so and
// a queue's name may still be typed.
func (s *adminScreen) loadQueues() {
	var queues []string
	s.h.run(func(ctx context.Context) error {
		p, err := s.print.service()
		if err == nil {
			queues, err = p.Queues(ctx)
		}
		return err
	}, func(err error) {
		s.offered = queues
		s.printer.SetOptions(queues)
		s.notices.SetOptions(queues)
		switch {
		case err != nil:
			s.queues.SetText(message(err))
		case len(queues) == 0:
			s.queues.SetText(lang.L("admin.queues.none"))
		default:
			s.queues.SetText(lang.L("admin.queues.pick"))
		}
	})
}

// loadPorts offers the serial ports the system has for the MRZ reader,
// off the UI goroutine.
func (s *adminScreen) loadPorts() {
	if s.kiosk.serialPorts == nil {
		return
	}
	var ports []string
	s.h.run(func(context.Context) (err error) {
		ports, err = s.kiosk.serialPorts()
		return err
	}, func(err error) {
		if err == nil {
			s.ports = ports
			s.mrzPort.SetOptions(ports)
		}
	})
}

// onCopy puts the temporary password on the clipboard, to hand over.
func (s *adminScreen) onCopy() {
	s.h.clipboard().SetContent(s.temp)
	s.say("", lang.L("enrol.copied"), s.secret.Text)
}

func (s *adminScreen) selectedRole() app.Role {
	if i := s.role.SelectedIndex(); i >= 0 {
		return roles[i]
	}
	return ""
}

// act runs one account action and shows its outcome; a temporary password
// it returns is shown once, with a button to copy it.
func (s *adminScreen) act(work func(ctx context.Context, sess *auth.Session) (temp string, err error)) {
	s.h.touch()
	s.say("", "", "")
	s.temp = ""
	sess, user := s.h.session(), strings.TrimSpace(s.user.Text)
	var temp string
	s.h.run(func(ctx context.Context) (err error) {
		temp, err = work(ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			s.say(message(err), "", "")
			return
		}
		secret := ""
		if s.temp = temp; temp != "" {
			secret = lang.L("admin.temppass", map[string]any{"User": user, "Password": temp})
		}
		done := lang.L("admin.done")
		if secret != "" {
			done = "" // the temporary password's line says it all, and the section must fit 1024x768
		}
		s.say("", done, secret)
		if temp != "" {
			s.h.canvas().Focus(s.copyTemp)
		}
		s.refresh()
	})
}

func (s *adminScreen) onCreate() {
	user, role := s.user.Text, s.selectedRole()
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		_, pass, err := s.auth.CreateAccount(ctx, sess, user, role)
		return pass, err
	})
}

func (s *adminScreen) onSetRole() {
	user, role := s.user.Text, s.selectedRole()
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return "", s.auth.SetRole(ctx, sess, user, role)
	})
}

func (s *adminScreen) onDisable(disabled bool) {
	user := s.user.Text
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return "", s.auth.SetDisabled(ctx, sess, user, disabled)
	})
}

func (s *adminScreen) onResetPassword() {
	user := s.user.Text
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return s.auth.ResetPassword(ctx, sess, user)
	})
}

func (s *adminScreen) onResetTOTP() {
	user := s.user.Text
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return "", s.auth.ResetTOTP(ctx, sess, user)
	})
}

// onEnrol saves the link to the central and checks its clock.
func (s *adminScreen) onEnrol() {
	s.h.touch()
	e := auth.TerminalEnrolment{CentralURL: s.url.Text, DeviceID: s.device.Text, Token: s.token.Text}
	sess := s.h.session()
	var skew time.Duration
	var healthErr error
	s.h.run(func(ctx context.Context) error {
		if err := s.auth.SaveTerminalEnrolment(ctx, sess, e); err != nil {
			return err
		}
		if s.kiosk.health == nil {
			return nil
		}
		var serverTime time.Time
		serverTime, healthErr = s.kiosk.health(ctx, e.CentralURL)
		skew = time.Since(serverTime)
		return nil
	}, func(err error) {
		if err != nil {
			s.say(message(err), "", "")
			return
		}
		s.token.SetText("")
		// Saved first, then what the central said: "Merkez erişilebilir"
		// alone did not say that the link was kept.
		saved := lang.L("admin.enrol.saved", map[string]any{"Device": e.DeviceID}) + "\n"
		switch {
		case healthErr != nil:
			s.clock.SetText(saved + lang.L("admin.health.failed") + " " + message(healthErr))
		case skew > auth.MaxClockSkew || -skew > auth.MaxClockSkew:
			s.clock.SetText(saved + lang.L("admin.clock.warn", map[string]any{"Seconds": int(skew.Seconds())}))
		default:
			s.clock.SetText(saved + lang.L("admin.clock.ok", map[string]any{"Seconds": int(skew.Seconds())}))
		}
		scrollIntoView(s.obj, s.clock)
		if s.kiosk.onEnrolled != nil {
			s.kiosk.onEnrolled()
		}
	})
}

// onTerminal applies and saves the printer and the idle lock time.
func (s *adminScreen) onTerminal() {
	if err := auth.Permits(s.h.session(), app.RoleAdmin); err != nil {
		s.say(message(err), "", "")
		return
	}
	idle, err := time.ParseDuration(strings.TrimSpace(s.idle.Text))
	if err != nil || idle < 30*time.Second || idle > time.Hour {
		s.say(lang.L("admin.idle.invalid"), "", "")
		return
	}
	s.cfg.Printer.Name = strings.TrimSpace(s.printer.Text)
	s.cfg.Printer.NoticeName = strings.TrimSpace(s.notices.Text)
	s.scanner.apply(&s.cfg.Scanner) // the next scan uses it
	s.cfg.Language = s.kiosk.language()
	s.cfg.Session.IdleLock.Duration = idle
	s.cfg.MRZReader.Port = strings.TrimSpace(s.mrzPort.Text)
	if p, err := s.print.service(); err == nil { // the next document goes to the queues chosen here
		p.SetSettings(s.cfg.Printer)
	}
	if s.kiosk.saveSettings != nil {
		if err := s.kiosk.saveSettings(*s.cfg); err != nil {
			s.say(message(err), "", "")
			return
		}
	}
	s.kiosk.startMRZReader() // the reader chosen here, from now on
	s.say("", lang.L("admin.saved"), "")
}

// shortDuration writes d as the admin types it: 5m, 1h, 90s, not 5m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if t, ok := strings.CutSuffix(s, "m0s"); ok {
		s = t + "m"
	}
	if t, ok := strings.CutSuffix(s, "h0m"); ok {
		s = t + "h"
	}
	return s
}
