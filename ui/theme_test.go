package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/kocasinan/gise/app"
)

// Every colour text is drawn in reads at 4.5:1 or more on the background and
// on an entry's background (WCAG SC 1.4.3), in both themes: Fyne's own
// success green and warning orange read at about 2:1 on white.
func TestThemeTextContrast(t *testing.T) {
	text := []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameSuccess, theme.ColorNameWarning,
		theme.ColorNameError, theme.ColorNamePrimary}
	for _, contrast := range []bool{false, true} {
		th := newKioskTheme(contrast)
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground} {
			for _, fg := range text {
				if r := contrastRatio(th.Color(fg, theme.VariantLight), th.Color(bg, theme.VariantLight)); r < 4.5 {
					t.Errorf("contrast theme %v: %s on %s reads at %.2f:1, want at least 4.5:1", contrast, fg, bg, r)
				}
			}
		}
	}
}

// Borders of entries, check boxes and radio rings read at 3:1 or more
// (WCAG SC 1.4.11).
func TestThemeBorderContrast(t *testing.T) {
	for _, contrast := range []bool{false, true} {
		th := newKioskTheme(contrast)
		if r := contrastRatio(th.Color(theme.ColorNameInputBorder, theme.VariantLight),
			th.Color(theme.ColorNameBackground, theme.VariantLight)); r < 3 {
			t.Errorf("contrast theme %v: input borders read at %.2f:1, want at least 3:1", contrast, r)
		}
	}
}

func contrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// luminance is WCAG's relative luminance of c over white.
func luminance(c color.Color) float64 {
	r, g, b, a := c.RGBA()
	ch := func(v uint32) float64 {
		// composite over white, then linearise
		x := (float64(v) + float64(0xffff-a)) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

// No screen asks for more room than the smallest window gives (1024×768
// less the bar): a taller minimum makes the real window grow past the
// screen, and the bottom buttons fall off it.
func TestEveryScreenFitsTheSmallestWindow(t *testing.T) {
	r := newRig(t)
	r.login(app.RoleSupervisor)
	bar := r.k.shell.top.MinSize().Height
	for name, v := range r.k.views {
		for _, lang := range []string{"tr", "en"} {
			if lang != current {
				r.k.toggleLanguage()
			}
			if m := v.root().MinSize(); m.Width > 1024 || m.Height > 768-bar {
				t.Errorf("%s (%s) needs %.0f×%.0f, more than 1024×%.0f", name, lang, m.Width, m.Height, 768-bar)
			}
		}
	}
}
