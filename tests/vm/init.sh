#!/bin/sh
# init.sh - /init of the `make vm-check` guest (busybox sh, PID 1).
#
# Loads the modules listed by the host (in modules.dep order), finds the
# NICs the host listed in /etc/nics ("MAC MODEL PLACE" lines), runs mqtune
# with their links down (as after boot: most drivers request their IRQs
# only at open), brings them up, runs mqtune again, changes the channel
# count where the driver allows it and runs mqtune once more, and prints
# everything between markers on the serial console:
#
#   @@MQT-BEGIN <section>
#   ...
#   @@MQT-END <section> rc=<exit status> t=<uptime>
#
# tests/vm/check.py parses them.  Sections, in order: cpufiles, nics-down,
# interrupts-down, then per NIC show-down-IF, showtext-down-IF,
# dryrun-down-IF; nics, interrupts-boot, kernel-boot, ethtool, show-before,
# dryrun, kernel-dryrun, apply, kernel-apply, interrupts-apply, again,
# kernel-again, show-after; then chan-set, nics-chan, interrupts-chan,
# kernel-chan-before, apply-chan, kernel-chan, again-chan, kernel-chan-again
# (only when some NIC took a new channel count); traffic, kernel-settled,
# interrupts-settled; links down again: nics-redown, interrupts-redown,
# show-redown, dryrun-redown.  kernel-* hold the kernel's own files (IRQ
# affinities, RPS/XPS, sysctls), read with grep.  The guest powers off at
# the end whatever happened.

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

echo "@@MQT-INIT uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r) nproc=$(nproc)"

section() {	# section NAME CMD...
	_name=$1
	shift
	echo "@@MQT-BEGIN $_name"
	"$@"
	_rc=$?
	echo
	echo "@@MQT-END $_name rc=$_rc t=$(cut -d' ' -f1 /proc/uptime)"
}

# mqtune with its standard error after its output, each line marked, so
# that a diagnostic never lands inside the JSON document.
mq() {
	mqtune "$@" 2>/tmp/mq.err
	_mrc=$?
	sed 's/^/@@STDERR /' /tmp/mq.err
	return $_mrc
}

# The CPU files mqtune reads, byte for byte (od: the kernel's exact
# spelling, padding included, survives the serial console).
cpufiles() {
	for f in possible present online offline isolated nohz_full kernel_max; do
		p=/sys/devices/system/cpu/$f
		if [ -e "$p" ]; then
			echo "CPUFILE $f $(od -An -v -tx1 "$p" | tr -d ' \n')"
		else
			echo "CPUFILE $f missing"
		fi
	done
}
section cpufiles cpufiles

# bonding and 8021q wait for the stacked-device stage (bonding would
# make a bond0 at once)
while read -r m; do
	case $m in bonding.ko | 8021q.ko) continue ;; esac
	insmod "/lib/modules/$m" || echo "@@MQT-ERROR insmod $m failed"
done </lib/modules/load.list

