#!/bin/bash
# watch_heal.sh [EVENTS] - what `mqtune watch` costs and how fast it heals.
#
# In a private network namespace made here, on a veth pair of 8 queues:
# EVENTS (default 50) channel changes (`ethtool -L v0 rx 8 tx 8`, then
# back to 4), each followed by the time until the heal is reported and
# the plan holds again; then the idle cost: system calls (strace) and CPU
# time (/proc/PID/stat) of the watch over IDLE seconds (default 10) with
# nothing happening.  Prints a table and writes bench/watch.json.
#
# "event → healed" is measured outside mqtune, from just before the
# `ethtool -L` to the moment the heal's JSON line appears; "mqtune ms" is
# the watch's own figure, from reading the first event to the end of the
# heal.  Both include the 250 ms settle delay.
set -u
EVENTS=${1:-50}
IDLE=${IDLE:-10}
: "${MQTUNE:=$(cd "$(dirname "$0")/../.." && pwd)/mqtune}"
[ "$(id -u)" -eq 0 ] || { echo "watch_heal: needs root (network namespace)"; exit 77; }
for t in ip ethtool strace python3; do
	command -v $t >/dev/null || { echo "watch_heal: $t not installed"; exit 77; }
done
NS=mqt-wbench-$$
TMP=$(mktemp -d)
cleanup() { [ -n "${JOB:-}" ] && kill "$WPID" 2>/dev/null; wait 2>/dev/null; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns add "$NS" || exit 77
ip -n "$NS" link add v0 numrxqueues 8 numtxqueues 8 type veth peer name v1 numrxqueues 8 numtxqueues 8 || exit 77
ip netns exec "$NS" ethtool -L v0 rx 4 tx 4 || exit 77
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up

ip netns exec "$NS" sh -c 'echo $$ >"$0"; exec "$@"' "$TMP/pid" "$MQTUNE" watch --json v0 v1 \
	>"$TMP/out" 2>"$TMP/err" &
JOB=$!
for _ in $(seq 100); do [ -s "$TMP/out" ] && break; sleep 0.05; done
WPID=$(cat "$TMP/pid")
now_ns() { date +%s%N; }

: >"$TMP/lat"
for ((i = 1; i <= EVENTS; i++)); do
	n=$(wc -l <"$TMP/out")
	[ $((i % 2)) = 1 ] && q=8 || q=4
	t0=$(now_ns)
	ip netns exec "$NS" ethtool -L v0 rx $q tx $q
	while [ "$(wc -l <"$TMP/out")" -le "$n" ]; do
		sleep 0.002
		[ $(( ($(now_ns) - t0) / 1000000 )) -gt 5000 ] && break
	done
	t1=$(now_ns)
	echo "$(( (t1 - t0) / 1000 ))" >>"$TMP/lat"
	sleep 0.6	# let the heal's re-check pass before the next event
done

# idle: nothing happens for IDLE seconds
cpu() { awk '{print $14 + $15}' "/proc/$WPID/stat"; }
c0=$(cpu)
timeout -s INT "$IDLE" strace -f -qq -c -p "$WPID" -o "$TMP/strace" 2>"$TMP/strace.err"
c1=$(cpu)
# strace -c writes its table (a "total" line once anything was counted)
# when it detaches; no file means it never attached: not a zero
[ -e "$TMP/strace" ] || { echo "watch_heal: strace could not attach: $(cat "$TMP/strace.err")"; exit 1; }
calls=$(awk '/total/ {print $4}' "$TMP/strace")
python3 - "$TMP/lat" "$TMP/out" "$EVENTS" "$IDLE" "${calls:-0}" "$((c1 - c0))" "$(getconf CLK_TCK)" <<'PY'
import json, statistics, sys
lat = [int(x) / 1000.0 for x in open(sys.argv[1]).read().split()]
heals = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
ev = [h for h in heals if "channels" in h["cause"]]
ms = [h["ms"] for h in ev]
events, idle, calls, ticks, hz = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5] or 0), int(sys.argv[6]), int(sys.argv[7])
res = {
    "events": events, "healed": len(ev),
    "event_to_healed_ms": {"median": statistics.median(lat), "max": max(lat)},
    "mqtune_ms": {"median": statistics.median(ms) if ms else None, "max": max(ms) if ms else None},
    "rewritten_per_heal_median": statistics.median([h["rewritten"] for h in ev]) if ev else None,
    "idle_seconds": idle, "idle_syscalls": calls,
    "idle_cpu_seconds": ticks / hz,
    "idle_syscalls_per_hour": calls * 3600 // idle,
}
print("watch: %d channel changes on a veth pair (8 <-> 4 queues), %d healed" % (events, len(ev)))
print("  event -> healed (outside):  median %6.1f ms   max %6.1f ms" % (res["event_to_healed_ms"]["median"], res["event_to_healed_ms"]["max"]))
if ms:
    print("  mqtune's own figure:        median %6.1f ms   max %6.1f ms" % (res["mqtune_ms"]["median"], res["mqtune_ms"]["max"]))
print("  idle %d s: %d system calls, %.2f s CPU (per hour: %d calls)" % (idle, calls, ticks / hz, res["idle_syscalls_per_hour"]))
print("  (irqbalance wakes every 10 s: 360 times an hour, and moves IRQs)")
json.dump(res, open("bench/watch.json", "w"), indent=2)
sys.exit(0 if len(ev) == events and calls == 0 else 1)
PY
