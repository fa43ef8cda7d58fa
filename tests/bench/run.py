#!/usr/bin/env python3
"""run.py - `make bench`: mqtune on synthetic machines at scale.

    run.py [--quick] [--cases PATTERN[,PATTERN...]] [--runs N] [--warmup N]
           [--mqtune PATH] [--floor PATH] [--json FILE] [--workdir DIR]
           [--keep] [--no-analysis] [--list] [--self-test]

For each case, tests/gen/mkmachine.py builds a sysroot (under /dev/shm when
it exists) and the whole process `mqtune --sysroot DIR ...` is measured:
`show --json`, `auto --dry-run`, `auto` on a fresh copy of the tree (the
full apply; the copy is not timed) and `auto` again (the no-op), each a
warm-up then several runs: median, min-max and IQR of the wall time, the
peak RSS (wait4 rusage, measured from the small launcher in floor.c so
Python's own RSS does not leak into it), the system calls (a separate run
under `strace -c -f`) and the files written (the tree diffed before and
after by content and mtime; the lock file under run/ is not counted).
The floor (floor.c) rewrites exactly the files the apply changed, and is
timed interleaved with the apply runs; every case reports apply/floor.

A table goes to stdout, JSON to bench/results.json, then the targets with
PASS/FAIL; the exit status is 1 when a target fails or mqtune fails, 0
otherwise (targets whose cases were filtered out are SKIP).  Python 3
standard library only.  See tests/bench/README.md.
"""

import argparse
import fnmatch
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "gen"))

DRIVERS = ["mlx5_core", "ice", "gve", "virtio_net"]
OPS = ["show", "dry-run", "apply", "no-op"]

# Targets (the issue "Proof: benchmarks at scale").
TARGET_CASE = "c1024-8x128"
MAX_FLOOR_RATIO = 2.5   # issue 7: in wall time and in CPU time
MAX_RSS_MIB = 8.0
MAX_SLOPE_RATIO = 3.0


def case(cpus, nodes, nics, queues, smoke=False):
    return {"name": "c%d-%dx%d" % (cpus, nics, queues), "cpus": cpus,
            "nodes": nodes, "smt": 2, "nics": nics, "queues": queues,
            "smoke": smoke}


# The matrix: the 64 -> 256 -> 1024 CPU curve at 4 x 16 and at 8 x 128
# queues, and the NICs x queues series at 1024 CPUs: 16, 64, 256, 512,
# 1024 queues.  c64-1x16 is the smoke case (not in the default run).
CASES = [
    case(64, 2, 1, 16, smoke=True),
    case(64, 2, 4, 16),
    case(256, 4, 4, 16),
    case(1024, 8, 1, 16),
    case(1024, 8, 4, 16),
    case(1024, 8, 4, 64),
    case(1024, 8, 8, 64),
    case(64, 2, 8, 128),
    case(256, 4, 8, 128),
    case(1024, 8, 8, 128),
]


def machine_spec(c):
    nics = []
    for i in range(c["nics"]):
        nics.append({"driver": DRIVERS[i % len(DRIVERS)], "name": "eth%d" % i,
                     "queues": c["queues"], "node": i % c["nodes"]})
    return {"cpus": c["cpus"], "nodes": c["nodes"], "smt": c["smt"],
            "nics": nics, "seed": 1}


# --------------------------------------------------------------------------
# statistics

def summarize(values):
    v = sorted(values)
    if not v:
        return None
    if len(v) >= 2:
        q1, _, q3 = statistics.quantiles(v, n=4, method="inclusive")
    else:
        q1 = q3 = v[0]
    return {"median": statistics.median(v), "min": v[0], "max": v[-1],
            "q1": q1, "q3": q3, "n": len(v)}


def slope_check(points):
    """points: [(Q, ms)] of one operation at a fixed CPU count.  Linear
    growth means the cost of one more queue is about the same for small
    and large Q, so compare the marginal per-queue cost (slope) of the
    upper part of the series with that of the lower part, split at the
    point nearest the geometric middle of Q (ties: the larger Q).  A
    fixed start-up cost cancels out; quadratic growth over 16..1024
    queues gives a ratio near 4.7, linear growth 1.  Returns dict or
    None when there are fewer than 3 distinct Q."""
    pts = sorted(points)
    if len({q for q, _ in pts}) < 3:
        return None
    q0, t0 = pts[0]
    qk, tk = pts[-1]
    mid = math.log(q0 * qk) / 2
    inner = pts[1:-1]
    qm, tm = min(inner, key=lambda p: (abs(math.log(p[0]) - mid), -p[0]))
    lo = (tm - t0) / (qm - q0)
    hi = (tk - tm) / (qk - qm)
    ratio = hi / lo if lo > 0 else math.inf
    return {"q": [q0, qm, qk], "slope_lo_ms_per_q": lo,
            "slope_hi_ms_per_q": hi, "ratio": ratio,
            "per_queue_ms": [(q, t / q) for q, t in pts]}


# --------------------------------------------------------------------------
# strace

def strace_counts(path):
    """Parse `strace -c` output: ({syscall: calls}, total calls)."""
    counts, total = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line.split()
            if len(p) < 5 or not re.match(r"^[\d.]+$", p[0]):
                continue
            try:
                calls = int(p[3])
            except ValueError:
                continue
            if p[-1] == "total":
                total = calls
            else:
                counts[p[-1]] = calls
    if total is None and counts:
        total = sum(counts.values())
    return counts, total


LINE_RE = re.compile(r'^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+)')


