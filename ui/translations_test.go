package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/kvkk"
	"github.com/kocasinan/gise/assets"
)

// Issue 6: Turkish first, English complete, every text through lang with its
// translations in assets/translations. TestTranslationKeys reads the screens'
// source and checks that every key they can ask for is in both files.

// textHelpers are the methods of texts whose first argument is a key.
var textHelpers = map[string]bool{"label": true, "heading": true, "button": true, "primary": true, "wbutton": true, "wprimary": true,
	"entry": true, "password": true, "check": true, "formItem": true, "large": true}

// langFuncs are the functions of Fyne's lang package whose first argument is
// a key (or, for L and N, the text that is its own key).
var langFuncs = map[string]bool{"L": true, "Localize": true, "N": true, "LocalizePlural": true,
	"X": true, "LocalizeKey": true, "XN": true, "LocalizePluralKey": true}

// keyUse is one place the source asks for a key.
type keyUse struct {
	key string
	pos string
}

// uiSource is what the screens' source asks the translation files for.
type uiSource struct {
	keys      []keyUse            // literal keys
	prefixes  map[string][]string // "kind." → where lang.L("kind."+…) or labels("kind.", …) is used
	unchecked []string            // arguments the test cannot read, with their position
}

// scanUI parses the package's non-test files and collects the keys.
func scanUI(t *testing.T) uiSource {
	t.Helper()
	src := uiSource{prefixes: map[string][]string{}}
	fset, files := parseFiles(t, "*.go")
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				src.call(fset, fn, call)
				return true
			})
		}
	}
	return src
}

// call records the key of one call, when it is a call that takes one.
func (src *uiSource) call(fset *token.FileSet, fn *ast.FuncDecl, call *ast.CallExpr) {
	pos := fset.Position(call.Pos()).String()
	arg := call.Args[0]
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		// labels("kind.", app.Kinds) translates each code under a prefix.
		if fun.Name == "labels" {
			if p, ok := stringLit(arg); ok {
				src.prefixes[p] = append(src.prefixes[p], pos)
			} else {
				src.unchecked = append(src.unchecked, pos+": labels with a prefix that is not a literal")
			}
		}
	case *ast.SelectorExpr:
		name := fun.Sel.Name
		if x, ok := fun.X.(*ast.Ident); ok && x.Name == "lang" && langFuncs[name] {
			switch {
			case isStringLit(arg):
				key, _ := stringLit(arg)
				src.keys = append(src.keys, keyUse{key, pos})
			case prefixOf(arg) != "":
				p := prefixOf(arg)
				src.prefixes[p] = append(src.prefixes[p], pos)
			case inTexts(fn) || funcName(fn) == "labels":
				// The helpers' own lang.L(key) and labels' lang.L(prefix+code):
				// their callers are checked instead.
			case funcName(fn) == "message":
				// lang.L(app.ErrorMessage(err)): the domain's messages, which
				// TestDomainErrorsTranslated checks against errors.en.json.
			default:
				src.unchecked = append(src.unchecked, fmt.Sprintf("%s: lang.%s(%s) with a key the test cannot read",
					pos, name, exprString(fset, arg)))
			}
			return
		}
		if name == "field" && len(call.Args) == 5 && !inTexts(fn) {
			// t.field(name, labelKey, hintKey, optional, input): an empty
			// key means no label or no hint.
			for _, a := range call.Args[1:3] {
				switch key, ok := stringLit(a); {
				case ok && key != "":
					src.keys = append(src.keys, keyUse{key, pos})
				case !ok:
					src.unchecked = append(src.unchecked, fmt.Sprintf("%s: field(%s) with a key the test cannot read",
						pos, exprString(fset, a)))
				}
			}
			return
		}
		if !textHelpers[name] {
			return
		}
		switch key, ok := stringLit(arg); {
		case ok && key == "" && name == "formItem":
			// A form item without a label (a check box carries its own).
		case ok && key == "":
			src.unchecked = append(src.unchecked, fmt.Sprintf("%s: %s with an empty key", pos, name))
		case ok:
			src.keys = append(src.keys, keyUse{key, pos})
		case inTexts(fn):
			// password and primary pass their key on to entry and button.
		default:
			src.unchecked = append(src.unchecked, fmt.Sprintf("%s: %s(%s) with a key the test cannot read",
				pos, name, exprString(fset, arg)))
		}
	}
}

func isStringLit(e ast.Expr) bool { _, ok := stringLit(e); return ok }

// stringLit returns the value of a string literal, or of a sum of them.
func stringLit(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return stringLit(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := stringLit(e.X)
		b, ok2 := stringLit(e.Y)
		return a + b, ok1 && ok2
	}
	return "", false
}

// prefixOf returns "kind." for "kind."+string(c.Kind), else "".
func prefixOf(e ast.Expr) string {
	b, ok := e.(*ast.BinaryExpr)
	if !ok || b.Op != token.ADD {
		return ""
	}
	for {
		if p, ok := stringLit(b.X); ok {
			return p
		}
		if b, ok = b.X.(*ast.BinaryExpr); !ok || b.Op != token.ADD {
			return ""
		}
	}
}

func funcName(fn *ast.FuncDecl) string { return fn.Name.Name }

// inTexts reports whether fn is a method of texts.
func inTexts(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return false
	}
	typ := fn.Recv.List[0].Type
	if s, ok := typ.(*ast.StarExpr); ok {
		typ = s.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.Name == "texts"
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, fset, e)
	return b.String()
}

