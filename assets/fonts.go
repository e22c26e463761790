package assets

import _ "embed"

// FontRegular and FontBold are DejaVu Sans (Debian's fonts-dejavu-core
// 2.37), which has every letter of Turkish (ç ğ ı İ ö ş ü, â î û) and the
// typographic quotes and bullets the notice uses. Its licence is
// fonts/LICENSE. Printed notices and receipts embed them.
var (
	//go:embed fonts/DejaVuSans.ttf
	FontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	FontBold []byte
)

// IconPNG is the bytes of the application icon, the default logo on paper.
var IconPNG = iconPNG