# The NICs, named by the kernel in probe order: wait for all of them.
want=$(grep -c . /etc/nics)
i=0
count() { echo $#; }
while [ "$(count /sys/class/net/eth*)" -lt "$want" ] && [ $i -lt 100 ]; do	# no match: 1
	sleep 0.1
	i=$((i + 1))
done
# In /etc/nics order, found by MAC.
IFACES=
while read -r mac model place; do
	found=
	for d in /sys/class/net/eth*; do
		[ "$(cat "$d/address" 2>/dev/null)" = "$mac" ] && found=${d##*/}
	done
	[ -n "$found" ] && IFACES="$IFACES $found" ||
		echo "@@MQT-ERROR no interface with MAC $mac ($model on $place)"
done </etc/nics

# shellcheck disable=SC2012  # msi_irqs holds only numbers
nics() {
	for i in $IFACES; do
		dev=$(readlink -f "/sys/class/net/$i/device")
		# virtio_net sits on a virtio device below its PCI function
		case ${dev##*/} in
		virtio*) pci=$(readlink -f "$dev/..") ;;
		*) pci=$dev ;;
		esac
		mac=$(cat "/sys/class/net/$i/address")
		irqs=$(ls "$pci/msi_irqs" 2>/dev/null | sort -n | tr '\n' ',')
		procirq=
		for n in $(echo "$irqs" | tr ',' ' '); do
			[ -d "/proc/irq/$n" ] && procirq="$procirq$n,"
		done
		echo "NIC $i mac=$mac model=$(grep "^$mac " /etc/nics | cut -d' ' -f2)" \
			"place=$(grep "^$mac " /etc/nics | cut -d' ' -f3)" \
			"driver=$(basename "$(readlink -f "$dev/driver")")" \
			"dev=${dev##*/} pci=${pci##*/} numa_node=$(cat "$pci/numa_node")" \
			"local_cpulist=$(cat "$pci/local_cpulist")" \
			"rx=$(count /sys/class/net/"$i"/queues/rx-*)" \
			"tx=$(count /sys/class/net/"$i"/queues/tx-*)" \
			"speed=$(cat "/sys/class/net/$i/speed" 2>/dev/null)" \
			"operstate=$(cat "/sys/class/net/$i/operstate")" \
			"msi_irqs=$irqs proc_irq=$procirq intx=$(cat "$pci/irq" 2>/dev/null)"
	done
	for n in /sys/devices/system/node/node*; do
		echo "NODE ${n##*node} cpus=$(cat "$n/cpulist")"
	done
}

# shellcheck disable=SC2012  # msi_irqs holds only numbers
# The kernel's own files, one "path:value" line each (grep -H, a single
# process: forks are slow under TCG): each NIC vector's smp_affinity_list
# and effective_affinity_list (where /proc/irq/N exists), rps_cpus,
# rps_flow_cnt, xps_cpus, and the two net.core sysctls mqtune may change.
kernel_state() {
	files=
	for i in $IFACES; do
		dev=$(readlink -f "/sys/class/net/$i/device")
		case ${dev##*/} in
		virtio*) pci=$(readlink -f "$dev/..") ;;
		*) pci=$dev ;;
		esac
		# no MSI: the legacy INTx line in the function's irq file
		irqs=$(ls "$pci/msi_irqs" 2>/dev/null | sort -n)
		[ -n "$irqs" ] || irqs=$(grep -v '^0$' "$pci/irq" 2>/dev/null)
		for irq in $irqs; do
			[ -d "/proc/irq/$irq" ] &&
				files="$files /proc/irq/$irq/smp_affinity_list /proc/irq/$irq/effective_affinity_list"
		done
		q=/sys/class/net/$i/queues
		files="$files $q/rx-*/rps_cpus $q/rx-*/rps_flow_cnt $q/tx-*/xps_cpus"
	done
	# xps_cpus of a single-queue device: ENOENT on read, said on stderr
	# shellcheck disable=SC2086  # a list of paths and globs
	grep -H . $files /proc/sys/net/core/netdev_max_backlog \
		/proc/sys/net/core/rps_sock_flow_entries 2>/dev/null
	return 0
}

ethtool_facts() {
	for i in $IFACES; do
		echo "## ethtool -i $i"
		ethtool -i "$i" 2>&1 | grep -E '^(driver|bus-info):'
		echo "## ethtool -l $i"
		ethtool -l "$i" 2>&1
		echo "## rc=$?"
	done
}

section nics-down nics
section interrupts-down cat /proc/interrupts
for i in $IFACES; do
	section "show-down-$i" mq show --json "$i"
	section "showtext-down-$i" mq show "$i"
	section "dryrun-down-$i" mq auto --channels keep --dry-run --json "$i"
done

for i in $IFACES; do
	# A link-local address usable at once, for the traffic stage.
	echo 0 >"/proc/sys/net/ipv6/conf/$i/accept_dad" 2>/dev/null
	ip link set "$i" up
