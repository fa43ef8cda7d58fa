# bench.mk - benchmarks at scale (tests/bench/).
#
#   make bench          the full matrix (then bench-watch and bench-doctor,
#                       mk/watch-bench.mk); a table on stdout, JSON in
#                       bench/results.json; non-zero exit when a target fails
#   make bench-smoke    one small case, quick (bench/results-smoke.json)
#   make bench BENCH_ARGS="--quick --cases 'c1024-*'"   pass options to
#                       tests/bench/run.py (see its --help, --list)
#
# Needs python3; strace for the syscall counts (without it they read n/a).
# The floor program (tests/bench/floor.c, also the launcher that measures
# each process) is built with plain `cc -O2` into build/.

BENCH_ARGS  ?=
BENCH_FLOOR := $(B)/bench-floor

.PHONY: bench bench-smoke

$(BENCH_FLOOR): tests/bench/floor.c | $(B)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -O2 -std=c11 -Wall -Wextra -o $@ $<

bench: mqtune $(BENCH_FLOOR)
	$(Q)python3 tests/bench/run.py --mqtune ./mqtune --floor $(BENCH_FLOOR) \
	  --json bench/results.json $(BENCH_ARGS)

bench-smoke: mqtune $(BENCH_FLOOR)
	$(Q)python3 tests/bench/run.py --mqtune ./mqtune --floor $(BENCH_FLOOR) \
	  --json bench/results-smoke.json --cases smoke --quick $(BENCH_ARGS)

# `make check` runs tests/bench/test_bench.sh, which needs the floor.
check: $(BENCH_FLOOR)
