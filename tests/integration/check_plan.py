#!/usr/bin/env python3
"""check_plan.py MQTUNE WORKDIR -- the machine-wide plan (issue 8, s1, s3).

Property tests on synthetic machines (tests/gen/mkmachine.py) of 16 to
1024 CPUs with 2 to 8 NICs of mixed drivers over 1 to 8 nodes, one of
them a dual-port mlx4 function whose two netdevs share its vectors:

* for random splits and orders of the interface list (names given twice
  too), the runs of `auto` leave a tree byte-identical to `auto --all`;
* a rerun of every part of a split writes nothing (mtimes and contents)
  and reports no change;
* `check`: 0 after the apply; 12 naming exactly the IRQ file, the
  rps_cpus file and the backlog changed by hand; 0 again after `auto`;
  its JSON validates against docs/schema/check.schema.json and its
  Prometheus output is read by prometheus_client's text parser.

Prints "PASS: name" / "FAIL: name" / "SKIP: name" lines (test_plan.sh
turns them into ts_* results).
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import validate_json  # noqa: E402

MQ = sys.argv[1]
WORK = sys.argv[2]
MKMACHINE = os.path.join(TOP, "tests", "gen", "mkmachine.py")
MULTI = ["ixgbe", "i40e", "mlx5_core", "ice", "bnxt_en", "virtio_net",
         "ena", "igb", "sfc", "qede", "gve", "mlx4_en"]
failures = 0


def report(ok, name, detail=""):
    global failures
    print("%s: %s" % ("PASS" if ok else "FAIL", name))
    if not ok:
        failures += 1
        for line in str(detail).splitlines()[:20]:
            print("    " + line)


def mq(root, *args):
    p = subprocess.run([MQ, "--sysroot", root] + list(args),
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def stats(root):
    """mtime and inode of every file below root, the lock and the state
    file excepted (its entries keep the originals in the order runs met
    them, and its time stamps differ between splits)."""
    out = {}
    stack = [root]
    while stack:
        d = stack.pop()
        with os.scandir(d) as it:
            for e in it:
                if e.is_symlink():
                    continue
                if e.is_dir():
                    if not ((d == root and e.name == "run") or
                            os.path.relpath(e.path, root) == "var/lib/mqtune"):
                        stack.append(e.path)
                elif e.name != "truth.json":
                    st = e.stat()
                    out[os.path.relpath(e.path, root)] = (st.st_mtime_ns,
                                                          st.st_ino)
    return out


def written(root, t0):
    """The files written or replaced since t0 (ns): what the runs wrote."""
    return {k for k, (mtime, _) in stats(root).items() if mtime >= t0}


def read(root, rel):
    try:
        with open(os.path.join(root, rel), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def same_tree(a, wa, b, wb):
    """Trees a and b, both copies of one base, of which the runs wrote the
    files wa and wb: equal when every file written in either is equal."""
    return {k: (read(a, k), read(b, k)) for k in wa | wb
            if read(a, k) != read(b, k)}


def diff(d, limit=5):
    keys = sorted(d)
    return "\n".join("%s: %r != %r" % (k, d[k][0], d[k][1])
                     for k in keys[:limit]) + (
        "\n... %d files differ" % len(keys) if len(keys) > limit else "")


def machine(name, rng, cpus, nodes, smt, nnics, queues, shared):
    """A machine with nnics NICs of mixed drivers, names not in PCI order;
    with @shared the 2nd and 3rd are the two ports of one mlx4 function."""
    nics, names = [], ["eth%d" % i for i in range(nnics)]
    rng.shuffle(names)
    shared = shared and nnics >= 3
    i = 0
    while i < nnics:
        node = rng.randrange(nodes)
        if shared and i == 1:   # a dual-port mlx4 function
            q = rng.choice(queues)
            nics.append("mlx4_en:%s:%d:node=%d" % (names[i], q, node))
            nics.append("mlx4_en:%s:%d:node=%d:port=%s"
                        % (names[i + 1], q, node, names[i]))
            i += 2
            continue
        drv = rng.choice(MULTI[:-1])
        q = min(rng.choice(queues), 4) if drv == "igb" else rng.choice(queues)
        nics.append("%s:%s:%d:node=%d" % (drv, names[i], q, node))
        i += 1
    args = ["--cpus", str(cpus), "--nodes", str(nodes), "--smt", str(smt)]
    for n in nics:
        args += ["--nic", n]
    return args, sorted(names), " ".join(args), \
        (names[1], names[2]) if shared else None


def make(args, name):
    """A fresh tree of the machine (generating is faster than copying),
    and a time after its last file and before mqtune's first write."""
    dst = os.path.join(WORK, name)
    shutil.rmtree(dst, ignore_errors=True)
    subprocess.run([sys.executable, MKMACHINE, "-q", dst] + args, check=True)
    time.sleep(0.05)    # the file times use a coarse clock: a margin
    return dst, time.time_ns() - 20 * 1000 * 1000


