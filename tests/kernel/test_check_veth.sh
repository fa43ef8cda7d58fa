#!/bin/bash
# test_check_veth.sh - the machine-wide plan and `mqtune check` against the
# real kernel, on a veth pair (4 queues each) in a private namespace.
#
# Checks: `auto v1 v0 v0` leaves the kernel's files as `auto v0 v1` (the
# order and repeated names do not matter; veths are outside the managed
# set, so which of them a run names does); a rerun writes nothing; `check` is 0 after the apply, 12 naming
# the one rps_cpus file changed by hand (the namespace has no net.core
# sysctls: not drift), also as nobody, 0 again after `auto`; --json validates; the
# Prometheus output is read by prometheus_client's parser; `check --all`
# in a namespace of veths only checks nothing and is 0 (veths are not in
# the managed set).  Skips, saying why, without root, namespaces or veth.
# The queues stay as created (--channels keep): channel changes are
# tests/kernel/test_channels_set.sh's.

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/check
kt_begin check python3
ip -n "$NS" link add v0 numrxqueues 4 numtxqueues 4 type veth \
	peer name v1 numrxqueues 4 numtxqueues 4 2>/dev/null ||
	kt_skip "cannot create a veth pair (veth module missing?)"
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up
in_ns test -e /sys/class/net/v0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"

files() { in_ns sh -c 'cd /sys/class/net && grep -H . v*/queues/rx-*/rps_cpus v*/queues/rx-*/rps_flow_cnt v*/queues/tx-*/xps_cpus 2>/dev/null'; }
# shellcheck disable=SC2016  # the globs expand inside the namespace
reset_files() { in_ns sh -c 'for f in /sys/class/net/v*/queues/rx-*/rps_cpus /sys/class/net/v*/queues/tx-*/xps_cpus; do echo 0 >$f; done; for f in /sys/class/net/v*/queues/rx-*/rps_flow_cnt; do echo 0 >$f; done' 2>/dev/null; }

reset_files
in_ns "$MQTUNE" auto --channels keep -q v0 v1 2>/dev/null
both=$(files)
reset_files
in_ns "$MQTUNE" auto --channels keep -q v1 v0 v0 2>/dev/null
[ "$(files)" = "$both" ] && ts_pass "$T: auto v1 v0 v0 = auto v0 v1" ||
	ts_fail "$T: auto v1 v0 v0 differs from auto v0 v1"
out=$(in_ns "$MQTUNE" auto --channels keep v0 v0 v1 2>&1)
[ "$out" = "no changes" ] && ts_pass "$T: rerun with a name given twice: no changes" ||
	ts_fail "$T: rerun: $out"

in_ns "$MQTUNE" check --channels keep v0 v1 >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && grep -q 'no drift' "$TMP/out" &&
	ts_pass "$T: check is 0 after the apply (sysctls of the namespace not drift)" ||
	ts_fail "$T: check rc $rc: $(cat "$TMP/out" "$TMP/err")"

if command -v setpriv >/dev/null 2>&1; then
	in_ns setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MQTUNE" check --channels keep v0 v1 >"$TMP/out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] && ts_pass "$T: check needs no root (as nobody: 0)" ||
		ts_fail "$T: check as nobody rc $rc: $(cat "$TMP/out")"
else
	ts_skip "$T: check as nobody: setpriv not installed"
fi

in_ns sh -c 'echo 0 >/sys/class/net/v1/queues/rx-1/rps_cpus'
in_ns "$MQTUNE" check --channels keep --json v0 v1 >"$TMP/check.json" 2>"$TMP/err"
rc=$?
ts_check "$T: check --json validates against docs/schema/check.schema.json" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/check.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["drift"] and [x["object"] for x in d["drifted"]] == ["v1 rx-1 rps_cpus"]
         and d["drifted"][0]["found"] == "" else 1)' "$TMP/check.json" && [ "$rc" -eq 12 ] &&
	ts_pass "$T: check is 12 naming v1 rx-1 rps_cpus, changed by hand" ||
	ts_fail "$T: check rc $rc: $(head -c 400 "$TMP/check.json") $(cat "$TMP/err")"

in_ns "$MQTUNE" check --channels keep --prometheus v0 v1 >"$TMP/prom" 2>"$TMP/err"
rc=$?
ts_check "$T: check --prometheus read by prometheus_client" python3 - "$TMP/prom" "$rc" <<'PY'
import sys
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    from prometheus_client.parser import text_string_to_metric_families
vals = {}
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        vals[(s.name, tuple(sorted(s.labels.items())))] = s.value
ok = (sys.argv[2] == "12" and vals[("mqtune_drift", ())] == 1 and
      vals[("mqtune_drift_values", (("interface", "v1"),))] == 1 and
      vals[("mqtune_drift_values", (("interface", "v0"),))] == 0 and
      sum(1 for k in vals if k[0] == "mqtune_queue_home_cpu") == 8)
print(vals if not ok else "")
sys.exit(0 if ok else 1)
PY

in_ns "$MQTUNE" auto --channels keep -q v1 2>/dev/null
in_ns "$MQTUNE" check --channels keep v0 v1 >"$TMP/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ts_pass "$T: check is 0 again after auto v1" ||
	ts_fail "$T: check after auto rc $rc: $(cat "$TMP/out")"
in_ns "$MQTUNE" check --channels keep --all >"$TMP/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q 'no drift' "$TMP/out" &&
	ts_pass "$T: check --all with only veths: an empty managed set, 0" ||
	ts_fail "$T: check --all rc $rc: $(cat "$TMP/out")"
