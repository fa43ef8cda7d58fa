# docs.mk - documentation examples that come from real runs.
#
#   make docs        rewrite every marked example block of README.md,
#                    docs/*.md and docs/mqtune.8 (and the exit status
#                    tables) from runs of ./mqtune on the synthetic
#                    machines the markers name (scripts/gen-docs.py)
#   make docs-check  regenerate into a temporary copy and fail, showing
#                    the diff, where a block and the program disagree;
#                    also part of `make check` (tests/docs/test_docs.sh)
#   make docs-lint   list examples with output that have no marker
#
# After a change of an output format, `make docs` is the only step; a
# block whose command now fails (or exits otherwise than its marker
# says) is reported and left as it was.

.PHONY: docs docs-check docs-lint

docs: mqtune
	$(Q)python3 scripts/gen-docs.py --mqtune $(CURDIR)/mqtune

docs-check: mqtune
	$(Q)r=$$(mktemp) && MQTUNE=$(CURDIR)/mqtune TS_RESULTS=$$r \
	  bash tests/docs/test_docs.sh; ! grep -q '^FAIL' $$r; s=$$?; rm -f $$r; exit $$s

docs-lint:
	$(Q)python3 scripts/gen-docs.py --lint
