#!/bin/bash
# test_plan.sh - the machine-wide plan (issue 8): random splits and orders
# of the interface list leave the tree of `auto --all`, reruns write
# nothing, shared vectors and repeated names never flip, and `check`
# (status 12, --json, --prometheus); see check_plan.py.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "plan: mqtune binary $MQTUNE not built"
	exit 0
fi
# Thousands of small files per machine: in memory when /dev/shm allows.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	WORK=$(mktemp -d /dev/shm/mqtune-test.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
else
	ts_tmpdir >/dev/null
	WORK=${TS_CLEANUP##* }
fi
python3 "$TS_TOP/tests/integration/check_plan.py" "$MQTUNE" "$WORK" \
	>"$WORK/log" 2>&1
rc=$?
while IFS= read -r line; do
	case "$line" in
	"PASS: "*) ts_pass "plan: ${line#PASS: }" ;;
	"FAIL: "*) ts_fail "plan: ${line#FAIL: }" ;;
	"SKIP: "*) ts_skip "plan: ${line#SKIP: }" ;;
	*) echo "$line" ;;
	esac
done <"$WORK/log"
if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$WORK/log"; then
	ts_fail "plan: check_plan.py ended with status $rc"
fi
