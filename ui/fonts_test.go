package ui

import (
	"go/ast"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestTextStyles holds the screens to the three text styles the theme's
// comment allows: a fyne.TextStyle literal may set Bold or Monospace, one of
// them, and nothing else, and no field of a style is set to Italic,
// Underline or Symbol. Every other style makes Fyne parse two more fonts and
// keep them.
func TestTextStyles(t *testing.T) {
	fset, files := parseFiles(t, "*.go")
	found := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "Italic", "Underline", "Symbol":
					t.Errorf("%s: .%s: a text style the kiosk does not use", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "TextStyle" {
				return true
			}
			found++
			if len(lit.Elts) > 1 {
				t.Errorf("%s: a text style that combines %d fields: use bold or monospace alone", fset.Position(lit.Pos()), len(lit.Elts))
			}
			for _, e := range lit.Elts {
				var key *ast.Ident
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					key, _ = kv.Key.(*ast.Ident)
				}
				if key == nil || (key.Name != "Bold" && key.Name != "Monospace") {
					t.Errorf("%s: text style %s: only Bold or Monospace", fset.Position(e.Pos()), exprString(fset, e))
				}
			}
			return true
		})
	}
	if found < 5 {
		t.Fatalf("found %d text style literals: the scan is not reading the screens", found)
	}
}

// TestThemeOverridesAreSteady holds the screens to one theme override, the
// self-service screen's, made through newSteadyTheme: every
// container.ThemeOverride made or refreshed is a new theme scope, for which
// Fyne parses the fonts again and keeps them (tight lays compact text out
// without one).
func TestThemeOverridesAreSteady(t *testing.T) {
	fset, files := parseFiles(t, "*.go")
	made := 0
	for _, f := range files {
		var fn string
		ast.Inspect(f, func(n ast.Node) bool {
			if d, ok := n.(*ast.FuncDecl); ok {
				fn = d.Name.Name
			}
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "NewThemeOverride" && sel.Sel.Name != "OverrideTheme") {
				return true
			}
			if fn != "newSteadyTheme" || strings.HasSuffix(fset.Position(sel.Pos()).Filename, "_test.go") {
				t.Errorf("%s: %s outside newSteadyTheme", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			made++
			return true
		})
	}
	if made != 1 {
		t.Fatalf("found %d theme overrides made, want newSteadyTheme's one", made)
	}
}

// TestSteadyThemeKeepsItsScope: refreshing the self-service screen (the
// window's stack does it at every visit) leaves its theme as it was; a new
// application theme (the contrast switch) is applied through it.
func TestSteadyThemeKeepsItsScope(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newKioskTheme(false))
	label := widget.NewLabel("Başvuru")
	s := newSteadyTheme(container.NewVBox(label), selfTheme{})
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(400, 300))
	before := theme.CurrentForWidget(label)
	if got := theme.SizeForWidget(theme.SizeNameText, label); got != 24 {
		t.Fatalf("text size %v under the self-service theme, want 24", got)
	}
	s.Refresh()
	w.Content().Refresh()
	if theme.CurrentForWidget(label) != before {
		t.Error("a refresh applied the override again: a new theme scope, the fonts parsed again")
	}
	a.Settings().SetTheme(newKioskTheme(true))
	s.Refresh()
	after := theme.CurrentForWidget(label)
	if after == before {
		t.Error("the contrast switch did not reach the self-service screen")
	}
	if got := theme.SizeForWidget(theme.SizeNameText, label); got != 24 {
		t.Errorf("text size %v after the switch, want 24", got)
	}
}

// TestTightDrawsTextAtItsPadding: a label in tight has its text pad from
// its cell's edges, and the cells follow each other gap apart, at the
// height the label's wrapped text takes.
func TestTightDrawsTextAtItsPadding(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newKioskTheme(false))
	label := &widget.Label{Text: "Doğum tarihi", TextStyle: fyne.TextStyle{Bold: true}}
	hint := &widget.Label{Text: strings.Repeat("Gün, ay ve yıl; örneğin 05.03.1987. ", 6), Wrapping: fyne.TextWrapWord}
	box := compact(label, hint)
	w := test.NewTempWindow(t, container.NewVBox(box))
	w.Resize(fyne.NewSize(420, 600))
	inner := theme.SizeForWidget(theme.SizeNameInnerPadding, label)
	in := inner - 2
	if label.Position() != fyne.NewPos(-in, -in) {
		t.Errorf("label at %v, want %v", label.Position(), fyne.NewPos(-in, -in))
	}
	lh := label.MinSize().Height - 2*in
	if want := fyne.NewPos(-in, lh+2-in); hint.Position() != want {
		t.Errorf("hint at %v, want %v", hint.Position(), want)
	}
	one := fyne.MeasureText("Gün", theme.SizeForWidget(theme.SizeNameText, hint), fyne.TextStyle{}).Height
	if hint.MinSize().Height < 3*one {
		t.Errorf("hint %v high: not wrapped at the cell's width", hint.MinSize().Height)
	}
	if want := lh + 2 + hint.MinSize().Height - 2*in; box.MinSize().Height != want {
		t.Errorf("box %v high, want %v", box.MinSize().Height, want)
	}
	hint.Hide()
	if want := lh; box.MinSize().Height != want {
		t.Errorf("box %v high with the hint hidden, want %v", box.MinSize().Height, want)
	}
}
