#!/bin/bash
# Checks a built gise .deb (make test runs it through make package-check):
# its file list, conffiles, control fields, Depends against the libraries the
# binary loads, the .desktop files (desktop-file-validate), the maintainer
# scripts' syntax, the binary's stamped version, and lintian: an error fails.
# Usage: packaging/check.sh dist/gise_<version>_amd64.deb
set -euo pipefail
deb=$1
fail=0
bad() { echo "package-check: $*" >&2; fail=1; }
x=$(mktemp -d)
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$deb" "$x/root"
dpkg-deb -e "$deb" "$x/control"
field() { dpkg-deb -f "$deb" "$1"; }

# The file list, exactly.
want="/etc/gise/gise.toml
/lib/systemd/system/gise-doctor.service
/lib/systemd/system/gise-doctor.timer
/lib/systemd/system/gise-sync.service
/lib/systemd/system/gise-sync.timer
/usr/bin/gise
/usr/libexec/gise/gise-kiosk-session
/usr/share/applications/gise.desktop
/usr/share/doc/gise/CONFIG.md.gz
/usr/share/doc/gise/changelog.gz
/usr/share/doc/gise/copyright
/usr/share/doc/gise/examples/50-gise-kiosk.conf
/usr/share/doc/gise/examples/gise-cage.service
/usr/share/doc/gise/examples/gise.example.toml
/usr/share/doc/gise/setup.md.gz
/usr/share/icons/hicolor/256x256/apps/gise.png
/usr/share/man/man1/gise.1.gz
/usr/share/xsessions/gise-kiosk.desktop"
got=$(cd "$x/root" && find . -type f -o -type l | sed 's|^\.||' | sort)
if [ "$got" != "$want" ]; then
	bad "the file list differs (- wanted, + in the package):"
	diff <(echo "$want") <(echo "$got") | grep '^[<>]' | sed 's/^</  -/; s/^>/  +/' >&2 || true
fi
for f in /usr/bin/gise /usr/libexec/gise/gise-kiosk-session; do
	[ -x "$x/root$f" ] || bad "$f is not executable"
done

# Conffiles: the settings file, and nothing else.
[ "$(cat "$x/control/conffiles")" = /etc/gise/gise.toml ] || bad "conffiles: $(tr '\n' ' ' <"$x/control/conffiles")"
grep -qvE '^[[:space:]]*(#|\[|$)' "$x/root/etc/gise/gise.toml" && bad "/etc/gise/gise.toml sets a value: every key is to be a commented default"

# Control fields.
[ "$(field Package)" = gise ] || bad "Package: $(field Package)"
[ "$(field Architecture)" = amd64 ] || bad "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || bad "no Maintainer"
[ -n "$(field Description)" ] || bad "no Description"
depends=$(field Depends)
for p in fonts-dejavu-core cups-client adduser; do
	[[ ", $depends," == *", $p"[,\ ]* ]] || bad "Depends lacks $p"
done
[[ "$(field Recommends)" == *sane-utils* ]] || bad "Recommends lacks sane-utils"

# Depends against the binary: every library it needs (NEEDED) or GLFW opens
# at run time (the libX*.so.N names in it) belongs to a package in Depends,
# and libc6's version covers the newest glibc symbol it uses.
bin="$x/root/usr/bin/gise"
libs=$( { readelf -d "$bin" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'; strings "$bin" | grep -E '^libX[A-Za-z0-9]+\.so\.[0-9]+$'; } | sort -u)
for lib in $libs; do
	# awk reads to the end: leaving early would kill ldconfig with SIGPIPE,
	# which pipefail and set -e turn into this script's exit 141.
	path=$(ldconfig -p | awk -v l="$lib" '!p && $1 == l && /x86-64/ { p = $NF } END { print p }')
	if [ -z "$path" ]; then
		bad "$lib: not on this build machine, cannot tell its package"
		continue
	fi
	pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | sed -n 1p | cut -d: -f1) || true
	[ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | sed -n 1p | cut -d: -f1) || true
	[[ ", $depends," == *", $pkg"[,\ ]* ]] || bad "$lib is in $pkg, which Depends does not name"
done
glibc=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
libc_dep=$(echo "$depends" | grep -o 'libc6 (>= [0-9.]*)' | grep -o '[0-9.]*)' | tr -d ')')
if [ -z "$libc_dep" ] || [ "$(printf '%s\n%s\n' "$glibc" "$libc_dep" | sort -V | tail -n 1)" != "$libc_dep" ]; then
	bad "the binary needs glibc $glibc, Depends says libc6 (>= ${libc_dep:-none})"
fi
# Debian 12 and Pardus 23 have glibc 2.36, Pardus 25 2.41.
[ "$(printf '%s\n2.36\n' "$glibc" | sort -V | tail -n 1)" = 2.36 ] || bad "the binary needs glibc $glibc, newer than Debian 12's 2.36"

# The binary is stamped with the package's version.
ver=$(field Version)
"$bin" version 2>/dev/null | grep -x "gise $ver" >/dev/null || bad "gise version does not say $ver: $("$bin" version 2>/dev/null | head -n 1)"

# The .desktop files.
for d in usr/share/applications/gise.desktop usr/share/xsessions/gise-kiosk.desktop; do
	desktop-file-validate "$x/root/$d" || bad "desktop-file-validate $d"
done

# The maintainer scripts.
for s in postinst prerm postrm; do
	sh -n "$x/control/$s" || bad "$s: syntax"
done

# lintian: errors fail; warnings are listed (docs/INSTALL.md explains those left).
lint=$(lintian --display-level '>=warning' "$deb" 2>&1 | grep -v 'running with root privileges' || true)
[ -n "$lint" ] && echo "$lint"
grep -q '^E:' <<<"$lint" && bad "lintian reports errors"

[ "$fail" -eq 0 ] && echo "package-check: $deb: files, conffiles, control, Depends, desktop files, scripts, lintian: ok"
exit "$fail"
