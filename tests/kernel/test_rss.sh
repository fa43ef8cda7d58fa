#!/bin/bash
# test_rss.sh - the RSS indirection table against the real kernel.
#
# veth has no indirection table: ETHTOOL_MSG_RSS_GET and the
# ETHTOOL_GRXFHINDIR ioctl both answer EOPNOTSUPP.  Checks that show (text
# and JSON, each transport) reports it as "no indirection table", not as
# an error, that `auto --rss equal` plans no RSS change and notes
# "no-rss-table", and that a real run in the namespace succeeds.
# With netdevsim (modprobe netdevsim; it has a table and ethtool -x/-X
# on recent kernels) it also checks a real get, an equal spread written
# and read back with `ethtool -x`, an operator's uneven table kept by
# auto, and a failed later write that puts the table back.  Skips, saying
# why, without root, namespaces, veth, ethtool or netdevsim.

# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/rss
kt_begin rss ethtool python3
if ! ip -n "$NS" link add v0 numrxqueues 4 numtxqueues 4 type veth \
	peer name v1 numrxqueues 4 numtxqueues 4 2>/dev/null; then
	kt_skip "cannot create a veth pair (veth module missing?)"
fi
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up

# rss member of show --json.  argv: FILE SOURCE
PY_SHOW='
import json, sys
doc = json.load(open(sys.argv[1]))
rss = doc["interfaces"][0].get("rss", "absent")
want = {"source": sys.argv[2], "supported": False, "size": 0, "table": [],
        "shares": [], "text": "-"}
if rss != want:
    sys.exit("rss: got %r, want %r" % (rss, want))
