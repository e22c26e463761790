// Command gise is the Gişe kiosk: municipal service-counter software that
// registers citizens, records paper complaints and requests, proves the KVKK
// notice was given, and delivers every record to the central API when the
// network is there.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gise:", err)
		os.Exit(1)
	}
}

func run() error {
	configPath := flag.String("config", "", "TOML settings file (optional)")
	dataDir := flag.String("data-dir", "", "folder for the database, attachments and keys (default: $XDG_DATA_HOME/gise)")
	flag.Parse()
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	store, err := sqlite.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer store.Close()
	store.TerminalID = cfg.TerminalID
	slog.Info("store open", "terminal", cfg.TerminalID, "data_dir", cfg.DataDir)

	fyneapp.SetMetadata(fyne.AppMetadata{ID: "tr.bel.kocasinan.gise", Name: "Gişe", Version: "0.1.0",
		Icon: assets.Icon, Migrations: map[string]bool{"fyneDo": true}})
	a := fyneapp.NewWithID("tr.bel.kocasinan.gise")
	w := a.NewWindow("Gişe — " + cfg.Municipality.Name)
	w.SetContent(widget.NewLabel("Gişe hazır."))
	w.Resize(fyne.NewSize(1024, 768))
	w.ShowAndRun()
	return nil
}