def strace_paths(path, root):
    """Parse `strace -f -e trace=...` output into per-path open, read and
    write counts.  Relative opens are resolved against their dirfd."""
    fds = {}        # (pid, fd) -> path
    opens, reads, writes = {}, {}, {}
    root = root.rstrip("/")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE_RE.match(line)
            if not m:
                continue
            pid, name, args, ret = m.group(1), m.group(2), m.group(3), int(m.group(4))
            if name in ("open", "openat", "openat2", "creat"):
                sm = re.search(r'"((?:[^"\\]|\\.)*)"', args)
                if not sm or ret < 0:
                    continue
                p = sm.group(1)
                if not p.startswith("/") and name in ("openat", "openat2"):
                    base = fds.get((pid, args.split(",", 1)[0].strip()))
                    if base is not None and base != ".":
                        p = base + "/" + p
                if p == root:
                    p = "."
                elif p.startswith(root + "/"):
                    p = p[len(root) + 1:]
                fds[(pid, str(ret))] = p
                opens[p] = opens.get(p, 0) + 1
            elif name == "close":
                fds.pop((pid, args.strip()), None)
            elif name in ("read", "pread64", "readv"):
                p = fds.get((pid, args.split(",", 1)[0].strip()))
                if p is not None:
                    reads[p] = reads.get(p, 0) + 1
            elif name in ("write", "pwrite64", "writev"):
                p = fds.get((pid, args.split(",", 1)[0].strip()))
                if p is not None:
                    writes[p] = writes.get(p, 0) + 1
    return opens, reads, writes


def pattern(p):
    return re.sub(r"\d+", "N", p)


# --------------------------------------------------------------------------
# trees

def snapshot(root):
    """{relpath: (mtime_ns, contents)} of every regular file, run/ (the
    lock) and var/lib/mqtune/ (the state file of original values: mqtune's
    own record, not a kernel value; the floor has no such duty) excepted."""
    out = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(root, rel) if rel else root) as it:
            for e in it:
                r = rel + "/" + e.name if rel else e.name
                if e.is_dir(follow_symlinks=False):
                    if r not in ("run", "var/lib/mqtune"):
                        stack.append(r)
                elif e.is_file(follow_symlinks=False):
                    st = e.stat(follow_symlinks=False)
                    try:
                        with open(e.path, "rb") as f:
                            data = f.read()
                    except OSError:
                        data = None
                    out[r] = (st.st_mtime_ns, data)
    return out


def diff(before, after):
    """Paths written (changed content or mtime), added or removed."""
    changed = [p for p in after if p in before and after[p] != before[p]]
    added = [p for p in after if p not in before]
    removed = [p for p in before if p not in after]
    return sorted(changed), sorted(added), sorted(removed)


def copy_tree(src, dst):
    if os.path.lexists(dst):
        shutil.rmtree(dst)
    if shutil.which("cp"):
        subprocess.run(["cp", "-a", src, dst], check=True)
    else:
        shutil.copytree(src, dst, symlinks=True)


# --------------------------------------------------------------------------
# running

class RunError(Exception):
    pass


