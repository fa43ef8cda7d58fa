#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_auto.sh - `mqtune auto` on synthetic machines (tests/gen/mkmachine.py):
# a dry run writes nothing; an apply writes the plan, which
# check_auto.py holds against the placement properties; a second apply
# writes nothing; a write failing half-way leaves the tree as it was with
# status 7; managed IRQs, the lock, irqbalance, bad options, a network
# namespace without the sysctls, and a 1024-CPU machine.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

CHECK="$TS_TOP/tests/integration/check_auto.py"
VALIDATE="$TS_TOP/tests/lib/validate_json.py"
if [ ! -x "$MQTUNE" ]; then
	ts_fail "auto: mqtune binary $MQTUNE not built"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

gen() { ts_gen "$@"; }	# gen NAME ARGS...: build a machine into $WORK/NAME

# snapshot DIR: checksum and mtime of every file, the lock file excepted.
snapshot() {
	(cd "$1" && find . -path ./run -prune -o -type f -printf '%p %T@ ' -exec md5sum {} \; | sort)
}

# contents DIR: checksum and mode of every file (a restore rewrites files,
# so their mtimes change, but not what they hold); not the state file,
# which keeps the originals recorded before an apply that was undone.
contents() {
	(cd "$1" && find . \( -path ./run -o -path ./var/lib/mqtune \) -prune -o \
		-type f -printf '%p %m ' -exec md5sum {} \; | sort)
}

# run_auto DIR ARGS...: run mqtune auto; output in $WORK/out, $WORK/err, rc in $rc.
run_auto() {
	local dir=$1
	shift
	"$MQTUNE" --sysroot "$dir" auto "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
}

one_line_stderr() {	# the failure message is exactly one line
	[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q '^mqtune: ' "$WORK/err"
}

# full_cycle NAME IFACES...: dry run, apply, check, re-apply.
full_cycle() {
	local name=$1 dir=$WORK/$1 before after
	shift
	before=$(snapshot "$dir")
	run_auto "$dir" --dry-run --json "$@"
	cp "$WORK/out" "$WORK/$name.plan.json"
	after=$(snapshot "$dir")
	if [ "$rc" -eq 0 ] && [ "$before" = "$after" ] && [ ! -e "$dir/run" ]; then
		ts_pass "auto $name: dry run writes nothing"
	else
		ts_fail "auto $name: dry run (rc $rc) changed the tree or failed"
		head -5 "$WORK/err"
	fi
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["dry_run"] and d["changed"] and d["changes"] and all(c["state"]=="planned" for c in d["changes"]) else 1)' "$WORK/$name.plan.json"; then
		ts_pass "auto $name: dry-run JSON lists planned changes"
	else
		ts_fail "auto $name: dry-run JSON lacks planned changes"
	fi
	run_auto "$dir" "$@"
	if [ "$rc" -eq 0 ] && grep -q 'changes\? applied' "$WORK/out" && [ ! -s "$WORK/err" ]; then
		ts_pass "auto $name: apply"
	else
		ts_fail "auto $name: apply rc $rc"
		head -5 "$WORK/err" "$WORK/out"
	fi
	"$MQTUNE" --sysroot "$dir" show --json "$@" >"$WORK/$name.show.json" 2>"$WORK/err"
	ts_check "auto $name: files hold the plan; placement properties" \
		python3 "$CHECK" "$WORK/$name.plan.json" "$WORK/$name.show.json"
	before=$(snapshot "$dir")
	if command -v strace >/dev/null; then
		strace -f -qq -e trace=openat,openat2 -o "$WORK/strace" \
			"$MQTUNE" --sysroot "$dir" auto "$@" >"$WORK/out" 2>"$WORK/err"
		rc=$?
	else
		run_auto "$dir" "$@"
	fi
	after=$(snapshot "$dir")
	if [ "$rc" -eq 0 ] && [ "$(cat "$WORK/out")" = "no changes" ] &&
		[ "$before" = "$after" ]; then
		ts_pass "auto $name: second run says 'no changes', tree untouched"
	else
		ts_fail "auto $name: second run rc $rc: $(head -3 "$WORK/out")"
	fi
	if [ -f "$WORK/strace" ]; then
		local writes
		writes=$(grep -c 'O_WRONLY' "$WORK/strace")
		if [ "$writes" -eq 0 ]; then
			ts_pass "auto $name: second run opens no file for writing (strace)"
		else
			ts_fail "auto $name: second run opened $writes files for writing"
		fi
		rm -f "$WORK/strace"
	fi
	run_auto "$dir" --json "$@"
	ts_check "auto $name: second run JSON says changed=false" python3 -c \
		'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if not d["changed"] and not d["changes"] and d["status"]=="ok" else 1)' "$WORK/out"
	ts_check "auto $name: second run JSON matches the schema" \
		python3 "$VALIDATE" "$WORK/out"
}

