#!/bin/bash
# test_doctor_plan.sh - doctor's nic.plan is check's verdict: doctor makes
# its plan with the same pipeline and config file as `mqtune check`, so on
# every machine below (fresh, converged, then a config file that changes
# the policy: --cpus, rps = off) nic.plan is info exactly when check
# reports drift (status 12), ok exactly when check finds none (0), and it
# counts the same values.  A bad config file is a note for doctor (the
# rest of the report still comes) and status 13 for check.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

T=doctor-plan
if [ ! -x "$MQTUNE" ]; then
	ts_fail "$T: mqtune binary $MQTUNE not built"
	exit 0
fi
command -v python3 >/dev/null || { ts_skip "$T: python3 not installed"; exit 0; }
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }

# same NAME WANT: check and doctor on machine NAME agree, and check's exit
# status is WANT (0 converged, 12 drifted)
same() {
	local name=$1 want=$2 root=$WORK/m rc
	"$MQTUNE" --sysroot "$root" --json check eth0 >"$WORK/$name.check" \
		2>"$WORK/$name.check.err"
	rc=$?
	"$MQTUNE" --sysroot "$root" --json doctor eth0 >"$WORK/$name.doctor" \
		2>"$WORK/$name.doctor.err"
	if [ "$rc" -ne "$want" ]; then
		ts_fail "$T $name: check exit status $rc, expected $want"
		sed 's/^/    /' "$WORK/$name.check.err"
		return
	fi
	ts_check "$T $name: nic.plan = check (status $want)" python3 - \
		"$WORK/$name.check" "$WORK/$name.doctor" "$rc" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
plan = [x for x in d["findings"] if x["id"] == "nic.plan"]
assert len(plan) == 1, [x["title"] for x in d["findings"] if x["id"] == "doctor.skipped"]
p = plan[0]
drift = int(sys.argv[3]) == 12
assert c["drift"] == drift, c["drift"]
assert p["severity"] == ("info" if drift else "ok"), p
assert p["evidence"]["drifted"] == len(c["drifted"]), (p["evidence"], len(c["drifted"]))
irqs = sum(1 for x in c["drifted"] if " IRQ " in x["object"])
assert p["evidence"]["elsewhere"] == irqs, (p["evidence"], irqs)
if drift:
    first = c["drifted"][0]
    want = "%s: %s, planned %s" % (first["object"], first["found"], first["planned"])
    assert want in p["title"], (want, p["title"])
PY
}

if ! ts_gen m --cpus 8 --nic virtio_net:eth0:2 --doctor net_rx=0:5000; then
	ts_fail "$T: mkmachine.py failed"
	exit 0
fi
conf=$WORK/m/etc/mqtune.conf
mkdir -p "$WORK/m/etc"

same fresh 12
"$MQTUNE" --sysroot "$WORK/m" auto eth0 >/dev/null 2>&1
same converged 0
# a config file that changes the policy: what was converged has drifted,
# though the default policy (what doctor used to compare with) sees none
printf '[global]\ncpus = 0-3\n' >"$conf"
same cpus-drifted 12
"$MQTUNE" --sysroot "$WORK/m" auto eth0 >/dev/null 2>&1
same cpus-converged 0
printf '[global]\ncpus = 0-3\n\n[interface eth0]\nrps = off\n' >"$conf"
same rps-off-drifted 12
"$MQTUNE" --sysroot "$WORK/m" auto eth0 >/dev/null 2>&1
same rps-off-converged 0
# the plans of the last two differ only by RPS: doctor saw that
if python3 - "$WORK/rps-off-drifted.doctor" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = [x for x in d["findings"] if x["id"] == "nic.plan"][0]
assert p["evidence"]["rps_cpus"] > 0 and p["evidence"]["elsewhere"] == 0, p
PY
then
	ts_pass "$T rps = off: the drift is RPS, not the IRQs"
else
	ts_fail "$T rps = off: evidence"
fi

# a bad config file: check refuses it (13); doctor says so and goes on
printf '[global]\ncpus = many\n' >"$conf"
"$MQTUNE" --sysroot "$WORK/m" check eth0 >/dev/null 2>&1
rc_check=$?
"$MQTUNE" --sysroot "$WORK/m" --json doctor eth0 >"$WORK/bad.doctor" 2>/dev/null
rc_doctor=$?
if [ "$rc_check" -eq 13 ] && [ "$rc_doctor" -ne 13 ] && python3 - "$WORK/bad.doctor" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = [x["id"] for x in d["findings"]]
notes = [x["title"] for x in d["findings"] if x["id"] == "doctor.skipped"]
assert "nic.plan" not in ids, ids
assert any(n.startswith("no plan to compare with: ") and "mqtune.conf:2" in n
           for n in notes), notes
assert "softnet.dropped" in ids
PY
then
	ts_pass "$T bad config: check 13, doctor a note and the rest"
else
	ts_fail "$T bad config (check $rc_check, doctor $rc_doctor)"
fi
