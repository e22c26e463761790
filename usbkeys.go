package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	gsync "github.com/kocasinan/gise/sync"
)

// registerUSBKeysAfterEnrolment registers the terminal's device keys for
// USB bundles with the central once an admin saved the enrolment on the
// Administration screen, as gise enrol does, off the UI goroutine; the
// outcome goes to the log (a central that does not answer leaves USB
// transfer off until the next save or gise enrol).
func registerUSBKeysAfterEnrolment(ctx context.Context, cfg config.Config, store *sqlite.Store, a *auth.Service, sealer *keys.Sealer, log *slog.Logger) {
	e, err := a.TerminalEnrolment(ctx)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s := gsync.Settings{BaseURL: e.CentralURL, DeviceID: e.DeviceID, Token: e.Token,
		PinSHA256: cfg.Central.PinSHA256, AllowPlainHTTP: cfg.Central.AllowPlainHTTP}
	actor := app.Actor{Username: "system", Role: app.RoleAdmin}
	if err := gsync.RegisterBundleKeys(ctx, s, store, sealer, sealer.ActiveKeyID(), actor); err != nil {
		log.Warn("USB transfer keys not registered with the central", "err", err)
		return
	}
	log.Info("USB transfer keys registered with the central", "device", e.DeviceID)
}
