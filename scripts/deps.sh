#!/usr/bin/env bash
# Installs the Debian packages that a make target needs, when they are missing.
# Usage: scripts/deps.sh build|test|package|package-test
# On a system without apt-get it names the packages and stops, so that nobody
# is left guessing.
set -euo pipefail

# fonts-dejavu-core: the badge (○ ●) and on-screen keyboard (⇧ ⌫ ⏎ ␣)
# symbols are in neither Fyne's Noto Sans nor its emoji font (left out by
# the no_emoji tag); Fyne finds them in the system's DejaVu Sans.
build=(gcc pkg-config libgl1-mesa-dev xorg-dev fonts-dejavu-core)
# sane-utils: scanimage and SANE's test backend, which the scanner tests
# drive through a private SANE_CONFIG_DIR.
# postgresql: a throwaway cluster for the central's tests (scripts/postgres.sh).
test=(xvfb xauth xdotool xclip imagemagick x11-utils poppler-utils
      cups cups-client cups-bsd zbar-tools socat sane-utils postgresql)
# make package (and make test, which checks the package): strip is in
# binutils, which gcc brings.
package=(lintian desktop-file-utils)
# make package-test: a Debian 12 root built with debootstrap, the kiosk
# session shown on Xvfb and photographed.
package_test=(debootstrap xvfb xauth x11-utils imagemagick)

case "${1:-}" in
  build) want=("${build[@]}") ;;
  test)  want=("${build[@]}" "${test[@]}" "${package[@]}") ;;
  package) want=("${build[@]}" "${package[@]}") ;;
  package-test) want=("${build[@]}" "${package[@]}" "${package_test[@]}") ;;
  *) echo "usage: $0 build|test|package|package-test" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
Gişe needs these packages, which this system does not seem to have:
  ${missing[*]}
They are Debian's names. Elsewhere install the equivalents by hand: a C compiler,
pkg-config, the OpenGL and X11 development headers (Fyne's GLFW driver needs them),
and for the tests Xvfb, xdotool, xclip, ImageMagick, poppler-utils, zbar-tools, socat,
SANE (scanimage and its test backend),
CUPS (scheduler and client tools) and PostgreSQL (server binaries: initdb, pg_ctl).
MSG
  exit 1
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
