#!/bin/bash
# test_ansible.sh - the mqtune.nic collection (ansible/ansible_collections/
# mqtune/nic) run by a real ansible-playbook on localhost (connection
# local) against synthetic machines (--sysroot): check mode, idempotence,
# diff mode, drift, restore, the argument spec, failures, warnings, facts,
# the role, ansible-doc.  Skips when ansible-core is not installed.
set -u
. "$(dirname "$0")/../lib/ts.sh"

if ! command -v ansible-playbook >/dev/null 2>&1; then
	ts_skip "ansible: ansible-playbook not found (apt install ansible-core)"
	exit 0
fi
[ -x "$MQTUNE" ] || { ts_fail "ansible: $MQTUNE not built"; exit 0; }

ts_tmpdir >/dev/null
[ -n "${KEEP:-}" ] && trap - EXIT
WORK=${TS_CLEANUP##* }
HASH="$TS_TOP/tests/lib/tree_hash.py"
RES="$TS_TOP/tests/ansible/result.py"
export ANSIBLE_COLLECTIONS_PATH="$TS_TOP/ansible"
export ANSIBLE_HOME="$WORK/ansible-home" ANSIBLE_LOCAL_TEMP="$WORK/ansible-tmp"
export ANSIBLE_REMOTE_TEMP="$WORK/ansible-rtmp" ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_DEPRECATION_WARNINGS=0
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_CALLBACK_PLUGINS="$TS_TOP/tests/ansible/callback"

gen() { ts_gen "$@"; }

# play NAME MODULE ARGS_YAML [ansible-playbook options]: one task calling
# MODULE with ARGS (YAML lines, indented by the caller with 6 spaces);
# output of the json callback in $WORK/NAME.json, the default one in
# $WORK/NAME.txt (a second run would change the machine: only check mode
# and read-only plays are run twice).
play() {
	local name=$1 module=$2 args=$3
	shift 3
	cat >"$WORK/$name.yml" <<PLAY
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: $name
      $module:
$(printf '%s\n' "$args" | sed 's/^/  /')
PLAY
	ANSIBLE_STDOUT_CALLBACK=results_json ansible-playbook -i localhost, \
		"$WORK/$name.yml" "$@" >"$WORK/$name.json" 2>"$WORK/$name.err"
	echo $? >"$WORK/$name.rc"
}
rc_of() { cat "$WORK/$1.rc"; }

# expect LABEL NAME EXPR: pass when EXPR holds for run NAME (result.py).
expect() {
	local label=$1 name=$2 expr=$3 out
	if out=$(python3 "$RES" "$WORK/$name.json" "$expr" 2>&1); then
		ts_pass "ansible: $label"
	else
		ts_fail "ansible: $label"
		printf '%s\n' "$out" | sed 's/^/    /' | head -40
		sed 's/^/    stderr: /' "$WORK/$name.err" | head -10
	fi
}

MQ="      binary: $MQTUNE"

# 1. Check mode: reports changed, writes nothing.
gen m --cpus 4 --nodes 1 --nic ixgbe:eth0:2
before=$(python3 "$HASH" "$WORK/m")
play check mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]" --check
expect "check mode reports changed" check \
	"stats['changed'] == 1 and r['changed'] and '--dry-run' in r['cmd'] and len(r['changes']) == 10 and all(c['state'] == 'planned' for c in r['changes'])"
if [ "$(python3 "$HASH" "$WORK/m")" = "$before" ] && [ ! -e "$WORK/m/var/lib/mqtune/state.json" ]; then
	ts_pass "ansible: check mode writes nothing (tree digest, no state file)"
else
	ts_fail "ansible: check mode changed the machine"
fi

# 2. --diff in check mode: before/after per value.
play diff mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]" --check --diff
expect "--diff gives before/after per changed value" diff \
	"'eth0 IRQ 40: 0-3\n' in r['diff']['before'] and 'eth0 IRQ 40: 0\n' in r['diff']['after'] and 'net.core.netdev_max_backlog: 30000' in r['diff']['after'] and 'eth0 rx-0 rps_cpus: (empty)' in r['diff']['before']"
ANSIBLE_STDOUT_CALLBACK=default ansible-playbook -i localhost, "$WORK/diff.yml" \
	--check --diff >"$WORK/diff.txt" 2>&1
