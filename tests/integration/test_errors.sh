#!/bin/bash
# test_errors.sh - mqtune's exit statuses and one-line diagnostics, on a
# small machine built by tests/gen/mkmachine.py: bad interface names,
# missing or malformed sysfs/procfs files, and the command line itself.
#
# MQTUNE: the binary (default ./mqtune).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

GEN="$TS_TOP/tests/gen/mkmachine.py"
CHECK="$TS_TOP/tests/integration/check_show.py"
VALIDATE="$TS_TOP/tests/lib/validate_json.py"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "errors: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "errors: python3 not installed"
	exit 0
fi

# Not d=$(ts_tmpdir): the EXIT trap it sets would fire in the subshell.
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
BASE="$WORK/base"
OUT="$WORK/out" ERR="$WORK/err"

if ! python3 "$GEN" -q "$BASE" --cpus 4 --nodes 1 --smt 2 \
	--nic ice:eth0:4 --nic virtio_net:eth1:2 >"$WORK/gen" 2>&1; then
	ts_fail "errors: mkmachine.py failed"
	sed 's/^/    /' "$WORK/gen"
	exit 0
fi

# run CMD...: run it, leaving RC, $OUT and $ERR
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# verdict NAME WANT-RC ERE [exact]: after run, pass when the exit status
# is WANT-RC, stderr is exactly one line matching ERE (equal to it with
# "exact") and stdout is empty -- or, for a --json run, stdout is one JSON
# document whose exit_code is WANT-RC and whose error is stderr's message.
verdict() {
	local name=$1 want=$2 re=$3 mode=${4:-} why=""
	local n
	n=$(wc -l <"$ERR")
	if [ "$RC" -ne "$want" ]; then
		why="exit $RC, want $want"
	elif [ "$n" -ne 1 ]; then
		why="$n lines on stderr, want 1"
	elif [ "$mode" = exact ] && [ "$(cat "$ERR")" != "$re" ]; then
		why="stderr is not exactly \"$re\""
	elif [ "$mode" != exact ] && ! grep -Eq -- "$re" "$ERR"; then
		why="stderr does not match /$re/"
	elif [ -s "$OUT" ] && ! python3 -c '
import sys
sys.path.insert(0, sys.argv[4])
import validate_json
d = validate_json.load_strict(sys.argv[1])
sys.exit(0 if d["exit_code"] == int(sys.argv[3]) and not d["changed"]
         and not validate_json.validate(d) else 1)' "$OUT" "$ERR" "$want" "$TS_TOP/tests/lib" 2>/dev/null; then
		why="something on stdout (not a --json document that matches its schema)"
	fi
	if [ -z "$why" ]; then
		ts_pass "errors: $name"
	else
		ts_fail "errors: $name: $why"
		sed 's/^/    stderr: /' "$ERR" | head -5
		sed 's/^/    stdout: /' "$OUT" | head -3
	fi
}

# copy NAME: a fresh copy of the base machine in $WORK/NAME
copy() {
	cp -a "$BASE" "$WORK/$1"
	echo "$WORK/$1"
}

# --- interface names -----------------------------------------------------
run "$MQTUNE" --sysroot "$BASE" show eth9
verdict "unknown interface" 3 "mqtune: eth9: no such network interface" exact
run "$MQTUNE" --sysroot "$BASE" show --json eth0 eth9
verdict "unknown interface after a good one (--json)" 3 \
	"mqtune: eth9: no such network interface" exact
run "$MQTUNE" --sysroot "$BASE" show abcdefghijklmno
verdict "unknown 15-character name" 3 \
	"mqtune: abcdefghijklmno: no such network interface" exact
# 16 to 127 bytes: an alternative name could be that long; in a sysroot
# there is no altname source, so it is no interface (test_stack.sh)
run "$MQTUNE" --sysroot "$BASE" show abcdefghijklmnop
verdict "unknown 16-character name (could be an altname)" 3 \
	"mqtune: abcdefghijklmnop: no such network interface" exact
