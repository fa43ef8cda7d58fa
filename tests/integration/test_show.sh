#!/bin/bash
# test_show.sh - `mqtune show` against synthetic machines built by
# tests/gen/mkmachine.py, compared with the generator's truth.json.
#
# Machines: 2, 4 (three naming sources), 64 (2 nodes, SMT), 256 (4 nodes,
# SMT) and 1024 CPUs (8 nodes, SMT; twice: names from the actions files
# and from /proc/interrupts only).  Every driver mkmachine.py knows sits
# on a small machine and on a >64-CPU one.  One PASS/FAIL line per
# machine for the system part, per interface, and per text-form run.
#
# MQTUNE: the binary (default ./mqtune); MQTUNE_ASAN: when set, the small
# machines are run again with it.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/tests/gen/mkmachine.py"
CHECK="$TS_TOP/tests/integration/check_show.py"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "show: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "show: python3 not installed"
	exit 0
fi

# The big machines are ~40k small files: on a busy disk writing them takes
# ten times longer than in memory, so prefer tmpfs when TMPDIR is unset.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
# Not d=$(ts_tmpdir): the EXIT trap it sets would fire in the subshell.
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

# machine NAME IFACES GEN-ARGS...: build the machine, then check
# `show --json` and the text form with every binary in BINS.
machine() {
	local name=$1 ifaces=$2 dir bin tag
	shift 2
	dir="$WORK/$name"
	if [ ! -f "$dir/truth.json" ] &&
		! python3 "$GEN" -q "$dir" "$@" >"$WORK/$name.gen" 2>&1; then
		ts_fail "show $name: mkmachine.py failed"
		sed 's/^/    /' "$WORK/$name.gen" | head -20
		return
	fi
	for bin in "${BINS[@]}"; do
		tag=$name
		[ "$bin" = "$MQTUNE" ] || tag="$name (asan)"
		check_json "$bin" "$tag" "$dir" "$ifaces"
		check_text "$bin" "$tag" "$dir" "$ifaces"
	done
}

check_json() {
	local bin=$1 tag=$2 dir=$3 ifaces=$4 rc if out err res
	local -a ifs
	IFS=, read -r -a ifs <<<"$ifaces"
	out="$WORK/out.json" err="$WORK/err.txt" res="$WORK/res.txt"
	"$bin" --sysroot "$dir" show --json "${ifs[@]}" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$err" ]; then
		ts_fail "show $tag: --json exit $rc, stderr $(wc -l <"$err") lines"
		sed 's/^/    /' "$err" | head -10
		return
	fi
	python3 "$CHECK" --sysroot "$dir" --ifaces "$ifaces" \
		"$dir/truth.json" "$out" >"$res" 2>&1
	report "$tag: system" "$res" -v '^interface '
	for if in "${ifs[@]}"; do
		report "$tag: $if ($(driver_of "$dir" "$if"))" "$res" \
			"^interface ${if}[ :.]"
	done
}

# report NAME RESULT-FILE [GREP-ARGS...]: pass when no mismatch line of
# RESULT-FILE matches (the summary line never counts).
report() {
	local name=$1 res=$2 lines n
	shift 2
	lines=$(grep -v ' mismatch(es)$' "$res" | grep -E "$@")
	if [ -z "$lines" ]; then
		ts_pass "show $name"
	else
		ts_fail "show $name"
		printf '%s\n' "$lines" | sed 's/^/    /' | head -15
		n=$(printf '%s\n' "$lines" | wc -l)
		[ "$n" -le 15 ] || echo "    ... $n mismatches"
	fi
}

driver_of() {
	python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))
print(next(i["driver_spec"] for i in t["interfaces"] if i["name"] == sys.argv[2]))' \
		"$1/truth.json" "$2"
}

check_text() {
	local bin=$1 tag=$2 dir=$3 ifaces=$4 rc out err
	local -a ifs
	IFS=, read -r -a ifs <<<"$ifaces"
	out="$WORK/out.txt" err="$WORK/err.txt"
	"$bin" --sysroot "$dir" show "${ifs[@]}" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$err" ]; then
		ts_fail "show $tag: text form exit $rc, stderr $(wc -l <"$err") lines"
		sed 's/^/    /' "$err" | head -10
		return
	fi
	ts_check "show $tag: text form, one line per queue" \
		python3 "$CHECK" --text --ifaces "$ifaces" "$dir/truth.json" "$out"
}

