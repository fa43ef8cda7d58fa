#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_napi.sh - threaded NAPI threads on synthetic machines: `show` finds
# the napi/<dev>-<id> kernel threads (virtio_net's tx NAPIs without an id,
# veth, a driver with one NAPI per queue pair), their affinity and queue
# (inferred: a sysroot has no netlink), and nothing for a device with
# threaded NAPI off or a kernel without the threaded file; a user process
# named like a NAPI thread is not one; `auto` in a sysroot shows the
# threads, plans nothing for them and says why; malformed files fail
# with status 5 naming the file.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

CHECK="$TS_TOP/tests/integration/check_napi.py"
VALIDATE="$TS_TOP/tests/lib/validate_json.py"
if [ ! -x "$MQTUNE" ]; then
	ts_fail "napi: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "napi: python3 not installed"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
IFS_ALL="eth0 veth0 eth1 eth2 eth3"

# a user process (not a kernel thread: no PF_KTHREAD, parent 1) that
# named itself like one of eth0's NAPI threads
fake_user_thread() {
	local d=$1/proc/7777
	mkdir -p "$d"
	printf 'napi/eth0-8199\n' >"$d/comm"
	printf 'napi/eth0-8199\0' >"$d/cmdline"
	printf '7777 (napi/eth0-8199) S 1 7777 7777 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n' >"$d/stat"
	printf 'Name:\tnapi/eth0-8199\nPPid:\t1\nKthread:\t0\nCpus_allowed:\tf\nCpus_allowed_list:\t0-3\n' >"$d/status"
}

M=$WORK/m
if ! ts_gen m --cpus 4 --nic virtio_net:eth0:3:napi=1 \
	--nic veth:veth0:2:napi=1:napi_aff=2 --nic ice:eth1:4:napi=2 \
	--nic ixgbe:eth2:2:napi=0 --nic igb:eth3:2; then
	ts_fail "napi: mkmachine.py failed"
	exit 0
fi
fake_user_thread "$M"

# show --json: schema, and the threads against the truth
# shellcheck disable=SC2086  # the interface names
if "$MQTUNE" --sysroot "$M" show --json $IFS_ALL >"$WORK/show.json" 2>"$WORK/err"; then
	ts_check "napi show --json: schema" python3 "$VALIDATE" "$WORK/show.json"
	ts_check "napi show --json: threads as built" python3 "$CHECK" \
		"$M/truth.json" "$WORK/show.json"
else
	ts_fail "napi show --json: exit $?: $(cat "$WORK/err")"
fi

# show (text): a block for the threaded interfaces only
# shellcheck disable=SC2086
"$MQTUNE" --sysroot "$M" show $IFS_ALL >"$WORK/show.txt" 2>&1
n=$(grep -c 'threaded NAPI:' "$WORK/show.txt")
[ "$n" -eq 3 ] && ts_pass "napi show: three threaded interfaces" ||
	ts_fail "napi show: $n 'threaded NAPI:' lines, want 3"
grep -q '^  threaded NAPI: on; 6 threads (found by thread name)$' "$WORK/show.txt" &&
	grep -q '^  threaded NAPI: on, busy-poll; 4 threads' "$WORK/show.txt" &&
	grep -q 'napi/eth0-0 .* tx-2 ' "$WORK/show.txt" &&
	grep -q 'inferred from NAPI id order' "$WORK/show.txt" &&
	! grep -q 'napi/eth0-8199' "$WORK/show.txt" &&
	ts_pass "napi show: text block" ||
	{ ts_fail "napi show: text block"; sed 's/^/    /' "$WORK/show.txt"; }

# auto in a sysroot: the threads shown, nothing planned for them, a note
# shellcheck disable=SC2086
if "$MQTUNE" --sysroot "$M" auto --dry-run --json $IFS_ALL >"$WORK/auto.json" 2>"$WORK/err"; then
	ts_check "napi auto --dry-run --json: schema" python3 "$VALIDATE" "$WORK/auto.json"
	ts_check "napi auto --dry-run --json: nothing planned in a sysroot" \
		python3 "$CHECK" "$M/truth.json" "$WORK/show.json" "$WORK/auto.json"
else
	ts_fail "napi auto --dry-run --json: exit $?: $(cat "$WORK/err")"
fi
"$MQTUNE" --sysroot "$M" auto --dry-run eth0 >"$WORK/auto.txt" 2>&1
grep -q '^eth0 threaded NAPI: on; 6 threads' "$WORK/auto.txt" &&
	grep -q 'a --sysroot snapshot: NAPI threads are shown, not pinned' "$WORK/auto.txt" &&
	! grep -q 'napi/eth0-8193 .*->' "$WORK/auto.txt" &&
	ts_pass "napi auto --dry-run: threads shown, not planned, with the note" ||
	{ ts_fail "napi auto --dry-run: text"; sed 's/^/    /' "$WORK/auto.txt"; }
# a real run writes the queue files but no /proc file
sum_before=$(cat "$M"/proc/400[0-9]/status | md5sum)
"$MQTUNE" --sysroot "$M" auto eth0 >"$WORK/real.txt" 2>&1
rc=$?
sum_after=$(cat "$M"/proc/400[0-9]/status | md5sum)
[ $rc -eq 0 ] && [ "$sum_before" = "$sum_after" ] &&
	ts_pass "napi auto (sysroot): exit 0, thread files untouched" ||
	ts_fail "napi auto (sysroot): exit $rc, thread files changed: $([ "$sum_before" = "$sum_after" ] && echo no || echo yes)"

# malformed: each file mqtune reads about the threads, status 5 naming it
bad_case() {
	local name=$1 file=$2 text=$3 dir=$WORK/$1 rc
	ts_gen "$1" --cpus 4 --nic virtio_net:eth0:2:napi=1 ||
		{ ts_fail "napi $name: mkmachine.py failed"; return; }
	[ -f "$dir/$file" ] || { ts_fail "napi $name: no $file"; return; }
	printf '%b' "$text" >"$dir/$file"
	"$MQTUNE" --sysroot "$dir" show eth0 >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ $rc -eq 5 ] && grep -qF "mqtune: $dir/$file: malformed contents" "$WORK/err" &&
		ts_pass "napi $name: exit 5 naming the file" ||
		ts_fail "napi $name: exit $rc: $(cat "$WORK/err")"
}
bad_case bad-threaded sys/class/net/eth0/threaded 'on\n'
bad_case bad-cpus proc/4000/status 'Name:\tnapi/eth0-0\nCpus_allowed_list:\t0-x\n'
bad_case no-cpus proc/4000/status 'Name:\tnapi/eth0-0\nPPid:\t2\n'
bad_case bad-stat proc/4001/stat '4001 (napi/eth0-8194) S\n'

# threaded NAPI on with no thread (a driver without NAPI): said
ts_gen nothread --cpus 4 --nic virtio_net:eth0:2 &&
	printf '1\n' >"$WORK/nothread/sys/class/net/eth0/threaded" &&
	"$MQTUNE" --sysroot "$WORK/nothread" show eth0 >"$WORK/out" 2>&1 &&
	grep -q 'threaded NAPI: on; 0 threads: no napi/ thread found' "$WORK/out" &&
	ts_pass "napi: threaded on, no thread: said" ||
	{ ts_fail "napi: threaded on, no thread"; sed 's/^/    /' "$WORK/out"; }
exit 0
