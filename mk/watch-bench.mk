# watch-bench.mk - how fast `mqtune watch` heals, and what it costs idle.
#
#   make bench-watch                50 channel changes on a veth pair in a
#                                   private network namespace (root): event
#                                   to healed, median and max; system calls
#                                   and CPU time over 10 idle seconds
#                                   (tests/bench/watch_heal.sh,
#                                   bench/watch.json)
#   make bench-watch WATCH_EVENTS=N WATCH_IDLE=S

WATCH_EVENTS ?= 50
WATCH_IDLE   ?= 10

.PHONY: bench-watch

bench-watch: mqtune
	$(Q)mkdir -p bench
	$(Q)MQTUNE=$(CURDIR)/mqtune IDLE=$(WATCH_IDLE) bash tests/bench/watch_heal.sh \
	  $(WATCH_EVENTS); rc=$$?; [ $$rc -ne 77 ] || echo "bench-watch: skipped"; \
	  [ $$rc -eq 0 ] || [ $$rc -eq 77 ]

# `make bench` measures the watch and doctor too (they skip, saying why,
# without root or a network namespace).
bench: bench-watch bench-doctor
