package ui

import (
	"testing"

	"github.com/kocasinan/gise/app"
)

// The tracking screen opens empty every time, however it was left: typing
// a code after Ctrl+3 must not append to the one typed on the last visit
// (which also grew a text texture a keystroke without end in the soak).
func TestTrackOpensEmptyAfterLeavingByShortcut(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleClerk)
	track := r.k.track
	for _, open := range []func(){
		func() { r.k.shortcuts["CustomDesktop:Control+3"]() },
		func() { r.k.show(screenHome); r.tap(r.k.home.track) },
	} {
		open()
		r.wantScreen(screenTrack)
		r.typeInto(track.code, "K7QM-4X29-PQ7C")
		track.onLookup()
		r.k.shortcuts["CustomDesktop:Control+4"]() // away without the home button
		open()
		if track.code.Text != "" || track.result.facts.Text != "" || track.result.box.Visible() {
			t.Fatalf("the tracking screen kept %q / %q from the last visit", track.code.Text, track.result.facts.Text)
		}
	}
}
