#!/bin/bash
# test_config.sh - the config file (docs/config.md) on synthetic machines:
# every key reaches the plan, every section kind matches, the command line
# wins over the file, bad files stop with status 13 and write nothing, a
# missing default file is fine and a missing --config file is not, the
# default file is looked up below --sysroot and --config on the host;
# `mqtune config` text and --json (validated against its schema).
#
# MQTUNE: the binary (default ./mqtune).
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

VALIDATE="$TS_TOP/tests/lib/validate_json.py"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "config: mqtune binary $MQTUNE not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	ts_skip "config: python3 not installed"
	exit 0
fi

ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
OUT="$WORK/out" ERR="$WORK/err"

# Two ixgbe NICs and a virtio one on 8 CPUs (4 cores x 2 threads).
if ! ts_gen base --cpus 8 --nodes 1 --smt 2 --nic ixgbe:eth0:4 \
	--nic ixgbe:eth1:4 --nic virtio_net:ens3:2 --irqbalance 4242; then
	ts_fail "config: mkmachine.py failed"
	exit 0
fi

# snapshot DIR: checksum and mtime of every file, the lock file excepted.
snapshot() {
	(cd "$1" && find . -path ./run -prune -o -type f -printf '%p %T@ ' -exec md5sum {} \; | sort)
}

# copy NAME: a fresh copy of the base machine in $WORK/NAME
copy() {
	rm -rf "${WORK:?}/$1"
	cp -a "$WORK/base" "$WORK/$1"
	mkdir -p "$WORK/$1/etc"
	echo "$WORK/$1"
}

run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# field JSON-FILE PYTHON-EXPR: print the expression over the document d
field() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# opt IFACE KEY: "value source line" of KEY for IFACE in $OUT (config --json)
opt() {
	field "$OUT" "(lambda o: '%s %s %s' % (o['value'], o['source'], o['line']))(
		[i for i in d['interfaces'] if i['name'] == '$1'][0]['options']['$2']
		if '$2' not in ('wait', 'irqbalance') else d['global']['$2'])"
}

# expect NAME GOT WANT
expect() {
	if [ "$2" = "$3" ]; then
		ts_pass "config: $1"
	else
		ts_fail "config: $1: got '$2', want '$3'"
		sed 's/^/    stderr: /' "$ERR" | head -3
	fi
}

valid() {
	if python3 "$VALIDATE" "$OUT" >"$WORK/v" 2>&1; then
		ts_pass "config: $1: the JSON matches docs/schema"
	else
		ts_fail "config: $1: the JSON does not match its schema"
		sed 's/^/    /' "$WORK/v" | head -5
	fi
}

# --- no file at all: every value a default, auto works -------------------
d=$(copy none)
run "$MQTUNE" -R "$d" config --json eth0
expect "no file: status" "$RC" 0
expect "no file: present" "$(field "$OUT" "d['config']['present']")" False
expect "no file: rps" "$(opt eth0 rps)" "auto default None"
expect "no file: cpus" "$(opt eth0 cpus)" "None default None"
expect "no file: wait" "$(opt eth0 wait)" "10 default None"
valid "no file"
run "$MQTUNE" -R "$d" auto -n --irqbalance ignore eth0
expect "no file: auto -n" "$RC" 0

# --- a missing --config file is an error (13), one line ------------------
run "$MQTUNE" -R "$d" --config "$WORK/nothere.conf" auto -n eth0
expect "missing --config: status" "$RC" 13
expect "missing --config: message" "$(cat "$ERR")" \
	"mqtune: $WORK/nothere.conf: No such file or directory"

# --- every key, each in the kind of section that can hold it -------------
d=$(copy keys)
cat >"$d/etc/mqtune.conf" <<'CONF'
# mqtune.conf for the test machine
[global]
irqbalance = ignore
wait = 3
backlog = 5000
rps-scope = machine

[driver ixgbe]
xps = off

[interface "eth*"]
rps = off

[pci 0000:19:00.0]
cpus = 4-7

