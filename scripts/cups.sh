#!/usr/bin/env bash
# Sourced by scripts/with-services.sh (and usable by hand: `. scripts/cups.sh`).
# Starts a private CUPS scheduler for the printing tests, on its own Unix
# socket under a temporary folder, so it never fights a system cupsd or its
# port 631, and creates three queues:
#   gise-pdf     a queue whose job's PDF comes out, byte for byte, as
#                $GISE_TEST_PRINT_DIR/gise-pdf-JOB.pdf
#   gise-broken  a queue whose device cannot be written: the job fails after
#                it was accepted, and CUPS stops the printer
#   gise-closed  a queue that rejects jobs (cupsreject): lp itself fails
#   gise-paused  a disabled queue (cupsdisable): jobs are accepted and wait
# It exports CUPS_SERVER, GISE_TEST_PRINTER, GISE_TEST_PRINTER_BROKEN,
# GISE_TEST_PRINTER_CLOSED, GISE_TEST_PRINTER_PAUSED and GISE_TEST_PRINT_DIR; tests that need CUPS skip
# only when GISE_TEST_PRINTER is unset. It never exits the shell that sources
# it: every failure is reported and leaves the variables unset.

_gise_cups_start() {
  if [ -n "${GISE_TEST_PRINTER:-}" ]; then
    return 0 # someone already provides a test printer
  fi
  local cupsd
  cupsd=$(command -v cupsd || echo /usr/sbin/cupsd)
  if [ ! -x "$cupsd" ] || ! command -v lpadmin >/dev/null 2>&1; then
    echo "cups.sh: cupsd or lpadmin missing (install cups and cups-client); printing tests will skip" >&2
    return 1
  fi
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gise-cups.XXXXXX") || return 1
  mkdir -p "$dir"/{etc/ppd,spool/tmp,cache,state,log,out} || return 1
  # The scheduler drops to the lp user for its helpers: let it reach the folders.
  chmod 0755 "$dir" "$dir"/* && chmod 1777 "$dir/spool/tmp" "$dir/out" || return 1
  local sock="$dir/cups.sock"
  cat >"$dir/etc/cupsd.conf" <<CONF
LogLevel ${GISE_CUPS_LOGLEVEL:-warn}
Listen $sock
Browsing No
WebInterface No
DefaultAuthType None
JobRetryInterval 1
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
  cat >"$dir/etc/cups-files.conf" <<CONF
FileDevice Yes
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
ServerBin /usr/lib/cups
DataDir /usr/share/cups
ErrorLog $dir/log/error_log
AccessLog $dir/log/access_log
PageLog $dir/log/page_log
CONF
  # A raw queue with a file: device writes nothing (no process runs for
  # it), and CUPS 2.4 opens a file: device without creating it ("could not
  # open the output file"), so the test queues carry a small PPD whose only
  # filter writes the PDF, unchanged, to $dir/out/QUEUE-JOB.pdf itself
  # (renamed into place, so a reader never sees half a file): what comes out
  # is byte for byte what was printed, and test packages printing to the same
  # queue at once never overwrite each other's page (apptest.Printed finds
  # it). gise-broken's device stays unopenable.
  mkdir -p "$dir/filter" && cat >"$dir/filter/gise-passthrough" <<FILTER || return 1
#!/bin/sh
# CUPS filter: job user title copies options [file]
out="$dir/out/\$PRINTER-\$1.pdf"
if [ -n "\$6" ]; then cat "\$6"; else cat; fi >"\$out.\$\$" && mv -f "\$out.\$\$" "\$out"
FILTER
  chmod 0755 "$dir/filter" "$dir/filter/gise-passthrough" || return 1
  cat >"$dir/gise-test.ppd" <<PPD
*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "GISETEST.PPD"
*Manufacturer: "Gise"
*Product: "(Gise test printer)"
*ModelName: "Gise test printer"
*ShortNickName: "Gise test printer"
*NickName: "Gise test printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*TTRasterizer: Type42
*cupsFilter: "application/pdf 0 $dir/filter/gise-passthrough"
*OpenUI *PageSize/Media Size: PickOne
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultPageRegion: A4
*PageRegion A4/A4: "<</PageSize[595 842]>>setpagedevice"
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
PPD
  "$cupsd" -f -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" >>"$dir/log/error_log" 2>&1 &
  local pid=$! i
  # Stop it when with-services.sh exits (its cleanup array); harmless elsewhere.
  cleanup+=("kill $pid 2>/dev/null; for _ in \$(seq 30); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done; rm -rf '$dir'")
  for i in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
  if ! kill -0 "$pid" 2>/dev/null || [ ! -S "$sock" ]; then
    echo "cups.sh: cupsd did not start; see $dir/log/error_log" >&2
    return 1
  fi
  export CUPS_SERVER="$sock"
  lpadmin -p gise-pdf -E -P "$dir/gise-test.ppd" -v "file:///dev/null" -D "Gişe test printer (file)" 2>/dev/null &&
    lpadmin -p gise-broken -E -P "$dir/gise-test.ppd" -v "file:///nonexistent/gise-broken.pdf" -D "Gişe test printer (broken device)" 2>/dev/null &&
    lpadmin -p gise-closed -E -P "$dir/gise-test.ppd" -v "file:///dev/null" -D "Gişe test printer (rejects jobs)" 2>/dev/null &&
    cupsreject -r "closed for the tests" gise-closed 2>/dev/null &&
    lpadmin -p gise-paused -E -P "$dir/gise-test.ppd" -v "file:///dev/null" -D "Gişe test printer (paused)" 2>/dev/null &&
    cupsdisable -r "paused for the tests" gise-paused 2>/dev/null || {
    echo "cups.sh: could not create the test queues; see $dir/log/error_log" >&2
    unset CUPS_SERVER
    return 1
  }
  export GISE_TEST_PRINTER=gise-pdf GISE_TEST_PRINTER_BROKEN=gise-broken GISE_TEST_PRINTER_CLOSED=gise-closed
  export GISE_TEST_PRINTER_PAUSED=gise-paused
  export GISE_TEST_PRINT_DIR="$dir/out"
  echo "cups.sh: private CUPS on $sock, test printer $GISE_TEST_PRINTER writes to $GISE_TEST_PRINT_DIR" >&2
}

_gise_cups_start || true
unset -f _gise_cups_start
