#!/bin/bash
# test_channels_set.sh - `mqtune auto --channels` against the real kernel:
# a veth of at most 8 rx / 8 tx channels in a private network namespace.
#
# The oracle is the kernel: `ethtool -l` for the counts, the rx-N / tx-N
# directories and their rps_cpus / xps_cpus files.  Checks: the dry run
# shows the change and writes nothing; auto sets Sum = min(8, usable CPUs)
# and the new queues get their RPS; a rerun writes nothing and `check`
# finds no drift; `--channels N` (netlink and ioctl), N over the maximum
# refused with status 2 naming it, `keep`, the config key; a manual
# `ethtool -L` is drift; a write failing after the channel change (a
# read-only file bound over rps_cpus) sets the old counts back and puts
# the queues' settings back, status 7; restore after a shrink and after a
# grow (two phases: the entries of queues that go are stale), a restore
# failing in its second phase (status 7, the grown counts back), and
# auto and restore each killed between their phases (strace injects
# SIGKILL at the settle wait), a restore after them giving the files
# from before.  Skips, saying why, without root, namespaces, veth or
# ethtool.

# shellcheck disable=SC2015  # ts_pass never fails
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/channels-set
kt_begin chs ethtool python3
ip -n "$NS" link add v0 numrxqueues 8 numtxqueues 8 type veth \
	peer name v1 numrxqueues 8 numtxqueues 8 2>/dev/null ||
	kt_skip "cannot create a veth pair (veth module missing?)"
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up
in_ns ethtool -L v0 rx 8 tx 8 2>/dev/null ||
	kt_skip "ethtool -L does not work on veth (kernel before 5.12?)"
in_ns test -e /sys/class/net/v0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"

ncpu=$(grep -c '^processor' /proc/cpuinfo)
sum=$((ncpu < 8 ? ncpu : 8))

# counts: "RX TX" as ethtool -l shows the current settings.
counts() {
	in_ns ethtool -l v0 | awk '/^Current hardware settings:/ { c = 1 }
		c && /^RX:/ { rx = $2 } c && /^TX:/ { tx = $2 }
		END { print rx, tx }'
}
dirs() {
	echo "$(in_ns sh -c 'ls -d /sys/class/net/v0/queues/rx-* | wc -l') $(in_ns sh -c 'ls -d /sys/class/net/v0/queues/tx-* | wc -l')"
}
files() { in_ns sh -c 'cd /sys/class/net/v0/queues && grep -H . rx-*/rps_cpus rx-*/rps_flow_cnt tx-*/xps_cpus 2>/dev/null'; }
run() { in_ns "$MQTUNE" "$@" >"$TMP/out" 2>"$TMP/err"; echo $? >"$TMP/rc"; }
rc() { cat "$TMP/rc"; }

# 1. dry run
before=$(files)
run auto --dry-run v0
[ "$(rc)" -eq 0 ] && [ "$(counts)" = "8 8" ] && [ "$before" = "$(files)" ] &&
	ts_pass "$T: dry run writes nothing (counts 8 8)" ||
	ts_fail "$T: dry run rc $(rc), counts $(counts): $(cat "$TMP/err")"
grep -q "channels: rx 8 tx 8 -> rx $sum tx $sum (the driver makes its queues" "$TMP/out" &&
	ts_pass "$T: dry run shows the channel change and its cost" ||
	ts_fail "$T: dry run output: $(head -5 "$TMP/out")"
run auto --dry-run --json v0
ts_check "$T: dry-run JSON matches the schema" \
	python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/out"
python3 - "$TMP/out" "$sum" <<'EOF' && ts_pass "$T: dry-run JSON: channels current 8, planned Sum, the projected queues" || ts_fail "$T: dry-run JSON channels"
import json, sys
doc = json.load(open(sys.argv[1])); s = int(sys.argv[2])
dev = doc["interfaces"][0]; ch = dev["channels"]
assert ch["current"]["rx"] == 8 and ch["planned"]["rx"] == s, ch
assert ch["planned"]["tx"] == s and ch["max"]["rx"] == 8, ch
assert dev["rx_queues"] == s and len(dev["queues"]) == s, dev["rx_queues"]
assert doc["changes"][0]["object"] == "v0 channels", doc["changes"][0]
assert doc["changes"][0]["old"] == "rx 8 tx 8", doc["changes"][0]
EOF

# 2. auto: Sum, RPS on every queue left, rerun quiet, check clean
run auto v0
[ "$(rc)" -eq 0 ] && [ "$(counts)" = "$sum $sum" ] && [ "$(dirs)" = "$sum $sum" ] &&
	ts_pass "$T: auto sets rx $sum tx $sum (Sum on $ncpu CPUs)" ||
	ts_fail "$T: auto rc $(rc), counts $(counts), dirs $(dirs): $(cat "$TMP/err")"