[interface eth0]
exclude-cpus = "2-3"
CONF
run "$MQTUNE" -R "$d" config --json eth0 eth1 ens3
expect "keys: status" "$RC" 0
valid "keys"
expect "keys: irqbalance [global]" "$(opt eth0 irqbalance)" "ignore file 3"
expect "keys: wait [global]" "$(opt eth0 wait)" "3 file 4"
expect "keys: backlog [global]" "$(opt ens3 backlog)" "5000 file 5"
expect "keys: rps-scope [global]" "$(opt eth1 rps-scope)" "machine file 6"
expect "keys: xps [driver]" "$(opt eth1 xps)" "off file 9"
expect "keys: xps not for virtio" "$(opt ens3 xps)" "auto default None"
expect "keys: rps [interface glob]" "$(opt eth0 rps)" "off file 12"
expect "keys: rps glob not ens3" "$(opt ens3 rps)" "auto default None"
expect "keys: cpus [pci]" "$(opt eth1 cpus)" "4-7 file 15"
expect "keys: cpus [pci] not eth0" "$(opt eth0 cpus)" "None default None"
expect "keys: exclude-cpus [interface name], quoted" "$(opt eth0 exclude-cpus)" "2-3 file 18"
expect "keys: eth0 named" "$(field "$OUT" "[i['named'] for i in d['interfaces']]")" \
	"[True, True, False]"
expect "keys: eth0 sections" "$(field "$OUT" "[(s['kind'], s['line']) for s in d['interfaces'][0]['sections']]")" \
	"[('driver', 8), ('glob', 11), ('interface', 17)]"

# The values reach the tree: a real run on eth1 (cpus 4-7 from [pci],
# xps off, rps off, backlog 5000; irqbalance runs but the file ignores it).
run "$MQTUNE" -R "$d" auto eth1
expect "keys: auto eth1" "$RC" 0
aff=""
for q in 0 1 2 3; do
	irq=$(grep -E "eth1-TxRx-$q\$" "$d/proc/interrupts" | awk '{print $1}' | tr -d :)
	aff="$aff $(cat "$d/proc/irq/$irq/smp_affinity_list")"
done
# the machine-wide plan keeps eth1 off eth0's homes first: a set of 4-7
aff=$(echo $aff | tr ' ' '\n' | sort -n | tr '\n' ' ')
expect "keys: eth1 queue IRQs on CPUs 4-7" "$aff" "4 5 6 7 "
expect "keys: backlog 5000" "$(cat "$d/proc/sys/net/core/netdev_max_backlog")" 5000
xps=$(cat "$d"/sys/class/net/eth1/queues/tx-*/xps_cpus | sort -u)
expect "keys: xps off" "$xps" "00"
rps=$(cat "$d"/sys/class/net/eth1/queues/rx-*/rps_cpus | sort -u)
expect "keys: rps off" "$rps" "00"

# eth0 and eth1 get other options from the file: one run places each
# with its own (eth0: exclude-cpus 2-3; eth1: cpus 4-7)
run "$MQTUNE" -R "$d" --json auto -n eth0 eth1
expect "keys: eth0+eth1 in one run: status" "$RC" 0
expect "keys: eth0+eth1 in one run: eth0's IRQs avoid its exclude-cpus 2-3" \
	"$(field "$OUT" "sorted({c['new'] for c in d['changes'] if c['object'].startswith('eth0 IRQ')} & {'2', '3'}) or len([c for c in d['changes'] if c['object'].startswith('eth0 IRQ')]) > 0")" \
	"True"

# wait = 3 from [global] reaches the lock: a held lock is given up after
# about 3 s (not the default 10), and --wait 0 overrides the file.
if command -v flock >/dev/null; then
	mkdir -p "$d/run"
	flock "$d/run/mqtune.lock" sleep 8 &
	holder=$!
	sleep 0.3
	start=$(date +%s)
	run "$MQTUNE" -R "$d" auto eth1
	took=$(( $(date +%s) - start ))
	if [ "$RC" -eq 6 ] && [ "$took" -ge 2 ] && [ "$took" -le 5 ]; then
		ts_pass "config: wait = 3 from the file: lock given up after ${took}s"
	else
		ts_fail "config: wait = 3 from the file: rc $RC after ${took}s (want 6 after ~3s)"
	fi
	start=$(date +%s)
	run "$MQTUNE" -R "$d" auto --wait 0 eth1
	took=$(( $(date +%s) - start ))
	[ "$RC" -eq 6 ] && [ "$took" -le 1 ] &&
		ts_pass "config: --wait 0 over the file's wait = 3" ||
		ts_fail "config: --wait 0 over the file: rc $RC after ${took}s"
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
else
	ts_skip "config: flock(1) not installed"
