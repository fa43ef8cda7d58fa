#!/bin/bash
# test_stack_veth.sh - stacked devices and alternative names against the
# real kernel, in a private network namespace made here: a macvlan and a
# VLAN over a veth, a bridge with two veth ports, a bond of two veths
# (skipped, saying why, without the bonding module), and an altname of a
# veth (`ip link property add dev X altname Y`).  Checks the resolution in
# the report (text and JSON: "stacked-device" / "altname" notes) and that
# the lower devices' rps_cpus and xps_cpus were written, read back from
# the kernel's own files.  Skips without root, namespaces or veth.

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/stack
kt_begin stack python3
ARROW=$'\xe2\x86\x92'

veth() {	# veth NAME: NAME (4 rx, 4 tx queues) and its peer NAMEp, up
	ip -n "$NS" link add "$1" numrxqueues 4 numtxqueues 4 type veth \
		peer name "$1p" numrxqueues 4 numtxqueues 4 2>/dev/null &&
		ip -n "$NS" link set "$1p" up
}
veth a0 || kt_skip "cannot create a veth pair (veth module missing?)"
in_ns test -e /sys/class/net/a0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"
veth b0 && veth c0 && veth d0 && veth e0 || { ts_fail "$T: more veth pairs"; exit 0; }
ip -n "$NS" link set a0 up

# rps_cpus and xps_cpus of IFACE's queue 0 hold some CPU
written() {
	in_ns sh -c "grep -q '[1-9a-f]' /sys/class/net/$1/queues/rx-0/rps_cpus &&
		grep -q '[1-9a-f]' /sys/class/net/$1/queues/tx-0/xps_cpus"
}
# note FILE CODE OBJECT MESSAGE: the JSON report in FILE has that warning
note() {
	python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {"code": sys.argv[2], "object": sys.argv[3], "message": sys.argv[4]}
sys.exit(0 if want in d["warnings"] else "no %s in %s" % (want, d["warnings"]))
PY
}
# names FILE NAME...: the JSON report's interfaces, in this order
names() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=[i["name"] for i in d["interfaces"]]; sys.exit(0 if n == sys.argv[2:] else "interfaces %s" % n)' "$@"
}

# --- an alternative name ----------------------------------------------------
alt=uplink-of-the-stack-test
if ip -n "$NS" link property add dev a0 altname "$alt" 2>/dev/null; then
	written a0 && ts_fail "$T: a0 has RPS before any run"
	in_ns "$MQTUNE" show "$alt" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && grep -q '^a0:' "$TMP/out" && grep -qF "warning: $alt $ARROW a0" "$TMP/out" &&
		ts_pass "$T: show ALTNAME (24 bytes) shows a0 and says so" ||
		ts_fail "$T: show $alt: $(cat "$TMP/err" "$TMP/out" | head -5)"
	in_ns "$MQTUNE" auto --json "$alt" >"$TMP/alt.json" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && written a0 &&
		ts_pass "$T: auto ALTNAME wrote a0's rps_cpus and xps_cpus" ||
		ts_fail "$T: auto $alt: rc $rc: $(cat "$TMP/err")"
	ts_check "$T: auto ALTNAME: the altname note in JSON" \
		note "$TMP/alt.json" altname "$alt" "$alt $ARROW a0"
	ts_check "$T: auto ALTNAME: JSON matches the schema" \
		python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/alt.json"
	in_ns "$MQTUNE" check "$alt" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && ts_pass "$T: check ALTNAME after auto: no drift" ||
		ts_fail "$T: check $alt: rc $rc: $(cat "$TMP/err" "$TMP/out" | head -5)"
	# a config section by the altname manages a0; one by a missing name
	# (long: could be an altname) matches nothing and is no error
	printf '[interface %s]\nrps = off\n[interface no-such-altname-here]\nxps = off\n' \
		"$alt" >"$TMP/c.conf"
	in_ns "$MQTUNE" auto --dry-run --json --config "$TMP/c.conf" >"$TMP/cfg.json" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && names "$TMP/cfg.json" a0 &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(q["rps_cpus"]["planned"] == "" for q in d["interfaces"][0]["queues"]) else 1)' "$TMP/cfg.json" &&
		ts_pass "$T: config [interface ALTNAME]: manages a0, its rps = off applies" ||
		ts_fail "$T: config [interface $alt]: rc $rc: $(cat "$TMP/err")"
	in_ns "$MQTUNE" show no-such-altname-anywhere >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 3 ] && grep -qxF "mqtune: no-such-altname-anywhere: no such network interface" "$TMP/err" &&
		ts_pass "$T: an unknown long name: no such network interface (3)" ||
		ts_fail "$T: unknown long name: rc $rc: $(cat "$TMP/err")"
