// Package posixlocale keeps Fyne's language set-up quiet under the C
// locale, so that headless commands print nothing about it.
//
// Fyne's lang package reads LC_ALL, LC_MESSAGES and LANG in its init and
// logs "Error parsing user locale C" for C.UTF-8 (Debian's and Docker's
// default) or POSIX.UTF-8; plain C and POSIX it takes for English. Go
// initialises, of the packages whose imports are ready, the first by import
// path: this package imports only os, so it runs before
// fyne.io/fyne/v2/lang, which waits for github.com/nicksnyder/go-i18n. Its
// init narrows such a value to plain "C" for Fyne's init, and main calls
// Restore before anything else runs, so that commands and the programs they
// start see the locale they were given. The kiosk sets its own locale
// (ui.setLanguage) and is not concerned.
package posixlocale

import "os"

// saved holds the variable narrowed by init and its value, if any.
var saved struct{ name, value string }

func init() {
	// The first variable set is the one that counts, as in go-locale.
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if isCodeset(v, "C") || isCodeset(v, "POSIX") {
			saved.name, saved.value = name, v
			os.Setenv(name, "C")
		}
		return
	}
}

// isCodeset reports whether v is base with a codeset or modifier, as in
// C.UTF-8, C.utf8 or POSIX@euro.
func isCodeset(v, base string) bool {
	return len(v) > len(base) && v[:len(base)] == base && (v[len(base)] == '.' || v[len(base)] == '@')
}

// Restore puts back the variable init narrowed.
func Restore() {
	if saved.name != "" {
		os.Setenv(saved.name, saved.value)
		saved.name = ""
	}
}
