# vm.mk - `make vm-check`: mqtune on real virtio_net multi-queue NICs in a
# QEMU VM (4 vCPUs on 2 NUMA nodes, two 4-queue-pair NICs, one behind a
# pxb-pcie bridge on node 1).  Needs root; installs what it needs with
# apt-get.  Exit 77 (skip) when the machine cannot run it.  See
# tests/vm/README.md.  Not part of `make check`.
#
#   make vm-check                              6.1 and 6.12 Debian kernels
#   make vm-check VM_KERNELS=linux-image-amd64 one kernel only
#   make vm-check VM_ACCEL=tcg                 no KVM

.PHONY: vm-check vm-clean

vm-check: mqtune
	$(Q)MQTUNE=$(CURDIR)/mqtune tests/vm/run.sh

# the kernel cache, initramfs images and console logs under build/vm/
vm-clean:
	rm -rf $(B)/vm
