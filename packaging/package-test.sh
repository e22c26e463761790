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
#   4. docs/INSTALL.md's steps as written (packaging/pkgtest/doc.sh takes
#      the commands from the guide): the settings by sed (3), CUPS and the
#      two queues, gise doctor's printers (4), the reference central, gise
#      enrol with the token piped, gise status, sync and doctor (6), the key
#      backup onto a FAT stick (a loop device) and its restore after the key
#      is lost (7), what the timers' units run, as their user (8), the
#      backup before an upgrade (9);
#   5. reinstall (idempotent), the guide's remove and purges (10): data
#      kept, reinstall on the kept data, GISE_PURGE_DATA=yes (data and user
#      gone), a fresh install and the delete-on-purge flag file.
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
# What docs/INSTALL.md's steps install or use beyond the package, installed
# once too: cups (step 4, `apt install cups`, with its Recommends as apt
# does), sudo (every `sudo -u gise` line), and for the stand-ins of what is
# not on this machine: curl (the central's admin API, which hands out the
# enrolment token) and dosfstools (a FAT image for the USB stick). LightDM
# without its Recommends (no X server): step 5's file is checked by
# `lightdm --show-config`, nothing is displayed.
extra="cups, sudo, curl, dosfstools"
extra_norecs="lightdm"
mkdir -p "$cache"
if [ ! -e "$base/.ready" ] || [ "$(cat "$base/.ready")" != "$deps; $recs; $extra; $extra_norecs" ]; then
	step "debootstrap bookworm from $mirror into $base (cached for later runs)"
	rm -rf "$base.tmp"
	debootstrap --variant=minbase --include=systemd,ca-certificates bookworm "$base.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		fail "debootstrap could not reach $mirror: see $cache/debootstrap.log"
	# No daemon of a package (cupsd, avahi, dbus) is started in the root, as
	# in any chroot: the test starts the one it needs itself.
	printf '#!/bin/sh\nexit 101\n' >"$base.tmp/usr/sbin/policy-rc.d"
	chmod 0755 "$base.tmp/usr/sbin/policy-rc.d"
	chroot "$base.tmp" apt-get update -q >/dev/null
	chroot "$base.tmp" env DEBIAN_FRONTEND=noninteractive apt-get satisfy -y -q "$deps" "$recs" "$extra" >"$cache/base-apt.log" 2>&1 ||
		fail "installing the package's dependencies in the base root: see $cache/base-apt.log"
	chroot "$base.tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $extra_norecs >>"$cache/base-apt.log" 2>&1 ||
		fail "installing $extra_norecs in the base root: see $cache/base-apt.log"
	chroot "$base.tmp" apt-get clean
	echo "$deps; $recs; $extra; $extra_norecs" >"$base.tmp/.ready"
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
# The previous release's gise.toml differs from this one's, as a real
# previous release's would (and as the cached package's comes to once the
# packaging moves on): dpkg asks at the upgrade, since the admin changed it
# too, and the test answers as docs/INSTALL.md step 9 says. It is this
# packaging's file less the sections the base commit does not know (their
# keys are all commented: the header is what the old binary refuses).
old_mark="# package-test: the previous release's gise.toml"
if ! dpkg-deb --fsys-tarfile "$old_deb" | tar -xO ./etc/gise/gise.toml | grep -x "$old_mark" >/dev/null; then
	step "marking the previous package's gise.toml as the previous release's (cached)"
	rm -rf "$old_dir/x"
	dpkg-deb -R "$old_deb" "$old_dir/x"
	known=$(git -C "$repo" show "$old_ref:app/config/config.go" | grep -o 'toml:"[a-z_]*"' | cut -d'"' -f2)
	for section in $(sed -n 's/^\[\([a-z_]*\)\]$/\1/p' "$old_dir/x/etc/gise/gise.toml"); do
		grep -qx "$section" <<<"$known" || sed -i "s/^\[$section\]\$/# [$section] (not in the previous release)/" "$old_dir/x/etc/gise/gise.toml"
	done
	echo "$old_mark" >>"$old_dir/x/etc/gise/gise.toml"
	sum=$(md5sum <"$old_dir/x/etc/gise/gise.toml" | cut -c1-32)
	sed -i "s|^[0-9a-f]*  etc/gise/gise.toml\$|$sum  etc/gise/gise.toml|" "$old_dir/x/DEBIAN/md5sums"
	dpkg-deb -Zgzip -b "$old_dir/x" "$old_deb" >/dev/null
	rm -rf "$old_dir/x"
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
daemons=() # cupsd and the central, started in the root
loopdev=""
cleanup() {
	set +e
	[ -n "$session" ] && kill -TERM "$session" 2>/dev/null && sleep 1
	for p in $(descendants "${session:-0}"); do kill -KILL "$p" 2>/dev/null; done
	[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
	for d in "${daemons[@]}"; do stop_daemon "$d"; done
	mountpoint -q "$R/media/usb" && umount -l "$R/media/usb"
	[ -n "$loopdev" ] && losetup -d "$loopdev"
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null; done
	rm -rf "$run"
}
# stop_daemon ends a process started in the root (chroot, runuser) and
# what runs under it.
stop_daemon() {
	local p
	for p in $(descendants "$1") "$1"; do kill -TERM "$p" 2>/dev/null || true; done
	for _ in $(seq 40); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	for p in $(descendants "$1") "$1"; do kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$R"
mounts+=("$R")
mount -t proc proc "$R/proc" && mounts+=("$R/proc")
mount --bind /dev "$R/dev" && mounts+=("$R/dev")
mount --bind /dev/pts "$R/dev/pts" && mounts+=("$R/dev/pts")
mkdir -p "$R/tmp/.X11-unix" /tmp/.X11-unix
mount --bind /tmp/.X11-unix "$R/tmp/.X11-unix" && mounts+=("$R/tmp/.X11-unix")
# The host's name, as the Debian installer writes it (sudo looks it up).
grep -qw "$(hostname)" "$R/etc/hosts" 2>/dev/null || echo "127.0.1.1	$(hostname)" >>"$R/etc/hosts"
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
# exits NAME WANT: the guide's command last run by doc_run exited WANT.
exits() { [ "$rc" = "$2" ] || fail "$1: exit $rc, wanted $2: $out"; }
doc=$repo/docs/INSTALL.md
# shellcheck source=pkgtest/doc.sh
. "$repo/packaging/pkgtest/doc.sh"

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
# An admin's change to the conffile (the guide's own come in step 3, after
# the upgrade: the base commit knows fewer keys); the upgrade keeps it.
sed -i 's/^# language = .*/language = "tr"/' "$R/etc/gise/gise.toml"

step "write records with the previous version (20 citizens, 20 complaints)"
as_gise /opt/pkgtest/seed-old -data-dir /var/lib/gise -write 20 >/dev/null
# The base commit's binary knows neither /etc/gise nor /var/lib/gise: named.
out=$(as_gise gise --config /etc/gise/gise.toml --data-dir /var/lib/gise audit verify 2>&1) || fail "old audit verify: $out"
want "old audit verify" "chain intact" "$out"
before=$(as_gise /opt/pkgtest/seed-old -data-dir /var/lib/gise -check)

# --- 2. the upgrade ---------------------------------------------------------

step "upgrade to $new_ver; dpkg asks about gise.toml: keep yours (N), as INSTALL.md step 9 says"
doc_has 'N'
doc_has '/etc/gise/gise.toml.dpkg-dist'
printf 'N\n' | inroot apt-get install -y -q /opt/pkgtest/new.deb >"$run/apt.log" 2>&1 || { cat "$run/apt.log"; fail "the upgrade"; }
grep -q 'gise.toml (Y/I/N/O/D/Z)' "$run/apt.log" || fail "dpkg did not ask about the changed gise.toml: $(cat "$run/apt.log")"
[ "$(inroot dpkg-query -W -f '${Version}' gise)" = "$new_ver" ] || fail "not upgraded"
grep -q '^language = "tr"' "$R/etc/gise/gise.toml" || fail "the upgrade lost the admin's change to gise.toml"
dpkg-deb --fsys-tarfile "$new_deb" | tar -xO ./etc/gise/gise.toml | cmp -s - "$R/etc/gise/gise.toml.dpkg-dist" ||
	fail "/etc/gise/gise.toml.dpkg-dist is not the new package's gise.toml"
# The admin reads the new file's comments and takes it, with the change
# carried over (the guide's step 3 then works on the new file).
mv "$R/etc/gise/gise.toml.dpkg-dist" "$R/etc/gise/gise.toml"
sed -i 's/^# language = .*/language = "tr"/' "$R/etc/gise/gise.toml"

step "gise version, gise doctor, gise status"
out=$(as_gise gise version 2>/dev/null)
echo "$out" | sed 's/^/   /'
want "gise version" "^gise $new_ver$" "$out"
want "gise version" "config: /etc/gise/gise.toml" "$out"
want "gise version" "data_dir: /var/lib/gise" "$out"
doc_run 'gise version' # INSTALL.md step 2's check, as root: it opens nothing
exits "gise version as root" 0
want "gise version as root" "config: /etc/gise/gise.toml" "$out"
want "gise version as root" "data_dir: /var/lib/gise" "$out"
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
# Every record as it was; the audit chain grows by the upgrade's own events
# and the schema moves to this tree's newest migration.
[ "$(grep -Ev '^(audit_events|schema)=' <<<"$before")" = "$(grep -Ev '^(audit_events|schema)=' <<<"$after")" ] ||
	fail "records changed in the upgrade: before: $before after: $after"
newest=$(find "$repo/app/sqlite/migrations" -name '[0-9]*.sql' -printf '%f\n' | sort | sed -n '$s/^0*\([0-9]*\)_.*/\1/p')
want "after the upgrade" "^schema=$newest$" "$after"
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

step "INSTALL.md step 5: the kiosk session's LightDM file (LightDM installed, not run)"
doc_run_block kiosk-session
exits "the kiosk session's LightDM file" 0
want "lightdm --show-config" "autologin-user=gise" "$out"
want "lightdm --show-config" "autologin-session=gise-kiosk" "$out"
want "lightdm --show-config" "/etc/lightdm/lightdm.conf.d/50-gise-kiosk.conf" "$out"
name=$(sed -n 's/^autologin-session=//p' "$R/etc/lightdm/lightdm.conf.d/50-gise-kiosk.conf")
[ -e "$R/usr/share/xsessions/$name.desktop" ] || fail "LightDM's autologin-session $name is not an installed session"

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
		if xwininfo -display ":$display" -root -tree 2>/dev/null | grep 'Kocasinan' >/dev/null; then
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

# --- 4. docs/INSTALL.md, as written -------------------------------------------

step "INSTALL.md step 3: the settings, by the guide's sed"
doc_run_block settings
exits "the settings' sed" 0
for kv in '^terminal_id = "KCS-MERKEZ-03"$' '^phone = "0352 000 00 00"$' '^name = "Makbuz"$' '^notice_name = "A4"$'; do
	grep -q "$kv" "$R/etc/gise/gise.toml" || fail "the guide's sed did not set $kv in gise.toml"
done
# In its own section: the first "# name" is the municipality's.
grep -q '^# name = "Kocasinan Belediyesi"' "$R/etc/gise/gise.toml" || fail "the guide's sed changed [municipality] name"

step "INSTALL.md step 4: CUPS, the two queues, gise doctor's printers"
doc_run 'apt install cups' # in the cached root already: apt says so
exits "apt install cups" 0
# No systemd here to start cups.service: the root's own cupsd, in the
# foreground, with Debian's cupsd.conf less its TCP port (631 is the host's
# to use; lpadmin, lpstat and gise reach the domain socket by default).
grep -v '^Listen localhost:631' "$R/etc/cups/cupsd.conf" >"$R/etc/cups/cupsd-pkgtest.conf"
mkdir -p "$R/run/cups"
chroot "$R" /usr/sbin/cupsd -f -c /etc/cups/cupsd-pkgtest.conf >"$run/cupsd.log" 2>&1 &
daemons+=($!)
for _ in $(seq 100); do [ -S "$R/run/cups/cups.sock" ] && break; sleep 0.1; done
[ -S "$R/run/cups/cups.sock" ] || fail "cupsd did not start: $(cat "$run/cupsd.log" "$R/var/log/cups/error_log" 2>/dev/null)"
doc_run 'lpinfo -v'
exits "lpinfo -v" 0
want "lpinfo -v" "socket" "$out"
doc_run -s "MODEL => 'Generic PostScript Printer'" 'lpinfo -m | grep -i MODEL'
exits "lpinfo -m" 0
driver=$(awk 'NR == 1 { print $1 }' <<<"$out")
# The stand-in printers: a socket:// device (nothing listens; what doctor
# checks is the queue: there, enabled, accepting; printing itself is the
# end-to-end tests', against scripts/cups.sh's file printer).
device=socket://127.0.0.1:9100
doc_run -s "DEVICE => $device" -s "DRIVER => $driver" 'lpadmin -p Makbuz -E -v DEVICE -m DRIVER'
exits "lpadmin Makbuz" 0
doc_run -s "DEVICE => $device" -s "DRIVER => $driver" 'lpadmin -p A4 -E -v DEVICE -m DRIVER'
exits "lpadmin A4" 0
doc_run 'lpstat -p'
want "lpstat -p" "Makbuz.*enabled" "$out"
want "lpstat -p" "A4.*enabled" "$out"
doc_run 'sudo -u gise gise doctor'
line=$(grep 'Yazıcılar' <<<"$out" | tr -s ' ')
said=$(grep -o '`TAMAM Yazıcılar [^`]*`' "$doc" | tr -d '`')
[ -n "$said" ] && [ "$line" = "$said" ] || fail "gise doctor's printers: '$line', the guide says '$said'"

step "INSTALL.md step 6: the reference central, gise enrol from the console, status, sync, doctor"
port=""
for p in $(shuf -i 20000-60000 -n 20); do
	[ -z "$(ss -Hltn "sport = :$p")" ] && port=$p && break
done
[ -n "$port" ] || fail "no free port for the central"
admin_token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
inroot useradd --system --create-home --home-dir /var/lib/gise-central gise-central
# start_central runs the reference central in the root, under its own user.
start_central() {
	chroot "$R" runuser -u gise-central -- env -i PATH=/usr/bin:/bin HOME=/var/lib/gise-central LANG=C.UTF-8 \
		GISE_CENTRAL_ADMIN_TOKEN="$admin_token" gise central --listen "127.0.0.1:$port" --data /var/lib/gise-central/data \
		>>"$run/central.log" 2>&1 &
	central=$!
	daemons+=("$central")
	for _ in $(seq 100); do inroot curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && return; sleep 0.1; done
	fail "the central did not start: $(cat "$run/central.log")"
}
start_central
# The central's administrator issues this terminal's device ID and token.
reply=$(inroot curl -fsS -H "Authorization: Bearer $admin_token" -d '{"device_id":"KCS-MERKEZ-03"}' \
	"http://127.0.0.1:$port/admin/v1/devices") || fail "the central's admin API: $reply"
token=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' <<<"$reply")
[ -n "$token" ] || fail "no token from the central: $reply"
doc_run_block -i "$token" -s "https://merkez.example => http://127.0.0.1:$port" enrol
exits "gise enrol" 0
want "gise enrol" "central: ok" "$out"
doc_run 'sudo -u gise gise status'
exits "gise status" 0
doc_run 'sudo -u gise gise sync'
exits "gise sync" 0
doc_run 'sudo -u gise gise doctor'
exits "gise doctor" 0
want "gise doctor" "^TAMAM *Merkez bağlantısı *http://127.0.0.1:$port yanıt verdi" "$out"
want "gise doctor" "^TAMAM *Saat " "$out"
head=$(inroot curl -fsS -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$port/admin/v1/devices/KCS-MERKEZ-03/audit-head")
want "the central's audit head for KCS-MERKEZ-03" '"seq": *[1-9]' "$head"

step "INSTALL.md step 7: the key backup onto a FAT stick, the key lost, the restore"
pass="Erciyes'in eteğinde kırk yıllık çınar"
# The stick: a FAT image on a loop device; a kernel without vfat (a VM's
# or a container's) gets a folder of the gise user's, bind-mounted in its
# place (uid=gise is what makes the FAT stick the gise user's).
if grep -qw vfat /proc/filesystems; then
	truncate -s 64M "$R/opt/pkgtest/usb.img"
	inroot mkfs.vfat -n GISEYEDEK /opt/pkgtest/usb.img >/dev/null
	loopdev=$(losetup -f --show "$R/opt/pkgtest/usb.img") || fail "no loop device for the USB stick's stand-in"
	stick=(-s "/dev/sdb1 => $loopdev")
	echo "   the USB stick: a FAT image on $loopdev"
else
	mkdir -p "$R/opt/pkgtest/usb-stick"
	inroot chown gise:gise /opt/pkgtest/usb-stick
	stick=(-s "-o uid=gise /dev/sdb1 => --bind /opt/pkgtest/usb-stick")
	echo "   the USB stick: this kernel has no vfat; a folder of the gise user's bind-mounted in its place"
fi
doc_run_block -i "$pass" "${stick[@]}" key-backup
exits "the key backup" 0
want "gise key backup" "Anahtar yedeği yazıldı" "$out"
cp -a "$R/var/lib/gise/terminal.key" "$run/terminal.key.orig"
rm "$R/var/lib/gise/terminal.key"
doc_run 'sudo -u gise gise status' # the troubleshooting table's exit code 4
exits "gise status without the key" 4
want "gise status without the key" "Terminal anahtarı bulunamadı" "$out"
doc_run "${stick[@]}" 'mount -o uid=gise /dev/sdb1 /media/usb'
exits "mount the stick" 0
doc_run -i "$pass" 'sudo -u gise gise key restore --from /media/usb/KCS-MERKEZ-03.key.backup'
exits "gise key restore" 0
want "gise key restore" "Anahtar geri yüklendi" "$out"
cmp -s "$R/var/lib/gise/terminal.key" "$run/terminal.key.orig" || fail "the restored key is not the key backed up"
out=$(as_gise gise audit verify 2>&1) || fail "audit verify after the key restore: $out"
want "audit verify after the key restore" "chain intact" "$out"

step "INSTALL.md step 8: what the timers' units run, as their user"
# No systemd runs as PID 1 in the root: the unit's ExecStart, as its User,
# with its Environment, and its exit status as the unit would take it
# (0 or SuccessExitStatus); the journal is not there to read.
unit_run() {
	local u=$R/lib/systemd/system/$1.service user envs cmd ok cond
	user=$(sed -n 's/^User=//p' "$u")
	envs=$(sed -n 's/^Environment=//p' "$u")
	cmd=$(sed -n 's/^ExecStart=//p' "$u")
	ok="0 $(sed -n 's/^SuccessExitStatus=//p' "$u")"
	cond=$(sed -n 's/^ConditionPathExists=//p' "$u")
	[ -e "$R$cond" ] || fail "$1: its condition $cond does not hold"
	# shellcheck disable=SC2086 # the unit's words
	out=$(chroot "$R" runuser -u "$user" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/lib/gise USER="$user" \
		$envs $cmd 2>&1) && rc=0 || rc=$?
	sed 's/^/     /' <<<"$out"
	unit_ok=no
	for c in $ok; do [ "$rc" = "$c" ] && unit_ok=yes; done
	echo "     ($1: exit $rc, the unit $([ $unit_ok = yes ] && echo succeeds || echo fails))"
}
unit_run gise-doctor
[ "$unit_ok" = yes ] || fail "gise-doctor.service would fail: $out"
want "gise-doctor.service" "Sonuç: bütün denetimler geçti." "$out"
unit_run gise-sync
[ "$unit_ok" = yes ] && [ "$rc" = 0 ] || fail "gise-sync.service: exit $rc: $out"
# In a chroot systemctl enables the timer, then cannot start it (no systemd
# to ask) and exits 1 for that: the enabling is what is checked.
doc_run 'systemctl enable --now gise-sync.timer'
[ "$rc" = 0 ] || want "systemctl enable --now in a chroot" "has not been booted with systemd" "$out"
[ -L "$R/etc/systemd/system/timers.target.wants/gise-sync.timer" ] || fail "gise-sync.timer not enabled"
step "the central away: the sync unit's exit 3 is not a failure, the doctor unit fails"
stop_daemon "$central"
daemons=("${daemons[@]/$central/}")
as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -first 21 -write 1 >/dev/null
unit_run gise-sync
[ "$rc" = 3 ] && [ "$unit_ok" = yes ] || fail "gise-sync.service with the central away: exit $rc, wanted 3 (a success): $out"
unit_run gise-doctor
[ "$unit_ok" = no ] || fail "gise-doctor.service succeeded with the central away: $out"
want "gise-doctor.service with the central away" "^HATA *Merkez bağlantısı" "$out"
start_central
unit_run gise-sync
[ "$rc" = 0 ] || fail "gise-sync.service after the central came back: exit $rc: $out"

step "INSTALL.md step 9 and troubleshooting: the backup before an upgrade, the logs"
doc_run 'sudo -u gise gise backup --out /media/usb/gise-yedek --key-backup /media/usb/KCS-MERKEZ-03.key.backup'
exits "gise backup" 0
ls "$R"/media/usb/gise-yedek/backup-*/manifest.json >/dev/null 2>&1 || fail "no backup on the stick"
inroot umount /media/usb
for f in /var/lib/gise/logs/gise.log /var/lib/gise/kiosk-crashes; do
	doc_has "$f"
	[ -s "$R$f" ] || fail "the troubleshooting table's $f is not there"
done
for d in "${daemons[@]}"; do stop_daemon "$d"; done
daemons=()

# --- 5. reinstall, remove, purge ----------------------------------------------

step "reinstall: the maintainer scripts run again and change nothing"
counts=$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check | grep -v '^audit_events=')
apt_install --reinstall /opt/pkgtest/new.deb
[ "$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check | grep -v '^audit_events=')" = "$counts" ] || fail "reinstall changed the records"

step "INSTALL.md step 10: remove: the program goes, the settings and data stay"
# apt asks "Do you want to continue? [Y/n]": the answer is on its input.
doc_run -i Y 'apt remove gise'
exits "apt remove gise" 0
[ ! -e "$R/usr/bin/gise" ] || fail "apt remove left /usr/bin/gise"
grep -q '^terminal_id = "KCS-MERKEZ-03"' "$R/etc/gise/gise.toml" || fail "apt remove took the settings"
[ -s "$R/var/lib/gise/gise.db" ] || fail "apt remove took the data"

step "purge: the package's files go, /var/lib/gise stays"
doc_run -i Y 'apt purge gise'
exits "apt purge gise" 0
for f in /usr/bin/gise /etc/gise /usr/libexec/gise /lib/systemd/system/gise-doctor.timer \
	/etc/systemd/system/timers.target.wants/gise-doctor.timer \
	/etc/systemd/system/timers.target.wants/gise-sync.timer /usr/share/doc/gise; do
	[ ! -e "$R$f" ] && [ ! -L "$R$f" ] || fail "purge left $f"
done
[ -s "$R/var/lib/gise/gise.db" ] && [ -s "$R/var/lib/gise/terminal.key" ] || fail "purge removed the data"

step "install again on the kept data"
apt_install /opt/pkgtest/new.deb
[ "$(as_gise /opt/pkgtest/seed-new -data-dir /var/lib/gise -check | grep -v '^audit_events=')" = "$counts" ] || fail "the kept data does not open"

step "purge with GISE_PURGE_DATA=yes: the data and the gise user go"
doc_run -i Y 'GISE_PURGE_DATA=yes apt purge gise'
exits "GISE_PURGE_DATA=yes apt purge gise" 0
[ ! -e "$R/var/lib/gise" ] || fail "GISE_PURGE_DATA=yes left /var/lib/gise"
inroot getent passwd gise >/dev/null && fail "GISE_PURGE_DATA=yes left the gise user"

step "a fresh install of $new_ver: version, doctor, then purge with the flag file"
apt_install /opt/pkgtest/new.deb
as_gise gise version >/dev/null || fail "gise version on a fresh install"
out=$(as_gise gise doctor 2>/dev/null) || true
want "gise doctor on a fresh install" "Veritabanı" "$out"
doc_run -i Y 'touch /var/lib/gise/delete-on-purge && apt purge gise'
exits "the delete-on-purge flag and apt purge gise" 0
[ ! -e "$R/var/lib/gise" ] || fail "the delete-on-purge flag left /var/lib/gise"
[ -z "$(inroot dpkg -l gise 2>/dev/null | grep '^[ir]')" ] || fail "gise still known to dpkg"

step "package-test: ok ($old_ver -> $new_ver); screenshots in $shots"
echo "package-test took $(($(date +%s) - t0))s" | tee "$cache/last-run.txt"
