#!/bin/bash
# run.sh - `make vm-check`: mqtune on real multi-queue NICs in QEMU VMs.
#
# Boots Debian kernels in QEMU (KVM when /dev/kvm works, TCG otherwise)
# with 8 vCPUs on 2 NUMA nodes (0-3, 4-7) and NICs driven by real guest
# drivers: virtio_net (4 queue pairs), e1000e, vmxnet3 and, with a QEMU
# of 8.0 or newer, igb; some of them behind a pxb-pcie expander bridge
# on NUMA node 1.  The guest (tests/vm/init.sh, run as /init of a busybox
# initramfs) runs mqtune with the links down, then up, then after an
# `ethtool -L`, and prints the JSON and the kernel's own files between
# markers on the serial console; tests/vm/check.py reads them back from
# the log and asserts.
#
# Everything it needs comes from Debian's packages: qemu-system-x86,
# busybox-static, cpio, kmod, xz-utils, iproute2, ethtool, python3,
# installed with apt-get when missing; the kernels are fetched with
# `apt-get download` and unpacked with `dpkg-deb` into build/vm/kernels/
# (the host's /boot and /lib/modules are never touched).  igb needs QEMU
# >= 8.0: bookworm-backports' qemu-system-x86 is fetched with `apt-get
# download` through a private apt configuration under build/vm/qemu-bpo/
# (the host's sources and its QEMU stay as they are) and unpacked there.
# The taps exist only inside a private network namespace made here
# (unshare --net) around QEMU.
#
# The runs (VM_RUNS picks some by label; each is one boot):
#   std     linux-image-amd64 (6.1), host QEMU: virtio, virtio@pxb,
#           e1000e@pxb, vmxnet3, e1000 (INTx: on the root bus, as an
#           INTx device behind a pxb-pcie gets no interrupts in QEMU)
#   cloud   linux-image-cloud-amd64 (6.1), host QEMU: the same NICs; the
#           cloud kernel has no e1000e (nor igb): that NIC is left out
#           and the log says so
#   igb     linux-image-amd64 (6.1), backports QEMU: igb@pxb, virtio
#   std612  linux-image-6.12-amd64 (bookworm-security), backports QEMU
#           (host QEMU without it): virtio@pxb, e1000e, vmxnet3@pxb, igb
#
# Environment:
#   MQTUNE      the binary to test (default ./mqtune)
#   VM_RUNS     labels of the runs above (default "std cloud igb std612")
#   VM_CPUS     vCPUs (default 8, two NUMA nodes of VM_CPUS/2; even, >= 2)
#   VM_ACCEL    kvm, tcg or auto (default auto: kvm when it works)
#   VM_TIMEOUT  seconds one boot may take (default 120 with KVM, 300 with TCG)
#   VM_DIR      work and cache directory (default build/vm)
#   VM_KEEP=1   keep the per-run staging trees
#
# Exit status: 0 all assertions passed, 1 something failed, 77 skipped
# (root, QEMU, a kernel or a multi-queue tap not available, or no kernel
# got as far as the guest's init).

set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
HERE=$TOP/tests/vm
MQTUNE=${MQTUNE:-$TOP/mqtune}
VMDIR=${VM_DIR:-$TOP/build/vm}
RUNS=${VM_RUNS:-"std cloud igb std612"}
VCPUS=${VM_CPUS:-8}
ACCEL=${VM_ACCEL:-auto}

# label -> kernel package, QEMU (host or bpo), NICs (model[@pxb], in
# probe order; MAC 52:54:00:6d:71:0K for the K-th)
run_def() {
	case $1 in
	std) echo "linux-image-amd64 host virtio,virtio@pxb,e1000e@pxb,vmxnet3,e1000,virtio8" ;;
	cloud) echo "linux-image-cloud-amd64 host virtio,virtio@pxb,e1000e@pxb,vmxnet3" ;;
	igb) echo "linux-image-amd64 bpo igb@pxb,virtio" ;;
	std612) echo "linux-image-6.12-amd64 bpo virtio@pxb,e1000e,vmxnet3@pxb,igb,virtio8" ;;
	*) return 1 ;;
	esac
}

skip() {
	echo "SKIP: $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
}
note() { echo "vm: $*"; }

