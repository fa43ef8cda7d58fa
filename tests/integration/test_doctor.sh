#!/bin/bash
# test_doctor.sh - `mqtune doctor` on synthetic machines (tests/gen/
# mkmachine.py --doctor KEY=VAL): softnet drops on one CPU, named right
# also with CPU holes (offline CPUs: row != CPU id) and on a kernel whose
# softnet_stat has no CPU column; time_squeeze; an uneven NET_RX spread;
# queue IRQs on CPUs that ran no NET_RX (and not: same CPU, RPS, threaded);
# file-nr near file-max; tcp_mem pressure; an obsolete tcp_tw_recycle in
# /etc/sysctl.d; a process near its RLIMIT_NOFILE; a quiet machine (exit
# 0).  Every JSON document is checked against docs/schema/doctor.schema.json,
# and the exit status against the worst severity (15 warn, 16 crit).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

T=doctor
if [ ! -x "$MQTUNE" ]; then
	ts_fail "$T: mqtune binary $MQTUNE not built"
	exit 0
fi
command -v python3 >/dev/null || { ts_skip "$T: python3 not installed"; exit 0; }
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

# case NAME WANT_RC CHECK MKMACHINE-ARGS...: build NAME, run doctor --json
# on it, and pass when the exit status is WANT_RC, the document validates
# and the python expression CHECK holds (f: the list of findings; by(id):
# those with that id; d: the document).
case_() {
	local name=$1 want=$2 check=$3 rc
	shift 3
	if ! ts_gen "$name" "$@"; then
		ts_fail "$T $name: mkmachine.py failed"
		return
	fi
	"$MQTUNE" --sysroot "$WORK/$name" --json doctor eth0 >"$WORK/$name.json" \
		2>"$WORK/$name.err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		ts_fail "$T $name: exit status $rc, expected $want"
		sed 's/^/    /' "$WORK/$name.err"
		return
	fi
	ts_check "$T $name" python3 - "$WORK/$name.json" "$check" <<'PY'
import json, os, sys
sys.path.insert(0, os.path.join(os.environ["TS_TOP"], "tests", "lib"))
import validate_json
d = json.load(open(sys.argv[1]))
errs = validate_json.validate(d, "doctor")
if errs:
    sys.exit("\n".join(errs))
f = d["findings"]
def by(i):
    return [x for x in f if x["id"] == i]
if not eval(sys.argv[2]):
    print(json.dumps([x for x in f if x["severity"] != "info"], indent=1)[:3000])
    sys.exit("check failed: " + sys.argv[2])
PY
}
export TS_TOP

NIC=(--nic virtio_net:eth0:4)

case_ quiet 0 \
	'd["worst"] in ("ok", "info") and not d["sockets_read"] and by("softnet.dropped")[0]["severity"] == "ok" and any("sysroot" in x["title"] for x in by("doctor.skipped"))' \
	--cpus 4 --nic virtio_net:eth0:2 --doctor net_rx=0:5000 --irqbalance

case_ drop-holes 15 \
	'[(x["object"], x["evidence"]["dropped"]) for x in by("softnet.dropped")] == [("cpu 5", 1234)] and by("softnet.dropped")[0]["severity"] == "warn" and "netdev_max_backlog=2000" in by("softnet.dropped")[0]["fix"]' \
	--cpus 8 --offline 2,3 "${NIC[@]}" --doctor softnet_drop=5:1234

case_ drop-no-cpu-column 15 \
	'[x["object"] for x in by("softnet.dropped")] == ["cpu 6"]' \
	--cpus 8 --offline 1,3 "${NIC[@]}" --doctor softnet_drop=6:7 --doctor softnet_cols=11

case_ squeeze 15 \
	'[(x["object"], x["severity"]) for x in by("softnet.time_squeeze")] == [("cpu 1", "warn"), ("cpu 2", "info")] and "netdev_budget=600" in by("softnet.time_squeeze")[0]["fix"]' \
	--cpus 4 "${NIC[@]}" --doctor softnet_squeeze=1:5000,2:3

case_ netrx-uneven 15 \
	'by("netrx.spread")[0]["severity"] == "warn" and by("netrx.spread")[0]["evidence"]["busiest_cpu"] == 3 and "mqtune auto" in by("netrx.spread")[0]["fix"]' \
	--cpus 8 "${NIC[@]}" --doctor net_rx=3:4000000

case_ netrx-isolated 15 \
	'[x["object"] for x in by("netrx.isolated")] == ["cpu 7"]' \
	--cpus 8 --isolated 6-7 "${NIC[@]}" --doctor net_rx=6:0,7:900

