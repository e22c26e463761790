package ui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/assets"
)

// texts keeps every translated text on the screens with a function that sets
// it again, so that switching the language relabels the screens that were
// built once instead of rebuilding them.
type texts struct {
	keys       *keyRoute // the kiosk's wedge and shortcuts, for its fields and buttons
	refreshers []func()
}

func (t *texts) add(f func()) { t.refreshers = append(t.refreshers, f); f() }

// later registers f for the next language switch only: the widget was
// built with its text already set, which costs no layout.
func (t *texts) later(f func()) { t.refreshers = append(t.refreshers, f) }

// refresh sets every registered text again in the current language.
func (t *texts) refresh() {
	for _, f := range t.refreshers {
		f()
	}
}

func (t *texts) label(key string) *widget.Label {
	l := &widget.Label{Text: lang.L(key), Wrapping: fyne.TextWrapWord}
	t.later(func() { l.SetText(lang.L(key)) })
	return l
}

func (t *texts) heading(key string) *widget.Label {
	l := &widget.Label{Text: lang.L(key), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	t.later(func() { l.SetText(lang.L(key)) })
	return l
}

func (t *texts) button(key string, tapped func()) *widget.Button {
	b := &widget.Button{Text: lang.L(key), OnTapped: tapped}
	t.later(func() { b.SetText(lang.L(key)) })
	return b
}

func (t *texts) primary(key string, tapped func()) *widget.Button {
	b := t.button(key, tapped)
	b.Importance = widget.HighImportance
	return b
}

func (t *texts) entry(key string) *entry {
	e := &entry{keys: t.keys}
	e.PlaceHolder = lang.L(key)
	e.ExtendBaseWidget(e)
	t.later(func() { e.SetPlaceHolder(lang.L(key)) })
	return e
}

// input is an entry with no placeholder: its field's label above says what
// to type (a placeholder is no label, and vanishes as typing starts).
func (t *texts) input() *entry {
	e := &entry{keys: t.keys}
	e.ExtendBaseWidget(e)
	return e
}

func (t *texts) password(key string) *entry {
	e := t.entry(key)
	e.Password = true
	return e
}

func (t *texts) check(key string, changed func(bool)) *widget.Check {
	c := &widget.Check{Text: lang.L(key), OnChanged: changed}
	c.ExtendBaseWidget(c)
	t.later(func() { c.Text = lang.L(key); c.Refresh() })
	return c
}

func (t *texts) formItem(key string, w fyne.CanvasObject) *widget.FormItem {
	item := &widget.FormItem{Widget: w}
	if key != "" {
		t.add(func() { item.Text = lang.L(key) })
	}
	return item
}

// current is the interface language, "tr" or "en".
var current = "tr"

// message returns the text of an error for people, in the current language:
// domain errors carry a Turkish message, which the English file translates.
func message(err error) string {
	tr := app.ErrorMessage(err)
	if current == "tr" {
		return tr
	}
	if en := lang.L(tr); en != tr {
		return en
	}
	// A message built with values (minutes to wait, a printer's name) has
	// no fixed English text: say what the code means instead.
	if key := "error." + app.ErrorCode(err); lang.L(key) != key {
		return lang.L(key)
	}
	return tr
}

// lower puts s in lower case by the interface language's rules: Turkish
// turns I into ı and İ into i, English does not.
func lower(s string) string {
	if current == "tr" {
		return app.LowerTR(s)
	}
	return strings.ToLower(s)
}

// languages the interface speaks, with the locale set for each.
var languages = map[string]string{"tr": "tr_TR.UTF-8", "en": "en_GB.UTF-8"}

// setLanguage switches the interface language ("tr" or "en"). Fyne's lang
// package follows the process's locale, so the locale is set and the
// translations are loaded again, which makes lang pick it up.
func setLanguage(code string) {
	loc, ok := languages[code]
	if !ok {
		loc, code = languages["tr"], "tr"
	}
	current = code
	_ = os.Setenv("LC_ALL", loc)
	_ = os.Setenv("LANGUAGE", code)
	// The interface's texts (CODE.json) and the domain's messages
	// (errors.CODE.json, English only: the domain speaks Turkish).
	for _, name := range []string{code + ".json", "errors." + code + ".json"} {
		data, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			continue
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(code)); err != nil {
			fyne.LogError("translations "+name, err)
		}
	}
}
