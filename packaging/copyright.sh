#!/bin/sh
# Writes /usr/share/doc/gise/copyright to stdout: Gişe's own notice, then
# every Go module linked into the binary ($1) with its licence in full, read
# from the module cache (go version -m names them and their versions).
set -eu
bin=$1
cache=$(go env GOMODCACHE)
cat <<'HEAD'
Gişe: municipal service-counter kiosk

Copyright: Kocasinan Belediyesi (Kayseri) and the Gişe contributors.
Gişe's own source carries no licence statement yet; until it does, it is
distributed to the municipalities it is made for under their agreement.

/usr/bin/gise is a Go program: it contains, linked in, the Go modules listed
below, each under its own licence, given here in full.
HEAD
go version -m "$bin" | awk '$1 == "dep" || $1 == "=>" { print $2, $3 }' | while read -r mod ver; do
	# The module cache escapes capitals as !lower.
	dir="$cache/$(printf '%s' "$mod" | sed 's/[A-Z]/!&/g' | tr 'A-Z' 'a-z')@$ver"
	lic=$(find "$dir" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' \) | sort | sed -n 1p)
	if [ -z "$lic" ]; then
		echo "copyright.sh: no licence file for $mod $ver in $dir" >&2
		exit 1
	fi
	printf '\n%s\n%s %s (%s)\n\n' "------------------------------------------------------------------------" "$mod" "$ver" "$(basename "$lic")"
	# Licences Debian ships in full are referred to, as policy 12.5 asks.
	if grep -q 'Apache License' "$lic" && grep -q 'Version 2.0' "$lic"; then
		echo "Licensed under the Apache License, Version 2.0."
		echo "On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0."
		[ -f "$dir/NOTICE" ] && { echo; cat "$dir/NOTICE"; }
	elif grep -q 'Mozilla Public License' "$lic" && grep -q 'Version 2.0' "$lic"; then
		echo "Licensed under the Mozilla Public License, Version 2.0."
		echo "On Debian systems the full text is in /usr/share/common-licenses/MPL-2.0."
	else
		cat "$lic"
	fi
done
