// Command gise is the Gişe kiosk: municipal service-counter software that
// registers citizens, records paper complaints and requests, proves the KVKK
// notice was given, and delivers every record to the central API when the
// network is there. With a subcommand (gise sync, gise status, gise central,
// …) it runs headless; see `gise help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// subcommand is a headless command; each lives in its own cmd_*.go file and
// registers itself in subcommands from an init function.
type subcommand struct {
	summary string
	run     func(ctx context.Context, cfg config.Config, args []string) error
}

var subcommands = map[string]subcommand{}

// configPath is the settings file read (--config, else GISE_CONFIG, else
// /etc/gise/gise.toml when it exists); "" for none.
var configPath string

func main() {
	flag.StringVar(&configPath, "config", "", "TOML settings file (default $GISE_CONFIG, else "+config.SystemConfig+" if it exists)")
	dataDir := flag.String("data-dir", "", "folder for the database, attachments and keys (default "+config.SystemDataDir+" for the gise user, else $XDG_DATA_HOME/gise)")
	flag.Usage = usage
	flag.Parse()
	if configPath == "" {
		configPath = config.DefaultPath()
	}
	cfg, err := config.Load(configPath)
	if err == nil && *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	if err == nil && !opensNothing(flag.Args()) {
		err = refuseOtherOwner(cfg.DataDir)
	}
	if err == nil {
		err = cfg.ApplyTerminal()
	}
	if err == nil {
		err = dispatch(cfg, flag.Args())
	}
	if err != nil {
		var r reported
		if !errors.As(err, &r) {
			fmt.Fprintln(os.Stderr, "gise:", describe(err))
		}
		os.Exit(exitCode(err))
	}
}

func dispatch(cfg config.Config, args []string) error {
	if len(args) == 0 {
		return runKiosk(cfg)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage()
		return nil
	}
	cmd, ok := subcommands[args[0]]
	if !ok {
		usage()
		return fmt.Errorf("unknown command %q", args[0])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cmd.run(ctx, cfg, args[1:])
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: gise [--config FILE] [--data-dir DIR] [command]\n\nWithout a command it opens the kiosk window.\n\nCommands:\n")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-14s %s\n", n, subcommands[n].summary)
	}
	flag.PrintDefaults()
}

// exitStatus lets a command choose its exit status (gise sync exits 3 when
// records are left pending).
type exitStatus interface{ ExitCode() int }

func exitCode(err error) int {
	if e, ok := err.(exitStatus); ok {
		return e.ExitCode()
	}
	if code, ok := faultExit[app.ErrorCode(err)]; ok {
		return code
	}
	return 1
}

// faultExit gives the terminal's own faults exit statuses of their own, so
// that a script or a monitor can tell them from a failed command: 4 the
// key, 5 a damaged database, 6 a full disk.
var faultExit = map[string]int{app.EKEY: 4, app.EDAMAGED: 5, app.ENOSPACE: 6}

// describe is the line an error prints: the Turkish sentence first for
// the terminal's own faults (what happened, what to do), then the detail.
func describe(err error) string {
	if _, ok := faultExit[app.ErrorCode(err)]; !ok {
		return err.Error()
	}
	if cause := errors.Unwrap(asAppError(err)); cause != nil {
		return app.ErrorMessage(err) + "\n  (ayrıntı: " + cause.Error() + ")"
	}
	return app.ErrorMessage(err)
}

func asAppError(err error) *app.Error {
	var e *app.Error
	errors.As(err, &e)
	return e
}

// reported is an error whose sentence was already shown (the kiosk's
// failure screen prints it when it opens): main only exits with its status.
type reported struct{ err error }

func (r reported) Error() string { return r.err.Error() }
func (r reported) Unwrap() error { return r.err }
