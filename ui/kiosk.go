// Package ui is Gişe's Fyne interface: the counter screens a clerk uses, the
// self-service screens a citizen uses alone, the on-screen keyboard and the
// kiosk theme. It calls the app services; it never talks SQL or HTTP. Every
// screen is built once and reset, never rebuilt; work that touches storage,
// the network or a printer runs off the UI goroutine and comes back through
// fyne.Do.
package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/clock"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/paper"
)

// SyncView is what the screens show of the sync worker.
type SyncView struct {
	Configured  bool // the terminal is enrolled with a central
	Online      bool // the last round reached the central
	Pending     int
	Conflicts   int
	Rejected    int
	LastSuccess time.Time
	NextAttempt time.Time
	QuietUntil  time.Time // the central asked for no request before this (Retry-After)
	LastError   string
	Blocked     bool // the central refused the device; an admin must act
}

// SyncControl is the sync worker as the screens see it; main adapts it.
type SyncControl interface {
	View(ctx context.Context) (SyncView, error)
	SyncNow()
}

// Services are what the screens call.
type Services struct {
	Auth    *auth.Service
	Counter *counter.Service
	Catalog app.CatalogStore
	// Supervision is the supervisor's work on conflicts, rejections and
	// reprints.
	Supervision *counter.Supervision
	Notices     *notice.Catalog
	Sync        SyncControl     // nil when the terminal runs without a central
	Printing    *paper.Service  // prints receipts and the notice, follows them; nil: cannot print
	Scanner     app.Scanner     // the complaint screen's "Tara" (app/sane); nil: no scanner
	USB         app.USBTransfer // bundles on a USB stick for an office with no network; nil: none
	Config      config.Config
	Log         *slog.Logger

	// Health asks the central for its time (GET /v1/health); nil offline.
	Health func(ctx context.Context, baseURL string) (time.Time, error)
	// OnEnrolled is called after an admin saved the terminal's enrolment,
	// so that main can restart the sync worker with it.
	OnEnrolled func()
	// SaveSettings keeps what the admin changed for the next start.
	SaveSettings func(config.Config) error
	// FullScreen: the window fills the screen in counter mode too (the
	// kiosk session, which runs no window manager, sets GISE_FULLSCREEN=1).
	FullScreen bool
	// Clock is what the terminal knows of its clock (jumps, the central's
	// skew); nil: nothing watched. The shell's bar warns from it.
	Clock func() clock.State
	// Audit appends a security event without a domain write.
	Audit func(ctx context.Context, actor app.Actor, action, object string) error
	// DiskSpace returns the free bytes on the data directory's disk and
	// the floor (storage.min_free_mb) below which the operator is to be
	// warned; measured every minute off the UI goroutine, so cheap to
	// call from the ticker. nil in tests.
	DiskSpace func() (free, floor uint64)
	// OpenMRZReader opens a serial identity-document reader (baud 0: its
	// default); SerialPorts lists the ports to choose from. nil: none.
	OpenMRZReader func(port string, baud int) (app.MRZReader, error)
	SerialPorts   func() ([]string, error)
}

// Kiosk is the one window of the program and the state around it: who is
// logged in, which screen shows, and the background work in flight.
type Kiosk struct {
	app fyne.App
	win fyne.Window
	svc Services
	t   *texts

	sess     *auth.Session
	stack    *fyne.Container
	views    map[string]view
	shown    string
	resume   string // the screen to return to after unlocking
	lang     string
	contrast bool

	shell        *shell
	home         *homeScreen
	lock         *lockScreen
	track        *trackScreen
	register     *registerScreen
	citizen      *citizenScreen
	complaint    *complaintScreen
	syncPanel    *syncScreen
	admin        *adminScreen
	self         *selfScreen
	problems     *problemsScreen
	application  *applicationScreen
	applications *applicationsScreen
	files        *filePicker
	shortcuts    map[string]func()
	keys         *keyRoute    // the shortcuts and the wedge, for the kiosk's own fields and buttons
	wedge        *wedge       // keystrokes of wedge devices, held and claimed
	mrzStop      func()       // ends the serial reader's loop
	post         func(func()) // runs on the UI goroutine (fyne.Do; tests queue)

	tasks  sync.WaitGroup
	inline bool // tests: run work where it is asked for
}

