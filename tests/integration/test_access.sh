#!/bin/bash
# shellcheck disable=SC2015  # ts_pass never fails
# test_access.sh - hostile conditions for the access and effect layers
# (src/access/root.c, src/effect/apply.c, src/effect/lock.c) on synthetic machines
# (tests/gen/mkmachine.py):
#   * renames racing with the sysroot's ".." walks (openat2 EAGAIN);
#   * openat2 unavailable (ENOSYS, EPERM injected with strace): absolute
#     symlinks and ".." must still stay inside the sysroot;
#   * FIFOs and character devices in place of kernel files;
#   * short writes and a full file system;
#   * SIGTERM/SIGINT/SIGHUP during an apply: all or nothing;
#   * more than 64 IRQs the kernel refuses to move;
#   * the lock's path and permission in a sysroot.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/ts.sh
. "$(dirname "$0")/../lib/ts.sh"

if [ ! -x "$MQTUNE" ]; then
	ts_fail "access: mqtune binary $MQTUNE not built"
	exit 0
fi
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm ts_tmpdir >/dev/null
else
	ts_tmpdir >/dev/null
fi
WORK=${TS_CLEANUP##* }

gen() { ts_gen "$@"; }	# gen NAME ARGS...: build a machine into $WORK/NAME

# contents DIR: checksum and mode of every file, the lock's directory and
# the state file excepted (it records when it was written).
contents() {
	(cd "$1" && find . \( -path ./run -o -path ./var/lib/mqtune \) -prune -o \
		-type f -printf '%p %m ' -exec md5sum {} + | sort)
}

one_line_stderr() {	# the failure message is exactly one line
	[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q '^mqtune: ' "$WORK/err"
}

# ---------------------------------------------------------------------
# 1. A rename loop elsewhere on the machine makes openat2(RESOLVE_IN_ROOT)
#    fail with EAGAIN on any walk with "..": 100 dry runs and 100 applies
#    beside one must all succeed.
if gen race --cpus 4 --nodes 1 --nic ice:eth0:2; then
	mkdir -p "$WORK/renames"
	python3 - "$WORK/renames" <<'EOF' &
import os, sys, time
a, b = os.path.join(sys.argv[1], "a"), os.path.join(sys.argv[1], "b")
open(a, "w").close()
end = time.time() + 60
while time.time() < end and os.path.isdir(sys.argv[1]):
    for _ in range(500):
        os.rename(a, b)
        os.rename(b, a)
EOF
	renamer=$!
	sleep 0.2
	bad=0 statuses=""
	for i in $(seq 100); do
		"$MQTUNE" --sysroot "$WORK/race" auto --dry-run eth0 >/dev/null 2>"$WORK/err"
		rc=$?
		[ "$rc" -eq 0 ] || { bad=$((bad + 1)); statuses+=" $rc"; }
	done
	[ "$bad" -eq 0 ] && ts_pass "access race: 100 dry runs beside a rename loop succeed" ||
		ts_fail "access race: $bad of 100 dry runs failed (status$statuses): $(cat "$WORK/err")"
	bad=0 statuses=""
	for i in $(seq 100); do
		# alternate CPU sets, so that every apply writes
		"$MQTUNE" --sysroot "$WORK/race" auto --cpus $((i % 2 * 2))-$((i % 2 * 2 + 1)) \
			eth0 >"$WORK/out" 2>"$WORK/err"
		rc=$?
		[ "$rc" -eq 0 ] || { bad=$((bad + 1)); statuses+=" $rc"; }
	done
	kill "$renamer" 2>/dev/null
	wait "$renamer" 2>/dev/null
	[ "$bad" -eq 0 ] && ts_pass "access race: 100 applies beside a rename loop succeed" ||
		ts_fail "access race: $bad of 100 applies failed (status$statuses): $(cat "$WORK/err")"
else
	ts_fail "access race: mkmachine.py failed"
fi

# ---------------------------------------------------------------------
# 2. openat2 unavailable (ENOSYS: kernels before 5.6, valgrind; EPERM: a
#    seccomp filter), injected with strace: an absolute symlink and a
#    ".." escape in the sysroot must resolve inside it, never outside.
if ! command -v strace >/dev/null; then
	ts_skip "access confinement: strace not installed (needed to inject openat2 errors)"
elif gen conf --cpus 4 --nodes 1 --nic ice:eth0:2; then
	q="sys/class/net/eth0/queues/rx-0"
	mkdir -p "$WORK/outside"
	for errno in ENOSYS EPERM; do
		for how in absolute dotdot; do
			rm -rf "$WORK/c" && cp -a "$WORK/conf" "$WORK/c"
			cp "$WORK/c/$q/rps_cpus" "$WORK/outside/rps_cpus"
			rm "$WORK/c/$q/rps_cpus"
			if [ "$how" = absolute ]; then
				ln -s "$WORK/outside/rps_cpus" "$WORK/c/$q/rps_cpus"
			else
				ln -s "../../../../../../../../../../../../../../..$WORK/outside/rps_cpus" \
					"$WORK/c/$q/rps_cpus"
			fi
			before=$(md5sum <"$WORK/outside/rps_cpus")
			strace -f -qq -o /dev/null -e trace=openat2 -e inject=openat2:error=$errno \
				"$MQTUNE" --sysroot "$WORK/c" auto eth0 >"$WORK/out" 2>"$WORK/err"
			rc=$?
			after=$(md5sum <"$WORK/outside/rps_cpus")
			# the link names a file missing inside: rps_cpus is then
			# taken as absent (no RPS), never as the file outside
			[ "$before" = "$after" ] && [ "$rc" -eq 0 ] &&
				ts_pass "access confinement ($errno): $how symlink out of the sysroot not followed" ||
				ts_fail "access confinement ($errno): $how symlink: rc $rc, outside file $([ "$before" = "$after" ] && echo kept || echo CHANGED): $(cat "$WORK/err")"
			# the same link resolves inside once the target exists there
			mkdir -p "$WORK/c$WORK/outside"
			cp "$WORK/outside/rps_cpus" "$WORK/c$WORK/outside/rps_cpus"
			strace -f -qq -o /dev/null -e trace=openat2 -e inject=openat2:error=$errno \
				"$MQTUNE" --sysroot "$WORK/c" auto eth0 >"$WORK/out" 2>"$WORK/err"
			rc=$?
			after=$(md5sum <"$WORK/outside/rps_cpus")
			[ "$before" = "$after" ] && [ "$rc" -eq 0 ] &&
				! cmp -s "$WORK/outside/rps_cpus" "$WORK/c$WORK/outside/rps_cpus" &&
				ts_pass "access confinement ($errno): $how symlink resolved inside the sysroot and written there" ||
				ts_fail "access confinement ($errno): $how symlink inside: rc $rc: $(cat "$WORK/err")"
		done
	done
else
	ts_fail "access confinement: mkmachine.py failed"
fi

# ---------------------------------------------------------------------
# 3. Files that never end or block: a FIFO or a character device (as
#    /dev/zero) in place of a CPU list, an IRQ's smp_affinity_list and
#    /proc/interrupts.  show and auto fail at once with status 5, naming
#    the file, and leave the lock free.
if gen hostile --cpus 4 --nodes 1 --nic ice:eth0:2 --no-actions-file --no-proc-action-dirs; then
	irq=$(ls "$WORK/hostile/sys/class/net/eth0/device/msi_irqs" | sort -n | head -1)
	for file in sys/devices/system/cpu/online "proc/irq/$irq/smp_affinity_list" \
		proc/interrupts; do
		for kind in fifo chardev; do
			rm -rf "$WORK/h" && cp -a "$WORK/hostile" "$WORK/h"
			rm "$WORK/h/$file"
			if [ "$kind" = fifo ]; then
				mkfifo "$WORK/h/$file"
			elif ! mknod "$WORK/h/$file" c 1 5 2>/dev/null; then
				ts_skip "access $kind as $file: mknod not permitted"
				continue
			fi
			for cmd in show "auto --dry-run" auto; do
				# shellcheck disable=SC2086
				timeout 20 "$MQTUNE" --sysroot "$WORK/h" $cmd eth0 >"$WORK/out" 2>"$WORK/err"
				rc=$?
				free=yes
				if [ -e "$WORK/h/run/mqtune.lock" ] && command -v flock >/dev/null; then
					flock -n "$WORK/h/run/mqtune.lock" true || free=no
				fi
				[ "$rc" -eq 5 ] && one_line_stderr && [ "$free" = yes ] &&
					grep -q "$WORK/h/$file: not a regular file" "$WORK/err" &&
					ts_pass "access $kind as $file: $cmd fails at once (status 5)" ||
					ts_fail "access $kind as $file: $cmd: rc $rc (124: hung), lock free: $free: $(head -c 300 "$WORK/err")"
			done
		done
	done
else
	ts_fail "access hostile files: mkmachine.py failed"
fi

# ---------------------------------------------------------------------
# 4. Partial writes.
# 4a. A run killed at any write, rename or truncation (SIGKILL injected by
#     strace on entering the Nth one) leaves every file parseable: the next
#     run completes the plan, which is then exactly the full plan.  (A
#     value written over a longer one and killed before the ftruncate left
#     "0\n15\n" that the next run refused.)  The first write and rename
#     are the state file's (recorded before the first kernel write).
if ! command -v strace >/dev/null; then
	ts_skip "access kill: strace not installed (needed to inject SIGKILL)"
elif gen kill --cpus 16 --nodes 1 --nic ice:eth0:4; then
	cp -a "$WORK/kill" "$WORK/kill.full"
	"$MQTUNE" --sysroot "$WORK/kill.full" auto eth0 >/dev/null 2>&1
	full=$(contents "$WORK/kill.full")
	bad=0 tried=0 why=""
	for point in write:1 write:2 write:3 write:5 write:8 write:13 write:21 \
		ftruncate:1 ftruncate:2 rename:1 renameat:1 renameat:2 renameat:5 \
		renameat2:1; do
		call=${point%:*} nth=${point#*:}
		rm -rf "$WORK/k" && cp -a "$WORK/kill" "$WORK/k"
		# (in a subshell, so that bash does not report the kill)
		(strace -f -qq -o /dev/null -e trace="$call" -e inject="$call:signal=KILL:when=$nth" \
			"$MQTUNE" --sysroot "$WORK/k" auto eth0; true) >/dev/null 2>&1
		tried=$((tried + 1))
		if ! "$MQTUNE" --sysroot "$WORK/k" show eth0 >/dev/null 2>"$WORK/err" ||
			! "$MQTUNE" --sysroot "$WORK/k" auto eth0 >/dev/null 2>>"$WORK/err" ||
			[ "$(contents "$WORK/k")" != "$full" ]; then
			bad=$((bad + 1))
			why+=" $point: $(head -c 200 "$WORK/err");"
		fi
	done
	[ "$bad" -eq 0 ] && ts_pass "access kill: killed at $tried points, every tree parses and the next run completes the plan" ||
		ts_fail "access kill: $bad of $tried kill points left a tree the next run refuses or gets wrong:$why"
else
	ts_fail "access kill: mkmachine.py failed"
fi

# 4b. A full file system: a mask growing past its page is cut short
#     (ENOSPC after 4096 bytes).  That object fails with the real errno,
#     and it is undone along with everything else: status 7, the tree as
#     it was.  Needs a private mount namespace for a small tmpfs.
if ! unshare -m true 2>/dev/null; then
	ts_skip "access full fs: cannot make a mount namespace (unshare -m) for a small tmpfs"
elif gen full --cpus 8 --possible 16384 --nodes 1 --nic ice:eth0:2; then
	printf '0\n' >"$WORK/full/sys/class/net/eth0/queues/rx-0/rps_cpus"
	before=$(contents "$WORK/full")
	mkdir -p "$WORK/mnt"
	# shellcheck disable=SC2016
	unshare -m bash -c '
		mount -t tmpfs -o size=16m none "$1" || exit 99
		cp -a "$2" "$1/m" || exit 99
		head -c 64m /dev/zero >"$1/fill" 2>/dev/null
		"$3" --sysroot "$1/m" auto eth0 >"$4/out" 2>"$4/err"
		echo $? >"$4/rc"
		cd "$1/m" && find . \( -path ./run -o -path ./var/lib/mqtune \) -prune -o \
			-type f -printf "%p %m " -exec md5sum {} + | sort >"$4/after"
	' full-fs "$WORK/mnt" "$WORK/full" "$MQTUNE" "$WORK"
	rc=$(cat "$WORK/rc" 2>/dev/null || echo none)
	if [ "$rc" = none ] || [ "$rc" = 99 ]; then
		ts_skip "access full fs: cannot mount a small tmpfs in a mount namespace"
	else
		[ "$rc" -eq 7 ] && one_line_stderr && grep -q 'rx-0 rps_cpus.*No space left on device.*undone' "$WORK/err" &&
			[ "$before" = "$(cat "$WORK/after")" ] &&
			ts_pass "access full fs: a short write fails with ENOSPC and is undone too (status 7, tree as it was)" ||
			ts_fail "access full fs: rc $rc, tree restored: $([ "$before" = "$(cat "$WORK/after")" ] && echo yes || echo no): $(cat "$WORK/err")"
	fi
else
	ts_fail "access full fs: mkmachine.py failed"
fi

# ---------------------------------------------------------------------
# 5. SIGTERM, SIGINT and SIGHUP at random moments of `mqtune auto` on a
#    large machine (1024 CPUs, four NICs, 352 queues): the tree is then
#    exactly as before or exactly the full plan, never in between.  The
#    run alternates between two plans (--cpus 0-511 and 512-1023), so no
#    copy of the tree is needed between trials.
if gen sig --cpus 1024 --nodes 8 --smt 2 --nic mlx5_core:eth0:128:node=1 \
	--nic ice:eth1:128:node=3 --nic gve:eth2:64:node=5 --nic virtio_net:eth3:32:node=7; then
	if python3 - "$MQTUNE" "$WORK/sig" >"$WORK/sig.log" 2>&1 <<'EOF_PY'
import hashlib, os, random, signal, subprocess, sys, time

mqtune, root = sys.argv[1], sys.argv[2]
ifaces = ["eth0", "eth1", "eth2", "eth3"]
plans = ["0-511", "512-1023"]

def run(cpus, extra=()):
    return subprocess.run([mqtune, "--sysroot", root, "auto", *extra,
                           "--cpus", cpus, *ifaces],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

def walk():
    out = []
    for top in ("proc", "sys"):
        for d, _, files in os.walk(os.path.join(root, top)):
            out += [os.path.join(d, f) for f in files]
    return out

def digest(paths):
    h = {}
    for p in paths:
        try:
            with open(p, "rb") as f:
                h[p] = hashlib.md5(f.read()).hexdigest()
        except OSError:
            h[p] = None
    return h

everything = walk()
orig = digest(everything)
# the files either plan writes: apply each plan once, uninterrupted
states = []
for cpus in plans:
    r = run(cpus)
    if r.returncode:
        sys.exit("setup run --cpus %s failed: %s" % (cpus, r.stderr.decode()))
    states.append(digest(everything))
watched = sorted(p for p in everything
                 if len({orig[p], states[0][p], states[1][p]}) > 1)
states = [{p: s[p] for p in watched} for s in states]
if not watched or states[0] == states[1]:
    sys.exit("the two plans do not differ")
# how long a whole run takes
t0 = time.monotonic(); run(plans[0]); run(plans[1])
whole = (time.monotonic() - t0) / 2
at = 1  # the tree now holds plan 1
bad = mid = 0
random.seed(int(os.environ.get("SIG_SEED", "7")))
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    for trial in range(10):
        want = 1 - at
        p = subprocess.Popen([mqtune, "--sysroot", root, "auto", "--cpus",
                              plans[want], *ifaces],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # discovery takes the first part of a run: aim at the rest
        time.sleep(random.uniform(whole * 0.3, whole * 1.1))
        p.send_signal(sig)
        err = p.communicate()[1].decode()
        now = digest(watched)
        if now == states[want]:
            at = want
            mid += p.returncode == -sig
        elif now != states[at]:
            bad += 1
            changed = sum(now[f] != states[at][f] for f in watched)
            print("%s trial %d: %d of %d files changed, status %s %s" %
                  (signal.Signals(sig).name, trial, changed, len(watched),
                   p.returncode, err.strip()))
            run(plans[want])  # back to a known state
            at = want
print("30 trials, %d killed after completing the plan, %d half-done; "
      "a run takes %.0f ms" % (mid, bad, whole * 1000))
sys.exit(1 if bad else 0)
EOF_PY
	then
		ts_pass "access signals: SIGTERM/SIGINT/SIGHUP during auto: all or nothing ($(tail -1 "$WORK/sig.log"))"
	else
		ts_fail "access signals: $(tail -1 "$WORK/sig.log")"
		head -10 "$WORK/sig.log" | sed 's/^/    /'
	fi
else
	ts_fail "access signals: mkmachine.py failed"
fi

# ---------------------------------------------------------------------
# 6. More than 64 IRQs the kernel manages, on a kernel before 6.12 (their
#    smp_affinity_list is 0644, a write fails with EIO; injected with
#    strace): one apply learns all 128, one re-plan leaves them alone, the
#    rest is applied, status 0.  (It gave up after 64 with status 7.)
if ! command -v strace >/dev/null; then
	ts_skip "access managed: strace not installed (needed to inject EIO)"
elif gen managed --cpus 64 --nodes 2 --smt 2 --nic ice:eth0:128:node=0 \
	--nic ice:eth1:8:node=1 --kernel-managed eth0; then
	M=$WORK/managed args=() n=0
	for i in $(ls "$M/sys/class/net/eth0/device/msi_irqs"); do
		f=$M/proc/irq/$i/smp_affinity_list
		[ "$(stat -c %a "$f")" = 444 ] || continue
		# all on CPU 0, outside --cpus 1-63: every one is planned to move
		chmod 644 "$f" && echo 0 >"$f" && echo 0 >"$M/proc/irq/$i/effective_affinity_list"
		args+=(-P "$f" -P "$M/proc/irq/$i/.smp_affinity_list.mqtune")
		n=$((n + 1))
	done
	strace -f -qq -o "$WORK/managed.strace" -e trace=write -e inject=write:error=EIO "${args[@]}" \
		"$MQTUNE" --sysroot "$M" auto --json --cpus 1-63 eth0 eth1 >"$WORK/out" 2>"$WORK/err"
	rc=$?
	refused=$(grep -c 'INJECTED' "$WORK/managed.strace")
	if [ "$rc" -eq 0 ] && [ "$n" -eq 128 ] && [ "$refused" -eq 128 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[1]).read()
ok = (d["status"] == "ok" and d["changes"]
      and all(c["state"] == "applied" for c in d["changes"])
      and not any(c["object"].startswith("eth0 IRQ") for c in d["changes"])
      and any(c["object"].startswith("eth1 IRQ") for c in d["changes"])
      and text.count("is managed by the kernel") >= 128)
sys.exit(0 if ok else 1)' "$WORK/out"; then
		ts_pass "access managed: 128 refused IRQs learnt in one pass, planned around, the rest applied (status 0)"
	else
		ts_fail "access managed: rc $rc, $n managed, $refused writes refused: $(head -c 300 "$WORK/err")"
	fi
else
	ts_fail "access managed: mkmachine.py failed"
fi

# ---------------------------------------------------------------------
# 7. The lock in a sysroot: a held lock is reported by its real path; a
#    user who may not make or open it gets status 4 (permission), not 5.
if gen lock --cpus 4 --nic ice:eth0:2; then
	mkdir -p "$WORK/lock/run"
	if command -v flock >/dev/null; then
		flock "$WORK/lock/run/mqtune.lock" sleep 3 &
		holder=$!
		sleep 0.3
		"$MQTUNE" --sysroot "$WORK/lock" auto --wait 0 eth0 >"$WORK/out" 2>"$WORK/err"
		rc=$?
		[ "$rc" -eq 6 ] && one_line_stderr &&
			grep -q "^mqtune: $WORK/lock/run/mqtune.lock: held by another mqtune" "$WORK/err" &&
			ts_pass "access lock: a held lock is named by its path in the sysroot" ||
			ts_fail "access lock: rc $rc: $(cat "$WORK/err")"
		kill "$holder" 2>/dev/null
		wait "$holder" 2>/dev/null
	else
		ts_skip "access lock: flock(1) not installed"
	fi
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
		chmod 711 "$WORK"	# the user may reach the sysroot, not write it
		for state in "no run directory" "a root-owned lock file"; do
			rm -rf "$WORK/lock/run"
			if [ "$state" = "a root-owned lock file" ]; then
				mkdir "$WORK/lock/run" && : >"$WORK/lock/run/mqtune.lock"
			fi
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				"$MQTUNE" --sysroot "$WORK/lock" auto eth0 >"$WORK/out" 2>"$WORK/err"
			rc=$?
			[ "$rc" -eq 4 ] && one_line_stderr &&
				grep -q "^mqtune: $WORK/lock/run/mqtune.lock: Permission denied" "$WORK/err" &&
				ts_pass "access lock: not root on a root-owned sysroot ($state) -> status 4" ||
				ts_fail "access lock: not root, $state: rc $rc: $(cat "$WORK/err")"
		done
	else
		ts_skip "access lock: the permission checks need root and setpriv(1)"
	fi
else
	ts_fail "access lock: mkmachine.py failed"
fi
