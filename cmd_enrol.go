package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
	gsync "github.com/kocasinan/gise/sync"
)

func init() {
	subcommands["enrol"] = subcommand{
		summary: "link this terminal to the central (--url URL --device-id ID; the token on stdin or in GISE_CENTRAL_TOKEN), audited; exit 4 if the central did not answer, 5 if the clocks differ",
		run:     runEnrol,
	}
}

// enrolWarning makes gise enrol exit non-zero when the enrolment was saved
// but the central's check failed (4) or its clock is far from this one (5).
type enrolWarning struct {
	code int
	msg  string
}

func (e enrolWarning) Error() string { return e.msg }
func (e enrolWarning) ExitCode() int { return e.code }

// errTokenArg refuses a token on the command line, where ps shows it.
var errTokenArg = errors.New("the token is never taken from the command line (ps shows it to every user): " +
	"pipe it on standard input or set GISE_CENTRAL_TOKEN")

// runEnrol saves the enrolment through the same service as the admin
// screen (auth.SaveTerminalEnrolment, audited as cli:<OS user>), then
// checks the central's health and clock as the screen does.
func runEnrol(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("enrol", flag.ContinueOnError)
	url := fs.String("url", "", "central API base URL (https://…, or http:// to this computer)")
	device := fs.String("device-id", "", "the device id the central issued for this terminal")
	for _, a := range args {
		if name := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); strings.HasPrefix(a, "-") && name == "token" {
			return errTokenArg
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" || *device == "" || fs.NArg() > 0 {
		return errors.New("usage: gise enrol --url URL --device-id ID  (token on standard input or in GISE_CENTRAL_TOKEN)")
	}
	token, err := enrolToken(os.Stdin)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	a, err := terminalAuth(cfg, store)
	if err != nil {
		return err
	}
	e := auth.TerminalEnrolment{CentralURL: *url, DeviceID: *device, Token: token}
	if err := a.SaveTerminalEnrolmentLocal(ctx, osUser(), e); err != nil {
		return enrolError(err)
	}
	fmt.Printf("saved: this terminal is %s at %s\n", strings.TrimSpace(*device), strings.TrimSpace(*url))
	health := checkEnrolledCentral(ctx, strings.TrimSpace(*url))
	if w := (enrolWarning{}); errors.As(health, &w) && w.code == 4 {
		return health // no central to register the USB keys with
	}
	if err := registerUSBKeys(ctx, cfg, store, e); err != nil {
		return err
	}
	return health
}

// registerUSBKeys registers the terminal's device keys for USB bundles
// with the central and keeps the central's (docs/BUNDLE.md): without
// them a field office cannot export.
func registerUSBKeys(ctx context.Context, cfg config.Config, store *sqlite.Store, e auth.TerminalEnrolment) error {
	sealer, err := loadKey(cfg)
	if err != nil {
		return err
	}
	s := gsync.Settings{BaseURL: strings.TrimSpace(e.CentralURL), DeviceID: strings.TrimSpace(e.DeviceID), Token: strings.TrimSpace(e.Token),
		PinSHA256: cfg.Central.PinSHA256, AllowPlainHTTP: cfg.Central.AllowPlainHTTP}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := gsync.RegisterBundleKeys(ctx, s, store, sealer, sealer.ActiveKeyID(), cliActor()); err != nil {
		return enrolWarning{code: 4, msg: "saved, but the keys for USB transfer were not registered with the central: " + err.Error()}
	}
	fmt.Println("USB transfer: this terminal's keys are registered with the central")
	return nil
}

// enrolToken reads the token from GISE_CENTRAL_TOKEN or, failing that, the
// first line of in (a prompt goes to stderr when in is a terminal).
func enrolToken(in *os.File) (string, error) {
	if t := strings.TrimSpace(os.Getenv("GISE_CENTRAL_TOKEN")); t != "" {
		return t, nil
	}
	if fi, err := in.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		fmt.Fprint(os.Stderr, "token (it shows as you type; prefer a pipe): ")
	}
	line, err := bufio.NewReader(io.LimitReader(in, 8192)).ReadString('\n')
	if t := strings.TrimSpace(line); t != "" && (err == nil || errors.Is(err, io.EOF)) {
		return t, nil
	}
	return "", errors.New("no token: pipe the token the central issued on standard input, or set GISE_CENTRAL_TOKEN")
}

// enrolError names the field an EINVALID is about, for a script's log.
func enrolError(err error) error {
	var ae *app.Error
	if errors.As(err, &ae) && ae.Field != "" {
		return fmt.Errorf("%s: %s", ae.Field, ae.Message)
	}
	return err
}

// checkEnrolledCentral calls the central's health endpoint and compares its clock
// with this one, as the admin screen does after saving.
func checkEnrolledCentral(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	st, err := gsync.Health(ctx, url)
	if err != nil {
		return enrolWarning{code: 4, msg: "saved, but the central did not answer its health check: " + err.Error()}
	}
	c := auth.CheckClock(time.Now(), st.Time)
	fmt.Println("central: ok; " + c.Message)
	if c.Warn {
		return enrolWarning{code: 5, msg: fmt.Sprintf("saved, but this clock is %s off the central's", c.Diff)}
	}
	return nil
}
