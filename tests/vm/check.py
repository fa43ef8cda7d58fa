#!/usr/bin/env python3
"""check.py - the assertions of `make vm-check`, on one guest's console log.

tests/vm/init.sh printed mqtune's JSON documents and the kernel's own
files (read with grep/od, not by mqtune) between "@@MQT-BEGIN name" and
"@@MQT-END name rc=N" markers.  This holds the one against the other:

  * the kernel's CPU files are recorded byte for byte (nohz_full reads
    "(null)" right-justified to the CPU count on Debian's kernels) and
    mqtune takes "(null)" for the empty set;
  * links down (as after boot; e1000e, vmxnet3 and igb request their IRQs
    only at open): show and auto --dry-run do not fail and plan nothing
    for vectors without /proc/irq/N; the message "IRQs not requested yet
    (link down)" is expected (XFAIL while mqtune lacks it);
  * links up: the queue IRQs mqtune found are exactly the driver's queue
    vectors of /proc/interrupts (virtioN-input.K/output.K, ethX-rx-0 +
    ethX-tx-0, ethX-rxtx-K, ethX-TxRx-K or ethX-rx-K + ethX-tx-K), never
    the config/other/event vector;
  * a dry run writes nothing, and plans what the real run then does;
  * after the real run every queue IRQ's smp_affinity_list is the planned
    CPU (or the vector is reported managed and left alone), the
    rps_cpus / rps_flow_cnt / xps_cpus files and the sysctls hold the
    plan; effective affinity may lag (no interrupt remapping): reported,
    never failed;
  * a second run changes nothing;
  * a NIC behind the pxb-pcie bridge is on NUMA node 1 and its first
    homes are node 1's CPUs;
  * after `ethtool -L` (virtio: 2 channels, igb: 4, which renames its
    vectors) auto places the new queue vectors and a second run is a no-op.

Prints PASS:/FAIL:/XFAIL:/SKIP:/INFO: lines; exit 0 when nothing failed,
1 when something did, 77 (with SKIP:) when the guest never reached its
init.
"""
import argparse
import json
import re
import sys

LINK_DOWN_MSG = "IRQs not requested yet (link down)"

# What Debian's kernels wrote in these files in this test (8 vCPUs, no
# isolcpus= or nohz_full= on the command line), byte for byte: the same on
# 6.1.0-57-amd64 (standard), 6.1.0-57-cloud-amd64 and 6.12.117+deb12-amd64.
# nohz_full is "%*pbl" of an empty mask printed as "(null)" and
# right-justified to nr_cpu_ids columns: 8 - 6 = 2 spaces here (a 64-CPU
# machine: 58).  A run whose kernel differs says so in an INFO line.
RECORDED_CPUFILES = {
    "nohz_full": b"  (null)\n",
    "isolated": b"\n",
    "offline": b"\n",
}


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
        self.passed = self.failed = self.xfailed = 0

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

    def skip(self, name, why):
        """Not tested here, and why (a module the kernel lacks)."""
        print("SKIP: %s: %s: %s" % (self.label, name, why))

    def xfail(self, name, why):
        """A known gap of this mqtune (another part of issue 7)."""
        self.xfailed += 1
        print("XFAIL: %s: %s: %s" % (self.label, name, why))

    def info(self, text):
        print("INFO: %s: %s" % (self.label, text))


def sections(log):
    out = {}
    for m in re.finditer(r"^@@MQT-BEGIN (\S+)\n(.*?)^@@MQT-END \1 rc=(\d+)(?: t=\S+)?$",
                         log, re.S | re.M):
        out[m.group(1)] = (m.group(2), int(m.group(3)))
    return out


def parse_nics(text):
    """nics* sections: ([nic dicts in /etc/nics order], {node: cpus})."""
    nics, nodes = [], {}
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "NIC":
            d = dict(kv.split("=", 1) for kv in f[2:])
            d["name"] = f[1]
            for k in ("msi_irqs", "proc_irq"):
                d[k] = {int(x) for x in d.get(k, "").split(",") if x}
            nics.append(d)
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
    for i in (doc or {}).get("interfaces", []):
        if i["name"] == name:
            return i
    return None


def queue_vectors(iface):
    """[(queue, vector)] of a show or auto interface."""
    return [(q["queue"], v) for q in iface["queues"] for v in q["vectors"]]


def queue_irqs(q):
    """A queue's IRQ list, format 1 ("irq" or "irqs") or 2 ("irqs")."""
    if "irqs" in q:
        return list(q["irqs"])
    return [] if q.get("irq") is None else [q["irq"]]


# ---- what each driver shows (tests/vm/README.md, drivers-in-qemu.md) ---
def driver_rules(nic, ncpu):
    """{queue pattern, other pattern, role names, at_open, queues}.
    The queue pattern's groups: kind (rx/tx, or None: combined) and index."""
    d, ifn, dev = nic["driver"], re.escape(nic["name"]), re.escape(nic["dev"])
    if d == "virtio_net":
        return dict(queue=[(r"^%s-(input|output)\.(\d+)$" % dev,
                            lambda m: ("rx" if m.group(1) == "input" else "tx", int(m.group(2))))],
                    other=r"^%s-config$" % dev, at_open=False,
                    queues=min(8, ncpu) if nic.get("model") == "virtio8" else 4)
    if d == "e1000e":
        return dict(queue=[(r"^%s-(rx|tx)-(\d+)$" % ifn, lambda m: (m.group(1), int(m.group(2))))],
                    other=r"^%s$" % ifn, at_open=True, queues=1)
    if d == "vmxnet3":
        q = 1
        while q * 2 <= min(ncpu, 8):
            q *= 2
        return dict(queue=[(r"^%s-rxtx-(\d+)$" % ifn, lambda m: ("combined", int(m.group(1))))],
                    other=r"^%s-event-\d+$" % ifn, at_open=True, queues=q)
    if d == "igb":
        return dict(queue=[(r"^%s-TxRx-(\d+)$" % ifn, lambda m: ("combined", int(m.group(1)))),
                           (r"^%s-(rx|tx)-(\d+)$" % ifn, lambda m: (m.group(1), int(m.group(2))))],
                    other=r"^%s$" % ifn, at_open=True, queues=min(ncpu, 8))
    if d == "e1000":
        # INTx only: no msi_irqs/, one IO-APIC line named ethX (device/irq)
        return dict(queue=[], other=r"^%s$" % ifn, at_open=True, queues=1, intx=True)
    return None


