package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// kioskTheme enlarges Fyne's default theme for a counter and a touch screen:
// larger text, and padding that makes every button and entry at least 48 px
// tall. With contrast on it draws white on black with yellow accents.
type kioskTheme struct {
	fyne.Theme
	contrast bool
}

func newKioskTheme(contrast bool) *kioskTheme {
	return &kioskTheme{Theme: theme.DefaultTheme(), contrast: contrast}
}

// Size implements fyne.Theme.
func (t *kioskTheme) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameText:
		return 18
	case theme.SizeNameHeadingText:
		return 28
	case theme.SizeNameSubHeadingText:
		return 22
	case theme.SizeNameInnerPadding:
		return 14
	case theme.SizeNamePadding:
		return 6
	case theme.SizeNameInputBorder:
		return 2
	case theme.SizeNameScrollBar:
		return 16
	}
	return t.Theme.Size(name)
}

// Color implements fyne.Theme.
func (t *kioskTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if !t.contrast {
		switch name {
		case theme.ColorNamePrimary:
			return color.NRGBA{R: 0x0b, G: 0x4f, B: 0x8a, A: 0xff} // the municipality's blue
		// Fyne's light greens, oranges and reds read at about 2-3.7:1 on
		// white; messages need 4.5:1 (WCAG SC 1.4.3).
		case theme.ColorNameSuccess:
			return color.NRGBA{R: 0x1b, G: 0x6b, B: 0x2a, A: 0xff} // 6.4:1
		case theme.ColorNameWarning:
			return color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff} // 6.6:1
		case theme.ColorNameError:
			return color.NRGBA{R: 0xb3, G: 0x1b, B: 0x1b, A: 0xff} // 6.5:1
		// Entry borders, check boxes and radio rings at 3:1 or more (WCAG SC
		// 1.4.11); Fyne's light grey ones all but vanish on white.
		case theme.ColorNameInputBorder:
			return color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff} // 4.5:1
		}
		return t.Theme.Color(name, theme.VariantLight)
	}
	switch name {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground:
		return color.Black
	case theme.ColorNameForeground, theme.ColorNameForegroundOnPrimary:
		return color.White
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameSelection:
		return color.NRGBA{R: 0xff, G: 0xd6, B: 0x00, A: 0xff}
	case theme.ColorNameButton:
		return color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	case theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return color.White
	case theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
		return color.NRGBA{R: 0xcc, G: 0xcc, B: 0xcc, A: 0xff}
	case theme.ColorNameError:
		return color.NRGBA{R: 0xff, G: 0x66, B: 0x66, A: 0xff}
	}
	return t.Theme.Color(name, theme.VariantDark)
}

// The kiosk draws text in three styles only: regular, bold and monospace
// (plus Fyne's symbol font). Fyne parses a font for every style it meets and
// resolves a system fallback font for it too, and keeps both for the life of
// the process: about 3.7 MB of heap a style (Noto Sans parsed ~1.5 MB,
// DejaVu Sans ~2.2–2.6 MB). Italic and bold monospace, used once each, cost
// 6 MB of the 200 MB budget; TestTextStyles keeps them out.

// compactTheme is the kiosk theme with tight padding, for the labels, hints
// and messages around a field: with the theme's 14 px inner padding a
// label, its hint and its message took 150 px of height for one input.
// It follows the application's theme of the moment (high contrast too).
type compactTheme struct{}

func (compactTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

// Size implements fyne.Theme.
func (c compactTheme) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameInnerPadding:
		return 2
	case theme.SizeNamePadding:
		return 2
	}
	return c.current().Size(name)
}

// Color implements fyne.Theme.
func (c compactTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return c.current().Color(name, v)
}

// Font implements fyne.Theme.
func (c compactTheme) Font(s fyne.TextStyle) fyne.Resource { return c.current().Font(s) }

// Icon implements fyne.Theme.
func (c compactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return c.current().Icon(n) }

// compact lays obj out with compactTheme's padding.
func compact(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, compactTheme{})
}
