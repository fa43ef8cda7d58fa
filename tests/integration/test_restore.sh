#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_restore.sh - the state file and `mqtune restore` on synthetic
# machines: after auto, auto --rps off --xps off and restore the tree is
# byte-identical to the one before the first auto; restore of one
# interface leaves the other's entries (and the sysctls); dry run; JSON
# against its schema; stale entries (another boot, a re-created
# interface) are not written back; a corrupt, truncated or unwritable
# state file (status 14 for restore, auto still works and leaves it).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

VALIDATE="$TS_TOP/tests/lib/validate_json.py"
if [ ! -x "$MQTUNE" ]; then
	ts_fail "restore: mqtune binary $MQTUNE not built"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
STATE=var/lib/mqtune/state.json

# tree DIR: path, mode and checksum of every file but mqtune's own (the
# lock in run/, the state file in var/lib/mqtune/).
tree() {
	(cd "$1" && find . \( -path ./run -o -path ./var/lib/mqtune \) -prune -o \
		-type f -printf '%p %m ' -exec md5sum {} \; | sort)
}
# snapshot DIR: the same with mtimes, and the state file too.
snapshot() {
	(cd "$1" && find . -path ./run -prune -o -type f -printf '%p %T@ ' -exec md5sum {} \; | sort)
}
# run DIR CMD ARGS...: output in $WORK/out, $WORK/err, status in $rc.
run() {
	local dir=$1
	shift
	"$MQTUNE" --sysroot "$dir" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
}
same_tree() {	# same_tree NAME EXPECTED DIR
	if [ "$2" = "$(tree "$3")" ]; then
		ts_pass "$1"
	else
		ts_fail "$1"
		diff <(printf '%s\n' "$2") <(tree "$3") | head -10 | sed 's/^/    /'
	fi
}
one_line_14() {	# one_line_14 NAME: status 14, one line naming the state file
	if [ "$rc" -eq 14 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] &&
		grep -q "^mqtune: .*/var/lib/mqtune/state.json: " "$WORK/err"; then
		ts_pass "$1"
	else
		ts_fail "$1 (rc $rc: $(head -2 "$WORK/err"))"
	fi
}

# 1. The round trip, on machines of several shapes and drivers.
roundtrip() {	# roundtrip NAME IFACES...
	local name=$1 dir=$WORK/$1 orig
	shift
	orig=$(tree "$dir")
	run "$dir" auto "$@"
	[ "$rc" -eq 0 ] && [ -s "$dir/$STATE" ] &&
		ts_pass "restore $name: auto records a state file" ||
		ts_fail "restore $name: auto rc $rc, state file $(ls "$dir/$STATE" 2>&1)"
	cp "$dir/$STATE" "$WORK/$name.state1"
	[ "$(tree "$dir")" != "$orig" ] &&
		ts_pass "restore $name: auto changed the tree" ||
		ts_fail "restore $name: auto changed nothing (the test proves nothing)"
	run "$dir" auto --rps off --xps off --backlog 5000 "$@"
	[ "$rc" -eq 0 ] && ts_pass "restore $name: auto --rps off --xps off" ||
		ts_fail "restore $name: second auto rc $rc"
	if python3 - "$WORK/$name.state1" "$dir/$STATE" <<'PY'
import json, sys
a = {(e["netns"], e["path"]): e["value"] for e in json.load(open(sys.argv[1]))["entries"]}
b = {(e["netns"], e["path"]): e["value"] for e in json.load(open(sys.argv[2]))["entries"]}
# every original kept as it was; only objects first changed now are new
sys.exit(0 if all(b[k] == v for k, v in a.items()) and len(b) >= len(a) else 1)
PY
	then
		ts_pass "restore $name: the second auto keeps every recorded original"
	else
		ts_fail "restore $name: the second auto overwrote recorded originals"
	fi
	run "$dir" --json restore -n --all
	ts_check "restore $name: dry-run JSON matches the schema" python3 "$VALIDATE" "$WORK/out"
	run "$dir" --json restore --all
	cp "$WORK/out" "$WORK/$name.restore.json"
	[ "$rc" -eq 0 ] && ts_pass "restore $name: restore --all" ||
		ts_fail "restore $name: restore --all rc $rc: $(head -2 "$WORK/err")"
	ts_check "restore $name: JSON matches the schema" python3 "$VALIDATE" "$WORK/out"
	same_tree "restore $name: tree byte-identical to before the first auto" "$orig" "$dir"
	[ ! -e "$dir/$STATE" ] && ts_pass "restore $name: nothing left, state file removed" ||
		ts_fail "restore $name: state file still there"
	run "$dir" restore --all
	[ "$rc" -eq 0 ] && grep -q '^nothing to restore' "$WORK/out" &&
		ts_pass "restore $name: a second restore has nothing to do" ||
		ts_fail "restore $name: second restore rc $rc: $(head -2 "$WORK/out")"
}