fi

# --- the command line wins over the file ---------------------------------
run "$MQTUNE" -R "$d" config --json --cpus 0-1 --rps auto --wait 7 \
	--irqbalance fail eth1
expect "cmdline: cpus" "$(opt eth1 cpus)" "0-1 command-line None"
expect "cmdline: rps" "$(opt eth1 rps)" "auto command-line None"
expect "cmdline: wait" "$(opt eth1 wait)" "7 command-line None"
expect "cmdline: xps still from the file" "$(opt eth1 xps)" "off file 9"
valid "cmdline"
run "$MQTUNE" -R "$d" auto -n --irqbalance fail eth1
expect "cmdline: --irqbalance fail over the file's ignore: status 9" "$RC" 9
run "$MQTUNE" -R "$d" auto -n --json --cpus 0-1 eth1
expect "cmdline: --cpus over [pci]" \
	"$(field "$OUT" "sorted(set(q['home_cpu'] for i in d['interfaces'] for q in i['queues']))")" \
	"[0, 1]"

# --- precedence among sections: name > pci > glob > driver > global;
#     among globs the later one ---------------------------------------------
d=$(copy prec)
cat >"$d/etc/mqtune.conf" <<'CONF'
[interface eth0]
backlog = 100
[pci 0000:11:00.0]
backlog = 200
rps = keep
[interface "e*"]
rps = off
xps = keep
[interface "eth?"]
xps = off
rps-scope = machine
[driver ixgbe]
rps-scope = node
cpus = 1
[global]
cpus = 2
CONF
run "$MQTUNE" -R "$d" config --json eth0 ens3
expect "prec: name over pci" "$(opt eth0 backlog)" "100 file 2"
expect "prec: pci over glob" "$(opt eth0 rps)" "keep file 5"
expect "prec: later glob" "$(opt eth0 xps)" "off file 10"
expect "prec: glob over driver" "$(opt eth0 rps-scope)" "machine file 11"
expect "prec: driver over global" "$(opt eth0 cpus)" "1 file 14"
expect "prec: global" "$(opt ens3 cpus)" "2 file 16"
expect "prec: glob e* for ens3" "$(opt ens3 rps)" "off file 7"

# --- bad files: status 13, one line FILE:LINE: cause, nothing written ------
bad() {
	local name=$1 want=$2 d before after
	d=$(copy "bad-$name")
	cat >"$d/etc/mqtune.conf"
	before=$(snapshot "$d")
	run "$MQTUNE" -R "$d" auto --irqbalance ignore eth0
	after=$(snapshot "$d")
	if [ "$RC" -eq 13 ] && [ "$(cat "$ERR")" = "mqtune: $d/etc/mqtune.conf:$want" ] &&
		[ ! -s "$OUT" ] && [ "$before" = "$after" ]; then
		ts_pass "config: bad $name: status 13, '$want', tree unchanged"
	else
		ts_fail "config: bad $name: rc $RC, unchanged $([ "$before" = "$after" ] && echo yes || echo no)"
		sed 's/^/    stderr: /' "$ERR" | head -3
		echo "    want: mqtune: $d/etc/mqtune.conf:$want"
	fi
}
printf '[global]\nrps = off\n\n# typo\nrsp = off\n' | bad unknown-key "5: unknown key 'rsp'"
printf '[global]\nbacklog = lots\n' | bad bad-value \
	"2: backlog: 'lots' is not auto, keep or a number from 1 to 2147483647"
printf '[global]\ncpus = 0-3\n[interface eth0]\n[interface eth0]\n' | bad duplicate-section \
	"4: duplicate section [interface eth0] (first at line 3)"
printf '[global]\nrps off\n' | bad malformed "2: not KEY = VALUE, a [section] or a # comment"
printf '[global]\nxps = off\nxps = auto\n' | bad duplicate-key \
	"3: 'xps' given twice in [global] (first at line 2)"
printf '[interface eth0]\nwait = 5\n' | bad global-only "2: 'wait' is allowed in [global] only"
printf 'rps = off\n' | bad outside "1: 'rps' is outside any section (put it under [global])"
printf '[nic eth0]\n' | bad section "1: unknown section 'nic' (global, interface, driver or pci)"

