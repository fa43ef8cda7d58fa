#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_watch_retry.sh - `mqtune watch` when a heal keeps failing, on a
# synthetic machine (--sysroot; the events still come from this network
# namespace, which is all a sysroot needs).
#
# An IRQ's smp_affinity_list replaced by a directory makes every heal
# fail (the file is not a regular file).  The watch must say so once (not
# once per retry: at most once a minute), retry with a growing delay (1 s,
# 2 s, 4 s... so that it sleeps in between: little CPU, few wake-ups),
# and heal as soon as a retry finds the file back, saying so.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

T=watch-retry
if [ ! -x "$MQTUNE" ]; then
	ts_fail "$T: mqtune binary $MQTUNE not built"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
ts_gen m --cpus 4 --nic ixgbe:eth0:2 || { ts_fail "$T: mkmachine"; exit 0; }
M=$WORK/m
irq=$(awk '/eth0-TxRx-0$/ { sub(":", "", $1); print $1 }' "$M/proc/interrupts")
irqfile=$M/proc/irq/$irq/smp_affinity_list
cp "$irqfile" "$WORK/saved"
rm "$irqfile" && mkdir "$irqfile"

"$MQTUNE" --sysroot "$M" watch eth0 >"$WORK/out" 2>"$WORK/err" &
WPID=$!
sleep 4.5
fails=$(grep -c 'retrying in' "$WORK/err")
[ "$fails" = 1 ] &&
	ts_pass "$T: a heal that keeps failing is said once in 4.5 s (retries at 1, 2, 4 s)" ||
	ts_fail "$T: $fails failure lines in 4.5 s: $(head -3 "$WORK/err")"
grep -q "^mqtune: watch: start: .*/proc/irq/$irq/smp_affinity_list.*(retrying in 1 s" "$WORK/err" &&
	ts_pass "$T: the failure line names the cause and the object" ||
	ts_fail "$T: failure line: $(head -1 "$WORK/err")"
ticks=$(awk '{print $14 + $15}' "/proc/$WPID/stat")
[ "$ticks" -lt $(( $(getconf CLK_TCK) / 2 )) ] &&
	ts_pass "$T: no tight loop: $ticks ticks of CPU in 4.5 s of failing" ||
	ts_fail "$T: $ticks ticks of CPU in 4.5 s of failing (a tight loop?)"

# the file is back: the next retry (at most 8 s later) heals
rmdir "$irqfile" && cp "$WORK/saved" "$irqfile"
for _ in $(seq 100); do
	grep -q 'healed again' "$WORK/err" && break
	sleep 0.1
done
grep -q 'healed again' "$WORK/err" && "$MQTUNE" --sysroot "$M" check -q eth0 &&
	ts_pass "$T: the next retry heals, says so, and check finds no drift" ||
	ts_fail "$T: after the file came back: $(tail -2 "$WORK/err")"
kill -TERM "$WPID"
wait "$WPID"
rc=$?
[ "$rc" = 0 ] && ts_pass "$T: SIGTERM: exit 0" || ts_fail "$T: SIGTERM: exit $rc"
