#!/usr/bin/env bash
# Runs a command with the services the tests use: an X server (Xvfb) for the
# real binary, a CUPS server with a PDF printer for printing tests, and a
# throwaway PostgreSQL for the central's tests (GISE_TEST_PG). Each is
# started only when missing and stopped at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done' EXIT

if [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null; then
  for n in $(seq 90 120); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    pid=$!
    cleanup+=("kill $pid")
    for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
    export DISPLAY=":$n"
    break
  done
fi
export LANG=${LANG:-tr_TR.UTF-8}
[ "$LANG" = "C" ] || [ "$LANG" = "C.UTF-8" ] && export LANG=tr_TR.UTF-8

if [ -x "$here/cups.sh" ]; then
  # shellcheck source=/dev/null
  . "$here/cups.sh"
fi

if [ -x "$here/postgres.sh" ]; then
  # shellcheck source=/dev/null
  . "$here/postgres.sh"
fi

"$@"
