#!/bin/bash
# shellcheck disable=SC2317  # cleanup runs from the trap
# test_doctor.sh - `mqtune doctor` on real sockets of the real kernel.
#
# In a private network namespace (loopback only), doctor_sockets.py makes
# N CLOSE-WAIT sockets it owns, M TIME-WAIT sockets and an overflowing
# tiny-backlog listener, on IPv4 and IPv6.  doctor's counts by state must
# equal what `ss -tan state ...` reports there (IPv6 too), the CLOSE-WAIT
# owner must be the helper's pid, ListenOverflows must be reported, the
# full accept queue named, and the exit status must be 16 (crit); with
# --interval 1 the overflow counter is judged by its increase.  Skips
# without root, namespaces, ss or python3.

# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/doctor
N=${DOCTOR_N:-20}
M=${DOCTOR_M:-30}
kt_begin doc ss python3
in_ns ip link set lo up || kt_skip "cannot bring lo up in the namespace"
HELPER_PID=
helper_stop() {
	[ -n "$HELPER_PID" ] && kill "$HELPER_PID" 2>/dev/null
	kt_cleanup
}
trap helper_stop EXIT
in_ns python3 "$TS_TOP/tests/kernel/doctor_sockets.py" "$TMP/ready" "$N" "$M" \
	>"$TMP/helper.log" 2>&1 &
HELPER_PID=$!
for _ in $(seq 100); do
	[ -s "$TMP/ready" ] && break
	kill -0 "$HELPER_PID" 2>/dev/null || break
	sleep 0.1
done
if [ ! -s "$TMP/ready" ]; then
	ts_fail "$T: the socket helper did not start"
	sed 's/^/    /' "$TMP/helper.log"
	exit 0
fi
pid=$(cat "$TMP/ready")

in_ns "$MQTUNE" -j doctor >"$TMP/doctor.json" 2>"$TMP/doctor.err"
rc=$?
count() { in_ns ss -Htan "$@" | wc -l; }
cat >"$TMP/oracle.json" <<JSON
{"pid": $pid, "n": $N, "m": $M,
 "close_wait": $(count state close-wait), "time_wait": $(count state time-wait),
 "listen": $(count state listening), "established": $(count state established),
 "close_wait6": $(count -6 state close-wait), "time_wait6": $(count -6 state time-wait),
 "ipv6": $(in_ns python3 -c 'import socket; print("true" if socket.has_ipv6 else "false")')}
JSON

if [ "$rc" -eq 16 ]; then
	ts_pass "$T: exit status 16 (a full accept queue is crit)"
else
	ts_fail "$T: exit status $rc, expected 16"
	sed 's/^/    /' "$TMP/doctor.err"
fi
ts_check "$T: schema" python3 "$TS_TOP/tests/lib/validate_json.py" \
	--kind doctor "$TMP/doctor.json"
ts_check "$T: counts equal ss, owner pid, overflows" python3 - "$TMP/doctor.json" \
	"$TMP/oracle.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
o = json.load(open(sys.argv[2]))
by = {}
for f in doc["findings"]:
    by.setdefault(f["id"], []).append(f)
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
st = by["tcp.states"][0]["evidence"]
fams = 2 if o["ipv6"] else 1
want(o["close_wait"] == o["n"] * fams, "ss itself sees %d close-wait" % o["close_wait"])
want(o["time_wait"] == o["m"] * fams, "ss itself sees %d time-wait" % o["time_wait"])
for key, ss in (("close_wait", "close_wait"), ("time_wait", "time_wait"),
                ("listen", "listen"), ("established", "established"),
                ("ipv6_close_wait", "close_wait6"), ("ipv6_time_wait", "time_wait6")):
    want(st.get(key, 0) == o[ss], "%s: doctor %s, ss %d" % (key, st.get(key, 0), o[ss]))
cw = [f for f in by.get("tcp.close_wait", []) if f["evidence"].get("pid") == o["pid"]]
want(len(cw) == 1, "one tcp.close_wait finding for pid %d: %s" % (o["pid"], by.get("tcp.close_wait")))
if cw:
    want(cw[0]["evidence"]["close_wait"] == o["n"] * fams, "owner count %s" % cw[0]["evidence"])
    want(cw[0]["severity"] == "warn", "severity %s" % cw[0]["severity"])
    want(cw[0]["object"].startswith("pid %d (" % o["pid"]), "object %s" % cw[0]["object"])
    want("close()" in cw[0]["explanation"] and "sysctl" in cw[0]["fix"], "explanation/fix")
lo = by.get("listen.overflows", [{}])[0]
want(lo.get("severity") == "warn" and lo["evidence"].get("ListenOverflows", 0) > 0,
     "ListenOverflows reported: %s" % lo)
lq = by.get("listen.queue", [])
want(any(f["severity"] == "crit" and f["evidence"]["queued"] >= f["evidence"]["backlog"]
         for f in lq), "full accept queue: %s" % lq)
want(doc["sockets_read"] is True and doc["exit_code"] == 16 and doc["worst"] == "crit",
     "header %s %s" % (doc["worst"], doc["exit_code"]))
tw = by.get("tcp.time_wait", [])
want(tw and tw[0]["severity"] in ("ok", "info"), "%d TIME-WAIT are no pile-up: %s" % (o["m"], tw))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
# the text report names the owner and its fix
in_ns "$MQTUNE" doctor >"$TMP/doctor.txt" 2>/dev/null
if grep -q "pid $pid (python3)" "$TMP/doctor.txt" &&
	grep -q "^CRIT  listen.queue" "$TMP/doctor.txt"; then
	ts_pass "$T: text report names pid $pid and the full queue"
else
	ts_fail "$T: text report"
	sed 's/^/    /' "$TMP/doctor.txt" | head -40
fi
# --interval: the counters are judged by their increase in the window
# (the flooding clients' SYN retransmissions may or may not fall in it),
# never more than the total since boot; the full accept queue is a gauge
# and stays critical
in_ns "$MQTUNE" -j doctor --interval 1 >"$TMP/iv.json" 2>/dev/null
rc=$?
total=$(in_ns awk '/^TcpExt:/ { if (!n) { for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") c = i; n = 1 } else print $c }' /proc/net/netstat)
if [ "$rc" -eq 16 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
total = int(sys.argv[2])
by = {}
for f in d["findings"]:
    by.setdefault(f["id"], []).append(f)
assert d["interval_s"] == 1
lo = by["listen.overflows"][0]
if lo["severity"] == "warn":
    assert 0 < lo["evidence"]["ListenOverflows"] <= total, (lo, total)
    assert "in the last 1 s" in lo["title"] and lo["evidence"]["window_s"] == 1, lo
else:
    assert lo["severity"] == "ok", lo
assert total > 0
assert any(f["severity"] == "crit" for f in by["listen.queue"])
' "$TMP/iv.json" "$total"; then
	ts_pass "$T: --interval 1 judges the increase (at most the total $total), gauges stay"
else
	ts_fail "$T: --interval 1 (rc $rc)"
fi