for bad in "eth0/queues" ".." "." "eth0/../eth1" "a b"; do
	run "$MQTUNE" --sysroot "$BASE" show "$bad"
	verdict "invalid name '$bad'" 3 "invalid interface name"
done

# --- the sysroot ----------------------------------------------------------
# a bad --sysroot is a bad option value (2), said forwards
run "$MQTUNE" --sysroot /nonexistent show eth0
verdict "--sysroot /nonexistent" 2 \
	"mqtune: --sysroot /nonexistent: No such file or directory" exact
run "$MQTUNE" --sysroot "$WORK/gen" show eth0
verdict "--sysroot names a file" 2 "^mqtune: --sysroot .*/gen: Not a directory$"
run "$MQTUNE" --sysroot '' show eth0
verdict "--sysroot ''" 2 "mqtune: --sysroot: empty path" exact
run "$MQTUNE" --sysroot= show eth0
verdict "--sysroot=" 2 "mqtune: --sysroot: empty path" exact
run "$MQTUNE" --sysroot "$BASE" show ''
verdict "empty interface name" 3 "mqtune: empty interface name" exact
run "$MQTUNE" --sysroot "$BASE" auto --dry-run eth0 ''
verdict "empty interface name (auto)" 3 "mqtune: empty interface name" exact

# the good case first, so a failure below means what it says
run "$MQTUNE" --sysroot "$BASE" show --json eth0 eth1
if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ] && python3 "$VALIDATE" "$OUT" &&
	python3 "$CHECK" --sysroot "$BASE" "$BASE/truth.json" "$OUT" >"$WORK/res" 2>&1; then
	ts_pass "errors: base machine shows cleanly"
else
	ts_fail "errors: base machine: exit $RC"
	cat "$ERR" "$WORK/res" 2>/dev/null | sed 's/^/    /' | head -10
fi

# malformed files: exit 5 and the file named
d=$(copy garbage-online)
echo garbage >"$d/sys/devices/system/cpu/online"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "garbage in cpu/online" 5 "online"

irq=$(python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))
print(t["interfaces"][0]["queues"][1]["irq"])' "$BASE/truth.json")
d=$(copy garbage-affinity)
echo garbage >"$d/proc/irq/$irq/smp_affinity_list"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "garbage in irq/$irq/smp_affinity_list" 5 "smp_affinity_list"

d=$(copy garbage-rps)
echo zz >"$d/sys/class/net/eth0/queues/rx-2/rps_cpus"
run "$MQTUNE" --sysroot "$d" show --json eth0
verdict "\"zz\" in rx-2/rps_cpus" 5 "rps_cpus"

d=$(copy garbage-local)
echo 0-x >"$d/sys/class/net/eth0/device/local_cpulist"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "garbage in local_cpulist" 5 "local_cpulist"

# unreadable files (tests run as root: a directory or a dangling symlink
# stands in for a file that cannot be read)
d=$(copy dir-rps)
f="$d/sys/class/net/eth0/queues/rx-1/rps_cpus"
rm "$f" && mkdir "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "a directory for rx-1/rps_cpus" 5 "rps_cpus"

d=$(copy dir-affinity)
f="$d/proc/irq/$irq/smp_affinity_list"
rm "$f" && mkdir "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "a directory for irq/$irq/smp_affinity_list" 5 "smp_affinity_list"

d=$(copy dangling-online)
f="$d/sys/devices/system/cpu/online"
rm "$f" && ln -s online.gone "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "dangling symlink for cpu/online" 5 "online"

d=$(copy dangling-possible)
f="$d/sys/devices/system/cpu/possible"
rm "$f" && ln -s /nonexistent/possible "$f"
run "$MQTUNE" --sysroot "$d" show eth0
verdict "dangling absolute symlink for cpu/possible" 5 "possible"

# /proc/interrupts is only needed when nothing else names the IRQs
d=$(copy no-interrupts)
rm "$d/proc/interrupts"
run "$MQTUNE" --sysroot "$d" show --json eth0 eth1
if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ] &&
	python3 "$CHECK" --sysroot "$d" "$d/truth.json" "$OUT" >"$WORK/res" 2>&1; then
	ts_pass "errors: no /proc/interrupts, names from actions files"
