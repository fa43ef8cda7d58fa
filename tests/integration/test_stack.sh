#!/bin/bash
# test_stack.sh - stacked devices on synthetic machines (mkmachine.py
# --stack): a bond, a VLAN over the bond, a bridge of veths and a macvlan
# resolve through their lower_* links to the devices below them, which are
# placed as if named (each once); `auto bond0` writes exactly what `auto
# eth0 eth1` writes; `check bond0`; a config [interface bond0] section;
# a loop and a chain deeper than the kernel's 8 levels are refused; long
# (alternative) names are not refused before resolution, and in a sysroot
# (no altname source) are "no such network interface".
#
# MQTUNE: the binary (default ./mqtune).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

VALIDATE="$TS_TOP/tests/lib/validate_json.py"
HASH="$TS_TOP/tests/lib/tree_hash.py"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "stack: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "stack: python3 not installed"
	exit 0
fi

ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
OUT="$WORK/out" ERR="$WORK/err"
ARROW=$'\xe2\x86\x92'

run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# expect NAME STATUS: the last run's exit status
expect() {
	if [ "$RC" -eq "$2" ]; then
		ts_pass "$1 (exit $2)"
	else
		ts_fail "$1: exit $RC, expected $2"
		sed 's/^/    /' "$ERR" | head -5
	fi
}

# has NAME FILE TEXT: FILE holds the fixed string TEXT
has() {
	if grep -qF -- "$3" "$2"; then
		ts_pass "$1"
	else
		ts_fail "$1: no '$3' in"
		sed 's/^/    /' "$2" | head -20
	fi
}

# json NAME PYTHON-EXPR: the expression over the document d of $OUT is true
json() {
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$OUT" "$2" 2>"$WORK/jerr"; then
		ts_pass "$1"
	else
		ts_fail "$1: not true: $2"
		head -c 2000 "$OUT" | sed 's/^/    /'
		sed 's/^/    /' "$WORK/jerr" | head -5
	fi
}

# Two NICs in a bond, a VLAN on the bond, a bridge of two veths, a
# macvlan on a veth, and a third NIC nobody names.
if ! ts_gen base --cpus 8 --nodes 1 --smt 2 --nic ixgbe:eth0:4 \
	--nic ixgbe:eth1:4 --nic ixgbe:eth2:2 --nic veth:veth0:1 --nic veth:veth1:1 \
	--stack bond:bond0:eth0,eth1 --stack vlan:vlan10:bond0 \
	--stack bridge:br0:veth0,veth1 --stack macvlan:mv0:veth1; then
	ts_fail "stack: mkmachine.py failed"
	exit 0
fi
B="$WORK/base"

# the layout the kernel makes: relative links both ways
if [ "$(readlink "$B/sys/class/net/bond0")" = ../../devices/virtual/net/bond0 ] &&
	[ -d "$B/sys/class/net/bond0/lower_eth0/queues" ] &&
	[ -d "$B/sys/class/net/eth1/upper_bond0/bonding" ] &&
	[ -d "$B/sys/class/net/br0/brif/veth0" ] &&
	[ "$(readlink "$B/sys/class/net/vlan10/lower_bond0")" = ../bond0 ]; then
	ts_pass "mkmachine --stack: lower_/upper_ links and brif as sysfs has them"
else
	ts_fail "mkmachine --stack: links not laid out as sysfs has them"
fi

# copy NAME: a fresh copy of the base machine
copy() {
	rm -rf "${WORK:?}/$1"
	cp -a "$B" "$WORK/$1"
	echo "$WORK/$1"
}

# --- show -----------------------------------------------------------------
run "$MQTUNE" --sysroot "$B" show bond0
expect "show bond0" 0
has "show bond0: the resolution" "$OUT" "warning: bond0 $ARROW eth0, eth1"
if grep -q '^eth0:' "$OUT" && grep -q '^eth1:' "$OUT" && ! grep -q '^bond0:' "$OUT" &&
	! grep -q '^eth2:' "$OUT"; then
	ts_pass "show bond0: eth0 and eth1, not the bond, not eth2"
else
	ts_fail "show bond0: wrong interfaces"; sed 's/^/    /' "$OUT" | grep -v '^  '
fi
run "$MQTUNE" --sysroot "$B" show --json vlan10
expect "show --json vlan10" 0
json "show --json vlan10: VLAN over a bond resolves to both NICs" \
	'[i["name"] for i in d["interfaces"]] == ["eth0", "eth1"]'
