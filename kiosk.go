package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/clock"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/kvkk"
	"github.com/kocasinan/gise/app/notice"
	"github.com/kocasinan/gise/app/paper"
	"github.com/kocasinan/gise/app/sane"
	"github.com/kocasinan/gise/app/serialport"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
	gsync "github.com/kocasinan/gise/sync"
	"github.com/kocasinan/gise/ui"
)

// runKiosk wires the store, the services, the sync worker and the printer
// to the window, and runs until the window is closed.
func runKiosk(cfg config.Config) error {
	ctx := context.Background()
	tuneGC()
	logger, closeLog, err := openLog(cfg.DataDir)
	if err != nil {
		return err
	}
	defer closeLog()
	store, sealer, err := openTerminal(ctx, cfg)
	if err != nil {
		logger.Error("the kiosk cannot start", "code", app.ErrorCode(err), "err", err)
		return showStartFailure(cfg, err)
	}
	defer store.Close()
	phase(logger, "store open")
	svc, err := services(ctx, cfg, store, sealer, logger)
	if err != nil {
		return err
	}
	phase(logger, "services ready")
	syncer := newSyncer(store, svc.Auth, cfg, logger) // before any goroutine shares the store
	retention := &kvkk.Runner{Store: store, Policy: retentionPolicy(cfg), Interval: cfg.Retention.Interval.Duration, Log: logger}
	retention.Start(ctx)
	defer retention.Stop()
	syncer.restart(ctx)
	defer syncer.stop()
	svc.Sync, svc.OnEnrolled = syncer, func() {
		syncer.restart(ctx)
		go registerUSBKeysAfterEnrolment(ctx, cfg, store, svc.Auth, sealer, logger)
	}
	svc.USB = &gsync.USB{Store: store, Keys: sealer, Logger: logger}
	clk := &clock.Watch{Skew: syncer.clockSkew, Audit: store.Audit, Logger: logger}
	clk.Start(ctx)
	defer clk.Stop()
	svc.Clock = clk.State

	fyneapp.SetMetadata(fyne.AppMetadata{ID: "tr.bel.kocasinan.gise", Name: "Gişe", Version: version,
		Icon: assets.Icon, Migrations: map[string]bool{"fyneDo": true}})
	a := fyneapp.NewWithID("tr.bel.kocasinan.gise")
	w := a.NewWindow("Gişe · " + cfg.Municipality.Name)
	// A damaged file found by the idle check stops the work and covers the
	// screens with the failure screen; the store already refuses writes.
	watch := watchStore(store, cfg, logger, func(err error) {
		syncer.stop()
		retention.Stop()
		fyne.Do(func() { ui.ShowStartFailure(a, w, cfg.Language, err, a.Quit) })
	})
	defer watch.stop()
	svc.DiskSpace = watch.space
	w.Resize(fyne.NewSize(1280, 800))
	// The kiosk session runs no window manager: the window fills the screen.
	if svc.FullScreen = os.Getenv("GISE_FULLSCREEN") == "1"; svc.FullScreen {
		w.SetFullScreen(true)
	}
	k := ui.New(a, w, svc)
	if err := k.Start(ctx); err != nil {
		return err
	}

	phase(logger, "screens built")
	a.Lifecycle().SetOnStarted(func() {
		logger.Info("kiosk started", "since_start_ms", time.Since(processStart).Milliseconds())
	})
	stopMem := memStats(logger)
	defer stopMem()
	w.SetMaster()
	w.ShowAndRun()
	k.Stop()
	return nil
}

// openStore opens the terminal's database, sealed with the terminal key,
// with its identity set.
func openStore(ctx context.Context, cfg config.Config) (*sqlite.Store, error) {
	store, _, err := openTerminal(ctx, cfg)
	return store, err
}

// openTerminal loads the terminal key and opens the database with it: what
// the kiosk and every command do first, and the whole of the kiosk's start
// before a window opens. A key missing beside a database is never made
// anew, a wrong key and a damaged file are refused before anything is
// written: each is a coded error (app.EKEY, app.EDAMAGED) whose sentence
// says how to recover.
func openTerminal(ctx context.Context, cfg config.Config) (*sqlite.Store, *keys.Sealer, error) {
	sealer, err := loadKey(cfg)
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlite.Open(ctx, cfg.DatabasePath(), sealer, sqlite.WithTerminal(cfg.TerminalID, config.LocalIP()))
	return store, sealer, err
}