else
	ts_fail "errors: no /proc/interrupts, names from actions files: exit $RC"
	cat "$ERR" "$WORK/res" 2>/dev/null | sed 's/^/    /' | head -10
fi

# --- the command line -----------------------------------------------------
run "$MQTUNE"
if [ "$RC" -eq 2 ] && grep -qi usage "$ERR" && [ ! -s "$OUT" ]; then
	ts_pass "errors: no arguments: usage on stderr, exit 2"
else
	ts_fail "errors: no arguments: exit $RC (want 2, usage on stderr only)"
	head -3 "$ERR" "$OUT" | sed 's/^/    /'
fi

run "$MQTUNE" --help
if [ "$RC" -eq 0 ] && grep -qw show "$OUT" && grep -qi 'exit' "$OUT" &&
	grep -Eq '(^|[^0-9])3([^0-9]|$)' "$OUT" &&
	grep -Eq '(^|[^0-9])5([^0-9]|$)' "$OUT" && [ ! -s "$ERR" ]; then
	ts_pass "errors: --help: exit 0, mentions show and the exit statuses"
else
	ts_fail "errors: --help: exit $RC, or stdout lacks \"show\"/exit statuses"
	head -5 "$OUT" "$ERR" | sed 's/^/    /'
fi

run "$MQTUNE" --version
if [ "$RC" -eq 0 ] && grep -Eq '[0-9]+\.[0-9]+' "$OUT" && [ ! -s "$ERR" ]; then
	ts_pass "errors: --version"
else
	ts_fail "errors: --version: exit $RC"
	head -3 "$OUT" "$ERR" | sed 's/^/    /'
fi

for args in "--bogus" "--sysroot $BASE show --bogus eth0" "frobnicate"; do
	# shellcheck disable=SC2086 # split on purpose
	run "$MQTUNE" $args
	if [ "$RC" -eq 2 ] && [ -s "$ERR" ] && [ ! -s "$OUT" ]; then
		ts_pass "errors: '$args': exit 2"
	else
		ts_fail "errors: '$args': exit $RC (want 2 and a message on stderr)"
		head -3 "$ERR" "$OUT" | sed 's/^/    /'
	fi
done

# option values: the message names what would be valid
run "$MQTUNE" --sysroot "$BASE" auto --dry-run --backlog 0 eth0
verdict "--backlog 0 names the range" 2 \
	"mqtune: --backlog: '0' is not auto, keep or a number from 1 to 2147483647" exact
run "$MQTUNE" --sysroot "$BASE" auto --dry-run --backlog 99999999999 eth0
verdict "--backlog 99999999999 names the range" 2 "from 1 to 2147483647$"
run "$MQTUNE" --sysroot "$BASE" auto --dry-run --wait 86401 eth0
verdict "--wait 86401 names the range" 2 \
	"mqtune: --wait: '86401' is not a number of seconds from 0 to 86400" exact
run "$MQTUNE" --json=1 --sysroot "$BASE" show eth0
verdict "--json=1" 2 "mqtune: --json: takes no value (given '1')" exact
run "$MQTUNE" --sysroot "$BASE" show --quiet=yes eth0
verdict "--quiet=yes after the command" 2 "^mqtune: --quiet: takes no value"
run "$MQTUNE" --sysroot "$BASE" show eth0 --wait
verdict "--wait without a value" 2 "mqtune: --wait: needs a value (see mqtune --help)" exact
run "$MQTUNE" --sysroot "$BASE" -x show eth0
verdict "-x" 2 "mqtune: -x: unknown option (see mqtune --help)" exact
run "$MQTUNE" --e=netlink --sysroot "$BASE" show eth0
verdict "--e (ambiguous)" 2 "mqtune: --e: ambiguous option"
run "$MQTUNE" --sysroot "$BASE" show -p eth0
verdict "--pretty without --json" 2 "only with --json"