json "show --json vlan10: the note in JSON" \
	'{"code": "stacked-device", "object": "vlan10", "message": "vlan10 \u2192 eth0, eth1"} in d["warnings"]'
ts_check "show --json vlan10: schema" python3 "$VALIDATE" "$OUT"
run "$MQTUNE" --sysroot "$B" show br0
expect "show br0" 0
has "show br0: the bridge's ports" "$OUT" "br0 $ARROW veth0, veth1"

# --- auto: reached twice, placed once; non-physical leaves: RPS/XPS only ---
run "$MQTUNE" --sysroot "$B" auto --dry-run --json bond0 vlan10 eth1
expect "auto --dry-run bond0 vlan10 eth1" 0
json "auto bond0 vlan10 eth1: eth0 and eth1 once each" \
	'[i["name"] for i in d["interfaces"]] == ["eth0", "eth1"]'
json "auto bond0 vlan10 eth1: one note per name resolved" \
	'sorted(w["object"] for w in d["warnings"] if w["code"] == "stacked-device") == ["bond0", "vlan10"]'
ts_check "auto --json: schema" python3 "$VALIDATE" "$OUT"
run "$MQTUNE" --sysroot "$B" auto --dry-run --json br0
expect "auto --dry-run br0" 0
json "auto br0: the veth ports, RPS/XPS only (no IRQ)" \
	'[i["name"] for i in d["interfaces"]] == ["veth0", "veth1"] and all("/proc/irq/" not in c["path"] for c in d["changes"])'
run "$MQTUNE" --sysroot "$B" auto --dry-run mv0
expect "auto --dry-run mv0 (macvlan over a veth)" 0
has "auto mv0: macvlan → its veth" "$OUT" "mv0 $ARROW veth1"

# --- auto bond0 writes exactly what auto eth0 eth1 writes ------------------
S1=$(copy s1) S2=$(copy s2)
run "$MQTUNE" --sysroot "$S1" auto bond0
expect "auto bond0" 0
has "auto bond0: the report says the resolution" "$OUT" "bond0 $ARROW eth0, eth1"
run "$MQTUNE" --sysroot "$S2" auto eth0 eth1
expect "auto eth0 eth1" 0
if [ "$(python3 "$HASH" "$S1")" = "$(python3 "$HASH" "$S2")" ] &&
	[ "$(python3 "$HASH" "$S1")" != "$(python3 "$HASH" "$B")" ]; then
	ts_pass "auto bond0 and auto eth0 eth1: byte-identical trees (and changed)"
else
	ts_fail "auto bond0 and auto eth0 eth1 wrote different trees"
	diff <(python3 "$HASH" --list "$S1") <(python3 "$HASH" --list "$S2") | head -10
fi
if [ "$(cat "$S1/sys/devices/virtual/net/bond0/queues/rx-0/rps_cpus")" = \
	"$(cat "$B/sys/devices/virtual/net/bond0/queues/rx-0/rps_cpus")" ]; then
	ts_pass "auto bond0: the bond's own queue files untouched"
else
	ts_fail "auto bond0 wrote the bond's rps_cpus"
fi

# --- check ----------------------------------------------------------------
run "$MQTUNE" --sysroot "$S1" check bond0
expect "check bond0 after auto bond0: no drift" 0
run "$MQTUNE" --sysroot "$B" check --json bond0
expect "check bond0 on the untouched machine: drift" 12
json "check --json bond0: eth0 and eth1 checked" \
	'[i["name"] for i in d["interfaces"]] == ["eth0", "eth1"]'
json "check --json bond0: the note" \
	'any(w["code"] == "stacked-device" and w["object"] == "bond0" for w in d["warnings"])'
ts_check "check --json: schema" python3 "$VALIDATE" "$OUT"

# --- config [interface bond0] ---------------------------------------------
C=$(copy cfg)
mkdir -p "$C/etc"
printf '[interface bond0]\nrps = off\n' >"$C/etc/mqtune.conf"
run "$MQTUNE" --sysroot "$C" auto --dry-run --json
expect "config [interface bond0]: auto" 0
json "config [interface bond0]: manages eth0 and eth1 (not the bond, not eth2)" \
	'[i["name"] for i in d["interfaces"]] == ["eth0", "eth1"]'
