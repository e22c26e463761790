package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"sort"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
	gsync "github.com/kocasinan/gise/sync"
)

func init() {
	subcommands["sync"] = subcommand{summary: "deliver the queue to the central and pull updates, once (exit 3 if records stay pending)", run: runSync}
	subcommands["status"] = subcommand{summary: "show the queue counts and the last delivery error", run: runStatus}
}

// centralSettings builds the worker's settings: the terminal's stored
// enrolment (made on the admin screen) first, then the configuration file
// for what it lacks, with the environment and then the flags overriding both.
func centralSettings(cfg config.Config, fs *flag.FlagSet) func(ctx context.Context, store *sqlite.Store) gsync.Settings {
	url := fs.String("url", "", "central API base URL (default: the enrolment, env GISE_CENTRAL_URL, the config)")
	device := fs.String("device", "", "enrolled device id (default: the enrolment, env GISE_DEVICE_ID)")
	token := fs.String("token", "", "device token (default: the enrolment; prefer env GISE_CENTRAL_TOKEN to this flag, which shows in ps)")
	return func(ctx context.Context, store *sqlite.Store) gsync.Settings {
		s := gsync.Settings{BaseURL: cfg.Central.URL, DeviceID: cfg.TerminalID, PinSHA256: cfg.Central.PinSHA256,
			AllowPlainHTTP: cfg.Central.AllowPlainHTTP, Interval: cfg.Central.Interval.Duration}
		if e, err := storedEnrolment(ctx, cfg, store); err == nil {
			s.BaseURL, s.DeviceID, s.Token = e.CentralURL, e.DeviceID, e.Token
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			slog.Warn("stored enrolment unreadable; using flags and environment", "err", err)
		}
		for _, o := range []struct {
			dst       *string
			env, flag string
		}{{&s.BaseURL, "GISE_CENTRAL_URL", *url}, {&s.DeviceID, "GISE_DEVICE_ID", *device}, {&s.Token, "GISE_CENTRAL_TOKEN", *token}} {
			if v := os.Getenv(o.env); v != "" {
				*o.dst = v
			}
			if o.flag != "" {
				*o.dst = o.flag
			}
		}
		return s
	}
}

// storedEnrolment reads the enrolment the admin saved on this terminal.
// ENOTFOUND when it was never enrolled.
func storedEnrolment(ctx context.Context, cfg config.Config, store *sqlite.Store) (auth.TerminalEnrolment, error) {
	sealer, err := loadKey(cfg)
	if err != nil {
		return auth.TerminalEnrolment{}, err
	}
	a, err := auth.New(store, sealer, auth.Options{Logger: slog.Default(), IsCommonPassword: assets.IsCommonPassword})
	if err != nil {
		return auth.TerminalEnrolment{}, err
	}
	return a.TerminalEnrolment(ctx)
}

func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

// pendingLeft makes gise sync exit with status 3 when records stay pending.
type pendingLeft struct {
	n     int
	cause error
}

func (e pendingLeft) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%d records still pending: %v", e.n, e.cause)
	}
	return fmt.Sprintf("%d records still pending", e.n)
}

func (e pendingLeft) ExitCode() int { return 3 }

func runSync(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	settings := centralSettings(cfg, fs)
	timeout := fs.Duration("timeout", 10*time.Minute, "deadline of the whole round")
	unblock := fs.Bool("unblock", false, "resume delivery after a 401/403, once the token is fixed (audited as the OS user)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	store.TerminalID = cfg.TerminalID
	if *unblock {
		// Whoever runs this holds the terminal's files anyway; the audit
		// chain records which OS account it was.
		if err := store.UnblockSync(ctx, app.Actor{Username: "cli:" + osUser(), Role: app.RoleAdmin}); err != nil {
			return err
		}
	}
	w, err := gsync.NewWorker(store, settings(ctx, store), slog.Default())
	if err != nil {
		return err
	}
	w.RoundTimeout = *timeout
	syncErr := w.Sync(ctx)
	st, err := w.Status(ctx)
	if err != nil {
		return err
	}
	printStatus(st)
	if st.Counts.PendingTotal > 0 {
		return pendingLeft{n: st.Counts.PendingTotal, cause: syncErr}
	}
	return syncErr
}

func runStatus(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := store.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	st := gsync.Status{Counts: c}
	if v, _ := store.SyncState(ctx, app.SyncLastSuccess); v != "" {
		st.LastSuccess, _ = time.Parse(time.RFC3339, v)
	}
	st.LastError, _ = store.SyncState(ctx, app.SyncLastError)
	st.Blocked, _ = store.SyncState(ctx, app.SyncBlocked)
	printStatus(st)
	return nil
}

func printStatus(st gsync.Status) {
	c := st.Counts
	fmt.Printf("pending:   %d\n", c.PendingTotal)
	types := make([]string, 0, len(c.Pending))
	for t := range c.Pending {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Printf("  %-30s %d\n", t, c.Pending[t])
	}
	if !c.OldestPending.IsZero() {
		fmt.Printf("oldest pending: %s\n", c.OldestPending.Format(time.RFC3339))
	}
	fmt.Printf("delivered: %d\nconflict:  %d\nrejected:  %d\nclosed:    %d\n", c.Delivered, c.Conflict, c.Rejected, c.Closed)
	if !st.LastSuccess.IsZero() {
		fmt.Printf("last success: %s\n", st.LastSuccess.Format(time.RFC3339))
	}
	if st.Blocked != "" {
		fmt.Printf("BLOCKED (%s): the central refused this terminal; an admin must act\n", st.Blocked)
	}
	if st.LastError != "" {
		fmt.Printf("last error: %s\n", st.LastError)
	}
	if st.ClockWarning() {
		fmt.Printf("WARNING: this clock differs from the central's by %s\n", st.ClockSkew)
	}
}
