# packaging/pkgtest/doc.sh, sourced by packaging/package-test.sh: the
# commands of docs/INSTALL.md, run as written in the throwaway root, so the
# guide and the test cannot drift apart. A command the test runs must be one
# of the guide's, verbatim (doc_run checks it), or a whole block the guide
# marks with <!-- package-test: NAME --> (doc_run_block takes it from there).
# What differs on this machine is replaced by name, and the guide must
# still say it (-s fails when FROM is not in the command): a device
# (/dev/sdb1), the central's URL, a printer's DEVICE and DRIVER
# (-s 'FROM => TO').
# Needs $doc (the guide), inroot and fail.

# doc_code prints the guide's commands: every line of a fenced block, its
# indent and an end-of-line comment ("  # …") dropped, and every `inline`
# span of the text.
doc_code() {
	awk '
		/^[ \t]*```/ { fence = !fence; next }
		fence {
			line = $0
			sub(/^[ \t]+/, "", line); sub(/[ \t][ \t]+#.*$/, "", line); sub(/[ \t]+$/, "", line)
			if (line != "") print line
			next
		}
		{ s = $0; while (match(s, /`[^`]+`/)) { print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }
	' "$doc"
}

# doc_has fails unless cmd is one of the guide's commands, verbatim.
doc_has() {
	# Not grep -q: it would leave before awk ends, and pipefail would see
	# awk's SIGPIPE.
	doc_code | grep -Fx -- "$1" >/dev/null || fail "docs/INSTALL.md does not say, as written: $1"
}

# doc_block prints the fenced block after <!-- package-test: NAME -->,
# without the indent of its fence.
doc_block() {
	awk -v mark="<!-- package-test: $1 -->" '
		index($0, mark) { want = 1; next }
		want && /^[ \t]*```/ { if (inside) exit; inside = 1; match($0, /^[ \t]*/); ind = RLENGTH; next }
		inside { print substr($0, ind + 1) }
	' "$doc"
}

# doc_run [-i INPUT] [-e VAR=VALUE] [-s 'FROM => TO'] CMD runs one of the guide's
# commands in the root as root (the guide's "typed as root"), through bash,
# with INPUT on its standard input (else none), VAR in its environment and
# each FROM replaced by TO. It sets out (standard output and error) and rc
# and shows both, indented.
doc_run() {
	local OPTIND=1 o input="" envs=() subs=()
	while getopts 'i:e:s:' o; do
		case $o in
		i) input=$OPTARG ;;
		e) envs+=("$OPTARG") ;;
		s) subs+=("$OPTARG") ;;
		*) fail "doc_run: -$o" ;;
		esac
	done
	shift $((OPTIND - 1))
	doc_has "$1"
	doc_exec "$1" "$input" "${envs[@]}" -- "${subs[@]}"
}

# doc_run_block [-i INPUT] [-e VAR=VALUE] [-s 'FROM => TO'] NAME runs the block
# NAME as one bash script (set -e: a failing line fails it), as doc_run does.
doc_run_block() {
	local OPTIND=1 o input="" envs=() subs=() text
	while getopts 'i:e:s:' o; do
		case $o in
		i) input=$OPTARG ;;
		e) envs+=("$OPTARG") ;;
		s) subs+=("$OPTARG") ;;
		*) fail "doc_run_block: -$o" ;;
		esac
	done
	shift $((OPTIND - 1))
	text=$(doc_block "$1")
	[ -n "$text" ] || fail "docs/INSTALL.md has no block marked <!-- package-test: $1 -->"
	doc_exec "set -e
$text" "$input" "${envs[@]}" -- "${subs[@]}"
}

# doc_exec CMD INPUT [VAR=VALUE…] -- ['FROM => TO'…]: the common part.
doc_exec() {
	local cmd=$1 input=$2 envs=() s from
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1") && shift; done
	shift
	for s in "$@"; do
		from=${s%% => *}
		[[ $s == *" => "* ]] || fail "doc_exec: not FROM => TO: $s"
		[[ $cmd == *"$from"* ]] || fail "docs/INSTALL.md no longer says $from in: $cmd"
		cmd=${cmd//"$from"/"${s#* => }"}
	done
	sed 's/^/   # /' <<<"$cmd"
	if [ -n "$input" ]; then
		out=$(printf '%s\n' "$input" | inroot "${envs[@]}" bash -c "$cmd" 2>&1) && rc=0 || rc=$?
	else
		out=$(inroot "${envs[@]}" bash -c "$cmd" </dev/null 2>&1) && rc=0 || rc=$?
	fi
	[ -z "$out" ] || sed 's/^/     /' <<<"$out"
	echo "     (exit $rc)"
}