done
# carrier: e1000e takes about 2 s, igb 1 s, the others 0.2 s
carrier() {
	n=0
	while [ $n -lt 60 ]; do
		ok=1
		for i in $IFACES; do
			[ "$(cat "/sys/class/net/$i/operstate")" = up ] || ok=0
		done
		[ $ok = 1 ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
carrier || echo "@@MQT-ERROR not every link came up"

section nics nics
section interrupts-boot cat /proc/interrupts
section kernel-boot kernel_state
section ethtool ethtool_facts
# shellcheck disable=SC2086  # IFACES is a list
section show-before mq show --json $IFACES
# shellcheck disable=SC2086
section dryrun mq auto --channels keep --dry-run --json $IFACES
section kernel-dryrun kernel_state
# shellcheck disable=SC2086
section apply mq auto --channels keep --json $IFACES
section kernel-apply kernel_state
section interrupts-apply cat /proc/interrupts
# shellcheck disable=SC2086
section again mq auto --channels keep --json $IFACES
section kernel-again kernel_state
# shellcheck disable=SC2086
section show-after mq show --json $IFACES

# A new channel count where the driver takes one (virtio: 2 of 4; igb: 4
# of 8, which also renames its vectors TxRx-N -> rx-N + tx-N); the
# others are tried too and their answer logged.
CHANGED=
ORIG_CHAN=
chan_set() {
	for i in $IFACES; do
		ORIG_CHAN="$ORIG_CHAN $i:$(count /sys/class/net/"$i"/queues/rx-*)"
		drv=$(basename "$(readlink -f "/sys/class/net/$i/device/driver")")
		case $drv in
		igb) n=4 ;;
		*) n=2 ;;
		esac
		out=$(ethtool -L "$i" combined $n 2>&1)
		rc=$?
		echo "CHAN $i driver=$drv combined=$n rc=$rc: $out"
		[ $rc = 0 ] && CHANGED="$CHANGED $i"
	done
}
section chan-set chan_set
if [ -n "$CHANGED" ]; then
	sleep 0.5
	carrier || echo "@@MQT-ERROR not every link came back after ethtool -L"
	echo "@@MQT-CHANGED$CHANGED"
	section nics-chan nics
	section interrupts-chan cat /proc/interrupts
	section kernel-chan-before kernel_state
	# shellcheck disable=SC2086
	section apply-chan mq auto --channels keep --json $CHANGED
	section kernel-chan kernel_state
	# shellcheck disable=SC2086
	section again-chan mq auto --channels keep --json $CHANGED
	section kernel-chan-again kernel_state
fi

# Some interrupts on every queue, so that effective affinity can follow
# the new smp_affinity (without interrupt remapping x86 moves an MSI at
# its next interrupt): from each CPU, one ping to all link-local nodes;
# the tap in the host's private namespace answers, on the queue the
# request went out on.  Only link-local multicast, inside that namespace.
traffic() {
	for i in $IFACES; do
		for c in $(seq 0 $(($(nproc) - 1))); do
			taskset -c "$c" ping -6 -c 1 -W 1 -q -I "$i" ff02::1 >/dev/null 2>&1
			echo "PING $i cpu=$c rc=$?"
		done
	done
}
section traffic traffic
section kernel-settled kernel_state
section interrupts-settled cat /proc/interrupts

# Links down again: e1000e, vmxnet3 and igb free their IRQs, /proc/irq/N
# stays (and /proc/interrupts keeps a line with no name).
for i in $IFACES; do
	ip link set "$i" down
done
section nics-redown nics
section interrupts-redown cat /proc/interrupts
# shellcheck disable=SC2086
section show-redown mq show --json $IFACES
# shellcheck disable=SC2086
section dryrun-redown mq auto --channels keep --dry-run --json $IFACES

# mqtune watch, as mqtune-watch.service runs it: started with the links
# down (as at boot), then every event that resets placement: links up
# (most drivers request their IRQs at open), a flap, ethtool -L back to
# the original counts, and a virtio_net reload (new netdevs, new
# vectors).  After each, `check --all` must find nothing drifted; it is
# polled, for up to 30 s (TCG is slow), and its last answer is the
# section.
healed() {
	n=0
	while [ $n -lt 150 ]; do
		mqtune check -q --all >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n + 1))
	done
	return 1
}
find_ifaces() {	# IFACES again, by MAC: a reloaded driver may rename
	IFACES=
	while read -r mac model place; do
		for d in /sys/class/net/eth*; do
			[ "$(cat "$d/address" 2>/dev/null)" = "$mac" ] && IFACES="$IFACES ${d##*/}"
		done
	done </etc/nics
}
mqtune watch --all 2>/tmp/watch.err &
WATCH=$!
sleep 2
for i in $IFACES; do
	ip link set "$i" up
done
carrier || echo "@@MQT-ERROR watch: not every link came up"
healed
section watch-linkup mq check --json --all
for i in $IFACES; do
	ip link set "$i" down
	ip link set "$i" up