# unreadable: a directory where the file should be; a file too large
d=$(copy unreadable)
mkdir "$d/etc/mqtune.conf"
before=$(snapshot "$d")
run "$MQTUNE" -R "$d" auto eth0
expect "unreadable: status" "$RC" 13
expect "unreadable: message" "$(cat "$ERR")" "mqtune: $d/etc/mqtune.conf: not a regular file"
expect "unreadable: tree unchanged" "$(snapshot "$d")" "$before"
d=$(copy large)
head -c 1048577 /dev/zero | tr '\0' '#' >"$d/etc/mqtune.conf"
run "$MQTUNE" -R "$d" auto eth0
expect "too large: status" "$RC" 13
expect "too large: message" "$(cat "$ERR")" "mqtune: $d/etc/mqtune.conf: larger than 1048576 bytes"
# a bad file and --json: the error document, status "config"
d=$(copy badjson)
printf '[global]\nrps = maybe\n' >"$d/etc/mqtune.conf"
run "$MQTUNE" -R "$d" auto --json eth0
expect "bad file --json: status" "$RC" 13
expect "bad file --json: document" "$(field "$OUT" "(d['status'], d['exit_code'])")" "('config', 13)"
valid "bad file --json"

# --- where the files are looked for ---------------------------------------
# The default file is the sysroot's; --config is a host path, relative to
# the current directory and never to the sysroot.
d=$(copy where)
printf '[global]\nwait = 11\n' >"$d/etc/mqtune.conf"
printf '[global]\nwait = 22\n' >"$d/etc/other.conf"
run "$MQTUNE" -R "$d" config --json eth0
expect "sysroot: default file below it" "$(opt eth0 wait)" "11 file 2"
expect "sysroot: its path named" "$(field "$OUT" "d['config']['path']")" "$d/etc/mqtune.conf"
(cd "$WORK" && "$MQTUNE" -R "$d" --config /etc/other.conf config eth0 >"$OUT" 2>"$ERR")
expect "sysroot: --config /etc/other.conf is the host's, not the sysroot's" \
	"$(cat "$ERR")" "mqtune: /etc/other.conf: No such file or directory"
(cd "$d/etc" && "$MQTUNE" -R "$d" --config other.conf config --json eth0 >"$OUT" 2>"$ERR")
expect "sysroot: --config relative to the current directory" "$(opt eth0 wait)" "22 file 2"
run "$MQTUNE" -R "$d" --config "$d/etc/other.conf" config --json eth0
expect "sysroot: --config absolute" "$(opt eth0 wait)" "22 file 2"

# --- mqtune config: text, --all --------------------------------------------
d=$(copy text)
printf '[global]\nrps = off\n[interface ens3]\nxps = keep\n' >"$d/etc/mqtune.conf"
run "$MQTUNE" -R "$d" config ens3 --backlog 3000
expect "text: status" "$RC" 0
expect "text: rps row" "$(grep -E '^  rps ' "$OUT" | tr -s ' ')" " rps off $d/etc/mqtune.conf:2 [global]"
expect "text: xps row" "$(grep -E '^  xps ' "$OUT" | tr -s ' ')" " xps keep $d/etc/mqtune.conf:4 [interface ens3]"
expect "text: backlog row" "$(grep -E '^  backlog ' "$OUT" | tr -s ' ')" " backlog 3000 command line"
expect "text: cpus row" "$(grep -E '^  cpus ' "$OUT" | tr -s ' ')" " cpus all default"
run "$MQTUNE" -R "$d" config --all --json
expect "--all: the interfaces the file names" "$(field "$OUT" "[i['name'] for i in d['interfaces']]")" "['ens3']"
valid "--all"
rm "$d/etc/mqtune.conf"
run "$MQTUNE" -R "$d" config --all --json
expect "--all without a file: every device" "$(field "$OUT" "[i['name'] for i in d['interfaces']]")" \
	"['ens3', 'eth0', 'eth1']"
run "$MQTUNE" -R "$d" config --all eth0
expect "--all with names: usage" "$RC" 2
run "$MQTUNE" -R "$d" config -n eth0
expect "config -n: usage" "$RC" 2
run "$MQTUNE" -R "$d" show --all
expect "show --all: usage (only config takes it here)" "$RC" 2