run auto v0
[ "$(rc)" -eq 0 ] && [ "$(cat "$TMP/out")" = "no changes" ] &&
	ts_pass "$T: a second run changes nothing" ||
	ts_fail "$T: second run rc $(rc): $(cat "$TMP/out")"
run check v0
[ "$(rc)" -eq 0 ] && ts_pass "$T: check after auto: no drift" ||
	ts_fail "$T: check rc $(rc): $(cat "$TMP/out")"

# 3. --channels N, both transports; the new queues get RPS
for tr in netlink ioctl; do
	n=$( [ "$tr" = netlink ] && echo 5 || echo 3 )
	run --ethtool "$tr" auto --channels "$n" v0
	[ "$(rc)" -eq 0 ] && [ "$(counts)" = "$n $n" ] &&
		ts_pass "$T: $tr: --channels $n sets rx $n tx $n" ||
		ts_fail "$T: $tr: --channels $n rc $(rc), counts $(counts): $(cat "$TMP/err")"
	last=$((n - 1))
	r=$(in_ns cat "/sys/class/net/v0/queues/rx-$last/rps_cpus" | tr -d ',0')
	[ -n "$r" ] && ts_pass "$T: $tr: the new rx-$last has RPS CPUs" ||
		ts_fail "$T: $tr: rx-$last rps_cpus empty after --channels $n"
	run --ethtool "$tr" auto --channels "$n" v0
	[ "$(cat "$TMP/out")" = "no changes" ] &&
		ts_pass "$T: $tr: --channels $n again changes nothing" ||
		ts_fail "$T: $tr: rerun: $(cat "$TMP/out")"
done

# 4. over the maximum: status 2, naming it; nothing changed
before="$(counts)"
run auto --channels 9 v0
[ "$(rc)" -eq 2 ] && [ "$(counts)" = "$before" ] &&
	grep -qx "mqtune: v0: --channels 9 is more than the 8 rx channels its driver allows" "$TMP/err" &&
	ts_pass "$T: --channels 9 refused (status 2), counts kept" ||
	ts_fail "$T: --channels 9: rc $(rc), counts $(counts): $(cat "$TMP/err")"

# 5. keep, and the config key
in_ns ethtool -L v0 rx 4 tx 4
run auto --channels keep v0
[ "$(rc)" -eq 0 ] && [ "$(counts)" = "4 4" ] &&
	ts_pass "$T: --channels keep leaves rx 4 tx 4" ||
	ts_fail "$T: keep: rc $(rc), counts $(counts)"
printf '[interface v0]\nchannels = 2\n' >"$TMP/mqtune.conf"
run --config "$TMP/mqtune.conf" auto v0
[ "$(rc)" -eq 0 ] && [ "$(counts)" = "2 2" ] &&
	ts_pass "$T: config 'channels = 2' sets rx 2 tx 2" ||
	ts_fail "$T: config: rc $(rc), counts $(counts): $(cat "$TMP/err")"

# 6. a manual change is drift
in_ns ethtool -L v0 rx 6 tx 6
run --config "$TMP/mqtune.conf" check v0
[ "$(rc)" -eq 12 ] && grep -q "v0 channels" "$TMP/out" &&
	ts_pass "$T: ethtool -L behind mqtune's back is drift (status 12)" ||
	ts_fail "$T: check after ethtool -L: rc $(rc): $(cat "$TMP/out")"

# 7. a failure after the channel change: counts and queue settings back
run --config "$TMP/mqtune.conf" auto v0	# rx 2 tx 2, converged
run auto --channels 2 v0
saved=$(files)
printf '2\n' >"$TMP/ro"
chmod 0444 "$TMP/ro"
# rx-0/rps_cpus is read-only in this mount namespace: the second phase
# (after the change to 4) must fail on it
in_ns sh -c "mount --bind -o ro '$TMP/ro' /sys/class/net/v0/queues/rx-0/rps_cpus &&
	'$MQTUNE' auto --channels 4 v0" >"$TMP/out" 2>"$TMP/err"
rc=$?
now=$(files)
[ "$rc" -eq 7 ] && [ "$(counts)" = "2 2" ] &&
	ts_pass "$T: a write failing after the change: status 7, counts back to 2 2" ||
	ts_fail "$T: failure half-way: rc $rc, counts $(counts): $(cat "$TMP/err")"
grep -q "the channel counts were set back" "$TMP/err" &&
	ts_pass "$T: the message says the counts were set back" ||
	ts_fail "$T: message: $(cat "$TMP/err")"
