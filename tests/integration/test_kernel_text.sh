#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_kernel_text.sh - the kernel's own spellings on synthetic machines:
# nohz_full as CONFIG_NO_HZ_FULL=y kernels without nohz_full= print it
# ("(null)" right-justified to nr_cpu_ids) on 8, 64 and 1024 CPUs, the
# file empty, absent or "\n"; `show`, `auto --dry-run` and `auto` must all
# take them for the empty set.  Then NICs whose drivers request their IRQs
# at open (e1000e, igb, vmxnet3) with the link down: vectors in msi_irqs
# without a handler; show says so, auto plans RPS/XPS and leaves the IRQs
# alone with a note, and places them once the link is up.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "kernel text: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "kernel text: python3 not installed"
	exit 0
fi
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

gen() {	# gen NAME ARGS...
	ts_gen "$@" || { ts_fail "kernel text $1: mkmachine.py failed"; return 1; }
}

# runs NAME IFACE...: show --json, auto --dry-run, auto: each exits 0 with
# nothing on stderr, and show reports nohz_full as the empty set.
runs() {
	local name=$1 dir=$WORK/$1 rc
	shift
	"$MQTUNE" --sysroot "$dir" show --json "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["system"]["cpus"]["nohz_full"] == "" else 1)' "$WORK/out" 2>/dev/null; then
		ts_pass "kernel text $name: show reads nohz_full as the empty set"
	else
		ts_fail "kernel text $name: show rc $rc: $(head -c 300 "$WORK/err")"
	fi
	"$MQTUNE" --sysroot "$dir" auto --dry-run "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] &&
		ts_pass "kernel text $name: auto --dry-run" ||
		ts_fail "kernel text $name: auto --dry-run rc $rc: $(head -c 300 "$WORK/err")"
	"$MQTUNE" --sysroot "$dir" auto "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] &&
		ts_pass "kernel text $name: auto" ||
		ts_fail "kernel text $name: auto rc $rc: $(head -c 300 "$WORK/err")"
}

# padded FILE N: FILE is N-6 spaces, "(null)", newline (N > 6).
padded() {
	python3 -c '
import sys
t = open(sys.argv[1]).read()
n = int(sys.argv[2])
sys.exit(0 if t == " " * (n - 6) + "(null)\n" else 1)' "$1" "$2"
}

NOHZ=sys/devices/system/cpu/nohz_full
for spec in "8 1 1 igb:eth0:4" "64 2 2 ice:eth0:16:node=1" \
	"1024 8 2 ixgbe:eth0:64:node=3"; do
	read -r n nodes smt nic <<<"$spec"
	name=cpu$n
	gen "$name" --cpus "$n" --nodes "$nodes" --smt "$smt" --nic "$nic" \
		--nic veth:veth0:2 || continue
	padded "$WORK/$name/$NOHZ" "$n" &&
		ts_pass "kernel text $name: nohz_full is \"(null)\" padded to $n columns" ||
		ts_fail "kernel text $name: nohz_full is not the kernel's padded (null)"
	runs "$name" eth0 veth0
done

for form in empty absent list; do
	gen "cpu8-$form" --cpus 8 --nic igb:eth0:4 --nohz-full-file "$form" ||
		continue
	case $form in
	empty) [ -f "$WORK/cpu8-$form/$NOHZ" ] && [ ! -s "$WORK/cpu8-$form/$NOHZ" ] ;;
	absent) [ ! -e "$WORK/cpu8-$form/$NOHZ" ] ;;
	list) [ "$(od -An -c "$WORK/cpu8-$form/$NOHZ" | tr -d ' ')" = '\n' ] ;;
	esac && ts_pass "kernel text cpu8-$form: nohz_full written $form" ||
		ts_fail "kernel text cpu8-$form: nohz_full not written $form"
	runs "cpu8-$form" eth0
done