// view is one screen: its root object, built once, and how to clear it.
type view interface {
	root() fyne.CanvasObject
	reset()
}

// New builds every screen of the kiosk in window w.
func New(a fyne.App, w fyne.Window, svc Services) *Kiosk {
	if svc.Log == nil {
		svc.Log = slog.New(slog.DiscardHandler)
	}
	k := &Kiosk{app: a, win: w, svc: svc, views: map[string]view{}, lang: svc.Config.Language,
		shortcuts: map[string]func(){}}
	k.keys = &keyRoute{shortcuts: k.shortcuts}
	k.t = &texts{keys: k.keys}
	if k.lang != "en" {
		k.lang = "tr"
	}
	setLanguage(k.lang)
	a.Settings().SetTheme(newKioskTheme(false))
	k.stack = container.NewStack()
	k.shell = newShell(k)
	openApplications := func() { k.applications.refresh(); k.show(screenApplications) }
	flows := homeMoves{ // the home screen's buttons, and Ctrl+1…6
		register:     func() { k.register.begin(); k.show(screenRegister) },
		complaint:    func() { k.complaint.begin(nil); k.show(screenComplaint) },
		track:        func() { k.track.begin(); k.show(screenTrack) },
		sync:         func() { k.syncPanel.refresh(); k.show(screenSync) },
		admin:        func() { k.admin.refresh(); k.show(screenAdmin) },
		applications: openApplications,
		selfService:  k.onSelfService,
	}
	k.home = newHomeScreen(k, svc.Counter, &k.svc.Config, k.shell, flows)
	k.lock = newLockScreen(k, svc.Auth, func() { k.shell.showBar(true); k.show(k.resume) })
	toCitizen := func(c *app.Citizen, v *counter.Visit, banner string) { k.citizen.open(c, v); k.citizen.banner(banner) }
	k.register = newRegisterScreen(k, svc.Counter, k.prints(), newNoticePanel(k, svc.Notices), toCitizen)
	k.citizen = newCitizenScreen(k, svc.Counter, citizenMoves{
		complaint:   func(c *app.Citizen) { k.complaint.begin(c) },
		application: func(c *app.Citizen, v *counter.Visit) { k.application.begin(c, v) },
	})
	k.complaint = newComplaintScreen(k, svc.Counter, svc.Catalog, svc.Scanner, &k.svc.Config, k.prints(), complaintMoves{
		citizen:  toCitizen,
		pickFile: func(back string, add attachFile) { k.files.open(back, add) },
	})
	usb := newUSBScreen(k, svc.USB, svc.Sync, &k.svc.Config)
	k.syncPanel = newSyncScreen(k, svc.Sync, k.shell, syncMoves{
		problems: func() { k.problems.reset(); k.problems.refresh(); k.show(screenProblems) },
		usb:      usb.open,
	})
	k.admin = newAdminScreen(k, &k.svc.Config, svc.Auth, k.prints(), svc.Scanner, adminFuncs{
		language:       func() string { return k.lang },
		showing:        func() bool { return k.shown == screenAdmin },
		toggleContrast: k.toggleContrast,
		startMRZReader: k.startMRZReader,
		saveSettings:   svc.SaveSettings,
		onEnrolled:     svc.OnEnrolled,
		health:         svc.Health,
		serialPorts:    svc.SerialPorts,
	})
	k.self = newSelfScreen(k, &k.svc.Config, svc.Counter, svc.Auth, k.prints(), svc.Catalog, newNoticePanel(k, svc.Notices), selfFuncs{
		toggleLanguage: k.toggleLanguage,
		leave:          k.leaveSelfService,
		audit:          svc.Audit,
	})
	k.add(screenSetup, newSetupScreen(k, svc.Auth, k.startSession))
	k.add(screenLogin, newLoginScreen(k, svc.Auth, k.startSession))
	k.add(screenLock, k.lock)
	k.add(screenHome, k.home)
	k.add(screenRegister, k.register)
	k.add(screenCitizen, k.citizen)
	k.add(screenComplaint, k.complaint)
	k.track = newTrackScreen(k, svc.Counter)
	k.add(screenTrack, k.track)
	k.add(screenSync, k.syncPanel)
	k.add(screenAdmin, k.admin)
	k.add(screenSelf, k.self)
	k.problems = newProblemsScreen(k, svc.Supervision, k.prints())
	k.add(screenProblems, k.problems)
	k.application = newApplicationScreen(k, svc.Counter, k.prints(),
		func(c *app.Citizen, v *counter.Visit) { k.citizen.open(c, v) })
	k.add(screenApplication, k.application)
	k.applications = newApplicationsScreen(k, svc.Counter)
	k.add(screenApplications, k.applications)
	k.files = newFilePicker(k, &k.svc.Config)
	k.add(screenFiles, k.files)
	k.add(screenUSB, usb)
	w.SetContent(k.shell.layout(k.stack))
	k.setupWedge()
	k.addShortcuts(flows)
	return k
}

