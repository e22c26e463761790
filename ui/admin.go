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
)

// adminScreen is the administrator's: accounts, terminal enrolment, printer,
// timers, contrast, and the switch to self-service.
type adminScreen struct {
	k        *Kiosk
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
	printer  *entry
	idle     *entry
	errs     *widget.Label
	info     *widget.Label
	obj      fyne.CanvasObject
}

var roles = []app.Role{app.RoleClerk, app.RoleSupervisor, app.RoleAdmin}

func newAdminScreen(k *Kiosk) *adminScreen {
	s := &adminScreen{k: k}
	t := k.t
	s.accounts = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
	s.user = t.entry("admin.user.placeholder")
	s.role = &widget.Select{}
	t.add(func() {
		s.role.Options = labels("role.", roles)
		s.role.PlaceHolder = lang.L("admin.role.placeholder")
		s.role.Refresh()
	})
	s.secret = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapWord}
	s.url, s.device, s.token = t.entry("admin.url.placeholder"), t.entry("admin.device.placeholder"), t.password("admin.token.placeholder")
	s.clock = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.printer = t.entry("admin.printer.placeholder")
	s.idle = t.entry("admin.idle.placeholder")
	s.errs, s.info = errorLabel(), infoLabel()
	s.copyTemp = t.button("enrol.copy", s.onCopy)
	accounts := container.NewVBox(t.heading("admin.accounts"), s.accounts,
		&widget.Form{Items: []*widget.FormItem{t.formItem("admin.user", s.user), t.formItem("admin.role", s.role)}},
		container.NewGridWithColumns(2, t.primary("admin.create", s.onCreate), t.button("admin.setrole", s.onSetRole),
			t.button("admin.disable", func() { s.onDisable(true) }), t.button("admin.enable", func() { s.onDisable(false) }),
			t.button("admin.resetpass", s.onResetPassword), t.button("admin.resettotp", s.onResetTOTP)),
		container.NewBorder(nil, nil, nil, s.copyTemp, s.secret))
	enrol := container.NewVBox(t.heading("admin.enrol"), &widget.Form{Items: []*widget.FormItem{
		t.formItem("admin.url", s.url), t.formItem("admin.device", s.device), t.formItem("admin.token", s.token)}},
		container.NewHBox(t.primary("admin.enrol.save", s.onEnrol)), s.clock)
	terminal := container.NewVBox(t.heading("admin.terminal"), &widget.Form{Items: []*widget.FormItem{
		t.formItem("admin.printer", s.printer), t.formItem("admin.idle", s.idle)}},
		container.NewHBox(t.primary("admin.terminal.save", s.onTerminal), t.button("admin.contrast", k.toggleContrast)))
	body := container.NewVBox(s.errs, s.info, accounts, widget.NewSeparator(), enrol, widget.NewSeparator(), terminal)
	s.obj = page(t.heading("admin.title"), body, t.button("common.home", func() { k.show(screenHome) }))
	return s
}

func (s *adminScreen) root() fyne.CanvasObject { return s.obj }
func (s *adminScreen) focus()                  { s.k.win.Canvas().Focus(s.user) }

func (s *adminScreen) reset() {
	for _, e := range []*entry{s.user, s.url, s.device, s.token} {
		e.SetText("")
	}
	s.role.ClearSelected()
	s.secret.SetText("")
	s.temp = ""
	s.clock.SetText("")
	s.errs.SetText("")
	s.info.SetText("")
	s.accounts.SetText("")
}