[ "$saved" = "$now" ] && ts_pass "$T: the queues' settings are as before the run" ||
	ts_fail "$T: settings differ: $(diff <(echo "$saved") <(echo "$now") | head -10)"

# 8. restore sets the counts back first, then the queues that come back
in_ns ethtool -L v0 rx 8 tx 8
rm -f "$TMP/varlib/mqtune/state.json"
orig=$(files)
run auto v0
grep -q '"kind": "channels"' "$TMP/varlib/mqtune/state.json" 2>/dev/null ||
	grep -q '"kind":"channels"' "$TMP/varlib/mqtune/state.json" 2>/dev/null &&
	ts_pass "$T: the state file records the channel counts replaced" ||
	ts_fail "$T: no channels entry in the state file: $(head -c 600 "$TMP/varlib/mqtune/state.json")"
run restore --dry-run v0
grep -q "v0 channels .*rx $sum tx $sum  ->  rx 8 tx 8" "$TMP/out" &&
	ts_pass "$T: restore --dry-run shows the counts going back" ||
	ts_fail "$T: restore -n: $(cat "$TMP/out" "$TMP/err")"
run restore v0
[ "$(rc)" -eq 0 ] && [ "$(counts)" = "8 8" ] && [ "$(files)" = "$orig" ] &&
	ts_pass "$T: restore: rx 8 tx 8 again, every queue file as before" ||
	ts_fail "$T: restore rc $(rc), counts $(counts): $(cat "$TMP/err"); $(diff <(echo "$orig") <(files) | head)"

# 9. queue files recorded while they existed, gone with a shrink: restore
# sets the counts back first, then writes them (read just before, as the
# live sysfs file they are again)
in_ns ethtool -L v0 rx 8 tx 8
rm -f "$TMP/varlib/mqtune/state.json"
orig=$(files)
run auto --channels keep v0
run auto v0
[ "$(counts)" = "$sum $sum" ] || ts_fail "$T: auto did not shrink to $sum: $(counts)"
run restore --dry-run v0
if [ "$sum" -lt 8 ]; then
	grep -q "v0 rx-7 rps_cpus .*after the channel change" "$TMP/out" &&
		ts_pass "$T: restore --dry-run: rx-7's files come back after the channel change" ||
		ts_fail "$T: restore -n: $(head -30 "$TMP/out")"
fi
run restore v0
[ "$(rc)" -eq 0 ] && [ "$(counts)" = "8 8" ] && [ "$(files)" = "$orig" ] &&
	ts_pass "$T: restore after keep then auto: rx 8 tx 8, every queue file as before" ||
	ts_fail "$T: restore rc $(rc), counts $(counts): $(cat "$TMP/err"); $(diff <(echo "$orig") <(files) | head)"

