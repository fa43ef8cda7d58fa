#!/bin/bash
# test_channels.sh - channel and queue counts of a real veth, both transports.
#
# Creates a private network namespace with a veth pair of 8 rx / 8 tx
# queues, and checks what `mqtune --ethtool netlink|ioctl show --json v0`
# reports against the kernel itself: `ethtool -l` for the channel counts
# and the rx-N / tx-N directories in sysfs for the real queue counts,
# before and after `ethtool -L v0 rx 3 tx 5`.  Also checks the exit status
# and the one stderr line for an unknown and an invalid interface name,
# and that a veth (no interrupt vectors) has irq_source "none" and no
# queue IRQ.  Skips, saying why, without root, namespaces, veth or ethtool.
# The namespace is always deleted.

# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/channels
kt_begin ch ethtool python3
if ! ip -n "$NS" link add v0 numrxqueues 8 numtxqueues 8 type veth \
	peer name v1 numrxqueues 8 numtxqueues 8 2>/dev/null; then
	kt_skip "cannot create a veth pair (veth module missing?)"
fi
in_ns ethtool -l v0 >/dev/null 2>&1 ||
	kt_skip "ethtool -l does not work on veth (kernel too old?)"

# The JSON checks.  argv: FILE GROUP KEY=VALUE...
#   channels: source=TRANSPORT and every channels.* count to compare
#   queues:   rx=N tx=N (rx_queues, tx_queues, queues[] and their null
#             rps_cpus / xps_cpus beyond the last rx-N / tx-N)
#   irqs:     irq_source "none" and every queue's irqs empty
# shellcheck disable=SC2016
PY_CHECK='
import json, sys

path, group = sys.argv[1], sys.argv[2]
args = dict(a.split("=", 1) for a in sys.argv[3:])
try:
    with open(path) as f:
        doc = json.load(f)
except Exception as e:
    sys.exit("stdout is not a JSON document: %s" % e)
ifs = doc.get("interfaces") if isinstance(doc, dict) else None
if not isinstance(ifs, list) or len(ifs) != 1:
    sys.exit("want exactly one interfaces[] entry, got %r" % (ifs,))
dev = ifs[0]
bad = []

def want(what, got, exp):
    if got != exp or type(got) is not type(exp):
        bad.append("%s: got %r, want %r" % (what, got, exp))

want("name", dev.get("name"), "v0")
if group == "channels":
    ch = dev.get("channels")
    if not isinstance(ch, dict):
        sys.exit("no channels object: %r" % (ch,))
    want("channels.source", ch.get("source"), args.pop("source"))
    for k, v in sorted(args.items()):
        want("channels." + k, ch.get(k), int(v))
elif group == "queues":
    rxq, txq = int(args["rx"]), int(args["tx"])
    want("rx_queues", dev.get("rx_queues"), rxq)
    want("tx_queues", dev.get("tx_queues"), txq)
    qs = dev.get("queues")
    if not isinstance(qs, list):
        sys.exit("no queues[] array: %r" % (qs,))
    want("len(queues)", len(qs), max(rxq, txq))
    for i, q in enumerate(qs):
        want("queues[%d].queue" % i, q.get("queue"), i)
        if i >= rxq and q.get("rps_cpus", "absent") is not None:
            bad.append("queues[%d].rps_cpus: got %r, want null (no rx-%d)"
                       % (i, q.get("rps_cpus", "absent"), i))
        if i >= txq and q.get("xps_cpus", "absent") is not None:
            bad.append("queues[%d].xps_cpus: got %r, want null (no tx-%d)"
                       % (i, q.get("xps_cpus", "absent"), i))
elif group == "irqs":
    want("irq_source", dev.get("irq_source"), "none")
    qs = dev.get("queues") or []
    if not qs:
        bad.append("queues[] is empty")
    for i, q in enumerate(qs):
        if q.get("irqs") != []:
            bad.append("queues[%d].irqs: got %r, want []"
                       % (i, q.get("irqs", "absent")))
        if "irq" in q:
            bad.append("queues[%d].irq: present (format 1), want absent" % i)
        if q.get("vectors"):
            bad.append("queues[%d].vectors: got %r, want none"
                       % (i, q["vectors"]))
else:
    sys.exit("unknown check group " + group)
if bad:
    print("\n".join(bad))
    sys.exit(1)
'

# oracle: the counts `ethtool -l v0` prints, as key=value words ("n/a" is 0).
oracle() {
	in_ns ethtool -l v0 | awk '
		/^Pre-set maximums:/ { p = "max_"; next }
		/^Current hardware settings:/ { p = ""; next }
		/^(RX|TX|Other|Combined):/ {
			k = tolower($1); sub(/:$/, "", k)
			v = $2; if (v == "n/a") v = 0
			printf "%s%s=%s\n", p, k, v
		}'
}

