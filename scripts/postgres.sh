#!/usr/bin/env bash
# Sourced by scripts/with-services.sh (and usable by hand: `. scripts/postgres.sh`).
# Starts a throwaway PostgreSQL cluster for the central's tests: initdb
# --no-sync under a temporary folder, listening on a Unix socket in that
# folder only (no TCP port), fsync off (the tests' data is thrown away), run
# as an unprivileged user since PostgreSQL refuses root (the user gise-pg is
# created when needed). It exports GISE_TEST_PG, a DSN with database gise;
# tests that need PostgreSQL skip only when it is unset. It never exits the
# shell that sources it: every failure is reported and leaves GISE_TEST_PG
# unset. GISE_PG_CONF adds server settings ("-c name=value …").

_gise_pg_start() {
  if [ -n "${GISE_TEST_PG:-}" ]; then
    return 0 # someone already provides a database
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: initdb missing (install postgresql); the central's PostgreSQL tests will skip" >&2
    return 1
  fi
  local user="" run=()
  if [ "$(id -u)" -eq 0 ]; then
    user=gise-pg
    if ! id "$user" >/dev/null 2>&1; then
      useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$user" 2>/dev/null || {
        echo "postgres.sh: could not create the user $user" >&2
        return 1
      }
    fi
    run=(runuser -u "$user" --)
  fi
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gise-pg.XXXXXX") || return 1
  chmod 0755 "$dir" || return 1
  [ -n "$user" ] && chown "$user" "$dir"
  if ! "${run[@]}" "$bin/initdb" --no-sync -A trust -U gise -E UTF8 --locale=C.UTF-8 -D "$dir/data" >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed; see $dir/initdb.log" >&2
    return 1
  fi
  # shellcheck disable=SC2086
  if ! "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${GISE_PG_CONF:-}" \
      start >/dev/null 2>&1; then
    echo "postgres.sh: the server did not start; see $dir/server.log" >&2
    return 1
  fi
  cleanup+=("${run[*]} '$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1; rm -rf '$dir'")
  if ! "$bin/psql" -h "$dir" -U gise -d postgres -qAtc "CREATE DATABASE gise" >/dev/null 2>&1; then
    echo "postgres.sh: could not create the database; see $dir/server.log" >&2
    return 1
  fi
  export GISE_TEST_PG="host=$dir user=gise dbname=gise sslmode=disable"
  echo "postgres.sh: throwaway PostgreSQL on $dir (GISE_TEST_PG)" >&2
}

_gise_pg_start || true
unset -f _gise_pg_start
