package ui

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

// dictionary is every text a screen may show in one language: the
// interface's translation file (templates filled with any value), the
// domain's messages in that language (errors.en.json's keys are the Turkish
// messages, its values the English ones), plus what the walk adds as data:
// words a person typed, the store holds or the central sent.
type dictionary struct {
	exact     map[string]string // text → translation key
	folded    map[string]bool   // the exact texts in lower case
	templates []template
	words     map[string]bool // data words, folded
}

// template is a translation with placeholders, as a pattern.
type template struct {
	key   string
	re    *regexp.Regexp
	names []string
}

var tmplField = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func newDictionary(t *testing.T, lang string) *dictionary {
	t.Helper()
	d := &dictionary{exact: map[string]string{}, folded: map[string]bool{}, words: map[string]bool{}}
	ui := readTranslations(t, lang+".json")
	for k, v := range ui {
		d.addText(k, v)
	}
	for tr, en := range readTranslations(t, "errors.en.json") {
		if lang == "en" {
			d.addText("error:"+tr, en)
		} else {
			d.addText("error:"+tr, tr)
		}
	}
	sort.Slice(d.templates, func(i, j int) bool { return d.templates[i].key < d.templates[j].key })
	return d
}

func (d *dictionary) addText(key, text string) {
	text = strings.TrimSpace(text)
	if !tmplField.MatchString(text) {
		// The same words under two keys: the smaller key names them, so
		// that a finding's line is the same on every run.
		if old, ok := d.exact[text]; !ok || key < old {
			d.exact[text] = key
		}
		d.folded[app.LowerTR(text)] = true
		return
	}
	var names []string
	pattern := "^"
	last := 0
	for _, m := range tmplField.FindAllStringSubmatchIndex(text, -1) {
		pattern += regexp.QuoteMeta(text[last:m[0]]) + `([\s\S]*?)`
		names = append(names, text[m[2]:m[3]])
		last = m[1]
	}
	pattern += regexp.QuoteMeta(text[last:]) + "$"
	d.templates = append(d.templates, template{key: key, re: regexp.MustCompile(pattern), names: names})
}

// addData allows the words of s in any language: a person typed it, the
// store holds it or the central sent it.
func (d *dictionary) addData(s string) {
	for _, w := range strings.FieldsFunc(s, isSeparator) {
		d.words[app.LowerTR(w)] = true
	}
}

func isSeparator(r rune) bool { return strings.ContainsRune(" \n\t·,;:()/—-\"'", r) }

// neutral texts belong to no language: numbers, dates, times, codes,
// masked national IDs, bullets, symbols.
var neutral = regexp.MustCompile(`^[\p{N}\p{P}\p{S}\s]*$|^[A-Z0-9]{2,}([-–][A-Z0-9]{2,})+$|^[A-Z2-7]{4}( [A-Z2-7]{4})+$`)

// sentences splits a piece that is two messages joined ("Kaydedildi.
// Yazıcı tanımlanmamış; …").
var sentences = regexp.MustCompile(`[.;!?]\s+`)

// match tells whether s is text of this language, and the key it comes
// from when it is one translation; zero is set when a template's Count was
// filled with 0 (a sentence counting nothing).
func (d *dictionary) match(s string) (ok bool, key string, zero bool) {
	s = markers.ReplaceAllString(strings.TrimSpace(s), "")
	if key, ok := d.whole(s); ok {
		return true, key, d.zeroCount(s)
	}
	for _, line := range strings.Split(s, "\n") {
		if !d.line(line) {
			return false, "", false
		}
	}
	return true, "", false
}

func (d *dictionary) whole(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	if k, ok := d.exact[s]; ok {
		return k, true
	}
	for _, t := range d.templates {
		if t.re.MatchString(s) {
			return t.key, true
		}
	}
	return "", false
}

func (d *dictionary) zeroCount(s string) bool {
	for _, t := range d.templates {
		m := t.re.FindStringSubmatch(s)
		for i, name := range t.names {
			if m != nil && name == "Count" && strings.TrimSpace(m[i+1]) == "0" {
				return true
			}
		}
	}
	return false
}

// line is one line of text: a translation or data whole, else split at
// the first separator that splits it (two spaces, " · ", ": ",
// parentheses, " — ", then sentences), each part tried whole before it is
// split further, so that a translation holding a separator ("KVKK
// başvurusu (6698 sayılı Kanun m. 11)") is still one translation.
func (d *dictionary) line(l string) bool {
	if d.atom(l) {
		return true
	}
	// A sentence with a list in parentheses after it ("… (1 şikâyet)").
	if t := strings.TrimSpace(l); strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, " ("); i > 0 && d.atom(t[:i]) && d.line(t[i+2:len(t)-1]) {
			return true
		}
	}
	for _, sep := range splitters {
		parts := sep.Split(l, -1)
		if len(parts) < 2 {
			continue
		}
		for _, p := range parts {
			if strings.TrimSpace(p) != "" && !d.line(p) {
				return false
			}
		}
		return true
	}
	return false
}

var splitters = []*regexp.Regexp{regexp.MustCompile(`\s{2,}|\t`), regexp.MustCompile(`\s·\s`), regexp.MustCompile(`:\s`),
	regexp.MustCompile(`\s—\s`), regexp.MustCompile(`[()]`), sentences}

// markers are the signs a screen puts before a message so that colour is
// not its only signal (UX.md): "✓ Kaydedildi", "⚠ …", "• …" in a list.
var markers = regexp.MustCompile(`^[✓⚠•✗]\s*`)

// atom is one piece: a translation, neutral, or data words only.
func (d *dictionary) atom(p string) bool {
	p = markers.ReplaceAllString(strings.TrimSpace(p), "")
	if _, ok := d.whole(p); ok || neutral.MatchString(p) {
		return true
	}
	for _, q := range []string{strings.TrimRight(p, ":."), p + ".", p + ";"} {
		if _, ok := d.whole(q); ok {
			return true
		}
	}
	// A count and a translation in lower case ("1 şikâyet"), as a sentence
	// lists them.
	if f := strings.SplitN(p, " ", 2); len(f) == 2 && neutral.MatchString(f[0]) && d.folded[app.LowerTR(f[1])] {
		return true
	}
	words := strings.FieldsFunc(p, isSeparator)
	for _, w := range words {
		if !d.words[app.LowerTR(w)] && !neutral.MatchString(w) {
			return false
		}
	}
	return len(words) > 0
}
