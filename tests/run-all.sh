#!/bin/bash
# run-all.sh - run every test of `make check` and add them up.
#
# Unit tests (libcheck, plain and under ASan+UBSan) report their own
# "Checks: N, Failures: F, Errors: E" line; shell tests report
# PASS/FAIL/SKIP lines through tests/lib/ts.sh.  A script that exits
# non-zero without reporting a failure counts as one failure.  The last
# line is "N passed, N failed, N skipped"; the exit status is non-zero
# when anything failed.
set -u
cd "$(dirname "$0")/.."
top=$PWD
: "${MQTUNE:=$top/mqtune}"
export MQTUNE MQTUNE_ASAN="${MQTUNE_ASAN:-}"
passed=0 failed=0 skipped=0
results=$(mktemp)
trap 'rm -f "$results"' EXIT

run_unit() {	# run_unit LABEL BINARY
	local label=$1 bin=$2 out line checks fails errors
	[ -x "$bin" ] || { echo "FAIL: $label: $bin not built"; failed=$((failed + 1)); return; }
	echo "== $label"
	out=$("$bin" 2>&1)
	local rc=$?
	printf '%s\n' "$out" | grep -v '^[0-9]*%: Checks' | grep -E ':[EF]:|no tests yet|Assertion|ERROR|runtime error' | head -50
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL: $label: no libcheck summary (exit $rc)"
		printf '%s\n' "$out" | tail -20
		failed=$((failed + 1))
		return
	fi
	echo "$line"
	checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
	fails=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
	errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + checks - fails - errors))
	failed=$((failed + fails + errors))
	if [ "$rc" -ne 0 ] && [ $((fails + errors)) -eq 0 ]; then
		echo "FAIL: $label exited $rc"
		failed=$((failed + 1))
	fi
}

run_script() {	# run_script PATH
	local script=$1 before after rc
	echo "== ${script#"$top"/}"
	before=$(grep -c '^FAIL' "$results")
	TS_RESULTS=$results bash "$script"
	rc=$?
	after=$(grep -c '^FAIL' "$results")
	if [ "$rc" -ne 0 ] && [ "$after" -eq "$before" ]; then
		echo "FAIL: ${script#"$top"/} exited $rc without reporting a failure"
		echo "FAIL ${script#"$top"/} exit $rc" >>"$results"
	fi
}

run_unit "unit tests" "${UNIT:-$top/build/check_unit}"
run_unit "unit tests (ASan+UBSan)" "${UNIT_ASAN:-$top/build/check_unit-asan}"
for t in tests/integration/test_*.sh tests/kernel/test_*.sh tests/docs/test_*.sh tests/fuzz/test_*.sh \
	tests/ansible/test_*.sh tests/pkg/test_*.sh \
	tests/bench/test_*.sh tests/valgrind/test_*.sh; do
	[ -f "$t" ] && run_script "$top/$t"
done

passed=$((passed + $(grep -c '^PASS' "$results")))
failed=$((failed + $(grep -c '^FAIL' "$results")))
skipped=$((skipped + $(grep -c '^SKIP' "$results")))
if [ "$skipped" -gt 0 ]; then
	echo "skipped:"
	grep '^SKIP' "$results" | sed 's/^SKIP /  /'
fi
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep '^FAIL' "$results" | sed 's/^FAIL /  /'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
