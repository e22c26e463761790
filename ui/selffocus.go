package ui

import (
	"strings"

	"fyne.io/fyne/v2"
)

// The keyboard follows the focus: it shows while a field of the page in
// front has it, with the pad that field needs and shift as its next letter
// wants.

// followFocus shows the keyboard while a field of the page in front has
// the focus, with the pad that field needs, and hides it otherwise.
func (s *selfScreen) followFocus() {
	s.keyboard.Track()
	focused := s.h.canvas().Focused()
	if focused != s.lastSeen {
		s.lastSeen = focused
		s.keyboard.Follow(focused)
	}
	e, ok := focused.(*entry)
	want := ok && s.onFront(e)
	if want {
		if m := s.padFor(e); m != s.keyboard.Mode() {
			s.keyboard.SetMode(m)
			s.relayout()
		}
	}
	if want != s.keyboard.Visible() {
		s.keyboard.Hidden = !want
		s.relayout()
	}
}

// capitalNext reports whether the next letter typed into f starts a word
// of a name, or the description: shift comes on by itself there, as on a
// phone's keyboard, which saves a citizen a tap a name.
func (s *selfScreen) capitalNext(f fyne.Focusable) bool {
	switch f {
	case s.fields.firstName, s.fields.lastName:
		text := f.(*entry).Text
		return text == "" || strings.HasSuffix(text, " ") || strings.HasSuffix(text, "-")
	case s.desc:
		return s.desc.Text == ""
	}
	return false
}

// padFor is the keyboard a field needs.
func (s *selfScreen) padFor(e *entry) padMode {
	switch e {
	case s.fields.nationalID, s.exit.code:
		return padDigits
	case s.fields.phone:
		return padPhone
	case s.fields.birthDate:
		return padDate
	}
	return padLetters
}

// onFront reports whether e is on the page in front.
func (s *selfScreen) onFront(e *entry) bool {
	found := false
	for _, p := range s.pages {
		if p.Visible() {
			walkTree(p, false, func(o fyne.CanvasObject) {
				found = found || o == fyne.CanvasObject(e)
			})
		}
	}
	return found
}
