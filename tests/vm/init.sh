#!/bin/sh
# init.sh - /init of the `make vm-check` guest (busybox sh, PID 1).
#
# Loads the virtio modules listed by the host (in modules.dep order),
# brings the two virtio_net NICs up, runs mqtune and prints everything
# between markers on the serial console:
#
#   @@MQT-BEGIN <section>
#   ...
#   @@MQT-END <section> rc=<exit status> t=<uptime>
#
# tests/vm/check.py parses them.  Sections, in order: nics,
# interrupts-boot, kernel-boot, show-before, dryrun, kernel-dryrun, apply,
# kernel-apply, interrupts-apply, again, kernel-again, show-after,
# traffic, kernel-settled, interrupts-settled.  kernel-* hold the kernel's
# own files (IRQ affinities, RPS/XPS, sysctls), read with grep.  The guest
# powers off at the end whatever happened.

export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
exec </dev/console >/dev/console 2>&1
# Keep kernel messages off the console from here on: they would land in
# the middle of the JSON.
echo 1 >/proc/sys/kernel/printk

echo "@@MQT-INIT uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"

section() {	# section NAME CMD...
	_name=$1
	shift
	echo "@@MQT-BEGIN $_name"
	"$@"
	_rc=$?
	echo
	echo "@@MQT-END $_name rc=$_rc t=$(cut -d' ' -f1 /proc/uptime)"
}

while read -r m; do
	insmod "/lib/modules/$m" || echo "@@MQT-ERROR insmod $m failed"
done </lib/modules/load.list

# Both NICs, named by the kernel in probe order: wait for them.
i=0
count() { echo $#; }
while [ "$(count /sys/class/net/eth*)" -lt 2 ] && [ $i -lt 100 ]; do	# no match: 1
	sleep 0.1
	i=$((i + 1))
done
# The root-bus NIC (MAC ...:00) first, the one behind the pxb (...:01) second.
IFACES=
for mac in 52:54:00:6d:71:00 52:54:00:6d:71:01; do
	for d in /sys/class/net/eth*; do
		[ "$(cat "$d/address")" = "$mac" ] && IFACES="$IFACES ${d##*/}"
	done
done
for i in $IFACES; do
	# A link-local address usable at once, for the traffic stage.
	echo 0 >"/proc/sys/net/ipv6/conf/$i/accept_dad" 2>/dev/null
	ip link set "$i" up
done
sleep 0.5	# let the link come up (speed is reported only on an up link)

# shellcheck disable=SC2012  # msi_irqs holds only numbers
nics() {
	for i in $IFACES; do
		dev=$(readlink -f "/sys/class/net/$i/device")
		pci=$(readlink -f "$dev/..")
		echo "NIC $i mac=$(cat "/sys/class/net/$i/address") virtio=${dev##*/}" \
			"pci=${pci##*/} numa_node=$(cat "$pci/numa_node")" \
			"local_cpulist=$(cat "$pci/local_cpulist")" \
			"rx=$(count /sys/class/net/"$i"/queues/rx-*)" \
			"tx=$(count /sys/class/net/"$i"/queues/tx-*)" \
			"speed=$(cat "/sys/class/net/$i/speed" 2>/dev/null)" \
			"operstate=$(cat "/sys/class/net/$i/operstate")" \
			"msi_irqs=$(ls "$pci/msi_irqs" | sort -n | tr '\n' ',')"
	done
	for n in /sys/devices/system/node/node*; do
		echo "NODE ${n##*node} cpus=$(cat "$n/cpulist")"
	done
}

# shellcheck disable=SC2012  # msi_irqs holds only numbers
# The kernel's own files, one "path:value" line each (grep -H, a single
# process: forks are slow under TCG): each NIC vector's smp_affinity_list
# and effective_affinity_list, rps_cpus, rps_flow_cnt, xps_cpus, and the
# two net.core sysctls mqtune may change.
kernel_state() {
	files=
	for i in $IFACES; do
		pci=$(readlink -f "/sys/class/net/$i/device/..")
		for irq in $(ls "$pci/msi_irqs" | sort -n); do
			files="$files /proc/irq/$irq/smp_affinity_list /proc/irq/$irq/effective_affinity_list"
		done
		q=/sys/class/net/$i/queues
		files="$files $q/rx-*/rps_cpus $q/rx-*/rps_flow_cnt $q/tx-*/xps_cpus"
	done
	# shellcheck disable=SC2086  # a list of paths and globs
	grep -H . $files /proc/sys/net/core/netdev_max_backlog \
		/proc/sys/net/core/rps_sock_flow_entries
}

section nics nics
section interrupts-boot cat /proc/interrupts
section kernel-boot kernel_state
# shellcheck disable=SC2086  # IFACES is a list
section show-before mqtune show --json $IFACES
# shellcheck disable=SC2086
section dryrun mqtune auto --dry-run --json $IFACES
section kernel-dryrun kernel_state
# shellcheck disable=SC2086
section apply mqtune auto --json $IFACES
section kernel-apply kernel_state
section interrupts-apply cat /proc/interrupts
# shellcheck disable=SC2086
section again mqtune auto --json $IFACES
section kernel-again kernel_state
# shellcheck disable=SC2086
section show-after mqtune show --json $IFACES

# Some interrupts on every queue, so that effective affinity can follow
# the new smp_affinity (without interrupt remapping x86 moves an MSI at
# its next interrupt): from each CPU, one ping to all link-local nodes;
# the tap in the host's private namespace answers, on the queue the
# request went out on.  Only link-local multicast, inside that namespace.
traffic() {
	for i in $IFACES; do
		for c in $(seq 0 $(($(nproc) - 1))); do
			taskset -c "$c" ping -6 -c 2 -A -W 1 -q -I "$i" ff02::1 >/dev/null 2>&1
			echo "PING $i cpu=$c rc=$?"
		done
	done
}
section traffic traffic
section kernel-settled kernel_state
section interrupts-settled cat /proc/interrupts

echo "@@MQT-DONE uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
