#!/bin/bash
# test_napi_veth.sh - threaded NAPI kernel threads on a real veth.
#
# A veth has NAPI instances (one per rx queue) once GRO is on; with
# /sys/class/net/IF/threaded = 1 each gets a kernel thread napi/IF-<id>.
# Checks, against the kernel itself (taskset, /proc, not mqtune's
# reading): `show` finds every napi/IF-* thread (pids from netdev netlink
# on 6.8+); the dry run plans each thread onto the home CPU of its queue
# and moves nothing; a run whose later write fails (a read-only bind
# mount over the peer's rx-0/rps_flow_cnt) exits 7 and leaves every thread's
# affinity as it was; `auto` pins each thread to its queue's home; a
# rerun changes nothing; `check` is clean, and reports a thread moved
# away (exit 12).  Skips, saying why, without root, namespaces, veth,
# ethtool, taskset, GRO on veth or threaded NAPI.
# The queues stay as created (--channels keep): a channel change makes
# the NAPI threads again (tests/kernel/test_channels_set.sh).

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/napi
kt_begin napi ethtool taskset python3
# Kernel threads are named napi/<dev>-<id> whatever the namespace: names
# no other namespace uses, so /proc shows only this test's threads.
v0=nq$$a
v1=nq$$b
ip -n "$NS" link add "$v0" numrxqueues 2 numtxqueues 2 type veth \
	peer name "$v1" numrxqueues 2 numtxqueues 2 2>/dev/null ||
	kt_skip "cannot create a veth pair (veth module missing?)"
in_ns test -e "/sys/class/net/$v0/queues/rx-0/rps_cpus" ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"
in_ns test -e "/sys/class/net/$v0/threaded" ||
	kt_skip "kernel without threaded NAPI (no /sys/class/net/$v0/threaded, before 5.12)"
in_ns ethtool -K "$v0" gro on >/dev/null 2>&1 ||
	kt_skip "ethtool -K $v0 gro on refused: this veth has no NAPI"
ip -n "$NS" link set "$v0" up && ip -n "$NS" link set "$v1" up
# shellcheck disable=SC2016  # $1 is the inner shell's
in_ns sh -c 'echo 1 >"/sys/class/net/$1/threaded"' threaded "$v0" 2>/dev/null ||
	kt_skip "cannot switch threaded NAPI on for a veth"

# napi_pids: "PID" per line of every kernel thread napi/$v0-* (parent
# kthreadd), from /proc directly.
napi_pids() {
	local p comm ppid
	for p in /proc/[0-9]*; do
		comm=$(cat "$p/comm" 2>/dev/null) || continue
		case $comm in napi/"$v0"-*) ;; *) continue ;; esac
		ppid=$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)
		[ "$ppid" = 2 ] && echo "${p#/proc/}"
	done | sort -n
}
# affinities: "PID LIST" per thread, as taskset reads them.
affinities() {
	local pid
	for pid in $(napi_pids); do
		echo "$pid $(taskset -pc "$pid" | sed 's/.*: //')"
	done
}
i=0
while [ -z "$(napi_pids)" ] && [ $i -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -n "$(napi_pids)" ] || kt_skip "threaded = 1 made no napi/$v0-* thread"
pids=$(napi_pids | tr '\n' ' ')
nthreads=$(napi_pids | wc -l)
before=$(affinities)

# show: every thread, with the pid the kernel has
in_ns "$MQTUNE" show --json "$v0" >"$TMP/show.json" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] && ts_check "$T: show --json: schema" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/show.json" ||
	ts_fail "$T: show --json exit $rc: $(cat "$TMP/err")"
ts_check "$T: show finds every NAPI thread ($pids)" python3 - \
	"$TMP/show.json" "$pids" "$(uname -r)" "$v0" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
want = sorted(int(p) for p in sys.argv[2].split())
dev = doc["interfaces"][0]
got = sorted(t["pid"] for t in dev["napi_threads"])
bad = []
if got != want:
    bad.append("pids %s, want %s" % (got, want))
