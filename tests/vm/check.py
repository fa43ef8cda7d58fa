#!/usr/bin/env python3
"""check.py - the assertions of `make vm-check`, on one guest's console log.

tests/vm/init.sh printed mqtune's JSON documents and the kernel's own
files (read with cat, not by mqtune) between "@@MQT-BEGIN name" and
"@@MQT-END name rc=N" markers.  This holds the one against the other:

  * the queue IRQs mqtune found are exactly the virtioN-input.K /
    virtioN-output.K vectors of /proc/interrupts, 4 rx + 4 tx per NIC,
    queue K's rx vector input.K and its tx vector output.K, never -config;
  * a dry run writes nothing, and plans what the real run then does;
  * after the real run every queue IRQ's smp_affinity_list is the planned
    CPU (or the vector is reported managed and left alone), the
    rps_cpus / rps_flow_cnt / xps_cpus files and the sysctls hold the
    plan; effective affinity may lag (no interrupt remapping): reported,
    never failed;
  * a second run changes nothing;
  * the NIC behind the pxb-pcie bridge is on NUMA node 1 and its first
    homes are node 1's CPUs (2-3).

Prints PASS:/FAIL:/INFO: lines; exit 0 when all passed, 1 when one
failed, 77 (with SKIP:) when the guest never reached its init.
"""
import argparse
import json
import re
import sys

NIC_ROOT_MAC = "52:54:00:6d:71:00"  # on pcie.0, no NUMA node
NIC_PXB_MAC = "52:54:00:6d:71:01"   # behind pxb-pcie numa_node=1
NODE_CPUS = {0: {0, 1}, 1: {2, 3}}
QUEUES = 4


def cpus(text):
    """A kernel CPU list ("0-2,5"), "" or "-" for none."""
    out = set()
    if text in (None, "-"):
        return out
    for part in filter(None, text.strip().split(",")):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def mask(text):
    """A kernel hex mask ("00000000,0000000f")."""
    bits = int(text.replace(",", ""), 16)
    return {i for i in range(bits.bit_length()) if bits >> i & 1}


def fmt(s):
    return ",".join(str(c) for c in sorted(s)) if s else "-"


class Report:
    def __init__(self, label):
        self.label = label
        self.passed = self.failed = 0

    def check(self, name, problems):
        """problems: a list of strings; empty means pass."""
        if problems:
            self.failed += 1
            print("FAIL: %s: %s" % (self.label, name))
            for p in problems[:40]:
                print("    " + p)
        else:
            self.passed += 1
            print("PASS: %s: %s" % (self.label, name))

    def info(self, text):
        print("INFO: %s: %s" % (self.label, text))


def sections(log):
    out = {}
    for m in re.finditer(r"^@@MQT-BEGIN (\S+)\n(.*?)^@@MQT-END \1 rc=(\d+)(?: t=\S+)?$",
                         log, re.S | re.M):
        out[m.group(1)] = (m.group(2), int(m.group(3)))
    return out


def parse_nics(text):
    nics, nodes = {}, {}
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "NIC":
            d = dict(kv.split("=", 1) for kv in f[2:])
            d["name"] = f[1]
            d["msi_irqs"] = {int(x) for x in d["msi_irqs"].split(",") if x}
            nics[d["mac"]] = d
        elif f[0] == "NODE":
            nodes[int(f[1])] = cpus(f[2].split("=", 1)[1])
    return nics, nodes


def parse_state(text):
    """kernel-* sections, "path:value" lines: {"irq": {irq: (affinity,
    effective)}, "file": {path: value}, "sysctl": {name: number}}."""
    st = {"irq": {}, "file": {}, "sysctl": {}}
    irq = {}
    for line in text.splitlines():
        path, sep, value = line.partition(":")
        if not sep:
            continue
        m = re.match(r"^/proc/irq/(\d+)/(smp_affinity_list|effective_affinity_list)$", path)
        if m:
            irq.setdefault(int(m.group(1)), {})[m.group(2)] = value
        elif path.startswith("/proc/sys/net/core/"):
            st["sysctl"][path.rsplit("/", 1)[1]] = int(value)
        elif path.startswith("/sys/class/net/"):
            st["file"][path] = value
    for n, d in irq.items():
        st["irq"][n] = (d.get("smp_affinity_list", "-"), d.get("effective_affinity_list", "-"))
    return st


