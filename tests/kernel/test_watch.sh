#!/bin/bash
# test_watch.sh - `mqtune watch` against the real kernel, on veth pairs in
# a private network namespace made here.
#
# Checks: the start applies the plan; after `ethtool -L` the new queues'
# RPS/XPS files equal what `auto --dry-run` plans, within 2 s; a link
# down/up rewrites nothing (veth keeps its masks); a value changed by hand
# stays changed until an event for that interface arrives (watch is
# event-driven: `check` reports it meanwhile), and the next event heals
# it; idle, the process makes no system call at all (strace); SIGHUP heals
# everything; a manual `auto` between heals gets the lock; SIGTERM ends it
# with status 0; JSON mode prints one object per line per heal.
# Skips, saying why, without root, namespaces, veth, ethtool or strace.

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/watch
kt_begin watch ethtool strace python3
ip -n "$NS" link add v0 numrxqueues 8 numtxqueues 8 type veth \
	peer name v1 numrxqueues 8 numtxqueues 8 2>/dev/null ||
	kt_skip "cannot create a veth pair (veth module missing?)"
in_ns test -e /sys/class/net/v0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"
in_ns ethtool -L v0 rx 4 tx 4 2>/dev/null ||
	kt_skip "this kernel's veth cannot change channels (before 5.9?)"
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up

# every rps/xps value of v0 and v1, as the kernel prints them
files() {
	in_ns sh -c 'cd /sys/class/net && grep -H . v*/queues/rx-*/rps_cpus \
		v*/queues/tx-*/xps_cpus 2>/dev/null' | sort
}
# what auto would write now: none means the live state is the plan
planned() {
	in_ns "$MQTUNE" auto --dry-run --json v0 v1 |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["changes"]))'
}
# wait_for SECONDS CMD...: poll CMD (the test's clock, not mqtune's)
wait_for() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
no_changes() { [ "$(planned)" = 0 ]; }

# start_watch ARGS...: WPID = mqtune's own pid (ip netns exec forks and
# waits), JOB = the job whose status is mqtune's; output in $TMP/w.{out,err}
start_watch() {
	rm -f "$TMP/w.pid"
	in_ns sh -c 'echo $$ >"$0"; exec "$@"' "$TMP/w.pid" "$MQTUNE" watch "$@" \
		>"$TMP/w.out" 2>"$TMP/w.err" &
	JOB=$!
	wait_for 2 test -s "$TMP/w.pid"
	WPID=$(cat "$TMP/w.pid")
}
stop_watch() {
	kill -TERM "$WPID" 2>/dev/null
	wait "$JOB"
	WRC=$?
}

start_watch v0 v1
wait_for 5 grep -q 'start:' "$TMP/w.err" && no_changes &&
	ts_pass "$T: the start applies the plan" ||
	ts_fail "$T: start: $(cat "$TMP/w.err") (changes left: $(planned))"

# ethtool -L: new queues appear with empty masks; placed within 2 s
# (the channel count is set back first and the line is logged once the
# queues settled, so the live state can be the plan a moment before the
# line: a heal is done when both are seen)
in_ns ethtool -L v0 rx 8 tx 8
t0=$(date +%s.%N)
heal_logged() { grep -q 'v0 (channels)' "$TMP/w.err"; }
if wait_for 3 eval 'heal_logged && no_changes'; then
	ts_pass "$T: ethtool -L rx 8 tx 8 healed within 3 s ($(python3 -c "print(round($(date +%s.%N)-$t0,2))") s)"
else
	ts_fail "$T: ethtool -L: $(planned) values still differ after 3 s"
fi
heal_logged &&
	ts_pass "$T: the heal is one log line naming the interface and the event" ||
	ts_fail "$T: no heal line for v0 (channels): $(cat "$TMP/w.err")"