// refresh loads the accounts and the terminal's settings.
func (s *adminScreen) refresh() {
	s.errs.SetText("")
	s.printer.SetText(s.k.svc.Config.Printer.Name)
	s.idle.SetText(s.k.svc.Config.Session.IdleLock.String())
	sess := s.k.sess
	var list []*auth.Account
	s.k.run(func(ctx context.Context) (err error) {
		list, err = s.k.svc.Auth.Accounts(ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
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

// onCopy puts the temporary password on the clipboard, to hand over.
func (s *adminScreen) onCopy() {
	s.k.app.Clipboard().SetContent(s.temp)
	s.k.notify(lang.L("enrol.copied"))
}

func (s *adminScreen) selectedRole() app.Role {
	if i := s.role.SelectedIndex(); i >= 0 {
		return roles[i]
	}
	return ""
}

// act runs one account action and shows its outcome.
func (s *adminScreen) act(work func(ctx context.Context, sess *auth.Session) (string, error)) {
	s.k.touch()
	s.errs.SetText("")
	s.info.SetText("")
	sess := s.k.sess
	var shown string
	s.k.run(func(ctx context.Context) (err error) {
		shown, err = work(ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.info.SetText(lang.L("admin.done"))
		s.secret.SetText(shown)
		if s.temp != "" {
			s.k.win.Canvas().Focus(s.copyTemp)
		}
		s.refresh()
	})
}

func (s *adminScreen) onCreate() {
	user, role := s.user.Text, s.selectedRole()
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		_, pass, err := s.k.svc.Auth.CreateAccount(ctx, sess, user, role)
		if err != nil {
			return "", err
		}
		s.temp = pass
		return lang.L("admin.temppass", map[string]any{"User": user, "Password": pass}), nil
	})
}

func (s *adminScreen) onSetRole() {
	user, role := s.user.Text, s.selectedRole()
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return "", s.k.svc.Auth.SetRole(ctx, sess, user, role)
	})
}

func (s *adminScreen) onDisable(disabled bool) {
	user := s.user.Text
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return "", s.k.svc.Auth.SetDisabled(ctx, sess, user, disabled)
	})
}

func (s *adminScreen) onResetPassword() {
	user := s.user.Text
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		pass, err := s.k.svc.Auth.ResetPassword(ctx, sess, user)
		if err != nil {
			return "", err
		}
		s.temp = pass
		return lang.L("admin.temppass", map[string]any{"User": user, "Password": pass}), nil
	})
}

func (s *adminScreen) onResetTOTP() {
	user := s.user.Text
	s.act(func(ctx context.Context, sess *auth.Session) (string, error) {
		return "", s.k.svc.Auth.ResetTOTP(ctx, sess, user)
	})
}

// onEnrol saves the link to the central and checks its clock.
func (s *adminScreen) onEnrol() {
	s.k.touch()
	e := auth.TerminalEnrolment{CentralURL: s.url.Text, DeviceID: s.device.Text, Token: s.token.Text}
	sess := s.k.sess
	var skew time.Duration
	var healthErr error
	s.k.run(func(ctx context.Context) error {
		if err := s.k.svc.Auth.SaveTerminalEnrolment(ctx, sess, e); err != nil {
			return err
		}
		if s.k.svc.Health == nil {
			return nil
		}
		var serverTime time.Time
		serverTime, healthErr = s.k.svc.Health(ctx, e.CentralURL)
		skew = time.Since(serverTime)
		return nil
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.token.SetText("")
		switch {
		case healthErr != nil:
			s.clock.SetText(lang.L("admin.health.failed") + " " + message(healthErr))
		case skew > auth.MaxClockSkew || -skew > auth.MaxClockSkew:
			s.clock.SetText(lang.L("admin.clock.warn", map[string]any{"Seconds": int(skew.Seconds())}))
		default:
			s.clock.SetText(lang.L("admin.clock.ok", map[string]any{"Seconds": int(skew.Seconds())}))
		}
		if s.k.svc.OnEnrolled != nil {
			s.k.svc.OnEnrolled()
		}
	})
}

// onTerminal applies and saves the printer and the idle lock time.
func (s *adminScreen) onTerminal() {
	if err := auth.Permits(s.k.sess, app.RoleAdmin); err != nil {
		setError(s.errs, err)
		return
	}
	idle, err := time.ParseDuration(strings.TrimSpace(s.idle.Text))
	if err != nil || idle < 30*time.Second || idle > time.Hour {
		s.errs.SetText(lang.L("admin.idle.invalid"))
		return
	}
	s.k.svc.Config.Printer.Name = strings.TrimSpace(s.printer.Text)
	s.k.svc.Config.Language = s.k.lang
	s.k.svc.Config.Session.IdleLock.Duration = idle
	if s.k.svc.SaveSettings != nil {
		if err := s.k.svc.SaveSettings(s.k.svc.Config); err != nil {
			setError(s.errs, err)
			return
		}
	}
	s.info.SetText(lang.L("admin.saved"))
}