def parse_interrupts(text):
    """/proc/interrupts: {irq: (per-CPU counts, action name)}."""
    lines = text.splitlines()
    head = [x for x in lines if x.strip().startswith("CPU")]
    if not head:
        return {}
    ncpu = len(head[0].split())
    out = {}
    for line in lines:
        f = line.split()
        if not f or not f[0].endswith(":") or not f[0][:-1].isdigit():
            continue
        counts = [int(x) for x in f[1:1 + ncpu]]
        # counts, then the chip ("PCI-MSI", "PCI-MSIX-0000:00:02.0") and
        # the hwirq with its type ("32769-edge"), then the action name(s)
        out[int(f[0][:-1])] = (counts, " ".join(f[1 + ncpu + 2:]))
    return out


def doc_iface(doc, name):
    for i in doc.get("interfaces", []):
        if i["name"] == name:
            return i
    return None


def queue_vectors(iface):
    """[(queue, vector)] of a show or auto interface."""
    return [(q["queue"], v) for q in iface["queues"] for v in q["vectors"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="vm")
    ap.add_argument("--seconds", default="?")
    ap.add_argument("log")
    args = ap.parse_args()
    rep = Report(args.label)
    try:
        log = open(args.log, encoding="utf-8", errors="replace").read().replace("\r", "")
    except OSError as e:
        print("SKIP: %s: no console log: %s" % (args.label, e))
        return 77

    if "@@MQT-INIT" not in log:
        tail = [x for x in log.splitlines() if x.strip()][-5:]
        print("SKIP: %s: the guest never reached its init (kernel or QEMU trouble, "
              "not mqtune); last console lines:" % args.label)
        for x in tail:
            print("    " + x)
        return 77
    m = re.search(r"^@@MQT-INIT uptime=(\S+)", log, re.M)
    d = re.search(r"^@@MQT-DONE uptime=(\S+)", log, re.M)
    rep.info("VM ran %ss on the host; guest init at %ss of uptime, done at %ss"
             % (args.seconds, m.group(1), d.group(1) if d else "?"))
    errors = re.findall(r"^@@MQT-ERROR (.*)$", log, re.M)
    sec = sections(log)
    rep.check("guest ran every step and powered off cleanly",
              (["no @@MQT-DONE: the guest stopped early (timeout or crash)"] if not d else [])
              + errors
              + ["section %s missing or unterminated" % s for s in
                 ("nics", "interrupts-boot", "kernel-boot", "show-before", "dryrun",
                  "kernel-dryrun", "apply", "kernel-apply", "again", "kernel-again",
                  "show-after", "traffic", "kernel-settled", "interrupts-settled")
                 if s not in sec])

    nics, nodes = parse_nics(sec.get("nics", ("", 0))[0])
    probs = []
    for mac in (NIC_ROOT_MAC, NIC_PXB_MAC):
        n = nics.get(mac)
        if not n:
            probs.append("no NIC with MAC %s" % mac)
        elif (n["rx"], n["tx"]) != (str(QUEUES), str(QUEUES)):
            probs.append("%s: %s rx / %s tx queues, want %d/%d"
                         % (n["name"], n["rx"], n["tx"], QUEUES, QUEUES))
    rep.check("two virtio_net NICs with %d rx + %d tx queues each (sysfs)" % (QUEUES, QUEUES),
              probs)
    if probs:
        return 1
    root, pxb = nics[NIC_ROOT_MAC], nics[NIC_PXB_MAC]
    names = [root["name"], pxb["name"]]

    def load(name):
        text, rc = sec.get(name, ("", None))
        try:
            return json.loads(text), rc, None
        except ValueError as e:
            return None, rc, "%s: not JSON (%s), rc %s: %s" % (name, e, rc, text[:300])

    docs, doc_probs = {}, []
    for name in ("show-before", "dryrun", "apply", "again", "show-after"):
        doc, rc, err = load(name)
        if err:
            doc_probs.append(err)
            continue
        docs[name] = (doc, rc)
    state = {s: parse_state(sec[k][0]) for s, k in
             (("boot", "kernel-boot"), ("dryrun", "kernel-dryrun"),
              ("apply", "kernel-apply"), ("again", "kernel-again"),
              ("settled", "kernel-settled")) if k in sec}
    intr = {s: parse_interrupts(sec[k][0]) for s, k in
            (("boot", "interrupts-boot"), ("apply", "interrupts-apply"),
             ("settled", "interrupts-settled")) if k in sec}

    # -- the guest's NUMA layout -----------------------------------------
    probs = ["sysfs node %d: CPUs %s, want %s" % (n, fmt(nodes.get(n)), fmt(c))
             for n, c in NODE_CPUS.items() if nodes.get(n) != c]
    show = docs.get("show-before", (None, None))[0]
    if show:
        got = {n["node"]: cpus(n["cpus"]) for n in show["system"]["numa_nodes"]}
        if got != NODE_CPUS:
            probs.append("mqtune show numa_nodes %s" % show["system"]["numa_nodes"])
    rep.check("guest has 2 NUMA nodes: CPUs 0-1 and 2-3 (sysfs and mqtune)", probs)

    # -- show -----------------------------------------------------------
    probs = list(doc_probs)
    if show:
        if docs["show-before"][1] != 0:
            probs.append("show exited %d" % docs["show-before"][1])
        for n in names:
            i = doc_iface(show, n)
            if not i:
                probs.append("%s missing from show" % n)
                continue
            if i["driver"] != "virtio_net":
                probs.append("%s: driver %r" % (n, i["driver"]))
            if (i["rx_queues"], i["tx_queues"]) != (QUEUES, QUEUES):
                probs.append("%s: %d/%d queues" % (n, i["rx_queues"], i["tx_queues"]))
            ch = i["channels"]
            if ch["combined"] != QUEUES or ch["max_combined"] != QUEUES:
                probs.append("%s: channels %s" % (n, ch))
    rep.check("show --json: exit 0, both NICs virtio_net, 4/4 queues, 4 combined channels",
              probs)

    # -- the queue IRQs: exactly the kernel's input/output vectors -------
    boot_intr = intr.get("boot", {})
    for nic in (root, pxb):
        n, virtio = nic["name"], nic["virtio"]
        pat = re.compile(r"^%s-(input|output)\.(\d+)$" % re.escape(virtio))
        want = {}  # irq -> (kind, queue)
        for irq, (_, action) in boot_intr.items():
            mm = pat.match(action)
            if mm:
                want[irq] = ("rx" if mm.group(1) == "input" else "tx", int(mm.group(2)))
        config = [irq for irq, (_, a) in boot_intr.items() if a == virtio + "-config"]
        probs = []
        if sorted(k for k, _ in want.values()) != ["rx"] * QUEUES + ["tx"] * QUEUES:
            probs.append("/proc/interrupts has %s for %s" % (sorted(want.values()), virtio))
        if not set(want) <= nic["msi_irqs"]:
            probs.append("queue IRQs %s not all in msi_irqs %s" % (sorted(want), sorted(nic["msi_irqs"])))
        for dname in ("show-before", "dryrun", "apply", "show-after"):
            if dname not in docs:
                continue
            i = doc_iface(docs[dname][0], n)
            if not i:
                probs.append("%s: %s missing" % (dname, n))
                continue
            got = {}
            for qi, v in queue_vectors(i):
                got[v["irq"]] = (v["kind"], qi)
                if v["irq"] in config:
                    probs.append("%s: config vector %d taken as a queue" % (dname, v["irq"]))
                if boot_intr.get(v["irq"], (0, ""))[1] != v["name"]:
                    probs.append("%s: IRQ %d named %r, /proc/interrupts says %r"
                                 % (dname, v["irq"], v["name"], boot_intr.get(v["irq"], (0, ""))[1]))
            if got != want:
                probs.append("%s: queue vectors %s, kernel %s" % (dname, sorted(got.items()),
                                                                  sorted(want.items())))
            for q in i["queues"]:
                rx = [v["irq"] for v in q["vectors"] if v["kind"] == "rx"]
                tx = [v["irq"] for v in q["vectors"] if v["kind"] == "tx"]
                if q.get("irqs") != rx + tx or len(rx) != 1 or len(tx) != 1:
                    probs.append("%s: queue %d irqs %s, vectors rx %s tx %s"
                                 % (dname, q["queue"], q.get("irqs"), rx, tx))
            if dname.startswith("show"):
                roles = {o["irq"]: o["role"] for o in i["other_irqs"]}
                if set(roles) != set(config) or any(r != "config" for r in roles.values()):
                    probs.append("%s: other_irqs %s, want config vector %s" % (dname, roles, config))
        rep.check("%s: queue IRQs are exactly %s-input.0-3 (rx) + %s-output.0-3 (tx), "
                  "queue K = input.K/output.K, %s-config not a queue"
                  % (n, virtio, virtio, virtio), probs)
        if show and doc_iface(show, n):
            rep.info("%s: irq_source %s, channels from %s" % (
                n, doc_iface(show, n)["irq_source"], doc_iface(show, n)["channels"]["source"]))

    # virtio_net's own settings at boot, for the record
    if "boot" in state:
        for nic in (root, pxb):
            n = nic["name"]
            aff = ["%d:%s/%s" % (irq, *state["boot"]["irq"][irq])
                   for irq in sorted(nic["msi_irqs"]) if irq in state["boot"]["irq"]]
            xps = [fmt(mask(state["boot"]["file"]["/sys/class/net/%s/queues/tx-%d/xps_cpus" % (n, q)]))
                   for q in range(QUEUES)]
            rep.info("%s at boot (virtio_net's own): IRQ affinity/effective %s; xps tx-0..3 %s"
                     % (n, " ".join(aff), " ".join(xps)))

    # -- dry run --------------------------------------------------------
    def same_state(a, b):
        """Differences in what mqtune writes (not effective affinity)."""
        out = []
        for irq in sorted(set(a["irq"]) | set(b["irq"])):
            if a["irq"].get(irq, ("?",))[0] != b["irq"].get(irq, ("?",))[0]:
                out.append("IRQ %d smp_affinity_list %s -> %s"
                           % (irq, a["irq"].get(irq, ("?",))[0], b["irq"].get(irq, ("?",))[0]))
        for k in ("file", "sysctl"):
            for p in sorted(set(a[k]) | set(b[k])):
                if a[k].get(p) != b[k].get(p):
                    out.append("%s %s -> %s" % (p, a[k].get(p), b[k].get(p)))
        return out

    dry, dry_rc = docs.get("dryrun", (None, None))
    probs = []
    if not dry:
        probs.append("no dry-run document")
    else:
        if dry_rc != 0 or dry["exit_code"] != 0 or dry["status"] != "ok" or not dry["dry_run"]:
            probs.append("rc %s, exit_code %s, status %s, dry_run %s"
                         % (dry_rc, dry["exit_code"], dry["status"], dry["dry_run"]))
        probs += ["change %s state %s" % (c["object"], c["state"])
                  for c in dry["changes"] if c["state"] != "planned" or c.get("pending")]
        if "boot" in state and "dryrun" in state:
            probs += same_state(state["boot"], state["dryrun"])
        else:
            probs.append("kernel state before/after the dry run missing")
    rep.check("auto --dry-run --json: exit 0, every change 'planned', kernel files unchanged",
              probs)

    # -- the real run ---------------------------------------------------
    app, app_rc = docs.get("apply", (None, None))
    probs = []
    if not app:
        rep.check("auto --json: exit 0, status ok, every change applied", ["no document"])
        return finish(rep)
    if app_rc != 0 or app["exit_code"] != 0 or app["status"] != "ok" or app["dry_run"]:
        probs.append("rc %s, exit_code %s, status %s, error %s"
                     % (app_rc, app["exit_code"], app["status"], app["error"]))
    probs += ["change %s: %s" % (c["object"], c["state"]) for c in app["changes"]
              if c["state"] != "applied"]
    if not app["changes"] or not app["changed"]:
        probs.append("nothing changed (the pxb NIC's queues should move to node 1)")
    rep.check("auto --json: exit 0, status ok, %d changes all applied" % len(app["changes"]),
              probs)
    rep.info("warnings: %s" % (app["warnings"] or "none"))

    if dry:
        plan = [(c["object"], c["path"], c["new"]) for c in dry["changes"]]
        done = [(c["object"], c["path"], c["new"]) for c in app["changes"]]
        rep.check("the real run made exactly the changes the dry run planned",
                  [] if plan == done else ["planned %s" % plan, "applied %s" % done])

    after = state.get("apply")
    before = state.get("boot")
    pending = []
    for nic in (root, pxb):
        n = nic["name"]
        i = doc_iface(app, n)
        probs, fprobs = [], []
        if not i or not after:
            rep.check("%s: kernel IRQ affinity is the plan" % n, ["no data"])
            continue
        homes = []
        for q in i["queues"]:
            homes.append(q["home_cpu"])
            for v in q["vectors"]:
                irq = v["irq"]
                kaff, keff = after["irq"].get(irq, ("?", "?"))
                if v["managed"]:
                    # the kernel refused (or the file is read-only): left alone
                    if v["affinity"]["planned"] != v["affinity"]["current"]:
                        probs.append("IRQ %d managed but planned %s" % (irq, v["affinity"]["planned"]))
                    if before and kaff != before["irq"].get(irq, ("?",))[0]:
                        probs.append("managed IRQ %d moved %s -> %s"
                                     % (irq, before["irq"][irq][0], kaff))
                    if not any(str(irq) in w["message"] for w in app["warnings"]):
                        probs.append("managed IRQ %d without a warning" % irq)
                    rep.info("%s IRQ %d (%s) reported managed by the kernel" % (n, irq, v["name"]))
                    continue
                want = v["affinity"]["planned"]
                if want is None or len(cpus(want)) != 1:
                    probs.append("IRQ %d planned %r, want one CPU" % (irq, want))
                    continue
                if cpus(kaff) != cpus(want):
                    probs.append("IRQ %d (%s): smp_affinity_list %s, planned %s"
                                 % (irq, v["name"], kaff, want))
                # policy: rx vector on the queue's home, tx follows its rx
                if cpus(want) != {q["home_cpu"]}:
                    probs.append("IRQ %d (%s) planned %s, queue %d home %s"
                                 % (irq, v["name"], want, q["queue"], q["home_cpu"]))
                if not cpus(keff) <= cpus(want):
                    pending.append("%s IRQ %d %s: affinity %s, effective %s"
                                   % (n, irq, v["name"], kaff, keff))
            base = "/sys/class/net/%s/queues/" % n
            for key, fname, conv in (("rps_cpus", "rx-%d/rps_cpus", mask),
                                     ("xps_cpus", "tx-%d/xps_cpus", mask),
                                     ("rps_flow_cnt", "rx-%d/rps_flow_cnt", int)):
                val = q.get(key)
                if val is None:
                    continue
                path = base + fname % q["queue"]
                got = after["file"].get(path)
                if got in (None, "-"):
                    fprobs.append("%s unreadable" % path)
                    continue
                planned = val["planned"] if val["planned"] is not None else val["current"]
                if planned is None:
                    continue
                want = cpus(planned) if conv is mask else int(planned)
                if conv(got) != want:
                    fprobs.append("%s = %s, planned %s" % (path, got, planned))
        rep.check("%s: every queue IRQ's smp_affinity_list is its planned CPU "
                  "(rx on the queue's home, tx with it)" % n, probs)
        rep.check("%s: rps_cpus, rps_flow_cnt and xps_cpus files hold the plan" % n, fprobs)
        nodes_of = [next((nd for nd, cs in NODE_CPUS.items() if h in cs), None) for h in homes]
        rep.info("%s: numa_node %s, homes %s (nodes %s)" % (n, i["numa_node"], homes, nodes_of))
        rep.check("%s: %d queues, %d distinct home CPUs" % (n, QUEUES, QUEUES),
                  [] if len(set(homes)) == QUEUES and None not in homes
                  else ["homes %s" % homes])

    probs = []
    for name, v in app["sysctls"].items():
        got = after["sysctl"].get(name) if after else None
        want = v["planned"] if v["planned"] is not None else v["current"]
        if got != want:
            probs.append("%s = %s, planned %s (current %s)" % (name, got, v["planned"], v["current"]))
    rep.check("net.core sysctls hold the plan (backlog %s -> %s for a 25 Gb/s link)"
              % (app["sysctls"]["netdev_max_backlog"]["current"],
                 app["sysctls"]["netdev_max_backlog"]["planned"]), probs)

    npend = sum(1 for c in app["changes"] if c.get("pending"))
    rep.info("effective affinity right after the run: %d of %d IRQ changes reported pending "
             "by mqtune; %d queue IRQs with effective outside the new affinity in the dump"
             % (npend, sum(1 for c in app["changes"] if "IRQ" in c["object"]), len(pending)))
    for p in pending:
        rep.info("  effective not yet moved: " + p)

    # -- the pxb NIC on node 1 -----------------------------------------
    probs = []
    if pxb["numa_node"] != "1":
        probs.append("sysfs numa_node %s" % pxb["numa_node"])
    if cpus(pxb["local_cpulist"]) != NODE_CPUS[1]:
        probs.append("sysfs local_cpulist %s" % pxb["local_cpulist"])
    for dname in ("show-before", "apply"):
        i = doc_iface(docs[dname][0], pxb["name"]) if dname in docs else None
        if not i or i["numa_node"] != 1:
            probs.append("%s: numa_node %s" % (dname, i and i["numa_node"]))
    if show and doc_iface(show, pxb["name"]) and \
            cpus(doc_iface(show, pxb["name"])["local_cpus"]) != NODE_CPUS[1]:
        probs.append("show local_cpus %s" % doc_iface(show, pxb["name"])["local_cpus"])
    i = doc_iface(app, pxb["name"])
    homes = [q["home_cpu"] for q in i["queues"]] if i else []
    first = homes[:len(NODE_CPUS[1])]
    if set(first) != NODE_CPUS[1]:
        probs.append("homes %s: the first %d are not node 1's CPUs %s"
                     % (homes, len(NODE_CPUS[1]), fmt(NODE_CPUS[1])))
    rep.check("%s (behind pxb-pcie): numa_node 1, local CPUs 2-3, homes on CPUs 2-3 first (%s)"
              % (pxb["name"], homes), probs)
    if root["numa_node"] not in ("-1", "0"):
        rep.info("root-bus NIC numa_node %s" % root["numa_node"])

    # -- second run -----------------------------------------------------
    again, again_rc = docs.get("again", (None, None))
    probs = []
    if not again:
        probs.append("no document")
    else:
        if again_rc != 0 or again["exit_code"] != 0 or again["status"] != "ok":
            probs.append("rc %s, exit_code %s, status %s" % (again_rc, again["exit_code"], again["status"]))
        if again["changed"] is not False:
            probs.append("changed %s" % again["changed"])
        if again["changes"]:
            probs.append("changes %s" % [(c["object"], c["old"], c["new"]) for c in again["changes"]])
        if after and "again" in state:
            probs += same_state(after, state["again"])
    rep.check("second auto --json: exit 0, changed false, no changes, kernel files unchanged",
              probs)

    # -- show after the run reads back the new values ------------------
    sa = docs.get("show-after", (None, None))[0]
    probs = []
    if not sa:
        probs.append("no document")
    else:
        for n in names:
            i, a = doc_iface(sa, n), doc_iface(app, n)
            for q, qa in zip(i["queues"], a["queues"]):
                for v, va in zip(q["vectors"], qa["vectors"]):
                    want = va["affinity"]["planned"] or va["affinity"]["current"]
                    if cpus(v["affinity"]) != cpus(want):
                        probs.append("%s IRQ %d affinity %s, applied %s" % (n, v["irq"], v["affinity"], want))
                if qa["xps_cpus"] and cpus(q["xps_cpus"]) != cpus(qa["xps_cpus"]["planned"]):
                    probs.append("%s q%d xps %s, applied %s" % (n, q["queue"], q["xps_cpus"],
                                                               qa["xps_cpus"]["planned"]))
    rep.check("show --json after the run reports the applied affinities and XPS", probs)

    # -- traffic: does effective affinity follow? (information only) ---
    settled, ia, isx = state.get("settled"), intr.get("apply", {}), intr.get("settled", {})
    pings = re.findall(r"^PING (\S+) cpu=(\d+) rc=(\d+)$", sec.get("traffic", ("", 0))[0], re.M)
    ok = sum(1 for _, _, rc in pings if rc == "0")
    if settled:
        moved, lag, quiet = 0, [], 0
        for nic in (root, pxb):
            i = doc_iface(app, nic["name"])
            for _, v in queue_vectors(i):
                irq = v["irq"]
                fired = sum(isx.get(irq, ([0], ""))[0]) - sum(ia.get(irq, ([0], ""))[0])
                aff, eff = settled["irq"].get(irq, ("?", "?"))
                if cpus(eff) <= cpus(aff):
                    moved += 1
                elif fired > 0:
                    lag.append("%s IRQ %d: %d interrupts, affinity %s, effective %s"
                               % (nic["name"], irq, fired, aff, eff))
                else:
                    quiet += 1
        rep.info("after traffic (%d of %d pings answered): %d queue IRQs have effective within "
                 "affinity, %d still lag without having fired, %d lag although they fired"
                 % (ok, len(pings), moved, quiet, len(lag)))
        for x in lag:
            rep.info("  " + x)
    return finish(rep)


def finish(rep):
    rep.info("%d passed, %d failed" % (rep.passed, rep.failed))
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
