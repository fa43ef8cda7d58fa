# fuzz.mk - libFuzzer targets for the parsers of kernel text (tests/fuzz/).
#
#   make fuzz-build           build every target into build/fuzz/
#   make fuzz                 run each target for FUZZ_SECONDS (default 600),
#                             one after the other; non-zero exit on a finding
#   make fuzz-smoke           the same for FUZZ_SMOKE_SECONDS (default 5) each
#   make fuzz FUZZ_TARGETS="cpulist int"   only some targets
#   make fuzz-coverage        line/branch coverage of src/ reached by the
#                             corpora (seeds + build/fuzz/corpus-NAME);
#                             needs llvm-profdata and llvm-cov (Debian: llvm)
#
# Needs clang with libFuzzer (Debian: clang, libclang-rt-14-dev).  Each
# target links the pure sources it tests directly, built with the
# sanitizers.  Each run grows its own corpus in build/fuzz/corpus-NAME,
# seeded from tests/fuzz/corpus/NAME (never written); logs and crash
# inputs are kept next to it (see tests/fuzz/fuzz-run.sh).

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_CFLAGS        ?= -g -O1
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
FUZZ_ALL   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(FUZZ_ALL)
# The pure sources: no I/O, no global state, nothing but libc.
FUZZ_LIB_SRC := src/base/cpuset.c src/base/parse.c src/base/classify.c \
                src/base/diag.c src/base/model.c src/base/options.c \
                src/base/config.c src/base/config_resolve.c src/base/ifres.c \
                src/base/procnet.c
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:src/base/%.c=$(B)/fuzz/obj/%.o)
FUZZ_HDRS  := $(wildcard tests/fuzz/*.h include/mqtune/*.h)
FUZZ_BINS  := $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
FUZZ_COMPILE = $(FUZZ_CC) -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) $(FUZZ_CFLAGS)

LLVM_PROFDATA ?= llvm-profdata
LLVM_COV      ?= llvm-cov

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-coverage

$(B)/fuzz/obj:
	$(Q)mkdir -p $@

# mqtune's sources carry the coverage instrumentation that guides libFuzzer
# (and that its "cov" counts); the targets' own checking code does not, so
# neither its loops slow the run nor its branches count as coverage.
$(B)/fuzz/obj/%.o: src/base/%.c $(FUZZ_HDRS) | $(B)/fuzz/obj
	@$(if $(Q),echo "  FUZZ-CC $<")
	$(Q)$(FUZZ_COMPILE) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

$(B)/fuzz/obj/fuzz_%.o: tests/fuzz/fuzz_%.c $(FUZZ_HDRS) | $(B)/fuzz/obj
	@$(if $(Q),echo "  FUZZ-CC $<")
	$(Q)$(FUZZ_COMPILE) $(FUZZ_SAN) -c -o $@ $<

# keep the objects: make would delete them as intermediate files
.SECONDARY: $(FUZZ_LIB_OBJ) $(FUZZ_ALL:%=$(B)/fuzz/obj/fuzz_%.o)

$(B)/fuzz/fuzz_%: $(B)/fuzz/obj/fuzz_%.o $(FUZZ_LIB_OBJ)
	@$(if $(Q),echo "  FUZZ-LD $@")
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^

fuzz-build: $(FUZZ_BINS)

# One target at a time (a fuzzer keeps one core busy); every target runs
# even after a finding, and the exit status reports whether any found one.
fuzz: fuzz-build
	$(Q)found=0; \
	for t in $(FUZZ_TARGETS); do \
	  tests/fuzz/fuzz-run.sh $(B)/fuzz/fuzz_$$t $(B)/fuzz/corpus-$$t \
	    $(FUZZ_SECONDS) tests/fuzz/corpus/$$t tests/fuzz/$$t.dict || found=1; \
	done; \
	if [ $$found -ne 0 ]; then echo "fuzz: FINDINGS (see above)"; exit 1; fi; \
	echo "fuzz: no findings"

fuzz-smoke: fuzz-build
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

# Source-based coverage: replay each corpus once (-runs=0) through a build
# with profiling and no sanitizers.
$(B)/fuzz/cov:
	$(Q)mkdir -p $@

$(B)/fuzz/cov/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRC) $(FUZZ_HDRS) | $(B)/fuzz/cov
	@$(if $(Q),echo "  COV-CC  $@")
	$(Q)$(FUZZ_COMPILE) -fsanitize=fuzzer -fprofile-instr-generate \
	  -fcoverage-mapping -o $@ $< $(FUZZ_LIB_SRC)

# Per target: the files it reaches; then all corpora together.
fuzz-coverage: $(FUZZ_TARGETS:%=$(B)/fuzz/cov/fuzz_%)
	$(Q)objs=""; \
	for t in $(FUZZ_TARGETS); do \
	  c=$(B)/fuzz/cov/$$t; rm -f $$c.profraw; \
	  dirs="tests/fuzz/corpus/$$t"; \
	  [ -d $(B)/fuzz/corpus-$$t ] && dirs="$$dirs $(B)/fuzz/corpus-$$t"; \
	  LLVM_PROFILE_FILE=$$c.profraw \
	    $(B)/fuzz/cov/fuzz_$$t -runs=0 $$dirs >$$c.log 2>&1 || \
	    { echo "fuzz-coverage: replaying $$t failed (see $$c.log)"; exit 1; }; \
	  $(LLVM_PROFDATA) merge -o $$c.profdata $$c.profraw || exit 1; \
	  echo "== $$t ($$(find $$dirs -type f | wc -l) inputs)"; \
	  $(LLVM_COV) report $(B)/fuzz/cov/fuzz_$$t -instr-profile=$$c.profdata \
	    $(FUZZ_LIB_SRC) | awk 'NR == 1 || ($$1 ~ /\.c$$/ && $$7 != "0.00%")'; \
	  objs="$$objs -object $(B)/fuzz/cov/fuzz_$$t"; \
	done; \
	$(LLVM_PROFDATA) merge -o $(B)/fuzz/cov/all.profdata $(B)/fuzz/cov/*.profraw && \
	echo "== all targets together" && \
	$(LLVM_COV) report $${objs# -object } -instr-profile=$(B)/fuzz/cov/all.profdata \
	  $(FUZZ_LIB_SRC) && \
	echo "(uncovered lines: $(LLVM_COV) show $${objs# -object } -instr-profile=$(B)/fuzz/cov/all.profdata $(FUZZ_LIB_SRC))"