small() {
	# 2 CPUs, non-NUMA kernel (no /sys/devices/system/node)
	# and no effective_affinity files, no net.core sysctls (a network
	# namespace), one link down
	machine cpu2 eth0,eth1,eth2,ens192,veth0,eth3,eth4,eth5 \
		--cpus 2 --nodes 0 --smt 1 --no-effective --no-sysctls \
		--nic igb:eth0:2 --nic igc:eth1:2 --nic ena:eth2:2:unnamed=2 \
		--nic vmxnet3:ens192:2 --nic veth:veth0:1 --nic gve:eth3:1 \
		--nic mana:eth4:2 --nic qede:eth5:2:down=1

	# 4 CPUs (8 possible: masks two digits wide), SMT, one offline;
	# every naming source
	local m4=(--cpus 4 --possible 8 --nodes 1 --smt 2 --offline 3
		--nohz-full-null
		--irqbalance 4242
		--nic mlx5_core:eth0:4:onebased=1 --nic mlx4_en:eth1:3
		--nic i40e:eth2:4 --nic ice:eth3:4:unnamed=1 --nic iavf:eth4:2
		--nic ixgbe:eth5:4:shuffle=1 --nic ixgbevf:eth6:2
		--nic bnxt_en:eth7:4:split=1 --nic virtio_net:eth8:4:node=-1
		--nic sfc:eth9:4 --nic ionic:eth10:4 --nic idpf:eth11:4)
	local m4if=eth0,eth1,eth2,eth3,eth4,eth5,eth6,eth7,eth8,eth9,eth10,eth11
	machine cpu4 "$m4if" "${m4[@]}"
	machine cpu4-procdirs "$m4if" "${m4[@]}" --no-actions-file
	machine cpu4-interrupts "$m4if" "${m4[@]}" --no-actions-file \
		--no-proc-action-dirs --unhandled-rows
}

intx() {
	# INTx-only NICs (no msi_irqs/, the line in device/irq, IO-APIC):
	# the line serves the one queue; shared with another device's
	# handler it is left alone; link down: not requested yet, or freed
	local mi=(--cpus 4 --nodes 1 --smt 1
		--nic e1000:eth0:1:intx=20 --nic 8139cp:eth1:1:intx=21:shared=ahci
		--nic e1000:eth2:1:intx=22:link=down
		--nic e1000:eth3:1:intx=23:link=down:shared=ahci
		--nic 8139cp:eth4:1:intx=19:link=redown --nic virtio_net:eth5:2)
	local miif=eth0,eth1,eth2,eth3,eth4,eth5
	machine intx "$miif" "${mi[@]}"
	machine intx-procdirs "$miif" "${mi[@]}" --no-actions-file
	machine intx-interrupts "$miif" "${mi[@]}" --no-actions-file \
		--no-proc-action-dirs --unhandled-rows
}

BINS=("$MQTUNE")
small
intx

# eth5 and eth50: same driver, one name a prefix of the other
machine cpu64 eth0,eth1,eth2,eth3,eth4,eth50,eth5 \
	--cpus 64 --nodes 2 --smt 2 --isolated 3-4 --nohz-full 5 --offline 7 \
	--kernel-managed eth0 --sysctl rps_sock_flow_entries=32768 \
	--nic ice:eth0:16:node=1 --nic mlx5_core:eth1:32:asynclast=1:txq=64 \
	--nic virtio_net:eth2:4:node=-1 --nic bnxt_en:eth3:8 \
	--nic i40e:eth4:8:node=1:pin=1:rps=16-23:flow=2048:unnamed=1 \
	--nic ixgbe:eth5:4:xps=8-9 --nic ixgbe:eth50:4:node=1

# the interfaces listed out of creation order on purpose; eth7's managed
# spread gives two queues only offline CPUs (empty effective affinity)
machine cpu256 eth3,enp65s0f0np0,eth1,eth2,eth4,eth5,eth6,eth7,eth8,eth9,veth1 \
	--cpus 256 --nodes 4 --smt 2 --offline 200-207 --isolated 1-3,129-131 \
	--nohz-full 1-3,129-131 --irqbalance --no-actions-file --irq-base 9990 \
	--nic mlx5_core:enp65s0f0np0:63:node=3 --nic mlx4_en:eth1:32:node=1 \
	--nic i40e:eth2:64:node=2:shuffle=1 --nic iavf:eth3:16:node=-1 \
	--nic ixgbevf:eth4:4 --nic igc:eth5:4:node=1 \
	--nic ena:eth6:32:unnamed=8 --nic mana:eth7:64:node=3:managed=1 \
	--nic qede:eth8:16:node=2 --nic vmxnet3:eth9:8 --nic veth:veth1:4

big=(--cpus 1024 --nodes 8 --smt 2 --offline 1000-1023 --isolated 0-1
	--nic ice:ens1f0np0:128:node=7 --nic ixgbe:eth1:64:node=1
	--nic igb:eth2:8:node=0 --nic bnxt_en:eth3:128:node=2
	--nic gve:eth4:64:node=3:unnamed=2 --nic virtio_net:eth5:32:node=-1
	--nic sfc:eth6:32:node=4 --nic ionic:eth7:64:node=5
	--nic idpf:eth8:128:node=6 --nic mlx5_core:eth9:128:onebased=1:node=7)
bigif=ens1f0np0,eth1,eth2,eth3,eth4,eth5,eth6,eth7,eth8,eth9
machine cpu1024 "$bigif" "${big[@]}"
machine cpu1024-interrupts "$bigif" "${big[@]}" --no-actions-file \
	--no-proc-action-dirs

if [ -n "${MQTUNE_ASAN:-}" ]; then
	if [ -x "$MQTUNE_ASAN" ]; then
		BINS=("$MQTUNE_ASAN")
		small
		intx
	else
		ts_fail "show: MQTUNE_ASAN=$MQTUNE_ASAN is not executable"
	fi
fi
exit 0