# link down/up: veth keeps its masks, so nothing is rewritten
before=$(files)
lines=$(wc -l <"$TMP/w.err")
ip -n "$NS" link set v0 down && ip -n "$NS" link set v0 up
sleep 1
[ "$before" = "$(files)" ] && [ "$(wc -l <"$TMP/w.err")" = "$lines" ] &&
	ts_pass "$T: link down/up: nothing drifted, nothing rewritten, nothing logged" ||
	ts_fail "$T: link down/up changed something: $(tail -2 "$TMP/w.err")"

# drift by hand: not healed without an event (check reports it) ...
in_ns sh -c 'echo 0 > /sys/class/net/v1/queues/rx-0/rps_cpus'
sleep 1
in_ns "$MQTUNE" check v0 v1 >/dev/null 2>&1
rc=$?
[ "$rc" = 12 ] &&
	ts_pass "$T: a value changed by hand stays drifted until an event (check: 12)" ||
	ts_fail "$T: check after drift by hand: status $rc (want 12)"
# ... and the next event for that interface heals it
lines=$(wc -l <"$TMP/w.err")
in_ns ethtool -L v1 rx 4 tx 4
wait_for 3 eval '[ "$(wc -l <"$TMP/w.err")" -gt "$lines" ] && no_changes' &&
	ts_pass "$T: the next event (ethtool -L v1) heals the drift too" ||
	ts_fail "$T: after ethtool -L v1: $(planned) values differ"

# idle: no system call at all while nothing happens (after the last
# heal's re-check, 250 ms later, found nothing left to do)
sleep 1
if strace -f -qq -e trace=all -p "$WPID" -o "$TMP/strace" 2>/dev/null & then
	SPID=$!
	sleep 2
	kill -INT "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	# strace shows the poll the process sleeps in as unfinished or
	# detached; a wake-up is a call that returned (" = "), even a poll
	calls=$(grep -c ' = ' "$TMP/strace")
	[ "$calls" = 0 ] &&
		ts_pass "$T: idle for 2 s: 0 system calls (strace)" ||
		ts_fail "$T: idle: $calls system calls: $(head -5 "$TMP/strace")"
fi

# a manual auto between heals takes the lock and finds nothing to do
in_ns timeout 5 "$MQTUNE" auto --wait 2 v0 v1 >"$TMP/auto.out" 2>&1
rc=$?
[ "$rc" = 0 ] && grep -q 'no changes' "$TMP/auto.out" &&
	ts_pass "$T: a manual auto beside the watch gets the lock; no changes" ||
	ts_fail "$T: manual auto: status $rc: $(cat "$TMP/auto.out")"

# SIGHUP: everything healed again (a changed config is read then)
in_ns sh -c 'echo 0 > /sys/class/net/v0/queues/tx-0/xps_cpus'
kill -HUP "$WPID"
wait_for 2 no_changes && grep -q 'reload (SIGHUP)' "$TMP/w.err" &&
	ts_pass "$T: SIGHUP heals everything" ||
	ts_fail "$T: SIGHUP: $(planned) values differ: $(tail -2 "$TMP/w.err")"

# the pair goes away (a driver unloaded): forgotten, no failure; back
# with new ifindexes: placed again
lines=$(wc -l <"$TMP/w.err")
ip -n "$NS" link del v0
sleep 0.5
# ... and while they are gone the watch sleeps: no wake-up to retry
if strace -f -qq -p "$WPID" -o "$TMP/strace2" 2>/dev/null & then
	SPID=$!
	sleep 1
	kill -INT "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	calls=$(grep -c ' = ' "$TMP/strace2")
	[ "$calls" = 0 ] &&
		ts_pass "$T: named interfaces gone: the watch sleeps (0 system calls in 1 s)" ||
		ts_fail "$T: named interfaces gone: $calls system calls in 1 s: $(head -3 "$TMP/strace2")"
fi
ip -n "$NS" link add v0 numrxqueues 8 numtxqueues 8 type veth \
	peer name v1 numrxqueues 8 numtxqueues 8
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up
if wait_for 3 no_changes && ! tail -n +"$((lines + 1))" "$TMP/w.err" | grep -q 'retrying'; then
	ts_pass "$T: named interfaces that vanish are skipped, and placed when they are back"
