// Package assets holds Gişe's embedded data: the icon, the disclosure notice
// texts, fonts and translations.
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// Translations holds the interface texts, one JSON file a language
// (translations/tr.json, translations/en.json), keyed by message id; the
// English file also translates the domain's Turkish error messages.
//
//go:embed translations/*.json
var Translations embed.FS