else
	ts_skip "$T: altname (ip link property add) not supported here"
fi

# --- macvlan and VLAN over a veth (a dry run: a0 may be written already) ----
if ip -n "$NS" link add link a0 name mv0 type macvlan 2>/dev/null; then
	in_ns "$MQTUNE" auto --dry-run --json mv0 >"$TMP/mv.json" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && names "$TMP/mv.json" a0 &&
		ts_pass "$T: macvlan mv0 resolves to its veth a0" ||
		ts_fail "$T: auto mv0: $(cat "$TMP/err")"
	ts_check "$T: macvlan: the stacked-device note" \
		note "$TMP/mv.json" stacked-device mv0 "mv0 $ARROW a0"
else
	ts_skip "$T: macvlan not available"
fi
if ip -n "$NS" link add link a0 name vl10 type vlan id 10 2>/dev/null; then
	in_ns "$MQTUNE" auto --dry-run vl10 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && grep -qF "vl10 $ARROW a0" "$TMP/out" && grep -q '^a0:' "$TMP/out" &&
		ts_pass "$T: VLAN vl10 resolves to a0 (text report)" ||
		ts_fail "$T: auto vl10: $(cat "$TMP/err" "$TMP/out" | head -5)"
else
	ts_skip "$T: 8021q (VLAN) not available"
fi

if ip -n "$NS" link add link a0 name ipv0 type ipvlan mode l2 2>/dev/null; then
	in_ns "$MQTUNE" auto --dry-run --json ipv0 >"$TMP/ipv.json" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && names "$TMP/ipv.json" a0 &&
		note "$TMP/ipv.json" stacked-device ipv0 "ipv0 $ARROW a0" &&
		ts_pass "$T: ipvlan ipv0 resolves to a0" ||
		ts_fail "$T: auto ipv0: $(cat "$TMP/err")"
else
	ts_skip "$T: ipvlan not available"
fi

# --- a bridge of two veths ------------------------------------------------
if ip -n "$NS" link add br0 type bridge 2>/dev/null &&
	ip -n "$NS" link set b0 master br0 && ip -n "$NS" link set c0 master br0; then
	ip -n "$NS" link set br0 up; ip -n "$NS" link set b0 up; ip -n "$NS" link set c0 up
	in_ns test -L /sys/class/net/br0/lower_b0 &&
		ts_pass "$T: the kernel links the bridge's ports as lower_*" ||
		ts_fail "$T: no /sys/class/net/br0/lower_b0"
	in_ns "$MQTUNE" auto --json br0 >"$TMP/br.json" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && names "$TMP/br.json" b0 c0 && written b0 && written c0 &&
		ts_pass "$T: auto br0 wrote the ports' rps_cpus and xps_cpus" ||
		ts_fail "$T: auto br0: rc $rc: $(cat "$TMP/err")"
	ts_check "$T: bridge: the stacked-device note" \
		note "$TMP/br.json" stacked-device br0 "br0 $ARROW b0, c0"
	in_ns sh -c 'grep -q "[1-9a-f]" /sys/class/net/br0/queues/rx-0/rps_cpus' &&
		ts_fail "$T: auto br0 wrote the bridge's own rps_cpus" ||
		ts_pass "$T: auto br0 left the bridge's own queue alone"
else
	ts_skip "$T: bridge not available"
fi

# --- a bond of two veths ----------------------------------------------------
modprobe bonding 2>/dev/null
if ip -n "$NS" link add bond0 type bond 2>/dev/null; then
	ip -n "$NS" link set d0 master bond0 && ip -n "$NS" link set e0 master bond0 ||
		ts_fail "$T: cannot enslave veths to bond0"
	ip -n "$NS" link set bond0 up
	in_ns "$MQTUNE" auto --json bond0 >"$TMP/bond.json" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] && names "$TMP/bond.json" d0 e0 && written d0 && written e0 &&
		ts_pass "$T: auto bond0 wrote both slaves' rps_cpus and xps_cpus" ||
		ts_fail "$T: auto bond0: rc $rc: $(cat "$TMP/err")"
	ts_check "$T: bond: the stacked-device note" \
		note "$TMP/bond.json" stacked-device bond0 "bond0 $ARROW d0, e0"
else
	ts_skip "$T: bond (the bonding module is not available here)"
fi
