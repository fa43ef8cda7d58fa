# mqtune - Linux NIC multi-queue / RSS configurator.
#
#   make            build ./mqtune
#   make check      build and run every test (unit, sanitizers, integration,
#                   real kernel); prints "N passed, N failed, N skipped"
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#   make V=1        show the commands

VERSION   := 0.1.0
PREFIX    ?= /usr/local
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
UNITDIR   ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
CC        ?= cc
PKG_CONFIG ?= pkg-config

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Dependencies, found with pkg-config; a clear message when one is missing.
RUNTIME_PKGS := libnl-3.0 libnl-genl-3.0 json-c
TEST_PKGS    := check

define need_pkgs
$(foreach p,$(1),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo yes),,\
  $(error missing dependency '$(p)' (pkg-config cannot find it): run scripts/install-deps.sh as root)))
endef

# `make check` installs what it needs (as root, with apt) when something
# is missing, so that it is one command on a fresh machine.
ifneq ($(filter check,$(MAKECMDGOALS)),)
ifneq ($(shell $(PKG_CONFIG) --exists $(RUNTIME_PKGS) $(TEST_PKGS) 2>/dev/null && \
	command -v python3 clang valgrind strace ethtool jq systemd-analyze >/dev/null && \
	python3 -c 'import sys; sys.path.append("/usr/lib/python3/dist-packages"); \
	import jsonschema, prometheus_client' 2>/dev/null && echo ok),ok)
$(info make check: installing missing dependencies (scripts/install-deps.sh))
$(if $(shell [ "$$(id -u)" = 0 ] && scripts/install-deps.sh >&2 && echo ok),,\
  $(warning scripts/install-deps.sh did not run (not root?); some tests may skip))
endif
endif

ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
$(call need_pkgs,$(RUNTIME_PKGS))
endif

DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(RUNTIME_PKGS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(RUNTIME_PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude \
              -DMQ_VERSION='"$(VERSION)"' $(DEP_CFLAGS)

# src/LAYER/MODULE.c, one folder per layer (docs/architecture.md)
LIB_SRC  := $(filter-out src/cli/main.c,$(sort $(wildcard src/*/*.c)))
CLI_SRC  := src/cli/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

B        := build
LIB_OBJ  := $(LIB_SRC:src/%.c=$(B)/%.o)
ASAN_OBJ := $(LIB_SRC:src/%.c=$(B)/asan/%.o)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all

.PHONY: all check check-unit check-integration check-kernel check-headers \
        check-layers install clean distclean

all: mqtune

$(B)/%.o: src/%.c $(wildcard include/mqtune/*.h src/*/*.h) | $(B)
	@$(if $(Q),echo "  CC      $<")
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/asan/%.o: src/%.c $(wildcard include/mqtune/*.h src/*/*.h) | $(B)/asan
	@$(if $(Q),echo "  CC-SAN  $<")
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -O1 -c -o $@ $<

$(B) $(B)/asan $(B)/hdr:
	$(Q)mkdir -p $@

$(B)/libmqtune.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/libmqtune-asan.a: $(ASAN_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

mqtune: $(B)/cli/main.o $(B)/libmqtune.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(DEP_LIBS)

$(B)/mqtune-asan: $(B)/asan/cli/main.o $(B)/libmqtune-asan.a
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(DEP_LIBS)

# Unit tests (libcheck), plain and under ASan+UBSan.
$(B)/check_unit: $(UNIT_SRC) $(B)/libmqtune.a
	$(call need_pkgs,$(TEST_PKGS))
	$(Q)$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags check) -o $@ \
	  $(UNIT_SRC) $(B)/libmqtune.a $(DEP_LIBS) $(shell $(PKG_CONFIG) --libs check)

$(B)/check_unit-asan: $(UNIT_SRC) $(B)/libmqtune-asan.a
	$(call need_pkgs,$(TEST_PKGS))
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -O1 $(shell $(PKG_CONFIG) --cflags check) -o $@ \
	  $(UNIT_SRC) $(B)/libmqtune-asan.a $(DEP_LIBS) $(shell $(PKG_CONFIG) --libs check)

# Every public header must compile on its own.
HDRS := $(sort $(wildcard include/mqtune/*.h))
check-headers: | $(B)/hdr
	$(Q)for h in $(HDRS); do \
	  printf '#include "%s"\n' "$${h#include/}" > $(B)/hdr/one.c; \
	  $(CC) $(ALL_CFLAGS) -fsyntax-only $(B)/hdr/one.c || { echo "header $$h does not compile alone"; exit 1; }; \
	done

check-layers: $(LIB_OBJ)
	$(Q)scripts/check-layers.sh $(B)

check: mqtune $(B)/mqtune-asan $(B)/check_unit $(B)/check_unit-asan check-headers check-layers
	$(Q)MQTUNE=$(CURDIR)/mqtune MQTUNE_ASAN=$(CURDIR)/$(B)/mqtune-asan \
	  UNIT=$(CURDIR)/$(B)/check_unit UNIT_ASAN=$(CURDIR)/$(B)/check_unit-asan \
	  tests/run-all.sh

# The units run $(SBINDIR)/mqtune; systemd and udev also search
# /usr/local/lib/{systemd/system,udev/rules.d}, so the default PREFIX works.
UNITS := systemd/mqtune.service systemd/mqtune@.service systemd/mqtune-watch.service
install: mqtune
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	  $(DESTDIR)$(UNITDIR) $(DESTDIR)$(UDEVRULESDIR)
	install -m 0755 mqtune $(DESTDIR)$(SBINDIR)/mqtune
	install -m 0644 docs/mqtune.8 $(DESTDIR)$(MANDIR)/man8/mqtune.8
	for u in $(UNITS); do \
	  sed 's#/usr/sbin/mqtune#$(SBINDIR)/mqtune#' $$u > $(DESTDIR)$(UNITDIR)/$${u#systemd/} && \
	  chmod 0644 $(DESTDIR)$(UNITDIR)/$${u#systemd/} || exit 1; \
	done
	install -m 0644 udev/80-mqtune.rules $(DESTDIR)$(UDEVRULESDIR)/80-mqtune.rules

clean:
	rm -rf $(B) mqtune

distclean: clean

# Optional parts (fuzzing, benchmarks, VM tests) keep their rules in mk/.
-include $(sort $(wildcard mk/*.mk))