// dynamicValues lists, for each prefix the screens put before a code, every
// code that can follow it: the lists the screens offer, and every constant
// of the code's type declared in package app (a stored record may carry one
// that no list offers).
func dynamicValues(t *testing.T) map[string][]string {
	consts := appConsts(t)
	strs := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return map[string][]string{
		"kind.":                strs(codes(app.Kinds), consts["Kind"]),
		"status.":              strs(app.ComplaintStatuses),
		"method.":              strs(codes(methods), consts["DocumentMethod"]),
		"result.":              strs(codes(results), consts["VerificationResult"]),
		"role.":                strs(codes(roles), consts["Role"]),
		"problems.state.":      strs(codes([]app.OutboxState{app.OutboxConflict, app.OutboxRejected})),
		"application.right.":   strs(codes(kvkk.Rights)),
		"application.channel.": strs(codes(kvkk.ReplyChannels)),
	}
}

func codes[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}

// parseFiles parses the non-test Go files that pattern matches.
func parseFiles(t *testing.T, pattern string) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return fset, out
}

// appConsts returns package app's string constants by type name.
func appConsts(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	_, files := parseFiles(t, "../app/*.go")
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				v := s.(*ast.ValueSpec)
				typ, ok := v.Type.(*ast.Ident)
				if !ok {
					continue
				}
				for _, val := range v.Values {
					if s, ok := stringLit(val); ok {
						out[typ.Name] = append(out[typ.Name], s)
					}
				}
			}
		}
	}
	return out
}

// readTranslations reads one shipped translation file, refusing anything
// but a flat object of strings and any key given twice.
func readTranslations(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := assets.Translations.ReadFile("translations/" + name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: not a JSON object (%v)", name, err)
	}
	out := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		key := tok.(string)
		var val string
		if err := dec.Decode(&val); err != nil {
			t.Fatalf("%s: %q: the value must be a string: %v", name, key, err)
		}
		if _, dup := out[key]; dup {
			t.Errorf("%s: %q is given twice; the last one wins silently", name, key)
		}
		out[key] = val
	}
	return out
}

// turkishOnly are letters English text never has.
const turkishOnly = "ğüşıöçİĞÜŞÖÇ"

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestTranslationKeys(t *testing.T) {
	src := scanUI(t)
	tr, en := readTranslations(t, "tr.json"), readTranslations(t, "en.json")
	var problems []string
	for _, u := range src.unchecked {
		problems = append(problems, u+" (pass a literal key, or teach this test the new form)")
	}

	// Every key the screens ask for, with the first place that asks.
	need := map[string]string{}
	for _, u := range src.keys {
		if _, ok := need[u.key]; !ok {
			need[u.key] = u.pos
		}
	}
	values := dynamicValues(t)
	prefixes := make([]string, 0, len(src.prefixes))
	for p := range src.prefixes {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		list, ok := values[p]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: %q+… is used, but the test does not know which codes follow it; add them to dynamicValues",
				src.prefixes[p][0], p))
			continue
		}
		for _, v := range list {
			if _, ok := need[p+v]; !ok {
				need[p+v] = src.prefixes[p][0] + " (" + p + "+code)"
			}
		}
	}
	keys := make([]string, 0, len(need))
	for k := range need {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		_, inTR := tr[k]
		_, inEN := en[k]
		switch {
		case !inTR && !inEN:
			problems = append(problems, fmt.Sprintf("%q (%s) is in neither tr.json nor en.json", k, need[k]))
		case !inTR:
			problems = append(problems, fmt.Sprintf("%q (%s) is missing from tr.json", k, need[k]))
		case !inEN:
			problems = append(problems, fmt.Sprintf("%q (%s) is missing from en.json", k, need[k]))
		}
	}

	// The two files must hold the same keys, each translated.
	all := map[string]bool{}
	for k := range tr {
		all[k] = true
	}
	for k := range en {
		all[k] = true
	}
	var unused []string
	for _, k := range sortedKeys(all) {
		vTR, inTR := tr[k]
		vEN, inEN := en[k]
		switch {
		case !inEN:
			problems = append(problems, fmt.Sprintf("%q is in tr.json but not in en.json", k))
		case !inTR:
			problems = append(problems, fmt.Sprintf("%q is in en.json but not in tr.json", k))
		case strings.TrimSpace(vTR) == "" || strings.TrimSpace(vEN) == "":
			problems = append(problems, fmt.Sprintf("%q has an empty text", k))
		case vEN == vTR && strings.ContainsAny(vTR, turkishOnly):
			problems = append(problems, fmt.Sprintf("%q is Turkish in en.json too (%q): translate it", k, vEN))
		case !slices.Equal(placeholders(vTR), placeholders(vEN)):
			problems = append(problems, fmt.Sprintf("%q fills in %v in tr.json but %v in en.json",
				k, placeholders(vTR), placeholders(vEN)))
		}
		if _, ok := need[k]; !ok && (inTR || inEN) {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		t.Logf("%d keys no screen asks for (kept, not an error): %s", len(unused), strings.Join(unused, ", "))
	}
	t.Logf("%d keys the screens ask for (%d literal uses, prefixes %s); tr.json %d keys, en.json %d keys",
		len(need), len(src.keys), strings.Join(prefixes, " "), len(tr), len(en))
	if len(problems) > 0 {
		t.Errorf("%d translation problems:\n\t%s", len(problems), strings.Join(problems, "\n\t"))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