# -j is one line, -j -p indents; the same document
run "$MQTUNE" --sysroot "$BASE" show -j eth0
cp "$OUT" "$WORK/compact.json"
run "$MQTUNE" --sysroot "$BASE" show -j -p eth0
if [ "$(wc -l <"$WORK/compact.json")" -eq 1 ] && [ "$(wc -l <"$OUT")" -gt 20 ] &&
	python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' \
		"$WORK/compact.json" "$OUT"; then
	ts_pass "errors: -j prints one line, -j -p the same document indented"
else
	ts_fail "errors: -j $(wc -l <"$WORK/compact.json") lines, -j -p $(wc -l <"$OUT") lines"
fi
run "$MQTUNE" --sysroot "$BASE" auto --dry-run --json --pretty eth0
if [ "$RC" -eq 0 ] && [ "$(wc -l <"$OUT")" -gt 20 ] && python3 "$VALIDATE" "$OUT"; then
	ts_pass "errors: auto --json --pretty indents"
else
	ts_fail "errors: auto --json --pretty: exit $RC, $(wc -l <"$OUT") lines"
fi

# show refuses an option of auto by the name it was given
run "$MQTUNE" --sysroot "$BASE" show eth0 --wait 3
verdict "show --wait" 2 "mqtune: show: --wait is an option of auto, not of show" exact
run "$MQTUNE" --sysroot "$BASE" show -jn eth0
verdict "show -jn (in a cluster)" 2 "mqtune: show: -n is an option of auto, not of show"

# no arguments: one "mqtune:" line and a short usage line, not the help
run "$MQTUNE"
if [ "$RC" -eq 2 ] && [ ! -s "$OUT" ] && [ "$(wc -l <"$ERR")" -eq 2 ] &&
	[ "$(head -1 "$ERR")" = "mqtune: no command given" ] &&
	sed -n 2p "$ERR" | grep -q '^Usage: mqtune .*--help'; then
	ts_pass "errors: no arguments: one message and a usage line, exit 2"
else
	ts_fail "errors: no arguments: exit $RC, $(wc -l <"$ERR") lines on stderr (want 2)"
	head -3 "$ERR" | sed 's/^/    /'
fi

# --help: -h and -V are global options, not options of auto
run "$MQTUNE" --help
if sed -n '/^Options of auto/,/^$/p' "$OUT" | grep -Eq -- '--help|--version'; then
	ts_fail "errors: --help lists -h/-V under \"Options of auto\""
elif ! sed -n '/^Options:/,/^$/p' "$OUT" | grep -q -- '--help'; then
	ts_fail "errors: --help does not list -h under the global options"
else
	ts_pass "errors: --help lists -h/-V with the global options"
fi

