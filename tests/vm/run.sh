#!/bin/bash
# run.sh - `make vm-check`: mqtune on real virtio_net multi-queue NICs in a VM.
#
# Boots a Debian kernel in QEMU (KVM when /dev/kvm works, TCG otherwise)
# with 4 vCPUs on 2 NUMA nodes and two virtio-net-pci NICs of 4 queue
# pairs each, one of them behind a pxb-pcie expander bridge on NUMA node 1.
# The guest (tests/vm/init.sh, run as /init of a busybox initramfs) runs
# mqtune show / auto --dry-run / auto / auto again and prints the JSON and
# the kernel's own files between markers on the serial console;
# tests/vm/check.py reads them back from the log and asserts.
#
# Everything it needs comes from Debian's packages: qemu-system-x86,
# busybox-static, cpio, kmod, xz-utils, iproute2, python3, installed with
# apt-get when missing; the kernels are fetched with `apt-get download`
# and unpacked with `dpkg-deb` into build/vm/kernels/ (the host's /boot
# and /lib/modules are never touched).  The taps exist only inside a
# private network namespace made here (unshare --net) around QEMU.
#
# Environment:
#   MQTUNE      the binary to test (default ./mqtune)
#   VM_KERNELS  Debian kernel packages to boot, one VM each (default:
#               "linux-image-amd64 linux-image-6.12-amd64", i.e. 6.1 and
#               6.12; a package apt does not know is skipped)
#   VM_ACCEL    kvm, tcg or auto (default auto: kvm when it works)
#   VM_TIMEOUT  seconds one boot may take (default 120 with KVM, 300 with TCG)
#   VM_DIR      work and cache directory (default build/vm)
#   VM_KEEP=1   keep the per-kernel staging trees
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
KERNELS=${VM_KERNELS:-"linux-image-amd64 linux-image-6.12-amd64"}
ACCEL=${VM_ACCEL:-auto}

skip() {
	echo "SKIP: $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
}
note() { echo "vm: $*"; }

[ "$(id -u)" -eq 0 ] || skip "not root (needs apt-get, unshare --net, tuntap)"
[ -x "$MQTUNE" ] || { echo "FAIL: $MQTUNE is not built (run make)"; echo "0 passed, 1 failed"; exit 1; }
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
		TIMEOUT=${VM_TIMEOUT:-300}
	fi
	note "accelerator: $ACCEL, boot timeout ${TIMEOUT}s"
}

# ---- a kernel: vmlinuz + the modules virtio_net needs -------------------
# fetch_kernel PACKAGE: sets KDIR (unpacked tree) and KVER; non-zero when
# apt does not know the package or it cannot be fetched.
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
	if [ ! -f "$KDIR/.done" ]; then
		note "fetching $real $ver (apt-get download + dpkg-deb -x, host /boot untouched)"
		rm -rf "$KDIR" && mkdir -p "$KDIR/deb" "$KDIR/root" || return 1
		(cd "$KDIR/deb" && apt-get download -o APT::Sandbox::User=root "$real=$ver") \
			>"$KDIR/download.log" 2>&1 || { cat "$KDIR/download.log"; return 1; }
		deb=$(find "$KDIR/deb" -name '*.deb' | head -1)
		[ -n "$deb" ] || return 1
		# Only the kernel image, the module lists and the trees holding
		# the virtio/net modules: a few MB instead of the whole package.
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$KDIR/root" \
			--wildcards --no-wildcards-match-slash \
			'./boot/vmlinuz-*' './boot/config-*' \
			'./lib/modules/*/modules.builtin' './lib/modules/*/modules.builtin.modinfo' \
			'./lib/modules/*/modules.order' \
			'./lib/modules/*/kernel/drivers/virtio/*' \
			'./lib/modules/*/kernel/drivers/net/*.ko*' \
			'./lib/modules/*/kernel/net/core/*' \
			'./lib/modules/*/kernel/lib/*.ko*' || return 1
		rm -rf "$KDIR/deb"
		touch "$KDIR/.done"
	fi
	KVER=$(find "$KDIR/root/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | head -1)
	[ -n "$KVER" ] && [ -f "$KDIR/root/boot/vmlinuz-$KVER" ]
}

