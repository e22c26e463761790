package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/kocasinan/gise/app"
)

// TestScreenshotsMRZ renders the MRZ steps for the README, in Turkish and
// English: the register form just filled by a read card, and the citizen
// page after a read that matched (and one of an expired card). It runs
// only when GISE_SCREENSHOTS names the folder (make screenshots).
func TestScreenshotsMRZ(t *testing.T) {
	dir := os.Getenv("GISE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set GISE_SCREENSHOTS to a folder (make screenshots)")
	}
	for _, lang := range []string{"tr", "en"} {
		r := newRig(t)
		if lang == "en" {
			r.k.toggleLanguage()
		}
		r.w.Resize(fyne.NewSize(1280, 800))
		r.login(app.RoleClerk)
		clock := r.wedgeOn()
		card, zone := turkishCard("")
		r.registerForm()
		r.keyboard(clock, zone+"\n", readerGap)
		clock.advance(wedgeQuiet)
		shot(t, r, "register-mrz")
		r.w.Resize(fyne.NewSize(1280, 1024)) // the whole identity check in view
		s := r.citizenPage(t, card)
		r.keyboard(clock, zone+"\n", readerGap)
		clock.advance(wedgeQuiet)
		shot(t, r, "citizen-mrz")
		s.open(s.citizen, s.visit) // the page afresh, for another card
		expired := card
		expired.Expiry = "250101"
		r.keyboard(clock, expired.TD1()+"\n", readerGap)
		clock.advance(wedgeQuiet)
		shot(t, r, "citizen-mrz-expired")
	}
}