if grep -q '^-eth0 IRQ 41: 0-3$' "$WORK/diff.txt" && grep -q '^+eth0 IRQ 41: 1$' "$WORK/diff.txt"; then
	ts_pass "ansible: --diff prints the values in ansible-playbook's output"
else
	ts_fail "ansible: --diff output lacks the IRQ 41 lines"
	head -30 "$WORK/diff.txt" | sed 's/^/    /'
fi

# 3. A real run changes; the second is not changed.
play run1 mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]"
expect "run 1 changes" run1 \
	"stats['changed'] == 1 and r['changed'] and r['status'] == 'ok' and all(c['state'] == 'applied' for c in r['changes'])"
if [ "$(cat "$WORK/m/proc/irq/41/smp_affinity_list")" = 1 ]; then
	ts_pass "ansible: run 1 wrote IRQ 41's affinity"
else
	ts_fail "ansible: IRQ 41 holds '$(cat "$WORK/m/proc/irq/41/smp_affinity_list")', not 1"
fi
play run2 mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]"
expect "run 2 is not changed" run2 "stats['changed'] == 0 and stats['failures'] == 0 and r['changes'] == []"

# 4. state checked: no drift, then a hand edit is drift (reported, or a failure).
play chk0 mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]
      state: checked
      fail_on_drift: true"
expect "checked without drift: ok" chk0 "stats['failures'] == 0 and r['drift'] is False and r['changed'] is False"
echo 0 >"$WORK/m/proc/irq/41/smp_affinity_list"
play chk1 mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]
      state: checked" --diff
expect "checked after a hand edit reports drift" chk1 \
	"stats['failures'] == 0 and r['drift'] and r['exit_code'] == 12 and r['drifted'][0]['object'] == 'eth0 IRQ 41' and r['drifted'][0]['found'] == '0' and 'eth0 IRQ 41: 1' in r['diff']['after']"
play chk2 mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]
      state: checked
      fail_on_drift: true"
expect "checked with fail_on_drift fails on drift" chk2 \
	"stats['failures'] == 1 and r['failed'] and r['msg'] == 'mqtune: 1 value drifted from the plan' and r['status'] == 'drift' and r['rc'] == 12"
if [ "$(cat "$WORK/m/proc/irq/41/smp_affinity_list")" = 0 ]; then
	ts_pass "ansible: state checked wrote nothing"
else
	ts_fail "ansible: state checked changed IRQ 41"
fi

# 5. state restored gives the original tree back (check mode first: nothing).
gen orig --cpus 4 --nodes 1 --nic ixgbe:eth0:2
gen r --cpus 4 --nodes 1 --nic ixgbe:eth0:2
play r1 mqtune.nic.mqtune "$MQ
      sysroot: $WORK/r
      interfaces: [eth0]"
mid=$(python3 "$HASH" "$WORK/r")
play rchk mqtune.nic.mqtune "$MQ
      sysroot: $WORK/r
      interfaces: [eth0]
      state: restored" --check --diff
expect "restored in check mode: would change, shows the originals" rchk \
	"r['changed'] and 'eth0 IRQ 40: 0-3' in r['diff']['after'] and '--dry-run' in r['cmd']"
[ "$(python3 "$HASH" "$WORK/r")" = "$mid" ] &&
	ts_pass "ansible: restored in check mode writes nothing" ||
	ts_fail "ansible: restored in check mode wrote"
play rest mqtune.nic.mqtune "$MQ
      sysroot: $WORK/r
      interfaces: [eth0]
      state: restored"
expect "restored changes" rest "r['changed'] and len(r['changes']) == 10"
if [ "$(python3 "$HASH" "$WORK/r")" = "$(python3 "$HASH" "$WORK/orig")" ]; then
	ts_pass "ansible: state restored gives the original tree back"
else
	ts_fail "ansible: the tree after restore differs from the original"
fi