if ts_gen m64 --cpus 64 --nodes 2 --smt 2 --nic ice:eth0:8:node=1 \
	--nic mlx5_core:eth1:64:node=0 --nic virtio_net:eth2:4:node=-1 \
	--speed eth0=25000; then
	roundtrip m64 eth0 eth1 eth2
else
	ts_fail "restore: cannot build m64"
fi
if ts_gen m8 --cpus 8 --nodes 1 --smt 1 --nic igb:eth0:4 --nic e1000e:eth1:1 \
	--nic bnxt_en:eth2:16:split=1; then
	roundtrip m8 eth0 eth1 eth2
else
	ts_fail "restore: cannot build m8"
fi

# 2. One interface at a time: the other's entries and the sysctls stay
#    until the last one is restored.
if ts_gen two --cpus 16 --nodes 1 --smt 2 --nic ixgbe:eth0:4 --nic ixgbe:eth1:4; then
	d=$WORK/two
	orig=$(tree "$d")
	run "$d" auto eth0 eth1
	applied=$(tree "$d")
	eth1_files() { tree "$d" | grep -E '/eth1/|irq/4[4-9]/' ; }
	eth1_applied=$(eth1_files)
	snap=$(snapshot "$d")
	run "$d" restore -n eth0
	[ "$rc" -eq 0 ] && [ "$snap" = "$(snapshot "$d")" ] &&
		ts_pass "restore two: a dry run writes nothing, state file untouched" ||
		ts_fail "restore two: dry run rc $rc or changed the tree"
	run "$d" --json restore eth0
	python3 - "$WORK/out" "$d/$STATE" <<'PY' && ts_pass "restore two: eth0's entries forgotten, eth1's and the sysctls kept" || ts_fail "restore two: wrong entries left"
import json, sys
rep = json.load(open(sys.argv[1]))
left = json.load(open(sys.argv[2]))["entries"]
ok = rep["status"] == "ok" and not rep["sysctls_restored"]
ok = ok and all(e["interface"] == "eth0" for e in rep["entries"]) and rep["entries"]
ok = ok and left and all(e["interface"] in ("eth1", None) for e in left)
ok = ok and any(e["kind"] == "sysctl" for e in left) and rep["remaining"] == len(left)
sys.exit(0 if ok else 1)
PY
	[ "$eth1_applied" = "$(eth1_files)" ] &&
		ts_pass "restore two: eth1's files left as auto made them" ||
		ts_fail "restore two: restore eth0 changed eth1's files"
	grep -q '^30000$' "$d/proc/sys/net/core/netdev_max_backlog" &&
		ts_pass "restore two: the sysctls stay while eth1 has entries" ||
		ts_fail "restore two: backlog $(cat "$d/proc/sys/net/core/netdev_max_backlog")"
	run "$d" restore eth1
	[ "$rc" -eq 0 ] && grep -q 'net.core.netdev_max_backlog' "$WORK/out" &&
		ts_pass "restore two: the last interface brings the sysctls back" ||
		ts_fail "restore two: restore eth1 rc $rc: $(cat "$WORK/out")"
	same_tree "restore two: eth0 then eth1: tree identical to the original" "$orig" "$d"
	run "$d" restore eth7
	[ "$rc" -eq 3 ] && ts_pass "restore two: an unknown interface with no entry is status 3" ||
		ts_fail "restore two: restore eth7 rc $rc"
	run "$d" restore --cpus 1 eth0
	[ "$rc" -eq 2 ] && grep -q 'option of auto' "$WORK/err" &&
		ts_pass "restore two: an option of auto is refused (2)" ||
		ts_fail "restore two: restore --cpus rc $rc"
	run "$d" restore --all eth0
	[ "$rc" -eq 2 ] && ts_pass "restore two: --all with names is refused (2)" ||
		ts_fail "restore two: restore --all eth0 rc $rc"

	# 3. Stale entries: another boot, a re-created interface.
	mkdir -p "$d/proc/sys/kernel/random"
	echo 11111111-1111-1111-1111-111111111111 >"$d/proc/sys/kernel/random/boot_id"
	run "$d" auto eth0 eth1
	grep -q '"boot_id": "11111111-' "$d/$STATE" &&
		ts_pass "restore two: the boot id is recorded" ||
		ts_fail "restore two: no boot id in the state file"
	echo 22222222-2222-2222-2222-222222222222 >"$d/proc/sys/kernel/random/boot_id"
	applied=$(tree "$d")
	run "$d" --json restore --all
	[ "$rc" -eq 0 ] && [ "$applied" = "$(tree "$d")" ] && [ ! -e "$d/$STATE" ] &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["other_boot"] and all(e["action"]=="stale" for e in d["entries"]) else 1)' "$WORK/out" &&
		ts_pass "restore two: entries of another boot are forgotten, not written" ||
		ts_fail "restore two: another boot: rc $rc"
	run "$d" restore --all	# with boot 2: nothing recorded
	run "$d" auto --rps off eth0 eth1
	echo 7 >"$d/sys/class/net/eth0/ifindex"
	run "$d" --json restore --all
	python3 - "$WORK/out" <<'PY' && ts_pass "restore two: a re-created interface's entries are stale, eth1's written" || ts_fail "restore two: ifindex change not seen"
