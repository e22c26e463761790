package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// entry is a text field that passes the kiosk's shortcuts on: Fyne gives a
// focused field every shortcut, and a plain entry drops those it does not
// know, so Ctrl+S would do nothing while the clerk is typing.
type entry struct {
	widget.Entry
	keys *keyRoute
}

// keyRoute is where the kiosk's fields and buttons send what a plain
// widget would drop or take for itself: the keystrokes of a wedge device
// and the kiosk's shortcuts. One per kiosk; nil for a field outside one.
type keyRoute struct {
	wedge     *wedge // set once the window's wedge is up (setupWedge)
	shortcuts map[string]func()
}

// typed offers a key to the wedge; true when the wedge took it.
func (r *keyRoute) typed(to fyne.Focusable, k wedgeKey) bool {
	return r != nil && r.wedge != nil && r.wedge.typed(to, k)
}

// TypedRune implements fyne.Focusable: a keyboard-wedge device's run of
// keystrokes is the wedge's, never the field's.
func (e *entry) TypedRune(r rune) {
	if !e.keys.typed(e, wedgeKey{r: r}) {
		e.Entry.TypedRune(r)
	}
}

// TypedKey implements fyne.Focusable; see TypedRune (a reader's Enter).
func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if !e.keys.typed(e, wedgeKey{key: ev}) {
		e.Entry.TypedKey(ev)
	}
}

// TypedShortcut implements fyne.Shortcutable.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if e.keys != nil && e.keys.wedge != nil {
		e.keys.wedge.flush() // Ctrl+S saves what was typed, the last key too
	}
	if cs, ok := s.(*desktop.CustomShortcut); ok && e.keys != nil {
		if run, ok := e.keys.shortcuts[cs.ShortcutName()]; ok {
			run()
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
