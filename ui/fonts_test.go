package ui

import (
	"go/ast"
	"testing"
)

// TestTextStyles holds the screens to the three text styles the theme's
// comment allows: a fyne.TextStyle literal may set Bold or Monospace, one of
// them, and nothing else. Every other style makes Fyne parse two more fonts
// and keep them.
func TestTextStyles(t *testing.T) {
	fset, files := parseFiles(t, "*.go")
	found := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
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
				kv, ok := e.(*ast.KeyValueExpr)
				key, _ := kv.Key.(*ast.Ident)
				if !ok || key == nil || (key.Name != "Bold" && key.Name != "Monospace") {
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