# sysfs_queues rx|tx: how many rx-N / tx-N directories v0 has.
sysfs_queues() {
	in_ns find /sys/class/net/v0/queues -mindepth 1 -maxdepth 1 \
		-name "$1-*" | wc -l
}

# check_state TRANSPORT RX TX: one round of show --json against the kernel.
check_state() {
	local tr=$1 rx=$2 tx=$3 name rc words sys_rx sys_tx
	local out=$TMP/show.json err=$TMP/show.err

	name="$T: $tr: rx $rx tx $tx"
	in_ns "$MQTUNE" --ethtool "$tr" show --json v0 >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		ts_fail "$name: show --json exited $rc"
		sed 's/^/    /' "$err" | head -20
		return
	fi
	ts_pass "$name: show --json exits 0"
	ts_check "$name: show --json matches docs/schema/show.schema.json" \
		python3 "$TS_TOP/tests/lib/validate_json.py" "$out"

	mapfile -t words < <(oracle)
	if [ "${#words[@]}" -ne 8 ]; then
		ts_fail "$name: cannot parse ethtool -l (${#words[@]} counts)"
		in_ns ethtool -l v0 | sed 's/^/    /'
	else
		ts_check "$name: channels match ethtool -l" \
			python3 -c "$PY_CHECK" "$out" channels "source=$tr" \
			"${words[@]}"
	fi

	sys_rx=$(sysfs_queues rx)
	sys_tx=$(sysfs_queues tx)
	if [ "$sys_rx" -ne "$rx" ] || [ "$sys_tx" -ne "$tx" ]; then
		ts_fail "$name: the kernel has $sys_rx rx-N, $sys_tx tx-N, want $rx, $tx"
	fi
	ts_check "$name: rx_queues/tx_queues match sysfs" \
		python3 -c "$PY_CHECK" "$out" queues "rx=$sys_rx" "tx=$sys_tx"
	ts_check "$name: irq_source none, no queue irq" \
		python3 -c "$PY_CHECK" "$out" irqs
}

# check_bad_name TRANSPORT NAME PATTERN: exit 3, one stderr line matching.
check_bad_name() {
	local tr=$1 ifname=$2 pattern=$3 rc lines
	local err=$TMP/bad.err name="$T: $tr: show '$2'"

	in_ns "$MQTUNE" --ethtool "$tr" show "$ifname" >/dev/null 2>"$err"
	rc=$?
	lines=$(wc -l <"$err")
	if [ "$rc" -eq 3 ] && [ "$lines" -eq 1 ] && grep -Eq -- "$pattern" "$err"; then
		ts_pass "$name: exit 3, one line"
	else
		ts_fail "$name: exit $rc with $lines stderr lines, want 3 and one line matching /$pattern/"
		sed 's/^/    /' "$err" | head -10
	fi
}

for tr in netlink ioctl; do
	if ! in_ns ethtool -L v0 rx 8 tx 8 2>"$TMP/L.err"; then
		# "no change" is not an error for us
		grep -qi "unmodified\|changed" "$TMP/L.err" ||
			ts_fail "$T: $tr: ethtool -L v0 rx 8 tx 8: $(head -1 "$TMP/L.err")"
	fi
	check_state "$tr" 8 8
	if in_ns ethtool -L v0 rx 3 tx 5 2>"$TMP/L.err"; then
		check_state "$tr" 3 5
	else
		ts_fail "$T: $tr: ethtool -L v0 rx 3 tx 5: $(head -1 "$TMP/L.err")"
	fi
	check_bad_name "$tr" nosuch0 '^mqtune: nosuch0: no such network interface$'
	check_bad_name "$tr" 'a/b' '^mqtune: .*[Ii]nvalid.*name'
done

# AUTO must pick netlink wherever the kernel has the ethtool genl family
# (Linux 5.6+); ioctl is only the fallback.
IFS=.- read -r kmaj kmin _ < <(uname -r)
want=netlink
if [ "${kmaj:-0}" -lt 5 ] || { [ "${kmaj:-0}" -eq 5 ] && [ "${kmin:-0}" -lt 6 ]; }; then
	want=ioctl
fi
if in_ns "$MQTUNE" show --json v0 >"$TMP/auto.json" 2>"$TMP/auto.err"; then
	mapfile -t words < <(oracle)
	ts_check "$T: auto: $want answers" \
		python3 -c "$PY_CHECK" "$TMP/auto.json" channels "source=$want" \
		"${words[@]}"
else
	ts_fail "$T: auto: show --json v0 failed: $(head -1 "$TMP/auto.err")"
fi
