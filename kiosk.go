package main

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
	"github.com/kocasinan/gise/assets"
)

// runKiosk opens the store and shows the kiosk window until it is closed.
func runKiosk(cfg config.Config) error {
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
