#!/bin/bash
# test_restore_veth.sh - the state file and `mqtune restore` against the
# real kernel, on veths of 8 rx / 8 tx queues in a private network
# namespace (and a private /var/lib: the state file is the test's).
#
# Values set by hand before mqtune are the "original" state; after auto,
# auto --rps off --xps off and restore, every queue file holds exactly
# that again (restore of one veth leaves the other's); the entries name
# the namespace; a run killed (SIGKILL injected by strace at its Nth
# write) loses nothing: restore gives the original, auto the plan; a veth
# re-created under the same name has a new ifindex, and its entries are
# stale: not written.  Skips, saying why, without root, namespaces, veth.
# The queues stay as created (--channels keep): channel changes are
# tests/kernel/test_channels_set.sh's.

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/restore
kt_begin restore python3
mkveth() {	# mkveth A B
	ip -n "$NS" link add "$1" numrxqueues 8 numtxqueues 8 type veth \
		peer name "$2" numrxqueues 8 numtxqueues 8 2>/dev/null &&
		ip -n "$NS" link set "$1" up && ip -n "$NS" link set "$2" up
}
mkveth v0 p0 || kt_skip "cannot create a veth pair (veth module missing?)"
mkveth v1 p1 || kt_skip "cannot create a second veth pair"
in_ns test -e /sys/class/net/v0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"
STATE=$TMP/varlib/mqtune/state.json

files() {	# files IF...: every queue file of the interfaces, as the kernel prints it
	local i
	for i in "$@"; do
		in_ns sh -c "cd /sys/class/net/$i/queues && grep -H . rx-*/rps_cpus rx-*/rps_flow_cnt tx-*/xps_cpus 2>/dev/null | sed 's|^|$i/|'"
	done
}
# The pre-mqtune state: not the kernel's defaults, so a restore that wrote
# "0" everywhere would not pass.
in_ns sh -c 'echo 1 >/sys/class/net/v0/queues/rx-1/rps_cpus; echo 64 >/sys/class/net/v0/queues/rx-1/rps_flow_cnt
	echo 1 >/sys/class/net/v1/queues/tx-2/xps_cpus' 2>/dev/null
orig=$(files v0 v1)
orig_v1=$(files v1)

in_ns "$MQTUNE" auto --channels keep v0 v1 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$STATE" ] && [ "$(files v0 v1)" != "$orig" ] &&
	ts_pass "$T: auto on two veths records a state file and changes them" ||
	ts_fail "$T: auto rc $rc: $(cat "$TMP/err")"
ns_id=$(in_ns readlink /proc/self/ns/net)
python3 - "$STATE" "$ns_id" <<'PY' && ts_pass "$T: the entries name the namespace and the interfaces' ifindex" || ts_fail "$T: entries without the namespace"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["entries"] and all(e["netns"] == sys.argv[2] and e["ifindex"] > 0 for e in d["entries"]) else 1)
PY
[ ! -e /var/lib/mqtune/state.json ] || ! grep -q "\"$ns_id\"" /var/lib/mqtune/state.json &&
	ts_pass "$T: the host's state file is not touched" ||
	ts_fail "$T: the test wrote the host's /var/lib/mqtune/state.json"
in_ns "$MQTUNE" auto --channels keep --rps off --xps off v0 v1 >/dev/null 2>"$TMP/err"
in_ns "$MQTUNE" --json restore v0 >"$TMP/r.json" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && [ "$(files v0)" = "$(grep '^v0/' <<<"$orig")" ] &&
	[ "$(files v1)" != "$orig_v1" ] &&
	ts_pass "$T: restore v0 gives v0 its original values, leaves v1" ||
	ts_fail "$T: restore v0 rc $rc: $(cat "$TMP/err")"
ts_check "$T: restore JSON matches docs/schema/restore.schema.json" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/r.json"
in_ns "$MQTUNE" restore --all >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && [ "$(files v0 v1)" = "$orig" ] && [ ! -e "$STATE" ] &&
	ts_pass "$T: auto, auto --rps off --xps off, restore: every file as before, state file gone" ||
	ts_fail "$T: restore --all rc $rc: $(cat "$TMP/err"); $(diff <(echo "$orig") <(files v0 v1) | head -4)"

# A run killed at its Nth write(2): nothing lost.  Write 1 is the state
# file's temporary (killed before its rename: the originals were never
# recorded, and nothing was written either); 2 on are the kernel's files.
in_ns "$MQTUNE" auto --channels keep v0 v1 >/dev/null 2>&1
planned=$(files v0 v1)
in_ns "$MQTUNE" restore --all >/dev/null 2>&1
if command -v strace >/dev/null; then
	bad=0
	for n in 1 2 3 9 20 40; do
		(in_ns strace -f -qq -o /dev/null -e trace=write -e inject=write:signal=KILL:when=$n \
			"$MQTUNE" auto --channels keep v0 v1; true) >/dev/null 2>&1
		in_ns "$MQTUNE" restore --all >/dev/null 2>>"$TMP/kerr"
		[ "$(files v0 v1)" = "$orig" ] || { bad=$((bad + 1)); echo "restore after write $n" >>"$TMP/kerr"; }
		(in_ns strace -f -qq -o /dev/null -e trace=write -e inject=write:signal=KILL:when=$n \
			"$MQTUNE" auto --channels keep v0 v1; true) >/dev/null 2>&1
		in_ns "$MQTUNE" auto --channels keep v0 v1 >/dev/null 2>>"$TMP/kerr"
		[ "$(files v0 v1)" = "$planned" ] || { bad=$((bad + 1)); echo "auto after write $n" >>"$TMP/kerr"; }
		in_ns "$MQTUNE" restore --all >/dev/null 2>>"$TMP/kerr"
		[ "$(files v0 v1)" = "$orig" ] || { bad=$((bad + 1)); echo "restore $n" >>"$TMP/kerr"; }
	done
	[ "$bad" -eq 0 ] &&
		ts_pass "$T: killed at writes 1-40: restore gives the original, auto the plan" ||
		ts_fail "$T: killed runs: $bad wrong: $(head -3 "$TMP/kerr")"
else
	ts_skip "$T: strace not installed (needed to kill at a chosen write)"
fi

# A veth re-created under the same name: its entries are stale.
in_ns "$MQTUNE" auto --channels keep v0 >/dev/null 2>&1
ip -n "$NS" link del v0 && mkveth v0 p0
fresh=$(files v0)
in_ns "$MQTUNE" --json restore v0 >"$TMP/r.json" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && [ "$(files v0)" = "$fresh" ] && [ ! -e "$STATE" ] &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["entries"] and all(e["action"]=="stale" for e in d["entries"]) else 1)' "$TMP/r.json" &&
	ts_pass "$T: a re-created veth's entries are stale: forgotten, not written" ||
	ts_fail "$T: re-created veth: rc $rc: $(cat "$TMP/err")"
