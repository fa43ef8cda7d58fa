#!/bin/bash
# test_bench.sh - keep `make bench` working: the harness's own logic
# (run.py --self-test), then the smallest case once (64 CPUs, 1 x 16
# queues), whose JSON must hold every operation with sane numbers: the
# apply writes files and the floor rewrites the same ones, the no-op,
# show and dry run write none.  Takes a few seconds.  Timing targets are
# not checked here (that is `make bench`).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

RUN="$TS_TOP/tests/bench/run.py"
if [ ! -x "$MQTUNE" ]; then
	ts_fail "bench: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "bench: no python3"
	exit 0
fi
ts_tmpdir >/dev/null	# not in $(...): its exit trap would remove it at once
WORK=${TS_CLEANUP##* }

# The floor: build/bench-floor when it is up to date, else built here.
FLOOR="$TS_TOP/build/bench-floor"
if [ ! -x "$FLOOR" ] || [ "$TS_TOP/tests/bench/floor.c" -nt "$FLOOR" ]; then
	FLOOR="$WORK/bench-floor"
	if ! "${CC:-cc}" -O2 -std=c11 -Wall -Wextra -o "$FLOOR" "$TS_TOP/tests/bench/floor.c" >"$WORK/cc.log" 2>&1; then
		ts_fail "bench: floor.c does not build"
		sed 's/^/    /' "$WORK/cc.log" | head -20
		exit 0
	fi
fi

ts_check "bench: harness self-test" python3 "$RUN" --self-test

if timeout 25 python3 "$RUN" --mqtune "$MQTUNE" --floor "$FLOOR" --cases smoke \
	--runs 1 --warmup 0 --workdir "$WORK" --json "$WORK/results.json" \
	>"$WORK/out" 2>"$WORK/err"; then
	ts_pass "bench: smoke case runs"
else
	ts_fail "bench: smoke case (status $?)"
	sed 's/^/    /' "$WORK/err" "$WORK/out" | tail -30
	exit 0
fi

ts_check "bench: smoke results are complete and sane" python3 - "$WORK/results.json" "$WORK/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
(c,) = d["cases"]
assert not c.get("error"), c.get("error")
assert c["name"] == "c64-1x16" and c["cpus"] == 64, c["name"]
ops = c["ops"]
assert sorted(ops) == ["apply", "dry-run", "no-op", "show"], sorted(ops)
for op, o in list(ops.items()) + [("floor", c["floor"])]:
    m = o["ms"]
    assert m["n"] == 1 and 0 < m["min"] <= m["median"] <= m["max"], (op, m)
    assert 0 < o["peak_rss_kib"] < 1 << 20, (op, o["peak_rss_kib"])
    sc = o.get("syscalls")
    assert sc is None or sc > 0, (op, sc)
    assert (sc is None) == (d["meta"]["strace"] is None), (op, sc)
assert ops["apply"]["written"] >= 16, ops["apply"]["written"]
for op in ("show", "dry-run", "no-op"):
    assert ops[op]["written"] == 0, (op, ops[op]["written"])
assert c["floor"]["written"] == ops["apply"]["written"]
assert c["floor_matches"] is True
assert c["apply_floor_ratio"] > 0
assert {t["status"] for t in d["targets"]} == {"SKIP"}, d["targets"]
for word in ("c64-1x16", "median ms", "×floor", "Targets:"):
    assert word in out, word
EOF