[ "$(id -u)" -eq 0 ] || skip "not root (needs apt-get, unshare --net, tuntap)"
[ -x "$MQTUNE" ] || { echo "FAIL: $MQTUNE is not built (run make)"; echo "0 passed, 1 failed"; exit 1; }
case $VCPUS in
'' | *[!0-9]*) echo "VM_CPUS must be an even number"; exit 2 ;;
esac
[ $((VCPUS % 2)) -eq 0 ] && [ "$VCPUS" -ge 2 ] || { echo "VM_CPUS must be an even number >= 2"; exit 2; }
for r in $RUNS; do
	run_def "$r" >/dev/null || { echo "VM_RUNS: unknown run '$r' (std, cloud, igb, std612)"; exit 2; }
done
mkdir -p "$VMDIR" || exit 1

# ---- host tools ---------------------------------------------------------
# command -> Debian package that provides it
need_pkgs=()
need() { command -v "$1" >/dev/null 2>&1 || need_pkgs+=("$2"); }
need qemu-system-x86_64 qemu-system-x86
need cpio cpio
need depmod kmod
need modprobe kmod
need xz xz-utils
need ip iproute2
need ethtool ethtool
need unshare util-linux
need python3 python3-minimal
need dpkg-deb dpkg
need timeout coreutils
need gzip gzip
static_busybox() {
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1
}
static_busybox || need_pkgs+=(busybox-static)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	note "installing ${need_pkgs[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${need_pkgs[@]}" >"$VMDIR/apt.log" 2>&1; then
		apt-get update -qq >>"$VMDIR/apt.log" 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${need_pkgs[@]}" >>"$VMDIR/apt.log" 2>&1 ||
			skip "cannot install ${need_pkgs[*]} (see $VMDIR/apt.log)"
	fi
fi
static_busybox || skip "/bin/busybox is not a static busybox"
ETHTOOL=$(command -v ethtool)

# ---- accelerator --------------------------------------------------------
kvm_opens() {	# KVM_GET_API_VERSION == 12 and KVM_CREATE_VM succeeds
	[ -c /dev/kvm ] && python3 - <<'PY' 2>/dev/null
import fcntl, os, sys
fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
if fcntl.ioctl(fd, 0xAE00) != 12:
    sys.exit(1)
vm = fcntl.ioctl(fd, 0xAE01, 0)
os.close(vm)
PY
}
KVM_CPU=(-cpu 'host,-arch-capabilities')
# kvm_boots VMLINUZ: /dev/kvm can open a VM, and a kernel booted with it
# gets as far as printing its banner.  Nested KVM can pass the first test
# and still hang the guest after the real-mode setup code (seen on a
# Firecracker host), so it is tried for real, 15 s at most.  `-cpu host`
# less arch-capabilities: some nested hosts refuse that MSR.
kvm_boots() {
	local log=$VMDIR/kvm-probe.log pid _
	kvm_opens || return 1
	rm -f "$log"
	qemu-system-x86_64 -machine q35 -accel kvm "${KVM_CPU[@]}" -nodefaults \
		-no-user-config -display none -no-reboot -m 256M -smp 2 -kernel "$1" \
		-append "console=ttyS0 earlyprintk=ttyS0 panic=-1" \
		-serial "file:$log" >"$log.qemu" 2>&1 &
	pid=$!
	for _ in $(seq 60); do
		grep -q 'Linux version' "$log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -q 'Linux version' "$log" 2>/dev/null
}
# The probe's answer is kept in build/vm/kvm-probe.result for this host
# kernel and QEMU, so a broken nested KVM costs its 15 s once.
kvm_boots_cached() {
	local key res=$VMDIR/kvm-probe.result
	key="$(uname -r) $(qemu-system-x86_64 --version | head -1) $(kvm_opens && echo opens)"
	if [ -f "$res" ] && [ "$(sed -n 1p "$res")" = "$key" ]; then
		[ "$(sed -n 2p "$res")" = ok ]
		return
	fi
	if kvm_boots "$1"; then
		printf '%s\nok\n' "$key" >"$res"
	else
		printf '%s\nbroken\n' "$key" >"$res"
		return 1
	fi
}
choose_accel() {	# choose_accel VMLINUZ: sets accel and TIMEOUT
	[ -n "${accel+x}" ] && return 0
	case $ACCEL in
	auto)
		if kvm_boots_cached "$1"; then
			ACCEL=kvm
		else
			note "KVM does not boot a guest here ($(kvm_opens && echo 'hangs' || echo 'no usable /dev/kvm')): TCG"
			ACCEL=tcg
		fi
		;;
	kvm) kvm_boots "$1" || skip "VM_ACCEL=kvm but KVM does not boot a guest here" ;;
	tcg) ;;
	*) echo "VM_ACCEL must be kvm, tcg or auto"; exit 2 ;;
	esac
	if [ "$ACCEL" = kvm ]; then
		accel=(-accel kvm "${KVM_CPU[@]}")
		TIMEOUT=${VM_TIMEOUT:-120}
	else
		accel=(-accel 'tcg,thread=multi' -cpu max)
		TIMEOUT=${VM_TIMEOUT:-180}
	fi
	note "accelerator: $ACCEL, boot timeout ${TIMEOUT}s"
}

