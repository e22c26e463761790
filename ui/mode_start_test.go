package ui

import (
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// TestTheModeSurvivesARestart: an admin's switch to self-service is kept,
// and a kiosk started with that mode (after a crash or a power cut) opens
// the citizen's welcome, full screen, with nobody logged in; a clerk's
// way back to the counter is kept too.
func TestTheModeSurvivesARestart(t *testing.T) {
	r := newRig(t)
	var kept []string
	r.with(func(s *Services) {
		s.SaveSettings = func(c config.Config) error { kept = append(kept, c.Mode); return config.SaveTerminal(c) }
	})
	r.login(app.RoleAdmin)
	r.k.onSelfService()
	r.k.Wait()
	r.wantScreen(screenSelf)
	if len(kept) != 1 || kept[0] != config.ModeSelfService {
		t.Fatalf("the switch to self-service is not kept: %v", kept)
	}
	restarted := config.Default()
	restarted.DataDir = r.k.svc.Config.DataDir
	if err := restarted.ApplyTerminal(); err != nil || restarted.Mode != config.ModeSelfService {
		t.Fatalf("mode at the next start %q (%v)", restarted.Mode, err)
	}

	again := newRig(t)
	again.tm.Session(app.RoleAdmin) // an account exists: no first-run setup
	again.k.svc.Config.Mode = config.ModeSelfService
	if err := again.k.Start(again.ctx); err != nil {
		t.Fatal(err)
	}
	defer again.k.Stop()
	again.wantScreen(screenSelf)
	if again.k.sess != nil || !again.w.FullScreen() {
		t.Error("a start in self-service must be full screen with nobody logged in")
	}

	r.k.leaveSelfService(r.tm.Session(app.RoleClerk))
	if kept[len(kept)-1] != config.ModeCounter {
		t.Errorf("the way back to the counter is not kept: %v", kept)
	}
}
