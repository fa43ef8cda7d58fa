#!/bin/bash
# test_docs.sh - the documentation says what the program does.
#
# * Every example block with a marker in README.md, docs/*.md and
#   docs/mqtune.8 is regenerated into a temporary copy by
#   scripts/gen-docs.py (real runs on the synthetic machines the markers
#   name); a file whose copy differs fails, showing the diff (`make docs`
#   rewrites the blocks in place).
# * No example that shows mqtune output is left without a marker.
# * The generator detects a stale block, escapes roff, and fails on an
#   unexpected exit status (so the checks above can fail).
# * The options and exit statuses of `mqtune --help` are the ones the man
#   page and README.md document (tests/docs/check_help.py).
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/scripts/gen-docs.py"
if ! command -v python3 >/dev/null; then
	ts_skip "docs: python3 is not installed"
	exit 0
fi
if [ ! -x "$MQTUNE" ]; then
	ts_fail "docs: $MQTUNE is not built"
	exit 0
fi
ts_tmpdir >/dev/null	# not W=$(ts_tmpdir): its EXIT trap would fire in the subshell
W=${TS_CLEANUP##* }

# --- 1. every generated block matches a run of today's program
cd "$TS_TOP" || exit 1
files="README.md $(cd "$TS_TOP" && ls docs/*.md) docs/mqtune.8 ansible/ansible_collections/mqtune/nic/roles/mqtune/README.md"
if python3 "$GEN" --mqtune "$MQTUNE" --out "$W/new" >"$W/log" 2>"$W/err"; then
	ts_pass "docs: gen-docs.py regenerated every block without error"
else
	ts_fail "docs: gen-docs.py failed"
	sed 's/^/    /' "$W/err" | head -40
fi
for f in $files; do
	n=$(grep -c "^$f:[0-9]*: generated$" "$W/log")
	if [ ! -f "$W/new/$f" ]; then
		ts_fail "docs: $f was not regenerated"
	elif diff -u --label "$f (committed)" --label "$f (regenerated)" \
		"$TS_TOP/$f" "$W/new/$f" >"$W/diff"; then
		ts_pass "docs: $f: its $n generated blocks match the program"
	else
		ts_fail "docs: $f: examples differ from the program (run make docs)"
		sed 's/^/    /' "$W/diff" | head -80
	fi
done
grep ': skipped (' "$W/log" | while IFS= read -r l; do
	ts_skip "docs: $l"
done
total=$(grep -c ': generated$' "$W/log")
# README.md, json.md and mqtune.8 hold examples; losing markers shows here.
# (the Ansible examples of the README and the role's README need
# ansible-playbook: skipped, and said above, without it)
role_readme=ansible/ansible_collections/mqtune/nic/roles/mqtune/README.md
command -v ansible-playbook >/dev/null 2>&1 || role_readme=
for f in README.md docs/json.md docs/mqtune.8 $role_readme; do
	if grep -q "^$f:[0-9]*: generated$" "$W/log"; then
		ts_pass "docs: $f has generated blocks"
	else
		ts_fail "docs: $f has no generated block (of $total in all)"
	fi
done

# --- 2. no output example without a marker
if python3 "$GEN" --lint >"$W/lint" 2>&1; then
	ts_pass "docs: every example with output has an example marker"
else
	ts_fail "docs: examples without a marker (they cannot be regenerated)"
	sed 's/^/    /' "$W/lint"
fi

# --- 3. the mechanism itself can fail
mkdir -p "$W/stale/docs" "$W/stale.out"
cat >"$W/stale/docs/t.md" <<'EOF'
<!-- example: machine="--cpus 2 --nic virtio_net:eth0:1:node=-1" cmd="mqtune --sysroot $M show eth0" -->
```
$ mqtune --sysroot /tmp/m show eth0
  0      41,42  virtio1-input.0,virtio1-output.0  0-1,0-1   1,0        -    n/a
```
EOF
if python3 "$GEN" --mqtune "$MQTUNE" --root "$W/stale" --out "$W/stale.out" \
	docs/t.md >/dev/null 2>&1 &&
	! cmp -s "$W/stale/docs/t.md" "$W/stale.out/docs/t.md" &&
	grep -q '^  0 .* / ' "$W/stale.out/docs/t.md" &&
	! grep -q '0-1,0-1' "$W/stale.out/docs/t.md"; then
	ts_pass "docs: a stale block (the old man page's show row) is rewritten"
else
	ts_fail "docs: a stale block was not rewritten"
	sed 's/^/    /' "$W/stale.out/docs/t.md" 2>/dev/null | head -20
fi
cat >"$W/stale/docs/s.md" <<'EOF'
<!-- example: machine="--cpus 2 --nic virtio_net:eth0:1:node=-1" cmd="mqtune --sysroot $M show nosuch0" -->
```
```
EOF
if python3 "$GEN" --mqtune "$MQTUNE" --root "$W/stale" --out "$W/stale.out" \
	docs/s.md >/dev/null 2>"$W/s.err"; then
	ts_fail "docs: a command with an unexpected exit status is not an error"
elif grep -q 'exit status 3, the marker expects 0' "$W/s.err"; then
	ts_pass "docs: a command with an unexpected exit status is an error"
else
	ts_fail "docs: unexpected error for a failing command"
	sed 's/^/    /' "$W/s.err" | head -10
fi
cat >"$W/stale/docs/v.md" <<'EOF'
<!-- example: copy="ansible/examples/module.yml" sub="pid [0-9]+=>pid N" sub="(?m) +$=>"
     cmd="grep -c 'mqtune.nic.mqtune:' module.yml; echo 'ran as pid '$$'   '" -->
```
```
EOF
if python3 "$GEN" --mqtune "$MQTUNE" --root "$W/stale" --out "$W/stale.out" \
	docs/v.md >/dev/null 2>"$W/v.err" &&
	[ "$(sed -n '5,6p' "$W/stale.out/docs/v.md")" = "$(printf '1\nran as pid N')" ]; then
	ts_pass "docs: copy= brings a file of the tree, sub= replaces what a run cannot repeat"
else
	ts_fail "docs: copy= / sub="
	sed 's/^/    /' "$W/v.err" "$W/stale.out/docs/v.md" 2>/dev/null | head -10
fi
cat >"$W/stale/docs/u.md" <<'EOF'
text

    $ mqtune show
    eth0: driver ice
EOF
if python3 "$GEN" --root "$W/stale" --lint docs/u.md >/dev/null 2>&1; then
	ts_fail "docs: --lint misses an output example without a marker"
else
	ts_pass "docs: --lint finds an output example without a marker"
fi
if python3 - "$GEN" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen", sys.argv[1])
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
cases = {".x": "\\&.x", "": "\\&", "a\\(b": "a\\e(b", "0-1 -> 0": "0\\-1 \\-> 0",
         "'q'": "\\(aqq\\(aq", "'.x": "\\(aq.x"}
bad = [(k, g.roff_example(k), v) for k, v in cases.items() if g.roff_example(k) != v]
sys.exit(1 if bad else 0)
EOF
then
	ts_pass "docs: man page examples escape backslashes, dashes, quotes and leading dots"
else
	ts_fail "docs: roff escaping of example lines is wrong"
fi

# --- 4. options and exit statuses of --help are documented
python3 "$TS_TOP/tests/docs/check_help.py" "$MQTUNE" "$TS_TOP" >"$W/help" 2>&1
while IFS= read -r l; do
	case $l in
	"ok "*) ts_pass "docs: ${l#ok }" ;;
	"not ok "*) ts_fail "docs: ${l#not ok }" ;;
	*) ts_fail "docs: check_help.py: $l" ;;
	esac
done <"$W/help"

# ... and show does refuse the options of auto, as the man page says.
M="$W/m"
if python3 "$TS_TOP/tests/gen/mkmachine.py" "$M" --cpus 2 \
	--nic virtio_net:eth0:1:node=-1 -q; then
	"$MQTUNE" --sysroot "$M" show --cpus 0 eth0 >/dev/null 2>"$W/show.err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- '--cpus' "$W/show.err"; then
		ts_pass "docs: show refuses an option of auto with status 2"
	else
		ts_fail "docs: show --cpus: status $rc, $(head -1 "$W/show.err")"
	fi
else
	ts_fail "docs: mkmachine.py failed"
fi
