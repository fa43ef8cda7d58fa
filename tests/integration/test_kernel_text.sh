#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_kernel_text.sh - the kernel's own spellings on synthetic machines:
# nohz_full as CONFIG_NO_HZ_FULL=y kernels without nohz_full= print it
# ("(null)" right-justified to nr_cpu_ids) on 8, 64 and 1024 CPUs, the
# file empty, absent or "\n"; `show`, `auto --dry-run` and `auto` must all
# take them for the empty set.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/tests/gen/mkmachine.py"
if [ ! -x "$MQTUNE" ]; then
	ts_fail "kernel text: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "kernel text: python3 not installed"
	exit 0
fi
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

gen() {	# gen NAME ARGS...
	local name=$1
	shift
	python3 "$GEN" -q "$WORK/$name" "$@" >"$WORK/$name.gen" 2>&1 ||
		{ ts_fail "kernel text $name: mkmachine.py failed"; sed 's/^/    /' "$WORK/$name.gen"; return 1; }
}

# runs NAME IFACE...: show --json, auto --dry-run, auto: each exits 0 with
# nothing on stderr, and show reports nohz_full as the empty set.
runs() {
	local name=$1 dir=$WORK/$1 rc
	shift
	"$MQTUNE" --sysroot "$dir" show --json "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["system"]["cpus"]["nohz_full"] == "" else 1)' "$WORK/out" 2>/dev/null; then
		ts_pass "kernel text $name: show reads nohz_full as the empty set"
	else
		ts_fail "kernel text $name: show rc $rc: $(head -c 300 "$WORK/err")"
	fi
	"$MQTUNE" --sysroot "$dir" auto --dry-run "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] &&
		ts_pass "kernel text $name: auto --dry-run" ||
		ts_fail "kernel text $name: auto --dry-run rc $rc: $(head -c 300 "$WORK/err")"
	"$MQTUNE" --sysroot "$dir" auto "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] &&
		ts_pass "kernel text $name: auto" ||
		ts_fail "kernel text $name: auto rc $rc: $(head -c 300 "$WORK/err")"
}

# padded FILE N: FILE is N-6 spaces, "(null)", newline (N > 6).
padded() {
	python3 -c '
import sys
t = open(sys.argv[1]).read()
n = int(sys.argv[2])
sys.exit(0 if t == " " * (n - 6) + "(null)\n" else 1)' "$1" "$2"
}

NOHZ=sys/devices/system/cpu/nohz_full
for spec in "8 1 1 igb:eth0:4" "64 2 2 ice:eth0:16:node=1" \
	"1024 8 2 ixgbe:eth0:64:node=3"; do
	read -r n nodes smt nic <<<"$spec"
	name=cpu$n
	gen "$name" --cpus "$n" --nodes "$nodes" --smt "$smt" --nic "$nic" \
		--nic veth:veth0:2 || continue
	padded "$WORK/$name/$NOHZ" "$n" &&
		ts_pass "kernel text $name: nohz_full is \"(null)\" padded to $n columns" ||
		ts_fail "kernel text $name: nohz_full is not the kernel's padded (null)"
	runs "$name" eth0 veth0
done

for form in empty absent list; do
	gen "cpu8-$form" --cpus 8 --nic igb:eth0:4 --nohz-full-file "$form" ||
		continue
	case $form in
	empty) [ -f "$WORK/cpu8-$form/$NOHZ" ] && [ ! -s "$WORK/cpu8-$form/$NOHZ" ] ;;
	absent) [ ! -e "$WORK/cpu8-$form/$NOHZ" ] ;;
	list) [ "$(od -An -c "$WORK/cpu8-$form/$NOHZ" | tr -d ' ')" = '\n' ] ;;
	esac && ts_pass "kernel text cpu8-$form: nohz_full written $form" ||
		ts_fail "kernel text cpu8-$form: nohz_full not written $form"
	runs "cpu8-$form" eth0
done
exit 0
