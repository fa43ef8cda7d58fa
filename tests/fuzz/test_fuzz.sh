#!/bin/bash
# test_fuzz.sh - the libFuzzer targets of tests/fuzz/ as part of `make
# check`: build them (mk/fuzz.mk), replay every input kept in
# tests/fuzz/regressions/NAME/, then fuzz each target for
# FUZZ_CHECK_SECONDS (default 5) from a scratch copy of its seed corpus
# tests/fuzz/corpus/NAME.  One PASS or FAIL per target; one SKIP when clang
# with libFuzzer (Debian: clang, libclang-rt-14-dev) is not installed.
# A crashing input found here is kept in build/fuzz/check-findings/.
#
# FUZZ_CC: the compiler (default clang).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

FUZZ_CC=${FUZZ_CC:-clang}
SECS=${FUZZ_CHECK_SECONDS:-5}
FUZZ_DIR="$TS_TOP/tests/fuzz"
KEEP="$TS_TOP/build/fuzz/check-findings"

# Not d=$(ts_tmpdir): the EXIT trap it sets would fire in the subshell.
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

# Can this compiler build and link a libFuzzer target with the sanitizers?
cat >"$WORK/probe.c" <<'PROBE'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return data && size > 1 && data[0] == 'x';
}
PROBE
if ! command -v "$FUZZ_CC" >/dev/null 2>&1 ||
	! "$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$WORK/probe" \
		"$WORK/probe.c" >"$WORK/probe.log" 2>&1; then
	ts_skip "fuzz: clang/libFuzzer not installed"
	exit 0
fi

if ! make -C "$TS_TOP" --no-print-directory fuzz-build FUZZ_CC="$FUZZ_CC" \
	>"$WORK/build.log" 2>&1; then
	ts_fail "fuzz: building the targets failed"
	tail -30 "$WORK/build.log" | sed 's/^/    /'
	exit 0
fi

shopt -s nullglob
for src in "$FUZZ_DIR"/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin="$TS_TOP/build/fuzz/fuzz_$name"
	why=()

	# Every kept regression input, one at a time, so each failure is named.
	regs=("$FUZZ_DIR/regressions/$name"/*)
	for input in "${regs[@]}"; do
		if ! "$bin" -runs=1 "$input" >"$WORK/replay.log" 2>&1; then
			why+=("regression ${input#"$TS_TOP"/} fails")
			grep -E 'property failed|runtime error|ERROR: |SUMMARY: |gives' \
				"$WORK/replay.log" | head -5 | sed 's/^/    /'
		fi
	done

	# A short run from the seeds; fuzz-run.sh prints its summary line.
	if ! "$FUZZ_DIR/fuzz-run.sh" "$bin" "$WORK/corpus-$name" "$SECS" \
		"$FUZZ_DIR/corpus/$name" "$FUZZ_DIR/$name.dict" >"$WORK/run.log" 2>&1; then
		why+=("fuzzing found an input")
		mkdir -p "$KEEP"
		for a in "$WORK/corpus-$name".*-*; do
			cp "$a" "$KEEP/$name.$(basename "$a" | sed 's/.*\.//')"
		done
		cp "$WORK/corpus-$name.log" "$KEEP/$name.log" 2>/dev/null
		echo "    (crash inputs and log kept in ${KEEP#"$TS_TOP"/})"
	fi
	sed 's/^/    /' "$WORK/run.log"

	if [ ${#why[@]} -eq 0 ]; then
		ts_pass "fuzz $name: ${#regs[@]} regression inputs, ${SECS}s from the seeds"
	else
		msg=$(printf '%s; ' "${why[@]}")
		ts_fail "fuzz $name: ${msg%; }"
	fi
done