# 1. 64 CPUs, 2 nodes, SMT: fewer queues than cores (RPS), as many (no
#    RPS), separate rx/tx vectors, no NUMA node, a device without IRQs.
if gen m64 --cpus 64 --nodes 2 --smt 2 --nic ice:eth0:8:node=1 \
	--nic mlx5_core:eth1:64:node=0 --nic virtio_net:eth2:4:node=-1 \
	--nic veth:veth0:4 --speed eth0=25000 --speed eth1=10000 \
	--speed eth2=10000; then
	full_cycle m64 eth0 eth1 eth2 veth0
	grep -q 'no interrupt vectors' "$WORK/m64.plan.json" &&
		ts_pass "auto m64: veth noted as a device without IRQs" ||
		ts_fail "auto m64: no note for the device without IRQs"
	v=$(cat "$WORK/m64/proc/sys/net/core/netdev_max_backlog")
	[ "$v" = 100000 ] && ts_pass "auto m64: backlog raised for 25G" ||
		ts_fail "auto m64: netdev_max_backlog $v, want 100000"
else
	ts_fail "auto m64: mkmachine.py failed"
fi

# 2. 1024 CPUs, 8 nodes, SMT, 2 x 128 queues: masks far above 64 CPUs.
if gen m1024 --cpus 1024 --nodes 8 --smt 2 --nic mlx5_core:eth0:128:node=3 \
	--nic ice:eth1:128:node=5 --speed eth0=100000 --speed eth1=100000; then
	full_cycle m1024 eth0 eth1
	mask=$(cat "$WORK/m1024/sys/class/net/eth0/queues/tx-0/xps_cpus")
	groups=$(tr ',' '\n' <<<"$mask" | wc -l)
	[ "$groups" -eq 32 ] && ts_pass "auto m1024: xps mask written as 32 groups of 32 CPUs" ||
		ts_fail "auto m1024: xps mask has $groups groups: $mask"
else
	ts_fail "auto m1024: mkmachine.py failed"
fi

# 2b. Issue 7: RPS stays on the home's node (the README's machine), and
#     cores with an isolated thread come last (homes 12-15,28-31, then
#     24-27, with 8-11 isolated).
if gen iso --cpus 32 --nodes 2 --smt 2 --nic ice:eth0:12:node=1 \
	--isolated 8-11 --speed eth0=25000; then
	full_cycle iso eth0
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
homes = [q["home_cpu"] for q in d["interfaces"][0]["queues"]]
sys.exit(0 if homes == [12, 13, 14, 15, 28, 29, 30, 31, 24, 25, 26, 27] else 1)
' "$WORK/iso.plan.json" &&
		ts_pass "auto iso: siblings of isolated CPUs are homes only last" ||
		ts_fail "auto iso: homes $(python3 -c 'import json,sys; print([q["home_cpu"] for q in json.load(open(sys.argv[1]))["interfaces"][0]["queues"]])' "$WORK/iso.plan.json")"
	"$MQTUNE" --sysroot "$WORK/iso" auto --dry-run --explain --rps off eth0 >"$WORK/out" 2>&1
	grep -q '^  QUEUE  HOME  IRQ' "$WORK/out" &&
		grep -q '^    minus isolated: 8-11 (4 CPUs)$' "$WORK/out" &&
		grep -q '^    Sum 12 = min(12 rx queues, 28 usable CPUs)$' "$WORK/out" &&
		grep -q '^    queue 8 home CPU 24: node 1 .*shares its core with an isolated' "$WORK/out" &&
		ts_pass "auto iso: --explain names the HOME, the usable set, Sum and each home's reason" ||
		ts_fail "auto iso: --explain output: $(head -20 "$WORK/out")"
else
	ts_fail "auto iso: mkmachine.py failed"
fi
if gen scope --cpus 32 --nodes 2 --smt 2 --nic ice:eth0:8:node=1; then
	run_auto "$WORK/scope" --dry-run --json eth0
	cp "$WORK/out" "$WORK/scope.node.json"
	run_auto "$WORK/scope" --dry-run --json --rps-scope machine eth0
	cp "$WORK/out" "$WORK/scope.machine.json"
	python3 -c '