// Start shows the first screen (the first administrator's setup on a new
// terminal, else the self-service welcome when the terminal was set to that
// mode, else the login) and starts the once-a-second ticker.
func (k *Kiosk) Start(ctx context.Context) error {
	need, err := k.svc.Auth.NeedsSetup(ctx)
	if err != nil {
		return err
	}
	switch {
	case need:
		k.show(screenSetup)
	case k.svc.Config.Mode == config.ModeSelfService:
		k.enterSelfService() // the mode the terminal was left in
	default:
		k.show(screenLogin)
	}
	k.shell.start()
	k.startMRZReader()
	return nil
}

// Stop ends the ticker; call it when the window closes.
func (k *Kiosk) Stop() { close(k.shell.stop); k.stopMRZReader() }

// add registers a screen under a name.
func (k *Kiosk) add(name string, v view) {
	k.views[name] = v
}

// show puts one screen in the window. Only the screen in front is in the
// window's tree: the others keep their state but cost no layout, so a
// resize or a relabel lays out one screen, not twelve.
func (k *Kiosk) show(name string) {
	k.wedge.flush() // what was typed belongs to the screen it was typed on
	root := k.views[name].root()
	if len(k.stack.Objects) != 1 || k.stack.Objects[0] != root {
		k.stack.Objects = []fyne.CanvasObject{root}
		root.Show()
		k.stack.Refresh()
	}
	if k.shown != name && k.shell != nil {
		k.shell.setStatus("")
	}
	k.shown = name
	if o, ok := k.views[name].(interface{ opened() }); ok {
		o.opened()
	}
	if f, ok := k.views[name].(interface{ focus() }); ok {
		f.focus()
	}
}

// Shown returns the name of the screen in front.
func (k *Kiosk) Shown() string { return k.shown }

// run does work off the UI goroutine and applies done's result on it.
// Under Fyne's test driver, which has no event loop and runs fyne.Do in
// the caller, both run in the caller (inline), as one UI thread would.
func (k *Kiosk) run(work func(ctx context.Context) error, done func(error)) {
	if k.inline {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		done(work(ctx))
		return
	}
	k.tasks.Add(1)
	go func() {
		defer k.tasks.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := work(ctx)
		if err != nil && app.ErrorCode(err) == app.EINTERNAL {
			k.svc.Log.Error("screen action failed", "err", err)
		}
		fyne.DoAndWait(func() { done(err) })
	}()
}

// Wait blocks until the background work started so far has finished and its
// results are on the screen. Tests call it between steps.
func (k *Kiosk) Wait() { k.tasks.Wait() }

// touch notes activity, which keeps a clerk's session from locking.
func (k *Kiosk) touch() {
	if k.sess != nil {
		k.sess.Touch()
	}
}

// resetAll clears every screen: a new clerk or a new citizen sees nothing of
// the previous one.
func (k *Kiosk) resetAll() {
	for _, v := range k.views {
		v.reset()
	}
}