done
carrier || echo "@@MQT-ERROR watch: not every link came back after the flap"
healed
section watch-flap mq check --json --all
if [ -n "$CHANGED" ]; then
	for e in $ORIG_CHAN; do
		i=${e%%:*}
		case " $CHANGED " in *" $i "*) ethtool -L "$i" combined "${e#*:}" ;; esac
	done
	sleep 0.5
	carrier
	healed
	echo "@@MQT-CHANBACK$CHANGED"
	section watch-chan mq check --json --all
fi
vnet=$(grep 'virtio_net\.ko' /lib/modules/load.list | head -1)
if [ -n "$vnet" ] && grep -q '^virtio_net ' /proc/modules; then
	rmmod virtio_net && insmod "/lib/modules/$vnet" &&
		echo "@@MQT-RELOADED virtio_net"
	i=0
	while [ "$(count /sys/class/net/eth*)" -lt "$want" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	find_ifaces
	for i in $IFACES; do
		ip link set "$i" up
	done
	carrier
	healed
	section watch-reload mq check --json --all
fi
kill -TERM $WATCH
wait $WATCH
echo "@@MQT-WATCH-RC $?"
section watch-log cat /tmp/watch.err

# ---- issue 10 on the NIC with 8 queue pairs and virtio RSS (virtio8) --
# The placement stages above keep the channels (--channels keep); here:
# channels set to Sum, the RSS table, a failure half-way, threaded NAPI,
# a bond and a VLAN over the NICs.
find_ifaces
V8=
for i in $IFACES; do
	mac=$(cat "/sys/class/net/$i/address")
	grep -q "^$mac virtio8 " /etc/nics && V8=$i
done
napi_threads() {	# "NAPI pid comm cpus" of every napi/IF-* kernel thread
	for p in /proc/[0-9]*; do
		c=$(cat "$p/comm" 2>/dev/null)
		case $c in
		"napi/$1-"*) echo "NAPI ${p#/proc/} $c $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$p/status")" ;;
		esac
	done
	return 0
}
# bind_ro IF QUEUE_FILE VALUE: a file of a fresh read-only tmpfs holding
# VALUE bound over IF's queues/QUEUE_FILE (writes fail with EROFS; reads
# give VALUE); umount the queue file to end it
ROFS_N=0
bind_ro() {
	ROFS_N=$((ROFS_N + 1))
	mkdir -p "/tmp/rofs$ROFS_N"
	mount -t tmpfs -o size=64k tmpfs "/tmp/rofs$ROFS_N" &&
		echo "$3" >"/tmp/rofs$ROFS_N/f" &&
		mount -o remount,ro "/tmp/rofs$ROFS_N" &&
		mount --bind "/tmp/rofs$ROFS_N/f" "/sys/class/net/$1/queues/$2" ||
		echo "@@MQT-ERROR cannot bind a read-only file over $2"
}
if [ -n "$V8" ]; then
	echo "@@MQT-V8 $V8"
	ip link set "$V8" up
	# one queue: whatever its share, auto must grow it (Sum >= 2 here);
	# a table set by a user would make the kernel refuse the shrink
	ethtool -X "$V8" default 2>/dev/null
	ethtool -L "$V8" combined 1
	section i10-pre-l ethtool -l "$V8"
	section i10-pre-x ethtool -x "$V8"
	section i10-dry mq auto --dry-run --json "$V8"
	section i10-apply mq auto --json "$V8"
	section i10-l ethtool -l "$V8"
	section i10-x ethtool -x "$V8"
	section i10-kernel kernel_state
	section i10-interrupts cat /proc/interrupts
	section i10-again mq auto --json "$V8"
	# an operator's uneven table over active queues is kept; --rss equal
	ethtool -X "$V8" weight 2 1
	section i10-xw ethtool -x "$V8"
	section i10-keep mq auto --json "$V8"
	section i10-xk ethtool -x "$V8"
	section i10-equal mq auto --rss equal --json "$V8"
	section i10-xe ethtool -x "$V8"
	# a write failing after the channel change: the counts come back
	# (--rss equal above wrote the driver's default: no user table left)
	ethtool -L "$V8" combined 1
	section i10-fpre-l ethtool -l "$V8"
	# a file of a read-only tmpfs bound over rx-0/rps_cpus: EROFS, read
	# as the empty mask, which the plan (RPS on: fewer queues than CPUs)
	# changes, after the channel change
	bind_ro "$V8" rx-0/rps_cpus 0
	section i10-fail mq auto --json "$V8"
	umount "/sys/class/net/$V8/queues/rx-0/rps_cpus"
	section i10-fail-l ethtool -l "$V8"
	section i10-restore mq restore --json "$V8"
	section i10-restore-l ethtool -l "$V8"
	# restore brings an operator's table back: weight 2 1 over two
	# queues, then auto --rss equal (which also grows the channels to
	# Sum where Sum > 2), then restore: the counts and that table again
	ethtool -L "$V8" combined 2
	ethtool -X "$V8" weight 2 1
	section i10r-xw ethtool -x "$V8"
	section i10r-apply mq auto --rss equal --json "$V8"
	section i10r-l ethtool -l "$V8"
	section i10r-xa ethtool -x "$V8"
	section i10r-state cat /var/lib/mqtune/state.json
	section i10r-restore mq restore --json "$V8"
	section i10r-rl ethtool -l "$V8"
	section i10r-xr ethtool -x "$V8"
	section i10r-again mq restore --json "$V8"
	ethtool -X "$V8" default
	ethtool -L "$V8" combined 1
	# restore failing in its second phase: auto grows 1 -> Sum; restore
	# sets combined 1, then cannot write rx-0/rps_flow_cnt back (a
	# read-only file bound over it, holding another value): status 7,
	# Sum again, and every vector's affinity (virtio_net sets them anew
	# on a channel change) and queue file as before the restore
	echo 0 >"/sys/class/net/$V8/queues/rx-0/rps_flow_cnt"
	section i10p-apply mq auto --json "$V8"
	section i10p-l ethtool -l "$V8"
	section i10p-before kernel_state
	bind_ro "$V8" rx-0/rps_flow_cnt 5
	section i10p-fail mq restore --json "$V8"
	umount "/sys/class/net/$V8/queues/rx-0/rps_flow_cnt"
	section i10p-fail-l ethtool -l "$V8"
	section i10p-after kernel_state
	section i10p-restore mq restore --json "$V8"
	section i10p-rl ethtool -l "$V8"
	ethtool -L "$V8" combined 1
	# threaded NAPI: each thread on its queue's home
	section i10-napi-on sh -c "echo 1 >/sys/class/net/$V8/threaded"
	section i10-napi-pre napi_threads "$V8"
	section i10-napi-apply mq auto --json "$V8"
	section i10-napi-threads napi_threads "$V8"
	section i10-napi-again mq auto --json "$V8"
	section i10-napi-restore mq restore --json "$V8"
	section i10-napi-restored napi_threads "$V8"
	echo 0 >"/sys/class/net/$V8/threaded"
	# stacked devices: a VLAN on virtio8, a bond of virtio8 and another NIC
	OTHER=
	for i in $IFACES; do
		[ "$i" != "$V8" ] && [ -z "$OTHER" ] &&
			[ "$(basename "$(readlink -f "/sys/class/net/$i/device/driver")")" = virtio_net ] && OTHER=$i
	done
	if [ -e /lib/modules/8021q.ko ] && insmod /lib/modules/8021q.ko; then
		ip link add link "$V8" name vl10 type vlan id 10 && ip link set vl10 up
		section i10-vlan mq auto --dry-run --json vl10
		ip link del vl10
	else
		echo "@@MQT-NOVLAN"
	fi
	if [ -n "$OTHER" ] && [ -e /lib/modules/bonding.ko ] &&
		insmod /lib/modules/bonding.ko max_bonds=0; then
		echo +bond0 >/sys/class/net/bonding_masters
		ip link set "$V8" down
		ip link set "$OTHER" down
		echo "+$V8" >/sys/class/net/bond0/bonding/slaves
		echo "+$OTHER" >/sys/class/net/bond0/bonding/slaves
		ip link set bond0 up
		echo "@@MQT-BOND $V8 $OTHER"
		section i10-bond mq auto --dry-run --json bond0
	else
		echo "@@MQT-NOBOND"
	fi
fi

echo "@@MQT-DONE uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
