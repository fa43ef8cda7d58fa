#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_restore_kill.sh - a run killed at any point does not lose the
# originals.  On a large machine (1024 CPUs, 8 x 128 queues) `auto` is
# killed with SIGKILL at random points of its writes; then `restore
# --all` gives back the tree from before mqtune, and `auto` the tree of a
# clean apply -- in both orders.  A few trials: bounded run time.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

HASH="$TS_TOP/tests/lib/tree_hash.py"
TRIALS=${MQ_KILL_TRIALS:-4}
if [ ! -x "$MQTUNE" ]; then
	ts_fail "restore kill: mqtune binary $MQTUNE not built"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
nics=() ifs=()
for i in 0 1 2 3 4 5 6 7; do
	nics+=(--nic "ice:eth$i:128:node=$i")
	ifs+=("eth$i")
done
if ! ts_gen big --cpus 1024 --nodes 8 --smt 2 "${nics[@]}"; then
	ts_fail "restore kill: cannot build the 1024-CPU machine"
	exit 0
fi
d=$WORK/big
mq() { "$MQTUNE" --sysroot "$d" -q "$@" 2>>"$WORK/err"; }
digest() { python3 "$HASH" "$d"; }
check() {	# check NAME WANT: the tree's digest is WANT
	local now
	now=$(digest)
	if [ "$now" = "$2" ]; then
		ts_pass "$1"
	else
		ts_fail "$1"
		python3 "$HASH" --list "$d" >"$WORK/now.list"
		diff "$WORK/$3.list" "$WORK/now.list" | head -6 | sed 's/^/    /'
	fi
}

orig=$(digest)
python3 "$HASH" --list "$d" >"$WORK/orig.list"
start=$(date +%s%N)
mq auto "${ifs[@]}"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
clean=$(digest)
python3 "$HASH" --list "$d" >"$WORK/clean.list"
[ "$clean" != "$orig" ] && ts_pass "restore kill: a clean apply (${ms} ms) changes the tree" ||
	ts_fail "restore kill: the clean apply changed nothing"
mq restore --all
check "restore kill: restore after the clean apply gives the original" "$orig" orig

# Kill points spread over the run (its discovery, the journal write and
# the writes), in milliseconds from the start.
mid=0
for t in $(seq 1 "$TRIALS"); do
	at=$(( RANDOM % (ms + 1) ))
	if [ "$t" -eq 1 ] && command -v strace >/dev/null; then
		# one certainly among the writes: SIGKILL on entering the
		# 1,000th write(2) (the state file's is the first; a run
		# writes some 2,600 files here)
		at="write 1000"
		(strace -f -qq -o /dev/null -e trace=write \
			-e inject=write:signal=KILL:when=1000 \
			"$MQTUNE" --sysroot "$d" -q auto "${ifs[@]}"; true) >/dev/null 2>&1
	else
		[ "$t" -eq 1 ] && at=$(( ms * 6 / 10 ))	# likely among the writes
		"$MQTUNE" --sysroot "$d" -q auto "${ifs[@]}" 2>/dev/null &
		pid=$!
		sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		at="$at ms"
	fi
	now=$(digest)
	[ "$now" != "$orig" ] && [ "$now" != "$clean" ] && mid=$((mid + 1))
	if [ $((t % 2)) -eq 1 ]; then
		mq restore --all
		check "restore kill: trial $t (killed at ${at}): restore gives the original" "$orig" orig
		mq auto "${ifs[@]}"
		check "restore kill: trial $t: then auto converges to the clean apply" "$clean" clean
	else
		mq auto "${ifs[@]}"
		check "restore kill: trial $t (killed at ${at}): auto converges to the clean apply" "$clean" clean
		mq auto --rps off --xps off "${ifs[@]}"
	fi
	mq restore --all
	check "restore kill: trial $t: restore gives the original again" "$orig" orig
done
# A run killed half-way must have been seen at least once, or the trials
# proved nothing.
[ "$mid" -gt 0 ] && ts_pass "restore kill: $mid of $TRIALS runs were killed half-way through the writes" ||
	ts_fail "restore kill: no run was killed half-way (apply ${ms} ms)"
[ ! -s "$WORK/err" ] && ts_pass "restore kill: the runs after a kill report no error" ||
	ts_fail "restore kill: errors: $(head -3 "$WORK/err")"