import json, sys
rps = lambda f: json.load(open(f))["interfaces"][0]["queues"][0]["rps_cpus"]["planned"]
sys.exit(0 if rps(sys.argv[1]) == "8,24" and rps(sys.argv[2]) == "0,8,16,24" else 1)
' "$WORK/scope.node.json" "$WORK/scope.machine.json" &&
		ts_pass "auto scope: queue 0 RPS 8,24 (node), 0,8,16,24 (--rps-scope machine)" ||
		ts_fail "auto scope: queue 0 RPS not as the scope says"
	run_auto "$WORK/scope" --rps-scope machine eth0
	"$MQTUNE" --sysroot "$WORK/scope" show --json eth0 >"$WORK/scope.show.json"
	ts_check "auto scope: --rps-scope machine applied; placement properties" \
		python3 "$CHECK" "$WORK/scope.machine.json" "$WORK/scope.show.json" machine
	run_auto "$WORK/scope" --rps-scope sideways eth0
	[ "$rc" -eq 2 ] && one_line_stderr && grep -q 'node or machine' "$WORK/err" &&
		ts_pass "auto scope: a bad --rps-scope is a usage error" ||
		ts_fail "auto scope: bad --rps-scope rc $rc: $(cat "$WORK/err")"
else
	ts_fail "auto scope: mkmachine.py failed"
fi

# 3. A write that fails half-way: everything restored, status 7.
# (32 CPUs: node 1 keeps CPUs besides the 8 homes, so RPS is planned.)
if gen fail --cpus 32 --nodes 2 --smt 2 --nic ice:eth0:8:node=1; then
	target="$WORK/fail/sys/class/net/eth0/queues/rx-5/rps_cpus"
	if chattr +i "$target" 2>/dev/null; then
		before=$(contents "$WORK/fail")
		run_auto "$WORK/fail" eth0
		chattr -i "$target"
		after=$(contents "$WORK/fail")
		if [ "$rc" -eq 7 ] && [ "$before" = "$after" ] && one_line_stderr &&
			grep -q 'rx-5 rps_cpus.*undone' "$WORK/err"; then
			ts_pass "auto fail: write failing half-way restores the tree (status 7)"
		else
			ts_fail "auto fail: rc $rc (want 7), tree restored: $([ "$before" = "$after" ] && echo yes || echo no)"
			cat "$WORK/err"
		fi
		chattr +i "$target"
		run_auto "$WORK/fail" --json eth0
		chattr -i "$target"
		ts_check "auto fail: JSON matches the schema" python3 "$VALIDATE" "$WORK/out"
		ts_check "auto fail: JSON reports status restored and restored changes" python3 -c \
			'import json,sys; d=json.load(open(sys.argv[1])); s=[c["state"] for c in d["changes"]]; sys.exit(0 if d["status"]=="restored" and d["exit_code"]==7 and "failed" in s and "applied" not in s and not d["changed"] else 1)' "$WORK/out"
	else
		ts_skip "auto fail: chattr +i is not supported on $WORK's file system"
	fi
else
	ts_fail "auto fail: mkmachine.py failed"
fi

# 4. Kernel-managed IRQs (mode 0444): left alone, planned around.
if gen managed --cpus 16 --nodes 1 --smt 1 --nic ice:eth0:4 --kernel-managed eth0; then
	full_cycle managed eth0
	grep -q 'managed by the kernel' "$WORK/managed.plan.json" &&
		ts_pass "auto managed: managed IRQs reported" ||
		ts_fail "auto managed: no managed-IRQ note"
else
	ts_fail "auto managed: mkmachine.py failed"
fi

# 4b. INTx-only NICs (e1000, 8139cp: no msi_irqs/, the line in device/irq):
#    the line goes to its queue's home; a line shared with another device
#    is left alone and said; link down: not requested yet, no failure.
if gen intx --cpus 4 --nic e1000:eth0:1:intx=20 \
	--nic 8139cp:eth1:1:intx=21:shared=ahci --nic e1000:eth2:1:intx=22:link=down \
	--nic e1000:eth3:1:intx=23:link=down:shared=ahci; then
	shared_before=$(cat "$WORK/intx/proc/irq/21/smp_affinity_list" \
		"$WORK/intx/proc/irq/23/smp_affinity_list")
	full_cycle intx eth0 eth1 eth2 eth3
	ts_check "auto intx: the dry run plans eth0's line 20 on queue 0's home, nothing for lines 21-23" \
		python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
