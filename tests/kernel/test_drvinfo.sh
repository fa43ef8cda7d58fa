#!/bin/bash
# shellcheck disable=SC2015,SC2317  # ts_pass never fails; cleanup runs from the trap
# test_drvinfo.sh - driver names and channel support of virtual devices on
# the real kernel, against ethtool(8).
#
# In a private network namespace: a veth pair, a bridge (without ports)
# and a tap.  For each, `mqtune show --json` (both ethtool transports) must name
# the driver `ethtool -i` names (veth, bridge, tun: none of them
# has a device link in sysfs), and report channels as `ethtool -l` does:
# the counts where it has them, "not supported" (supported false, counts
# null; text "channels (...): not supported") where it answers "Operation
# not supported" (bridge), never counts made up from the queue
# directories.  Skips, saying why, without root, namespaces or ethtool.

# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"

T=kernel/drvinfo
kt_begin drv ethtool python3
in_ns ip link add v0 numrxqueues 4 numtxqueues 4 type veth peer name v1 \
	2>/dev/null || kt_skip "cannot create a veth pair"
devs=(v0)
in_ns ip link add br0 type bridge 2>/dev/null && devs+=(br0)
# (a macvlan given by name stands for the device below it, docs/policy.md
# §19: tests/kernel/test_stack_veth.sh has it)
in_ns ip tuntap add tap0 mode tap 2>/dev/null && devs+=(tap0)
[ "${#devs[@]}" -gt 1 ] ||
	ts_skip "$T: no bridge or tap could be made; veth only"

# oracle_channels DEV: "unsupported", or the 8 counts of `ethtool -l` as
# key=value words ("n/a" is 0).
oracle_channels() {
	local out
	if ! out=$(in_ns ethtool -l "$1" 2>&1); then
		grep -q "Operation not supported" <<<"$out" && echo unsupported ||
			echo "error: $out"
		return
	fi
	awk '
		/^Pre-set maximums:/ { p = "max_"; next }
		/^Current hardware settings:/ { p = ""; next }
		/^(RX|TX|Other|Combined):/ {
			k = tolower($1); sub(/:$/, "", k)
			v = $2; if (v == "n/a") v = 0
			printf "%s%s=%s\n", p, k, v
		}' <<<"$out"
}

# shellcheck disable=SC2016
PY='
import json, sys
path, drv, tr = sys.argv[1], sys.argv[2], sys.argv[3]
words = sys.argv[4:]
dev = json.load(open(path))["interfaces"][0]
bad = []
if dev.get("driver") != drv:
    bad.append("driver %r, ethtool -i says %r" % (dev.get("driver"), drv))
ch = dev.get("channels") or {}
if ch.get("source") != tr:
    bad.append("channels.source %r, want %r" % (ch.get("source"), tr))
keys = ("rx", "tx", "other", "combined", "max_rx", "max_tx", "max_other",
        "max_combined")
if words == ["unsupported"]:
    if ch.get("supported") is not False:
        bad.append("channels.supported %r, want false" % ch.get("supported"))
    for k in keys:
        if ch.get(k, 0) is not None:
            bad.append("channels.%s %r, want null" % (k, ch.get(k)))
else:
    if ch.get("supported") is not True:
        bad.append("channels.supported %r, want true" % ch.get("supported"))
    for w in words:
        k, v = w.split("=")
        if ch.get(k) != int(v):
            bad.append("channels.%s %r, ethtool -l says %s" % (k, ch.get(k), v))
if bad:
    print("\n".join(bad))
    sys.exit(1)
'

for dev in "${devs[@]}"; do
	drv=$(in_ns ethtool -i "$dev" | sed -n 's/^driver: //p')
	mapfile -t words < <(oracle_channels "$dev")
	case ${words[0]:-} in error*|"")
		ts_fail "$T: $dev: ethtool -l: ${words[*]}"
		continue ;;
	esac
	for tr in netlink ioctl; do
		if ! in_ns "$MQTUNE" --ethtool "$tr" show --json "$dev" \
			>"$TMP/out.json" 2>"$TMP/err"; then
			ts_fail "$T: $dev: $tr: show --json failed: $(head -1 "$TMP/err")"
			continue
		fi
		ts_check "$T: $dev: $tr: driver '$drv' and channels as ethtool -i/-l" \
			python3 -c "$PY" "$TMP/out.json" "$drv" "$tr" "${words[@]}"
	done
	if [ "${words[0]}" = unsupported ]; then
		in_ns "$MQTUNE" show "$dev" >"$TMP/out.txt" 2>"$TMP/err"
		grep -q '^  channels (netlink): not supported$' "$TMP/out.txt" &&
			ts_pass "$T: $dev: text says channels not supported" ||
			ts_fail "$T: $dev: text: $(grep channels "$TMP/out.txt")"
	fi
	in_ns "$MQTUNE" show "$dev" >"$TMP/out.txt" 2>"$TMP/err"
	grep -q "^$dev: driver $drv," "$TMP/out.txt" &&
		ts_pass "$T: $dev: text names driver $drv" ||
		ts_fail "$T: $dev: text: $(head -1 "$TMP/out.txt")"
done
exit 0
