package assets

import (
	_ "embed"
	"strings"
)

// commonPasswords is the "passwords" frequency list of zxcvbn 4.4.2 (npm
// package zxcvbn, lib/frequency_lists.js; MIT, © 2012-2016 Dan Wheeler and
// Dropbox, Inc.): the 30,000 most frequent passwords of a public corpus of
// leaked passwords, most frequent first, one a line, lower case, each line
// ending in "\n". Reproduce it with
//
//	npm pack zxcvbn@4.4.2 && tar xzf zxcvbn-4.4.2.tgz && node -e \
//	  'process.stdout.write(require("./package/lib/frequency_lists.js").passwords.join("\n")+"\n")'
//
//go:embed common-passwords.txt
var commonPasswords string

// IsCommonPassword reports whether p, lower-cased, is a whole line of the
// shipped list of common passwords. It searches the embedded text in place
// (72–82 µs for a password not in it, BenchmarkIsCommonPassword) rather
// than keeping a set: a set of the 30,000 lines held 2.6 MB of the kiosk's
// heap for the rest of its life, for a check made only when a password is
// set.
func IsCommonPassword(p string) bool {
	p = strings.ToLower(p)
	if p == "" || strings.ContainsAny(p, "\r\n") {
		return false
	}
	return strings.HasPrefix(commonPasswords, p+"\n") || strings.Contains(commonPasswords, "\n"+p+"\n")
}

// passwordWords are the words guessable at any Gişe terminal, one a line:
// the product's name, "şifre" and "parola" and their common forms, the
// words on a municipality's walls. The municipality's and the city's own
// names come from the configuration (auth.WordsOf).
//
//go:embed password-words.txt
var passwordWords string

// PasswordWords returns the words a password must be more than (see
// auth.PasswordPolicy): a password made only of them, keyboard runs, digits
// and symbols is refused.
func PasswordWords() []string { return strings.Fields(passwordWords) }
