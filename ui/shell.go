package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/clock"
)

// shell is what surrounds the counter screens: a bar with the terminal, the
// clerk, the sync badge and the language, lock and logout buttons; a status
// line at the bottom; and the ticker that locks an idle session.
type shell struct {
	k       *Kiosk
	bar     *fyne.Container
	who     *widget.Label // the user name, cut with an ellipsis when the bar is short
	role    *widget.Label // "· Görevli", never cut
	badge   *widget.Label
	warning *widget.Label
	status  *widget.Label
	home    *widget.Button
	top     *fyne.Container
	frame   *fyne.Container
	dialog  *sessionDialog // "Oturumunuz kapanmak üzere"
	stop    chan struct{}
}

func newShell(k *Kiosk) *shell {
	s := &shell{k: k, stop: make(chan struct{})}
	t := k.t
	// The clerk's name gives way (an ellipsis) before the bar outgrows a
	// 1024-wide window; a warning gets a line of its own under the bar, in
	// full, and takes no room while there is none.
	s.who = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing,
		Truncation: fyne.TextTruncateEllipsis}
	// The role is never cut: a long user name gives way first.
	s.role = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.badge = &widget.Label{}
	s.warning = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	s.warning.Hide()
	s.status = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	s.home = t.button("shell.home", func() { k.touch(); k.show(screenHome) })
	title := &widget.Label{Text: "Gişe · " + k.svc.Config.Municipality.Name, TextStyle: fyne.TextStyle{Bold: true}}
	buttons := container.NewHBox(s.home, t.button("shell.language", k.toggleLanguage), t.button("shell.lock", k.onLock),
		t.button("shell.logout", k.onLogout))
	s.bar = container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(title, s.badge), buttons,
		container.New(whoLayout{}, s.who, s.role)), s.warning)
	s.bar.Hide()
	s.status.Hide()
	s.dialog = newSessionDialog(k, k.touch, k.onLogout)
	return s
}

// layout returns the window's content around the screen stack.
func (s *shell) layout(stack fyne.CanvasObject) fyne.CanvasObject {
	s.top = container.NewVBox(s.bar, widget.NewSeparator())
	s.frame = container.NewBorder(s.top, s.status, nil, nil, stack)
	return s.frame
}

// setStatus shows a message on the status line, which takes no room while
// it is empty.
func (s *shell) setStatus(msg string) {
	s.status.SetText(msg)
	if msg == "" {
		s.status.Hide()
	} else {
		s.status.Show()
	}
	if s.frame != nil {
		s.frame.Refresh()
	}
}

// showBar shows or hides the bar with the clerk's name and buttons.
func (s *shell) showBar(on bool) {
	if on {
		s.bar.Show()
	} else {
		s.bar.Hide()
	}
	s.top.Refresh()
	s.frame.Refresh()
}

// tick runs once a second on the UI goroutine: it follows the session's
// state and the sync badge.
func (s *shell) tick() {
	if s.k.shown == screenSelf {
		s.k.self.tick(s.k.self.now()) // the screen's clock, which tests move
		return
	}
	sess := s.k.sess
	if sess == nil {
		s.warn("")
		s.dialog.hide()
		return
	}
	state := sess.State()
	if state != auth.SessionWarning {
		s.dialog.hide()
	}
	switch state {
	case auth.SessionWarning:
		now := time.Now()
		if s.k.svc.Counter != nil { // the services' clock, which the session keeps too
			now = s.k.svc.Counter.Now()
		}
		left := sess.Deadlines().Lock.Sub(now).Round(time.Second)
		s.dialog.show(int(left.Seconds()))
	case auth.SessionLocked:
		s.warn("")
		if s.k.shown != screenLock {
			s.k.lockNow()
		}
	case auth.SessionExpired, auth.SessionEnded:
		s.warn("")
		why := lang.L("shell.expired")
		if err := sess.EndReason(); err != nil {
			why = message(err) // the account changed: say how
		}
		s.k.endSession(why)
	default:
		s.warn(strings.TrimSpace(s.diskWarning() + " " + s.clockWarning()))
	}
}

// diskWarning is the bar's sentence when the data directory's disk has less
// free space than the floor ([storage] min_free_mb): said before a full disk
// stops the writes, "" while there is room.
func (s *shell) diskWarning() string {
	if s.k.svc.DiskSpace == nil {
		return ""
	}
	free, floor := s.k.svc.DiskSpace()
	if floor == 0 || free >= floor {
		return ""
	}
	return lang.L("shell.disk.low", map[string]any{"Free": free >> 20})
}