import json, sys
d = json.load(open(sys.argv[1]))
eth0 = [e for e in d["entries"] if e["interface"] == "eth0"]
eth1 = [e for e in d["entries"] if e["interface"] == "eth1"]
ok = eth0 and all(e["action"] == "stale" for e in eth0)
ok = ok and any(e["action"] == "write" and e["state"] == "applied" for e in eth1)
sys.exit(0 if ok and d["status"] == "ok" else 1)
PY
	echo 2 >"$d/sys/class/net/eth0/ifindex"
else
	ts_fail "restore: cannot build two"
fi

# 4. A corrupt, truncated or unusable state file: restore says so (14)
#    and writes nothing; auto still works and leaves the file as it is.
if ts_gen bad --cpus 8 --nodes 1 --smt 1 --nic ixgbe:eth0:4; then
	d=$WORK/bad
	orig=$(tree "$d")
	run "$d" auto eth0
	good=$(cat "$d/$STATE")
	applied=$(tree "$d")
	corrupt() {	# corrupt NAME: the state file as $d/$STATE holds it now
		local name=$1 kept
		kept=$(md5sum <"$d/$STATE")
		run "$d" restore eth0
		one_line_14 "restore bad: $name: status 14, one line naming the file"
		grep -q 'repair it by hand or move it away' "$WORK/err" &&
			ts_pass "restore bad: $name: says how to proceed" ||
			ts_fail "restore bad: $name: no advice: $(cat "$WORK/err")"
		[ "$applied" = "$(tree "$d")" ] && ts_pass "restore bad: $name: nothing written" ||
			ts_fail "restore bad: $name: restore wrote"
		run "$d" --json restore eth0
		[ "$rc" -eq 14 ] && python3 "$VALIDATE" "$WORK/out" >/dev/null &&
			grep -q '"status":"state"' "$WORK/out" &&
			ts_pass "restore bad: $name: --json gives the error document" ||
			ts_fail "restore bad: $name: --json rc $rc: $(head -c 300 "$WORK/out")"
		run "$d" --json auto --rps off eth0
		[ "$rc" -eq 0 ] && grep -q '"code":"state-corrupt"' "$WORK/out" &&
			ts_pass "restore bad: $name: auto still works, with a warning" ||
			ts_fail "restore bad: $name: auto rc $rc: $(head -2 "$WORK/err")"
		[ "$kept" = "$(md5sum <"$d/$STATE")" ] &&
			ts_pass "restore bad: $name: auto leaves the file as it was" ||
			ts_fail "restore bad: $name: auto changed the corrupt file"
		run "$d" auto eth0	# back to the first plan
		applied=$(tree "$d")
	}
	head -c $(( ${#good} / 2 )) <<<"$good" >"$d/$STATE"
	corrupt truncated
	printf '%s\n' "$good" | head -n 3 >"$d/$STATE"
	corrupt "cut after a line"
	printf '%s\n' "$good" | sed '0,/"ifindex": 2/s//"ifindex": 2, "extra": 1/' >"$d/$STATE"
	corrupt "unknown key"
	printf '%s\n' "$good" | sed '0,/queues\/rx-0\/rps_cpus/s//..\/..\/..\/..\/etc\/x/' >"$d/$STATE"
	corrupt "a path no kind writes"
	printf '%s\nx\n' "$good" >"$d/$STATE"
	corrupt "text after the document"
	printf '\0\0\0' >"$d/$STATE"
	corrupt "zero bytes"
	: >"$d/$STATE"
	corrupt "empty"
	printf '%s\n' "$good" >"$d/$STATE"
	run "$d" restore eth0
	same_tree "restore bad: repaired by hand, restore works again" "$orig" "$d"

	# unusable: the directory is a file (the state cannot be read or made)
	rm -rf "$d/var/lib/mqtune"
	echo x >"$d/var/lib/mqtune"
	run "$d" --json auto eth0
	[ "$rc" -eq 0 ] && grep -q '"code":"state-unrecorded"' "$WORK/out" &&
		ts_pass "restore bad: unwritable state: auto applies, with a warning" ||
		ts_fail "restore bad: unwritable state: auto rc $rc: $(head -2 "$WORK/err")"
	run "$d" restore eth0
	one_line_14 "restore bad: unreadable state: restore status 14"
	rm -f "$d/var/lib/mqtune"
	# a temporary left by a killed journal write is not in the way
	run "$d" restore -n eth0
	mkdir -p "$d/var/lib/mqtune"
	echo '{"trunc' >"$d/var/lib/mqtune/.state.json.tmp"
	run "$d" auto --rps off eth0
	[ "$rc" -eq 0 ] && [ ! -e "$d/var/lib/mqtune/.state.json.tmp" ] && [ -s "$d/$STATE" ] &&
		ts_pass "restore bad: a killed write's temporary is replaced" ||
		ts_fail "restore bad: temporary left: rc $rc"
else
	ts_fail "restore: cannot build bad"
fi

# 5. A write failing half-way (apply undoes everything, status 7): the
#    entries stay, they are still the originals.
if ts_gen half --cpus 8 --nodes 1 --smt 1 --nic ixgbe:eth0:4; then
	d=$WORK/half
	orig=$(tree "$d")
	chattr +i "$d/sys/class/net/eth0/queues/rx-2/rps_cpus" 2>/dev/null
	if lsattr "$d/sys/class/net/eth0/queues/rx-2/rps_cpus" 2>/dev/null | cut -c1-20 | grep -q i; then
		run "$d" auto eth0
		[ "$rc" -eq 7 ] && [ -s "$d/$STATE" ] && same_tree "restore half: apply undone (7), tree as before" "$orig" "$d" ||
			ts_fail "restore half: rc $rc"
		chattr -i "$d/sys/class/net/eth0/queues/rx-2/rps_cpus"
		run "$d" auto eth0
		run "$d" restore eth0
		same_tree "restore half: entries from the undone run restore the original" "$orig" "$d"
	else
		ts_skip "restore half: chattr +i does not work here"
	fi
fi

# 6. Without root and without --sysroot, restore refuses before writing;
#    a dry run needs no root (it only reads).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTUNE" restore lo \
		>"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 4 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q 'needs root' "$WORK/err" &&
		ts_pass "restore: not root -> status 4 before any write" ||
		ts_fail "restore: not root rc $rc: $(cat "$WORK/err")"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTUNE" restore --dry-run lo \
		>"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && ts_pass "restore: --dry-run works without root" ||
		ts_fail "restore: dry run as nobody rc $rc: $(cat "$WORK/err")"
else
	ts_skip "restore: not-root checks need root and setpriv(1)"
fi
