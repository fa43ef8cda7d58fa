#!/bin/bash
# doctor_tw.sh [N] - what `mqtune doctor` costs with N (default 100000)
# sockets in TIME-WAIT: wall time and peak RSS of one run, against the
# sock_diag dump by ss for scale.  Needs root (a private network
# namespace, tests/lib/netns.sh); prints the figures, and fails when a run
# takes more than 1 s or 64 MiB or counts the sockets wrong.
# shellcheck source=SCRIPTDIR/../lib/ts.sh
source "$(dirname "$0")/../lib/ts.sh"
# shellcheck source=SCRIPTDIR/../lib/netns.sh
source "$(dirname "$0")/../lib/netns.sh"
T=bench/doctor-time-wait
N=${1:-100000}
kt_begin dtw ss python3
in_ns ip link set lo up
in_ns sysctl -qw net.ipv4.ip_local_port_range="1024 65000" \
	net.ipv4.tcp_max_tw_buckets=$((N * 2)) net.ipv4.tcp_tw_reuse=0 2>/dev/null
start=$(date +%s)
in_ns python3 - "$N" <<'PY' || { ts_fail "$T: could not make the sockets"; exit 0; }
import socket, sys
n = int(sys.argv[1])
ports = (n + 29999) // 30000          # at most 30000 per destination
srvs = []
for _ in range(ports):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(4096)
    srvs.append(s)
for i in range(n):
    srv = srvs[i % ports]
    c = socket.create_connection(srv.getsockname())
    a, _ = srv.accept()
    c.close()                         # the client closes first: TIME-WAIT
    a.recv(1)
    a.close()
PY
made=$(($(date +%s) - start))
have=$(in_ns ss -Htan state time-wait | wc -l)
# one run: wall time and peak RSS from GNU time (maximum resident set)
command -v /usr/bin/time >/dev/null || kt_skip "GNU time (/usr/bin/time) not installed"
in_ns /usr/bin/time -o "$TMP/time" -f '%e %M %x' "$MQTUNE" -j doctor \
	>"$TMP/dtw.json" 2>/dev/null
read -r wall rss rc <"$TMP/time"
t0=$(date +%s.%N)
in_ns ss -Htan state time-wait >/dev/null
t1=$(date +%s.%N)
counted=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([f for f in d["findings"] if f["id"] == "tcp.states"][0]["evidence"].get("time_wait", 0))' "$TMP/dtw.json")
echo "bench: $have TIME-WAIT sockets (made in ${made} s); doctor: ${wall} s, peak RSS ${rss} KiB, exit $rc, counted $counted; ss -tan state time-wait: $(echo "$t1 - $t0" | bc) s"
if [ "$counted" -ne "$have" ]; then
	ts_fail "$T: doctor counted $counted of $have"
elif awk -v w="$wall" -v r="$rss" 'BEGIN { exit !(w <= 1.0 && r <= 65536) }'; then
	ts_pass "$T: $have sockets in ${wall} s, ${rss} KiB"
else
	ts_fail "$T: $have sockets in ${wall} s, ${rss} KiB (limit 1 s, 64 MiB)"
fi