# netrx.irq_cpu: a queue IRQ's CPU against NET_RX there.  Fires: every
# NET_RX on CPU 3, so the 6 of the 8 vectors that fire on CPUs 0-2 (the
# generator puts each one's count on its effective CPU) are named
case_ irq-netrx-apart 15 \
	'by("netrx.irq_cpu")[0]["severity"] == "warn" and by("netrx.irq_cpu")[0]["evidence"]["elsewhere"] == 6 and by("netrx.irq_cpu")[0]["evidence"]["queue_irqs"] == 8 and " ran no NET_RX since boot; 6 of its 8 busy queue IRQs alike" in by("netrx.irq_cpu")[0]["title"] and "RPS" in by("netrx.irq_cpu")[0]["explanation"] and "mqtune auto eth0" in by("netrx.irq_cpu")[0]["fix"]' \
	--cpus 4 --nic virtio_net:eth0:4 --doctor net_rx=0:0,1:0,2:0,3:90000
# must not fire: NET_RX on every CPU the IRQs land on
case_ irq-netrx-same 0 \
	'by("netrx.irq_cpu")[0]["severity"] == "ok" and by("netrx.irq_cpu")[0]["evidence"]["elsewhere"] == 0 and by("netrx.irq_cpu")[0]["evidence"]["queue_irqs"] == 4' \
	--cpus 4 --nic virtio_net:eth0:2 --doctor net_rx=0:5000 --irqbalance
# must not fire: NET_RX only on CPU 3, the RPS set of every queue (i40e:
# one TxRx vector per queue; a tx-only vector has no RPS to excuse it)
case_ irq-netrx-rps 15 \
	'by("netrx.irq_cpu")[0]["severity"] == "ok" and by("netrx.irq_cpu")[0]["evidence"]["elsewhere"] == 0 and by("netrx.spread")[0]["severity"] == "warn"' \
	--cpus 4 --nic i40e:eth0:4:rps=3 --doctor net_rx=0:0,1:0,2:0,3:90000
# threaded NAPI: NET_RX is not where packets are processed; said, not judged
case_ irq-netrx-threaded 15 \
	'by("netrx.irq_cpu")[0]["severity"] == "info" and "threaded NAPI" in by("netrx.irq_cpu")[0]["title"] and by("netrx.irq_cpu")[0]["evidence"]["threaded"] == 1' \
	--cpus 4 --nic virtio_net:eth0:4 --doctor net_rx=0:0,1:0,2:0,3:90000 --doctor threaded=eth0

case_ file-nr 16 \
	'by("fd.system")[0]["severity"] == "crit" and by("fd.system")[0]["evidence"]["allocated"] == 98000 and "fs.file-max=200000" in by("fd.system")[0]["fix"]' \
	--cpus 2 "${NIC[@]}" --doctor file_nr=98000,0,100000

case_ file-nr-warn 15 \
	'by("fd.system")[0]["severity"] == "warn"' \
	--cpus 2 "${NIC[@]}" --doctor file_nr=75000,0,100000

case_ tcp-mem 15 \
	'by("tcp.memory")[0]["severity"] == "warn" and by("tcp.memory")[0]["evidence"]["mem_pages"] == 250 and "tcp_mem=\"200 400 600\"" in by("tcp.memory")[0]["fix"]' \
	--cpus 2 "${NIC[@]}" --doctor tcp_mem=100,200,300 --doctor tcp_mem_pages=250

case_ tcp-mem-max 16 \
	'by("tcp.memory")[0]["severity"] == "crit"' \
	--cpus 2 "${NIC[@]}" --doctor tcp_mem=100,200,300 --doctor tcp_mem_pages=300

case_ tw-recycle 15 \
	'[x["object"] for x in by("sysctl.tcp_tw_recycle")] == ["/etc/sysctl.d/99-old.conf:3"] and "4.12" in by("sysctl.tcp_tw_recycle")[0]["explanation"] and "Delete the line" in by("sysctl.tcp_tw_recycle")[0]["fix"]' \
	--cpus 2 "${NIC[@]}" --doctor tw_recycle_conf=99-old.conf

case_ nofile 16 \
	'[(x["object"], x["severity"], x["evidence"]["open_fds"]) for x in by("fd.process")] == [("pid 4242 (java)", "crit", 120)] and "LimitNOFILE=" in by("fd.process")[0]["fix"]' \
	--cpus 2 "${NIC[@]}" --doctor fds=4242:java:120:128,4243:sshd:10:1024

