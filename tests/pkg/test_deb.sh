#!/bin/bash
# test_deb.sh - the Debian package: `make deb` builds it (in a copy of the
# tree below a temporary directory; nothing lands in the tree or its
# parent); its contents (binary, man page, units, udev rule, conffile,
# docs), its dependencies, that its maintainer scripts neither enable nor
# start a unit, that the packaged binary and config file work, lintian
# when installed.  With MQTUNE_TEST_DPKG=1 (and root) it also installs
# the package with dpkg -i, checks it, removes it (the conffile stays)
# and purges it (the conffile goes): that changes the machine, so it is
# not done by default.  Skips when dpkg-buildpackage or debhelper is missing.
set -u
. "$(dirname "$0")/../lib/ts.sh"

if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	ts_skip "deb: dpkg-buildpackage or debhelper missing (apt install dpkg-dev debhelper)"
	exit 0
fi
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
cd "$TS_TOP" || exit 1

parent_before=$(ls "$TS_TOP/.." | sort | md5sum)
if nice make -s deb B="$WORK/b" >"$WORK/build.log" 2>&1; then
	ts_pass "deb: make deb builds the package"
else
	ts_fail "deb: make deb failed"
	tail -30 "$WORK/build.log" | sed 's/^/    /'
	exit 0
fi
deb=$(ls "$WORK"/b/deb/mqtune_*_*.deb 2>/dev/null | head -1)
if [ -n "$deb" ] && [ "$(ls "$TS_TOP/.." | sort | md5sum)" = "$parent_before" ] &&
	[ ! -e "$TS_TOP/debian/mqtune" ] && [ ! -e "$TS_TOP/debian/.debhelper" ]; then
	ts_pass "deb: $(basename "$deb") built outside the tree; the tree and its parent are clean"
else
	ts_fail "deb: no .deb, or build products in the tree or its parent"
	exit 0
fi
[ ! -e "$WORK/b/deb/mqtune-0.1.0" ] && ts_pass "deb: the build copy is removed" ||
	ts_fail "deb: the build copy is left"

dpkg-deb -c "$deb" | awk '{print $6}' >"$WORK/contents"
for f in ./usr/sbin/mqtune ./usr/share/man/man8/mqtune.8.gz \
	./lib/systemd/system/mqtune.service ./lib/systemd/system/mqtune@.service \
	./lib/systemd/system/mqtune-watch.service ./usr/share/mqtune/udev/80-mqtune.rules \
	./etc/mqtune.conf ./usr/share/doc/mqtune/copyright ./usr/share/doc/mqtune/README.Debian \
	./usr/share/bash-completion/completions/mqtune; do
	if grep -qxF "$f" "$WORK/contents"; then ts_pass "deb: contains $f"; else ts_fail "deb: lacks $f"; fi
done
if grep -q '^./lib/udev/rules.d/\|^./usr/lib/udev/rules.d/' "$WORK/contents"; then
	ts_fail "deb: the udev rule is active on install (in rules.d)"
else
	ts_pass "deb: the udev rule is shipped inactive (not in a rules.d)"
fi

dpkg-deb -e "$deb" "$WORK/ctl"
dpkg-deb -x "$deb" "$WORK/root"
if [ "$(cat "$WORK/ctl/conffiles")" = /etc/mqtune.conf ]; then
	ts_pass "deb: /etc/mqtune.conf is its only conffile"
else
	ts_fail "deb: conffiles: $(tr '\n' ' ' <"$WORK/ctl/conffiles")"
fi
dep=$(dpkg-deb -f "$deb" Depends)
case $dep in
*libnl-3-200*libnl-genl-3-200*) case $dep in *libjson-c*) ts_pass "deb: Depends from shlibs: $dep" ;;
	*) ts_fail "deb: Depends lacks libjson-c: $dep" ;; esac ;;
*) ts_fail "deb: Depends lacks libnl: $dep" ;;
esac
# dh_installsystemd --no-enable: "enable" only inside a was-enabled test
# (it re-creates the links of a unit the admin had enabled, on upgrade)
enables=$(grep -c 'deb-systemd-helper enable' "$WORK/ctl/postinst")
guarded=$(grep -B2 'deb-systemd-helper enable' "$WORK/ctl/postinst" | grep -c 'was-enabled')
if [ "$enables" = "$guarded" ] && ! grep -q 'systemctl' "$WORK/ctl/postinst"; then
	ts_pass "deb: postinst enables no unit the admin had not enabled ($enables guarded)"
else
	ts_fail "deb: postinst enables a unit ($enables enable lines, $guarded guarded)"
fi
grep -q 'deb-systemd-invoke' "$WORK"/ctl/postinst "$WORK"/ctl/prerm 2>/dev/null &&
	ts_fail "deb: a maintainer script starts or stops a unit" ||
	ts_pass "deb: no maintainer script starts or stops a unit"

if "$WORK/root/usr/sbin/mqtune" --version 2>&1 | grep -q '0\.1\.0'; then
	ts_pass "deb: the packaged binary runs (--version)"
