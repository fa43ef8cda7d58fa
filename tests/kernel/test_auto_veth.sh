#!/bin/bash
# test_auto_veth.sh - `mqtune auto` against the real kernel, on a veth of
# 8 rx / 8 tx queues in a private network namespace made here.
#
# A veth has no interrupt vectors, so IRQ affinity is skipped and RPS does
# the steering.  Checks: the dry run writes nothing; the apply's rps_cpus,
# xps_cpus and rps_flow_cnt, read back from the kernel's own files (hex
# masks decoded here, not by mqtune), are the plan; a second run reports
# "no changes"; the net.core sysctls, which exist only in the initial
# namespace, are reported unavailable and the host's values are untouched.
# Skips, saying why, without root, namespaces or veth.

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/auto
kt_begin auto python3
ip -n "$NS" link add v0 numrxqueues 8 numtxqueues 8 type veth \
	peer name v1 numrxqueues 8 numtxqueues 8 2>/dev/null ||
	kt_skip "cannot create a veth pair (veth module missing?)"
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up
in_ns test -e /sys/class/net/v0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"

host_backlog=$(cat /proc/sys/net/core/netdev_max_backlog)
host_flows=$(cat /proc/sys/net/core/rps_sock_flow_entries)
files() { in_ns sh -c 'cd /sys/class/net/v0/queues && grep -H . rx-*/rps_cpus rx-*/rps_flow_cnt tx-*/xps_cpus 2>/dev/null'; }

before=$(files)
in_ns "$MQTUNE" auto --dry-run --json v0 >"$TMP/plan.json" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && [ "$before" = "$(files)" ] &&
	ts_pass "$T: dry run on a real veth writes nothing" ||
	ts_fail "$T: dry run rc $rc: $(cat "$TMP/err")"
ts_check "$T: dry-run JSON matches docs/schema/auto.schema.json" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/plan.json"

in_ns "$MQTUNE" auto v0 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && grep -q 'applied' "$TMP/out" &&
	ts_pass "$T: apply on a real veth" ||
	ts_fail "$T: apply rc $rc: $(cat "$TMP/err" "$TMP/out")"

# Decode the kernel's files here and hold them against the plan.
files >"$TMP/files"
ts_check "$T: kernel files hold the planned rps_cpus, rps_flow_cnt, xps_cpus" \
	python3 - "$TMP/plan.json" "$TMP/files" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
kernel = {}
for line in open(sys.argv[2]):
    path, value = line.rstrip("\n").split(":", 1)
    kernel[path] = value
def mask(text):
    bits = int(text.replace(",", ""), 16)
    return {i for i in range(bits.bit_length()) if bits >> i & 1}
def cpus(text):
    out = set()
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out
bad = []
iface = plan["interfaces"][0]
assert iface["irq_source"] == "none", iface["irq_source"]
for q in iface["queues"]:
    n = q["queue"]
    want = cpus(q["rps_cpus"]["planned"])
    got = mask(kernel["rx-%d/rps_cpus" % n])
    if want != got or not want:
        bad.append("rx-%d rps_cpus %s, planned %s" % (n, sorted(got), sorted(want)))
    if q["home_cpu"] not in got:
        bad.append("rx-%d rps_cpus lacks its home CPU %d" % (n, q["home_cpu"]))
    flow = int(kernel["rx-%d/rps_flow_cnt" % n])
    if flow != q["rps_flow_cnt"]["planned"] or flow & (flow - 1):
        bad.append("rx-%d rps_flow_cnt %d, planned %s" % (n, flow, q["rps_flow_cnt"]["planned"]))
    key = "tx-%d/xps_cpus" % n
    if key in kernel and mask(kernel[key]) != cpus(q["xps_cpus"]["planned"]):
        bad.append("%s %s, planned %s" % (key, kernel[key], q["xps_cpus"]["planned"]))
usable = cpus(iface["usable_cpus"])
xps = [mask(kernel["tx-%d/xps_cpus" % q["queue"]]) for q in iface["queues"]
       if "tx-%d/xps_cpus" % q["queue"] in kernel]
for c in usable:
    if sum(c in m for m in xps) != 1:
        bad.append("CPU %d is not in exactly one xps mask" % c)
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

in_ns "$MQTUNE" auto v0 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = "no changes" ] &&
	ts_pass "$T: second run on the real veth: no changes" ||
	ts_fail "$T: second run rc $rc: $(cat "$TMP/out" "$TMP/err")"

in_ns "$MQTUNE" auto --json v0 >"$TMP/again.json" 2>"$TMP/err"
ts_check "$T: sysctls reported unavailable in the namespace" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sysctls"]
ok = (not d["changed"] and s["netdev_max_backlog"]["current"] is None
      and any("not available" in w["message"] for w in d["warnings"]))
sys.exit(0 if ok else 1)' "$TMP/again.json"
[ "$(cat /proc/sys/net/core/netdev_max_backlog)" = "$host_backlog" ] &&
	[ "$(cat /proc/sys/net/core/rps_sock_flow_entries)" = "$host_flows" ] &&
	ts_pass "$T: the host's net.core sysctls are untouched" ||
	ts_fail "$T: the host's sysctls changed"