if dev["napi_threaded"] != 1:
    bad.append("napi_threaded %r" % dev["napi_threaded"])
major, minor = (int(x) for x in sys.argv[3].split(".")[:2])
if (major, minor) >= (6, 8) and dev["napi_source"] != "netlink":
    bad.append("napi_source %r on %s (napi-get has pids since 6.8)"
               % (dev["napi_source"], sys.argv[3]))
for t in dev["napi_threads"]:
    if not t["name"].startswith("napi/%s-" % sys.argv[4]) or t["rx_queue"] is None:
        bad.append("thread %r" % t)
if sorted(t["rx_queue"] for t in dev["napi_threads"]) != list(range(len(want))):
    bad.append("rx queues %s" % [t["rx_queue"] for t in dev["napi_threads"]])
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# the dry run: each thread planned onto its queue's home, nothing moved
in_ns "$MQTUNE" auto --channels keep --dry-run --json "$v0" >"$TMP/plan.json" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] && [ "$before" = "$(affinities)" ] &&
	ts_pass "$T: dry run moves no thread" ||
	ts_fail "$T: dry run exit $rc: $(cat "$TMP/err")"
ts_check "$T: dry-run JSON: schema" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/plan.json"
if python3 - "$TMP/plan.json" >"$TMP/want" 2>"$TMP/err" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
dev = doc["interfaces"][0]
home = {q["queue"]: q["home_cpu"] for q in dev["queues"]}
for t in dev["napi_threads"]:
    assert t["affinity"]["planned"] == str(home[t["rx_queue"]]), t
    print(t["pid"], home[t["rx_queue"]])
n = sum(1 for c in doc["changes"] if " napi/" in c["object"])
assert n >= 1, "no NAPI change planned"
PY
then planned=yes; else planned=no; fi
[ $planned = yes ] && [ "$(wc -l <"$TMP/want")" -eq "$nthreads" ] &&
	ts_pass "$T: dry run plans each thread onto its queue's home" ||
	ts_fail "$T: dry-run plan: $(cat "$TMP/err")"
sort -n "$TMP/want" -o "$TMP/want"

# a later write fails: exit 7, every thread back where it was
echo 0 >"$TMP/ro_flow"
# shellcheck disable=SC2016  # $1.. are the inner shell's
in_ns sh -c 'f=/sys/class/net/$4/queues/rx-0/rps_flow_cnt &&
	mount --bind "$1" "$f" && mount -o remount,bind,ro "$f" &&
	exec "$2" auto --channels keep --json "$3" "$4"' fail "$TMP/ro_flow" "$MQTUNE" "$v0" "$v1" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 7 ] && [ "$before" = "$(affinities)" ] &&
	grep -q "$v1 rx-0 rps_flow_cnt" "$TMP/err" &&
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = [c["state"] for c in d["changes"] if " napi/" in c["object"]]
sys.exit(0 if s and set(s) == {"restored"} else 1)' "$TMP/out" &&
	ts_pass "$T: a failed later write (exit 7) restores every thread's affinity" ||
	ts_fail "$T: failed run: exit $rc (want 7), threads as before: $([ "$before" = "$(affinities)" ] && echo yes || echo no): $(cat "$TMP/err")"

# the apply: each thread on its home, as taskset reads it
in_ns "$MQTUNE" auto --channels keep "$v0" >"$TMP/out" 2>"$TMP/err"
rc=$?
affinities | sort -n >"$TMP/got"
[ $rc -eq 0 ] && diff -q "$TMP/want" "$TMP/got" >/dev/null &&
	ts_pass "$T: auto pins each NAPI thread to its queue's home" ||
	ts_fail "$T: auto exit $rc; want (pid cpu) $(tr '\n' ';' <"$TMP/want") got $(tr '\n' ';' <"$TMP/got"): $(cat "$TMP/err")"