# 6. The argument spec refuses bad values before the binary runs: the
#    binary named is a script that would leave a mark.
printf '#!/bin/sh\ntouch %s/ran\n' "$WORK" >"$WORK/fake-mqtune"
chmod +x "$WORK/fake-mqtune"
n=0
for bad in "rps: sometimes" "cpus: '0-3;reboot'" "backlog: '0'" "backlog: lots" \
	"wait: 100000" "state: gone" "irqbalance: stop" "bogus_option: 1"; do
	n=$((n + 1))
	play "bad$n" mqtune.nic.mqtune "      binary: $WORK/fake-mqtune
      sysroot: $WORK/m
      $bad"
	expect "bad option refused: $bad" "bad$n" "stats['failures'] == 1 and r['failed'] and 'cmd' not in r"
done
play bad_ex mqtune.nic.mqtune "      binary: $WORK/fake-mqtune
      interfaces: [eth0]
      all: true"
expect "interfaces and all are mutually exclusive" bad_ex "r['failed'] and 'mutually exclusive' in r['msg']"
play bad_rest mqtune.nic.mqtune "      binary: $WORK/fake-mqtune
      state: restored
      cpus: '0-1'"
expect "state restored refuses policy options" bad_rest "r['failed'] and 'cpus' in r['msg']"
[ ! -e "$WORK/ran" ] && ts_pass "ansible: no refused task ran the binary" ||
	ts_fail "ansible: the binary ran for a refused option"

# 6b. channels and rss: validated by the module, passed as --channels /
#     --rss.  The binary that runs is a script that records its argv and
#     prints a document of a run that changed nothing (the real options
#     come with the lead's --channels/--rss; see 6c).
cat >"$WORK/argv-mqtune" <<SH
#!/bin/sh
printf '%s\n' "\$@" >"$WORK/argv.txt"
echo '{"format_version":2,"status":"ok","exit_code":0,"changed":false,"changes":[],"warnings":[]}'
SH
chmod +x "$WORK/argv-mqtune"
play chan mqtune.nic.mqtune "      binary: $WORK/argv-mqtune
      sysroot: $WORK/m
      interfaces: [eth0]
      channels: 8
      rss: equal"
expect "channels and rss become --channels 8 --rss equal" chan \
	"stats['failures'] == 0 and r['cmd'][1:] == ['--json', '--sysroot', '$WORK/m', 'auto', '--channels', '8', '--rss', 'equal', 'eth0'] and open('$WORK/argv.txt').read().split('\n')[:-1] == r['cmd'][1:]"
play chan_kw mqtune.nic.mqtune "      binary: $WORK/argv-mqtune
      sysroot: $WORK/m
      all: true
      state: checked
      channels: keep
      rss: auto" --check
expect "channels keep, rss auto (state checked): passed to check" chan_kw \
	"stats['failures'] == 0 and r['cmd'][4:] == ['check', '--channels', 'keep', '--rss', 'auto', '--all']"
play chan_auto mqtune.nic.mqtune "      binary: $WORK/argv-mqtune
      interfaces: [eth0]
      channels: auto" --check
expect "channels auto in check mode: --dry-run --channels auto" chan_auto \
	"stats['failures'] == 0 and r['cmd'][1:] == ['--json', 'auto', '--dry-run', '--channels', 'auto', 'eth0']"
rm -f "$WORK/argv.txt"
n=0
for bad in "channels: 0" "channels: -1" "channels: '08'" "channels: lots" \
	"channels: '4 '" "channels: 4294967296" "channels: ''" "rss: hash" "rss: 'off'"; do
	n=$((n + 1))
	play "badch$n" mqtune.nic.mqtune "      binary: $WORK/argv-mqtune
      sysroot: $WORK/m
      $bad"
	expect "bad option refused: $bad" "badch$n" \
		"stats['failures'] == 1 and r['failed'] and 'cmd' not in r and ('channels' in r['msg'] or 'rss' in r['msg'])"
done
play badch_rest mqtune.nic.mqtune "      binary: $WORK/argv-mqtune
      state: restored
      rss: keep"
expect "state restored refuses channels and rss" badch_rest "r['failed'] and 'rss' in r['msg']"
[ ! -e "$WORK/argv.txt" ] && ts_pass "ansible: no refused channels/rss task ran the binary" ||
	ts_fail "ansible: the binary ran for a refused channels/rss option"

# 6c. With a binary that has --channels and --rss: keep changes nothing.
if "$MQTUNE" --help 2>&1 | grep -q -- '--rss'; then
	play chan_real mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]
      channels: keep
      rss: keep" --check
	expect "real binary: channels keep, rss keep run" chan_real \
		"stats['failures'] == 0 and '--channels' in r['cmd'] and not any('channels' in c['object'] or 'rss' in c['object'].lower() for c in r['changes'])"