# link down: never opened (no /proc/irq/N), and opened then closed again
# (/proc/irq/N stays, actions empty); igb with 4 queues (rx-N + tx-N) and
# 8 (TxRx-N); e1000e rx-0, tx-0 and the bare name; vmxnet3 rxtx + event
LINKIF=eth0,eth1,eth2,eth3
link_machine() {	# link_machine NAME LINK [GEN-ARGS...]
	local name=$1 link=$2
	shift 2
	gen "$name" --cpus 8 "$@" --nic "e1000e:eth0:1:link=$link" --nic "igb:eth1:4:link=$link" \
		--nic "vmxnet3:eth2:4:link=$link" --nic "igb:eth3:8:link=$link"
}
for link in down redown; do
	name=link-$link dir=$WORK/link-$link
	link_machine "$name" "$link" || continue
	"$MQTUNE" --sysroot "$dir" show eth0 eth1 eth2 eth3 >"$WORK/out" 2>"$WORK/err"
	rc=$?
	n=$(grep -c 'vectors: [0-9]* (IRQs not requested yet (link down))' "$WORK/out")
	[ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] && [ "$n" -eq 4 ] &&
		ts_pass "kernel text $name: show says IRQs not requested yet (link down)" ||
		ts_fail "kernel text $name: show rc $rc, $n of 4 interfaces say so: $(head -c 300 "$WORK/err")"
	"$MQTUNE" --sysroot "$dir" show --json eth0 eth1 eth2 eth3 >"$WORK/out.json" 2>"$WORK/err"
	ts_check "kernel text $name: show --json matches truth (irq_state unrequested)" \
		python3 "$TS_TOP/tests/integration/check_show.py" --sysroot "$dir" \
		--ifaces "$LINKIF" "$dir/truth.json" "$WORK/out.json"
	ls "$dir/proc/irq" >"$WORK/irqs.before"
	for mode in --dry-run ""; do
		# shellcheck disable=SC2086  # $mode: nothing or one word
		"$MQTUNE" --sysroot "$dir" auto $mode --json eth0 eth1 eth2 eth3 >"$WORK/out" 2>"$WORK/err"
		rc=$?
		if [ "$rc" -eq 0 ] && [ ! -s "$WORK/err" ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
irq = [c["object"] for c in d["changes"] if "/proc/irq/" in c["path"]]
rps = [c for c in d["changes"] if c["path"].endswith("/rps_cpus")]
notes = [w for w in d["warnings"] if "IRQs not requested yet (link down)" in str(w)]
# as with the link up: RPS where a NIC has fewer queues than usable
# CPUs (1 + 4 + 4), none for the 8-queue igb on 8 CPUs
sys.exit(0 if not irq and len(rps) == 1 + 4 + 4 and len(notes) == 4 else 1)
' "$WORK/out"; then
			ts_pass "kernel text $name: auto ${mode:-(apply)}: RPS planned, IRQs left alone with a note"
		else
			ts_fail "kernel text $name: auto ${mode:-(apply)} rc $rc: $(head -c 300 "$WORK/err")"
		fi
	done
	ls "$dir/proc/irq" >"$WORK/irqs.after"
	cmp -s "$WORK/irqs.before" "$WORK/irqs.after" &&
		ts_pass "kernel text $name: auto made no /proc/irq entries" ||
		ts_fail "kernel text $name: auto changed /proc/irq"
done

# once the link is up the vectors have names and auto places them; an
# e1000e with an 11-byte name has all three vectors named bare
link_machine link-up up --nic e1000e:enp0s20f0u1:1 && {
	"$MQTUNE" --sysroot "$WORK/link-up" show --json eth0 eth1 eth2 eth3 enp0s20f0u1 \
		>"$WORK/out.json" 2>"$WORK/err"
	ts_check "kernel text link-up: show --json matches truth (irq_state requested)" \
		python3 "$TS_TOP/tests/integration/check_show.py" --sysroot "$WORK/link-up" \
		--ifaces "$LINKIF,enp0s20f0u1" "$WORK/link-up/truth.json" "$WORK/out.json"
	"$MQTUNE" --sysroot "$WORK/link-up" auto --json eth0 eth1 eth2 eth3 >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
irq = {c["object"].split()[0] for c in d["changes"] if "/proc/irq/" in c["path"]}
sys.exit(0 if irq == {"eth0", "eth1", "eth2", "eth3"} else 1)' "$WORK/out" &&
		ts_pass "kernel text link-up: auto places the IRQs of all four NICs" ||
		ts_fail "kernel text link-up: auto rc $rc did not place every NIC's IRQs"
}
exit 0