# --- irqbalance and -q ----------------------------------------------------
IRQB="$WORK/irqb"
if python3 "$GEN" -q "$IRQB" --cpus 4 --nodes 1 --smt 1 --nic ice:eth0:2 \
	--nic veth:veth0:2 --irqbalance 4242 >"$WORK/gen" 2>&1; then
	cp -a "$IRQB" "$WORK/irqb2"
	run "$MQTUNE" --sysroot "$IRQB" auto --irqbalance fail veth0
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then
		ts_pass "errors: --irqbalance fail on a device without IRQs runs (exit 0)"
	else
		ts_fail "errors: --irqbalance fail on veth0: exit $RC (want 0)"
		head -3 "$ERR" | sed 's/^/    /'
	fi
	run "$MQTUNE" --sysroot "$IRQB" auto --dry-run veth0
	if [ "$RC" -eq 0 ] && ! grep -q irqbalance "$OUT"; then
		ts_pass "errors: no irqbalance warning for a device without IRQs"
	else
		ts_fail "errors: irqbalance warning for veth0 (exit $RC)"
		grep irqbalance "$OUT" | sed 's/^/    /'
	fi
	run "$MQTUNE" --sysroot "$IRQB" auto --dry-run eth0
	if grep -q 'irqbalance is running (pid 4242) and may move the 2 IRQs placed here' "$OUT" &&
		! grep -q 'these IRQs' "$OUT"; then
		ts_pass "errors: irqbalance warning counts the IRQs placed"
	else
		ts_fail "errors: irqbalance warning does not count the placed IRQs"
		grep irqbalance "$OUT" | sed 's/^/    /'
	fi
	run "$MQTUNE" --sysroot "$IRQB" auto --irqbalance fail eth0
	verdict "--irqbalance fail with IRQs to place" 9 \
		"irqbalance is running \(pid 4242\) and would undo the affinity of the 2 IRQs"
	run "$MQTUNE" --sysroot "$IRQB" auto --dry-run --json --irqbalance fail eth0
	verdict "--irqbalance fail, dry run: changed false, status refused" 9 \
		"irqbalance is running \(pid 4242\)"
	run "$MQTUNE" --sysroot "$IRQB" -q auto eth0
	if [ "$RC" -eq 0 ] && [ ! -s "$OUT" ] &&
		grep -q '^mqtune: warning: irqbalance is running (pid 4242)' "$ERR"; then
		ts_pass "errors: -q: the warnings of a real run go to stderr"
	else
		ts_fail "errors: -q real run: exit $RC, warning on stderr: $(grep -c warning "$ERR")"
		head -3 "$ERR" "$OUT" | sed 's/^/    /'
	fi
	run "$MQTUNE" --sysroot "$IRQB" -q auto eth0
	if [ "$RC" -eq 0 ] && [ ! -s "$OUT" ] && grep -q '^mqtune: warning: irqbalance' "$ERR"; then
		ts_pass "errors: -q: warnings also when nothing changes"
	else
		ts_fail "errors: -q second run: exit $RC"
	fi

	# --- the report cannot be written (status 11, after the apply) -------
	if [ -w /dev/full ]; then
		"$MQTUNE" --sysroot "$WORK/irqb2" auto --irqbalance ignore eth0 \
			>/dev/full 2>"$ERR"
		RC=$?
		: >"$OUT"
		verdict "auto >/dev/full: applied, report not written" 11 \
			"^mqtune: standard output: cannot write the report: No space left on device; the [0-9]+ changes stay applied$"
		"$MQTUNE" --sysroot "$WORK/irqb2" show --json eth0 >/dev/full 2>"$ERR"
		RC=$?
		verdict "show --json >/dev/full" 11 \
			"mqtune: standard output: cannot write the report: No space left on device" exact
		"$MQTUNE" --sysroot "$WORK/irqb2" auto --dry-run eth0 >/dev/full 2>"$ERR"
		RC=$?
		verdict "auto --dry-run >/dev/full" 11 "nothing was changed$"
	else
		ts_skip "errors: /dev/full not writable"
	fi
else
	ts_fail "errors: mkmachine.py failed for the irqbalance machine"
	sed 's/^/    /' "$WORK/gen"
fi

# --- hostile names: control bytes and bytes that are not UTF-8 ----------
# rename_in DIR OLD NEW-HEX: rename OLD to the bytes NEW everywhere in a
# machine (directories, symlinks, file contents), as if the kernel had
# named it so.
rename_in() {
	python3 - "$@" <<'PY'
import os, sys
root, old, new = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2]), bytes.fromhex(sys.argv[3])
def walk(d):
    for e in os.scandir(d):
        yield e
        if e.is_dir(follow_symlinks=False):
            yield from walk(e.path)
entries = list(walk(root))
for e in entries:
    if e.is_symlink():
        t = os.readlink(e.path)
        if old in t:
            os.unlink(e.path)
            os.symlink(t.replace(old, new), e.path)
    elif e.is_file() and not e.path.endswith(b"truth.json"):
        data = open(e.path, "rb").read()
        if old in data:
            mode = os.stat(e.path).st_mode
            with open(e.path, "wb") as f:
                f.write(data.replace(old, new))
            os.chmod(e.path, mode)
for e in sorted(entries, key=lambda e: -len(e.path)):
    base = os.path.basename(e.path)
    if old in base:
        os.rename(e.path, os.path.join(os.path.dirname(e.path), base.replace(old, new)))