i = {x["name"]: x for x in d["interfaces"]}
home = i["eth0"]["queues"][0]["home_cpu"]
paths = {c["path"]: c["new"] for c in d["changes"]}
ok = paths.get("/proc/irq/20/smp_affinity_list") == str(home)
ok = ok and not any(p.startswith("/proc/irq/%d/" % n) for p in paths for n in (21, 22, 23))
ok = ok and i["eth0"]["irq_source"] == "intx" == i["eth1"]["irq_source"]
sys.exit(0 if ok else 1)' "$WORK/intx.plan.json"
	home=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(x for x in d["interfaces"] if x["name"]=="eth0")["queues"][0]["home_cpu"])' "$WORK/intx.plan.json")
	[ "$(cat "$WORK/intx/proc/irq/20/smp_affinity_list")" = "$home" ] &&
		ts_pass "auto intx: line 20 (eth0's only handler) placed on CPU $home" ||
		ts_fail "auto intx: /proc/irq/20/smp_affinity_list $(cat "$WORK/intx/proc/irq/20/smp_affinity_list"), home $home"
	[ "$(cat "$WORK/intx/proc/irq/21/smp_affinity_list" \
		"$WORK/intx/proc/irq/23/smp_affinity_list")" = "$shared_before" ] &&
		ts_pass "auto intx: the lines shared with ahci were left alone" ||
		ts_fail "auto intx: a shared line was moved"
	grep -q 'eth1: IRQ 21 is a legacy INTx line shared with other devices (ahci, eth1)' \
		"$WORK/intx.plan.json" &&
		ts_pass "auto intx: the shared line is reported" ||
		ts_fail "auto intx: no warning about eth1's shared line"
	[ "$(grep -o 'eth[23]: IRQs not requested yet (link down)' "$WORK/intx.plan.json" | wc -l)" -eq 2 ] &&
		ts_pass "auto intx: link down -> IRQs not requested yet (eth2, eth3)" ||
		ts_fail "auto intx: no link-down note for eth2/eth3"
	run_auto "$WORK/intx" --dry-run eth2
	[ "$rc" -eq 0 ] && grep -q 'not requested yet (link down)' "$WORK/out" &&
		ts_pass "auto intx: a link-down INTx NIC alone: dry run exits 0 with the note" ||
		ts_fail "auto intx: link-down dry run rc $rc: $(head -3 "$WORK/err")"
else
	ts_fail "auto intx: mkmachine.py failed"
fi
# An empty msi_irqs/ (MSI enabled without entries) is no vector either: the
# INTx line answers.
if gen intxe --cpus 2 --nic e1000:eth0:1:intx=17; then
	mkdir "$WORK/intxe/sys/class/net/eth0/device/msi_irqs"
	"$MQTUNE" --sysroot "$WORK/intxe" show --json eth0 >"$WORK/out" 2>"$WORK/err"
	ts_check "auto intxe: empty msi_irqs/: the INTx line 17 is queue 0's vector" \
		python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["interfaces"][0]; sys.exit(0 if i["irq_source"]=="intx" and i["queues"][0]["irqs"]==[17] else 1)' "$WORK/out"
else
	ts_fail "auto intxe: mkmachine.py failed"
fi

# 5. The lock: a held lock makes a run wait, then fail with status 6.
if gen lock --cpus 4 --nic ice:eth0:2 && command -v flock >/dev/null; then
	mkdir -p "$WORK/lock/run"
	flock "$WORK/lock/run/mqtune.lock" sleep 3 &
	holder=$!
	sleep 0.5
	start=$(date +%s%N)
	run_auto "$WORK/lock" --wait 1 eth0
	took=$((($(date +%s%N) - start) / 1000000))
	if [ "$rc" -eq 6 ] && one_line_stderr && [ "$took" -ge 900 ]; then
		ts_pass "auto lock: busy lock -> status 6 after --wait 1 (${took} ms)"
	else
		ts_fail "auto lock: rc $rc after $took ms: $(cat "$WORK/err")"
	fi
	run_auto "$WORK/lock" --wait 10 eth0
	[ "$rc" -eq 0 ] && ts_pass "auto lock: waits for the holder, then runs" ||
		ts_fail "auto lock: rc $rc: $(cat "$WORK/err")"
	wait "$holder"
	# Two runs at once: both succeed, one after the other.
	gen lock2 --cpus 8 --nic ice:eth0:4 --nic ice:eth1:4
	"$MQTUNE" --sysroot "$WORK/lock2" auto --json eth0 eth1 >"$WORK/a.json" 2>&1 &
	"$MQTUNE" --sysroot "$WORK/lock2" auto --json eth0 eth1 >"$WORK/b.json" 2>&1
	rb=$?
	wait $!
	ra=$?
	ts_check "auto lock: both concurrent runs' JSON match the schema" \
		python3 "$VALIDATE" "$WORK/a.json" "$WORK/b.json"
	ts_check "auto lock: concurrent runs serialise (one changes, the other finds nothing)" \
		python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if sys.argv[3]=="0" and sys.argv[4]=="0" and sorted([a["changed"], b["changed"]])==[False, True] else 1)' \
		"$WORK/a.json" "$WORK/b.json" "$ra" "$rb"
