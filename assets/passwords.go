package assets

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswords is the "passwords" frequency list of zxcvbn 4.4.2 (npm
// package zxcvbn, lib/frequency_lists.js; MIT, © 2012-2016 Dan Wheeler and
// Dropbox, Inc.): the 30,000 most frequent passwords of a public corpus of
// leaked passwords, most frequent first, one a line. Reproduce it with
//
//	npm pack zxcvbn@4.4.2 && tar xzf zxcvbn-4.4.2.tgz && node -e \
//	  'process.stdout.write(require("./package/lib/frequency_lists.js").passwords.join("\n")+"\n")'
//
//go:embed common-passwords.txt
var commonPasswords string

var (
	commonOnce sync.Once
	commonSet  map[string]struct{}
)

// IsCommonPassword reports whether p, lower-cased, is in the shipped list of
// common passwords.
func IsCommonPassword(p string) bool {
	commonOnce.Do(func() {
		lines := strings.Split(commonPasswords, "\n")
		commonSet = make(map[string]struct{}, len(lines))
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				commonSet[l] = struct{}{}
			}
		}
	})
	_, ok := commonSet[strings.ToLower(p)]
	return ok
}
