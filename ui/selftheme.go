package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// selfTheme is the kiosk's theme at a citizen's reading distance: text of
// 24 px (UX.md: ≥23 px at 15″ 1024×768), larger headings, and the colours
// of whatever theme the application has now (the high-contrast switch
// included), asked for at every call. Text that is read, not touched
// (labels, hints, messages), is laid out tighter (compactText), so that a
// question, its messages and the keyboard fit 768 pixels.
type selfTheme struct{}

// selfTouch is the height of a self-service target: 20 mm at 15″
// 1024×768 is 67 px (UX.md); 72 leaves room for the dead space around it.
const selfTouch = 72

// Size implements fyne.Theme.
func (selfTheme) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameText:
		return 24
	case theme.SizeNameHeadingText:
		return 34
	case theme.SizeNameSubHeadingText:
		return 28
	case theme.SizeNamePadding:
		return 4
	}
	return appTheme().Size(name)
}

// compactText lays read-only text out with 4 px of inner padding instead
// of the self-service theme's 10 (tight).
func compactText(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(tight{pad: 4, gap: 4}, objs...)
}

// Color implements fyne.Theme. On the light theme, messages are drawn in
// a darker red and amber than Fyne's, which reach only 3.7:1 and 2.2:1 on
// white; these reach 4.5:1 (UX.md, after WCAG 1.4.3).
func (selfTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	base := appTheme()
	if k, ok := base.(*kioskTheme); !ok || !k.contrast {
		switch name {
		case theme.ColorNameError:
			return color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff} // 6.5:1 on white
		case theme.ColorNameWarning:
			return color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff} // 6.8:1 on white
		}
	}
	return base.Color(name, v)
}

// Font implements fyne.Theme.
func (selfTheme) Font(s fyne.TextStyle) fyne.Resource { return appTheme().Font(s) }

// Icon implements fyne.Theme.
func (selfTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return appTheme().Icon(n) }

func appTheme() fyne.Theme {
	if a := fyne.CurrentApp(); a != nil && a.Settings().Theme() != nil {
		return a.Settings().Theme()
	}
	return theme.DefaultTheme()
}

// steadyTheme holds a theme override and passes a refresh on to its
// content, applying the override again only when the application's theme
// has changed (the high-contrast switch). In Fyne 2.7 every
// ThemeOverride.Refresh is a new theme scope, for which the painter parses
// the fonts again and keeps them until the theme changes; the window's
// stack refreshes the screen it shows, so each visit to self-service mode
// kept another 8–10 MB.
type steadyTheme struct {
	widget.BaseWidget
	over  *container.ThemeOverride
	theme fyne.Theme // the application's when the override was applied
}

func newSteadyTheme(obj fyne.CanvasObject, th fyne.Theme) *steadyTheme {
	s := &steadyTheme{over: container.NewThemeOverride(obj, th), theme: appTheme()}
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer implements fyne.Widget.
func (s *steadyTheme) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.over) }

// Refresh implements fyne.CanvasObject.
func (s *steadyTheme) Refresh() {
	if th := appTheme(); th != s.theme {
		s.theme = th
		s.over.Refresh()
		return
	}
	s.over.Content.Refresh()
}