else
	ts_skip "ansible: real --channels/--rss run: this mqtune has no --rss yet"
fi

# 7. A failure's msg is mqtune's own message, with rc and status.
play nodev mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth9]"
expect "failure msg is mqtune's (nodev)" nodev \
	"r['failed'] and r['msg'] == 'mqtune: eth9: no such network interface' and r['rc'] == 3 and r['status'] == 'nodev'"
play refused mqtune.nic.mqtune "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]
      cpus: '99'" --check
expect "failure msg is mqtune's (refused)" refused \
	"r['failed'] and r['msg'].startswith('mqtune: no usable CPU') and r['rc'] == 9 and r['status'] == 'refused'"
gen imm --cpus 4 --nodes 1 --nic ixgbe:eth0:2
if chattr +i "$WORK/imm/proc/irq/41/smp_affinity_list" 2>/dev/null; then
	play imm mqtune.nic.mqtune "$MQ
      sysroot: $WORK/imm
      interfaces: [eth0]"
	chattr -i "$WORK/imm/proc/irq/41/smp_affinity_list"
	expect "a write failure (immutable file) gives mqtune's message and status 7" imm \
		"r['failed'] and r['rc'] == 7 and r['status'] == 'restored' and r['msg'].startswith('mqtune: ') and 'irq/41' in r['msg']"
else
	ts_skip "ansible: write failure: chattr +i refused here (not root, or no ext4/xfs)"
fi

# 8. Warnings reach Ansible.
gen irqb --cpus 4 --nodes 1 --nic ixgbe:eth0:2 --irqbalance 777
play warn mqtune.nic.mqtune "$MQ
      sysroot: $WORK/irqb
      interfaces: [eth0]" --check
expect "mqtune's warnings are Ansible warnings" warn \
	"any('irqbalance is running (pid 777)' in w for w in r.get('warnings', [])) and r['warnings_mqtune'][0]['code'] == 'irqbalance-running'"

# 9. Facts.
play facts mqtune.nic.mqtune_facts "$MQ
      sysroot: $WORK/m
      interfaces: [eth0]"
expect "mqtune_facts: interfaces, queues, IRQs" facts \
	"r['ansible_facts']['mqtune']['interfaces'][0]['name'] == 'eth0' and [q['irqs'] for q in r['ansible_facts']['mqtune']['interfaces'][0]['queues']] == [[40], [41]] and r['ansible_facts']['mqtune']['system']['cpus']['online'] == '0-3' and not r['changed']"

# 9b. The role: templates the config, runs the module; check mode first
#     (changes nothing), then converges, then a second run changes nothing.
gen role --cpus 8 --nodes 1 --nic ixgbe:eth0:4 --nic ixgbe:eth1:4
mkdir -p "$WORK/role/etc"
cat >"$WORK/role.yml" <<PLAY
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: mqtune.nic.mqtune
      vars:
        mqtune_install: none
        mqtune_service: none
        mqtune_binary: $MQTUNE
        mqtune_sysroot: $WORK/role
        mqtune_global:
          backlog: 5000
        mqtune_sections:
          "interface eth1":
            rps: false
            exclude_cpus: "0"
PLAY
role_run() {	# role_run NAME [options]
	local name=$1
	shift
	ANSIBLE_STDOUT_CALLBACK=results_json ansible-playbook -i localhost, \
		"$WORK/role.yml" "$@" >"$WORK/$name.json" 2>"$WORK/$name.err"
}
before=$(python3 "$HASH" "$WORK/role")
role_run role0 --check
expect "role in check mode: changed, nothing failed" role0 \
	"stats['failures'] == 0 and stats['changed'] == 2"
expect "role in check mode plans with the config it would write (backlog 5000)" role0 \
	"[c['new'] for t in results if 'changes' in t for c in t['changes'] if c['object'] == 'net.core.netdev_max_backlog'] == ['5000'] and not any('rps_cpus' in c['object'] and c['object'].startswith('eth1') for t in results if 'changes' in t for c in t['changes'])"
