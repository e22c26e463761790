package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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

// compact lays text that is read, not touched (a field's label, its hint
// and its message), one under another with 2 px between them and 2 px of
// inner padding instead of the theme's 14: with the theme's padding a
// label, its hint and its message took 150 px of height for one input.
func compact(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(tight{pad: 2, gap: 2}, objs...)
}

// tight lays objects out one under another, gap apart, and draws each
// label and rich text with inner padding pad instead of the theme's by
// giving it the difference outside its cell on every side. It is what a
// theme override with a smaller padding looked like, without one: in Fyne
// 2.7 every container.ThemeOverride made or refreshed is a new theme
// scope, and the painter parses the fonts again for each scope it meets
// (about 3.7 MB a text style) and keeps them until the theme changes. Two
// overrides a form field, refreshed at every message shown, held 39 MB
// of the soak's 53 MB live heap.
type tight struct{ pad, gap float32 }

// inset is how far o reaches outside its cell on each side.
func (l tight) inset(o fyne.CanvasObject) float32 {
	switch o.(type) {
	case *widget.Label, *widget.RichText, *tapLabel: // the text widgets padded by InnerPadding
		return max(0, theme.SizeForWidget(theme.SizeNameInnerPadding, o.(fyne.Widget))-l.pad)
	}
	return 0
}

// MinSize implements fyne.Layout.
func (l tight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	shown := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		in, m := l.inset(o), o.MinSize()
		size.Width = max(size.Width, m.Width-2*in)
		size.Height += m.Height - 2*in
		shown++
	}
	if shown > 1 {
		size.Height += l.gap * float32(shown-1)
	}
	return size
}

// Layout implements fyne.Layout.
func (l tight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var y float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		in := l.inset(o)
		o.Resize(fyne.NewSize(size.Width+2*in, o.MinSize().Height))
		h := o.MinSize().Height // a wrapped label's, at its new width
		o.Resize(fyne.NewSize(size.Width+2*in, h))
		o.Move(fyne.NewPos(-in, y-in))
		y += h - 2*in + l.gap
	}
}
