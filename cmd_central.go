package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/sync/central"
)

func init() {
	subcommands["central"] = subcommand{summary: "run the reference central server (gise central --listen 127.0.0.1:8700 --data ./central); gise central import FILE imports a USB bundle", run: runCentral}
}

func runCentral(ctx context.Context, _ config.Config, args []string) error {
	if len(args) > 0 && args[0] == "import" {
		return runCentralImport(ctx, args[1:])
	}
	fs := flag.NewFlagSet("central", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8700", "address to listen on")
	data := fs.String("data", "./central", "folder of the central's database and attachments")
	enrol := fs.String("enrol", "", "enrol (or re-key) this device id, print its token and exit")
	cert := fs.String("tls-cert", "", "certificate file (needed to listen beyond loopback)")
	key := fs.String("tls-key", "", "key file")
	headerTimeout := fs.Duration("header-timeout", central.DefaultHeaderTimeout, "cut off a client whose request headers take longer")
	bodyTimeout := fs.Duration("body-timeout", central.DefaultBodyTimeout, "cut off a client whose whole request, body included, takes longer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := central.Open(ctx, *data)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.Logger = slog.Default()
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
	slog.Info("central listening", "addr", *listen, "data", *data)
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
