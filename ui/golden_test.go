package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kocasinan/gise/app"
)

// TestGoldenLayouts keeps the main layouts in markup masters under
// testdata/: a change that moves, hides or relabels something shows up as a
// readable diff in review. Regenerate a master by deleting it, running the
// test, and copying testdata/failed/NAME over it after reading the diff.
func TestGoldenLayouts(t *testing.T) {
	r := newRig(t)
	r.k.show(screenLogin)
	test.AssertRendersToMarkup(t, "login.xml", r.w.Canvas())
	r.k.show(screenSelf)
	test.AssertRendersToMarkup(t, "self_welcome.xml", r.w.Canvas())
	r.login(app.RoleClerk)
	r.k.shell.badge.SetText("")
	test.AssertRendersToMarkup(t, "home.xml", r.w.Canvas())
	r.k.register.begin()
	r.k.show(screenRegister)
	test.AssertRendersToMarkup(t, "register.xml", r.w.Canvas())
}