[ "$(python3 "$HASH" "$WORK/role")" = "$before" ] && [ ! -e "$WORK/role/etc/mqtune.conf" ] &&
	ts_pass "ansible: role in check mode writes nothing" ||
	ts_fail "ansible: role in check mode wrote"
role_run role1
expect "role run 1: config and placement changed" role1 \
	"stats['failures'] == 0 and stats['changed'] == 2 and [t for t in results if 'changes' in t][0]['changed']"
if "$MQTUNE" --sysroot "$WORK/role" config --json --all >"$WORK/role.config.json" 2>"$WORK/role.config.err" &&
	[ "$(cat "$WORK/role/proc/sys/net/core/netdev_max_backlog")" = 5000 ] &&
	[ "$(cat "$WORK/role/sys/class/net/eth1/queues/rx-0/rps_cpus")" = 00 ] &&
	grep -q '^exclude-cpus = 0$' "$WORK/role/etc/mqtune.conf" && grep -q '^rps = off$' "$WORK/role/etc/mqtune.conf"; then
	ts_pass "ansible: role's config file is valid and applied (backlog 5000, eth1 without RPS)"
else
	ts_fail "ansible: role's config file or its effect"
	sed 's/^/    /' "$WORK/role/etc/mqtune.conf" "$WORK/role.config.err" | head -20
	echo "    backlog $(cat "$WORK/role/proc/sys/net/core/netdev_max_backlog") rps $(cat "$WORK/role/sys/class/net/eth1/queues/rx-0/rps_cpus")"
fi
role_run role2
expect "role run 2: nothing changed" role2 "stats['failures'] == 0 and stats['changed'] == 0 and stats['ok'] >= 3"

# 9c. The role writes mqtune_channels and mqtune_rss as config keys (the
#     argv-recording binary runs it: the real config keys come with the
#     lead's branch) and refuses bad values in its first task.
gen rolech --cpus 4 --nodes 1 --nic ixgbe:eth0:2
mkdir -p "$WORK/rolech/etc"
rolech() {	# rolech NAME CHANNELS RSS
	cat >"$WORK/$1.yml" <<PLAY
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: mqtune.nic.mqtune
      vars:
        mqtune_install: none
        mqtune_service: none
        mqtune_binary: $WORK/argv-mqtune
        mqtune_sysroot: $WORK/rolech
        mqtune_global:
          channels: 2
          backlog: 5000
        mqtune_channels: $2
        mqtune_rss: $3
PLAY
	ANSIBLE_STDOUT_CALLBACK=results_json ansible-playbook -i localhost, \
		"$WORK/$1.yml" >"$WORK/$1.json" 2>"$WORK/$1.err"
}
rolech rolech1 8 equal
if python3 "$RES" "$WORK/rolech1.json" "stats['failures'] == 0" >/dev/null &&
	[ "$(sed -n '/^\[global\]$/,$p' "$WORK/rolech/etc/mqtune.conf")" = "$(printf '[global]\nbacklog = 5000\nchannels = 8\nrss = equal')" ]; then
	ts_pass "ansible: role writes channels = 8 and rss = equal in [global] (over mqtune_global's channels)"
else
	ts_fail "ansible: role's channels/rss config keys"
	sed 's/^/    /' "$WORK/rolech/etc/mqtune.conf" "$WORK/rolech1.err" | head -20
fi
rolech rolech2 "''" "''"
if [ "$(sed -n '/^\[global\]$/,$p' "$WORK/rolech/etc/mqtune.conf")" = "$(printf '[global]\nbacklog = 5000\nchannels = 2')" ]; then
	ts_pass "ansible: role without mqtune_channels/mqtune_rss leaves mqtune_global's"
else
	ts_fail "ansible: role with empty mqtune_channels/mqtune_rss"
	sed 's/^/    /' "$WORK/rolech/etc/mqtune.conf" | head -20
fi
for bad in "0 ''" "lots ''" "'' hash"; do
	# shellcheck disable=SC2086
	set -- $bad
	rolech rolech_bad "$1" "$2"
	expect "role refuses mqtune_channels=$1 mqtune_rss=$2" rolech_bad \
		"stats['failures'] == 1 and r.get('failed') and ('mqtune_channels' in r.get('assertion', '') or 'mqtune_rss' in r.get('assertion', '')) and not any('cmd' in t for t in results)"
done