def random_split(rng, ifaces):
    names = list(ifaces)
    rng.shuffle(names)
    k = rng.randint(1, len(names))
    cuts = sorted(rng.sample(range(1, len(names)), k - 1)) if k > 1 else []
    parts, start = [], 0
    for c in cuts + [len(names)]:
        part = names[start:c]
        if rng.random() < 0.3:          # a name given twice
            part.insert(rng.randrange(len(part) + 1), rng.choice(part))
        parts.append(part)
        start = c
    return parts


def properties(label, rng, base, ifaces, desc, nsplits):
    ref, t0 = make(base, label + ".all")
    rc, out, err = mq(ref, "auto", "--all", "-q")
    if rc:
        report(False, "%s: auto --all" % label, err)
        return
    ref_written = written(ref, t0)
    rc, out, err = mq(ref, "auto", "--all", "--json")
    doc = json.loads(out) if out else {}
    report(rc == 0 and doc.get("changed") is False and ref_written,
           "%s: auto --all twice: the second run changes nothing" % label,
           err or out[:300])
    for s in range(nsplits):
        parts = random_split(rng, ifaces)
        run, t1 = make(base, "%s.split%d" % (label, s))
        bad = ""
        for part in parts:
            rc, out, err = mq(run, "auto", "-q", *part)
            if rc:
                bad = "auto %s: rc %d %s" % (" ".join(part), rc, err)
                break
        d = same_tree(run, written(run, t1), ref, ref_written) \
            if not bad else {}
        report(not bad and not d,
               "%s: split %s gives the tree of auto --all" %
               (label, " | ".join(" ".join(p) for p in parts)),
               bad or diff(d) + "\n(machine: %s)" % desc)
        before = stats(run)
        changed = []
        for part in parts:
            rc, out, err = mq(run, "auto", "--json", *part)
            doc = json.loads(out) if rc == 0 and out else {}
            if rc or doc.get("changed") is not False or doc.get("changes"):
                changed.append("auto %s: rc %d, %d changes" %
                               (" ".join(part), rc, len(doc.get("changes", []))))
        after = stats(run)
        moved = sorted(k for k in set(before) | set(after)
                       if before.get(k) != after.get(k))
        report(not changed and not moved,
               "%s: split %d rerun writes nothing" % (label, s),
               "\n".join(changed + moved[:5]))
        shutil.rmtree(run)
    shutil.rmtree(ref)


def shared_tests(label, args, ports):
    """The two ports of one function: their IRQs planned once, no flip."""
    run, _ = make(args, label + ".ports")
    a, b = ports
    rc, out, err = mq(run, "auto", "--dry-run", "--json", b, a, b)
    doc = json.loads(out) if out else {}
    irqs = [c["object"].split()[-1] for c in doc.get("changes", [])
            if " IRQ " in c["object"]]
    codes = [w["code"] for w in doc.get("warnings", [])]
    report(rc == 0 and irqs and len(irqs) == len(set(irqs)) and
           "shared-vectors" in codes,
           "%s: %s and %s share one function: each IRQ planned once, "
           "with a shared-vectors note" % (label, a, b),
           "rc %d irqs %s codes %s %s" % (rc, irqs, codes, err))
    flips = []
    for order in ([a, b], [b, a], [b], [a], [a, a, b, b], [b, b]):
        rc, out, err = mq(run, "auto", "-q", *order)
        rc, out, err = mq(run, "auto", "--json", *order)
        doc = json.loads(out) if out else {}
        if rc or doc.get("changes"):
            flips.append("auto %s: rc %d, %d changes on the rerun" %
                         (" ".join(order), rc, len(doc.get("changes", []))))
    rc, out, err = mq(run, "check", a, b)
    report(not flips and rc == 0,
           "%s: the shared function and repeated names never flip" % label,
           "\n".join(flips) + out)
    shutil.rmtree(run)


