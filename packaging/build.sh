#!/bin/sh
# Builds dist/gise_<version>_amd64.deb from bin/gise (make build) with nfpm,
# offline once nfpm is in the Go module cache. Usage: packaging/build.sh
# [OUTDIR]. Prints the package's path. GISE_BIN and SRC_REF package another
# build (package-test's previous version: the base commit's binary).
set -eu
cd "$(dirname "$0")/.."
out=${1:-dist}
bin=${GISE_BIN:-bin/gise}
ref=${SRC_REF:-HEAD}
NFPM=${NFPM:-github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2}
export PKG_VERSION=${PKG_VERSION:-$(packaging/version.sh "$ref")}
export PKG_MAINTAINER=${PKG_MAINTAINER:-Kocasinan Belediyesi Bilgi İşlem <bilgiislem@kocasinan.bel.tr>}
# nfpm.yaml names the staged files under dist/stage.
STAGE=dist/stage
rm -rf "$STAGE"
mkdir -p "$STAGE"

[ -x "$bin" ] || { echo "build.sh: $bin is missing: run make build" >&2; exit 1; }
# Stripped as dh_strip would; Go's stack traces need no symbol table.
strip --remove-section=.comment --remove-section=.note --strip-unneeded -o "$STAGE/gise" "$bin"
gzip -9n <packaging/gise.1 >"$STAGE/gise.1.gz"
# Not INSTALL.md: lintian takes that name for a source tree's build notes.
gzip -9n <docs/INSTALL.md >"$STAGE/setup.md.gz"
gzip -9n <docs/CONFIG.md >"$STAGE/CONFIG.md.gz"
packaging/copyright.sh "$bin" >"$STAGE/copyright"
commit=$(git rev-parse --short=12 "$ref")
date=$(git log -1 --format=%cD "$ref")
{
	printf 'gise (%s) bookworm; urgency=medium\n\n' "$PKG_VERSION"
	printf '  * Built from commit %s of the Gişe repository; its git log is\n' "$commit"
	printf '    the history.\n\n'
	printf ' -- %s  %s\n' "$PKG_MAINTAINER" "$date"
} | gzip -9n >"$STAGE/changelog.gz"

mkdir -p "$out"
target="$out/gise_${PKG_VERSION}_amd64.deb"
rm -f "$target"
go run "$NFPM" package --config packaging/nfpm.yaml --packager deb --target "$target" >&2
echo "$target"