# 10. auto grows the channels (1 -> Sum) and writes the new queues' files:
# restore shrinks back to 1 first, in a phase of its own, and forgets the
# entries of the queues that go with it (they cannot be written after);
# the files of rx-0/tx-0 as before
# queue 0's files as the kernel makes them, so that auto changes them
reset_q0() {
	in_ns sh -c 'cd /sys/class/net/v0/queues && echo 0 >rx-0/rps_cpus &&
		echo 0 >rx-0/rps_flow_cnt && echo 0 >tx-0/xps_cpus'
}
if [ "$sum" -gt 1 ]; then
	in_ns ethtool -L v0 rx 1 tx 1
	rm -f "$TMP/varlib/mqtune/state.json"
	reset_q0
	orig=$(files)
	run auto v0
	[ "$(counts)" = "$sum $sum" ] || ts_fail "$T: auto did not grow to $sum: $(counts)"
	run restore --dry-run v0
	grep -q "v0 rx-1 rps_cpus: not written back: its queue goes with the channel counts restored" "$TMP/out" &&
		ts_pass "$T: restore --dry-run after a grow: rx-1's entries go with the counts" ||
		ts_fail "$T: restore -n after a grow: $(head -30 "$TMP/out")"
	run restore --json v0
	[ "$(rc)" -eq 0 ] && [ "$(counts)" = "1 1" ] && [ "$(files)" = "$orig" ] &&
		ts_pass "$T: restore after a grow to $sum: rx 1 tx 1, the files as before" ||
		ts_fail "$T: restore after a grow: rc $(rc), counts $(counts): $(cat "$TMP/err"); $(diff <(echo "$orig") <(files) | head)"
	ts_check "$T: restore --json after a grow: schema" \
		python3 "$TS_TOP/tests/lib/validate_json.py" "$TMP/out"
	[ ! -e "$TMP/varlib/mqtune/state.json" ] &&
		ts_pass "$T: restore after a grow: no entry left" ||
		ts_fail "$T: entries left: $(head -c 400 "$TMP/varlib/mqtune/state.json")"
	# and a write failing in restore's second phase: status 7, the grown
	# counts and the new queues' files as they were before the restore
	in_ns ethtool -L v0 rx 1 tx 1
	rm -f "$TMP/varlib/mqtune/state.json"
	reset_q0
	run auto v0
	grown=$(files)
	echo 5 >"$TMP/ro_cnt"	# not the original: restore writes it
	# shellcheck disable=SC2016  # $1.. are the inner shell's
	in_ns sh -c 'f=/sys/class/net/v0/queues/rx-0/rps_flow_cnt &&
		mount --bind "$1" "$f" && mount -o remount,bind,ro "$f" &&
		exec "$2" restore v0' x "$TMP/ro_cnt" "$MQTUNE" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	in_ns umount /sys/class/net/v0/queues/rx-0/rps_flow_cnt 2>/dev/null
	[ "$rc" -eq 7 ] && [ "$(counts)" = "$sum $sum" ] &&
		grep -q "the channel counts were set back" "$TMP/err" &&
		ts_pass "$T: restore failing after its channel change: status 7, rx $sum tx $sum again" ||
		ts_fail "$T: restore failing half-way: rc $rc, counts $(counts): $(cat "$TMP/err" "$TMP/out")"
	[ "$(files)" = "$grown" ] &&
		ts_pass "$T: restore failing after its channel change: the queues' files as before it" ||
		ts_fail "$T: files after the failed restore: $(diff <(echo "$grown") <(files) | head)"
	run restore v0
	[ "$(rc)" -eq 0 ] && [ "$(counts)" = "1 1" ] &&
		ts_pass "$T: the entries stay after the failed restore: the next one finishes" ||
		ts_fail "$T: restore after the failed one: rc $(rc), counts $(counts): $(cat "$TMP/err")"

	# SIGKILL between the phases (the first nanosleep(2) is the wait for
	# the driver to settle after the counts were set): of auto, then of
	# restore; a restore after each gives the files from before auto
	if command -v strace >/dev/null; then
		killed() {	# ARGS: mqtune's, run under strace, killed at the wait
			in_ns strace -f -qq -o /dev/null -e trace=nanosleep,clock_nanosleep \
				-e inject=nanosleep,clock_nanosleep:signal=KILL:when=1 \
				"$MQTUNE" "$@" >/dev/null 2>&1
		}
		in_ns ethtool -L v0 rx 1 tx 1
		rm -f "$TMP/varlib/mqtune/state.json"
		reset_q0
		orig=$(files)
		killed auto v0
		[ "$(counts)" = "$sum $sum" ] && [ "$(in_ns cat /sys/class/net/v0/queues/rx-0/rps_cpus)" = 0 ] &&
			grep -q '"kind": "channels"' "$TMP/varlib/mqtune/state.json" &&
			ts_pass "$T: auto killed between its phases: the counts set, no file written, the counts recorded" ||
			ts_fail "$T: auto killed between its phases: counts $(counts), rx-0 rps_cpus $(in_ns cat /sys/class/net/v0/queues/rx-0/rps_cpus)"
		run restore v0
		[ "$(rc)" -eq 0 ] && [ "$(counts)" = "1 1" ] && [ "$(files)" = "$orig" ] &&
			ts_pass "$T: restore after auto killed between its phases: rx 1 tx 1, the files as before" ||
			ts_fail "$T: restore after a killed auto: rc $(rc), counts $(counts): $(cat "$TMP/err"); $(diff <(echo "$orig") <(files) | head)"
		run auto v0
		killed restore v0
		[ "$(counts)" = "1 1" ] && [ -e "$TMP/varlib/mqtune/state.json" ] &&
			ts_pass "$T: restore killed between its phases: the counts back, the entries kept" ||
			ts_fail "$T: restore killed between its phases: counts $(counts)"
		run restore v0
		[ "$(rc)" -eq 0 ] && [ "$(counts)" = "1 1" ] && [ "$(files)" = "$orig" ] &&
			[ ! -e "$TMP/varlib/mqtune/state.json" ] &&
			ts_pass "$T: a second restore after the killed one: the files as before, no entry left" ||
			ts_fail "$T: restore after a killed restore: rc $(rc), counts $(counts): $(cat "$TMP/err"); $(diff <(echo "$orig") <(files) | head)"
	else
		ts_skip "$T: strace missing: runs killed between the phases not tested"
	fi
fi
