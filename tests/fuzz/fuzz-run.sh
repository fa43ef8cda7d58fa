#!/bin/bash
# fuzz-run.sh - run one libFuzzer target for a while and sum it up in one
# line.  Used by `make fuzz` / `make fuzz-smoke` (mk/fuzz.mk) and by
# tests/fuzz/test_fuzz.sh.
#
#   fuzz-run.sh BINARY CORPUS SECONDS [SEEDS [DICT]]
#
# The files of SEEDS (the committed seed corpus) are copied into CORPUS,
# which libFuzzer then grows; SEEDS itself is never written.  The log goes
# to CORPUS.log, a crashing input to CORPUS.crash-<hash> (libFuzzer's
# artifact prefix).  The summary line is
#
#   fuzz NAME: RUNS runs in SECS s (EXECS/s), cov N, ft N, corpus N: no crash
#
# or ends in "FOUND <kind>: <artifact>".  Exit 0 when nothing was found,
# 1 on a finding (crash, sanitizer report, leak, timeout, out of memory),
# 2 on a usage error.
set -u

if [ $# -lt 3 ] || [ $# -gt 5 ]; then
	echo "usage: fuzz-run.sh BINARY CORPUS SECONDS [SEEDS [DICT]]" >&2
	exit 2
fi
bin=$1 corpus=$2 secs=$3 seeds=${4:-} dict=${5:-}
name=$(basename "$bin")
name=${name#fuzz_}
log=$corpus.log

if [ ! -x "$bin" ]; then
	echo "fuzz $name: $bin is not built" >&2
	exit 2
fi
mkdir -p "$corpus" || exit 2
if [ -n "$seeds" ] && [ -d "$seeds" ]; then
	# never overwrite: the corpus keeps what earlier runs found
	cp -n "$seeds"/* "$corpus"/ 2>/dev/null
fi
args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048
	-print_final_stats=1 -artifact_prefix="$corpus.")
[ -n "$dict" ] && [ -f "$dict" ] && args+=(-dict="$dict")

start=$(date +%s)
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" "${args[@]}" "$corpus" >"$log" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
runs=$(stat number_of_executed_units)
rate=$(stat average_exec_per_sec)
last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
files=$(find "$corpus" -maxdepth 1 -type f | wc -l)
summary="fuzz $name: ${runs:-?} runs in $elapsed s (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus $files"

if [ "$rc" -eq 0 ]; then
	echo "$summary: no crash"
	exit 0
fi
kind=crash
grep -q 'ERROR: libFuzzer: timeout' "$log" && kind=timeout
grep -q 'ERROR: libFuzzer: out-of-memory' "$log" && kind=out-of-memory
grep -q 'ERROR: LeakSanitizer' "$log" && kind=leak
artifact=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -1)
echo "$summary: FOUND $kind: ${artifact:-no artifact} (exit $rc, log $log)"
# the report, and the stack frames in mqtune's own code
grep -E 'property failed|runtime error|ERROR: [A-Za-z]+Sanitizer|SUMMARY: |ERROR: libFuzzer: (timeout|out-of-memory)|^ *#[0-9]+ 0x.* in .*(/src/|/tests/fuzz/)' "$log" |
	head -20 | sed 's/^/    /'
exit 1