class Bench:
    def __init__(self, args, work):
        self.a = args
        self.work = work
        self.mqtune = os.path.abspath(args.mqtune)
        self.floor = os.path.abspath(args.floor)
        self.strace = shutil.which("strace") if not args.no_strace else None
        self.resfile = os.path.join(work, "launch.result")
        self.errfile = os.path.join(work, "stderr")
        self.outfile = os.path.join(work, "stdout")

    def launch(self, argv, label, capture=False):
        """Run argv under the launcher; return (ms, rss_kib, utime, stime)."""
        with open(self.errfile, "wb") as err, \
                open(self.outfile if capture else os.devnull, "wb") as out:
            p = subprocess.run([self.floor, "--run", self.resfile, "--"] + argv,
                               stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise RunError("%s: launcher failed (status %d): %s"
                           % (label, p.returncode, self.stderr()))
        with open(self.resfile) as f:
            ns, status, rss, ut, st = (int(x) for x in f.read().split())
        if status != 0:
            raise RunError("%s: `%s` exited with status %d; stderr:\n%s"
                           % (label, " ".join(argv), status, self.stderr()))
        return ns / 1e6, rss, ut / 1e3, st / 1e3

    def stderr(self):
        try:
            with open(self.errfile, errors="replace") as f:
                s = f.read()
        except OSError:
            return ""
        lines = s.splitlines()
        return "\n".join("    " + x for x in lines[:30]) or "    (nothing)"

    def strace_c(self, argv, label):
        if not self.strace:
            return None, None
        out = os.path.join(self.work, "strace.c")
        with open(self.errfile, "wb") as err:
            p = subprocess.run([self.strace, "-c", "-f", "-o", out] + argv,
                               stdout=subprocess.DEVNULL, stderr=err,
                               stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise RunError("%s under strace: status %d; stderr:\n%s"
                           % (label, p.returncode, self.stderr()))
        return strace_counts(out)

    def strace_files(self, argv, label, root):
        out = os.path.join(self.work, "strace.files")
        with open(self.errfile, "wb") as err:
            p = subprocess.run([self.strace, "-f", "-qq", "-s", "0", "-e",
                                "trace=open,openat,openat2,close,read,pread64,"
                                "readv,write,pwrite64,writev", "-o", out] + argv,
                               stdout=subprocess.DEVNULL, stderr=err,
                               stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise RunError("%s under strace: status %d; stderr:\n%s"
                           % (label, p.returncode, self.stderr()))
        return strace_paths(out, root)

    def mq(self, root, *args):
        return [self.mqtune, "--sysroot", root] + list(args)


def cpu_jiffies():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    busy = sum(v[:8]) - idle if len(v) >= 8 else sum(v) - idle
    return busy, busy + idle


def own_cpu_seconds():
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def run_case(b, c):
    a = b.a
    res = {"name": c["name"], "cpus": c["cpus"], "nodes": c["nodes"],
           "smt": c["smt"], "nics": c["nics"], "queues": c["queues"],
           "queues_total": c["nics"] * c["queues"], "ops": {}}
    spec = machine_spec(c)
    res["machine"] = spec
    ifaces = [n["name"] for n in spec["nics"]]
    base = os.path.join(b.work, c["name"])
    pristine = os.path.join(base, "pristine")
    wtree = os.path.join(base, "w")
    os.makedirs(base)

    progress("[%s] building the machine" % c["name"])
    t = time.perf_counter()
    import mkmachine
    mkmachine.build(pristine, spec)
    res["gen_s"] = round(time.perf_counter() - t, 2)
    snap0 = snapshot(pristine)
    res["files_in_tree"] = len(snap0)

    busy0, total0 = cpu_jiffies()
    own0 = own_cpu_seconds()
    load0 = os.getloadavg()
    n, warm = a.runs, a.warmup

    def measure(op, argv, root, before_each=None):
        times, rss, ut, st = [], [], [], []
        for i in range(warm + n):
            if before_each:
                before_each()
            ms, kib, u, s = b.launch(argv, "%s %s" % (c["name"], op))
            if i >= warm:
                times.append(ms)
                rss.append(kib)
                ut.append(u)
                st.append(s)
        return {"runs_ms": [round(x, 3) for x in times],
                "ms": summarize(times), "peak_rss_kib": max(rss),
                "utime_ms": statistics.median(ut), "stime_ms": statistics.median(st),
                "cpu_ms": statistics.median([x + y for x, y in zip(ut, st)])}

    # show --json and auto --dry-run: on a copy, which they must not change.
    copy_tree(pristine, wtree)
    for op, args in (("show", ("show", "--json")), ("dry-run", ("auto", "--dry-run"))):
        progress("[%s] %s" % (c["name"], op))
        argv = b.mq(wtree, *args, *ifaces)
        before = snapshot(wtree)
        r = measure(op, argv, wtree)
        ch, ad, rm = diff(before, snapshot(wtree))
        r["written"] = len(ch) + len(ad) + len(rm)
        r["syscalls_by_name"], r["syscalls"] = b.strace_c(argv, op)
        res["ops"][op] = r

    # The full apply, each run on a fresh copy; its first run gives the
    # files the floor rewrites.
    progress("[%s] apply and floor" % c["name"])
    atree = os.path.join(base, "a")
    argv_apply = b.mq(atree, "auto", *ifaces)
    copy_tree(pristine, atree)
    b.launch(argv_apply, c["name"] + " apply")
    after = snapshot(atree)
    ch, ad, rm = diff(snap0, after)
    if ad or rm:
        res["apply_added"] = ad
        res["apply_removed"] = rm
    written = ch + ad
    floorspec = os.path.join(base, "floor.spec")
    with open(floorspec, "wb") as f:
        f.write(b"mqtune-bench-floor 1\n")
        for p in written:
            data = after[p][1] or b""
            f.write(b"%d %s\n" % (len(data), p.encode()))
            f.write(data)
    argv_floor = [b.floor, atree, floorspec]
    # The kill-safe floor: the same, but a shortened file is replaced by a
    # renamed copy, as mqtune must in a snapshot (for information only).
    argv_ks = [b.floor, "--kill-safe", atree, floorspec]
    # The read floor: first read what the no-op reads and the apply does
    # not write (found by strace on the applied tree), then the plain
    # floor (for information only).
    argv_rd = None
    if b.strace:
        readlist = os.path.join(base, "floor.read")
        reads = b.strace_files(b.mq(atree, "auto", *ifaces), c["name"] + " no-op", atree)[1]
        real_written = {os.path.realpath(os.path.join(atree, p)) for p in written}
        names = []
        for p in reads:
            full = os.path.realpath(os.path.join(atree, p))
            if (full.startswith(os.path.realpath(atree) + "/") and os.path.isfile(full)
                    and full not in real_written):
                names.append(os.path.relpath(full, os.path.realpath(atree)))
        with open(readlist, "w") as f:
            f.write("".join(x + "\n" for x in sorted(set(names))))
        res["floor_read_files"] = len(set(names))
        argv_rd = [b.floor, "--read", readlist, atree, floorspec]
    # The floors must produce the same files.
    floors = [("floor_matches", argv_floor), ("floor_kill_safe_matches", argv_ks)]
    if argv_rd:
        floors.append(("floor_read_matches", argv_rd))
    for key, argv in floors:
        copy_tree(pristine, atree)
        b.launch(argv, c["name"] + " floor")
        fafter = snapshot(atree)
        fch, fad, frm = diff(snap0, fafter)
        res[key] = (fch == sorted(written) and not fad and not frm and
                    all(fafter[p][1] == after[p][1] for p in written))

    at, ar, ft, fr, au, ast, fu, fst = [], [], [], [], [], [], [], []
    kt, kr, ku, kst = [], [], [], []
    rt, rr, ru, rst = [], [], [], []
    for i in range(warm + n):
        order = ("apply", "floor", "floor-ks") + (("floor-rd",) if argv_rd else ())
        k = i % len(order)
        for which in order[k:] + order[:k]:
            copy_tree(pristine, atree)
            if which == "apply":
                ms, kib, u, s = b.launch(argv_apply, c["name"] + " apply")
                if i >= warm:
                    at.append(ms), ar.append(kib), au.append(u), ast.append(s)
            elif which == "floor":
                ms, kib, u, s = b.launch(argv_floor, c["name"] + " floor")
                if i >= warm:
                    ft.append(ms), fr.append(kib), fu.append(u), fst.append(s)
            elif which == "floor-ks":
                ms, kib, u, s = b.launch(argv_ks, c["name"] + " floor-ks")
                if i >= warm:
                    kt.append(ms), kr.append(kib), ku.append(u), kst.append(s)
            else:
                ms, kib, u, s = b.launch(argv_rd, c["name"] + " floor-rd")
                if i >= warm:
                    rt.append(ms), rr.append(kib), ru.append(u), rst.append(s)
    res["ops"]["apply"] = {"runs_ms": [round(x, 3) for x in at], "ms": summarize(at),
                           "peak_rss_kib": max(ar), "written": len(written),
                           "utime_ms": statistics.median(au),
                           "stime_ms": statistics.median(ast),
                           "cpu_ms": statistics.median([x + y for x, y in zip(au, ast)])}
    res["floor"] = {"runs_ms": [round(x, 3) for x in ft], "ms": summarize(ft),
                    "peak_rss_kib": max(fr), "written": len(written),
                    "utime_ms": statistics.median(fu), "stime_ms": statistics.median(fst),
                    "cpu_ms": statistics.median([x + y for x, y in zip(fu, fst)])}
    res["floor_kill_safe"] = {"runs_ms": [round(x, 3) for x in kt], "ms": summarize(kt),
                              "peak_rss_kib": max(kr), "written": len(written),
                              "utime_ms": statistics.median(ku), "stime_ms": statistics.median(kst),
                              "cpu_ms": statistics.median([x + y for x, y in zip(ku, kst)]),
                              "replaced": sum(1 for p in written
                                              if p in snap0 and len(after[p][1] or b"") <
                                              len(snap0[p][1] or b""))}
    if argv_rd:
        res["floor_read"] = {"runs_ms": [round(x, 3) for x in rt], "ms": summarize(rt),
                             "peak_rss_kib": max(rr), "written": len(written),
                             "read": res["floor_read_files"],
                             "utime_ms": statistics.median(ru),
                             "stime_ms": statistics.median(rst),
                             "cpu_ms": statistics.median([x + y for x, y in zip(ru, rst)])}
        res["apply_floor_read_ratio"] = (res["ops"]["apply"]["ms"]["median"] /
                                         res["floor_read"]["ms"]["median"])
        res["apply_floor_read_cpu_ratio"] = (res["ops"]["apply"]["cpu_ms"] /
                                             max(res["floor_read"]["cpu_ms"], 1e-3))
    res["apply_floor_ratio"] = res["ops"]["apply"]["ms"]["median"] / res["floor"]["ms"]["median"]
    res["apply_floor_cpu_ratio"] = res["ops"]["apply"]["cpu_ms"] / max(res["floor"]["cpu_ms"], 1e-3)
    res["apply_floor_kill_safe_ratio"] = (res["ops"]["apply"]["ms"]["median"] /
                                          res["floor_kill_safe"]["ms"]["median"])
    res["apply_floor_kill_safe_cpu_ratio"] = (res["ops"]["apply"]["cpu_ms"] /
                                              max(res["floor_kill_safe"]["cpu_ms"], 1e-3))

    # syscalls of the apply and of the floor, on fresh copies; the strace'd
    # apply leaves the tree applied for the no-op.
    copy_tree(pristine, atree)
    res["floor"]["syscalls_by_name"], res["floor"]["syscalls"] = b.strace_c(argv_floor, "floor")
    copy_tree(pristine, atree)
    res["floor_kill_safe"]["syscalls_by_name"], res["floor_kill_safe"]["syscalls"] = \
        b.strace_c(argv_ks, "floor-ks")
    if argv_rd:
        copy_tree(pristine, atree)
        res["floor_read"]["syscalls_by_name"], res["floor_read"]["syscalls"] = \
            b.strace_c(argv_rd, "floor-rd")
    copy_tree(pristine, atree)
    if b.strace:
        res["ops"]["apply"]["syscalls_by_name"], res["ops"]["apply"]["syscalls"] = \
            b.strace_c(argv_apply, "apply")
    else:
        res["ops"]["apply"]["syscalls_by_name"], res["ops"]["apply"]["syscalls"] = None, None
        b.launch(argv_apply, c["name"] + " apply")

    progress("[%s] no-op" % c["name"])
    before = snapshot(atree)
    r = measure("no-op", argv_apply, atree)
    ch, ad, rm = diff(before, snapshot(atree))
    r["written"] = len(ch) + len(ad) + len(rm)
    r["written_paths"] = (ch + ad + rm)[:20]
    r["syscalls_by_name"], r["syscalls"] = b.strace_c(argv_apply, "no-op")
    res["ops"]["no-op"] = r

    busy1, total1 = cpu_jiffies()
    own = (own_cpu_seconds() - own0) * os.sysconf("SC_CLK_TCK")
    res["others_cpu_pct"] = round(max(0.0, (busy1 - busy0 - own)) * 100.0 / max(1, total1 - total0), 1)
    res["loadavg"] = [round(load0[0], 2), round(os.getloadavg()[0], 2)]

    if a.analysis and b.strace and c["name"] == a.analysis_case:
        progress("[%s] open/read/write analysis" % c["name"])
        res["analysis"] = analyze(b, c, pristine, atree, wtree, ifaces, written,
                                  res["ops"]["apply"].get("syscalls_by_name") or {})
    if not a.keep:
        shutil.rmtree(base, ignore_errors=True)
    return res


def analyze(b, c, pristine, atree, wtree, ifaces, written, apply_calls):
    out = {}
    copy_tree(pristine, atree)
    for op, argv, root in (("apply", b.mq(atree, "auto", *ifaces), atree),
                           ("no-op", b.mq(atree, "auto", *ifaces), atree),
                           ("show", b.mq(wtree, "show", "--json", *ifaces), wtree)):
        opens, reads, writes = b.strace_files(argv, op, root)
        # One file may be opened by several spellings (sys/class/net/ethN/...
        # is a symlink into sys/devices/...): count by the real path, show
        # patterns by the first spelling seen.
        realroot = os.path.realpath(root)
        canon, spelling = {}, {}

        def real(p):
            if p not in canon:
                canon[p] = p if p.startswith("/") else \
                    os.path.relpath(os.path.realpath(os.path.join(root, p)), realroot)
                spelling.setdefault(canon[p], p)
            return canon[p]

        def fold(d):
            out = {}
            for p, k in d.items():
                out[real(p)] = out.get(real(p), 0) + k
            return out
        opens, reads, writes = fold(opens), fold(reads), fold(writes)
        tree_opens = {p: k for p, k in opens.items() if not p.startswith("/")}
        multi = sorted(((k, p) for p, k in tree_opens.items() if k > 1), reverse=True)
        pats = {}
        for p, k in tree_opens.items():
            e = pats.setdefault(pattern(spelling.get(p, p)), [0, 0, 0, 0])
            e[0] += k
            e[1] += 1
            e[2] += reads.get(p, 0)
            e[3] += writes.get(p, 0)
        r = {"opens": sum(opens.values()),
             "opens_in_tree": sum(tree_opens.values()),
             "distinct_paths": len(tree_opens),
             "paths_opened_more_than_once": len(multi),
             "extra_opens": sum(k - 1 for k, _ in multi),
             "top_repeated": [[spelling.get(p, p), k] for k, p in multi[:15]],
             "proc_interrupts": {"opens": opens.get("proc/interrupts", 0),
                                 "reads": reads.get("proc/interrupts", 0)},
             "by_pattern": sorted(([p] + v for p, v in pats.items()),
                                  key=lambda x: -x[1])[:20],
             "reads": sum(reads.values()), "writes": sum(writes.values())}
        if op == "apply":
            w = set(written)
            r["written_files_open_counts"] = {}
            for p in w:
                k = str(tree_opens.get(p, 0))
                r["written_files_open_counts"][k] = r["written_files_open_counts"].get(k, 0) + 1
            r["reads_of_written_files"] = sum(reads.get(p, 0) for p in w)
            r["writes_to_written_files"] = sum(writes.get(p, 0) for p in w)
            nw = max(1, len(w))
            per = {}
            for k in ("openat", "openat2", "read", "write", "close", "newfstatat", "fstat"):
                if apply_calls.get(k):
                    per[k] = round(apply_calls[k] / nw, 2)
            per["all"] = round(sum(apply_calls.values()) / nw, 2) if apply_calls else None
            r["syscalls_per_file_written"] = per
        out[op] = r
    return out


# --------------------------------------------------------------------------
# report

def fmt_ms(s):
    return "%.1f" % s if s >= 10 else "%.2f" % s


def table(results):
    hdr = ["case", "CPUs", "nodes", "NICs×q", "op", "median ms", "min–max ms",
           "IQR ms", "cpu ms", "syscalls", "RSS MiB", "written", "×floor"]
    rows = []
    for r in results:
        if r.get("error"):
            rows.append([r["name"], str(r["cpus"]), str(r["nodes"]),
                         "%d×%d" % (r["nics"], r["queues"]), "ERROR", "", "", "", "", "", "", "", ""])
            continue
        first = True
        for op in OPS + ["floor", "floor-ks"] + (["floor-rd"] if "floor_read" in r else []):
            o = (r["floor"] if op == "floor" else r["floor_kill_safe"] if op == "floor-ks"
                 else r["floor_read"] if op == "floor-rd" else r["ops"][op])
            m = o["ms"]
            sc = o.get("syscalls")
            rows.append([
                r["name"] if first else "", str(r["cpus"]) if first else "",
                str(r["nodes"]) if first else "",
                "%d×%d" % (r["nics"], r["queues"]) if first else "",
                op, fmt_ms(m["median"]),
                "%s–%s" % (fmt_ms(m["min"]), fmt_ms(m["max"])),
                fmt_ms(m["q3"] - m["q1"]), fmt_ms(o["cpu_ms"]),
                str(sc) if sc is not None else "n/a",
                "%.1f" % (o["peak_rss_kib"] / 1024.0), str(o["written"]),
                "%.2f×" % r["apply_floor_ratio"] if op == "apply" else
                "(%.2f×)" % r["apply_floor_kill_safe_ratio"] if op == "floor-ks" else
                "(%.2f×)" % r["apply_floor_read_ratio"] if op == "floor-rd" else ""])
            first = False
    w = [max(len(h), *(len(x[i]) for x in rows)) if rows else len(h) for i, h in enumerate(hdr)]
    right = {1, 2, 5, 6, 7, 8, 9, 10, 11, 12}

    def line(cells):
        return "  ".join(c.rjust(w[i]) if i in right else c.ljust(w[i])
                         for i, c in enumerate(cells)).rstrip()
    out = [line(hdr), line(["-" * x for x in w])]
    prev = None
    for x in rows:
        if x[0] and prev is not None:
            out.append("")
        out.append(line(x))
        prev = x
    return "\n".join(out)


def check_targets(results):
    by = {r["name"]: r for r in results if not r.get("error")}
    t = []

    def add(name, ok, detail):
        t.append({"target": name, "status": ("PASS" if ok else "FAIL") if ok is not None else "SKIP",
                  "detail": detail})

    r = by.get(TARGET_CASE)
    if r is None:
        for name in ("full apply <= %g x floor" % MAX_FLOOR_RATIO,
                     "full apply <= %g x floor in CPU time" % MAX_FLOOR_RATIO, "no-op writes 0 files",
                     "no-op faster than full apply", "peak RSS <= %g MiB" % MAX_RSS_MIB):
            add(name, None, "case %s not run" % TARGET_CASE)
    else:
        ap, fl, no = r["ops"]["apply"]["ms"], r["floor"]["ms"], r["ops"]["no-op"]
        ratio = r["apply_floor_ratio"]
        add("full apply <= %g x floor" % MAX_FLOOR_RATIO, ratio <= MAX_FLOOR_RATIO,
            "%s: apply %.1f ms / floor %.1f ms = %.2fx (limit %gx; %s; in CPU time %.2fx)"
            % (TARGET_CASE, ap["median"], fl["median"], ratio, MAX_FLOOR_RATIO,
               "%.0f%% under" % ((1 - ratio / MAX_FLOOR_RATIO) * 100) if ratio <= MAX_FLOOR_RATIO
               else "%.0f%% over" % ((ratio / MAX_FLOOR_RATIO - 1) * 100),
               r["apply_floor_cpu_ratio"]))
        cr = r["apply_floor_cpu_ratio"]
        add("full apply <= %g x floor in CPU time" % MAX_FLOOR_RATIO,
            cr is not None and cr <= MAX_FLOOR_RATIO,
            "%s: apply %.1f ms / floor %.1f ms of CPU = %.2fx (limit %gx)"
            % (TARGET_CASE, r["ops"]["apply"]["cpu_ms"], r["floor"]["cpu_ms"],
               cr if cr is not None else float("nan"), MAX_FLOOR_RATIO))
        add("no-op writes 0 files", no["written"] == 0,
            "%s: %d files written%s" % (TARGET_CASE, no["written"],
                                       (" (" + ", ".join(no.get("written_paths", [])[:5]) + ")")
                                       if no["written"] else ""))
        add("no-op faster than full apply", no["ms"]["median"] < ap["median"],
            "%s: no-op %.1f ms vs apply %.1f ms (%.2fx)"
            % (TARGET_CASE, no["ms"]["median"], ap["median"], no["ms"]["median"] / ap["median"]))
        peak = max(r["ops"][op]["peak_rss_kib"] for op in OPS)
        which = max(OPS, key=lambda op: r["ops"][op]["peak_rss_kib"])
        add("peak RSS <= %g MiB" % MAX_RSS_MIB, peak / 1024.0 <= MAX_RSS_MIB,
            "%s: %.2f MiB (%s; %s)" % (TARGET_CASE, peak / 1024.0, which,
                                       ", ".join("%s %.2f" % (op, r["ops"][op]["peak_rss_kib"] / 1024.0)
                                                 for op in OPS)))
    series = [(x["queues_total"], x["ops"]["apply"]["ms"]["median"])
              for x in by.values() if x["cpus"] == 1024]
    s = slope_check(series)
    name = "linear growth in NICs x queues (apply, 1024 CPUs)"
    if s is None:
        add(name, None, "fewer than 3 NICs x queues sizes at 1024 CPUs")
    else:
        q0, qm, qk = s["q"]
        add(name, s["ratio"] <= MAX_SLOPE_RATIO,
            "marginal cost per queue %d..%d: %.4f ms, %d..%d: %.4f ms; ratio %.2f (limit %g)"
            % (q0, qm, s["slope_lo_ms_per_q"], qm, qk, s["slope_hi_ms_per_q"],
               s["ratio"], MAX_SLOPE_RATIO))
    return t, s


def print_growth(results, s):
    by = [r for r in results if not r.get("error")]
    ser = sorted((r for r in by if r["cpus"] == 1024), key=lambda r: r["queues_total"])
    if ser:
        print("\nGrowth with NICs x queues at 1024 CPUs (median ms; ms per queue):")
        print("  %-8s %6s %8s %8s %8s %8s %8s %9s" % ("NICs×q", "queues", "show", "dry-run",
                                                     "apply", "no-op", "floor", "apply/q"))
        for r in ser:
            o = r["ops"]
            print("  %-8s %6d %8s %8s %8s %8s %8s %9.4f" % (
                "%d×%d" % (r["nics"], r["queues"]), r["queues_total"],
                fmt_ms(o["show"]["ms"]["median"]), fmt_ms(o["dry-run"]["ms"]["median"]),
                fmt_ms(o["apply"]["ms"]["median"]), fmt_ms(o["no-op"]["ms"]["median"]),
                fmt_ms(r["floor"]["ms"]["median"]),
                o["apply"]["ms"]["median"] / r["queues_total"]))
        for op in OPS:
            sc = slope_check([(r["queues_total"], r["ops"][op]["ms"]["median"]) for r in ser])
            cc = slope_check([(r["queues_total"], r["ops"][op]["cpu_ms"]) for r in ser])
            if sc:
                print("  slope ratio %-8s wall %5.2f (%.4f -> %.4f ms/queue);"
                      "  cpu %5.2f (%.4f -> %.4f ms/queue)"
                      % (op, sc["ratio"], sc["slope_lo_ms_per_q"], sc["slope_hi_ms_per_q"],
                         cc["ratio"], cc["slope_lo_ms_per_q"], cc["slope_hi_ms_per_q"]))
    for q in sorted({(r["nics"], r["queues"]) for r in by}):
        cur = sorted((r for r in by if (r["nics"], r["queues"]) == q), key=lambda r: r["cpus"])
        if len(cur) < 2:
            continue
        print("\nGrowth with CPUs at %d×%d queues (median ms):" % q)
        print("  %6s %8s %8s %8s %8s %8s" % ("CPUs", "show", "dry-run", "apply", "no-op", "floor"))
        for r in cur:
            o = r["ops"]
            print("  %6d %8s %8s %8s %8s %8s" % (
                r["cpus"], fmt_ms(o["show"]["ms"]["median"]), fmt_ms(o["dry-run"]["ms"]["median"]),
                fmt_ms(o["apply"]["ms"]["median"]), fmt_ms(o["no-op"]["ms"]["median"]),
                fmt_ms(r["floor"]["ms"]["median"])))


def print_analysis(name, an):
    print("\nWhere the time goes (%s, strace -f of one run each):" % name)
    for op, r in an.items():
        print("  %s: %d opens (%d in the tree, %d distinct paths; %d paths opened more than "
              "once, %d extra opens), %d reads, %d writes; /proc/interrupts: %d opens, %d reads"
              % (op, r["opens"], r["opens_in_tree"], r["distinct_paths"],
                 r["paths_opened_more_than_once"], r["extra_opens"], r["reads"], r["writes"],
                 r["proc_interrupts"]["opens"], r["proc_interrupts"]["reads"]))
        if op == "apply":
            print("    per file written: %s" % ", ".join(
                "%s %s" % (k, v) for k, v in r["syscalls_per_file_written"].items()))
            print("    written files by times opened: %s; reads of them %d, writes %d"
                  % (", ".join("%s×: %d" % (k, v) for k, v in
                               sorted(r["written_files_open_counts"].items())),
                     r["reads_of_written_files"], r["writes_to_written_files"]))
        print("    opens by path pattern (opens, distinct, reads, writes):")
        for p, k, d, rd, wr in r["by_pattern"][:12]:
            print("      %6d %6d %6d %6d  %s" % (k, d, rd, wr, p))
        if r["top_repeated"]:
            print("    most-opened paths: " + ", ".join("%s ×%d" % (p, k) for p, k in r["top_repeated"][:8]))


# --------------------------------------------------------------------------

def self_test():
    s = slope_check([(16, 10.0), (64, 12.0), (256, 20.0), (512, 30.0), (1024, 50.0)])
    assert s["q"] == [16, 256, 1024], s
    assert abs(s["ratio"] - (30.0 / 768) / (10.0 / 240)) < 1e-9, s
    quad = slope_check([(q, 5 + 1e-4 * q * q) for q in (16, 64, 256, 512, 1024)])
    assert quad["ratio"] > MAX_SLOPE_RATIO, quad
    lin = slope_check([(q, 5 + 0.05 * q) for q in (16, 64, 256, 512, 1024)])
    assert abs(lin["ratio"] - 1) < 1e-9, lin
    assert slope_check([(16, 1), (32, 2)]) is None
    m = summarize([5, 1, 3, 2, 4])
    assert m["median"] == 3 and m["min"] == 1 and m["max"] == 5 and m["q1"] == 2 and m["q3"] == 4, m
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("% time     seconds  usecs/call     calls    errors syscall\n"
                "------ ----------- ----------- --------- --------- ----------------\n"
                " 50.00    0.000500           1       300           openat2\n"
                " 50.00    0.000500           1       200        10 read\n"
                "------ ----------- ----------- --------- --------- ----------------\n"
                "100.00    0.001000           2       500        10 total\n")
    counts, total = strace_counts(f.name)
    os.unlink(f.name)
    assert counts == {"openat2": 300, "read": 200} and total == 500, (counts, total)
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write('9 openat(AT_FDCWD, "/r", O_RDONLY|O_DIRECTORY) = 3\n'
                '9 openat2(3, "proc/interrupts", {flags=O_RDONLY}, 24) = 4\n'
                '9 read(4, ""..., 4096) = 100\n9 read(4, "", 4096) = 0\n9 close(4) = 0\n'
                '9 openat2(3, "proc/irq/40/smp_affinity_list", {}, 24) = 4\n'
                '9 write(4, ""..., 3) = 3\n9 close(4) = 0\n'
                '9 openat2(3, "proc/interrupts", {flags=O_RDONLY}, 24) = 4\n9 close(4) = 0\n')
    o, r, w = strace_paths(f.name, "/r")
    os.unlink(f.name)
    assert o == {".": 1, "proc/interrupts": 2, "proc/irq/40/smp_affinity_list": 1}, o
    assert r == {"proc/interrupts": 2} and w == {"proc/irq/40/smp_affinity_list": 1}, (r, w)
    print("self-test: ok")
    return 0


def main():
    ap = argparse.ArgumentParser(description="mqtune benchmarks at scale")
    ap.add_argument("--quick", action="store_true", help="3 runs after 1 warm-up")
    ap.add_argument("--cases", help="comma-separated names or globs (see --list); "
                    "'smoke' = the smoke case")
    ap.add_argument("--runs", type=int, help="measured runs per operation (default 9; --quick 3)")
    ap.add_argument("--warmup", type=int, help="warm-up runs (default 2; --quick 1)")
    ap.add_argument("--mqtune", default=os.path.join(TOP, "mqtune"))
    ap.add_argument("--floor", default=os.path.join(TOP, "build", "bench-floor"))
    ap.add_argument("--json", default=os.path.join(TOP, "bench", "results.json"))
    ap.add_argument("--workdir", help="where to build the machines (default /dev/shm)")
    ap.add_argument("--keep", action="store_true", help="keep the machines")
    ap.add_argument("--no-strace", action="store_true", help="do not count syscalls")
    ap.add_argument("--no-analysis", dest="analysis", action="store_false",
                    help="skip the per-path strace analysis of the largest case")
    ap.add_argument("--list", action="store_true", help="list the cases")
    ap.add_argument("--self-test", action="store_true", help="test the harness's own logic")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if a.list:
        for c in CASES:
            print("%-14s %5d CPUs %d nodes %d x %d queues%s" % (
                c["name"], c["cpus"], c["nodes"], c["nics"], c["queues"],
                "  (smoke; not in the default run)" if c["smoke"] else ""))
        return 0
    a.runs = a.runs if a.runs is not None else (3 if a.quick else 9)
    a.warmup = a.warmup if a.warmup is not None else (1 if a.quick else 2)
    if a.runs < 1 or a.warmup < 0:
        ap.error("--runs must be >= 1 and --warmup >= 0")
    if a.cases:
        pats = [p.strip() for p in a.cases.split(",") if p.strip()]
        cases = [c for c in CASES if any(fnmatch.fnmatchcase(c["name"], p) or
                                        (p == "smoke" and c["smoke"]) for p in pats)]
        if not cases:
            ap.error("no case matches %r (see --list)" % a.cases)
    else:
        cases = [c for c in CASES if not c["smoke"]]
    for path, what in ((a.mqtune, "mqtune"), (a.floor, "floor (make build/bench-floor)")):
        if not os.access(path, os.X_OK):
            print("run.py: %s: %s not built" % (path, what), file=sys.stderr)
            return 2
    a.analysis_case = max(cases, key=lambda c: (c["cpus"] * c["nics"] * c["queues"], c["cpus"]))["name"]

    parent = a.workdir or ("/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK)
                           else None)
    work = tempfile.mkdtemp(prefix="mqtune-bench.", dir=parent)
    b = Bench(a, work)
    if not b.strace and not a.no_strace:
        progress("run.py: strace not found: syscalls will read n/a")
    try:
        ver = subprocess.run([b.mqtune, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        ver = "?"
    try:
        rev = subprocess.run(["git", "-C", TOP, "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        rev = ""
    b.launch(["true"], "baseline")
    base_rss = b.launch(["true"], "baseline")[1]
    meta = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host": platform.node(),
            "kernel": platform.release(), "cpus": os.cpu_count(), "mqtune": ver,
            "git": rev, "runs": a.runs, "warmup": a.warmup, "workdir": work,
            "strace": b.strace, "launcher_rss_kib": base_rss,
            "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    print("mqtune bench: %s (%s), %d runs after %d warm-up, %d CPUs, kernel %s, loadavg %s"
          % (ver, rev or "?", a.runs, a.warmup, os.cpu_count(), platform.release(),
             " ".join("%.2f" % x for x in os.getloadavg())))
    print("sysroots in %s; RSS measurement floor (launcher + /bin/true): %.2f MiB"
          % (parent or tempfile.gettempdir(), base_rss / 1024.0))
    results = []
    failed = False
    t0 = time.perf_counter()
    try:
        for c in cases:
            try:
                results.append(run_case(b, c))
            except RunError as e:
                print("\nERROR in case %s: %s" % (c["name"], e), file=sys.stderr)
                results.append({"name": c["name"], "cpus": c["cpus"], "nodes": c["nodes"],
                                "nics": c["nics"], "queues": c["queues"], "error": str(e)})
                failed = True
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    meta["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    meta["elapsed_s"] = round(time.perf_counter() - t0, 1)

    print()
    print(table(results))
    others = [(r["name"], r["others_cpu_pct"]) for r in results if "others_cpu_pct" in r]
    if others:
        busy = max(x for _, x in others)
        print("\nCPU used by other processes during each case (%% of the machine): %s%s"
              % (", ".join("%s %.0f%%" % x for x in others),
                 "  -- the machine was loaded; expect noise" if busy >= 10 else ""))
    for r in results:
        if not r.get("error") and not r.get("floor_matches"):
            print("WARNING: %s: the floor did not produce the same files as the apply" % r["name"])
    targets, s = check_targets(results)
    print_growth(results, s)
    for r in results:
        if r.get("analysis"):
            print_analysis(r["name"], r["analysis"])
    print("\nTargets:")
    for t in targets:
        print("  %s  %s: %s" % (t["status"], t["target"], t["detail"]))
    for r in results:
        if r.get("error"):
            print("  FAIL  case %s: %s" % (r["name"], r["error"]))
    failed = failed or any(t["status"] == "FAIL" for t in targets)
    # the other floors, for information: (key, ratio key, what it does)
    others = (("floor_kill_safe", "apply_floor_kill_safe", "the kill-safe floor, which also "
               "replaces the %(replaced)d shortened files by renamed copies (mqtune pads and "
               "cuts them in place)"),
              ("floor_read", "apply_floor_read", "the read floor, which first reads the "
               "%(read)d files the no-op reads and the apply does not write"))
    for r in results:
        for key, ratio, what in others:
            if r.get("error") or key not in r:
                continue
            k = r[key]
            if r["name"] == TARGET_CASE:
                print("  (for information, not a target: %s: %.1f ms, %.1f ms of CPU; "
                      "apply = %.2fx of it, %.2fx in CPU time)"
                      % (what % k, k["ms"]["median"], k["cpu_ms"], r[ratio + "_ratio"],
                         r[ratio + "_cpu_ratio"]))
            if not r.get(key + "_matches"):
                print("WARNING: %s: %s did not produce the same files as the apply"
                      % (r["name"], what.split(",")[0] % k))

    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"meta": meta, "cases": results, "targets": targets,
                   "linearity": s}, f, indent=1, default=str)
        f.write("\n")
    print("\nJSON: %s (%.0f s)" % (os.path.relpath(a.json), meta["elapsed_s"]))
    if failed:
        print("bench: FAILED: " + "; ".join(
            [t["target"] for t in targets if t["status"] == "FAIL"] +
            ["case %s errored" % r["name"] for r in results if r.get("error")]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