# the state file records each thread's affinity from before (by pid)
in_ns "$MQTUNE" restore --dry-run "$v0" >"$TMP/rest" 2>&1 &&
	[ "$(grep -c '"kind": "napi_affinity"' "$TMP/varlib/mqtune/state.json")" = "$nthreads" ] &&
	ts_pass "$T: the state file records each thread's affinity ($nthreads entries), restore --dry-run reads it" ||
	ts_fail "$T: restore --dry-run after auto: $(head -3 "$TMP/rest"); napi entries: $(grep -c napi_affinity "$TMP/varlib/mqtune/state.json")"

in_ns "$MQTUNE" auto --channels keep "$v0" >"$TMP/out2" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -qx 'no changes' "$TMP/out2" &&
	ts_pass "$T: a rerun changes nothing" ||
	ts_fail "$T: rerun exit $rc: $(head -3 "$TMP/out2")"

in_ns "$MQTUNE" check --channels keep "$v0" >"$TMP/check" 2>&1
rc=$?
[ $rc -eq 0 ] && ts_pass "$T: check after auto: no drift" ||
	ts_fail "$T: check exit $rc: $(head -5 "$TMP/check")"
first=$(napi_pids | head -1)
taskset -pc 0-"$(($(nproc) - 1))" "$first" >/dev/null
if [ "$(nproc)" -gt 1 ]; then
	in_ns "$MQTUNE" check --channels keep "$v0" >"$TMP/check" 2>&1
	rc=$?
	[ $rc -eq 12 ] && grep -q "$v0 napi/$v0-" "$TMP/check" &&
		ts_pass "$T: check reports a thread moved away (exit 12)" ||
		ts_fail "$T: check after taskset: exit $rc: $(head -5 "$TMP/check")"
else
	ts_skip "$T: one CPU: no thread can be moved away"
fi

# restore: every thread back on the CPUs it had before auto (the one
# moved by hand above too), as taskset reads it; then nothing is left
in_ns "$MQTUNE" restore --json "$v0" >"$TMP/restore.json" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] && [ "$before" = "$(affinities)" ] &&
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
k = [e for e in d["entries"] if e["kind"] == "napi_affinity"]
sys.exit(0 if len(k) == int(sys.argv[2]) and all(e["path"].startswith("/proc/") for e in k) else 1)' \
		"$TMP/restore.json" "$nthreads" &&
	ts_pass "$T: restore puts every thread's affinity back" ||
	ts_fail "$T: restore exit $rc; before $(echo "$before" | tr '\n' ';') now $(affinities | tr '\n' ';'): $(cat "$TMP/err")"
ts_check "$T: restore --json: schema" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/restore.json"
# threads made again (threaded NAPI off, then on: new pids): the next
# auto records the new ones and drops the old threads' entries, which
# nothing can be written back to
toggle() {
	in_ns sh -c 'echo 0 >"/sys/class/net/$1/threaded" && echo 1 >"/sys/class/net/$1/threaded"' x "$v0"
	sleep 0.2
}
in_ns "$MQTUNE" auto --channels keep "$v0" >/dev/null 2>&1
toggle
in_ns "$MQTUNE" auto --channels keep "$v0" >/dev/null 2>&1
recorded=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted((e["path"][6:] for e in d["entries"] if e["kind"] == "napi_affinity"), key=int)))' \
	"$TMP/varlib/mqtune/state.json")
[ "$recorded" = "$(napi_pids | sort -n | tr '\n' ' ' | sed 's/ $//')" ] &&
	ts_pass "$T: threads made again: the state file holds the new threads only ($recorded)" ||
	ts_fail "$T: threads made again: entries for pids '$recorded', threads '$(napi_pids | tr '\n' ' ')'"
# an entry for a thread that is gone is stale: forgotten, not written
toggle
in_ns "$MQTUNE" restore "$v0" >"$TMP/rest2" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "napi/$v0-.*not written back: the thread is gone" "$TMP/rest2" &&
	ts_pass "$T: restore after threaded off and on: the old threads' entries are stale" ||
	ts_fail "$T: restore after threaded off/on: exit $rc: $(head -5 "$TMP/rest2")"
exit 0
