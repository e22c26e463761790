package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/sqlite"
)

// terminalHealth returns the sync worker's HealthInfo hook: what only the
// terminal's main knows for the health report sent after each round (the
// version, the free space where the store lives, the receipt printer's
// state, asked of CUPS with a short deadline).
func terminalHealth(cfg config.Config) func(context.Context, *app.HealthReport) {
	return func(ctx context.Context, h *app.HealthReport) {
		h.Version = version // the stamped build version (cmd_version.go)
		if free, err := sqlite.FreeBytes(cfg.DataDir); err == nil {
			h.FreeDiskBytes = &free
		}
		h.Printer = printerState(ctx, cfg.Printer.Name)
	}
}

// printerState is ok, paused, stopped, unreachable, or none when no queue
// is set.
func printerState(ctx context.Context, queue string) string {
	if queue == "" {
		return "none"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	st, err := cups.New(nil, slog.New(slog.DiscardHandler)).CheckQueue(ctx, queue)
	switch {
	case err != nil || !st.Exists:
		return "unreachable"
	case st.Stopped:
		return "stopped"
	case !st.Accepting:
		return "paused"
	default:
		return "ok"
	}
}