# ---- a kernel: vmlinuz + the modules the NICs need ----------------------
# fetch_kernel PACKAGE: sets KDIR (unpacked tree) and KVER; non-zero when
# apt does not know the package or it cannot be fetched.
KCACHE_FORMAT=3	# bump when the extraction patterns below change
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" { print $2 }'; }
fetch_kernel() {
	local pkg=$1 real ver deb
	if [ -z "$(candidate "$pkg")" ]; then
		apt-get update -qq >/dev/null 2>&1
		[ -n "$(candidate "$pkg")" ] || return 1
	fi
	# a metapackage (linux-image-amd64) depends on the versioned image
	real=$(apt-cache depends "$pkg" 2>/dev/null |
		awk '/^ *Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$real" ] || real=$pkg
	ver=$(candidate "$real")
	[ -n "$ver" ] || return 1
	KDIR=$VMDIR/kernels/${real}_${ver//[:~]/_}
	# .done holds the extraction list's version: a cache from an older
	# list (fewer drivers) is unpacked again
	if [ "$(cat "$KDIR/.done" 2>/dev/null)" != "$KCACHE_FORMAT" ]; then
		note "fetching $real $ver (apt-get download + dpkg-deb, host /boot untouched)"
		rm -rf "$KDIR" && mkdir -p "$KDIR/deb" "$KDIR/root" || return 1
		(cd "$KDIR/deb" && apt-get download -o APT::Sandbox::User=root "$real=$ver") \
			>"$KDIR/download.log" 2>&1 || { cat "$KDIR/download.log"; return 1; }
		deb=$(find "$KDIR/deb" -name '*.deb' | head -1)
		[ -n "$deb" ] || return 1
		# Only the kernel image, the module lists and the trees holding
		# the NIC drivers and what they depend on (ptp, pps, dca,
		# i2c-algo-bit): some MB instead of the whole package (the
		# standard image's .deb is about 70 MB, 400 MB unpacked).
		# Patterns a kernel has nothing for (the cloud image has no
		# ethernet/intel) are not an error.
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$KDIR/root" \
			--wildcards --no-wildcards-match-slash \
			'./boot/vmlinuz-*' './boot/config-*' \
			'./lib/modules/*/modules.builtin' './lib/modules/*/modules.builtin.modinfo' \
			'./lib/modules/*/modules.order' \
			'./lib/modules/*/kernel/drivers/virtio/*' \
			'./lib/modules/*/kernel/drivers/net/*.ko*' \
			'./lib/modules/*/kernel/drivers/net/vmxnet3/*' \
			'./lib/modules/*/kernel/drivers/net/bonding/*' \
			'./lib/modules/*/kernel/net/8021q/*' \
			'./lib/modules/*/kernel/net/802/*' \
			'./lib/modules/*/kernel/net/llc/*' \
			'./lib/modules/*/kernel/net/tls/*' \
			'./lib/modules/*/kernel/drivers/net/ethernet/intel/e1000e/*' \
			'./lib/modules/*/kernel/drivers/net/ethernet/intel/igb/*' \
			'./lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/*' \
			'./lib/modules/*/kernel/drivers/ptp/*' \
			'./lib/modules/*/kernel/drivers/pps/*' \
			'./lib/modules/*/kernel/drivers/dca/*' \
			'./lib/modules/*/kernel/drivers/i2c/algos/*' \
			'./lib/modules/*/kernel/net/core/*' \
			'./lib/modules/*/kernel/lib/*' 2>"$KDIR/tar.log"
		if grep -v 'Not found in archive\|Exiting with failure' "$KDIR/tar.log" | grep -q . ||
			[ ! -d "$KDIR/root/boot" ]; then
			cat "$KDIR/tar.log"
			return 1
		fi
		rm -rf "$KDIR/deb"
		echo "$KCACHE_FORMAT" >"$KDIR/.done"
	fi
	KVER=$(find "$KDIR/root/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | head -1)
	[ -n "$KVER" ] && [ -f "$KDIR/root/boot/vmlinuz-$KVER" ]
}

# ---- QEMU >= 8 for igb: bookworm-backports, unpacked, not installed -----
# fetch_qemu_bpo: sets QEMU_BPO (the binary) and QEMU_BPO_ARGS; non-zero
# with QEMU_BPO_WHY set when it cannot be had.  A private apt
# configuration (its own sources, lists and cache under qemu-bpo/apt)
# adds bookworm-backports from the mirror the host's sources name, for
# this download only; the host's apt state and QEMU are not touched.
fetch_qemu_bpo() {
	local dir=$VMDIR/qemu-bpo a mirror deb missing v
	a=$dir/apt
	QEMU_BPO=$dir/root/usr/bin/qemu-system-x86_64
	if [ ! -f "$dir/.done" ] || [ ! -x "$QEMU_BPO" ]; then
		rm -rf "$dir" && mkdir -p "$a/lists/partial" "$a/cache/archives/partial" \
			"$a/sources.d" "$dir/deb" "$dir/root" || return 1
		mirror=$(grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list \
			/etc/apt/sources.list.d/ 2>/dev/null | grep -v security | head -1 | tr -d ' ')
		[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
		printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$mirror" >"$a/sources.d/bpo.sources"
		cat >"$a/apt.conf" <<-CONF
			Dir::Etc::sourcelist "/dev/null";
			Dir::Etc::sourceparts "$a/sources.d";
			Dir::State::Lists "$a/lists";
			Dir::Cache "$a/cache";
			APT::Sandbox::User "root";
		CONF
		note "fetching qemu-system-x86 from bookworm-backports ($mirror) into $dir"
		if ! APT_CONFIG=$a/apt.conf apt-get update -qq >"$dir/apt.log" 2>&1 ||
			! (cd "$dir/deb" && APT_CONFIG=$a/apt.conf apt-get download \
				qemu-system-x86/bookworm-backports qemu-system-data/bookworm-backports) \
				>>"$dir/apt.log" 2>&1; then
			QEMU_BPO_WHY="apt-get download of bookworm-backports' qemu-system-x86 failed: $(tail -1 "$dir/apt.log")"
			rm -rf "$dir/deb"
			return 1
		fi
		for deb in "$dir"/deb/*.deb; do
			dpkg-deb -x "$deb" "$dir/root" || return 1
		done
		rm -rf "$dir/deb" "$a/lists" "$a/cache"
		touch "$dir/.done"
	fi
	missing=$(ldd "$QEMU_BPO" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')
	if [ -n "$missing" ]; then
		QEMU_BPO_WHY="the backports QEMU needs libraries this host lacks: $missing"
		return 1
	fi
	# Its own firmware (linuxboot_dma.bin...) first, then the host's
	# seabios; no modules from the host's 7.2 (an empty module dir).
	mkdir -p "$dir/modules"
	QEMU_BPO_ARGS=(-L "$dir/root/usr/share/qemu" -L /usr/share/seabios)
	export QEMU_MODULE_DIR=$dir/modules
	v=$("$QEMU_BPO" --version 2>/dev/null | head -1)
	if ! [[ $v =~ version\ ([0-9]+)\. ]] || [ "${BASH_REMATCH[1]}" -lt 8 ]; then
		QEMU_BPO_WHY="the backports QEMU ($QEMU_BPO) does not run or is older than 8.0${v:+: $v}"
		return 1
	fi
	if ! "$QEMU_BPO" "${QEMU_BPO_ARGS[@]}" -device igb,help >/dev/null 2>&1; then
		QEMU_BPO_WHY="$v has no igb device"
		return 1
	fi
	QEMU_BPO_VERSION=$v
}

# ---- the initramfs ------------------------------------------------------
# model -> the guest module that drives it
model_module() {
	case $1 in
	virtio | virtio8) echo "virtio_pci virtio_net" ;;
	e1000e) echo e1000e ;;
	vmxnet3) echo vmxnet3 ;;
	igb) echo igb ;;
	e1000) echo e1000 ;;
	esac
}
# has_module NAME: the kernel in KDIR has it (as a module or built in)
has_module() {
	modprobe -d "$KDIR/root" -S "$KVER" --show-depends "$1" >/dev/null 2>&1
}
copy_with_libs() {	# copy_with_libs STAGE BINARY DEST
	local st=$1 line path
	cp "$2" "$st$3" || return 1
	# ldd lines: "libx.so => /path (0x..)" and "/lib64/ld-linux... (0x..)"
	while read -r line; do
		path=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) { print $i; exit } }' <<<"$line")
		[ -n "$path" ] || continue
		[ -e "$st$path" ] && continue
		mkdir -p "$st$(dirname "$path")" && cp -L "$path" "$st$path" || return 1
	done < <(ldd "$2")
}
# build_initramfs OUT STAGE MODULES... : busybox, mqtune and ethtool with
# their libraries, the modules in load order (from modules.dep via
# modprobe --show-depends), /etc/nics, /init.
build_initramfs() {
	local out=$1 st=$2 mods path name a
	shift 2
	rm -rf "$st"
	mkdir -p "$st"/{bin,sbin,proc,sys,dev,run,tmp,etc,lib/modules} || return 1
	cp /bin/busybox "$st/bin/busybox" || return 1
	for a in $(/bin/busybox --list); do
		[ -e "$st/bin/$a" ] || ln -s busybox "$st/bin/$a"
	done
	copy_with_libs "$st" "$MQTUNE" /bin/mqtune || return 1
	copy_with_libs "$st" "$ETHTOOL" /bin/ethtool || return 1
	cp "$HERE/init.sh" "$st/init" && chmod 755 "$st/init" || return 1
	cp "$NICS_FILE" "$st/etc/nics" || return 1
	mknod "$st/dev/console" c 5 1 2>/dev/null
	mknod "$st/dev/null" c 1 3 2>/dev/null

	# One module per call: modprobe takes further words as parameters.
	mods=$(for m in "$@"; do
		modprobe -d "$KDIR/root" -S "$KVER" --show-depends "$m" || exit 1
	done 2>&1) || {
		echo "$mods"
		return 1
	}
	: >"$st/lib/modules/load.list"
	while read -r a path _; do
		[ "$a" = insmod ] || continue	# "builtin NAME" needs nothing
		name=$(basename "$path")
		name=${name%.xz}
		name=${name%.zst}
		grep -qx "$name" "$st/lib/modules/load.list" 2>/dev/null && continue
		case $path in
		*.xz) xz -dc "$path" >"$st/lib/modules/$name" ;;
		*.zst) zstd -dc "$path" >"$st/lib/modules/$name" ;;
		*) cp "$path" "$st/lib/modules/$name" ;;
		esac || return 1
		echo "$name" >>"$st/lib/modules/load.list"
	done <<<"$mods"
	note "$KVER: modules to load: $(tr '\n' ' ' <"$st/lib/modules/load.list")"
	(cd "$st" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out" || return 1
	[ "${VM_KEEP:-0}" = 1 ] || rm -rf "$st"
}

# ---- one boot -----------------------------------------------------------
# nic_args NICS: sets QEMU_NIC_ARGS, NICS_FILE's lines and TAPS ("name:mq"
# words) for the NIC list (model[@pxb],...).  virtio: 4 queue pairs on a
# multi-queue tap, 10 Gb/s on the root bus and 25 Gb/s behind the pxb;
# the others on a plain tap.  Every NIC behind the pxb-pcie (NUMA node 1)
# sits on its own pcie-root-port.  No option ROMs (romfile=): nothing
# boots from them, and they cost time under TCG.
nic_args() {
	local k=0 spec model place bus mac pxb=0
	QEMU_NIC_ARGS=() TAPS=()
	: >"$NICS_FILE"
	for spec in ${1//,/ }; do
		model=${spec%@*}
		place=root
		[ "$spec" != "$model" ] && place=${spec#*@}
		mac=52:54:00:6d:71:0$k
		if [ "$place" = pxb ]; then
			if [ $pxb = 0 ]; then
				QEMU_NIC_ARGS+=(-device "pxb-pcie,id=pxb1,bus_nr=128,numa_node=1,bus=pcie.0")
			fi
			pxb=$((pxb + 1))
			QEMU_NIC_ARGS+=(-device "pcie-root-port,id=rp$k,bus=pxb1,chassis=1,slot=$pxb")
			bus=rp$k
		else
			bus=pcie.0
		fi
		case $model in
		virtio8)	# 8 queue pairs with the virtio RSS feature (issue 10)
			TAPS+=("mqt$k:mq")
			QEMU_NIC_ARGS+=(-netdev "tap,id=n$k,ifname=mqt$k,queues=8,script=no,downscript=no,vhost=off"
				-device "virtio-net-pci,netdev=n$k,mq=on,rss=on,vectors=18,mac=$mac,speed=10000,duplex=full,romfile=,bus=$bus")
			;;
		virtio)
			TAPS+=("mqt$k:mq")
			QEMU_NIC_ARGS+=(-netdev "tap,id=n$k,ifname=mqt$k,queues=4,script=no,downscript=no,vhost=off"
				-device "virtio-net-pci,netdev=n$k,mq=on,vectors=10,mac=$mac,speed=$([ "$place" = pxb ] && echo 25000 || echo 10000),duplex=full,romfile=,bus=$bus")
			;;
		*)
			TAPS+=("mqt$k:sq")
			QEMU_NIC_ARGS+=(-netdev "tap,id=n$k,ifname=mqt$k,script=no,downscript=no,vhost=off"
				-device "$model,netdev=n$k,mac=$mac,romfile=,bus=$bus")
			;;
		esac
		echo "$mac $model $place" >>"$NICS_FILE"
		k=$((k + 1))
	done
}

# boot QEMU LOG: QEMU in a private network namespace with the taps.
boot() {
	local qemu=$1 log=$2 half=$((VCPUS / 2))
	shift 2
	# shellcheck disable=SC2016  # expanded by the inner shell
	unshare --net -- bash -c '
		ip link set lo up
		sysctl -qw net.ipv6.conf.default.accept_dad=0 2>/dev/null
		for t in $TAPS; do
			mode=
			[ "${t#*:}" = mq ] && mode=multi_queue
			ip tuntap add dev "${t%:*}" mode tap $mode 2>/dev/null || exit 90
			ip link set "${t%:*}" up
		done
		exec "$@"' vmns \
		timeout -k 5 "$TIMEOUT" "$qemu" "$@" \
		-machine q35 "${accel[@]}" \
		-nodefaults -no-user-config -display none -no-reboot \
		-m 768M -smp "$VCPUS" \
		-object memory-backend-ram,id=mem0,size=384M \
		-object memory-backend-ram,id=mem1,size=384M \
		-numa node,nodeid=0,cpus=0-$((half - 1)),memdev=mem0 \
		-numa node,nodeid=1,cpus=$half-$((VCPUS - 1)),memdev=mem1 \
		"${QEMU_NIC_ARGS[@]}" \
		-kernel "$KDIR/root/boot/vmlinuz-$KVER" -initrd "$VMDIR/initramfs-$label.gz" \
		-append "console=ttyS0,115200 panic=-1 mitigations=off" \
		-serial "file:$log" >"$log.qemu" 2>&1
}

# ---- main ---------------------------------------------------------------
passed=0 failed=0 skipped=0 booted=0
summary=()
t0=$(date +%s)
for label in $RUNS; do
	read -r pkg qemu_kind nics <<<"$(run_def "$label")"
	echo "== $label: $pkg, $qemu_kind QEMU, NICs $nics, $VCPUS vCPUs"
	if ! fetch_kernel "$pkg"; then
		echo "SKIP: $label: $pkg: apt cannot fetch it or it holds no kernel"
		skipped=$((skipped + 1))
		continue
	fi
	qemu=qemu-system-x86_64 qemu_args=()
	if [ "$qemu_kind" = bpo ]; then
		QEMU_BPO_WHY=
		if fetch_qemu_bpo; then
			qemu=$QEMU_BPO qemu_args=("${QEMU_BPO_ARGS[@]}")
			note "$label: $QEMU_BPO_VERSION (unpacked, not installed)"
		else
			# without QEMU >= 8: no igb; the rest runs on the host's QEMU
			echo "SKIP: $label: igb: ${QEMU_BPO_WHY:-cannot fetch QEMU >= 8.0}"
			skipped=$((skipped + 1))
			[ "$label" = igb ] && continue	# that run is there for igb
			nics=$(tr ',' '\n' <<<"$nics" | grep -v '^igb' | paste -sd,)
			[ -n "$nics" ] || continue
		fi
	fi
	# drop the NICs this kernel has no driver for
	depmod -b "$KDIR/root" "$KVER" 2>/dev/null
	kept="" mods=()
	for spec in ${nics//,/ }; do
		m=$(model_module "${spec%@*}")
		ok=1
		for mm in $m; do has_module "$mm" || ok=0; done
		if [ $ok = 0 ]; then
			echo "SKIP: $label: ${spec%@*}: $KVER has no ${m// /\/} driver (Debian's cloud image leaves out e1000e and igb); it runs on the standard kernel"
			skipped=$((skipped + 1))
			continue
		fi
		kept=${kept:+$kept,}$spec
		for mm in $m; do
			[[ " ${mods[*]} " == *" $mm "* ]] || mods+=("$mm")
		done
	done
	[ -n "$kept" ] || continue
	# stacked devices over the NICs (issue 10): where the kernel has them
	for mm in bonding 8021q; do
		has_module "$mm" && mods+=("$mm")
	done
	NICS_FILE=$VMDIR/nics-$label
	nic_args "$kept"
	if ! build_initramfs "$VMDIR/initramfs-$label.gz" "$VMDIR/stage-$label" "${mods[@]}"; then
		echo "FAIL: $label: cannot build the initramfs"
		failed=$((failed + 1))
		continue
	fi
	choose_accel "$KDIR/root/boot/vmlinuz-$KVER"
	# A TCG guest on this 2-core host has been seen, rarely, to stop right
	# after "Run /init" until the timeout: boot such a run once more
	# before counting it as a skip.
	for attempt in 1 2; do
		log=$VMDIR/console-$label.log
		rm -f "$log" "$log.qemu"
		start=$(date +%s.%N)
		TAPS="${TAPS[*]}" boot "$qemu" "$log" "${qemu_args[@]}"
		rc=$?
		secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
		if [ "$rc" -eq 90 ]; then
			skip "cannot create a multi-queue tap in a private network namespace"
		fi
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			note "$label: QEMU killed after the ${TIMEOUT}s timeout"
		elif [ "$rc" -ne 0 ]; then
			note "$label: QEMU exited $rc: $(tail -5 "$log.qemu")"
		fi
		note "$label: $KVER, VM ran ${secs}s ($ACCEL), console log $log"
		out=$(python3 "$HERE/check.py" --label "$label" --kernel "$KVER" --cpus "$VCPUS" \
			--seconds "$secs" "$log")
		crc=$?
		if [ "$crc" -eq 77 ] && [ "$attempt" -eq 1 ] &&
			{ [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
			note "$label: the guest never reached its init; booting it once more"
			continue
		fi
		# A guest that hung half-way until the timeout (seen once: igb's
		# ethtool -L on 6.12 under TCG, in 1 of 4 runs) is booted once
		# more; the hang is said, and a second one fails as usual.
		if [ "$crc" -ne 0 ] && [ "$attempt" -eq 1 ] &&
			{ [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; } &&
			! grep -q '^@@MQT-DONE' "$log"; then
			note "$label: the guest hung in section '$(sed -n 's/^@@MQT-BEGIN //p' "$log" | tail -1)' until the timeout (its last line: $(grep -v '^[[:space:]]*$' "$log" | tail -1 | cut -c1-120)); booting it once more"
			cp "$log" "$log.hung"
			continue
		fi
		break
	done
	printf '%s\n' "$out"
	p=$(grep -c '^PASS' <<<"$out")
	f=$(grep -c '^FAIL' <<<"$out")
	s=$(grep -c '^SKIP' <<<"$out")
	x=$(grep -c '^XFAIL' <<<"$out")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s + x))
	[ "$crc" -ne 77 ] && booted=$((booted + 1))
	if [ "$crc" -ne 0 ] && [ "$crc" -ne 77 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $label: check.py exited $crc"
		failed=$((failed + 1))
	fi
	summary+=("$label ($KVER, NICs $kept): ${secs}s, $p passed, $f failed, $((s + x)) skipped/xfail")
done

for s in "${summary[@]}"; do note "$s"; done
note "wall time $(($(date +%s) - t0))s"
if [ "$booted" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "SKIP: no VM reached the guest's init (see $VMDIR/console-*.log)"
	echo "$passed passed, $failed failed, $skipped skipped"
	exit 77
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
