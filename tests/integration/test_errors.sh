#!/bin/bash
# test_errors.sh - mqtune's exit statuses and one-line diagnostics, on a
# small machine built by tests/gen/mkmachine.py: bad interface names,
# missing or malformed sysfs/procfs files, and the command line itself.
#
# MQTUNE: the binary (default ./mqtune).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/tests/gen/mkmachine.py"
CHECK="$TS_TOP/tests/integration/check_show.py"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "errors: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "errors: python3 not installed"
	exit 0
fi

# Not d=$(ts_tmpdir): the EXIT trap it sets would fire in the subshell.
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
BASE="$WORK/base"
OUT="$WORK/out" ERR="$WORK/err"

if ! python3 "$GEN" -q "$BASE" --cpus 4 --nodes 1 --smt 2 \
	--nic ice:eth0:4 --nic virtio_net:eth1:2 >"$WORK/gen" 2>&1; then
	ts_fail "errors: mkmachine.py failed"
	sed 's/^/    /' "$WORK/gen"
	exit 0
fi

# run CMD...: run it, leaving RC, $OUT and $ERR
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# verdict NAME WANT-RC ERE [exact]: after run, pass when the exit status
# is WANT-RC, stderr is exactly one line matching ERE (equal to it with
# "exact") and stdout is empty -- or, for a --json run, stdout is one JSON
# document whose exit_code is WANT-RC and whose error is stderr's message.
verdict() {
	local name=$1 want=$2 re=$3 mode=${4:-} why=""
	local n
	n=$(wc -l <"$ERR")
	if [ "$RC" -ne "$want" ]; then
		why="exit $RC, want $want"
	elif [ "$n" -ne 1 ]; then
		why="$n lines on stderr, want 1"
	elif [ "$mode" = exact ] && [ "$(cat "$ERR")" != "$re" ]; then
		why="stderr is not exactly \"$re\""
	elif [ "$mode" != exact ] && ! grep -Eq -- "$re" "$ERR"; then
		why="stderr does not match /$re/"
	elif [ -s "$OUT" ] && ! python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read().strip()
sys.exit(0 if d["exit_code"] == int(sys.argv[3]) and not d["changed"]
         and "mqtune: " + d["error"] == err else 1)' "$OUT" "$ERR" "$want" 2>/dev/null; then
		why="something on stdout (not the --json error document)"
	fi
	if [ -z "$why" ]; then
		ts_pass "errors: $name"
	else
		ts_fail "errors: $name: $why"
		sed 's/^/    stderr: /' "$ERR" | head -5
		sed 's/^/    stdout: /' "$OUT" | head -3
	fi
}

# copy NAME: a fresh copy of the base machine in $WORK/NAME
copy() {
	cp -a "$BASE" "$WORK/$1"
	echo "$WORK/$1"
}

# --- interface names -----------------------------------------------------
run "$MQTUNE" --sysroot "$BASE" show eth9
verdict "unknown interface" 3 "mqtune: eth9: no such network interface" exact
run "$MQTUNE" --sysroot "$BASE" show --json eth0 eth9
verdict "unknown interface after a good one (--json)" 3 \
	"mqtune: eth9: no such network interface" exact
run "$MQTUNE" --sysroot "$BASE" show abcdefghijklmno
verdict "unknown 15-character name" 3 \
	"mqtune: abcdefghijklmno: no such network interface" exact
for bad in "eth0/queues" ".." "." "abcdefghijklmnop" "eth0/../eth1" "a b"; do
	run "$MQTUNE" --sysroot "$BASE" show "$bad"
	verdict "invalid name '$bad'" 3 "invalid interface name"
done

# --- the sysroot ----------------------------------------------------------
run "$MQTUNE" --sysroot /nonexistent show eth0
verdict "--sysroot /nonexistent" 5 "/nonexistent"

# the good case first, so a failure below means what it says
run "$MQTUNE" --sysroot "$BASE" show --json eth0 eth1
if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ] &&
	python3 "$CHECK" --sysroot "$BASE" "$BASE/truth.json" "$OUT" >"$WORK/res" 2>&1; then
	ts_pass "errors: base machine shows cleanly"
else
	ts_fail "errors: base machine: exit $RC"
	cat "$ERR" "$WORK/res" 2>/dev/null | sed 's/^/    /' | head -10
fi

