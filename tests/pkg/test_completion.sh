#!/bin/bash
# test_completion.sh - completion/mqtune (bash completion, shipped by the
# Debian package): it loads, and completes commands, each command's
# options, option values and the interface names of a synthetic machine
# (--sysroot).
set -u
. "$(dirname "$0")/../lib/ts.sh"
ts_tmpdir >/dev/null
WORK=${TS_CLEANUP##* }
COMP="$TS_TOP/completion/mqtune"

ts_gen m --cpus 4 --nodes 1 --nic ixgbe:eth0:2 --nic ixgbe:ens7:2
if out=$(bash -c ". '$COMP' && complete -p mqtune" 2>&1) && [ "$out" = "complete -F _mqtune mqtune" ]; then
	ts_pass "completion: loads in bash and registers _mqtune"
else
	ts_fail "completion: does not load: $out"
	exit 0
fi
# comp EXPECTED WORDS...: the completions of the last word
comp() {
	local want=$1 got
	shift
	got=$(bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mqtune; echo "${COMPREPLY[*]}"' "$COMP" "$@" 2>&1)
	if [ "$got" = "$want" ]; then
		ts_pass "completion: '$*' -> '$want'"
	else
		ts_fail "completion: '$*' gives '$got', not '$want'"
	fi
}
comp "auto" mqtune au
comp "check config" mqtune c
comp "--rps --rps-scope" mqtune auto --rp
comp "auto off keep" mqtune auto --rps ""
comp "warn fail ignore" mqtune check --irqbalance ""
comp "--prometheus" mqtune check --pro
comp "" mqtune show --dry
comp "--dry-run" mqtune restore --dr
comp "--interval" mqtune doctor --int
comp "ens7 eth0 lo" mqtune --sysroot "$WORK/m" auto ""
comp "eth0" mqtune -R "$WORK/m" show et
