#!/bin/bash
# make package-test: the package installed for real, as root would on a
# counter, in a throwaway Debian 12 root (debootstrap + chroot; no systemd
# runs there, so the kiosk session's launcher is started directly, under an
# Xvfb of the host's):
#
#   1. the previous package (the base commit's binary, GISE_PACKAGE_TEST_OLD,
#      in this packaging, with a lower version) installed; records written
#      through app/sqlite by a helper built from that commit (seed);
#   2. the new package installed over it: gise version, gise doctor, root
#      sent to the gise user, every record and the audit chain intact, each
#      migration applied once, a newer schema refused without a write;
#   3. the kiosk session's launcher under Xvfb: the window seen and
#      photographed, the kiosk killed and seen back, the crash in the crash
#      file and inroot gise doctor;
#   4. reinstall (idempotent), purge (data kept), reinstall on the kept data,
#      purge with GISE_PURGE_DATA=yes (data and user gone), a fresh install
#      and a purge with the delete-on-purge flag file.
#
# The debootstrapped root is cached in $GISE_PACKAGE_TEST_CACHE
# (/var/cache/gise-package-test) with the packages the .deb depends on
# installed; each run works on an overlay of it and throws the overlay away.
# Delete the folder to start again from Debian's mirror. Needs root.
# Usage: packaging/package-test.sh dist/gise_<version>_amd64.deb
set -euo pipefail

