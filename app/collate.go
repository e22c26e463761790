package app

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SortTR sorts items in Turkish alphabetical order of the keys key gives
// (c < ç, g < ğ, ı < i, o < ö, s < ş, u < ü; CLDR's Turkish collation), the
// order a person reads a list in, never byte order: byte order puts Çankaya
// after Zafer and İnönü after every ASCII name. Earlier keys decide first.
func SortTR[T any](items []T, key func(T) []string) {
	c := collate.New(language.Turkish) // a collator is not safe to share: one a sort
	slices.SortStableFunc(items, func(a, b T) int {
		ka, kb := key(a), key(b)
		for i := range min(len(ka), len(kb)) {
			if r := c.CompareString(ka[i], kb[i]); r != 0 {
				return r
			}
		}
		return len(ka) - len(kb)
	})
}
