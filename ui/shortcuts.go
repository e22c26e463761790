package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// addShortcuts makes every counter flow reachable from the keyboard:
// Ctrl+1…6 open the flows (as the home screen's buttons do), Ctrl+S saves
// the form in front, Ctrl+H goes home, Ctrl+L locks and Ctrl+Q logs out.
// They do nothing without a session.
func (k *Kiosk) addShortcuts(flows homeMoves) {
	for name, open := range map[fyne.KeyName]func(){fyne.Key1: flows.register, fyne.Key2: flows.complaint,
		fyne.Key3: flows.track, fyne.Key4: flows.sync, fyne.Key5: flows.admin, fyne.Key6: flows.applications} {
		k.shortcut(name, open)
	}
	k.shortcut(fyne.KeyS, k.saveShown)
	k.shortcut(fyne.KeyH, func() { k.show(screenHome) })
	k.shortcut(fyne.KeyL, k.lockNow)
	k.shortcut(fyne.KeyQ, k.onLogout)
}

func (k *Kiosk) shortcut(name fyne.KeyName, do func()) {
	sc := &desktop.CustomShortcut{KeyName: name, Modifier: fyne.KeyModifierControl}
	run := func() {
		if k.sess == nil || k.shown == screenLock || k.shown == screenSelf {
			return
		}
		k.touch()
		k.wedge.flush() // keys typed before the shortcut reach their field first
		do()
	}
	k.shortcuts[sc.ShortcutName()] = run
	k.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { run() })
}

// saveShown saves the form in front, when it has one.
func (k *Kiosk) saveShown() {
	switch k.shown {
	case screenRegister:
		k.register.onSave()
	case screenComplaint:
		k.complaint.onSave()
	}
}

// AcceptsTab makes Tab move to the next field even in a multi-line entry:
// the description must not swallow the keyboard user's way out.
func (e *entry) AcceptsTab() bool { return false }