'
for tr in netlink ioctl auto; do
	want=$tr
	[ "$tr" = auto ] && want=ioctl	# EOPNOTSUPP over netlink: the ioctl asked last
	if ! in_ns "$MQTUNE" --ethtool "$tr" show v0 >"$TMP/out" 2>"$TMP/err"; then
		ts_fail "$T: show --ethtool $tr: $(cat "$TMP/err")"
	elif ! grep -qx "  rss ($want): no indirection table" "$TMP/out"; then
		ts_fail "$T: show --ethtool $tr: no 'rss ($want): no indirection table' line: $(cat "$TMP/out")"
	else
		ts_pass "$T: show --ethtool $tr: veth has no RSS table, said so"
	fi
	if ! in_ns "$MQTUNE" --ethtool "$tr" show --json v0 >"$TMP/j" 2>"$TMP/err"; then
		ts_fail "$T: show --json --ethtool $tr: $(cat "$TMP/err")"
	elif ! out=$(python3 -c "$PY_SHOW" "$TMP/j" "$want" 2>&1); then
		ts_fail "$T: show --json --ethtool $tr: $out"
	elif ! out=$(python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/j" 2>&1); then
		ts_fail "$T: show --json --ethtool $tr: schema: $out"
	else
		ts_pass "$T: show --json --ethtool $tr: rss unsupported ($want)"
	fi
done

# auto --rss equal on a device without a table: a note, no change, rc 0.
PY_AUTO='
import json, sys
doc = json.load(open(sys.argv[1]))
bad = []
if [c for c in doc["changes"] if c["object"].endswith(" rss")]:
    bad.append("an RSS change was planned")
if not [w for w in doc["warnings"] if w["code"] == "no-rss-table"]:
    bad.append("no no-rss-table note")
rss = doc["interfaces"][0]["rss"]
if rss is None or rss["supported"] is not False or rss["current"] is not None:
    bad.append("interfaces[0].rss: %r" % (rss,))
if bad:
    sys.exit("; ".join(bad))
'
if ! in_ns "$MQTUNE" auto --dry-run --json --rss equal v0 >"$TMP/j" 2>"$TMP/err"; then
	ts_fail "$T: auto --dry-run --rss equal: rc $?: $(cat "$TMP/err")"
elif ! out=$(python3 -c "$PY_AUTO" "$TMP/j" 2>&1); then
	ts_fail "$T: auto --dry-run --rss equal: $out"
elif ! out=$(python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/j" 2>&1); then
	ts_fail "$T: auto --dry-run --rss equal: schema: $out"
else
	ts_pass "$T: auto --rss equal on veth: a no-rss-table note, no change"
fi
if in_ns "$MQTUNE" auto -q --rss equal v0 >"$TMP/out" 2>"$TMP/err"; then
	ts_pass "$T: auto --rss equal on veth: a real run succeeds"
else
	ts_fail "$T: auto --rss equal on veth: rc $?: $(cat "$TMP/err")"
fi

# ---- netdevsim: a device with a table ----
if [ ! -d /sys/bus/netdevsim ] && ! modprobe netdevsim 2>/dev/null; then
	ts_skip "$T: netdevsim: module not available (modprobe netdevsim failed): real get/set/reset not tested here"
	exit 0
fi
id=$((RANDOM % 1000 + 1000))
if ! echo "$id 1 4" >/sys/bus/netdevsim/new_device 2>/dev/null; then
	ts_skip "$T: netdevsim: cannot create a device"
	exit 0
fi
trap 'echo $id >/sys/bus/netdevsim/del_device 2>/dev/null; kt_cleanup' EXIT
sleep 0.5
dev=$(ls "/sys/bus/netdevsim/devices/netdevsim$id/net/" 2>/dev/null | head -1)
if [ -z "$dev" ] || ! ip link set "$dev" netns "$NS" 2>/dev/null; then
	ts_skip "$T: netdevsim: no netdev to move into the namespace"
	exit 0
fi
ip -n "$NS" link set "$dev" up
if ! in_ns ethtool -x "$dev" >/dev/null 2>&1 ||
   ! in_ns ethtool -L "$dev" combined 4 >/dev/null 2>&1; then
	ts_skip "$T: netdevsim: no RSS table or no channels (kernel too old)"
	exit 0
fi

# The table as `ethtool -x` prints it: one queue per entry, in order.
table_of() {
	in_ns ethtool -x "$dev" | awk '/^ *[0-9]+:/ { for (i = 2; i <= NF; i++) printf "%s ", $i }'
}
equal_of() {	# SIZE N
	local i out=
	for ((i = 0; i < $1; i++)); do out+="$((i % $2)) "; done
	echo "$out"
}
in_ns ethtool -X "$dev" weight 2 1 1 0 >/dev/null
uneven=$(table_of)
size=$(echo "$uneven" | wc -w)
in_ns "$MQTUNE" --ethtool netlink show --json "$dev" >"$TMP/j" 2>"$TMP/err"
got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["interfaces"][0]["rss"]; print(" ".join(map(str, r["table"])) + " ")' "$TMP/j" 2>&1)
if [ "$got" = "$uneven" ]; then
	ts_pass "$T: netdevsim: show reads the table ethtool -x shows ($size entries)"
else
	ts_fail "$T: netdevsim: show table '$got', ethtool -x '$uneven'"
fi
in_ns "$MQTUNE" auto -q "$dev" >/dev/null 2>"$TMP/err"
if [ "$(table_of)" = "$uneven" ]; then
	ts_pass "$T: netdevsim: auto keeps an uneven table over the active queues"
else
	ts_fail "$T: netdevsim: auto rewrote the uneven table: $(table_of)"
fi
for tr in netlink ioctl; do
	in_ns ethtool -X "$dev" weight 2 1 1 0 >/dev/null
	if ! in_ns "$MQTUNE" --ethtool "$tr" auto -q --rss equal "$dev" >/dev/null 2>"$TMP/err"; then
		ts_fail "$T: netdevsim: auto --rss equal (--ethtool $tr): $(cat "$TMP/err")"
	elif [ "$(table_of)" != "$(equal_of "$size" 4)" ]; then
		ts_fail "$T: netdevsim: --rss equal (--ethtool $tr) wrote $(table_of)"
	else
		ts_pass "$T: netdevsim: --rss equal (--ethtool $tr) wrote the equal spread"
	fi
done
in_ns "$MQTUNE" auto --json --rss equal "$dev" >"$TMP/j" 2>"$TMP/err"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(1 if [c for c in d["changes"] if c["object"].endswith(" rss")] else 0)' "$TMP/j"; then
	ts_pass "$T: netdevsim: a rerun writes no table"
else
	ts_fail "$T: netdevsim: a rerun planned the table again"
fi

# A later write fails (tx-0/xps_cpus made read-only inside a private
# mount namespace): exit 7 and the uneven table back.
in_ns ethtool -X "$dev" weight 2 1 1 0 >/dev/null
echo 0 >"$TMP/ro"
# shellcheck disable=SC2016
unshare -m --propagation private sh -c '
	f=/sys/class/net/$1/queues/tx-0/xps_cpus
	ip netns exec "$2" sh -c "mount --bind \"$3\" $f && mount -o remount,ro,bind $f &&
		exec \"$4\" auto -q --rss equal --xps auto $1"' x "$dev" "$NS" "$TMP/ro" "$MQTUNE" \
	>/dev/null 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 7 ] && [ "$(table_of)" = "$uneven" ]; then
	ts_pass "$T: netdevsim: a failed later write restores the table (exit 7)"
elif [ "$rc" -ne 7 ]; then
	ts_skip "$T: netdevsim: could not make a later write fail (rc $rc: $(cat "$TMP/err"))"
else
	ts_fail "$T: netdevsim: exit 7 but the table is $(table_of), was $uneven"
fi
