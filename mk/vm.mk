# vm.mk - `make vm-check`: mqtune on real multi-queue NICs (virtio_net,
# e1000e, vmxnet3, igb) in QEMU VMs with 8 vCPUs on 2 NUMA nodes, on
# Debian's standard 6.1, cloud 6.1 and 6.12 kernels; NICs behind a
# pxb-pcie bridge sit on node 1.  igb needs QEMU >= 8: bookworm-backports'
# qemu-system-x86 is fetched and unpacked under build/vm/ (never
# installed).  Needs root; installs what it needs with apt-get.  Exit 77
# (skip) when the machine cannot run it.  See tests/vm/README.md.  Not
# part of `make check`.
#
#   make vm-check                              the runs std cloud igb std612
#   make vm-check VM_RUNS="std igb"            some of them
#   make vm-check VM_ACCEL=tcg                 no KVM

.PHONY: vm-check vm-clean

vm-check: mqtune
	$(Q)MQTUNE=$(CURDIR)/mqtune tests/vm/run.sh

# the kernel and QEMU cache, initramfs images and console logs under build/vm/
vm-clean:
	rm -rf $(B)/vm