def drifted_objects(doc):
    return sorted(d["object"] for d in doc.get("drifted", []))


def check_tests(rng, base, ifaces, ports):
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        # Debian's python3-prometheus-client, when python3 is another one
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            from prometheus_client.parser import text_string_to_metric_families
        except ImportError:
            text_string_to_metric_families = None
    run, _ = make(base, "check")
    rc, out, err = mq(run, "check", "--all")
    report(rc == 12 and "drifted from the plan" in out and
           not os.path.exists(os.path.join(run, "run")),
           "check: 12 before any apply, without the lock file",
           "rc %d %s %s" % (rc, out[:200], err))
    mq(run, "auto", "--all", "-q")
    rc, out, err = mq(run, "check", "--all")
    report(rc == 0 and "no drift" in out and not err,
           "check --all: 0 after auto --all", "rc %d %s %s" % (rc, out, err))
    rc, out, err = mq(run, "check", "--all", "--json")
    doc = json.loads(out) if out else {}
    probs = validate_json.validate(doc, "check") if doc else ["no document"]
    report(rc == 0 and doc.get("drift") is False and not probs,
           "check --json: drift false, valid document", "\n".join(probs))
    # change one IRQ file, one rps_cpus and the backlog by hand
    # an IRQ of the second port of a shared function is the first port's
    x, y = rng.sample([i for i in ifaces if not ports or i != ports[1]], 2)
    jd = json.loads(mq(run, "show", "--json", x)[1])
    q0 = jd["interfaces"][0]["queues"][0]
    irq = q0["vectors"][0]["irq"] if q0.get("vectors") else None
    cpu_now = q0["vectors"][0]["affinity"] if irq is not None else None
    want = []
    if irq is not None:
        new = "1" if cpu_now != "1" else "2"
        with open(os.path.join(run, "proc/irq/%d/smp_affinity_list" % irq), "w") as f:
            f.write(new + "\n")
        want.append("%s IRQ %d" % (x, irq))
    with open(os.path.join(run, "sys/class/net/%s/queues/rx-0/rps_cpus" % y), "w") as f:
        f.write("0\n")
    want.append("%s rx-0 rps_cpus" % y)
    with open(os.path.join(run, "proc/sys/net/core/netdev_max_backlog"), "w") as f:
        f.write("1000\n")
    want.append("net.core.netdev_max_backlog")
    rc, out, err = mq(run, "check", "--all", "--json")
    doc = json.loads(out) if out else {}
    probs = validate_json.validate(doc, "check") if doc else ["no document"]
    report(rc == 12 and doc.get("drift") is True and not probs and
           drifted_objects(doc) == sorted(want),
           "check --json: 12 naming exactly %s" % ", ".join(want),
           "rc %d: %s %s" % (rc, drifted_objects(doc), probs))
    rc, out, err = mq(run, "check", "--all")
    lines = [ln.split()[0:3] for ln in out.splitlines()[2:]]
    report(rc == 12 and len(out.splitlines()) == 2 + len(want) and
           all(w in out for w in want) and "mqtune: 3 values drifted" in err
           if len(want) == 3 else rc == 12,
           "check: text lists object, planned, found of each drifted value",
           out + err + str(lines))
    rc, out, err = mq(run, "check", y)
    doc = json.loads(mq(run, "check", "--json", y)[1])
    report(rc == 12 and drifted_objects(doc) ==
           sorted(["%s rx-0 rps_cpus" % y, "net.core.netdev_max_backlog"]),
           "check %s: its own values and the machine-wide backlog only" % y,
           drifted_objects(doc))
    before = stats(run)
    for args in (["--all"], ["--json", "--all"], ["--prometheus", y]):
        mq(run, "check", *args)
    report(stats(run) == before, "check writes nothing", "")
    bad = []
    for args, want_rc in ((["--all", x], 2), (["--json", "--prometheus", x], 2),
                          (["nosuch0"], 3), (["bad/name"], 3)):
        rc, out, err = mq(run, "check", *args)
        if rc != want_rc or len(err.splitlines()) != 1 or \
                not err.startswith("mqtune: "):
            bad.append("check %s: rc %d (want %d) %r" % (" ".join(args), rc,
                                                         want_rc, err))
    for cmd in ("auto", "show"):
        rc, out, err = mq(run, cmd, "--prometheus", x)
        if rc != 2 or "is an option of check" not in err:
            bad.append("%s --prometheus: rc %d %r" % (cmd, rc, err))
    report(not bad, "check: bad option combinations (2) and interfaces (3), "
           "one line each; auto and show refuse --prometheus", "\n".join(bad))
    rc, out, err = mq(run, "check", "--all", "--prometheus")
    if text_string_to_metric_families is None:
        print("SKIP: check --prometheus: python3-prometheus-client is not installed")
    else:
        try:
            fams = {f.name: f for f in text_string_to_metric_families(out)}
            vals = {}
            for f in fams.values():
                for smp in f.samples:
                    vals[(smp.name, tuple(sorted(smp.labels.items())))] = smp.value
            per = {i: vals.get(("mqtune_drift_values", (("interface", i),)))
                   for i in ifaces}
            expect = {i: float((i == x and irq is not None) + (i == y))
                      for i in ifaces}
            homes = {(k[1][0][1], int(k[1][1][1])): v for k, v in vals.items()
                     if k[0] == "mqtune_queue_home_cpu"}
            hdoc = {(i["name"], q): float(c) for i in doc.get("interfaces", [])
                    for q, c in enumerate(i["home_cpus"]) if c is not None}
            ok = (rc == 12 and per == expect and
                  vals.get(("mqtune_drift", ())) == 1.0 and
                  vals.get(("mqtune_sysctl_drift",
                            (("sysctl", "net.core.netdev_max_backlog"),))) == 1.0 and
                  vals.get(("mqtune_check_timestamp_seconds", ())) > 1e9 and
                  all(homes.get(k) == v for k, v in hdoc.items()) and
                  {k[0] for k in homes} == set(ifaces) or
                  rc == 12 and per == expect and not hdoc)
            report(ok, "check --prometheus: parsed by prometheus_client, "
                   "drift per interface and homes as planned",
                   "rc %d per %s expect %s\n%s" % (rc, per, expect, out[:600]))
        except Exception as e:  # a parse error is a failure
            report(False, "check --prometheus: parsed by prometheus_client", e)
    mq(run, "auto", "-q", y, x)
    rc, out, err = mq(run, "check", "--all")
    report(rc == 0, "check: 0 again after auto %s %s" % (y, x), out + err)
    shutil.rmtree(run)


def main():
    rng = random.Random(int(os.environ.get("MQ_PLAN_SEED", "8")))
    print("seed %s" % os.environ.get("MQ_PLAN_SEED", "8"))
    shapes = [  # label, cpus, nodes, smt, NICs, queue counts, splits, mlx4 ports
        ("m16", 16, 1, 2, 3, [2, 4, 8], 8, True),
        ("m48", 48, 2, 2, 4, [4, 8, 16], 6, False),
        ("m128", 128, 4, 2, 6, [8, 16, 32], 5, True),
        ("m256", 256, 8, 1, 8, [8, 16, 32], 3, rng.random() < 0.5),
        ("m1024", 1024, 8, 2, 8, [16, 32, 64], 2, True),
    ]
    first = None
    for label, cpus, nodes, smt, nnics, queues, nsplits, shared in shapes:
        args, ifaces, desc, ports = machine(label, rng, cpus, nodes, smt,
                                            nnics, queues, shared)
        properties(label, rng, args, ifaces, desc, nsplits)
        if ports and cpus <= 128:
            shared_tests(label, args, ports)
        if first is None:
            first = (args, ifaces, ports)
    check_tests(rng, *first)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
