package sync

import (
	"context"
	"log/slog"
	"time"

	"filippo.io/age"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
	"github.com/kocasinan/gise/app/keys"
)

// DeviceKeySource derives the terminal's device keys (*keys.Sealer).
type DeviceKeySource interface {
	DeviceKeys(id byte) (keys.DeviceKeys, error)
}

// USB is the terminal's side of USB transfer (app.USBTransfer): bundles of
// the pending records written to a medium, and the central's receipts
// applied from one. Exporting marks nothing delivered: the records stay
// pending, shown as "USB'de", and the worker still sends them if the
// network comes back first; whichever answer comes second finds them
// delivered already and changes nothing.
type USB struct {
	Store  app.BundleStore
	Keys   DeviceKeySource
	Logger *slog.Logger
	Now    func() time.Time
	// Limits bound the files written and read; the zero value means
	// bundle.DefaultLimits.
	Limits bundle.Limits
}

var _ app.USBTransfer = (*USB)(nil)

func (u *USB) limits() bundle.Limits {
	if u.Limits.File == 0 {
		return bundle.DefaultLimits
	}
	return u.Limits
}

func (u *USB) now() time.Time {
	if u.Now != nil {
		return u.Now()
	}
	return time.Now()
}

func (u *USB) log() *slog.Logger {
	if u.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return u.Logger
}

// identity is what one export or receipt needs of the enrolment: the
// saved keys and the device keys derived for them.
type identity struct {
	saved  app.BundleKeys
	device keys.DeviceKeys
	to     *age.X25519Recipient
}

// identity loads the bundle keys; a terminal without them gets the
// sentence that says to enrol it again while the network is there.
func (u *USB) identity(ctx context.Context) (identity, error) {
	saved, err := u.Store.BundleKeys(ctx)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return identity{}, bundle.Refuse(bundle.CodeNoKeys, "no bundle keys saved")
	}
	if err != nil {
		return identity{}, err
	}
	dk, err := u.Keys.DeviceKeys(saved.KeyID)
	if err != nil {
		return identity{}, bundle.Refuse(bundle.CodeNoKeys, "the terminal key the device keys derive from is missing: "+err.Error())
	}
	to, err := age.ParseX25519Recipient(saved.CentralAge)
	if err != nil {
		return identity{}, bundle.Refuse(bundle.CodeNoKeys, "the central's recipient is unreadable")
	}
	return identity{saved: saved, device: dk, to: to}, nil
}

// mayTransfer refuses anyone but a supervisor or an admin: a transfer
// carries the terminal's personal data off it.
func mayTransfer(actor app.Actor) error {
	if !actor.MaySupervise() {
		return app.Errorf(app.EPERMISSION, "USB aktarımını yalnızca amir ya da yönetici yapabilir.")
	}
	return nil
}

// OnUSB implements app.USBTransfer.
func (u *USB) OnUSB(ctx context.Context) (int, error) { return u.Store.OnUSB(ctx) }
