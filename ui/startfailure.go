package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// startFailure is the one screen of a kiosk that must not run: the terminal
// key is missing beside its database, the key does not open it, or the
// database file is damaged. It says what happened and how to recover (the
// domain error's sentence names the commands), and offers nothing but
// closing: no screen that could write is built.
type startFailure struct {
	title   *widget.Label
	message *widget.Label
	code    *widget.Label
	quit    *widget.Button
	box     *fyne.Container
}

// ShowStartFailure puts the start-failure screen for err in w, in the
// given language ("tr" or "en"); quit closes the program. main calls it
// instead of New when the store cannot be opened, and from a background
// check (through fyne.Do) when the database is found damaged later.
func ShowStartFailure(a fyne.App, w fyne.Window, language string, err error, quit func()) {
	setLanguage(language)
	a.Settings().SetTheme(newKioskTheme(false))
	w.SetContent(newStartFailure(err, quit).box)
}

func newStartFailure(err error, quit func()) *startFailure {
	s := &startFailure{
		title:   &widget.Label{Text: lang.L("startfailure.title"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText},
		message: &widget.Label{Text: message(err), Wrapping: fyne.TextWrapWord},
		code:    &widget.Label{Text: lang.L("startfailure.code", map[string]any{"Code": app.ErrorCode(err)})},
		quit:    &widget.Button{Text: lang.L("startfailure.quit"), OnTapped: quit, Importance: widget.HighImportance},
	}
	s.box = container.NewPadded(container.NewVBox(layout.NewSpacer(), s.title, s.message, s.code,
		container.NewHBox(s.quit), layout.NewSpacer()))
	return s
}
