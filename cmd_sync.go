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
	gsync "github.com/kocasinan/gise/sync"
)

func init() {
	subcommands["sync"] = subcommand{summary: "deliver the queue to the central and pull updates, once (exit 3 if records stay pending)", run: runSync}
	subcommands["status"] = subcommand{summary: "show the queue, the last delivery error and the records kept for a supervisor (exit 4 if any, 5 if blocked)", run: runStatus}
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
	a, err := terminalAuth(cfg, store)
	if err != nil {
		return auth.TerminalEnrolment{}, err
	}
	return a.TerminalEnrolment(ctx)
}

// terminalAuth is the auth service of a headless command, on the store the
// command opened.
func terminalAuth(cfg config.Config, store *sqlite.Store) (*auth.Service, error) {
	sealer, err := loadKey(cfg) // never a new key beside a database
	if err != nil {
		return nil, err
	}
	return auth.New(store, sealer, authOptions(cfg, slog.Default()))
}

// osUser is the account running a command, as the audit trail names it.
// Under sudo the OS user is root or the service account, not the person:
// sudo's SUDO_USER names who ran it, and is added as "root sudo:ahmet". It
// is what sudo says, not proof (anyone can set the variable), so the real
// account always comes first.
func osUser() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if by := os.Getenv("SUDO_USER"); by != "" && by != name {
		if _, err := user.Lookup(by); err == nil {
			name += " sudo:" + by
		}
	}
	return name
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
	store, err := openExistingStore(ctx, cfg)
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
	w.HealthInfo = terminalHealth(cfg)
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

// statusAttention makes gise status exit non-zero when someone must act:
// 4 when records are kept for a supervisor (conflict or rejected), 5 when
// the central refused this terminal (401/403) and an admin must act.
type statusAttention struct {
	code int
	msg  string
}

func (e statusAttention) Error() string { return e.msg }
func (e statusAttention) ExitCode() int { return e.code }

func runStatus(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	limit := fs.Int("list", 20, "list at most this many conflicting and as many rejected records")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gise status [--list N]\n\nExit status: 0 nothing needs attention (records may be pending);"+
			" 4 records kept for a supervisor (conflict or rejected); 5 delivery blocked (401/403), an admin must act; 1 other errors.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openExistingStore(ctx, cfg)
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
	printBatchLimit(ctx, cfg, store)
	if err := printProblems(ctx, store, c, *limit); err != nil {
		return err
	}
	return attention(st)
}

// attention is the exit status of gise status, as its usage says.
func attention(st gsync.Status) error {
	switch n := st.Counts.Conflict + st.Counts.Rejected; {
	case st.Blocked != "":
		return statusAttention{code: 5, msg: "delivery is blocked (" + st.Blocked + "): an admin must act"}
	case n > 0:
		return statusAttention{code: 4, msg: fmt.Sprintf("%d records need a supervisor (conflict or rejected)", n)}
	}
	return nil
}

// printBatchLimit shows a batch size lowered after 413s, for the central
// this terminal is enrolled with (or configured for).
func printBatchLimit(ctx context.Context, cfg config.Config, store *sqlite.Store) {
	url := cfg.Central.URL
	if e, err := store.Enrolment(ctx); err == nil {
		url = e.CentralURL
	}
	if records, bytes, ok := gsync.StoredBatchLimit(ctx, store, url); ok {
		fmt.Printf("batch size: %d records, %d KiB (lowered after the central or a proxy refused larger batches, 413)\n",
			records, bytes>>10)
	}
}

// printProblems lists the records kept for a supervisor, with the central's
// reason, masked; never their data.
func printProblems(ctx context.Context, store *sqlite.Store, c app.OutboxCounts, limit int) error {
	for _, k := range []struct {
		state app.OutboxState
		n     int
	}{{app.OutboxConflict, c.Conflict}, {app.OutboxRejected, c.Rejected}} {
		if k.n == 0 || limit <= 0 {
			continue
		}
		list, err := store.OutboxEntries(ctx, k.state, limit)
		if err != nil {
			return err
		}
		fmt.Printf("%s (%d):\n", k.state, k.n)
		for _, e := range list {
			fmt.Printf("  %s  %-24s %s  %s\n", e.OccurredAt.Format(time.RFC3339), e.Type, e.ID, problemReason(e))
		}
		if k.n > len(list) {
			fmt.Printf("  … and %d more (gise status --list %d)\n", k.n-len(list), k.n)
		}
	}
	return nil
}

// problemReason is why a record is kept: the central's code and reason for
// a rejection; a conflict carries no reason but its meaning.
func problemReason(e app.OutboxEntry) string {
	if e.State == app.OutboxConflict {
		return "conflict: the central holds other data under this record's id"
	}
	return gsync.MaskReason(e.RejectCode + ": " + e.RejectDetail)
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
	if c.OnUSB > 0 {
		fmt.Printf("on USB:    %d (exported, not yet answered; still sent online if the network comes back)\n", c.OnUSB)
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