# 9d. With a binary that knows the config keys channels and rss: the role
#     with mqtune_channels/mqtune_rss keep converges, then changes nothing.
if "$MQTUNE" --help 2>&1 | grep -q -- '--rss'; then
	gen rolechr --cpus 4 --nodes 1 --nic ixgbe:eth0:2
	mkdir -p "$WORK/rolechr/etc"
	sed -e "s|$WORK/argv-mqtune|$MQTUNE|" -e "s|$WORK/rolech\$|$WORK/rolechr|" \
		-e 's|mqtune_channels: .*|mqtune_channels: keep|' \
		-e 's|mqtune_rss: .*|mqtune_rss: keep|' -e '/channels: 2/d' \
		"$WORK/rolech1.yml" >"$WORK/rolechr.yml"
	for n in 1 2; do
		ANSIBLE_STDOUT_CALLBACK=results_json ansible-playbook -i localhost, \
			"$WORK/rolechr.yml" >"$WORK/rolechr$n.json" 2>"$WORK/rolechr$n.err"
	done
	expect "real binary: role with channels/rss keep converges" rolechr1 \
		"stats['failures'] == 0 and stats['changed'] == 2"
	expect "real binary: role with channels/rss keep, run 2 changes nothing" rolechr2 \
		"stats['failures'] == 0 and stats['changed'] == 0"
else
	ts_skip "ansible: real role run with channels/rss: this mqtune has no --rss yet"
fi

# 10. ansible-doc renders the modules' documentation.
for mod in mqtune mqtune_facts; do
	if ansible-doc "mqtune.nic.$mod" >"$WORK/doc.$mod" 2>&1 &&
		grep -q "MQTUNE.NIC.$(echo $mod | tr a-z A-Z)" "$WORK/doc.$mod" &&
		grep -q 'EXAMPLES' "$WORK/doc.$mod" && grep -q 'RETURN VALUES' "$WORK/doc.$mod"; then
		ts_pass "ansible: ansible-doc mqtune.nic.$mod"
	else
		ts_fail "ansible: ansible-doc mqtune.nic.$mod"
		head -10 "$WORK/doc.$mod" | sed 's/^/    /'
	fi
done

# 11. The modules compile; pyflakes3 when installed.
ts_check "ansible: modules compile (py_compile)" python3 -m py_compile \
	"$TS_TOP"/ansible/ansible_collections/mqtune/nic/plugins/modules/*.py \
	"$TS_TOP"/ansible/ansible_collections/mqtune/nic/plugins/module_utils/*.py
if command -v pyflakes3 >/dev/null 2>&1; then
	ts_check "ansible: pyflakes3 finds nothing" pyflakes3 \
		"$TS_TOP"/ansible/ansible_collections/mqtune/nic/plugins
else
	ts_skip "ansible: pyflakes3 not installed (apt install pyflakes3)"
fi

# 12. ansible-test sanity: the tests that need no virtualenv (the others
#     download pip and their linters: not offline), on a copy of the
#     collection outside the git tree.
if command -v ansible-test >/dev/null 2>&1; then
	mkdir -p "$WORK/sanity/ansible_collections/mqtune"
	cp -r "$TS_TOP/ansible/ansible_collections/mqtune/nic" "$WORK/sanity/ansible_collections/mqtune/"
	rm -rf "$WORK/sanity/ansible_collections/mqtune/nic/tests"
	pyv=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	tests=""
	for t in compile empty-init future-import-boilerplate line-endings metaclass-boilerplate \
		no-assert no-basestring no-dict-iteritems no-get-exception no-illegal-filenames \
		no-main-display no-smart-quotes no-unicode-literals replace-urlopen shebang symlinks \
		use-argspec-type-path use-compat-six action-plugin-docs; do
		tests="$tests --test $t"
	done
	# shellcheck disable=SC2086
	if (cd "$WORK/sanity/ansible_collections/mqtune/nic" &&
		ansible-test sanity $tests --python "$pyv") >"$WORK/sanity.log" 2>&1; then
		ts_pass "ansible: ansible-test sanity (19 offline tests)"
	else
		ts_fail "ansible: ansible-test sanity"
		grep -v 'locale' "$WORK/sanity.log" | tail -15 | sed 's/^/    /'
	fi
else
	ts_skip "ansible: ansible-test not found"
fi