// openExisting is openTerminal for the commands that read what a terminal
// holds (status, sync, audit, export, USB): on a data directory with
// neither a database nor a key it says so instead of making a new terminal
// there. A mistyped --data-dir would otherwise leave a fresh key behind,
// which the real database, restored there later, would refuse.
func openExisting(ctx context.Context, cfg config.Config) (*sqlite.Store, *keys.Sealer, error) {
	if !keys.DatabaseExists(cfg.DatabasePath()) {
		if _, err := os.Stat(keys.DefaultPath(cfg.DataDir)); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, app.Errorf(app.ENOTFOUND, "%s klasöründe bir Gişe terminali yok (ne veritabanı ne anahtar var); "+
				"--data-dir ya da yapılandırmadaki data_dir doğru mu? Yeni bir terminal, kiosk ilk açıldığında kurulur.", cfg.DataDir)
		}
	}
	return openTerminal(ctx, cfg)
}

// openExistingStore is openExisting without the sealer.
func openExistingStore(ctx context.Context, cfg config.Config) (*sqlite.Store, error) {
	store, _, err := openExisting(ctx, cfg)
	return store, err
}

// loadKey loads the terminal key, creating it only on a brand-new terminal.
func loadKey(cfg config.Config) (*keys.Sealer, error) {
	return keys.LoadForStore(keys.DefaultPath(cfg.DataDir), cfg.DatabasePath())
}

// showStartFailure shows, instead of the kiosk, the screen that says why
// it cannot start and how to recover, and returns err once it is closed,
// so that the program exits with err's status. An error without such a
// sentence (no display, a bad setting) is returned as it is.
func showStartFailure(cfg config.Config, err error) error {
	switch app.ErrorCode(err) {
	case app.EKEY, app.EDAMAGED, app.ENOSPACE, app.ECONFLICT:
	default:
		return err
	}
	fmt.Fprintln(os.Stderr, "gise:", describe(err))
	fyneapp.SetMetadata(fyne.AppMetadata{ID: "tr.bel.kocasinan.gise", Name: "Gişe", Version: version,
		Icon: assets.Icon, Migrations: map[string]bool{"fyneDo": true}})
	a := fyneapp.NewWithID("tr.bel.kocasinan.gise")
	w := a.NewWindow("Gişe · " + cfg.Municipality.Name)
	w.Resize(fyne.NewSize(1280, 800))
	ui.ShowStartFailure(a, w, cfg.Language, err, a.Quit)
	w.SetMaster()
	w.ShowAndRun()
	return reported{err}
}

// authOptions are the account rules of this terminal, the same for the
// kiosk and every command: the password checks know the municipality's
// own words.
func authOptions(cfg config.Config, logger *slog.Logger) auth.Options {
	return auth.Options{Logger: logger, IsCommonPassword: assets.IsCommonPassword,
		PasswordWords: append(assets.PasswordWords(), auth.WordsOf(cfg.Municipality.Name, cfg.Municipality.Address, cfg.Municipality.Web)...),
		IdleLock:      cfg.Session.IdleLock.Duration, MaxSession: cfg.Session.MaxSession.Duration}
}

// services builds what the screens call.
func services(ctx context.Context, cfg config.Config, store *sqlite.Store, sealer *keys.Sealer, logger *slog.Logger) (ui.Services, error) {
	authSvc, err := auth.New(store, sealer, authOptions(cfg, logger))
	if err != nil {
		return ui.Services{}, err
	}
	notices := notice.NewCatalog(store, logger,
		notice.New(1, notice.Turkish, assets.NoticeV1TR, time.Time{}),
		notice.New(1, notice.English, assets.NoticeV1EN, time.Time{}))
	if err := notices.Load(ctx); err != nil {
		return ui.Services{}, err
	}
	svc := ui.Services{Auth: authSvc, Counter: counter.New(store), Catalog: store, Notices: notices,
		Supervision: &counter.Supervision{Store: store}, Config: cfg, Log: logger, Audit: store.Audit,
		Health: func(ctx context.Context, url string) (time.Time, error) {
			st, err := gsync.Health(ctx, url)
			return st.Time, err
		},
		SaveSettings: func(c config.Config) error { return config.SaveTerminal(c) },
		OpenMRZReader: func(port string, baud int) (app.MRZReader, error) {
			if baud == 0 {
				baud = serialport.DefaultBaud
			}
			return serialport.Open(port, baud, serialport.DefaultQuiet)
		},
		SerialPorts: serialport.Ports}
	// The printer is there even with no queue set: a queue chosen on the
	// Administration screen applies to the next document.
	printer := cups.New(store, logger)
	printer.Timeout = cfg.Printer.Timeout.Duration
	if svc.Printing, err = paper.NewService(printer, cfg); err != nil {
		return ui.Services{}, err
	}
	svc.Supervision.Printer = printer
	svc.Scanner = sane.New(logger) // the device is chosen on the Administration screen
	return svc, nil
}