new_deb=$(readlink -f "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${GISE_PACKAGE_TEST_CACHE:-/var/cache/gise-package-test}
old_ref=${GISE_PACKAGE_TEST_OLD:-63f8bf7}
export GOFLAGS="-tags=migrated_fynedo,no_emoji -buildmode=pie" CGO_ENABLED=1
t0=$(date +%s)
step() { echo "== [$(($(date +%s) - t0))s] $*"; }
fail() {
	echo "package-test: FAIL: $*" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, mount)"

# --- the base root: debootstrap once, cached ---------------------------------

mirror_from_apt() {
	{
		grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
		grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'
	} | grep -E '/debian/?$' | head -n 1 || true
}
mirror=${GISE_PACKAGE_TEST_MIRROR:-$(mirror_from_apt)}
mirror=${mirror:-http://deb.debian.org/debian}

base=$cache/base-bookworm
# What apt installs with the package (Depends, and Recommends as apt does by
# default) is installed in the cached root once, from the package's own
# fields, so that a run's installs take seconds; the package itself is
# installed by apt in every run, its dependencies resolved again.
deps=$(dpkg-deb -f "$new_deb" Depends)
recs=$(dpkg-deb -f "$new_deb" Recommends)
mkdir -p "$cache"
if [ ! -e "$base/.ready" ] || [ "$(cat "$base/.ready")" != "$deps; $recs" ]; then
	step "debootstrap bookworm from $mirror into $base (cached for later runs)"
	rm -rf "$base.tmp"
	debootstrap --variant=minbase --include=systemd,ca-certificates bookworm "$base.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		fail "debootstrap could not reach $mirror: see $cache/debootstrap.log"
	chroot "$base.tmp" apt-get update -q >/dev/null
	chroot "$base.tmp" env DEBIAN_FRONTEND=noninteractive apt-get satisfy -y -q "$deps" "$recs" >"$cache/base-apt.log" 2>&1 ||
		fail "installing the package's dependencies in the base root: see $cache/base-apt.log"
	chroot "$base.tmp" apt-get clean
	echo "$deps; $recs" >"$base.tmp/.ready"
	rm -rf "$base"
	mv "$base.tmp" "$base"
fi

# --- the previous package: the base commit's binary, this packaging -----------

old_ver=$(cd "$repo" && packaging/version.sh "$old_ref")
old_dir=$cache/old-$old_ver
old_deb=$old_dir/gise_${old_ver}_amd64.deb
if [ ! -e "$old_deb" ] || [ ! -x "$old_dir/seed" ]; then
	step "building the previous package $old_ver from $old_ref (cached for later runs)"
	rm -rf "$old_dir"
	mkdir -p "$old_dir/src"
	git -C "$repo" archive "$old_ref" | tar -x -C "$old_dir/src"
	(cd "$old_dir/src" && go build -ldflags "-extldflags=-Wl,-z,relro,-z,now" -o "$old_dir/gise" .)
	mkdir -p "$old_dir/src/packaging/pkgtest"
	cp -r "$repo/packaging/pkgtest/seed" "$old_dir/src/packaging/pkgtest/"
	(cd "$old_dir/src" && go build -o "$old_dir/seed" ./packaging/pkgtest/seed)
	(cd "$repo" && GISE_BIN=$old_dir/gise SRC_REF=$old_ref PKG_VERSION=$old_ver packaging/build.sh "$old_dir" >/dev/null)
fi
new_ver=$(dpkg-deb -f "$new_deb" Version)
dpkg --compare-versions "$old_ver" lt "$new_ver" || fail "the previous version $old_ver is not lower than $new_ver"
step "building the helper (seed) from this tree"
(cd "$repo" && go build -o "$cache/seed-new" ./packaging/pkgtest/seed)

# --- a throwaway root: an overlay of the base ----------------------------------

run=$(mktemp -d "$cache/run.XXXXXX")
R=$run/root
mkdir -p "$run/upper" "$run/work" "$R"
mounts=()
xvfb=""
session=""
cleanup() {
	set +e
	[ -n "$session" ] && kill -TERM "$session" 2>/dev/null && sleep 1
	for p in $(descendants "${session:-0}"); do kill -KILL "$p" 2>/dev/null; done
	[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null; done
	rm -rf "$run"
}
trap cleanup EXIT
mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$R"
mounts+=("$R")
mount -t proc proc "$R/proc" && mounts+=("$R/proc")
mount --bind /dev "$R/dev" && mounts+=("$R/dev")
mount --bind /dev/pts "$R/dev/pts" && mounts+=("$R/dev/pts")
mkdir -p "$R/tmp/.X11-unix" /tmp/.X11-unix
mount --bind /tmp/.X11-unix "$R/tmp/.X11-unix" && mounts+=("$R/tmp/.X11-unix")
mkdir -p "$R/opt/pkgtest"
cp "$old_deb" "$R/opt/pkgtest/old.deb"
cp "$new_deb" "$R/opt/pkgtest/new.deb"
cp "$old_dir/seed" "$R/opt/pkgtest/seed-old"
cp "$cache/seed-new" "$R/opt/pkgtest/seed-new"
shots=$cache/screenshots
mkdir -p "$shots"

# inroot runs a command in the root as root; as_gise as the gise user, with the
# environment a session or a unit gives it.
inroot() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
as_gise() {
	chroot "$R" runuser -u gise -- env -i PATH=/usr/bin:/bin HOME=/var/lib/gise USER=gise LANG=tr_TR.UTF-8 "$@"
}
apt_install() { inroot apt-get install -y -q "$@" >"$run/apt.log" 2>&1 || { cat "$run/apt.log"; fail "apt-get install $*"; }; }
want() { grep -q -- "$2" <<<"$3" || fail "$1: wanted '$2' in: $3"; }

# descendants lists the processes under pid (same pid namespace as the root).
descendants() {
	local kids
	kids=$(ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ') || true
	for k in $kids; do
		echo "$k"
		descendants "$k"
	done
}
kiosk_pid() {
	for p in $(descendants "$session"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = gise ] && echo "$p" && return
	done
	true
}

# --- 1. the previous package, and records --------------------------------------

step "install the previous package $old_ver"
apt_install /opt/pkgtest/old.deb
inroot getent passwd gise >/dev/null || fail "no gise user"
[ "$(inroot stat -c '%U %a' /var/lib/gise)" = "gise 700" ] || fail "/var/lib/gise: $(inroot stat -c '%U %a' /var/lib/gise)"
[ -L "$R/etc/systemd/system/timers.target.wants/gise-doctor.timer" ] || fail "gise-doctor.timer not enabled"
[ ! -e "$R/etc/systemd/system/timers.target.wants/gise-sync.timer" ] || fail "gise-sync.timer enabled by default"
# The admin sets the terminal's name in the conffile; the upgrade keeps it.
sed -i 's/^# terminal_id = .*/terminal_id = "KCS-PAKET-01"/' "$R/etc/gise/gise.toml"

step "write records with the previous version (20 citizens, 20 complaints)"
as_gise /opt/pkgtest/seed-old -data-dir /var/lib/gise -write 20 >/dev/null
# The base commit's binary knows neither /etc/gise nor /var/lib/gise: named.
out=$(as_gise gise --config /etc/gise/gise.toml --data-dir /var/lib/gise audit verify 2>&1) || fail "old audit verify: $out"
want "old audit verify" "chain intact" "$out"
before=$(as_gise /opt/pkgtest/seed-old -data-dir /var/lib/gise -check)

# --- 2. the upgrade ---------------------------------------------------------

step "upgrade to $new_ver"
apt_install /opt/pkgtest/new.deb
[ "$(inroot dpkg-query -W -f '${Version}' gise)" = "$new_ver" ] || fail "not upgraded"
grep -q '^terminal_id = "KCS-PAKET-01"' "$R/etc/gise/gise.toml" || fail "the upgrade lost the admin's change to gise.toml"

step "gise version, gise doctor, gise status"
out=$(as_gise gise version 2>/dev/null)
echo "$out" | sed 's/^/   /'
want "gise version" "^gise $new_ver$" "$out"
want "gise version" "config: /etc/gise/gise.toml" "$out"
want "gise version" "data_dir: /var/lib/gise" "$out"
doctor=$(as_gise gise doctor 2>/dev/null) || true
echo "$doctor" | sed 's/^/   /'
want "gise doctor" "Veritabanı" "$doctor"
as_gise gise status >/dev/null 2>&1 || fail "gise status as gise"
out=$(inroot gise status 2>&1) && fail "root was let into the gise user's data directory"
want "root's gise status" "sudo -u gise gise status" "$out"
[ -z "$(find "$R/var/lib/gise" -user root)" ] || fail "root-owned files in /var/lib/gise: $(find "$R/var/lib/gise" -user root)"

step "records and the audit chain after the upgrade"
after=$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check)
echo "$after" | sed 's/^/   /'
[ "$(grep -v '^audit_events=' <<<"$before")" = "$(grep -v '^audit_events=' <<<"$after")" ] ||
	fail "records changed in the upgrade: before: $before after: $after"
want "after the upgrade" "migrations_applied_twice=0" "$after"
want "after the upgrade" "citizen_1=Çağrı Işıkoğlu" "$after"
out=$(as_gise gise audit verify 2>&1) || fail "audit verify after the upgrade: $out"
want "audit verify" "chain intact" "$out"

step "a database of a newer schema is refused, and not written"
as_gise sh -c 'mkdir -p /var/lib/gise/newer && cp -a /var/lib/gise/gise.db /var/lib/gise/terminal.key /var/lib/gise/newer/'
as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise/newer -future 99
sum=$(sha256sum "$R/var/lib/gise/newer/gise.db" | cut -c1-64)
out=$(as_gise gise --data-dir /var/lib/gise/newer status 2>&1) && fail "a newer schema was opened: $out"
want "newer schema" "şema sürümü 99" "$out"
[ "$(sha256sum "$R/var/lib/gise/newer/gise.db" | cut -c1-64)" = "$sum" ] || fail "the newer database was written to"
as_gise rm -rf /var/lib/gise/newer

# --- 3. the kiosk session -----------------------------------------------------

display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
step "the kiosk session's launcher on Xvfb :$display"
Xvfb ":$display" -screen 0 1366x768x24 -nolisten tcp >"$run/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
chroot "$R" runuser -u gise -- env -i PATH=/usr/bin:/bin HOME=/var/lib/gise USER=gise LANG=tr_TR.UTF-8 \
	DISPLAY=":$display" GISE_SESSION_MIN_UP=5 /usr/libexec/gise/gise-kiosk-session >"$cache/session.log" 2>&1 &
session=$!

# wait_window waits for the kiosk's window and photographs the screen.
wait_window() {
	for _ in $(seq 120); do
		if xwininfo -display ":$display" -root -tree 2>/dev/null | grep -q 'Kocasinan'; then
			sleep 3 # let it paint
			import -display ":$display" -window root "$shots/$1.png"
			sd=$(convert "$shots/$1.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
			awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' || fail "$1: the screen is blank (deviation $sd)"
			echo "   window seen, screenshot $shots/$1.png"
			return
		fi
		sleep 0.5
	done
	xwininfo -display ":$display" -root -tree >&2 || true
	cat "$cache/session.log" >&2
	fail "$1: no kiosk window in 60 s"
}
wait_window 1-session-started
first=$(kiosk_pid)
[ -n "$first" ] || fail "no gise process under the session"
started_at=$(date +%s)

step "kill the kiosk (SIGKILL, pid $first): the session brings it back"
kill -KILL "$first"
for _ in $(seq 60); do
	again=$(kiosk_pid)
	[ -n "$again" ] && [ "$again" != "$first" ] && break
	sleep 0.5
done
[ -n "$again" ] && [ "$again" != "$first" ] || fail "the kiosk did not come back"
wait_window 2-after-kill
echo "   back as pid $again after $(($(date +%s) - started_at))s"
grep -q 'exit=137' "$R/var/lib/gise/kiosk-crashes" || fail "the crash is not in kiosk-crashes"
doctor=$(as_gise gise doctor 2>/dev/null) || true
want "gise doctor after the crash" "Kiosk oturumu" "$doctor"
grep 'Kiosk oturumu' <<<"$doctor" | sed 's/^/   /'

step "a crash loop is slowed: three quick kills"
for _ in 1 2 3; do
	p=""
	for _ in $(seq 120); do
		p=$(kiosk_pid)
		[ -n "$p" ] && break
		sleep 0.25
	done
	[ -n "$p" ] && kill -KILL "$p"
	sleep 0.5
done
pauses=$(grep -o 'pause=[0-9]*' "$R/var/lib/gise/kiosk-crashes" | tail -n 3 | tr '\n' ' ')
echo "   pauses: $pauses"
[ "$(grep -o 'pause=[0-9]*' "$R/var/lib/gise/kiosk-crashes" | tail -n 1)" != "pause=1" ] || fail "no backoff: $pauses"

step "end the session"
# The launcher is the shell under runuser (its name cut to 15 characters).
launcher=""
for p in $(descendants "$session"); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = gise-kiosk-sess ] && launcher=$p && break
done
[ -n "$launcher" ] || fail "no launcher process under the session"
kill -TERM "$launcher"
for _ in $(seq 40); do kill -0 "$session" 2>/dev/null || break; sleep 0.25; done
kill -0 "$session" 2>/dev/null && fail "the session did not end on SIGTERM"
session=""
kill "$xvfb"
xvfb=""

# --- 4. reinstall, purge -------------------------------------------------------

step "reinstall: the maintainer scripts run again and change nothing"
counts=$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check | grep -v '^audit_events=')
apt_install --reinstall /opt/pkgtest/new.deb
[ "$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check | grep -v '^audit_events=')" = "$counts" ] || fail "reinstall changed the records"

step "purge: the package's files go, /var/lib/gise stays"
inroot apt-get purge -y -q gise >"$run/apt.log" 2>&1 || { cat "$run/apt.log"; fail "purge"; }
for f in /usr/bin/gise /etc/gise /usr/libexec/gise /lib/systemd/system/gise-doctor.timer \
	/etc/systemd/system/timers.target.wants/gise-doctor.timer /usr/share/doc/gise; do
	[ ! -e "$R$f" ] && [ ! -L "$R$f" ] || fail "purge left $f"
done
[ -s "$R/var/lib/gise/gise.db" ] && [ -s "$R/var/lib/gise/terminal.key" ] || fail "purge removed the data"

step "install again on the kept data"
apt_install /opt/pkgtest/new.deb
[ "$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check | grep -v '^audit_events=')" = "$counts" ] || fail "the kept data does not open"

step "purge with GISE_PURGE_DATA=yes: the data and the gise user go"
inroot GISE_PURGE_DATA=yes apt-get purge -y -q gise >"$run/apt.log" 2>&1 || { cat "$run/apt.log"; fail "purge"; }
[ ! -e "$R/var/lib/gise" ] || fail "GISE_PURGE_DATA=yes left /var/lib/gise"
inroot getent passwd gise >/dev/null && fail "GISE_PURGE_DATA=yes left the gise user"

step "a fresh install of $new_ver: version, doctor, then purge with the flag file"
apt_install /opt/pkgtest/new.deb
as_gise gise version >/dev/null || fail "gise version on a fresh install"
out=$(as_gise gise doctor 2>/dev/null) || true
want "gise doctor on a fresh install" "Veritabanı" "$out"
inroot touch /var/lib/gise/delete-on-purge
inroot apt-get purge -y -q gise >"$run/apt.log" 2>&1 || { cat "$run/apt.log"; fail "purge"; }
[ ! -e "$R/var/lib/gise" ] || fail "the delete-on-purge flag left /var/lib/gise"
[ -z "$(inroot dpkg -l gise 2>/dev/null | grep '^[ir]')" ] || fail "gise still known to dpkg"

step "package-test: ok ($old_ver -> $new_ver); screenshots in $shots"
echo "package-test took $(($(date +%s) - t0))s" | tee "$cache/last-run.txt"