# malformed files: exit 5 and the file named
d=$(copy garbage-online)
echo garbage >"$d/sys/devices/system/cpu/online"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "garbage in cpu/online" 5 "online"

irq=$(python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))
print(t["interfaces"][0]["queues"][1]["irq"])' "$BASE/truth.json")
d=$(copy garbage-affinity)
echo garbage >"$d/proc/irq/$irq/smp_affinity_list"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "garbage in irq/$irq/smp_affinity_list" 5 "smp_affinity_list"

d=$(copy garbage-rps)
echo zz >"$d/sys/class/net/eth0/queues/rx-2/rps_cpus"
run "$MQTUNE" --sysroot "$d" show --json eth0
verdict "\"zz\" in rx-2/rps_cpus" 5 "rps_cpus"

d=$(copy garbage-local)
echo 0-x >"$d/sys/class/net/eth0/device/local_cpulist"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "garbage in local_cpulist" 5 "local_cpulist"

# unreadable files (tests run as root: a directory or a dangling symlink
# stands in for a file that cannot be read)
d=$(copy dir-rps)
f="$d/sys/class/net/eth0/queues/rx-1/rps_cpus"
rm "$f" && mkdir "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "a directory for rx-1/rps_cpus" 5 "rps_cpus"

d=$(copy dir-affinity)
f="$d/proc/irq/$irq/smp_affinity_list"
rm "$f" && mkdir "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "a directory for irq/$irq/smp_affinity_list" 5 "smp_affinity_list"

d=$(copy dangling-online)
f="$d/sys/devices/system/cpu/online"
rm "$f" && ln -s online.gone "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "dangling symlink for cpu/online" 5 "online"

d=$(copy dangling-possible)
f="$d/sys/devices/system/cpu/possible"
rm "$f" && ln -s /nonexistent/possible "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "dangling absolute symlink for cpu/possible" 5 "possible"

# /proc/interrupts is only needed when nothing else names the IRQs
d=$(copy no-interrupts)
rm "$d/proc/interrupts"
run "$MQTUNE" --sysroot "$d" show --json eth0 eth1
if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ] &&
	python3 "$CHECK" --sysroot "$d" "$d/truth.json" "$OUT" >"$WORK/res" 2>&1; then
	ts_pass "errors: no /proc/interrupts, names from actions files"
else
	ts_fail "errors: no /proc/interrupts, names from actions files: exit $RC"
	cat "$ERR" "$WORK/res" 2>/dev/null | sed 's/^/    /' | head -10
fi

# --- the command line -----------------------------------------------------
run "$MQTUNE"
if [ "$RC" -eq 2 ] && grep -qi usage "$ERR" && [ ! -s "$OUT" ]; then
	ts_pass "errors: no arguments: usage on stderr, exit 2"
else
	ts_fail "errors: no arguments: exit $RC (want 2, usage on stderr only)"
	head -3 "$ERR" "$OUT" | sed 's/^/    /'
fi

run "$MQTUNE" --help
if [ "$RC" -eq 0 ] && grep -qw show "$OUT" && grep -qi 'exit' "$OUT" &&
	grep -Eq '(^|[^0-9])3([^0-9]|$)' "$OUT" &&
	grep -Eq '(^|[^0-9])5([^0-9]|$)' "$OUT" && [ ! -s "$ERR" ]; then
	ts_pass "errors: --help: exit 0, mentions show and the exit statuses"
else
	ts_fail "errors: --help: exit $RC, or stdout lacks \"show\"/exit statuses"
	head -5 "$OUT" "$ERR" | sed 's/^/    /'
fi

run "$MQTUNE" --version
if [ "$RC" -eq 0 ] && grep -Eq '[0-9]+\.[0-9]+' "$OUT" && [ ! -s "$ERR" ]; then
	ts_pass "errors: --version"
else
	ts_fail "errors: --version: exit $RC"
	head -3 "$OUT" "$ERR" | sed 's/^/    /'
fi

for args in "--bogus" "--sysroot $BASE show --bogus eth0" "frobnicate"; do
	# shellcheck disable=SC2086 # split on purpose
	run "$MQTUNE" $args
	if [ "$RC" -eq 2 ] && [ -s "$ERR" ] && [ ! -s "$OUT" ]; then
		ts_pass "errors: '$args': exit 2"
	else
		ts_fail "errors: '$args': exit $RC (want 2 and a message on stderr)"
		head -3 "$ERR" "$OUT" | sed 's/^/    /'
	fi
done
exit 0
