# doctor-bench.mk - what `mqtune doctor` costs with many sockets.
#
#   make bench-doctor                 100,000 TIME-WAIT sockets in a private
#                                     network namespace (root): wall time and
#                                     peak RSS of one run, the count checked
#                                     against ss (tests/bench/doctor_tw.sh)
#   make bench-doctor DOCTOR_SOCKETS=N

DOCTOR_SOCKETS ?= 100000

.PHONY: bench-doctor

bench-doctor: mqtune
	$(Q)MQTUNE=$(CURDIR)/mqtune bash tests/bench/doctor_tw.sh $(DOCTOR_SOCKETS)