PY
}
# strict_json FILE NAME...: FILE is strict UTF-8 JSON, and each NAME (a
# Python literal) is among its interfaces' names or vector names.
strict_json() {
	python3 - "$@" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
doc = json.loads(raw.decode("utf-8"))     # strict: fails on bytes that are not UTF-8
names = set()
for i in doc.get("interfaces", []):
    names.add(i["name"])
    for q in i.get("queues", []):
        names.update(v["name"] for v in q["vectors"])
    names.update(v["name"] for v in i.get("other_irqs", []))
missing = [n for n in sys.argv[2:] if eval(n) not in names]
sys.exit(1 if missing else 0)
PY
}
HOST="$WORK/hostile"
BADIF=$'e\xffth0'
if cp -a "$BASE" "$HOST" &&
	rename_in "$HOST" eth0 "$(printf 'e\xffth0' | od -An -tx1 | tr -d ' \n')" &&
	rename_in "$HOST" virtio1-config "$(printf 'virtio1-\033[31mconfig' | od -An -tx1 | tr -d ' \n')"; then
	run "$MQTUNE" --sysroot "$HOST" show "$BADIF" eth1
	if [ "$RC" -eq 0 ] && ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f\xff]' "$OUT" &&
		grep -qF 'e\xffth0: driver ice' "$OUT" && grep -qF 'virtio1-\x1b[31mconfig' "$OUT"; then
		ts_pass "errors: show escapes ESC and bytes that are not UTF-8 in names"
	else
		ts_fail "errors: show prints names raw (exit $RC)"
		LC_ALL=C grep -n $'[\x1b\xff]' "$OUT" | cat -v | head -3 | sed 's/^/    /'
	fi
	run "$MQTUNE" --sysroot "$HOST" show --json "$BADIF" eth1
	if [ "$RC" -eq 0 ] && strict_json "$OUT" "'e\\u00ffth0'" "'virtio1-\\x1b[31mconfig'"; then
		ts_pass "errors: show --json is strict UTF-8 (byte 0xff as U+00FF)"
	else
		ts_fail "errors: show --json with a name that is not UTF-8 (exit $RC)"
	fi
	run "$MQTUNE" --sysroot "$HOST" auto --dry-run --json "$BADIF"
	if [ "$RC" -eq 0 ] && strict_json "$OUT" "'e\\u00ffth0'"; then
		ts_pass "errors: auto --json is strict UTF-8"
	else
		ts_fail "errors: auto --json with a name that is not UTF-8 (exit $RC)"
	fi
	run "$MQTUNE" --sysroot "$HOST" auto --dry-run "$BADIF"
	if [ "$RC" -eq 0 ] && ! LC_ALL=C grep -q $'[\x1b\xff]' "$OUT" &&
		grep -qF 'e\xffth0: driver ice' "$OUT"; then
		ts_pass "errors: auto's text report escapes names"
	else
		ts_fail "errors: auto's text report prints names raw (exit $RC)"
	fi
else
	ts_fail "errors: could not build the machine with hostile names"
fi
run "$MQTUNE" --sysroot "$BASE" show --json $'\xffnone'
if [ "$RC" -eq 3 ] && python3 -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
sys.exit(0 if d["error"].startswith("\u00ffnone") else 1)' "$OUT" 2>/dev/null; then
	ts_pass "errors: the error document is strict UTF-8"
else
	ts_fail "errors: error document with a name that is not UTF-8 (exit $RC)"
fi
run "$MQTUNE" --sysroot "$BASE" show --json $'\xffnone'
: >"$OUT"
verdict "a name that is not UTF-8, escaped in the message" 3 \
	'^mqtune: \\xffnone: no such network interface$'
run "$MQTUNE" --sysroot "$BASE" show $'eth\n0'
verdict "a name with a newline: one line" 3 '^mqtune: eth\\x0a0: invalid interface name'
run "$MQTUNE" --sysroot "$BASE" show $'\033[2J'
verdict "a name with ESC: escaped" 3 '^mqtune: \\x1b\[2J: invalid interface name'
run "$MQTUNE" --sysroot "$BASE" auto --dry-run --cpus $'0\n1' eth0
verdict "--cpus with a newline: one line" 2 \
	"^mqtune: --cpus: '0\\\\x0a1' is not a CPU list"
exit 0
