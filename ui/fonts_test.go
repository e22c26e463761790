package ui

import (
	"go/ast"
	"testing"
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
