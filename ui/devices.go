package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kocasinan/gise/app"
)

// mrzRetry is how long the serial reader's loop waits before opening a
// port again that would not open or that failed.
const mrzRetry = 5 * time.Second

// setupWedge sends every keystroke of the counter screens through the
// wedge: those aimed at the kiosk's own entries and buttons (see entry,
// wedgeButton) and those typed with nothing focused.
func (k *Kiosk) setupWedge() {
	k.wedge = &wedge{clock: realClock{}, active: k.wedgeActive, claim: k.onDeviceText}
	k.keys.wedge = k.wedge
	k.post = fyne.Do
	c := k.win.Canvas()
	c.SetOnTypedRune(func(r rune) { k.wedge.typed(nil, wedgeKey{r: r}) })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { k.wedge.typed(nil, wedgeKey{key: e}) })
}

// wedgeActive reports whether a clerk's counter screen is in front: the
// login, the lock and self-service type as they always did.
func (k *Kiosk) wedgeActive() bool {
	switch k.shown {
	case screenLogin, screenSetup, screenLock, screenSelf, "":
		return false
	}
	return k.sess != nil
}

// onDeviceText takes what a device read: a machine-readable zone goes to
// the register or the citizen screen; a receipt's QR code (the status
// link) or a printed tracking code opens the tracking lookup. It reports
// whether text was a device's read at all.
func (k *Kiosk) onDeviceText(text string) bool {
	if isZone(text) {
		switch k.shown {
		case screenRegister:
			k.register.onMRZ(text)
		case screenCitizen:
			k.citizen.onMRZ(text)
		default:
			k.shell.setStatus(lang.L("mrz.elsewhere"))
		}
		return true
	}
	if code, ok := trackingCodeIn(text, k.svc.Config.Municipality.StatusURL); ok {
		k.touch()
		k.track.lookup(code)
		k.show(screenTrack)
		return true
	}
	return false
}

// isZone reports whether text has the shape of a machine-readable zone:
// it reads, or fails on a field (a check digit, a date), not on its shape
// or a character no reader types.
func isZone(text string) bool {
	_, err := app.ParseMRZ(text)
	var me *app.MRZError
	return err == nil || errors.As(err, &me) && me.Field != "zone" && me.Field != "character"
}

// trackingCodeIn finds the tracking code in a scanned receipt: the status
// link's last part (base is the configured link) or the code alone.
func trackingCodeIn(text, base string) (string, bool) {
	s := strings.TrimSpace(text)
	switch {
	case base != "" && strings.HasPrefix(s, base):
		s = strings.Trim(s[len(base):], "/")
	case strings.Contains(s, "://"), strings.ContainsAny(s, "\n/"):
		return "", false
	}
	code, err := app.ParseTrackingCode(s)
	if err != nil {
		return "", false
	}
	return code.String(), true
}

// startMRZReader reads zones from the serial reader the Administration
// screen chose, until stopMRZReader; a port that fails is opened again
// every mrzRetry. Without a port or an adapter it does nothing.
func (k *Kiosk) startMRZReader() {
	k.stopMRZReader()
	set := k.svc.Config.MRZReader
	if k.svc.OpenMRZReader == nil || set.Port == "" {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	k.mrzStop = func() { cancel(); <-done }
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			k.readPort(ctx, set.Port, set.Baud)
			select {
			case <-ctx.Done():
			case <-time.After(mrzRetry):
			}
		}
	}()
}

// readPort opens the port and hands each zone to the screen in front.
func (k *Kiosk) readPort(ctx context.Context, port string, baud int) {
	r, err := k.svc.OpenMRZReader(port, baud)
	if err != nil {
		k.svc.Log.Warn("mrz reader", "port", port, "err", err)
		return
	}
	defer r.Close()
	for {
		text, err := r.Read(ctx)
		if err != nil {
			if ctx.Err() == nil {
				k.svc.Log.Warn("mrz reader", "port", port, "err", err)
			}
			return
		}
		k.post(func() {
			if k.wedgeActive() && isZone(text) {
				k.onDeviceText(text)
			}
		})
	}
}

// stopMRZReader ends the serial reader's loop and waits for it.
func (k *Kiosk) stopMRZReader() {
	if k.mrzStop != nil {
		k.mrzStop()
		k.mrzStop = nil
	}
}