else
	ts_skip "auto lock: flock(1) not installed"
fi

# 6. irqbalance running: fail refuses (status 9, nothing written), warn names its pid.
if gen irqb --cpus 4 --nic ice:eth0:2 --irqbalance 4242; then
	before=$(snapshot "$WORK/irqb")
	run_auto "$WORK/irqb" --irqbalance fail eth0
	after=$(snapshot "$WORK/irqb")
	[ "$rc" -eq 9 ] && [ "$before" = "$after" ] && one_line_stderr && grep -q 4242 "$WORK/err" &&
		ts_pass "auto irqbalance: --irqbalance fail refuses with status 9" ||
		ts_fail "auto irqbalance: fail mode rc $rc: $(cat "$WORK/err")"
	run_auto "$WORK/irqb" --dry-run --json eth0
	python3 -c '
import json, sys
w = json.load(open(sys.argv[1]))["warnings"]
sys.exit(0 if any(x["code"] == "irqbalance-running" and x["object"] == "irqbalance"
                  and "pid 4242" in x["message"] for x in w) else 1)' "$WORK/out" &&
		ts_pass "auto irqbalance: JSON warning {code irqbalance-running, object, message}" ||
		ts_fail "auto irqbalance: no irqbalance-running warning object"
	run_auto "$WORK/irqb" --dry-run eth0
	[ "$rc" -eq 0 ] && grep -q 'irqbalance is running (pid 4242)' "$WORK/out" &&
		ts_pass "auto irqbalance: warns naming the pid" ||
		ts_fail "auto irqbalance: no warning (rc $rc)"
else
	ts_fail "auto irqbalance: mkmachine.py failed"
fi

# 7. Bad input.
if gen bad --cpus 8 --nic ice:eth0:2 --no-sysctls; then
	for args in "--rps sometimes eth0" "--xps 1 eth0" "--backlog -5 eth0" \
		"--cpus 3-1 eth0" "--cpus 99999999 eth0" "--wait forever eth0" \
		"--irqbalance maybe eth0" "--bogus eth0"; do
		# shellcheck disable=SC2086
		run_auto "$WORK/bad" $args
		[ "$rc" -eq 2 ] && one_line_stderr && ts_pass "auto usage: $args -> 2" ||
			ts_fail "auto usage: $args -> rc $rc: $(cat "$WORK/err")"
	done
	run_auto "$WORK/bad" --cpus 2-3 --exclude-cpus 0-7 eth0
	[ "$rc" -eq 9 ] && one_line_stderr && grep -q 'no usable CPU' "$WORK/err" &&
		ts_pass "auto: no usable CPU -> status 9" ||
		ts_fail "auto: empty CPU set rc $rc: $(cat "$WORK/err")"
	run_auto "$WORK/bad" eth9
	[ "$rc" -eq 3 ] && [ "$(cat "$WORK/err")" = "mqtune: eth9: no such network interface" ] &&
		ts_pass "auto: unknown interface -> status 3" ||
		ts_fail "auto: unknown interface rc $rc: $(cat "$WORK/err")"
	run_auto "$WORK/bad" --backlog 50000 eth0
	[ "$rc" -eq 0 ] && grep -q 'not available in this network namespace' "$WORK/out" &&
		ts_pass "auto: sysctls missing in a netns -> noted, not a failure" ||
		ts_fail "auto: netns sysctls rc $rc"
else
	ts_fail "auto bad input: mkmachine.py failed"
fi

# 8. Without root and without --sysroot, a real run refuses before writing.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTUNE" auto lo \
		>"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 4 ] && one_line_stderr && grep -q 'needs root' "$WORK/err" &&
		ts_pass "auto: not root -> status 4 before any write" ||
		ts_fail "auto: not root rc $rc: $(cat "$WORK/err")"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MQTUNE" auto --dry-run lo \
		>"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 0 ] && ts_pass "auto: --dry-run works without root" ||
		ts_fail "auto: dry run as nobody rc $rc: $(cat "$WORK/err")"
else
	ts_skip "auto: not-root checks need root and setpriv(1)"
fi
