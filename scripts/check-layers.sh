#!/bin/sh
# check-layers.sh BUILD_DIR - keep the architecture honest (docs/architecture.md):
#  1. pure modules (classify, place, plan, rss, cpuset, parse, esc, options,
#     config, config_resolve, statefile, procnet, doctor_facts, doctor,
#     settle, napi, channels, project, putback, ifres) call no I/O;
#  2. no file under src/ but src/access/root.c opens kernel paths itself;
#  3. no file under src/ but src/access/sched.c calls sched_setaffinity.
set -eu
build=${1:-build}
status=0
io='^(open|openat|fopen|read|write|printf|fprintf|puts|fputs|opendir|readlink|syscall|socket|stat|fstat)$'
for mod in base/classify core/place core/plan core/rss base/cpuset base/parse base/esc \
	base/options base/config base/config_resolve effect/statefile \
	base/procnet base/doctor_facts core/doctor core/settle core/napi core/channels core/project core/putback \
	base/ifres; do
	obj="$build/$mod.o"
	if [ ! -f "$obj" ]; then
		echo "check-layers: $obj not built" >&2
		status=1
		continue
	fi
	bad=$(nm -u "$obj" | awk '{print $2}' | sed 's/@.*//' | grep -E "$io" || true)
	if [ -n "$bad" ]; then
		echo "check-layers: $mod.o is meant to be pure but calls:" $bad >&2
		status=1
	fi
done
for f in src/*/*.c; do
	case "$f" in src/access/root.c) continue ;; esac
	if grep -nE '\b(open|openat|fopen|opendir|readlink|stat)\s*\(\s*"/(proc|sys)' "$f" >/dev/null; then
		echo "check-layers: $f opens a /proc or /sys path itself; use src/access/root.c" >&2
		status=1
	fi
done
# 3. only src/access/sched.c changes or reads a thread's CPU affinity
for f in src/*/*.c; do
	case "$f" in src/access/sched.c) continue ;; esac
	if grep -nE '\bsched_(set|get)affinity\s*\(' "$f" >/dev/null; then
		echo "check-layers: $f calls sched_setaffinity/sched_getaffinity itself; use src/access/sched.c" >&2
		status=1
	fi
done
[ $status -eq 0 ] && echo "check-layers: ok"
exit $status