json "config [interface bond0]: its rps = off applies to eth0 and eth1" \
	'not any("/rps_" in c["path"] for c in d["changes"])'
run "$MQTUNE" --sysroot "$C" config --json
expect "config [interface bond0]: config --json" 0
json "config --json: eth0 named through bond0's section" \
	'[i["name"] for i in d["interfaces"]] == ["eth0", "eth1"] and all(i["named"] for i in d["interfaces"])'
printf '[interface bond0]\nrps = off\n[interface eth1]\nrps = auto\n' >"$C/etc/mqtune.conf"
run "$MQTUNE" --sysroot "$C" auto --dry-run --json
json "config: [interface eth1] wins over [interface bond0] for eth1" \
	'any("eth1/queues/rx-0/rps_cpus" in c["path"] for c in d["changes"]) and not any("eth0/queues/rx-0/rps_cpus" in c["path"] for c in d["changes"])'

# --- refused: a loop, more than 8 levels ----------------------------------
if ts_gen loop --cpus 4 --nic ixgbe:eth0:2 --stack bond:bond1:bond2 \
	--stack bond:bond2:bond1; then
	run "$MQTUNE" --sysroot "$WORK/loop" auto --dry-run bond1
	expect "a loop of stacked devices" 5
	if [ "$(wc -l <"$ERR")" -eq 1 ] &&
		grep -qxF "mqtune: bond1: stacked devices form a loop: bond1 $ARROW bond2 $ARROW bond1" "$ERR"; then
		ts_pass "a loop: one clear line"
	else
		ts_fail "a loop: stderr"; sed 's/^/    /' "$ERR"
	fi
	run "$MQTUNE" --sysroot "$WORK/loop" show eth0
	expect "a loop elsewhere does not matter to show eth0" 0
else
	ts_fail "stack: mkmachine.py (loop) failed"
fi
# vlan chain: v1 over v2 ... over eth0; 8 devices deep is allowed, 9 not
chain() {	# chain N: --stack args for N devices, the top one v1, eth0 at the bottom
	local n=$1 i args=()
	for ((i = n - 1; i >= 1; i--)); do
		if [ "$i" -eq $((n - 1)) ]; then
			args+=(--stack "vlan:v$i:eth0")
		else
			args+=(--stack "vlan:v$i:v$((i + 1))")
		fi
	done
	printf '%s\n' "${args[@]}"
}
mapfile -t a8 < <(chain 8)
mapfile -t a9 < <(chain 9)
if ts_gen deep8 --cpus 4 --nic ixgbe:eth0:2 "${a8[@]}" &&
	ts_gen deep9 --cpus 4 --nic ixgbe:eth0:2 "${a9[@]}"; then
	run "$MQTUNE" --sysroot "$WORK/deep8" auto --dry-run v1
	expect "a chain of 8 devices (7 VLANs on eth0)" 0
	has "a chain of 8: resolves to eth0" "$OUT" "v1 $ARROW eth0"
	run "$MQTUNE" --sysroot "$WORK/deep9" auto --dry-run v1
	expect "a chain of 9 devices" 5
	has "a chain of 9: refused, naming the kernel's limit" "$ERR" \
		"mqtune: v1: stacked deeper than the kernel's 8 levels: v1 $ARROW v2"
else
	ts_fail "stack: mkmachine.py (chains) failed"
fi

# --- names longer than IFNAMSIZ-1: altnames, no source in a sysroot ------
long=uplink-with-a-long-alternative-name
run "$MQTUNE" --sysroot "$B" show "$long"
expect "a 35-byte name in a sysroot" 3
has "a long name: no such interface (not refused as invalid)" "$ERR" \
	"mqtune: $long: no such network interface"
run "$MQTUNE" --sysroot "$B" auto --dry-run "$long"
expect "auto with a long name in a sysroot" 3
big=$(printf 'x%.0s' $(seq 128))
run "$MQTUNE" --sysroot "$B" show "$big"
expect "a 128-byte name" 3
has "a 128-byte name: invalid (ALTIFNAMSIZ)" "$ERR" "invalid interface name (1-127 bytes"
printf '[interface %s]\nrps = off\n' "$long" >"$C/etc/mqtune.conf"
run "$MQTUNE" --sysroot "$C" config
expect "config [interface LONG-ALTNAME] parses" 0
