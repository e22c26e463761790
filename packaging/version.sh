#!/bin/sh
# Prints the package and program version from git: a tag vX.Y.Z gives X.Y.Z
# (X.Y.Z+N.gHASH N commits later); without a tag, 0.1.0~gitN.gHASH, N the
# commit count, so that a later commit always has the higher version.
# Usage: packaging/version.sh [COMMIT] (default HEAD).
set -eu
ref=${1:-HEAD}
if d=$(git describe --tags --match 'v[0-9]*' "$ref" 2>/dev/null); then
	echo "${d#v}" | sed -E 's/-([0-9]+)-g([0-9a-f]+)$/+\1.g\2/'
else
	echo "0.1.0~git$(git rev-list --count "$ref").g$(git rev-parse --short=7 "$ref")"
fi
