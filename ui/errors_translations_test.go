package ui

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"log"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

// The domain speaks Turkish: an *app.Error carries a Turkish sentence for
// people, which message() shows as it is in Turkish and looks up in
// errors.en.json in English. TestDomainErrorsTranslated reads every such
// sentence in the module's source and checks that the English file has it.
//
// A message with fmt verbs filled in at run time (a minute count, a printer's
// name, a version number, a code the central sent) has no fixed text to look
// up, and message() is not to be changed here, so the English interface shows
// it in Turkish. The test lists them with t.Log, with where each is written,
// rather than failing. Those that reach a person on the kiosk's screens are
// the login lock-out (auth/throttle.go), the role refusal (auth/roles.go),
// the printer's failures that name the printer or a timeout (cups), and the
// notice's missing translation (notice/catalog.go); the others come from the
// central during sync and are logged. A format filled in only with constants
// (the password's minimum length) is as fixed as a literal: the test fills it
// in and asks errors.en.json for the result.

const appPath = "github.com/kocasinan/gise/app"

// fmtVerb finds a fmt verb: a message with one is filled in at run time, so
// no fixed English sentence can stand for it.
var fmtVerb = regexp.MustCompile(`%[-+# 0]*[0-9*]*(\.[0-9*]+)?[a-zA-Z%]`)

// domainMessage is one Turkish sentence given to people, where it is written.
type domainMessage struct {
	text string
	pos  string
}

// messageScan is what the source gives as messages of domain errors.
type messageScan struct {
	static     []domainMessage // fixed sentences: errors.en.json must have each
	dynamic    []domainMessage // sentences with fmt verbs, completed at run time
	unreadable []domainMessage // messages the test cannot read (text is the expression)
}

// goFile is one parsed non-test file.
type goFile struct {
	dir     string
	f       *ast.File
	appName string // the name package app goes by in the file; "" in package app itself
	inApp   bool
}

// scanMessages parses every non-test Go file of the module (package app and
// its subpackages, the screens, sync) and collects the messages of domain
// errors: the message argument of app.FieldError and app.Errorf, the Message
// of app.Error literals, the arguments of local helpers that pass one of
// their parameters on as such a message, and ErrorMessage's own sentence
// for internal errors.
func scanMessages(t *testing.T) messageScan {
	t.Helper()
	fset := token.NewFileSet()
	var files []*goFile
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		gf := &goFile{dir: filepath.Dir(path), f: f, inApp: filepath.Clean(filepath.Dir(path)) == filepath.Clean("../app")}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == appPath {
				gf.appName = "app"
				if imp.Name != nil {
					gf.appName = imp.Name.Name
				}
			}
		}
		files = append(files, gf) // even without app, a file may call a helper of its package
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Package-level string and integer constants and variables, to read a
	// message given by name and the constants a format is filled in with.
	named := map[string]map[string]any{} // dir → name → value
	for _, gf := range files {
		for _, d := range gf.f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || (g.Tok != token.CONST && g.Tok != token.VAR) {
				continue
			}
			for _, s := range g.Specs {
				v := s.(*ast.ValueSpec)
				for i, n := range v.Names {
					if i < len(v.Values) {
						if c, ok := constValue(v.Values[i], nil); ok {
							if named[gf.dir] == nil {
								named[gf.dir] = map[string]any{}
							}
							named[gf.dir][n.Name] = c
						}
					}
				}
			}
		}
	}

	// helpers: dir → function name → index of the parameter that becomes a
	// message. FieldError's and Errorf's message is their second.
	helpers := map[string]map[string]int{}
	// sites visits every place a message is given in gf, calling found with
	// the message expression and the enclosing function.
	sites := func(gf *goFile, found func(fn *ast.FuncDecl, e ast.Expr, args []ast.Expr)) {
		isApp := func(e ast.Expr, name string) bool {
			switch e := e.(type) {
			case *ast.Ident:
				return gf.inApp && e.Name == name
			case *ast.SelectorExpr:
				x, ok := e.X.(*ast.Ident)
				return ok && gf.appName != "" && x.Name == gf.appName && e.Sel.Name == name
			}
			return false
		}
		visit := func(fn *ast.FuncDecl, root ast.Node) {
			ast.Inspect(root, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if (isApp(n.Fun, "FieldError") || isApp(n.Fun, "Errorf")) && len(n.Args) >= 2 {
						if fn == nil || !(gf.inApp && (fn.Name.Name == "FieldError" || fn.Name.Name == "Errorf")) {
							found(fn, n.Args[1], n.Args[2:])
						}
						return true
					}
					var name string
					switch fun := n.Fun.(type) {
					case *ast.Ident:
						name = fun.Name
					}
					if i, ok := helpers[gf.dir][name]; ok && i < len(n.Args) {
						found(fn, n.Args[i], nil)
					}
				case *ast.CompositeLit:
					if !isApp(n.Type, "Error") {
						return true
					}
					for i, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
								if fn == nil || !(gf.inApp && (fn.Name.Name == "FieldError" || fn.Name.Name == "Errorf")) {
									found(fn, kv.Value, nil)
								}
							}
						} else if i == 2 { // Code, Field, Message, Err
							found(fn, el, nil)
						}
					}
				}
				return true
			})
		}
		for _, d := range gf.f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok {
				if fn.Body != nil {
					visit(fn, fn.Body)
				}
			} else {
				visit(nil, d)
			}
		}
	}
	// A function that gives one of its parameters as a message is a helper
	// whose callers give the message; find them until no new one appears.
	for changed := true; changed; {
		changed = false
		for _, gf := range files {
			sites(gf, func(fn *ast.FuncDecl, e ast.Expr, _ []ast.Expr) {
				id, ok := e.(*ast.Ident)
				if !ok || fn == nil {
					return
				}
				if i := paramIndex(fn, id.Name); i >= 0 {
					if helpers[gf.dir] == nil {
						helpers[gf.dir] = map[string]int{}
					}
					if _, seen := helpers[gf.dir][fn.Name.Name]; !seen && fn.Recv == nil {
						helpers[gf.dir][fn.Name.Name] = i
						changed = true
					}
				}
			})
		}
	}

	var scan messageScan
	seen := map[string]bool{}
	add := func(list *[]domainMessage, text, pos string) {
		if !seen[text+"\x00"+pos] {
			seen[text+"\x00"+pos] = true
			*list = append(*list, domainMessage{text, pos})
		}
	}
	for _, gf := range files {
		sites(gf, func(fn *ast.FuncDecl, e ast.Expr, args []ast.Expr) {
			pos := relPos(fset.Position(e.Pos()))
			text, kind := readMessage(gf, fn, e, args, named[gf.dir])
			switch kind {
			case msgStatic:
				add(&scan.static, text, pos)
			case msgFormat:
				add(&scan.dynamic, text, pos)
			case msgUnreadable:
				add(&scan.unreadable, text, pos)
			}
		})
		// ErrorMessage's sentence for every error that is not a domain error.
		if gf.inApp {
			for _, d := range gf.f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "ErrorMessage" && fn.Body != nil {
					ast.Inspect(fn.Body, func(n ast.Node) bool {
						if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
							if s, ok := stringLit(r.Results[0]); ok && s != "" {
								add(&scan.static, s, relPos(fset.Position(r.Pos())))
							}
						}
						return true
					})
				}
			}
		}
	}
	return scan
}