else
	ts_fail "$T: vanish and return: $(planned) values differ: $(tail -3 "$TMP/w.err")"
fi

stop_watch
[ "$WRC" = 0 ] && ts_pass "$T: SIGTERM: exit 0" ||
	ts_fail "$T: SIGTERM: exit $WRC: $(tail -3 "$TMP/w.err")"
in_ns timeout 5 "$MQTUNE" auto --wait 0 v0 v1 >/dev/null 2>&1 &&
	ts_pass "$T: the lock is free after the watch ended" ||
	ts_fail "$T: the lock is still held after SIGTERM"

# the config names interfaces by a glob: watch with no names watches
# those, and a veth pair created later that matches is placed when it
# appears
printf '[interface "w*"]\nxps = auto\n' >"$TMP/mqtune.conf"
start_watch --config "$TMP/mqtune.conf"
wait_for 5 grep -q 'start:' "$TMP/w.err"
ip -n "$NS" link add w0 numrxqueues 4 numtxqueues 4 type veth \
	peer name w1 numrxqueues 4 numtxqueues 4
ip -n "$NS" link set w0 up && ip -n "$NS" link set w1 up
wplanned() {
	in_ns "$MQTUNE" --config "$TMP/mqtune.conf" auto --dry-run --json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["changes"]), len(d["interfaces"]))'
}
ok=
for ((i = 0; i < 60; i++)); do
	[ "$(wplanned)" = "0 2" ] && { ok=1; break; }
	sleep 0.05
done
[ -n "$ok" ] && grep -q 'w[01] (appeared' "$TMP/w.err" &&
	ts_pass "$T: a new veth pair matching the config is placed when it appears" ||
	ts_fail "$T: new veth w0/w1: $(wplanned) (changes, interfaces): $(tail -3 "$TMP/w.err")"
# SIGHUP with a changed config: read again, everything re-planned
xps_of_w() { in_ns sh -c 'cat /sys/class/net/w[01]/queues/tx-*/xps_cpus' | sort -u | tr '\n' ' '; }
before=$(xps_of_w)
printf '[interface "w*"]\nxps = off\n' >"$TMP/mqtune.conf"
kill -HUP "$WPID"
for ((i = 0; i < 60; i++)); do
	[ "$(xps_of_w)" = "0 " ] && break
	sleep 0.05
done
[ "$before" != "0 " ] && [ "$(xps_of_w)" = "0 " ] &&
	ts_pass "$T: SIGHUP reads the changed config (xps = off) and applies it" ||
	ts_fail "$T: SIGHUP with xps = off: xps_cpus '$before' -> '$(xps_of_w)'"
# a bad config on SIGHUP: said, the previous one kept, still running
printf '[interface "w*"]\nxps = sometimes\n' >"$TMP/mqtune.conf"
kill -HUP "$WPID"
sleep 0.5
grep -q 'keeping the previous configuration' "$TMP/w.err" && kill -0 "$WPID" 2>/dev/null &&
	ts_pass "$T: SIGHUP with a bad config: said once, the previous one kept" ||
	ts_fail "$T: SIGHUP with a bad config: $(tail -2 "$TMP/w.err")"
stop_watch

# JSON: one object per line per heal
start_watch --json v0 v1
wait_for 5 test -s "$TMP/w.out"
in_ns ethtool -L v0 rx 2 tx 2
wait_for 2 no_changes
sleep 0.5
stop_watch
if python3 - "$TMP/w.out" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
docs = [json.loads(l) for l in lines]
assert len(docs) >= 2, lines
assert all(d["event"] == "heal" for d in docs), docs
assert docs[0]["cause"] == "start", docs[0]
assert any("channels" in d["cause"] and d["rewritten"] > 0 for d in docs[1:]), docs
EOF
then
	ts_pass "$T: --json: one heal object per line"
else
	ts_fail "$T: --json output: $(head -3 "$TMP/w.out")"
fi
