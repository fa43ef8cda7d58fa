# ts.sh - shared helpers for mqtune's shell tests.  Source it.
#
# Every test reports through ts_pass / ts_fail / ts_skip; tests/run-all.sh
# counts the lines they append to $TS_RESULTS.  A test never passes by
# default: a script that ends without reporting counts as nothing.

: "${TS_RESULTS:=/dev/null}"
: "${MQTUNE:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/mqtune}"
TS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

ts_pass() { echo "PASS: $*"; echo "PASS $*" >>"$TS_RESULTS"; }
ts_fail() { echo "FAIL: $*"; echo "FAIL $*" >>"$TS_RESULTS"; }
ts_skip() { echo "SKIP: $*"; echo "SKIP $*" >>"$TS_RESULTS"; }

# ts_check NAME CMD...: pass when CMD succeeds, fail (showing its output) otherwise.
ts_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ts_pass "$name"
	else
		ts_fail "$name"
		printf '%s\n' "$out" | sed 's/^/    /' | head -40
	fi
}

# ts_tmpdir: a fresh directory removed when the script exits.
ts_tmpdir() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/mqtune-test.XXXXXX")
	TS_CLEANUP="${TS_CLEANUP:-} $d"
	# shellcheck disable=SC2064
	trap 'for x in $TS_CLEANUP; do chattr -R -i "$x" 2>/dev/null; rm -rf "$x"; done' EXIT
	echo "$d"
}

# ts_gen NAME ARGS...: build a synthetic machine (tests/gen/mkmachine.py
# ARGS) into $WORK/NAME; the generator's output is shown only when it fails.
ts_gen() {
	local name=$1
	shift
	python3 "$TS_TOP/tests/gen/mkmachine.py" -q "$WORK/$name" "$@" \
		>"$WORK/$name.gen" 2>&1 ||
		{ sed 's/^/    /' "$WORK/$name.gen"; return 1; }
}
