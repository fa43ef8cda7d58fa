# netns.sh - the common start of the real-kernel tests.  Source it after
# ts.sh, with T set to the test's label.
#
#   kt_begin TAG TOOL...   skips (exit 0, saying why) without root or one
#                          of the TOOLs; fails when mqtune is not built;
#                          makes TMP (a temporary directory) and NS (a
#                          private network namespace, mqt-TAG-PID-N); both
#                          are removed when the script exits.
#   kt_skip REASON         report SKIP for $T and exit 0.
#   in_ns CMD...           run CMD inside NS, in a private mount namespace
#                          where /var/lib is TMP/varlib: mqtune's state
#                          file (/var/lib/mqtune/state.json) is the
#                          test's, never the host's.

NS=
TMP=

kt_cleanup() {
	if [ -n "$NS" ]; then
		ip netns del "$NS" 2>/dev/null
	fi
	if [ -n "$TMP" ]; then
		rm -rf "$TMP"
	fi
}

kt_skip() {
	ts_skip "$T: $*"
	exit 0
}

in_ns() {
	# shellcheck disable=SC2016
	unshare -m --propagation private sh -c \
		'mount --bind "$1" /var/lib && shift && exec ip netns exec "$@"' \
		in_ns "$TMP/varlib" "$NS" "$@"
}

kt_begin() {
	local tag=$1 tool ns
	shift
	trap kt_cleanup EXIT
	[ "$(id -u)" -eq 0 ] || kt_skip "not root"
	for tool in ip "$@"; do
		command -v "$tool" >/dev/null 2>&1 || kt_skip "$tool not installed"
	done
	if [ ! -x "$MQTUNE" ]; then
		ts_fail "$T: $MQTUNE is not built"
		exit 0
	fi
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/mqtune-$tag.XXXXXX") || {
		ts_fail "$T: mktemp"
		exit 0
	}
	mkdir -p "$TMP/varlib"
	# shellcheck disable=SC2016
	unshare -m --propagation private sh -c 'mount --bind "$1" /var/lib' x "$TMP/varlib" \
		2>/dev/null || kt_skip "cannot bind a private /var/lib (unshare -m)"
	ns=mqt-$tag-$$-$RANDOM
	ip netns add "$ns" 2>/dev/null || kt_skip "cannot create a network namespace"
	NS=$ns
}