// syncer runs the sync worker once the terminal is enrolled and shows its
// state to the screens.
type syncer struct {
	mu     gosync.Mutex
	store  *sqlite.Store
	auth   *auth.Service
	cfg    config.Config
	log    *slog.Logger
	worker *gsync.Worker
}

func newSyncer(store *sqlite.Store, a *auth.Service, cfg config.Config, log *slog.Logger) *syncer {
	s := &syncer{store: store, auth: a, cfg: cfg, log: log}
	// Set once, before the store is shared: the worker behind it may change.
	store.OnQueued(s.notify)
	return s
}

// notify wakes the current worker, if any, after a commit queued records.
func (s *syncer) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.worker != nil {
		s.worker.Notify()
	}
}

// restart (re)starts the worker with the stored enrolment; without one the
// records wait in the queue.
func (s *syncer) restart(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	e, err := s.auth.TerminalEnrolment(ctx)
	if err != nil {
		if app.ErrorCode(err) != app.ENOTFOUND {
			s.log.Warn("enrolment unreadable; sync stays off", "err", err)
		}
		return
	}
	w, err := gsync.NewWorker(s.store, gsync.Settings{BaseURL: e.CentralURL, DeviceID: e.DeviceID, Token: e.Token,
		PinSHA256: s.cfg.Central.PinSHA256, AllowPlainHTTP: s.cfg.Central.AllowPlainHTTP,
		Interval: s.cfg.Central.Interval.Duration}, s.log)
	if err != nil {
		s.log.Warn("sync settings refused", "err", err)
		return
	}
	w.HealthInfo = terminalHealth(s.cfg)
	w.Start(ctx)
	s.worker = w
}

func (s *syncer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *syncer) stopLocked() {
	if s.worker != nil {
		s.worker.Stop()
		s.worker = nil
	}
}

// View implements ui.SyncControl.
func (s *syncer) View(ctx context.Context) (ui.SyncView, error) {
	s.mu.Lock()
	w := s.worker
	s.mu.Unlock()
	if w == nil {
		c, err := s.store.OutboxCounts(ctx)
		return ui.SyncView{Pending: c.PendingTotal, Conflicts: c.Conflict, Rejected: c.Rejected}, err
	}
	st, err := w.Status(ctx)
	if err != nil {
		return ui.SyncView{}, fmt.Errorf("sync status: %w", err)
	}
	return ui.SyncView{Configured: true, Online: st.Online, Pending: st.Counts.PendingTotal, Conflicts: st.Counts.Conflict,
		Rejected: st.Counts.Rejected, LastSuccess: st.LastSuccess, NextAttempt: st.NextAttempt,
		QuietUntil: st.QuietUntil, LastError: st.LastError, Blocked: st.Blocked != ""}, nil
}

// clockSkew is the central's time minus the terminal's, as the worker
// last measured it from a response's Date header; unknown before the first
// round or while the terminal is not enrolled.
func (s *syncer) clockSkew(ctx context.Context) (time.Duration, bool) {
	s.mu.Lock()
	w := s.worker
	s.mu.Unlock()
	if w == nil {
		return 0, false
	}
	st, err := w.Status(ctx)
	if err != nil {
		return 0, false
	}
	return st.ClockSkew, st.SkewKnown
}

// SyncNow implements ui.SyncControl.
func (s *syncer) SyncNow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.worker != nil {
		s.worker.Trigger()
	}
}