const (
	msgStatic     = iota // a fixed sentence, or a format filled in with constants
	msgFormat            // a format filled in at run time
	msgRelayed           // another error's message or a helper's parameter, checked where it is given
	msgUnreadable        // anything else
)

// readMessage reads the message expression e given in fn, filled in with
// args when it is Errorf's format.
func readMessage(gf *goFile, fn *ast.FuncDecl, e ast.Expr, args []ast.Expr, named map[string]any) (string, int) {
	if s, ok := constValue(e, named); ok {
		if s, ok := s.(string); ok {
			return format(s, args, named)
		}
	}
	switch e := e.(type) {
	case *ast.Ident:
		if fn != nil && paramIndex(fn, e.Name) >= 0 {
			return "", msgRelayed
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			x, _ := sel.X.(*ast.Ident)
			switch {
			case x != nil && x.Name == "fmt" && sel.Sel.Name == "Sprintf" && len(e.Args) > 0:
				if s, ok := stringLit(e.Args[0]); ok {
					return format(s, e.Args[1:], named)
				}
			case x != nil && x.Name == gf.appName && sel.Sel.Name == "ErrorMessage":
				return "", msgRelayed
			}
		}
		// app's own ErrorMessage, and the screens' message(), which
		// translates another error's message.
		if id, ok := e.Fun.(*ast.Ident); ok && (gf.inApp && id.Name == "ErrorMessage" || isUI(gf) && id.Name == "message") {
			return "", msgRelayed
		}
	}
	var b bytes.Buffer
	_ = printer.Fprint(&b, token.NewFileSet(), e)
	return b.String(), msgUnreadable
}

// isUI reports whether gf is one of this package's files.
func isUI(gf *goFile) bool { return filepath.Clean(gf.dir) == filepath.Clean("../ui") }

// format fills the format s in with args when every one is a constant: the
// message is then as fixed as a literal. Otherwise s is filled in at run
// time.
func format(s string, args []ast.Expr, named map[string]any) (string, int) {
	if len(args) == 0 {
		if fmtVerb.MatchString(s) {
			return s, msgFormat
		}
		return s, msgStatic
	}
	vals := make([]any, len(args))
	for i, a := range args {
		v, ok := constValue(a, named)
		if !ok {
			return s, msgFormat
		}
		vals[i] = v
	}
	return fmt.Sprintf(s, vals...), msgStatic
}

// constValue returns the value of a string or integer literal, of a sum of
// string literals, or of a constant of the package named by its name.
func constValue(e ast.Expr, named map[string]any) (any, bool) {
	if s, ok := stringLit(e); ok {
		return s, true
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.INT {
			n, err := strconv.ParseInt(e.Value, 0, 64)
			return n, err == nil
		}
	case *ast.Ident:
		v, ok := named[e.Name]
		return v, ok
	case *ast.ParenExpr:
		return constValue(e.X, named)
	}
	return nil, false
}

