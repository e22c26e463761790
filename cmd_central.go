package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/central"
)

func init() {
	subcommands["central"] = subcommand{summary: "run the reference central server (gise central --listen 127.0.0.1:8700 --data ./central | --db postgres://…; gise central devices; gise central import FILE imports a USB bundle)", run: runCentral}
}

// centralStore adds the flags that choose the central's store: --data (the
// SQLite default) or --db (PostgreSQL; GISE_CENTRAL_DB, which keeps a
// password out of ps, is the default).
func centralStore(fs *flag.FlagSet) (data, db *string) {
	data = fs.String("data", "./central", "folder of the central's SQLite database and attachments (without --db)")
	db = fs.String("db", os.Getenv("GISE_CENTRAL_DB"), "PostgreSQL database (postgres://… or key=value; default $GISE_CENTRAL_DB); several nodes may share it")
	return data, db
}

func runCentral(ctx context.Context, _ config.Config, args []string) error {
	if len(args) > 0 && args[0] == "devices" {
		return runCentralDevices(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "import" {
		return runCentralImport(ctx, args[1:])
	}
	fs := flag.NewFlagSet("central", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8700", "address to listen on")
	data, db := centralStore(fs)
	silent := fs.Duration("silent-after", central.DefaultSilentAfter, "flag a device in the fleet view after this long without a batch or a health report")
	maxBatches := fs.Int("max-batches", central.DefaultMaxBatches, "batches taken at once; beyond it a batch is answered 503 with Retry-After")
	enrol := fs.String("enrol", "", "enrol (or re-key) this device id, print its token and exit")
	cert := fs.String("tls-cert", "", "certificate file (needed to listen beyond loopback)")
	key := fs.String("tls-key", "", "key file")
	headerTimeout := fs.Duration("header-timeout", central.DefaultHeaderTimeout, "cut off a client whose request headers take longer")
	bodyTimeout := fs.Duration("body-timeout", central.DefaultBodyTimeout, "cut off a client whose whole request, body included, takes longer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := central.OpenStore(ctx, *db, *data)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.Logger = slog.Default()
	srv.SilentAfter, srv.MaxBatches = *silent, *maxBatches
	srv.HeaderTimeout, srv.BodyTimeout = *headerTimeout, *bodyTimeout
	if *enrol != "" {
		token, err := srv.EnrolDevice(ctx, *enrol)
		if err != nil {
			return err
		}
		fmt.Println(token)
		return nil
	}
	srv.AdminToken = os.Getenv("GISE_CENTRAL_ADMIN_TOKEN")
	if srv.AdminToken == "" {
		slog.Warn("GISE_CENTRAL_ADMIN_TOKEN is not set: the /admin/v1 endpoints are off")
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" && *cert == "" {
		return errors.New("listening beyond loopback needs --tls-cert and --tls-key")
	}
	hs := srv.HTTPServer(*listen)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	store := "sqlite:" + *data
	if *db != "" {
		store = "postgres"
	}
	slog.Info("central listening", "addr", *listen, "store", store)
	if *cert != "" {
		err = hs.ListenAndServeTLS(*cert, *key)
	} else {
		err = hs.ListenAndServe()
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// runCentralDevices prints the fleet view: every enrolled terminal with its
// latest health report, the silent ones marked (gise central devices).
func runCentralDevices(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("central devices", flag.ContinueOnError)
	data, db := centralStore(fs)
	silent := fs.Duration("silent-after", central.DefaultSilentAfter, "mark a device silent after this long without a batch or a health report")
	asJSON := fs.Bool("json", false, "print the list as GET /admin/v1/devices gives it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := central.OpenStore(ctx, *db, *data)
	if err != nil {
		return err
	}
	defer srv.Close()
	list, err := srv.Fleet(ctx, *silent)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"silent_after_s": int64(*silent / time.Second), "devices": list})
	}
	return central.WriteFleetTable(os.Stdout, list, time.Now())
}