// warn shows msg on the warning line under the bar; "" hides the line.
func (s *shell) warn(msg string) {
	if msg == s.warning.Text && s.warning.Hidden == (msg == "") {
		return // every tick: no relayout while nothing changes
	}
	s.warning.SetText(msg)
	s.warning.Hidden = msg == ""
	if s.frame != nil {
		s.frame.Refresh()
	}
}

// clockWarning is the bar's sentence about the terminal's clock, "" while
// it is right.
func (s *shell) clockWarning() string {
	if s.k.svc.Clock == nil {
		return ""
	}
	switch st := s.k.svc.Clock(); {
	case st.SkewKnown && st.Skew.Abs() > clock.MaxDrift:
		return lang.L("shell.clock.skewed")
	case st.Jump != 0:
		return lang.L("shell.clock.jumped")
	}
	return ""
}

// checkSession has the accounts service look at the clerk's account again,
// off the UI goroutine: a change made elsewhere (another process on this
// database) ends the session, and the next tick shows the login with why.
func (s *shell) checkSession() {
	sess := s.k.sess
	if sess == nil || s.k.svc.Auth == nil {
		return
	}
	s.k.run(func(ctx context.Context) error { return s.k.svc.Auth.Check(ctx, sess) }, func(error) {})
}

// readSync reads the sync worker's state off the UI goroutine and hands it
// to done on it.
func (k *Kiosk) readSync(done func(SyncView, error)) {
	var v SyncView
	k.run(func(ctx context.Context) (err error) {
		v, err = k.svc.Sync.View(ctx)
		return err
	}, func(err error) { done(v, err) })
}

// refreshBadge asks the sync worker for its state, off the UI goroutine,
// and shows the one answer everywhere it appears (the badge, the home
// screen, the sync screen), so that they never disagree.
func (s *shell) refreshBadge() {
	if s.k.svc.Sync == nil {
		s.showSync(SyncView{}, nil)
		return
	}
	s.k.readSync(s.showSync)
}

// showSync puts one reading of the sync worker's state on every screen.
func (s *shell) showSync(v SyncView, err error) {
	s.badge.SetText(badgeText(v, err))
	s.badge.Importance = badgeImportance(v, err)
	s.badge.Refresh()
	s.k.home.showSync(v, err)
	s.k.syncPanel.show(v, err)
}

func badgeText(v SyncView, err error) string {
	switch {
	case err != nil:
		return lang.L("sync.badge.unknown")
	case !v.Configured:
		return lang.L("sync.badge.none")
	case v.Blocked:
		return lang.L("sync.badge.blocked")
	case v.Online:
		return lang.L("sync.badge.online", map[string]any{"Pending": v.Pending})
	default:
		return lang.L("sync.badge.offline", map[string]any{"Pending": v.Pending})
	}
}

func badgeImportance(v SyncView, err error) widget.Importance {
	switch {
	case err != nil || v.Blocked:
		return widget.DangerImportance
	case v.Online:
		return widget.SuccessImportance
	default:
		return widget.WarningImportance
	}
}

// refreshLive reads again what changes behind the clerk's back: the queue,
// and the screen in front when it shows live figures.
func (s *shell) refreshLive() {
	if s.k.sess == nil {
		return
	}
	s.refreshBadge()
	if s.k.shown == screenHome {
		s.k.home.reload()
	}
}

// start runs the ticker until the window closes.
func (s *shell) start() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		n := 0
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				n++
				fyne.Do(s.tick)
				if n%5 == 1 {
					fyne.Do(s.refreshLive)
					fyne.Do(s.checkSession)
				}
			}
		}
	}()
}

// setWho shows who is logged in: "clerk1 · Görevli".
func (s *shell) setWho(sess *auth.Session) {
	s.who.SetText(sess.Username())
	s.role.SetText("· " + lang.L("role."+string(sess.Role())))
}

// whoLayout puts the role (objs[1]) at the right at its own width and the
// user name (objs[0]) in the rest, the two labels' padding overlapping so
// that they read as one line, "clerk1 · Görevli".
type whoLayout struct{}

func (whoLayout) overlap(o fyne.CanvasObject) float32 {
	return 2*theme.SizeForWidget(theme.SizeNameInnerPadding, o.(fyne.Widget)) - theme.Padding()
}

// MinSize implements fyne.Layout.
func (l whoLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	u, r := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(r.Width, u.Width+r.Width-l.overlap(objs[1])), max(u.Height, r.Height))
}

// Layout implements fyne.Layout.
func (l whoLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	rw := objs[1].MinSize().Width
	objs[1].Resize(fyne.NewSize(rw, size.Height))
	objs[1].Move(fyne.NewPos(size.Width-rw, 0))
	objs[0].Resize(fyne.NewSize(max(0, size.Width-rw+l.overlap(objs[1])), size.Height))
	objs[0].Move(fyne.NewPos(0, 0))
}