else
	ts_fail "deb: the packaged binary: $("$WORK/root/usr/sbin/mqtune" --version 2>&1)"
fi
ts_gen m --cpus 4 --nodes 1 --nic ixgbe:eth0:2
if "$WORK/root/usr/sbin/mqtune" --sysroot "$WORK/m" --config "$WORK/root/etc/mqtune.conf" \
	config eth0 >"$WORK/conf.out" 2>&1 && ! grep -v '^#' "$WORK/root/etc/mqtune.conf" | grep -q '[^[:space:]]'; then
	ts_pass "deb: the packaged /etc/mqtune.conf is comments only and mqtune reads it"
else
	ts_fail "deb: the packaged /etc/mqtune.conf"
	sed 's/^/    /' "$WORK/conf.out" | head
fi
if zcat "$WORK/root/usr/share/man/man8/mqtune.8.gz" | grep -q '^\.TH MQTUNE'; then
	ts_pass "deb: the man page is mqtune(8)"
else
	ts_fail "deb: the man page has no .TH MQTUNE"
fi
if grep -qx 'ExecStart=/usr/sbin/mqtune watch --all' "$WORK/root/lib/systemd/system/mqtune-watch.service"; then
	ts_pass "deb: the units run /usr/sbin/mqtune"
else
	ts_fail "deb: mqtune-watch.service's ExecStart"
fi

if command -v lintian >/dev/null 2>&1; then
	lintian --tag-display-limit 0 "$deb" >"$WORK/lintian" 2>&1
	n=$(grep -c '^[EW]:' "$WORK/lintian")
	ts_pass "deb: lintian ran: $n errors/warnings (reported, not required)"
	grep '^[EW]:' "$WORK/lintian" | sed 's/^/    /' | head -20
else
	ts_skip "deb: lintian not installed (apt install lintian): not run"
fi

if [ "${MQTUNE_TEST_DPKG:-0}" != 1 ] || [ "$(id -u)" != 0 ]; then
	ts_skip "deb: dpkg -i/-r/--purge not run (set MQTUNE_TEST_DPKG=1, as root: it changes the machine)"
	exit 0
fi
if dpkg-query -W mqtune >/dev/null 2>&1 || [ -e /etc/mqtune.conf ] || [ -e /usr/sbin/mqtune ]; then
	ts_skip "deb: mqtune is installed already (package, /usr/sbin/mqtune or /etc/mqtune.conf): dpkg -i not run"
	exit 0
fi
if dpkg -i "$deb" >"$WORK/dpkg.log" 2>&1; then ts_pass "deb: dpkg -i installs it"; else
	ts_fail "deb: dpkg -i"; sed 's/^/    /' "$WORK/dpkg.log" | tail; exit 0; fi
/usr/sbin/mqtune --version | grep -q 0.1.0 && ts_pass "deb: installed mqtune --version" ||
	ts_fail "deb: installed mqtune --version"
if command -v man >/dev/null && man -w mqtune >/dev/null 2>&1; then
	ts_pass "deb: man -w mqtune finds the page"
elif [ -f /usr/share/man/man8/mqtune.8.gz ]; then
	ts_pass "deb: man page installed (man not installed: man -w not run)"
else
	ts_fail "deb: man page missing after install"
fi
if bash -c '. /usr/share/bash-completion/completions/mqtune && complete -p mqtune' 2>/dev/null | grep -q _mqtune; then
	ts_pass "deb: the installed bash completion loads"
else
	ts_fail "deb: the installed bash completion does not load"
fi
en=$(systemctl is-enabled mqtune-watch.service mqtune.service 2>/dev/null | tr '\n' ' ')
case $en in *enabled*) ts_fail "deb: a unit is enabled after install: $en" ;;
*) ts_pass "deb: no unit enabled after install (${en:-no systemd})" ;; esac
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no /lib/systemd/system/mqtune.service \
		/lib/systemd/system/mqtune-watch.service 2>&1)
	[ -z "$out" ] && ts_pass "deb: systemd-analyze verify the installed units" ||
		{ ts_fail "deb: systemd-analyze verify"; printf '%s\n' "$out" | sed 's/^/    /' | head; }
fi
echo '# edited' >>/etc/mqtune.conf
dpkg -r mqtune >"$WORK/dpkg.log" 2>&1
if [ ! -e /usr/sbin/mqtune ] && grep -q '^# edited$' /etc/mqtune.conf; then
	ts_pass "deb: dpkg -r removes it and keeps the edited conffile"
else
	ts_fail "deb: dpkg -r"
fi
dpkg --purge mqtune >"$WORK/dpkg.log" 2>&1
if [ ! -e /etc/mqtune.conf ] && ! dpkg-query -W mqtune >/dev/null 2>&1; then
	ts_pass "deb: dpkg --purge removes the conffile"
else
	ts_fail "deb: dpkg --purge left /etc/mqtune.conf or the package"
fi