def kernel_vectors(nic, intr, rules, nqueues):
    """From /proc/interrupts: ({irq: (kind, queue)} of the queue vectors
    with an index below the queue count, [other vectors], [problems])."""
    want, other, probs = {}, [], []
    for irq in sorted(nic["msi_irqs"]):
        if irq not in intr:
            continue
        name = intr[irq][1]
        for pat, conv in rules["queue"]:
            m = re.match(pat, name)
            if m:
                kind, qi = conv(m)
                if qi < nqueues:
                    want[irq] = (kind, qi)
                else:
                    other.append(irq)  # allocated, past the channel count
                break
        else:
            if re.match(rules["other"], name):
                other.append(irq)
            else:
                probs.append("IRQ %d: unexpected vector name %r" % (irq, name))
    return want, other, probs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="vm")
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--cpus", type=int, default=8)
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
    m = re.search(r"^@@MQT-INIT uptime=(\S+) kernel=(\S+)", log, re.M)
    d = re.search(r"^@@MQT-DONE uptime=(\S+)", log, re.M)
    rep.info("kernel %s, VM ran %ss on the host; guest init at %ss of uptime, done at %ss"
             % (m.group(2), args.seconds, m.group(1), d.group(1) if d else "?"))
    errors = re.findall(r"^@@MQT-ERROR (.*)$", log, re.M)
    sec = sections(log)
    changed_ifs = (re.search(r"^@@MQT-CHANGED (.*)$", log, re.M) or [None, ""])[1].split()
    nics, nodes = parse_nics(sec.get("nics", ("", 0))[0])
    need = ["cpufiles", "nics-down", "interrupts-down", "nics", "interrupts-boot",
            "kernel-boot", "ethtool", "show-before", "dryrun", "kernel-dryrun", "apply",
            "kernel-apply", "again", "kernel-again", "show-after", "chan-set", "traffic",
            "kernel-settled", "interrupts-settled", "nics-redown", "interrupts-redown",
            "show-redown", "dryrun-redown", "watch-linkup", "watch-flap", "watch-log"]
    need += ["%s-down-%s" % (s, n["name"]) for n in nics for s in ("show", "showtext", "dryrun")]
    if changed_ifs:
        need += ["nics-chan", "interrupts-chan", "kernel-chan-before", "apply-chan",
                 "kernel-chan", "again-chan", "kernel-chan-again"]
    rep.check("guest ran every step and powered off cleanly",
              (["no @@MQT-DONE: the guest stopped early (timeout or crash)"] if not d else [])
              + errors + ["section %s missing or unterminated" % s for s in need if s not in sec])

    # -- the kernel's CPU files, byte for byte --------------------------
    cpufile = {}
    for line in sec.get("cpufiles", ("", 0))[0].splitlines():
        f = line.split()
        if len(f) == 3 and f[0] == "CPUFILE":
            cpufile[f[1]] = None if f[2] == "missing" else bytes.fromhex(f[2])
    for name in ("nohz_full", "isolated", "possible", "online", "offline", "kernel_max"):
        if name in cpufile:
            rec = RECORDED_CPUFILES.get(name)
            rep.info("/sys/devices/system/cpu/%s = %r%s" % (
                name, cpufile[name], "" if rec is None or args.cpus != 8 else
                " (as recorded)" if rec == cpufile[name] else " (recorded: %r)" % rec))

    # -- the NICs ---------------------------------------------------------
    ncpu = args.cpus
    half = ncpu // 2
    node_cpus = {0: set(range(half)), 1: set(range(half, ncpu))}
    down_nics = {n["mac"]: n for n in parse_nics(sec.get("nics-down", ("", 0))[0])[0]}
    probs = []
    rules = {}
    for n in nics:
        r = driver_rules(n, ncpu)
        if r is None:
            probs.append("%s: driver %r, not one this test knows" % (n["name"], n["driver"]))
            continue
        rules[n["name"]] = r
        if (n["rx"], n["tx"]) != (str(r["queues"]), str(r["queues"])):
            probs.append("%s (%s): %s rx / %s tx queues, want %d/%d"
                         % (n["name"], n["driver"], n["rx"], n["tx"], r["queues"], r["queues"]))
        if n["model"] not in ({"virtio_net": ("virtio", "virtio8")}
                              .get(n["driver"], (n["driver"],))):
            probs.append("%s: model %s driven by %s" % (n["name"], n["model"], n["driver"]))
    rep.check("NICs %s with their drivers' queue counts at %d vCPUs (sysfs)"
              % (", ".join("%s=%s@%s" % (n["name"], n["driver"], n["place"]) for n in nics), ncpu),
              probs if nics else ["no NIC found"])
    if not nics or probs:
        return finish(rep)

    def load(name):
        text, rc = sec.get(name, ("", None))
        err = [x[len("@@STDERR "):] for x in text.splitlines() if x.startswith("@@STDERR ")]
        body = "\n".join(x for x in text.splitlines() if not x.startswith("@@STDERR "))
        try:
            return json.loads(body), rc, err, None
        except ValueError as e:
            return None, rc, err, "%s: not JSON (%s), rc %s: %s" % (name, e, rc, text[:300])

    docs, doc_probs = {}, []
    for name in ("show-before", "dryrun", "apply", "again", "show-after",
                 "apply-chan", "again-chan"):
        if name not in sec:
            continue
        doc, rc, err, perr = load(name)
        if perr:
            doc_probs.append(perr)
            continue
        docs[name] = (doc, rc, err)
    state = {s: parse_state(sec[s][0]) for s in
             ("kernel-boot", "kernel-dryrun", "kernel-apply", "kernel-again", "kernel-settled",
              "kernel-chan-before", "kernel-chan", "kernel-chan-again") if s in sec}
    intr = {s: parse_interrupts(sec[s][0]) for s in
            ("interrupts-down", "interrupts-boot", "interrupts-apply", "interrupts-settled",
             "interrupts-chan", "interrupts-redown") if s in sec}

    # -- the guest's NUMA layout -----------------------------------------
    probs = ["sysfs node %d: CPUs %s, want %s" % (n, fmt(nodes.get(n)), fmt(c))
             for n, c in node_cpus.items() if nodes.get(n) != c]
    show = docs.get("show-before", (None, None, None))[0]
    if show and "system" in show:
        got = {n["node"]: cpus(n["cpus"]) for n in show["system"]["numa_nodes"]}
        if got != node_cpus:
            probs.append("mqtune show numa_nodes %s" % show["system"]["numa_nodes"])
    elif show:
        probs.append("show failed: %s" % show.get("error"))
    rep.check("guest has 2 NUMA nodes: CPUs %s and %s (sysfs and mqtune)"
              % (fmt(node_cpus[0]), fmt(node_cpus[1])), probs)

    # -- (null) is the empty set ----------------------------------------
    nz = cpufile.get("nohz_full")
    probs = []
    if show and "system" in show:
        for f in ("nohz_full", "isolated"):
            raw = cpufile.get(f)
            if raw is None:
                continue
            word = raw.decode(errors="replace").strip()
            want = set() if word in ("", "(null)") else cpus(word)
            if cpus(show["system"]["cpus"].get(f)) != want:
                probs.append("%s reads %r, show says %r" % (f, raw, show["system"]["cpus"].get(f)))
    elif show:
        probs.append("show exited %s: %s" % (docs["show-before"][1], show.get("error")))
    else:
        probs.append("no show document")
    rep.check("mqtune takes nohz_full %r and isolated %r for what they are"
              % (nz, cpufile.get("isolated")), probs)

    # -- links down ---------------------------------------------------------
    boot_intr = intr.get("interrupts-boot", {})
    down_intr = intr.get("interrupts-down", {})
    for n in nics:
        nm, r = n["name"], rules[n["name"]]
        dn = down_nics.get(n["mac"], {})
        unreq = sorted(dn.get("msi_irqs", set()) - dn.get("proc_irq", set()))
        if r.get("intx"):
            # the INTx line is unrequested while the interface's own
            # handler is not on it (other devices' may be)
            dline = int(dn.get("intx") or 0)
            dnames = down_intr.get(dline, (0, ""))[1].split(", ")
            unreq = [dline] if dline and nm not in dnames else []
            rep.info("%s (%s) link down: INTx line %d, handlers %r" % (
                nm, n["driver"], dline, down_intr.get(dline, (0, ""))[1]))
        rep.info("%s (%s) link down: msi_irqs %s, with /proc/irq/N %s, /proc/interrupts names %s"
                 % (nm, n["driver"], fmt(dn.get("msi_irqs")), fmt(dn.get("proc_irq")),
                    [down_intr[i][1] for i in sorted(dn.get("msi_irqs", ())) if i in down_intr]))
        sdoc, src, serr, sperr = load("show-down-" + nm)
        text, trc = sec.get("showtext-down-" + nm, ("", None))
        ddoc, drc, derr, dperr = load("dryrun-down-" + nm)
        probs = []
        if src != 0 or sperr:
            probs.append("show --json exited %s: %s" % (src, "; ".join(serr) or sperr))
        if trc != 0:
            probs.append("show exited %s: %s" % (trc, text.replace("@@STDERR ", "").strip()[:300]))
        rep.check("%s link down: show and show --json exit 0" % nm, probs)
        probs = []
        if drc != 0 or dperr:
            probs.append("auto --dry-run --json exited %s: %s" % (drc, "; ".join(derr) or dperr))
        elif ddoc:
            for c in ddoc.get("changes", []):
                mm = re.match(r"^/proc/irq/(\d+)/", c.get("path") or "")
                if mm and int(mm.group(1)) in unreq:
                    probs.append("plans %s for IRQ %s, which has no /proc/irq/N yet"
                                 % (c["path"], mm.group(1)))
        if ddoc and "changes" in ddoc:
            ch = [c for c in ddoc["changes"] if c["object"].startswith(nm + " ") or
                  c["object"].startswith("IRQ")]
            rep.info("%s link down: the dry run plans %d changes%s" % (
                nm, len(ddoc["changes"]), ": " + ", ".join(
                    "%s %s -> %s" % (c["object"], c["old"], c["new"]) for c in ch[:6])
                + (" ..." if len(ch) > 6 else "") if ch else ""))
        rep.check("%s link down: auto --dry-run exits 0 and plans nothing for unrequested "
                  "vectors %s" % (nm, fmt(set(unreq))), probs)
        text = "\n".join(x for x in text.splitlines() if not x.startswith("@@STDERR "))
        if unreq and (src != 0 or trc != 0):
            rep.info("%s link down: the link-down message is not checked: show failed" % nm)
        elif unreq:
            said = LINK_DOWN_MSG in text or LINK_DOWN_MSG in json.dumps(sdoc or {}) \
                or any(LINK_DOWN_MSG in x for x in serr)
            if said:
                rep.check("%s link down: show says %r" % (nm, LINK_DOWN_MSG), [])
            else:
                rep.xfail("%s link down: show says %r" % (nm, LINK_DOWN_MSG),
                          "this mqtune does not say it (the message is another part of "
                          "issue 7); show printed: %r" % text.strip()[:200])
        elif r["at_open"] and not r.get("intx"):
            rep.info("%s: %s requests its IRQs at open, yet all had /proc/irq/N before link up"
                     % (nm, n["driver"]))

    # -- links up: show -------------------------------------------------
    probs = list(doc_probs)
    if show and "interfaces" in show:
        if docs["show-before"][1] != 0:
            probs.append("show exited %d" % docs["show-before"][1])
        for n in nics:
            i = doc_iface(show, n["name"])
            if not i:
                probs.append("%s missing from show" % n["name"])
                continue
            if i["driver"] != n["driver"]:
                probs.append("%s: driver %r, sysfs %r" % (n["name"], i["driver"], n["driver"]))
            if (i["rx_queues"], i["tx_queues"]) != (int(n["rx"]), int(n["tx"])):
                probs.append("%s: %d/%d queues" % (n["name"], i["rx_queues"], i["tx_queues"]))
            rep.info("%s: show channels %s, irq_source %s" % (n["name"], i["channels"],
                                                               i["irq_source"]))
    else:
        probs.append("show --json failed: %s" % (show or {}).get("error"))
    rep.check("show --json (links up): exit 0, drivers and queue counts as in sysfs", probs)

    et = sec.get("ethtool", ("", 0))[0]
    for n in nics:
        mm = re.search(r"^## ethtool -l %s\n(.*?)^## rc=(\d+)" % re.escape(n["name"]), et,
                       re.S | re.M)
        if mm:
            cur = re.findall(r"^(RX|TX|Other|Combined):\s+(\S+)", mm.group(1), re.M)
            rep.info("%s: ethtool -l rc %s: %s" % (n["name"], mm.group(2),
                                                  " ".join("%s=%s" % c for c in cur)
                                                  or mm.group(1).strip()[:80]))

    # -- links up: the queue IRQs are exactly the kernel's queue vectors -
    def check_vectors(tag, nic, nic_now, intr_now, docnames, nqueues):
        r = rules[nic["name"]]
        if r.get("intx"):
            line = int(nic_now.get("intx") or -1)
            seen = []
            for dname in docnames:
                i = doc_iface(docs.get(dname, (None,))[0], nic["name"])
                if i:
                    seen.append("%s: irq_source %s, queue IRQs %s, other_irqs %s" % (
                        dname, i["irq_source"], [v["irq"] for _, v in queue_vectors(i)],
                        [o["irq"] for o in i.get("other_irqs", [])]))
            rep.info("%s%s: INTx line %d (%r in /proc/interrupts), no msi_irqs; mqtune: %s"
                     % (nic["name"], tag, line, intr_now.get(line, (0, "?"))[1],
                        "; ".join(seen[:1]) or "no document"))
            # shown as the one queue's vector (or, on a line shared with
            # another device, as a "shared" vector no queue claims), and
            # placed on the queue's home by the real run
            hnames = intr_now.get(line, (0, ""))[1]
            own = nic["name"] in hnames.split(", ")
            shared = [x for x in hnames.split(", ") if x and x != nic["name"]]
            probs = [] if line > 0 and own else [
                "INTx line %d: handlers %r, not %s's" % (line, hnames, nic["name"])]
            for dname in docnames:
                i = doc_iface(docs.get(dname, (None,))[0], nic["name"])
                if not i:
                    probs.append("%s: no document for %s" % (dname, nic["name"]))
                    continue
                if i["irq_source"] != "intx":
                    probs.append("%s: irq_source %r, want 'intx'" % (dname, i["irq_source"]))
                qv = [(qi, v["irq"], v["name"]) for qi, v in queue_vectors(i)]
                oth = {o["irq"]: o.get("role") for o in i.get("other_irqs", [])}
                if shared:
                    if qv or oth.get(line) != "shared":
                        probs.append("%s: shared line %d: queue vectors %s, other_irqs %s"
                                     % (dname, line, qv, oth))
                elif qv != [(0, line, hnames)]:
                    probs.append("%s: queue vectors %s, want [(0, %d, %r)]"
                                 % (dname, qv, line, hnames))
            app = docs.get("apply", (None,))[0] if "apply" in docnames else None
            after = state.get("kernel-apply")
            i = doc_iface(app, nic["name"]) if app else None
            if i and not shared:
                home = i["queues"][0]["home_cpu"]
                kaff = (after or {"irq": {}})["irq"].get(line, ("?",))[0]
                if cpus(kaff) != {home}:
                    probs.append("after auto: /proc/irq/%d/smp_affinity_list %s, queue 0's "
                                 "home %s" % (line, kaff, home))
            elif i and shared and after and state.get("kernel-boot"):
                if after["irq"].get(line) != state["kernel-boot"]["irq"].get(line):
                    probs.append("auto moved the shared line %d" % line)
            rep.check("%s%s: INTx line %d shown as %s (irq_source intx)%s"
                      % (nic["name"], tag, line,
                         "shared (%s), left alone" % ", ".join(shared) if shared
                         else "queue 0's vector", ", placed on queue 0's home by auto"
                         if app else ""), probs)
            return {}
        want, other, probs = kernel_vectors(nic_now, intr_now, r, nqueues)
        kinds = sorted(k for k, _ in want.values())
        nq = len({q for _, q in want.values()})
        if nq != nqueues or not (kinds == ["combined"] * nqueues
                                 or kinds == ["rx"] * nqueues + ["tx"] * nqueues):
            probs.append("/proc/interrupts: queue vectors %s for %d queues"
                         % (sorted(want.items()), nqueues))
        for dname in docnames:
            if dname not in docs:
                probs.append("%s: no document" % dname)
                continue
            i = doc_iface(docs[dname][0], nic["name"])
            if not i:
                probs.append("%s: %s missing (%s)" % (dname, nic["name"],
                                                      docs[dname][0].get("error")))
                continue
            got = {}
            for qi, v in queue_vectors(i):
                got[v["irq"]] = (v["kind"], qi)
                if v["irq"] in other:
                    probs.append("%s: %s vector %d (%s) taken as a queue"
                                 % (dname, "other", v["irq"], intr_now.get(v["irq"], (0, "?"))[1]))
                if intr_now.get(v["irq"], (0, ""))[1] != v["name"]:
                    probs.append("%s: IRQ %d named %r, /proc/interrupts says %r"
                                 % (dname, v["irq"], v["name"], intr_now.get(v["irq"], (0, ""))[1]))
            if got != want:
                probs.append("%s: queue vectors %s, kernel %s" % (dname, sorted(got.items()),
                                                                  sorted(want.items())))
            for q in i["queues"]:
                vs = [v["irq"] for v in q["vectors"]]
                if sorted(queue_irqs(q)) != sorted(vs):
                    probs.append("%s: queue %d irqs %s, vectors %s"
                                 % (dname, q["queue"], queue_irqs(q), vs))
        rep.check("%s%s: queue IRQs are exactly %s's queue vectors (%d queues; %s), "
                  "never its other vectors %s"
                  % (nic["name"], tag, nic["driver"], nqueues,
                     ", ".join(sorted({intr_now[x][1] for x in want})[:2]) + ("..." if len(want) > 2 else ""),
                     [intr_now.get(x, (0, "?"))[1] for x in other][:3]), probs)
        return want

    up_names = {}
    for n in nics:
        up_names[n["name"]] = [boot_intr[i][1] for i in sorted(n["msi_irqs"]) if i in boot_intr]
        rep.info("%s (%s) link up: msi_irqs %s, /proc/interrupts names %s"
                 % (n["name"], n["driver"], fmt(n["msi_irqs"]), up_names[n["name"]]))
        check_vectors("", n, n, boot_intr, ("show-before", "dryrun", "apply", "show-after"),
                      int(n["rx"]))
        if show and doc_iface(show, n["name"]):
            i = doc_iface(show, n["name"])
            roles = {o["irq"]: o["role"] for o in i.get("other_irqs", [])}
            rep.info("%s: other_irqs %s" % (n["name"], roles))

    # -- dry run, real run, second run ------------------------------------
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

    dry, dry_rc, _ = docs.get("dryrun", (None, None, None))
    probs = []
    if not dry:
        probs.append("no dry-run document")
    else:
        if dry_rc != 0 or dry["exit_code"] != 0 or dry["status"] != "ok" or not dry.get("dry_run"):
            probs.append("rc %s, exit_code %s, status %s, error %s"
                         % (dry_rc, dry["exit_code"], dry["status"], dry.get("error")))
        probs += ["change %s state %s" % (c["object"], c["state"])
                  for c in dry.get("changes", []) if c["state"] != "planned" or c.get("pending")]
        if "kernel-boot" in state and "kernel-dryrun" in state:
            probs += same_state(state["kernel-boot"], state["kernel-dryrun"])
    rep.check("auto --dry-run --json: exit 0, every change 'planned', kernel files unchanged",
              probs)

    def check_apply(tag, names, app_name, again_name, before, after, again_st, dry=None):
        app, app_rc, app_err = docs.get(app_name, (None, None, None))
        probs = []
        if not app:
            rep.check("auto --json%s: exit 0, status ok, every change applied" % tag,
                      ["no document"])
            return None
        if app_rc != 0 or app["exit_code"] != 0 or app["status"] != "ok" or app.get("dry_run"):
            probs.append("rc %s, exit_code %s, status %s, error %s"
                         % (app_rc, app["exit_code"], app["status"], app.get("error")))
        if "changes" in app:
            probs += ["change %s: %s" % (c["object"], c["state"]) for c in app["changes"]
                      if c["state"] != "applied"]
            if not app["changes"] or not app["changed"]:
                probs.append("nothing changed")
        rep.check("auto --json%s: exit 0, status ok, %d changes all applied"
                  % (tag, len(app.get("changes", []))), probs)
        if "interfaces" not in app:
            return None
        rep.info("warnings%s: %s; stderr: %s" % (tag, app.get("warnings") or "none",
                                                  app_err or "none"))
        if dry:
            plan = [(c["object"], c["path"], c["new"]) for c in dry.get("changes", [])]
            done = [(c["object"], c["path"], c["new"]) for c in app["changes"]]
            rep.check("the real run made exactly the changes the dry run planned",
                      [] if plan == done else ["planned %s" % plan, "applied %s" % done])
        pending = []
        for nm in names:
            i = doc_iface(app, nm)
            probs, fprobs = [], []
            if not i or not after:
                rep.check("%s%s: kernel IRQ affinity is the plan" % (nm, tag), ["no data"])
                continue
            homes = []
            for q in i["queues"]:
                homes.append(q["home_cpu"])
                for v in q["vectors"]:
                    irq = v["irq"]
                    kaff, keff = after["irq"].get(irq, ("?", "?"))
                    if v["managed"]:
                        if v["affinity"]["planned"] != v["affinity"]["current"]:
                            probs.append("IRQ %d managed but planned %s" % (irq, v["affinity"]["planned"]))
                        if before and kaff != before["irq"].get(irq, ("?",))[0]:
                            probs.append("managed IRQ %d moved %s -> %s"
                                         % (irq, before["irq"][irq][0], kaff))
                        rep.info("%s IRQ %d (%s) reported managed" % (nm, irq, v["name"]))
                        continue
                    want = v["affinity"]["planned"]
                    if want is None:
                        want = v["affinity"]["current"]
                    if want is None or len(cpus(want)) != 1:
                        probs.append("IRQ %d (%s) planned %r, want one CPU" % (irq, v["name"], want))
                        continue
                    if cpus(kaff) != cpus(want):
                        probs.append("IRQ %d (%s): smp_affinity_list %s, planned %s"
                                     % (irq, v["name"], kaff, want))
                    if cpus(want) != {q["home_cpu"]}:
                        probs.append("IRQ %d (%s) planned %s, queue %d home %s"
                                     % (irq, v["name"], want, q["queue"], q["home_cpu"]))
                    if not cpus(keff) <= cpus(want):
                        pending.append("%s IRQ %d %s: affinity %s, effective %s"
                                       % (nm, irq, v["name"], kaff, keff))
                base = "/sys/class/net/%s/queues/" % nm
                for key, fname, conv in (("rps_cpus", "rx-%d/rps_cpus", mask),
                                         ("xps_cpus", "tx-%d/xps_cpus", mask),
                                         ("rps_flow_cnt", "rx-%d/rps_flow_cnt", int)):
                    val = q.get(key)
                    if val is None:
                        continue
                    path = base + fname % q["queue"]
                    got = after["file"].get(path)
                    planned = val["planned"] if val["planned"] is not None else val["current"]
                    if planned is None:
                        continue
                    if got in (None, "-"):
                        fprobs.append("%s unreadable, planned %s" % (path, planned))
                        continue
                    want = cpus(planned) if conv is mask else int(planned)
                    if conv(got) != want:
                        fprobs.append("%s = %s, planned %s" % (path, got, planned))
            rep.check("%s%s: every queue IRQ's smp_affinity_list is its planned CPU "
                      "(the queue's home)" % (nm, tag), probs)
            rep.check("%s%s: rps_cpus, rps_flow_cnt and xps_cpus files hold the plan" % (nm, tag),
                      fprobs)
            node_of = [next((nd for nd, cs in node_cpus.items() if h in cs), None) for h in homes]
            rep.info("%s%s: numa_node %s, homes %s (nodes %s)"
                     % (nm, tag, i["numa_node"], homes, node_of))
            k = min(len(homes), ncpu)
            rep.check("%s%s: %d queues, %d distinct home CPUs" % (nm, tag, len(homes), k),
                      [] if len(set(homes)) == k and None not in homes else ["homes %s" % homes])
            nic = next(n for n in nics if n["name"] == nm)
            if nic["place"] == "pxb":
                k = min(len(homes), len(node_cpus[1]))
                pp = [] if set(homes[:k]) <= node_cpus[1] and len(set(homes[:k])) == k else \
                    ["homes %s: the first %d are not distinct CPUs of node 1 (%s)"
                     % (homes, k, fmt(node_cpus[1]))]
                if i["numa_node"] != 1:
                    pp.append("numa_node %s" % i["numa_node"])
                if nic["numa_node"] != "1" or cpus(nic["local_cpulist"]) != node_cpus[1]:
                    pp.append("sysfs numa_node %s local_cpulist %s"
                              % (nic["numa_node"], nic["local_cpulist"]))
                rep.check("%s%s (behind pxb-pcie): NUMA node 1, first homes on node 1's CPUs"
                          % (nm, tag), pp)
        probs = []
        for name, v in app.get("sysctls", {}).items():
            got = after["sysctl"].get(name) if after else None
            want = v["planned"] if v["planned"] is not None else v["current"]
            if got != want:
                probs.append("%s = %s, planned %s (current %s)" % (name, got, v["planned"], v["current"]))
        rep.check("net.core sysctls hold the plan%s" % tag, probs)
        npend = sum(1 for c in app["changes"] if c.get("pending"))
        rep.info("effective affinity right after the run%s: %d IRQ changes reported pending; "
                 "%d queue IRQs with effective outside the new affinity in the dump"
                 % (tag, npend, len(pending)))

        again, again_rc, _ = docs.get(again_name, (None, None, None))
        probs = []
        if not again:
            probs.append("no document")
        else:
            if again_rc != 0 or again["exit_code"] != 0 or again["status"] != "ok":
                probs.append("rc %s, exit_code %s, status %s" % (again_rc, again["exit_code"],
                                                                 again["status"]))
            if again.get("changed") is not False:
                probs.append("changed %s" % again.get("changed"))
            if again.get("changes"):
                probs.append("changes %s" % [(c["object"], c["old"], c["new"])
                                             for c in again["changes"]])
            if after and again_st:
                probs += same_state(after, again_st)
        rep.check("second auto --json%s: exit 0, no changes, kernel files unchanged" % tag, probs)
        return app

    app = check_apply("", [n["name"] for n in nics], "apply", "again",
                      state.get("kernel-boot"), state.get("kernel-apply"),
                      state.get("kernel-again"), dry)

    sa = docs.get("show-after", (None, None, None))[0]
    probs = []
    if not sa or not app or "interfaces" not in sa or "interfaces" not in app:
        probs.append("no documents")
    else:
        for n in nics:
            i, a = doc_iface(sa, n["name"]), doc_iface(app, n["name"])
            for q, qa in zip(i["queues"], a["queues"]):
                for v, va in zip(q["vectors"], qa["vectors"]):
                    want = va["affinity"]["planned"] or va["affinity"]["current"]
                    if cpus(v["affinity"]) != cpus(want):
                        probs.append("%s IRQ %d affinity %s, applied %s"
                                     % (n["name"], v["irq"], v["affinity"], want))
                if qa.get("xps_cpus") and qa["xps_cpus"]["planned"] is not None and \
                        cpus(q["xps_cpus"]) != cpus(qa["xps_cpus"]["planned"]):
                    probs.append("%s q%d xps %s, applied %s" % (n["name"], q["queue"],
                                                               q["xps_cpus"], qa["xps_cpus"]["planned"]))
    rep.check("show --json after the run reports the applied affinities and XPS", probs)

    # -- ethtool -L ---------------------------------------------------------
    for line in sec.get("chan-set", ("", 0))[0].splitlines():
        if line.startswith("CHAN "):
            rep.info("ethtool -L: " + line[5:])
    if changed_ifs:
        chan_nics = {n["mac"]: n for n in parse_nics(sec.get("nics-chan", ("", 0))[0])[0]}
        ic = intr.get("interrupts-chan", {})
        for n in nics:
            if n["name"] not in changed_ifs:
                continue
            nc = chan_nics.get(n["mac"], n)
            rep.info("%s (%s) after ethtool -L: %s rx / %s tx queues, msi_irqs %s, "
                     "/proc/interrupts names %s"
                     % (n["name"], n["driver"], nc["rx"], nc["tx"], fmt(nc["msi_irqs"]),
                        [ic[i][1] for i in sorted(nc["msi_irqs"]) if i in ic]))
            check_vectors(" after ethtool -L", n, nc, ic, ("apply-chan",), int(nc["rx"]))
        check_apply(" after ethtool -L", changed_ifs, "apply-chan", "again-chan",
                    state.get("kernel-chan-before"), state.get("kernel-chan"),
                    state.get("kernel-chan-again"))

    # -- traffic: does effective affinity follow? (information only) ---
    settled = state.get("kernel-settled")
    pings = re.findall(r"^PING (\S+) cpu=(\d+) rc=(\d+)$", sec.get("traffic", ("", 0))[0], re.M)
    ok = sum(1 for _, _, rc in pings if rc == "0")
    if settled and app and "interfaces" in app:
        moved, lag = 0, 0
        for n in nics:
            i = doc_iface(app, n["name"])
            for _, v in queue_vectors(i):
                aff, eff = settled["irq"].get(v["irq"], ("?", "?"))
                if aff != "?" and cpus(eff) <= cpus(aff):
                    moved += 1
                else:
                    lag += 1
        rep.info("after traffic (%d of %d pings answered): %d queue IRQs have effective within "
                 "affinity, %d not (yet)" % (ok, len(pings), moved, lag))

    # -- links down again: IRQs freed, /proc/irq/N kept --------------------
    rd = {n["mac"]: n for n in parse_nics(sec.get("nics-redown", ("", 0))[0])[0]}
    ir = intr.get("interrupts-redown", {})
    for n in nics:
        x = rd.get(n["mac"])
        if x:
            rep.info("%s (%s) link down again: msi_irqs %s, with /proc/irq/N %s, "
                     "/proc/interrupts names %s"
                     % (n["name"], n["driver"], fmt(x["msi_irqs"]), fmt(x["proc_irq"]),
                        [ir[i][1] for i in sorted(x["msi_irqs"]) if i in ir]))
    probs = []
    for name in ("show-redown", "dryrun-redown"):
        doc, rc, err, perr = load(name)
        if rc != 0 or perr:
            probs.append("%s exited %s: %s" % (name, rc, "; ".join(err) or perr))
        elif name == "dryrun-redown":
            ch = doc.get("changes", [])
            rep.info("links down again: the dry run plans %d changes%s" % (
                len(ch), ": " + ", ".join("%s %s -> %s" % (c["object"], c["old"], c["new"])
                                         for c in ch[:12]) + (" ..." if len(ch) > 12 else "")
                if ch else ""))
    rep.check("links down again (IRQs freed): show and auto --dry-run exit 0", probs)

    # -- mqtune watch: every event healed ----------------------------------
    steps = [("watch-linkup", "links up (IRQs requested at open)"),
             ("watch-flap", "a link flap")]
    if re.search(r"^@@MQT-CHANBACK", log, re.M):
        steps.append(("watch-chan", "ethtool -L back to the original counts"))
    if re.search(r"^@@MQT-RELOADED virtio_net", log, re.M):
        steps.append(("watch-reload", "rmmod + insmod virtio_net"))
    for name, what in steps:
        doc, rc, err, perr = load(name)
        probs = []
        if perr:
            probs.append(perr)
        elif rc != 0 or doc.get("drift") is not False:
            probs.append("check --all exited %s, drift %s: %s" % (
                rc, doc.get("drift"), ", ".join("%s planned %s found %s" % (
                    x["object"], x["planned"], x["found"]) for x in doc.get("drifted", [])[:8])))
        rep.check("watch healed %s: check --all finds no drift" % what, probs)
    wrc = re.search(r"^@@MQT-WATCH-RC (\d+)", log, re.M)
    heals = [x for x in sec.get("watch-log", ("", 0))[0].splitlines() if "mqtune: watch:" in x]
    for x in heals[:12]:
        rep.info("watch log: " + x)
    rep.check("watch ended with status 0 on SIGTERM",
              [] if wrc and wrc.group(1) == "0" else
              ["watch exit status %s" % (wrc.group(1) if wrc else "missing")])
    check_issue10(rep, log, sec, load)
    return finish(rep)


