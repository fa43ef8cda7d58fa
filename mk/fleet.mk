# make fleet-check: the fleet tests (the Ansible collection, the Debian
# package with its install/remove/purge, bash completion), as root.
# `make check` runs them too, but without installing the package.
.PHONY: fleet-check
fleet-check: mqtune
	$(Q)MQTUNE=$(CURDIR)/mqtune MQTUNE_TEST_DPKG=1 TS_RESULTS=$(CURDIR)/$(B)/fleet-results \
	  sh -c 'rm -f "$$TS_RESULTS"; for t in tests/ansible/test_*.sh tests/pkg/test_*.sh; do bash "$$t" || exit 1; done; \
	  p=$$(grep -c "^PASS" "$$TS_RESULTS"); f=$$(grep -c "^FAIL" "$$TS_RESULTS"); s=$$(grep -c "^SKIP" "$$TS_RESULTS"); \
	  echo "$$p passed, $$f failed, $$s skipped"; [ "$$f" -eq 0 ]'