case_ listen 15 \
	'by("listen.overflows")[0]["evidence"]["ListenOverflows"] == 17 and "somaxconn" in by("listen.overflows")[0]["fix"]' \
	--cpus 2 "${NIC[@]}" --doctor listen_overflows=17

# nic.plan: after mqtune auto, every queue IRQ is where the plan puts it
if ts_gen placed --cpus 8 --nic virtio_net:eth0:4 &&
	"$MQTUNE" --sysroot "$WORK/placed" --json doctor eth0 >"$WORK/p0.json" 2>/dev/null;
	"$MQTUNE" --sysroot "$WORK/placed" auto eth0 >/dev/null 2>&1 &&
	"$MQTUNE" --sysroot "$WORK/placed" --json doctor eth0 >"$WORK/p1.json" 2>/dev/null;
	python3 -c '
import json, sys
def plan(p):
    return [x for x in json.load(open(p))["findings"] if x["id"] == "nic.plan"][0]
a, b = plan(sys.argv[1]), plan(sys.argv[2])
assert a["severity"] == "info" and a["evidence"]["elsewhere"] > 0, a
assert b["severity"] == "ok" and b["evidence"]["elsewhere"] == 0, b
' "$WORK/p0.json" "$WORK/p1.json"; then
	ts_pass "$T nic.plan: differs before auto, matches after"
else
	ts_fail "$T nic.plan"
fi
# text: blocks for the problems, sorted by severity, the counts last
"$MQTUNE" --sysroot "$WORK/nofile" doctor eth0 >"$WORK/text" 2>"$WORK/text.err"
rc=$?
if [ "$rc" -eq 16 ] && head -1 "$WORK/text" | grep -q '^CRIT  fd.process  pid 4242 (java)$' &&
	grep -q '^      fix: Raise its limit' "$WORK/text" &&
	tail -1 "$WORK/text" | grep -q '^doctor: 1 crit, [0-9]* warn' &&
	grep -q '^mqtune: doctor: 1 critical and' "$WORK/text.err"; then
	ts_pass "$T text: sorted blocks, counts, status line"
else
	ts_fail "$T text (rc $rc)"
	head -20 "$WORK/text" | sed 's/^/    /'
fi
# --interval on a snapshot: counters do not move, so no drop is seen
"$MQTUNE" --sysroot "$WORK/drop-holes" --json doctor --interval 1 eth0 \
	>"$WORK/iv.json" 2>/dev/null
rc=$?
if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sd = [x for x in d["findings"] if x["id"] == "softnet.dropped"]
assert d["interval_s"] == 1 and sd[0]["severity"] == "ok", sd
' "$WORK/iv.json"; then
	ts_pass "$T --interval: totals since boot are not drops now"
else
	ts_fail "$T --interval (rc $rc)"
fi
# usage: --interval belongs to doctor; bad values are status 2
"$MQTUNE" --sysroot "$WORK/quiet" show --interval 2 eth0 >/dev/null 2>"$WORK/u1"; r1=$?
"$MQTUNE" --sysroot "$WORK/quiet" doctor --interval 0 eth0 >/dev/null 2>"$WORK/u2"; r2=$?
"$MQTUNE" --sysroot "$WORK/quiet" doctor -n eth0 >/dev/null 2>"$WORK/u3"; r3=$?
if [ "$r1" -eq 2 ] && [ "$r2" -eq 2 ] && [ "$r3" -eq 2 ] &&
	grep -q "interval is an option of doctor" "$WORK/u1" &&
	grep -q "'0' is not a number of seconds from 1 to 3600" "$WORK/u2"; then
	ts_pass "$T usage errors"
else
	ts_fail "$T usage errors ($r1 $r2 $r3)"
	cat "$WORK/u1" "$WORK/u2" "$WORK/u3" | sed 's/^/    /'
fi
# a malformed counter file is status 5 naming the file and line
ts_gen bad --cpus 2 "${NIC[@]}" --doctor softnet_drop=1:1 &&
	printf 'CPU0 CPU1\nNET_RX: 1\n' >"$WORK/bad/proc/softirqs"
"$MQTUNE" --sysroot "$WORK/bad" doctor eth0 >/dev/null 2>"$WORK/bad.err"
rc=$?
if [ "$rc" -eq 5 ] && grep -q "proc/softirqs: malformed contents (line 2)" "$WORK/bad.err"; then
	ts_pass "$T malformed softirqs: status 5"
else
	ts_fail "$T malformed softirqs (rc $rc)"
	sed 's/^/    /' "$WORK/bad.err"
fi