// paramIndex returns the index of fn's parameter called name, or -1.
func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// relPos names a position from the module's root.
func relPos(p token.Position) string {
	p.Filename = strings.TrimPrefix(filepath.ToSlash(p.Filename), "../")
	return fmt.Sprintf("%s:%d", p.Filename, p.Line)
}

func TestDomainErrorsTranslated(t *testing.T) {
	scan := scanMessages(t)
	en := readTranslations(t, "errors.en.json")
	if len(scan.static) == 0 {
		t.Fatal("no domain error message found in the source: the scan is broken")
	}

	byText := map[string][]string{}
	for _, m := range scan.static {
		byText[m.text] = append(byText[m.text], m.pos)
	}
	var problems []string
	for _, text := range sortedKeys(byText) {
		v, ok := en[text]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: missing from errors.en.json: %q", byText[text][0], text))
		case strings.TrimSpace(v) == "":
			problems = append(problems, fmt.Sprintf("%s: empty in errors.en.json: %q", byText[text][0], text))
		case v == text || strings.ContainsAny(v, turkishOnly):
			problems = append(problems, fmt.Sprintf("%s: still Turkish in errors.en.json: %q", byText[text][0], v))
		}
	}
	var stale []string
	for _, k := range sortedKeys(en) {
		if _, ok := byText[k]; !ok {
			stale = append(stale, strconv.Quote(k))
		}
	}
	for _, m := range scan.unreadable {
		problems = append(problems, fmt.Sprintf("%s: a message the test cannot read (%s); give a literal, a named constant or fmt.Sprintf of a literal", m.pos, m.text))
	}

	sort.Slice(scan.dynamic, func(i, j int) bool { return scan.dynamic[i].pos < scan.dynamic[j].pos })
	var dyn []string
	for _, m := range scan.dynamic {
		dyn = append(dyn, fmt.Sprintf("%s: %q", m.pos, m.text))
	}
	t.Logf("%d static messages (%d distinct), all to be in errors.en.json (%d entries)", len(scan.static), len(byText), len(en))
	if len(dyn) > 0 {
		t.Logf("%d messages are filled in at run time (fmt verbs): no fixed English sentence can match them, "+
			"so the English interface shows them in Turkish:\n\t%s", len(dyn), strings.Join(dyn, "\n\t"))
	}
	if len(stale) > 0 {
		t.Logf("%d entries of errors.en.json no source gives any more (kept, not an error):\n\t%s", len(stale), strings.Join(stale, "\n\t"))
	}
	if len(problems) > 0 {
		t.Errorf("%d problems with the domain's English messages:\n\t%s", len(problems), strings.Join(problems, "\n\t"))
	}
}

// TestErrorsTranslateWithoutFailures shows every static message the way the
// English interface does, through message(): each must come out in English,
// and Fyne must log no "Translation failure". (With Fyne 2.7 a sentence
// missing from the English files is not logged in English, whose bundle is
// the default language: it is silently shown in Turkish. A key missing from
// tr.json is what logs the failure, in Turkish; TestTranslationKeys catches
// those.)
func TestErrorsTranslateWithoutFailures(t *testing.T) {
	scan := scanMessages(t)
	var logged bytes.Buffer
	out, flags := log.Writer(), log.Flags()
	log.SetOutput(&logged)
	setLanguage("en")
	t.Cleanup(func() {
		setLanguage("tr")
		log.SetOutput(out)
		log.SetFlags(flags)
	})
	var problems []string
	done := map[string]bool{}
	for _, m := range scan.static {
		if done[m.text] {
			continue
		}
		done[m.text] = true
		logged.Reset()
		got := message(&app.Error{Code: app.EINVALID, Message: m.text})
		if got == m.text || strings.ContainsAny(got, turkishOnly) {
			problems = append(problems, fmt.Sprintf("%s: shown in Turkish in English: %q", m.pos, got))
		}
		if strings.Contains(logged.String(), "Translation failure") {
			problems = append(problems, fmt.Sprintf("%s: Fyne logged a translation failure: %s", m.pos, strings.TrimSpace(logged.String())))
		}
	}
	// An internal error shows ErrorMessage's own sentence.
	if got := message(fmt.Errorf("disk on fire")); strings.ContainsAny(got, turkishOnly) {
		problems = append(problems, fmt.Sprintf("an internal error is shown in Turkish in English: %q", got))
	}
	// Turkish shows the domain's sentence as it is, without a lookup.
	setLanguage("tr")
	logged.Reset()
	for _, m := range scan.static {
		if got := message(&app.Error{Message: m.text}); got != m.text {
			problems = append(problems, fmt.Sprintf("%s: in Turkish %q became %q", m.pos, m.text, got))
		}
	}
	if strings.Contains(logged.String(), "Translation failure") {
		problems = append(problems, "Fyne logged a translation failure in Turkish: "+strings.TrimSpace(logged.String()))
	}
	if len(problems) > 0 {
		t.Errorf("%d messages the English interface shows wrong:\n\t%s", len(problems), strings.Join(problems, "\n\t"))
	}
}