# ---- the initramfs ------------------------------------------------------
# build_initramfs OUT: busybox, mqtune + its libraries, the modules in
# load order (from modules.dep via modprobe --show-depends), /init.
build_initramfs() {
	local out=$1 st=$VMDIR/stage-$KVER mods line path name a
	rm -rf "$st"
	mkdir -p "$st"/{bin,sbin,proc,sys,dev,run,tmp,etc,lib/modules} || return 1
	cp /bin/busybox "$st/bin/busybox" || return 1
	for a in $(/bin/busybox --list); do
		[ -e "$st/bin/$a" ] || ln -s busybox "$st/bin/$a"
	done
	cp "$MQTUNE" "$st/bin/mqtune" || return 1
	# ldd lines: "libx.so => /path (0x..)" and "/lib64/ld-linux... (0x..)"
	while read -r line; do
		path=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) { print $i; exit } }' <<<"$line")
		[ -n "$path" ] || continue
		mkdir -p "$st$(dirname "$path")" && cp -L "$path" "$st$path" || return 1
	done < <(ldd "$MQTUNE")
	cp "$HERE/init.sh" "$st/init" && chmod 755 "$st/init" || return 1
	mknod "$st/dev/console" c 5 1 2>/dev/null
	mknod "$st/dev/null" c 1 3 2>/dev/null

	depmod -b "$KDIR/root" "$KVER" 2>/dev/null || return 1
	# One module per call: modprobe takes further words as parameters.
	mods=$(for m in virtio_pci virtio_net; do
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
# boot LOG: QEMU in a private network namespace with two multi-queue taps.
boot() {
	local log=$1
	# shellcheck disable=SC2016  # expanded by the inner shell
	unshare --net -- bash -c '
		ip link set lo up
		sysctl -qw net.ipv6.conf.default.accept_dad=0 2>/dev/null
		for t in mqt0 mqt1; do
			ip tuntap add dev $t mode tap multi_queue 2>/dev/null || exit 90
			ip link set $t up
		done
		exec "$@"' vmns \
		timeout -k 5 "$TIMEOUT" qemu-system-x86_64 \
		-machine q35 "${accel[@]}" \
		-nodefaults -no-user-config -display none -no-reboot \
		-m 512M -smp 4 \
		-object memory-backend-ram,id=mem0,size=256M \
		-object memory-backend-ram,id=mem1,size=256M \
		-numa node,nodeid=0,cpus=0-1,memdev=mem0 \
		-numa node,nodeid=1,cpus=2-3,memdev=mem1 \
		-device pxb-pcie,id=pxb1,bus_nr=128,numa_node=1,bus=pcie.0 \
		-device pcie-root-port,id=rp1,bus=pxb1,chassis=1,slot=1 \
		-netdev tap,id=n0,ifname=mqt0,queues=4,script=no,downscript=no,vhost=off \
		-device virtio-net-pci,netdev=n0,mq=on,vectors=10,mac=52:54:00:6d:71:00,speed=10000,duplex=full,bus=pcie.0 \
		-netdev tap,id=n1,ifname=mqt1,queues=4,script=no,downscript=no,vhost=off \
		-device virtio-net-pci,netdev=n1,mq=on,vectors=10,mac=52:54:00:6d:71:01,speed=25000,duplex=full,bus=rp1 \
		-kernel "$KDIR/root/boot/vmlinuz-$KVER" -initrd "$VMDIR/initramfs-$KVER.gz" \
		-append "console=ttyS0,115200 panic=-1 mitigations=off" \
		-serial "file:$log" >"$log.qemu" 2>&1
}

# ---- main ---------------------------------------------------------------
passed=0 failed=0 skipped=0 booted=0
summary=()
for pkg in $KERNELS; do
	echo "== $pkg"
	if ! fetch_kernel "$pkg"; then
		echo "SKIP: $pkg: apt cannot fetch it or it holds no kernel"
		skipped=$((skipped + 1))
		continue
	fi
	if ! build_initramfs "$VMDIR/initramfs-$KVER.gz"; then
		echo "FAIL: $KVER: cannot build the initramfs"
		failed=$((failed + 1))
		continue
	fi
	choose_accel "$KDIR/root/boot/vmlinuz-$KVER"
	log=$VMDIR/console-$KVER.log
	rm -f "$log" "$log.qemu"
	start=$(date +%s.%N)
	boot "$log"
	rc=$?
	secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
	if [ "$rc" -eq 90 ]; then
		skip "cannot create a multi-queue tap in a private network namespace"
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		note "$KVER: QEMU killed after the ${TIMEOUT}s timeout"
	elif [ "$rc" -ne 0 ]; then
		note "$KVER: QEMU exited $rc: $(tail -5 "$log.qemu")"
	fi
	note "$KVER: VM ran ${secs}s ($ACCEL), console log $log"
	out=$(python3 "$HERE/check.py" --label "$KVER" --seconds "$secs" "$log")
	crc=$?
	printf '%s\n' "$out"
	p=$(grep -c '^PASS' <<<"$out")
	f=$(grep -c '^FAIL' <<<"$out")
	s=$(grep -c '^SKIP' <<<"$out")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$crc" -ne 77 ] && booted=$((booted + 1))
	if [ "$crc" -ne 0 ] && [ "$crc" -ne 77 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $KVER: check.py exited $crc"
		failed=$((failed + 1))
	fi
	summary+=("$KVER: ${secs}s, $p passed, $f failed")
done

for s in "${summary[@]}"; do note "$s"; done
if [ "$booted" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "SKIP: no VM reached the guest's init (see $VMDIR/console-*.log)"
	echo "$passed passed, $failed failed, $skipped skipped"
	exit 77
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
