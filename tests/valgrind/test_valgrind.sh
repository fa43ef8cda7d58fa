#!/bin/bash
# test_valgrind.sh - mqtune under valgrind memcheck on a large synthetic
# machine (tests/gen/mkmachine.py: 256 CPUs, 4 nodes, SMT 2, three NICs):
# show --json, auto --dry-run, auto (on a copy of the tree) and failing
# runs (an unknown interface), plus show as text, auto --dry-run --json, a
# second auto with nothing left to change, a bad option, restore (dry
# run, one interface, all, a truncated state file), and an auto whose
# write fails half-way and is undone (status 7; needs chattr +i).  Each passes when mqtune exits with its
# expected status and valgrind reports no error and no definite, indirect
# or possible leak (an error makes valgrind exit 99 instead), and no file
# descriptor it opened is still open at exit.  SKIP when valgrind is not
# installed.  (valgrind 3.19 does not know openat2(), so under it mqtune
# walks the sysroot one component at a time, confined all the same.)
#
# MQTUNE: the binary (default ./mqtune).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/tests/gen/mkmachine.py"
VG_RC=99
IFACES=(eth0 eth1 eth2)

if ! command -v valgrind >/dev/null 2>&1; then
	ts_skip "valgrind: valgrind not installed"
	exit 0
fi
if [ ! -x "$MQTUNE" ]; then
	ts_fail "valgrind: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	ts_skip "valgrind: python3 not installed"
	exit 0
fi

# The machine has some 20k files: on tmpfs when there is one.
# Not d=$(ts_tmpdir): the EXIT trap it sets would fire in the subshell.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm ts_tmpdir >/dev/null
else
	ts_tmpdir >/dev/null
fi
WORK=${TS_CLEANUP##* }
M="$WORK/machine"

if ! python3 "$GEN" "$M" -q --cpus 256 --nodes 4 --smt 2 \
	--nic mlx5_core:eth0:64:node=1 --nic virtio_net:eth1:8:node=-1 \
	--nic gve:eth2:16:node=2 >"$WORK/gen.log" 2>&1; then
	ts_fail "valgrind: mkmachine.py failed"
	sed 's/^/    /' "$WORK/gen.log"
	exit 0
fi
cp -a "$M" "$WORK/apply"
cp -a "$M" "$WORK/fail"

# vg NAME WANT-RC ARGS...: run mqtune ARGS under memcheck; pass when it
# exits WANT-RC and valgrind found nothing.
n=0
vg() {
	local name=$1 want=$2 rc log fds why msg
	shift 2
	n=$((n + 1))
	log="$WORK/vg.$n.log"
	valgrind --error-exitcode=$VG_RC --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		--track-origins=yes --num-callers=30 --track-fds=yes \
		--log-file="$log" \
		"$MQTUNE" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	# descriptors open at exit that mqtune did not inherit
	fds=$(awk '/Open .*(file descriptor|socket) [0-9]+:/ { open = 1; next }
		open { if ($0 !~ /inherited from parent/) n++; open = 0 }
		END { print n + 0 }' "$log")
	if [ "$rc" -eq "$want" ] && [ "$fds" -eq 0 ] &&
		grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
		ts_pass "valgrind: $name: exit $rc, no errors, no leaks"
		return
	fi
	why=()
	[ "$rc" -eq "$VG_RC" ] && why+=("memcheck found errors (exit $VG_RC)")
	[ "$rc" -ne "$want" ] && [ "$rc" -ne "$VG_RC" ] && why+=("exit $rc, want $want")
	[ "$rc" -ne "$VG_RC" ] && ! grep -q 'ERROR SUMMARY: 0 errors' "$log" &&
		why+=("no clean ERROR SUMMARY")
	[ "$fds" -ne 0 ] && why+=("$fds file descriptors left open")
	msg=$(printf '%s; ' "${why[@]}")
	ts_fail "valgrind: $name: ${msg%; }"
	head -3 "$WORK/err" | sed 's/^/    stderr: /'
	# the report without valgrind's banner: errors, then leak records
	sed -E 's/^==[0-9]+== ?//' "$log" | sed '1,/^Command:/d' | grep -v '^$' |
		grep -v '^Parent PID' | head -80 | sed 's/^/    /'
}

vg "show --json ${IFACES[*]}" 0 --sysroot "$M" show --json "${IFACES[@]}"
vg "auto --dry-run ${IFACES[*]}" 0 --sysroot "$M" auto --dry-run "${IFACES[@]}"
vg "auto ${IFACES[*]}" 0 --sysroot "$WORK/apply" auto "${IFACES[@]}"
vg "show of an unknown interface" 3 --sysroot "$M" show eth0 nosuch9

vg "show ${IFACES[*]} (text)" 0 --sysroot "$M" show "${IFACES[@]}"
vg "auto --dry-run --json ${IFACES[*]}" 0 --sysroot "$M" auto --dry-run --json "${IFACES[@]}"
vg "auto again, nothing to change" 0 --sysroot "$WORK/apply" auto "${IFACES[@]}"
vg "auto with a bad --cpus" 2 --sysroot "$M" auto --dry-run --cpus 0-3,x eth0
# the state file auto wrote: restore one interface, then the rest
vg "auto --rps off (state file kept)" 0 --sysroot "$WORK/apply" auto --rps off "${IFACES[@]}"
vg "restore --dry-run --json --all" 0 --sysroot "$WORK/apply" restore --dry-run --json --all
vg "restore eth1" 0 --sysroot "$WORK/apply" restore eth1
vg "restore --all" 0 --sysroot "$WORK/apply" restore --all
mkdir -p "$WORK/apply/var/lib/mqtune"
echo '{"format": "mqtune-state", "version": 1, "boot_id": null, "entries": [ {' \
	>"$WORK/apply/var/lib/mqtune/state.json"
vg "restore of a truncated state file" 14 --sysroot "$WORK/apply" restore --all
vg "auto with a truncated state file (warns)" 0 --sysroot "$WORK/apply" auto "${IFACES[@]}"
# eth1 (8 queues on node 0's 64 CPUs) has RPS planned; eth0's 64 homes fill
# node 1, so with RPS kept on the node eth0 plans no rps_cpus.
target="$WORK/fail/sys/class/net/eth1/queues/rx-5/rps_cpus"
if chattr +i "$target" 2>/dev/null; then
	vg "auto with a write failing half-way (undone)" 7 \
		--sysroot "$WORK/fail" auto "${IFACES[@]}"
	chattr -i "$target"
else
	ts_skip "valgrind: auto with a failing write: chattr +i is not supported on $WORK's file system"
fi