def ethtool_combined(text):
    """The current combined count of `ethtool -l` output, or None."""
    cur = text.split("Current hardware settings:")
    m = re.search(r"^Combined:\s*(\d+)", cur[-1], re.M) if len(cur) > 1 else None
    return int(m.group(1)) if m else None


def ethtool_table(text):
    """The RSS indirection table of `ethtool -x` output, as a list."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^\s*(\d+):((?:\s+\d+)+)\s*$", line)
        if m and int(m.group(1)) == len(out):
            out += [int(x) for x in m.group(2).split()]
    return out


def check_issue10(rep, log, sec, load):
    """Channels, RSS, threaded NAPI and stacked devices on virtio8."""
    m = re.search(r"^@@MQT-V8 (\S+)", log, re.M)
    if not m:
        rep.info("issue 10 stage: no virtio8 NIC in this run")
        return
    v8 = m.group(1)
    text = lambda name: sec.get(name, ("", None))[0]
    pre = ethtool_combined(text("i10-pre-l"))
    dry, drc, derr, dperr = load("i10-dry")
    app, arc, aerr, aperr = load("i10-apply")
    probs = []
    if dperr or aperr or drc != 0 or arc != 0:
        probs.append("dry run rc %s, apply rc %s: %s" % (drc, arc, "; ".join(derr + aerr) or dperr or aperr))
        rep.check("%s: auto activates Sum channels" % v8, probs)
        return
    dch = dry["interfaces"][0]["channels"]
    want = dch["planned"]["combined"]
    if pre != 1:
        probs.append("ethtool -L %s combined 1 did not take (now %s)" % (v8, pre))
    if not dry["changes"] or dry["changes"][0]["object"] != v8 + " channels" or \
            dry["changes"][0]["old"] != "combined 1":
        probs.append("the dry run's first change is not the channel change: %s" % dry["changes"][:1])
    if not dch["vectors_after_change"] or dry["interfaces"][0]["rx_queues"] != want:
        probs.append("the dry run does not show the queues as they will be: %s" % dch)
    if not want or want < 2 or want > dch["max"]["combined"]:
        probs.append("planned combined %s (maximum %s)" % (want, dch["max"]["combined"]))
    now = ethtool_combined(text("i10-l"))
    if now != want:
        probs.append("after auto, ethtool -l shows combined %s, planned %s" % (now, want))
    i = app["interfaces"][0]
    homes = [q["home_cpu"] for q in i["queues"]]
    if len(homes) != want or len(set(homes)) != want:
        probs.append("homes %s for %s queues" % (homes, want))
    for q in i["queues"]:
        for v in q["vectors"]:
            if v["affinity"]["planned"] != str(q["home_cpu"]):
                probs.append("queue %d IRQ %d planned %s, home %s" % (
                    q["queue"], v["irq"], v["affinity"]["planned"], q["home_cpu"]))
    kern = {}
    for line in text("i10-kernel").splitlines():
        k, _, val = line.partition(":")
        kern[k] = val
    for q in i["queues"]:
        for v in q["vectors"]:
            got = kern.get("/proc/irq/%d/smp_affinity_list" % v["irq"])
            if got != str(q["home_cpu"]):
                probs.append("kernel: IRQ %d smp_affinity_list %r, home %s" % (v["irq"], got, q["home_cpu"]))
    again, grc, gerr, gperr = load("i10-again")
    if gperr or grc != 0 or again.get("changed") is not False:
        probs.append("the second run: rc %s changed %s" % (grc, again and again.get("changed")))
    rep.check("%s: combined 1 -> auto sets Sum = %s (the dry run showed it first, "
              "after the channel change), every vector on its queue's home, a rerun "
              "changes nothing" % (v8, want), probs)

    # RSS: equal over the active queues after the change; kept; --rss equal
    probs = []
    tab = ethtool_table(text("i10-x"))
    if not tab:
        rep.check("%s: RSS" % v8, ["ethtool -x shows no indirection table "
                                     "(QEMU virtio-net rss=on not honoured?)"])
    else:
        if tab != [k % want for k in range(len(tab))]:
            probs.append("after auto the table is not equal over 0-%d: %s" % (want - 1, tab[:16]))
        w = ethtool_table(text("i10-xw"))
        k = ethtool_table(text("i10-xk"))
        e = ethtool_table(text("i10-xe"))
        if not w or w == [x % want for x in range(len(w))]:
            probs.append("ethtool -X weight 2 1 made no uneven table: %s" % w[:16])
        if k != w:
            probs.append("--rss auto changed the operator's table over active queues")
        if e != [x % want for x in range(len(e))]:
            probs.append("--rss equal did not write the equal spread: %s" % e[:16])
        rep.check("%s: RSS table (%d entries) equal over the %d queues after the "
                  "change, an uneven table kept, --rss equal spreads it" % (v8, len(tab), want),
                  probs)

    # a failure after the channel change
    fail, frc, ferr, fperr = load("i10-fail")
    probs = []
    if frc != 7:
        probs.append("auto with rx-0/rps_cpus read-only exited %s (want 7): %s" % (frc, "; ".join(ferr)))
    if not any("channel counts were set back" in x for x in ferr):
        probs.append("the message does not say the counts were set back: %s" % ferr)
    if ethtool_combined(text("i10-fail-l")) != 1:
        probs.append("after the failure ethtool -l shows %s, want combined 1"
                     % ethtool_combined(text("i10-fail-l")))
    rest, rrc, rerr, rperr = load("i10-restore")
    if rperr or rrc != 0:
        probs.append("restore exited %s: %s" % (rrc, "; ".join(rerr) or rperr))
    rep.check("%s: a write failing after the channel change: status 7, combined 1 "
              "again; restore exits 0" % v8, probs)

    # restore brings the operator's table back (and the counts)
    probs = []
    w = ethtool_table(text("i10r-xw"))
    rapp, rarc, raerr, raperr = load("i10r-apply")
    rres, rrrc, rrerr, rrperr = load("i10r-restore")
    ragain, ragrc, _, ragperr = load("i10r-again")
    after = ethtool_combined(text("i10r-l"))
    if not w or w == [x % 2 for x in range(len(w))]:
        probs.append("ethtool -X weight 2 1 over 2 queues made no uneven table: %s" % w[:16])
    if raperr or rarc != 0:
        probs.append("auto --rss equal exited %s: %s" % (rarc, "; ".join(raerr) or raperr))
    elif ethtool_table(text("i10r-xa")) != [x % after for x in range(len(w))]:
        probs.append("after auto --rss equal the table is not equal over %s queues" % after)
    kinds = [json.loads(line.rstrip(",\n")).get("kind")
             for line in text("i10r-state").splitlines()
             if line.strip().startswith('{ "kind"')]
    if "rss" not in kinds:
        probs.append("the state file has no rss entry: %s" % sorted(set(kinds)))
    if rrperr or rrrc != 0:
        probs.append("restore exited %s: %s" % (rrrc, "; ".join(rrerr) or rrperr))
    else:
        items = [x for x in rres.get("entries", []) if x.get("kind") == "rss"]
        if len(items) != 1 or items[0].get("action") != "write":
            probs.append("restore's rss item: %s" % items)
    if ethtool_combined(text("i10r-rl")) != 2:
        probs.append("after restore ethtool -l shows combined %s, want 2"
                     % ethtool_combined(text("i10r-rl")))
    if ethtool_table(text("i10r-xr")) != w:
        probs.append("after restore the table is %s, want the operator's %s"
                     % (ethtool_table(text("i10r-xr"))[:16], w[:16]))
    if ragperr or ragrc != 0 or ragain.get("changed") is not False:
        probs.append("a second restore: rc %s changed %s" % (ragrc, ragain and ragain.get("changed")))
    rep.check("%s: restore after auto --rss equal (channels 2 -> %s): the counts and the "
              "operator's weight 2 1 table back, a second restore changes nothing"
              % (v8, after), probs)

    # restore failing in its second phase: the grown counts and every
    # vector's affinity and queue file as before it
    probs = []
    grown = ethtool_combined(text("i10p-l"))
    papp, parc, paerr, paperr = load("i10p-apply")
    pfail, pfrc, pferr, pfperr = load("i10p-fail")
    pres, prrc, prerr, prperr = load("i10p-restore")
    if paperr or parc != 0 or not grown or grown < 2:
        probs.append("auto from combined 1: rc %s, combined %s: %s" % (
            parc, grown, "; ".join(paerr) or paperr))
    if pfrc != 7 or not any("the channel counts were set back" in x for x in pferr):
        probs.append("restore with rx-0/rps_flow_cnt read-only exited %s (want 7, "
                     "the counts set back): %s" % (pfrc, "; ".join(pferr)))
    if ethtool_combined(text("i10p-fail-l")) != grown:
        probs.append("after the failed restore ethtool -l shows combined %s, want %s"
                     % (ethtool_combined(text("i10p-fail-l")), grown))
    keep = lambda name: sorted(l for l in text(name).splitlines()
                               if "effective_affinity_list" not in l)
    before, after = keep("i10p-before"), keep("i10p-after")
    if before != after:
        diff = sorted(set(before) ^ set(after))
        probs.append("%d lines of the kernel's files differ after the failed "
                     "restore: %s" % (len(diff), diff[:6]))
    if prperr or prrc != 0 or ethtool_combined(text("i10p-rl")) != 1:
        probs.append("the restore after it: rc %s, combined %s: %s" % (
            prrc, ethtool_combined(text("i10p-rl")), "; ".join(prerr) or prperr))
    rep.check("%s: restore failing after its channel change (%s -> 1): status 7, "
              "combined %s, every vector's affinity and queue file as before it; "
              "the next restore finishes" % (v8, grown, grown), probs)

    # threaded NAPI
    napp, nrc, nerr, nperr = load("i10-napi-apply")
    probs = []
    live = {}
    for line in text("i10-napi-threads").splitlines():
        f = line.split()
        if len(f) == 4 and f[0] == "NAPI":
            live[int(f[1])] = (f[2], f[3])
    if nperr or nrc != 0:
        probs.append("auto with threaded NAPI exited %s: %s" % (nrc, "; ".join(nerr) or nperr))
    else:
        ths = napp["interfaces"][0].get("napi_threads") or []
        if not ths or not live:
            probs.append("no NAPI thread seen (JSON %d, /proc %d)" % (len(ths), len(live)))
        for t in ths:
            got = live.get(t["pid"])
            want_aff = t["affinity"]["planned"]
            if got is None:
                probs.append("thread %s (pid %s) not in /proc" % (t["name"], t["pid"]))
            elif got[1] != want_aff:
                probs.append("%s (pid %s): Cpus_allowed_list %s, planned %s" % (
                    t["name"], t["pid"], got[1], want_aff))
    nag, nagrc, _, nagperr = load("i10-napi-again")
    if nagperr or nagrc != 0 or nag.get("changed") is not False:
        probs.append("the rerun with threaded NAPI: rc %s changed %s" % (nagrc, nag and nag.get("changed")))
    rep.check("%s: threaded NAPI: every napi/%s-* thread pinned to its queue's home "
              "(%d threads), a rerun changes nothing" % (v8, v8, len(live)), probs)

    # restore: every thread back on the CPUs it had before auto
    def threads(name):
        out = {}
        for line in text(name).splitlines():
            f = line.split()
            if len(f) == 4 and f[0] == "NAPI":
                out[int(f[1])] = f[3]
        return out
    pre, after = threads("i10-napi-pre"), threads("i10-napi-restored")
    nres, nresrc, nreserr, nresperr = load("i10-napi-restore")
    probs = []
    if nresperr or nresrc != 0:
        probs.append("restore exited %s: %s" % (nresrc, "; ".join(nreserr) or nresperr))
    else:
        kinds = [e for e in nres.get("entries", []) if e.get("kind") == "napi_affinity"]
        if not kinds:
            probs.append("restore has no napi_affinity entry")
    if not pre or pre != after:
        probs.append("threads before auto %s, after restore %s" % (
            sorted(pre.items())[:4], sorted(after.items())[:4]))
    rep.check("%s: restore puts every NAPI thread's affinity back (%d threads)"
              % (v8, len(after)), probs)

    # stacked devices
    for name, marker, lower in (("i10-vlan", "NOVLAN", None), ("i10-bond", "NOBOND", None)):
        if re.search(r"^@@MQT-%s" % marker, log, re.M):
            rep.skip("%s: %s" % (v8, name), "the kernel has no module for it")
            continue
        doc, rc, err, perr = load(name)
        probs = []
        if perr or rc != 0:
            probs.append("%s exited %s: %s" % (name, rc, "; ".join(err) or perr))
        else:
            names = sorted(x["name"] for x in doc["interfaces"])
            notes = [x["message"] for x in doc.get("warnings", []) if x["code"] == "stacked-device"]
            if name == "i10-vlan":
                wantn = [v8]
                up = "vl10"
            else:
                bm = re.search(r"^@@MQT-BOND (\S+) (\S+)", log, re.M)
                wantn = sorted(bm.groups()) if bm else []
                up = "bond0"
            if names != wantn:
                probs.append("%s resolved to %s, want %s" % (up, names, wantn))
            if not any(x.startswith(up + " \u2192 ") for x in notes):
                probs.append("no stacked-device note for %s: %s" % (up, notes))
        rep.check("%s: %s given by name resolves to its lower devices" % (v8, name[4:]), probs)


def finish(rep):
    rep.info("%d passed, %d failed, %d expected failures" % (rep.passed, rep.failed, rep.xfailed))
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
