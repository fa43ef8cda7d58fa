#!/bin/bash
# test_ansible_veth.sh - the mqtune.nic collection against the real
# kernel: ansible-playbook (connection local) inside a private network
# namespace holding a veth of 4 rx / 4 tx queues (no IRQs: RPS and XPS).
# Check mode writes nothing and reports changed; run 1 changes, run 2
# does not; state checked after a hand edit reports the drift; the facts
# show the queues; state restored gives the kernel's files back.
# Skips, saying why, without root, namespaces, veth or ansible-core.

# shellcheck disable=SC2015  # ts_pass never fails
source "$(dirname "$0")/../lib/ts.sh"
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/ansible
kt_begin ansible ansible-playbook python3
ip -n "$NS" link add v0 numrxqueues 4 numtxqueues 4 type veth \
	peer name v1 numrxqueues 4 numtxqueues 4 2>/dev/null ||
	kt_skip "cannot create a veth pair (veth module missing?)"
ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up
in_ns test -e /sys/class/net/v0/queues/rx-0/rps_cpus ||
	kt_skip "kernel without CONFIG_RPS (no rps_cpus)"

export ANSIBLE_COLLECTIONS_PATH="$TS_TOP/ansible" ANSIBLE_HOME="$TMP/ansible-home"
export ANSIBLE_LOCAL_TEMP="$TMP/ansible-tmp" ANSIBLE_REMOTE_TEMP="$TMP/ansible-rtmp"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_CALLBACK_PLUGINS="$TS_TOP/tests/ansible/callback" ANSIBLE_STDOUT_CALLBACK=results_json
RES="$TS_TOP/tests/ansible/result.py"

files() { in_ns sh -c 'cd /sys/class/net/v0/queues && grep -H . rx-*/rps_cpus rx-*/rps_flow_cnt tx-*/xps_cpus 2>/dev/null'; }
play() {	# play NAME MODULE ARGS [options]
	local name=$1 module=$2 args=$3
	shift 3
	cat >"$TMP/$name.yml" <<PLAY
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: $name
      $module:
        binary: $MQTUNE
$(printf '%s\n' "$args" | sed 's/^/        /')
PLAY
	in_ns ansible-playbook -i localhost, "$TMP/$name.yml" "$@" >"$TMP/$name.json" 2>"$TMP/$name.err"
}
expect() {	# expect LABEL NAME EXPR
	local out
	if out=$(python3 "$RES" "$TMP/$2.json" "$3" 2>&1); then
		ts_pass "$T: $1"
	else
		ts_fail "$T: $1"
		printf '%s\n' "$out" | sed 's/^/    /' | head -30
		sed 's/^/    stderr: /' "$TMP/$2.err" | head -5
	fi
}

# --channels auto: Sum = min(4 channels, the CPUs), the veth having no node
ncpu=$(grep -c '^processor' /proc/cpuinfo)
sum=$((ncpu < 4 ? ncpu : 4))
orig=$(files)
play check mqtune.nic.mqtune "interfaces: [v0]" --check --diff
expect "check mode reports changed, with a diff" check \
	"stats['changed'] == 1 and r['changed'] and 'v0 rx-0 rps_cpus' in r['diff']['before']"
[ "$(files)" = "$orig" ] && ts_pass "$T: check mode writes nothing" ||
	ts_fail "$T: check mode changed the kernel's files"
play run1 mqtune.nic.mqtune "interfaces: [v0]"
expect "run 1 changes" run1 "stats['changed'] == 1 and r['changed'] and all(c['state'] == 'applied' for c in r['changes'])"
applied=$(files)
[ "$applied" != "$orig" ] && ts_pass "$T: run 1 wrote the kernel's files" ||
	ts_fail "$T: run 1 wrote nothing"
play run2 mqtune.nic.mqtune "interfaces: [v0]"
expect "run 2 is not changed" run2 "stats['changed'] == 0 and stats['failures'] == 0"
if [ "$sum" -lt 4 ]; then
	expect "run 1 set the channels to Sum first" run1 \
		"r['changes'][0]['object'] == 'v0 channels' and r['changes'][0]['new'] == 'rx $sum tx $sum'"
else
	expect "run 1 left the channels: Sum is the 4 there" run1 \
		"all(c['object'] != 'v0 channels' for c in r['changes'])"
fi
play facts mqtune.nic.mqtune_facts "interfaces: [v0]"
expect "facts: v0 with Sum = $sum queues" facts \
	"r['ansible_facts']['mqtune']['interfaces'][0]['name'] == 'v0' and len(r['ansible_facts']['mqtune']['interfaces'][0]['queues']) == $sum"
in_ns sh -c 'echo 0 > /sys/class/net/v0/queues/rx-0/rps_cpus'
play drift mqtune.nic.mqtune "interfaces: [v0]
state: checked
fail_on_drift: true"
expect "state checked fails on a hand edit, naming it" drift \
	"stats['failures'] == 1 and r['rc'] == 12 and r['drifted'][0]['object'] == 'v0 rx-0 rps_cpus'"
play rest mqtune.nic.mqtune "interfaces: [v0]
state: restored"
expect "state restored changes" rest "r['changed'] and stats['failures'] == 0"
[ "$(files)" = "$orig" ] && ts_pass "$T: state restored gives the kernel's original values back" ||
	ts_fail "$T: after restore: $(files | tr '\n' ' ')"
