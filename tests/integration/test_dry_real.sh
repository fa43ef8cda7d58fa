#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_dry_real.sh - a dry run predicts the real run: garbage in a file
# that a real `auto` does not read (lean discovery) must not fail `show` or
# `auto --dry-run` either.  core_id, physical_package_id and
# effective_affinity_list (of a movable and of a kernel-managed IRQ)
# degrade to "unknown" with a warning; for each, show, auto --dry-run and
# auto must exit with the same status (0), and show and the dry run must
# carry the warning.  A required file (smp_affinity_list) fails all three
# alike (5).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/tests/gen/mkmachine.py"
if [ ! -x "$MQTUNE" ]; then
	ts_fail "dry/real: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "dry/real: python3 not installed"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

# case NAME FILE WANT-STATUS WARNS [GEN-ARGS...]: a fresh 8-CPU machine
# whose FILE (relative to the sysroot) holds garbage.
case_() {
	local name=$1 file=$2 want=$3 warns=$4 dir=$WORK/$1 mode rc st
	shift 4
	python3 "$GEN" -q "$dir" --cpus 8 --smt 2 --nic ice:eth0:4 "$@" \
		>"$WORK/$name.gen" 2>&1 ||
		{ ts_fail "dry/real $name: mkmachine.py failed"; return; }
	[ -f "$dir/$file" ] || { ts_fail "dry/real $name: no $file"; return; }
	printf 'x1-\n' >"$dir/$file"
	st=
	for mode in show "auto --dry-run" auto; do
		# shellcheck disable=SC2086  # $mode: a command and its option
		"$MQTUNE" --sysroot "$dir" $mode eth0 >"$WORK/out" 2>"$WORK/err"
		rc=$?
		st="$st $rc"
		if [ "$warns" = yes ] && [ "$mode" != auto ]; then
			grep -q "warning.*$file: malformed contents: ignored\|^  $dir/$file: malformed contents: ignored" "$WORK/out" &&
				ts_pass "dry/real $name: $mode warns about $file" ||
				ts_fail "dry/real $name: $mode: no warning about $file"
		fi
	done
	[ "$st" = " $want $want $want" ] &&
		ts_pass "dry/real $name: show, dry run and real run all exit $want" ||
		ts_fail "dry/real $name: show, dry run, real run exit$st; want $want each"
}

case_ core_id sys/devices/system/cpu/cpu2/topology/core_id 0 yes
case_ package sys/devices/system/cpu/cpu0/topology/physical_package_id 0 yes
# the first NIC IRQ is 40 (ice: the misc vector), 41 its first queue
case_ effective proc/irq/41/effective_affinity_list 0 yes
case_ effective-managed proc/irq/41/effective_affinity_list 0 yes \
	--kernel-managed eth0
case_ affinity proc/irq/41/smp_affinity_list 5 no

# show --json: the id is unknown (-1) and the warning is in the document
dir=$WORK/core_id
if "$MQTUNE" --sysroot "$dir" show --json eth0 >"$WORK/out.json" 2>/dev/null &&
	python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
d = doc["system"]
cpu2 = [c for c in d["cpu_topology"] if c["cpu"] == 2][0]
ok = cpu2["core"] == -1 and any("core_id" in w["message"] and
                                w["code"] == "unreadable-topology"
                                for w in doc["warnings"])
sys.exit(0 if ok else 1)' "$WORK/out.json"; then
	ts_pass "dry/real core_id: show --json: core -1, unreadable-topology warning"
else
	ts_fail "dry/real core_id: show --json lacks core -1 or the warning"
fi
exit 0
