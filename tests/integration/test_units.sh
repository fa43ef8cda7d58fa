#!/bin/bash
# test_units.sh - the shipped systemd units and udev rule: `make install`
# puts them where systemd and udev look, with ExecStart pointing at the
# installed binary; `systemd-analyze verify` accepts every unit; the
# daemon's hardening keeps its exposure low while still allowing the
# writes it needs.
set -u
. "$(dirname "$0")/../lib/ts.sh"
cd "$TS_TOP" || exit 1

if ! command -v systemd-analyze >/dev/null; then
	ts_skip "units: systemd-analyze not installed (apt-get install systemd)"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
DEST=$WORK/dest

if make -s install DESTDIR="$DEST" PREFIX=/usr >"$WORK/install.log" 2>&1; then
	ts_pass "units: make install DESTDIR"
else
	ts_fail "units: make install DESTDIR"; sed 's/^/    /' "$WORK/install.log" | head
	exit 0
fi
for f in usr/sbin/mqtune usr/lib/systemd/system/mqtune.service \
	 usr/lib/systemd/system/mqtune@.service \
	 usr/lib/systemd/system/mqtune-watch.service \
	 usr/lib/udev/rules.d/80-mqtune.rules usr/share/man/man8/mqtune.8; do
	if [ -f "$DEST/$f" ]; then ts_pass "units: installs /$f"; else ts_fail "units: installs /$f"; fi
done
make -s install DESTDIR="$WORK/local" PREFIX=/usr/local >/dev/null 2>&1
if grep -q '^ExecStart=/usr/local/sbin/mqtune watch --all$' \
	"$WORK/local/usr/local/lib/systemd/system/mqtune-watch.service"; then
	ts_pass "units: ExecStart follows PREFIX"
else
	ts_fail "units: ExecStart follows PREFIX"
fi

# verify wants the ExecStart binary to exist: point the units at ours
mkdir -p "$WORK/verify"
for u in mqtune.service mqtune@.service mqtune-watch.service; do
	sed "s#/usr/sbin/mqtune#$MQTUNE#" "systemd/$u" >"$WORK/verify/$u"
done
cp "$WORK/verify/mqtune@.service" "$WORK/verify/mqtune@eth0.service"
for u in mqtune.service mqtune@eth0.service mqtune-watch.service; do
	out=$(cd "$WORK/verify" && systemd-analyze verify --man=no "./$u" 2>&1 |
	      grep -v 'sys-subsystem-net-devices-eth0.device')
	if [ -z "$out" ]; then
		ts_pass "units: systemd-analyze verify $u"
	else
		ts_fail "units: systemd-analyze verify $u"; printf '%s\n' "$out" | sed 's/^/    /' | head
	fi
done

# exposure of the daemon: "→ Overall exposure level for X: 2.7 OK"
level=$(cd "$WORK/verify" && systemd-analyze security --offline=true \
	./mqtune-watch.service 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l < 4.0) }'; then
	ts_pass "units: mqtune-watch.service exposure $level < 4.0"
else
	ts_fail "units: mqtune-watch.service exposure '${level:-?}' (want < 4.0)"
fi
# ... while still allowed to write what it must
for p in /proc/irq /sys/class/net /proc/sys/net/core /var/lib/mqtune; do
	if grep -q "^ReadWritePaths=.*$p" systemd/mqtune-watch.service; then
		ts_pass "units: watch may write $p"
	else
		ts_fail "units: watch may write $p"
	fi
done
if grep -q 'ProtectKernelTunables=yes' systemd/*.service; then
	ts_fail "units: ProtectKernelTunables would make /proc/irq and /proc/sys read-only"
else
	ts_pass "units: no ProtectKernelTunables (it would forbid the writes)"
fi

# the udev rule: net devices only, physical only, the instance unit
rule=udev/80-mqtune.rules
if grep -q 'SUBSYSTEM=="net"' $rule && grep -q 'ACTION=="add|bind|move"' $rule &&
   grep -q 'ENV{DEVPATH}!="/devices/virtual/\*"' $rule &&
   grep -q 'ENV{SYSTEMD_WANTS}+="mqtune@$kernel.service"' $rule; then
	ts_pass "units: udev rule matches add/bind/move of physical net devices"
else
	ts_fail "units: udev rule matches add/bind/move of physical net devices"
fi
