#!/usr/bin/env python3
"""mkmachine.py - build a synthetic /sys + /proc snapshot for mqtune tests.

    mkmachine.py OUTDIR --cpus 64 --nodes 2 --smt 2 \\
        --nic ice:eth0:16:node=1 --nic mlx5_core:eth1:32 \\
        --nic virtio_net:eth2:4:node=-1 [--isolated 3-4] [--nohz-full 5] ...

OUTDIR receives sys/ and proc/ laid out as the kernel does, and
OUTDIR/truth.json describes what was built (see README.md beside this
file).  Importable: build(outdir, spec) -> truth dict.  Standard library
only.
"""

import argparse
import json
import os
import random
import shutil
import sys

# --------------------------------------------------------------------------
# CPU lists and masks, in the kernel's %*pbl / %*pb forms


def parse_list(s):
    """Parse a kernel CPU list ("0-3,8") into a sorted list of ints."""
    out = set()
    s = (s or "").strip()
    if not s:
        return []
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            a, b = int(a), int(b)
            if b < a:
                raise ValueError("bad range %r" % part)
            out.update(range(a, b + 1))
        else:
            out.add(int(part))
    return sorted(out)


def fmt_list(cpus):
    """Format CPUs as the kernel's %*pbl: "0-3,8"."""
    cpus = sorted(set(cpus))
    parts = []
    i = 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        if j == i:
            parts.append(str(cpus[i]))
        else:
            parts.append("%d-%d" % (cpus[i], cpus[j]))
        i = j + 1
    return ",".join(parts)


SYSFS_PAGE = 4096


def sysfs_emit(text):
    """What sysfs_emit() leaves of @text in its page: at most PAGE_SIZE-1
    bytes (vsnprintf's last byte is the NUL)."""
    return text[:SYSFS_PAGE - 1]


def fmt_null_mask(nbits):
    """%*pb / %*pbl of a NULL mask pointer: vsprintf's "(null)" padded
    right-justified with spaces to the field width, which cpumask_pr_args()
    makes nr_cpu_ids (lib/vsprintf.c: check_pointer() -> error_string() ->
    widen_string())."""
    return "(null)".rjust(nbits)


def fmt_mask(cpus, nbits):
    """Format CPUs as the kernel's %*pb at nbits width: 32-bit groups of
    8 hex digits, most significant first, the first group only as wide as
    the bits it holds."""
    v = 0
    for c in cpus:
        v |= 1 << c
    ngroups = max(1, (nbits + 31) // 32)
    topbits = nbits - 32 * (ngroups - 1)
    out = []
    for g in range(ngroups - 1, -1, -1):
        word = (v >> (32 * g)) & 0xFFFFFFFF
        width = (topbits + 3) // 4 if g == ngroups - 1 else 8
        out.append("%0*x" % (width, word))
    return ",".join(out)


# --------------------------------------------------------------------------
# Driver vector layouts.  Each returns the vectors in MSI-X entry order as
# dicts: name (None = allocated without a handler), kind ("combined",
# "rx", "tx", "other"), queue (index or None), role (for "other": the role
# mqtune reports; where docs/json.md leaves it open -- bare ifname, mana
# hwc, qed slowpath, ionic admin, vmxnet3 event -- the value pins mqtune's
# current choice).

DRIVERS = [
    "mlx5_core", "mlx4_en", "i40e", "ice", "iavf", "ixgbe", "ixgbevf",
    "igb", "igc", "bnxt_en", "ena", "gve", "virtio_net", "mana", "sfc",
    "qede", "ionic", "idpf", "vmxnet3", "e1000e", "e1000", "8139cp", "veth",
]
# drivers that request their IRQs in ndo_open, not at probe: with the link
# down (never opened) msi_irqs lists vectors that have no handler yet
REQUESTS_AT_OPEN = {"e1000e", "igb", "vmxnet3", "e1000", "8139cp"}
# drivers without MSI: one legacy INTx line, named by the function's irq
# file (no msi_irqs/), an IO-APIC GSI (16-23 on q35's root bus)
INTX_ONLY = {"e1000", "8139cp"}

# basename of the device's driver link
PCI_DRIVER = {"mlx4_en": "mlx4_core", "virtio_net": "virtio-pci"}
DEFAULT_SPEED = {
    "mlx5_core": 100000, "mlx4_en": 40000, "i40e": 40000, "ice": 25000,
    "iavf": 25000, "ixgbe": 10000, "ixgbevf": 10000, "igb": 1000,
    "igc": 2500, "bnxt_en": 50000, "ena": 25000, "gve": 50000,
    "virtio_net": "unknown", "mana": 100000, "sfc": 10000, "qede": 25000,
    "ionic": 100000, "idpf": 200000, "vmxnet3": 10000, "e1000e": 1000,
    "e1000": 1000, "8139cp": 100, "veth": 10000,
}
# drivers that program XPS themselves when the device opens
SETS_XPS = {"mlx5_core", "virtio_net", "ice", "i40e", "ixgbe"}
PCI_IDS = {
    "mlx5_core": ("0x15b3", "0x101d"), "mlx4_en": ("0x15b3", "0x1007"),
    "i40e": ("0x8086", "0x1583"), "ice": ("0x8086", "0x159b"),
    "iavf": ("0x8086", "0x1889"), "ixgbe": ("0x8086", "0x10fb"),
    "ixgbevf": ("0x8086", "0x10ed"), "igb": ("0x8086", "0x1521"),
    "igc": ("0x8086", "0x15f3"), "bnxt_en": ("0x14e4", "0x1750"),
    "ena": ("0x1d0f", "0xec20"), "gve": ("0x1ae0", "0x0042"),
    "virtio_net": ("0x1af4", "0x1041"), "mana": ("0x1414", "0x00ba"),
    "sfc": ("0x1924", "0x0b03"), "qede": ("0x1077", "0x8070"),
    "ionic": ("0x1dd8", "0x1002"), "idpf": ("0x8086", "0x1452"),
    "vmxnet3": ("0x15ad", "0x07b0"), "e1000e": ("0x8086", "0x10d3"),
    "e1000": ("0x8086", "0x100e"), "8139cp": ("0x10ec", "0x8139"),
}


def _v(name, kind, queue=None, role=None):
    return {"name": name, "kind": kind, "queue": queue, "role": role}


def vectors_for(nic, bdf):
    drv, ifn, n = nic["driver"], nic["name"], nic["queues"]
    v = []
    if drv == "mlx5_core":
        base = 1 if nic.get("onebased") else 0
        if not nic.get("asynclast"):
            v.append(_v("mlx5_async0@pci:%s" % bdf, "other", role="async"))
        for q in range(n):
            v.append(_v("mlx5_comp%d@pci:%s" % (q + base, bdf), "combined", q))
        if nic.get("asynclast"):
            v.append(_v("mlx5_async%d@pci:%s" % (n, bdf), "other", role="async"))
    elif drv == "mlx4_en":
        v.append(_v("mlx4-async@pci:%s" % bdf, "other", role="async"))
        for q in range(n):
            v.append(_v("mlx4-%d@%s" % (q + 1, bdf), "combined", q))
    elif drv in ("i40e", "ice"):
        v.append(_v("%s-%s:misc" % (drv, bdf), "other", role="misc"))
        for q in range(n):
            v.append(_v("%s-%s-TxRx-%d" % (drv, ifn, q), "combined", q))
        if drv == "i40e":
            v.append(_v("i40e-%s:fdir-TxRx-0" % bdf, "other", role="fdir"))
        else:
            v.append(_v("ice-%s:ctrl-TxRx-0" % bdf, "other", role="ctrl"))
    elif drv == "iavf":
        v.append(_v("iavf-%s:mbx" % bdf, "other", role="mailbox"))
        for q in range(n):
            v.append(_v("iavf-%s-TxRx-%d" % (ifn, q), "combined", q))
    elif drv in ("ixgbe", "ixgbevf"):
        for q in range(n):
            v.append(_v("%s-TxRx-%d" % (ifn, q), "combined", q))
        v.append(_v(ifn, "other", role="misc"))
    elif drv == "igb" and n <= 4:
        # igb pairs rx and tx on one vector only above half its 8 queues
        # (igb_set_flag_queue_pairs); unpaired, the rx vectors come first
        v.append(_v(ifn, "other", role="misc"))
        for q in range(n):
            v.append(_v("%s-rx-%d" % (ifn, q), "rx", q))
        for q in range(n):
            v.append(_v("%s-tx-%d" % (ifn, q), "tx", q))
    elif drv in ("igb", "igc"):
        v.append(_v(ifn, "other", role="misc"))
        for q in range(n):
            v.append(_v("%s-TxRx-%d" % (ifn, q), "combined", q))
    elif drv == "e1000e":
        # one queue: rx, tx, then the "other" (link) vector, bare ifname
        # (e1000_request_msix; names of 11+ bytes are bare on all three)
        if n != 1:
            raise ValueError("e1000e has exactly one queue")
        long_name = len(ifn) >= 16 - 5
        v.append(_v(ifn if long_name else ifn + "-rx-0", "rx", 0))
        v.append(_v(ifn if long_name else ifn + "-tx-0", "tx", 0))
        v.append(_v(ifn, "other", role="misc"))
    elif drv in INTX_ONLY:
        # the one INTx line, requested at open with the interface's name
        # (e1000_request_irq, cp_open); it serves rx-0 and tx-0
        if n != 1:
            raise ValueError("%s has exactly one queue" % drv)
        v.append(_v(ifn, "combined", 0))
    elif drv == "bnxt_en":
        if nic.get("split"):
            for q in range(n):
                v.append(_v("%s-rx-%d" % (ifn, q), "rx", q))
            for q in range(n):
                v.append(_v("%s-tx-%d" % (ifn, n + q), "tx", q))
        else:
            for q in range(n):
                v.append(_v("%s-TxRx-%d" % (ifn, q), "combined", q))
    elif drv == "ena":
        v.append(_v("ena-mgmnt@pci:%s" % bdf, "other", role="mgmt"))
        for q in range(n):
            v.append(_v("%s-Tx-Rx-%d" % (ifn, q), "combined", q))
    elif drv == "gve":
        for k in range(2 * n):
            kind, q = ("tx", k) if k < n else ("rx", k - n)
            v.append(_v("gve-ntfy-blk%d@pci:%s" % (k, bdf), kind, q))
        v.append(_v("gve-mgmnt@pci:%s" % bdf, "other", role="mgmt"))
    elif drv == "virtio_net":
        vd = "virtio%d" % nic["virtio_index"]
        v.append(_v("%s-config" % vd, "other", role="config"))
        for q in range(n):
            v.append(_v("%s-input.%d" % (vd, q), "rx", q))
            v.append(_v("%s-output.%d" % (vd, q), "tx", q))
    elif drv == "mana":
        v.append(_v("mana_hwc@pci:%s" % bdf, "other", role="mgmt"))
        for q in range(n):
            v.append(_v("mana_q%d@pci:%s" % (q, bdf), "combined", q))
    elif drv == "sfc":
        for q in range(n):
            v.append(_v("%s-%d" % (ifn, q), "combined", q))
        v.append(_v("%s-ptp" % ifn, "other", role="ptp"))
    elif drv == "qede":
        b, rest = bdf.split(":")[1], bdf.split(":")[2]
        slot, fn = rest.split(".")
        v.append(_v("sp-0-%s:%s.%02x" % (b, slot, int(fn, 16)), "other",
                    role="misc"))
        for q in range(n):
            v.append(_v("%s-fp-%d" % (ifn, q), "combined", q))
    elif drv == "ionic":
        v.append(_v("ionic-%s-L0-admin0" % bdf, "other", role="mgmt"))
        for q in range(n):
            v.append(_v("ionic-%s-L0-rx%d" % (ifn, q), "combined", q))
    elif drv == "idpf":
        v.append(_v("idpf-Mailbox-0", "other", role="mailbox"))
        for q in range(n):
            v.append(_v("idpf-%s-TxRx-%d" % (ifn, q + 1), "combined", q))
    elif drv == "vmxnet3":
        for q in range(n):
            v.append(_v("%s-rxtx-%d" % (ifn, q), "combined", q))
        v.append(_v("%s-event-%d" % (ifn, n), "other", role="event"))
    elif drv == "veth":
        return []
    else:
        raise ValueError("unknown driver %r" % drv)
    for _ in range(nic.get("unnamed", 0)):
        v.append(_v(None, "other", role="unnamed"))
    return v


# --------------------------------------------------------------------------
# Spec handling

NIC_KEYS = {
    "node": int, "unnamed": int, "speed": str, "managed": int, "split": int,
    "onebased": int, "asynclast": int, "bdf": str, "rxq": int, "txq": int,
    "shuffle": int, "pin": int, "rps": str, "flow": int, "xps": str,
    "down": int, "mtu": int, "virtio": int, "link": str,
    "intx": int, "shared": str, "port": str,
    "napi": int, "napi_aff": str,
}


def parse_nic(s):
    """DRIVER:IFNAME:QUEUES[:key=val...] -> nic dict."""
    parts = s.split(":")
    if len(parts) < 3:
        raise ValueError("--nic wants DRIVER:IFNAME:QUEUES[:key=val...]: %r" % s)
    nic = {"driver": parts[0], "name": parts[1], "queues": int(parts[2])}
    kvs = []
    for tok in parts[3:]:       # a value may hold ':' (bdf=0000:81:00.0)
        if "=" in tok or not kvs:
            kvs.append(tok)
        else:
            kvs[-1] += ":" + tok
    for kv in kvs:
        if "=" not in kv:
            raise ValueError("--nic option %r is not key=val" % kv)
        k, val = kv.split("=", 1)
        if k not in NIC_KEYS:
            raise ValueError("--nic: unknown key %r (known: %s)"
                             % (k, ", ".join(sorted(NIC_KEYS))))
        nic[k] = NIC_KEYS[k](val)
    return nic


# --------------------------------------------------------------------------
# The writer


class Tree:
    def __init__(self, root):
        self.root = root
        self.made = set()
        self.nfiles = 0

    def p(self, rel):
        return os.path.join(self.root, rel)

    def mkdir(self, rel):
        if rel in self.made:
            return
        os.makedirs(self.p(rel), exist_ok=True)
        d = rel
        while d and d not in self.made:
            self.made.add(d)
            d = os.path.dirname(d)

    def write(self, rel, text, mode=None):
        self.mkdir(os.path.dirname(rel))
        path = self.p(rel)
        with open(path, "w") as f:
            f.write(text)
        if mode is not None:
            os.chmod(path, mode)
        self.nfiles += 1

    def link(self, rel, target_rel):
        """Relative symlink at rel pointing at target_rel (both from root)."""
        self.mkdir(os.path.dirname(rel))
        t = os.path.relpath(target_rel, os.path.dirname(rel))
        os.symlink(t, self.p(rel))


def normalize(spec):
    s = dict(spec)
    s.setdefault("cpus", 4)
    s.setdefault("nodes", 1)
    s.setdefault("smt", 1)
    s.setdefault("possible", s["cpus"])
    s.setdefault("offline", "")
    s.setdefault("isolated", "")
    s.setdefault("nohz_full", "")
    # CONFIG_NO_HZ_FULL=y booted without nohz_full= (Debian's kernels):
    # "null", the unallocated mask printed as padded "(null)"; "empty": a
    # kernel without CONFIG_NO_HZ_FULL that still has the file (0 bytes);
    # "absent": older such kernels (no file); "list": the empty list "\n"
    s.setdefault("nohz_full_file", "null")
    if s.get("nohz_full_null"):
        s["nohz_full_file"] = "null"
    if s["nohz_full_file"] not in ("null", "empty", "absent", "list"):
        raise ValueError("nohz_full_file: null, empty, absent or list")
    s.setdefault("irqbalance", False)
    s.setdefault("actions_file", True)
    s.setdefault("proc_action_dirs", True)
    s.setdefault("proc_interrupts", True)
    s.setdefault("unhandled_rows", False)
    s.setdefault("effective", True)
    s.setdefault("sysctls", {"netdev_max_backlog": 1000,
                             "rps_sock_flow_entries": 0})
    s.setdefault("kernel_max", 8191)
    s.setdefault("irq_base", 40)
    s.setdefault("seed", 1)
    s["nics"] = [dict(n) for n in s.get("nics", [])]
    return s


def build(outdir, spec):
    """Write the sysroot into outdir (created; must be empty) and
    outdir/truth.json.  Returns the truth dict."""
    s = normalize(spec)
    if os.path.isdir(outdir) and os.listdir(outdir):
        raise ValueError("%s: not empty" % outdir)
    os.makedirs(outdir, exist_ok=True)
    T = Tree(outdir)
    rng = random.Random(s["seed"])

    ncpu, nnodes, smt = s["cpus"], s["nodes"], s["smt"]
    npossible = s["possible"]
    if ncpu < 1 or npossible < ncpu:
        raise ValueError("need 1 <= cpus <= possible")
    if ncpu % smt:
        raise ValueError("cpus must be a multiple of smt")
    ncores = ncpu // smt
    numa = nnodes > 0
    nn = max(nnodes, 1)
    if ncores % nn:
        raise ValueError("physical cores (%d) must divide among %d nodes"
                         % (ncores, nn))
    cores_per_node = ncores // nn
    nr_cpu_ids = npossible
    possible = list(range(npossible))
    present = list(range(ncpu))
    offline_req = set(parse_list(s["offline"]))
    if 0 in offline_req:
        raise ValueError("cpu0 cannot be offline here")
    if any(c >= ncpu for c in offline_req):
        raise ValueError("offline CPU not present")
    online = [c for c in present if c not in offline_req]
    online_set = set(online)
    isolated = parse_list(s["isolated"])
    nohz = parse_list(s["nohz_full"])

    # topology: C physical cores; CPU c + t*C is thread t of core c
    cpu_node, cpu_pkg, cpu_core, cpu_phys = {}, {}, {}, {}
    for cpu in present:
        c = cpu % ncores
        node = c // cores_per_node
        cpu_phys[cpu] = c
        cpu_node[cpu] = node if numa else -1
        cpu_pkg[cpu] = node
        cpu_core[cpu] = c % cores_per_node
    node_cpus = {}
    for node in range(nn):
        node_cpus[node] = [c for c in online if cpu_pkg[c] == node]

    def siblings(cpu):
        c = cpu_phys[cpu]
        return [c + t * ncores for t in range(smt)
                if (c + t * ncores) in online_set]

    sysc = "sys/devices/system/cpu"
    T.write(sysc + "/possible", fmt_list(possible) + "\n")
    T.write(sysc + "/present", fmt_list(present) + "\n")
    T.write(sysc + "/online", fmt_list(online) + "\n")
    T.write(sysc + "/offline",
            fmt_list([c for c in possible if c not in online_set]) + "\n")
    T.write(sysc + "/isolated", sysfs_emit(fmt_list(isolated) + "\n"))
    if nohz:
        T.write(sysc + "/nohz_full", sysfs_emit(fmt_list(nohz) + "\n"))
    elif s["nohz_full_file"] == "null":
        T.write(sysc + "/nohz_full",
                sysfs_emit(fmt_null_mask(nr_cpu_ids) + "\n"))
    elif s["nohz_full_file"] == "empty":
        T.write(sysc + "/nohz_full", "")
    elif s["nohz_full_file"] == "list":
        T.write(sysc + "/nohz_full", "\n")
    T.write(sysc + "/kernel_max", "%d\n" % s["kernel_max"])
    topo_truth = []
    for cpu in present:
        d = "%s/cpu%d" % (sysc, cpu)
        T.mkdir(d)
        if cpu != 0:
            T.write(d + "/online", "1\n" if cpu in online_set else "0\n")
        if numa:
            T.link("%s/node%d" % (d, cpu_node[cpu]),
                   "sys/devices/system/node/node%d" % cpu_node[cpu])
        if cpu not in online_set:
            continue        # the kernel removes topology/ of offline CPUs
        sib = siblings(cpu)
        pkg = [c for c in online if cpu_pkg[c] == cpu_pkg[cpu]]
        td = d + "/topology"
        T.write(td + "/core_id", "%d\n" % cpu_core[cpu])
        T.write(td + "/physical_package_id", "%d\n" % cpu_pkg[cpu])
        T.write(td + "/die_id", "0\n")
        T.write(td + "/thread_siblings_list", fmt_list(sib) + "\n")
        T.write(td + "/thread_siblings", fmt_mask(sib, nr_cpu_ids) + "\n")
        T.write(td + "/core_cpus_list", fmt_list(sib) + "\n")
        T.write(td + "/core_cpus", fmt_mask(sib, nr_cpu_ids) + "\n")
        T.write(td + "/core_siblings_list", fmt_list(pkg) + "\n")
        T.write(td + "/core_siblings", fmt_mask(pkg, nr_cpu_ids) + "\n")
        T.write(td + "/package_cpus_list", fmt_list(pkg) + "\n")
        T.write(td + "/package_cpus", fmt_mask(pkg, nr_cpu_ids) + "\n")
        topo_truth.append({"cpu": cpu, "package": cpu_pkg[cpu],
                           "core": cpu_core[cpu], "node": cpu_node[cpu],
                           "siblings": fmt_list(sib)})

    def dist(a, b):
        if a == b:
            return 10
        if nnodes <= 2 or (a < nnodes // 2) == (b < nnodes // 2):
            return 21
        return 32

    nodes_truth = []
    if not numa:
        # no sysfs nodes: mqtune reports one node 0 holding every online
        # CPU (src/discover/topo.c), while devices keep numa_node -1
        nodes_truth.append({"node": 0, "cpus": fmt_list(online),
                            "distances": [10]})
        for t in topo_truth:
            t["node"] = 0
    if numa:
        nd = "sys/devices/system/node"
        allnodes = fmt_list(range(nnodes)) + "\n"
        T.write(nd + "/possible", allnodes)
        T.write(nd + "/online", allnodes)
        T.write(nd + "/has_cpu",
                fmt_list([n for n in range(nnodes) if node_cpus[n]]) + "\n")
        T.write(nd + "/has_memory", allnodes)
        T.write(nd + "/has_normal_memory", allnodes)
        for node in range(nnodes):
            d = "%s/node%d" % (nd, node)
            T.write(d + "/cpulist", fmt_list(node_cpus[node]) + "\n")
            T.write(d + "/cpumap", fmt_mask(node_cpus[node], nr_cpu_ids) + "\n")
            dl = [dist(node, m) for m in range(nnodes)]
            T.write(d + "/distance", " ".join(map(str, dl)) + "\n")
            for cpu in present:
                if cpu_node[cpu] == node:
                    T.link("%s/cpu%d" % (d, cpu), "%s/cpu%d" % (sysc, cpu))
            nodes_truth.append({"node": node, "cpus": fmt_list(node_cpus[node]),
                                "distances": dl})

    # ------------------------------------------------------------------
    # IRQ bookkeeping
    irqs = {}         # irq -> dict(name(s), chip, hwirq, flow, aff, eff, ...)
    eff_rr = [0]

    def next_eff(cands):
        cands = [c for c in cands if c in online_set] or online
        c = cands[eff_rr[0] % len(cands)]
        eff_rr[0] += 1
        return c

    def add_irq(n, names, chip, hwirq, flow="edge", aff=None, eff="auto",
                managed=False, node=0, hint=None, freed=False):
        """eff: a CPU, None (no online CPU: empty), "auto" (round robin).
        freed: had a handler once (/proc/irq/N and its counts remain)."""
        aff = list(online) if aff is None else aff
        if eff == "auto":
            eff = next_eff(aff)
        irqs[n] = {"names": names, "chip": chip, "hwirq": hwirq,
                   "flow": flow, "aff": aff, "eff": eff, "managed": managed,
                   "node": node, "hint": hint or [], "freed": freed,
                   "count": 0 if not names and not freed else 1000 + 37 * n}

    # legacy and platform interrupts, not any NIC's
    add_irq(0, ["timer"], "IO-APIC", 2)
    add_irq(1, ["i8042"], "IO-APIC", 1)
    add_irq(8, ["rtc0"], "IO-APIC", 8)
    add_irq(9, ["acpi"], "IO-APIC", 9, flow="fasteoi")
    add_irq(16, ["ehci_hcd:usb1", "i801_smbus"], "IO-APIC", 16, flow="fasteoi")
    add_irq(24, ["dmar0"], "DMAR-MSI", 0)
    # an nvme device: managed vectors (0444) on another PCI function
    nvme_bdf = "0000:01:00.0"
    nvme_irqs = []
    nq = min(4, len(online))
    add_irq(25, ["nvme0q0"], "IR-PCI-MSIX-" + nvme_bdf, 0)
    nvme_irqs.append(25)
    for q in range(nq):
        grp = possible[q * len(possible) // nq:(q + 1) * len(possible) // nq]
        add_irq(26 + q, ["nvme0q%d" % (q + 1)], "IR-PCI-MSIX-" + nvme_bdf,
                q + 1, aff=grp, managed=True)
        nvme_irqs.append(26 + q)
    nvd = "sys/devices/pci0000:00/0000:00:1d.0/" + nvme_bdf
    if numa:
        T.write(nvd + "/numa_node", "0\n")
    T.write(nvd + "/class", "0x010802\n")
    for n in nvme_irqs:
        T.write("%s/msi_irqs/%d" % (nvd, n), "msix\n")
    T.mkdir("sys/bus/pci/drivers/nvme")
    T.link(nvd + "/driver", "sys/bus/pci/drivers/nvme")
    T.link(nvd + "/subsystem", "sys/bus/pci")

    # ------------------------------------------------------------------
    # network interfaces
    next_irq = max(s["irq_base"], 26 + nq + 2)
    ifaces_truth = []
    T.mkdir("sys/bus/pci/drivers")
    T.mkdir("sys/bus/virtio/drivers")
    # loopback
    T.write("sys/devices/virtual/net/lo/ifindex", "1\n")
    T.write("sys/devices/virtual/net/lo/operstate", "unknown\n")
    T.link("sys/class/net/lo", "sys/devices/virtual/net/lo")
    virtio_next = 1
    pci_next = 0
    # NAPI ids start above NR_CPUS (MIN_NAPI_ID); kthread pids from 4000
    napi_state = {"id": s["kernel_max"] + 2, "pid": 4000, "procs": []}
    ndirs = {}      # interface name -> its device directory
    functions = {}      # ifname -> its PCI function (for port=)
    for idx, nic in enumerate(s["nics"]):
        drv = nic["driver"]
        if drv not in DRIVERS:
            raise ValueError("unknown driver %r (known: %s)"
                             % (drv, ", ".join(DRIVERS)))
        ifn = nic["name"]
        n = nic["queues"]
        ifindex = idx + 2
        kmanaged = bool(nic.get("managed")) or ifn in s.get("kernel_managed", [])
        node = nic.get("node", 0 if numa else -1)
        if not numa or drv == "veth":
            node = -1
        if node >= nn and numa:
            raise ValueError("%s: node %d does not exist" % (ifn, node))
        local = node_cpus[node] if node >= 0 else list(online)
        if drv == "virtio_net":
            nic["virtio_index"] = nic.get("virtio", virtio_next)
            virtio_next = nic["virtio_index"] + 1
        is_pci = drv != "veth"
        # port=IFNAME: another port of IFNAME's PCI function (mlx4 dual
        # port): the same function directory, msi_irqs and vectors
        port = functions.get(nic["port"]) if nic.get("port") else None
        if nic.get("port") and (port is None or port["driver"] != drv or
                                port["queues"] != n or drv != "mlx4_en"):
            raise ValueError("%s: port= names an earlier mlx4_en NIC with "
                             "as many queues" % ifn)
        if port:
            node, local = port["node"], port["local"]
        if port:
            bdf, fdir = port["bdf"], port["fdir"]
        elif is_pci:
            bdf = nic.get("bdf")
            if drv == "virtio_net":
                bdf = bdf or "0000:00:%02x.0" % (3 + idx)
                root = "pci0000:00"
                fdir = "sys/devices/%s/%s" % (root, bdf)
            else:
                # 30 NICs per PCI domain, then domain 0001, 0002...
                dom, j = divmod(pci_next, 30)
                pci_next += 1
                bdf = bdf or "%04x:%02x:00.0" % (dom, 0x11 + 8 * j)
                dom, rb = bdf.split(":")[0], int(bdf.split(":")[1], 16) - 1
                fdir = "sys/devices/pci%s:%02x/%s:%02x:01.0/%s" % (
                    dom, rb, dom, rb, bdf)
        else:
            bdf = ""
            fdir = None
        vecs = port["vecs"] if port else vectors_for(nic, bdf)
        # link=down: never opened since boot; link=redown: opened, then
        # taken down again.  Drivers that request their IRQs at open then
        # have vectors without a handler: never requested (no /proc/irq/N,
        # no /proc/interrupts row, empty actions), or freed again
        # (/proc/irq/N stays, the row keeps its counts and loses its name).
        link = nic.get("link", "down" if nic.get("down") else "up")
        if link not in ("up", "down", "redown"):
            raise ValueError("%s: link=up, down or redown" % ifn)
        unrequested = link != "up" and drv in REQUESTS_AT_OPEN
        intx = nic.get("intx", 20 if drv in INTX_ONLY else 0)
        if intx and drv not in INTX_ONLY:
            raise ValueError("%s: intx= is for %s" % (ifn, ", ".join(sorted(INTX_ONLY))))
        if nic.get("shared") and not intx:
            raise ValueError("%s: shared= needs an INTx line" % ifn)
        if intx:
            if intx in irqs:
                raise ValueError("%s: IRQ %d is taken" % (ifn, intx))
            # other devices' handlers on the line (requested at their
            # probe, so before ours), '+'-separated: shared=ahci+uhci_hcd
            others = [x for x in nic.get("shared", "").split("+") if x]
            names = others + ([] if unrequested else [ifn])
            vv = vecs[0]
            vv["name"] = ", ".join(names) or None
            if others:
                vv.update(kind="other", queue=None, role="shared")
            elif unrequested:
                vv.update(kind="other", queue=None, role="unnamed")
            vv["freed"] = link == "redown" and not others
            vv["managed"] = False
            vv["irq"] = intx
            add_irq(intx, names, "IO-APIC", intx, flow="fasteoi",
                    freed=link == "redown", node=max(node, 0))
            vv["aff"] = irqs[intx]["aff"]
            vv["eff"] = irqs[intx]["eff"]
            unrequested = False     # done here
        if unrequested:
            for vv in vecs:
                vv.update(name=None, kind="other", queue=None, role="unnamed",
                          freed=link == "redown")
        # IRQ numbers, in MSI-X order unless shuffled
        nums = [] if intx else list(range(next_irq, next_irq + len(vecs)))
        next_irq += len(nums) + 3
        if port:
            nums = []       # the function's vectors exist already
        if nic.get("shuffle"):
            rng.shuffle(nums)
        # queue vectors: kernel-managed spread, pinned, or default
        qvecs = [vv for vv in vecs if vv["kind"] != "other"]
        spread = {}
        if kmanaged and qvecs:
            qn = n
            order = sorted(possible, key=lambda c: (cpu_pkg.get(c, nn), c))
            for q in range(qn):
                if qn <= len(order):
                    spread[q] = order[q * len(order) // qn:(q + 1) * len(order) // qn]
                else:
                    spread[q] = [order[q % len(order)]]
        chip = "IR-PCI-MSIX-" + bdf
        for hw, (vv, num) in enumerate(zip([] if intx else vecs, nums)):
            vv["irq"] = num
            vv["managed"] = kmanaged and vv["kind"] != "other"
            q = vv["queue"]
            hint = None
            if vv["managed"]:
                aff = spread[q]
                eff = next((c for c in aff if c in online_set), None)
                hint = aff
            elif nic.get("pin") and q is not None:
                c = local[q % len(local)]
                aff, eff = [c], c
            else:
                aff = list(online)
                eff = "auto"
                if q is not None and local:
                    hint = [local[q % len(local)]]
            add_irq(num, [vv["name"]] if vv["name"] else [], chip, hw,
                    aff=aff, eff=eff, managed=vv["managed"],
                    node=max(node, 0), hint=hint,
                    freed=bool(vv.get("freed")))
            vv["aff"] = irqs[num]["aff"]
            vv["eff"] = irqs[num]["eff"]

        functions[ifn] = {"driver": drv, "queues": n, "bdf": bdf,
                          "fdir": fdir, "vecs": vecs, "node": node,
                          "local": local}
        # the device directories
        if port:
            ddir = fdir
            bus_name, real_drv = "pci", PCI_DRIVER.get(drv, drv)
            ndir = "%s/net/%s" % (ddir, ifn)
        elif is_pci:
            vendor, device = PCI_IDS[drv]
            pdrv = PCI_DRIVER.get(drv, drv)
            T.write(fdir + "/vendor", vendor + "\n")
            T.write(fdir + "/device", device + "\n")
            T.write(fdir + "/class", "0x020000\n")
            T.write(fdir + "/enable", "1\n")
            T.write(fdir + "/irq", "%d\n" % intx)
            if numa:
                T.write(fdir + "/numa_node", "%d\n" % node)
            T.write(fdir + "/local_cpulist", fmt_list(local) + "\n")
            T.write(fdir + "/local_cpus", fmt_mask(local, nr_cpu_ids) + "\n")
            T.write(fdir + "/uevent", "DRIVER=%s\nPCI_SLOT_NAME=%s\n" % (pdrv, bdf))
            if not intx:    # no MSI: pci_dev_msi_enabled() false, no group
                T.mkdir(fdir + "/msi_irqs")
            for num in nums:
                T.write("%s/msi_irqs/%d" % (fdir, num), "msix\n")
            T.mkdir("sys/bus/pci/drivers/" + pdrv)
            T.link(fdir + "/driver", "sys/bus/pci/drivers/" + pdrv)
            T.link("sys/bus/pci/drivers/%s/%s" % (pdrv, bdf), fdir)
            T.link(fdir + "/subsystem", "sys/bus/pci")
            T.link("sys/bus/pci/devices/" + bdf, fdir)
            if drv == "virtio_net":
                vname = "virtio%d" % nic["virtio_index"]
                ddir = "%s/%s" % (fdir, vname)
                T.write(ddir + "/device", "0x0001\n")
                T.write(ddir + "/vendor", "0x1af4\n")
                T.write(ddir + "/status", "0x0000000f\n")
                T.mkdir("sys/bus/virtio/drivers/virtio_net")
                T.link(ddir + "/driver", "sys/bus/virtio/drivers/virtio_net")
                T.link(ddir + "/subsystem", "sys/bus/virtio")
                T.link("sys/bus/virtio/devices/" + vname, ddir)
                bus_name, real_drv = "virtio", "virtio_net"
            else:
                ddir = fdir
                bus_name, real_drv = "pci", pdrv
            ndir = "%s/net/%s" % (ddir, ifn)
        else:
            ddir = None
            ndir = "sys/devices/virtual/net/" + ifn
            bus_name, real_drv = "", ""

        # netdev files
        speed = nic.get("speed", s.get("speeds", {}).get(ifn, DEFAULT_SPEED[drv]))
        down = link != "up"
        T.write(ndir + "/ifindex", "%d\n" % ifindex)
        T.write(ndir + "/iflink", "%d\n" % ifindex)
        T.write(ndir + "/operstate", "down\n" if down else "up\n")
        if not down:
            T.write(ndir + "/carrier", "1\n")
        # down: the kernel fails carrier (and speed) reads with EINVAL
        # when the interface is not running; we omit the files
        T.write(ndir + "/mtu", "%d\n" % nic.get("mtu", 1500))
        T.write(ndir + "/type", "1\n")
        T.write(ndir + "/tx_queue_len", "1000\n")
        T.write(ndir + "/address", "52:54:00:%02x:%02x:%02x\n"
                % (idx >> 8 & 0xff, idx & 0xff, 0x10 + idx % 200))
        T.write(ndir + "/uevent", "INTERFACE=%s\nIFINDEX=%d\n" % (ifn, ifindex))
        speed_truth = None
        if down or speed in (None, "none"):
            pass    # the kernel fails the read (EINVAL); we omit the file
        elif speed == "unknown" or str(speed) == "-1":
            T.write(ndir + "/speed", "-1\n")   # SPEED_UNKNOWN, as the kernel prints it
        else:
            T.write(ndir + "/speed", "%d\n" % int(speed))
            speed_truth = int(speed)
        if ddir:
            T.link(ndir + "/device", ddir)
        T.link("sys/class/net/" + ifn, ndir)
        ndirs[ifn] = ndir

        nrx = nic.get("rxq", n if drv != "veth" else max(n, 1))
        ntx = nic.get("txq", n if drv != "veth" else max(n, 1))
        rps = parse_list(nic.get("rps", ""))
        flow = nic.get("flow", 0)
        xps_mode = nic.get("xps", "driver")
        queues_truth = []
        for q in range(max(nrx, ntx)):
            qt = {"queue": q}
            qv = [vv for vv in vecs if vv["queue"] == q and vv["kind"] != "other"]
            rxv = [vv for vv in qv if vv["kind"] in ("rx", "combined")]
            txv = [vv for vv in qv if vv["kind"] in ("tx", "combined")]
            if len(qv) == 2 and rxv and txv and rxv[0] is not txv[0]:
                qt["irqs"] = [rxv[0]["irq"], txv[0]["irq"]]
            elif len(qv) == 1:
                qt["irq"] = qv[0]["irq"]
            elif not qv:
                qt["irq"] = None
            else:
                raise AssertionError("queue %d: %d vectors" % (q, len(qv)))
            korder = {"rx": 0, "combined": 0, "tx": 1}
            qv.sort(key=lambda vv: korder[vv["kind"]])
            qt["kinds"] = [vv["kind"] for vv in qv]
            qt["vectors"] = [vec_truth(vv, s) for vv in qv]
            if q < nrx:
                rd = "%s/queues/rx-%d" % (ndir, q)
                T.write(rd + "/rps_cpus", fmt_mask(rps, nr_cpu_ids) + "\n")
                T.write(rd + "/rps_flow_cnt", "%d\n" % flow)
                qt["rps_cpus"] = fmt_list(rps)
                qt["rps_flow_cnt"] = flow
            else:
                qt["rps_cpus"] = None
                qt["rps_flow_cnt"] = None
            if q < ntx:
                td = "%s/queues/tx-%d" % (ndir, q)
                T.write(td + "/tx_maxrate", "0\n")
                T.write(td + "/tx_timeout", "0\n")
                T.write(td + "/xps_rxqs", fmt_mask([], max(nrx, 1)) + "\n")
                if ntx == 1:
                    qt["xps_cpus"] = None   # kernel: ENOENT; we omit the file
                else:
                    if xps_mode == "driver" and drv in SETS_XPS and local:
                        xps = [local[q % len(local)]]
                    elif xps_mode not in ("driver", "none"):
                        xps = parse_list(xps_mode)
                    else:
                        xps = []
                    T.write(td + "/xps_cpus", fmt_mask(xps, nr_cpu_ids) + "\n")
                    qt["xps_cpus"] = fmt_list(xps)
            else:
                qt["xps_cpus"] = None
            queues_truth.append(qt)

        napi_truth = None
        if nic.get("napi") is not None:
            napi_truth = napi_threads(T, ndir, ifn, drv, nrx, ntx, nic,
                                      napi_state, online, nr_cpu_ids)

        other = []
        for vv in vecs:
            if vv["kind"] == "other":
                o = vec_truth(vv, s)
                o["role"] = vv["role"]
                other.append(o)
        other.sort(key=lambda o: o["irq"])
        ifaces_truth.append({
            "name": ifn, "ifindex": ifindex, "driver": real_drv,
            "driver_spec": drv, "bus": bus_name, "bus_address": bdf,
            "numa_node": node, "local_cpus": fmt_list(local),
            "speed_mbps": speed_truth,
            "operstate": "down" if down else "up",
            "irq_source": "intx" if intx else "names" if vecs else "none",
            "irq_state": ("none" if not vecs else
                          ("requested" if ifn in irqs[intx]["names"]
                           else "unrequested") if intx else
                          "unrequested" if all(not vv["name"] for vv in vecs)
                          else "requested"),
            "intx_shared": bool(intx and len(irqs[intx]["names"]) >
                                (ifn in irqs[intx]["names"])),
            "link": link,
            "rx_queues": nrx, "tx_queues": ntx,
            "queues": queues_truth, "other_irqs": other,
            "napi_threaded": (nic["napi"] if nic.get("napi") is not None
                              else None),
            "napi_threads": napi_truth or [],
        })

    stacks_truth = write_stacks(T, s.get("stacks", []), ndirs,
                                len(s["nics"]) + 2, nr_cpu_ids)

    # ------------------------------------------------------------------
    # /proc/irq, /sys/kernel/irq, /proc/interrupts
    T.write("proc/irq/default_smp_affinity", fmt_mask(online, nr_cpu_ids) + "\n")
    zero_pc = ",".join(["0"] * npossible) + "\n"
    for num in sorted(irqs):
        ir = irqs[num]
        if s["actions_file"]:
            kd = "sys/kernel/irq/%d" % num
            T.write(kd + "/actions", ",".join(ir["names"]) + "\n" if ir["names"] else "")
            T.write(kd + "/chip_name", ir["chip"] + "\n")
            T.write(kd + "/hwirq", "%d\n" % ir["hwirq"])
            T.write(kd + "/name", ir["flow"] + "\n")
            T.write(kd + "/type", "edge\n" if ir["flow"] == "edge" else "level\n")
            T.write(kd + "/wakeup", "disabled\n")
            if ir["count"]:
                pc = ["0"] * npossible
                pc[ir["eff"] if ir["eff"] is not None else 0] = str(ir["count"])
                T.write(kd + "/per_cpu_count", ",".join(pc) + "\n")
            else:
                T.write(kd + "/per_cpu_count", zero_pc)
        if not ir["names"] and not ir["freed"]:
            continue        # /proc/irq/N appears with the first handler
        pd = "proc/irq/%d" % num
        mode = 0o444 if ir["managed"] else 0o644
        T.write(pd + "/smp_affinity", fmt_mask(ir["aff"], nr_cpu_ids) + "\n", mode)
        T.write(pd + "/smp_affinity_list", fmt_list(ir["aff"]) + "\n", mode)
        if s["effective"]:
            e = [] if ir["eff"] is None else [ir["eff"]]
            T.write(pd + "/effective_affinity", fmt_mask(e, nr_cpu_ids) + "\n", 0o444)
            T.write(pd + "/effective_affinity_list", fmt_list(e) + "\n", 0o444)
        T.write(pd + "/node", "%d\n" % ir["node"], 0o444)
        T.write(pd + "/affinity_hint", fmt_mask(ir["hint"], nr_cpu_ids) + "\n", 0o444)
        T.write(pd + "/spurious", "count 0\nunhandled 0\nlast_unhandled 0 ms\n", 0o444)
        if s["proc_action_dirs"]:
            for nm in ir["names"]:
                T.mkdir("%s/%s" % (pd, nm))

    if s["proc_interrupts"]:
        T.write("proc/interrupts", interrupts_text(irqs, online, nr_cpu_ids,
                                                   s["unhandled_rows"]))

    # ------------------------------------------------------------------
    # sysctls, processes
    sc = s["sysctls"]
    sysctl_truth = {"netdev_max_backlog": None, "rps_sock_flow_entries": None}
    if sc is not None:
        for k in ("netdev_max_backlog", "rps_sock_flow_entries"):
            if sc.get(k) is not None:
                T.write("proc/sys/net/core/" + k, "%d\n" % sc[k])
                sysctl_truth[k] = sc[k]
        T.write("proc/sys/net/core/netdev_budget", "300\n")
        T.write("proc/sys/net/core/netdev_budget_usecs", "8000\n")
        T.write("proc/sys/net/core/dev_weight", "64\n")
    procs = {1: "systemd", 2: "kthreadd", 412: "systemd-journal", 733: "sshd"}
    ib_pid = None
    if s["irqbalance"]:
        ib_pid = 1187 if s["irqbalance"] is True else int(s["irqbalance"])
        procs[ib_pid] = "irqbalance"
    for th in napi_state["procs"]:
        write_kthread(T, th, nr_cpu_ids)
    for pid, comm in procs.items():
        T.write("proc/%d/comm" % pid, comm + "\n")
        T.write("proc/%d/cmdline" % pid,
                ("/usr/sbin/%s\0--foreground\0" % comm) if pid > 2 else
                ("/sbin/init\0" if pid == 1 else ""))
    rows = []
    for cpu in online:
        rows.append(" ".join(["%08x" % (1000 + cpu), "00000000", "00000000"]
                             + ["00000000"] * 6 + ["00000000"] * 3
                             + ["%08x" % cpu]))
    T.write("proc/net/softnet_stat", "\n".join(rows) + "\n")
    if s.get("doctor") is not None:
        write_doctor(T, s["doctor"], online, possible)

    truth = {
        "generator": "mkmachine.py",
        "spec": {k: v for k, v in s.items() if k != "nics"},
        "nr_cpu_ids": nr_cpu_ids,
        "cpus": {"possible": fmt_list(possible), "present": fmt_list(present),
                 "online": fmt_list(online),
                 "offline": fmt_list(sorted(offline_req)),
                 "isolated": fmt_list(isolated), "nohz_full": fmt_list(nohz)},
        "smt": any(len(siblings(c)) > 1 for c in online),
        "smt_threads": smt,
        "nodes": nodes_truth,
        "cpu_topology": topo_truth,
        "interfaces": ifaces_truth,
        "stacks": stacks_truth,
        "sysctls": sysctl_truth,
        "irqbalance_pid": ib_pid,
        "names_from": ("actions" if s["actions_file"] else
                       "proc_irq_dirs" if s["proc_action_dirs"] else
                       "interrupts"),
        "files_written": T.nfiles,
    }
    with open(os.path.join(outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")
    return truth


def napi_threads(T, ndir, ifn, drv, nrx, ntx, nic, st, online, nr_cpu_ids):
    """napi=V: the netdev's threaded file holds V (0, 1, 2 = busy-poll);
    with V >= 1 its NAPIs have kernel threads napi/IF-ID.  virtio_net adds
    per queue pair an rx NAPI (with an id) then a tx NAPI (no id, 0:
    netif_napi_add_tx); veth an rx NAPI per rx queue; the others one NAPI
    per queue pair.  The threads are made when threaded NAPI is switched
    on, walking the NAPI list newest first: pids fall in the order the
    NAPIs were added.  napi_aff=LIST: their affinity (default: online)."""
    T.write(ndir + "/threaded", "%d\n" % nic["napi"])
    added = []
    if drv == "virtio_net":
        for q in range(min(nrx, ntx)):
            added += [("rx", q), ("tx", q)]
    elif drv == "veth":
        added = [("rx", q) for q in range(nrx)]
    else:
        added = [("pair", q) for q in range(nrx)]
    ids = []
    for kind, q in added:
        if kind == "tx":
            ids.append(0)
        else:
            ids.append(st["id"])
            st["id"] += 1
    if nic["napi"] < 1:
        return []
    aff = parse_list(nic["napi_aff"]) if nic.get("napi_aff") else list(online)
    truth = []
    pids = {}
    for i in reversed(range(len(added))):
        pids[i] = st["pid"]
        st["pid"] += 1
    for i, (kind, q) in enumerate(added):
        name = "napi/%s-%d" % (ifn, ids[i])
        th = {"pid": pids[i], "name": name, "aff": aff}
        st["procs"].append(th)
        truth.append({
            "name": name, "pid": pids[i],
            "napi_id": ids[i] or None,
            "serves_rx": q if kind in ("rx", "pair") else None,
            "serves_tx": q if kind in ("tx", "pair") and q < ntx else None,
            "affinity": fmt_list(aff),
        })
    truth.sort(key=lambda t: t["pid"])
    return truth


def write_kthread(T, th, nr_cpu_ids):
    """/proc/PID/{comm,cmdline,stat,status} of a kernel thread, as
    fs/proc/array.c prints them (6.18: do_task_stat's 52 fields, flags
    PF_KTHREAD|PF_NOFREEZE|..., parent kthreadd; proc_pid_status with
    Kthread:, Cpus_allowed (%*pb) and Cpus_allowed_list (%*pbl))."""
    pid, name, aff = th["pid"], th["name"], th["aff"]
    d = "proc/%d" % pid
    T.write(d + "/comm", name + "\n")
    T.write(d + "/cmdline", "")
    T.write(d + "/stat",
            "%d (%s) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 %d 0 0 "
            "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 %d "
            "0 0 0 0 0 0 0 0 0 0 0 0 0\n"
            % (pid, name, 2000000 + pid, aff[0] if aff else 0))
    mems = ",".join(["00000000"] * 31 + ["00000001"])
    T.write(d + "/status",
            "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%d\n"
            "Ngid:\t0\nPid:\t%d\nPPid:\t2\nTracerPid:\t0\n"
            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\n"
            "Groups:\t \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t0\n"
            "NSsid:\t0\nKthread:\t1\nThreads:\t1\nSigQ:\t4/96365\n"
            "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
            "SigBlk:\t0000000000000000\nSigIgn:\tffffffffffffffff\n"
            "SigCgt:\t0000000000000000\nCapInh:\t0000000000000000\n"
            "CapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
            "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
            "Speculation_Store_Bypass:\tvulnerable\n"
            "SpeculationIndirectBranch:\talways enabled\n"
            "Cpus_allowed:\t%s\nCpus_allowed_list:\t%s\n"
            "Mems_allowed:\t%s\nMems_allowed_list:\t0\n"
            "voluntary_ctxt_switches:\t2\nnonvoluntary_ctxt_switches:\t0\n"
            % (name, pid, pid, pid, pid, fmt_mask(aff, nr_cpu_ids),
               fmt_list(aff), mems))


STACK_KINDS = ("bond", "team", "bridge", "vlan", "macvlan", "ipvlan")
MASTER_KINDS = ("bond", "team", "bridge")


def parse_stack(text):
    """KIND:NAME:LOWER[,LOWER...] -> {"kind", "name", "lowers"}."""
    parts = text.split(":")
    if len(parts) != 3 or parts[0] not in STACK_KINDS or not parts[1] \
            or not parts[2]:
        raise ValueError("--stack %s: KIND:NAME:LOWER[,LOWER...], KIND one of %s"
                         % (text, ", ".join(STACK_KINDS)))
    return {"kind": parts[0], "name": parts[1], "lowers": parts[2].split(",")}


def write_stacks(T, stacks, ndirs, first_ifindex, nr_cpu_ids):
    """Stacked devices the way the kernel lays them out: a virtual device
    (sys/devices/virtual/net/NAME, /sys/class/net/NAME linked to it), and
    for every lower device the relative links netdev_adjacent_sysfs_add()
    makes: UPPER/lower_LOWER -> the lower's directory, LOWER/upper_UPPER ->
    the upper's; a bond, team or bridge is the lower's master (LOWER/master);
    a bridge lists its ports in brif/ (-> PORT/brport).  Lowers may be NICs
    or other stacked devices, in any order (a loop is the caller's to
    ask for: the kernel refuses one, tests need it)."""
    truth = []
    for i, st in enumerate(stacks):
        name = st["name"]
        if name in ndirs:
            raise ValueError("--stack %s: the name is taken" % name)
        ndir = "sys/devices/virtual/net/" + name
        ndirs[name] = ndir
        ifindex = first_ifindex + i
        T.write(ndir + "/ifindex", "%d\n" % ifindex)
        T.write(ndir + "/iflink", "%d\n" % ifindex)
        T.write(ndir + "/operstate", "up\n")
        T.write(ndir + "/carrier", "1\n")
        T.write(ndir + "/mtu", "1500\n")
        T.write(ndir + "/type", "1\n")
        T.write(ndir + "/tx_queue_len", "1000\n" if st["kind"] == "bond" else "0\n")
        T.write(ndir + "/address", "52:54:00:ff:%02x:%02x\n" % (i >> 8 & 0xff, i & 0xff))
        T.write(ndir + "/uevent", "DEVTYPE=%s\nINTERFACE=%s\nIFINDEX=%d\n"
                % (st["kind"], name, ifindex))
        rd = ndir + "/queues/rx-0"
        T.write(rd + "/rps_cpus", fmt_mask([], nr_cpu_ids) + "\n")
        T.write(rd + "/rps_flow_cnt", "0\n")
        td = ndir + "/queues/tx-0"
        T.write(td + "/tx_maxrate", "0\n")
        T.write(td + "/tx_timeout", "0\n")
        T.write(td + "/xps_rxqs", fmt_mask([], 1) + "\n")
        T.link("sys/class/net/" + name, ndir)
        truth.append({"kind": st["kind"], "name": name,
                      "lowers": list(st["lowers"])})
    for st in stacks:
        name, ndir = st["name"], ndirs[st["name"]]
        if st["kind"] == "bond":
            T.write(ndir + "/bonding/slaves", " ".join(st["lowers"]) + "\n")
            T.write(ndir + "/bonding/mode", "balance-rr 0\n")
        if st["kind"] == "bridge":
            T.mkdir(ndir + "/bridge")
            T.write(ndir + "/bridge/stp_state", "0\n")
            T.mkdir(ndir + "/brif")
        for low in st["lowers"]:
            if low not in ndirs:
                raise ValueError("--stack %s: no interface %s below it"
                                 % (name, low))
            ldir = ndirs[low]
            T.link(ndir + "/lower_" + low, ldir)
            T.link(ldir + "/upper_" + name, ndir)
            if st["kind"] in MASTER_KINDS:
                T.link(ldir + "/master", ndir)
            if st["kind"] == "bridge":
                T.write(ldir + "/brport/state", "3\n")
                T.link(ndir + "/brif/" + low, ldir + "/brport")
    return truth


def vec_truth(vv, s):
    """A vector as docs/json.md shows it.  Handler-less vectors have no
    /proc/irq/N: the kernel offers no affinity, so null (json.md's rule);
    user_settable is left out (not checked)."""
    out = {"irq": vv["irq"], "name": vv["name"] or "", "kind": vv["kind"]}
    if not vv["name"] and not vv.get("freed"):
        out["affinity"] = out["effective"] = None
    else:
        eff = vv["eff"]
        out["affinity"] = fmt_list(vv["aff"])
        out["effective"] = (None if not s["effective"]
                            else "" if eff is None else str(eff))
        out["user_settable"] = not vv["managed"]
    return out


def interrupts_text(irqs, online, nr_cpu_ids, unhandled_rows):
    """/proc/interrupts as kernel/irq/proc.c and arch/x86 print it."""
    nr_irqs = max(max(irqs) + 1, 32 * max(nr_cpu_ids, 8))
    prec = max(3, len(str(nr_irqs)))
    col = {c: i for i, c in enumerate(online)}
    zero = "          0"
    out = [" " * (prec + 8) + "".join("CPU%-8d" % c for c in online)]
    base = [zero] * len(online)
    for num in sorted(irqs):
        ir = irqs[num]
        if not ir["names"] and not ((unhandled_rows or ir["freed"])
                                    and ir["count"]):
            continue
        cnt = list(base)
        if ir["count"]:
            e = ir["eff"] if ir["eff"] is not None else online[0]
            cnt[col.get(e, 0)] = " %10u" % ir["count"]
        tail = " %8s %*d-%-8s" % (ir["chip"], prec, ir["hwirq"], ir["flow"])
        if ir["names"]:
            tail += "  " + ", ".join(ir["names"])
        out.append("%*d:" % (prec, num) + "".join(cnt) + tail)
    percpu = [("NMI", "Non-maskable interrupts"),
              ("LOC", "Local timer interrupts"),
              ("SPU", "Spurious interrupts"),
              ("PMI", "Performance monitoring interrupts"),
              ("IWI", "IRQ work interrupts"),
              ("RTR", "APIC ICR read retries"),
              ("RES", "Rescheduling interrupts"),
              ("CAL", "Function call interrupts"),
              ("TLB", "TLB shootdowns"),
              ("TRM", "Thermal event interrupts"),
              ("THR", "Threshold APIC interrupts"),
              ("DFR", "Deferred Error APIC interrupts"),
              ("MCE", "Machine check exceptions"),
              ("MCP", "Machine check polls"),
              ("PIN", "Posted-interrupt notification event"),
              ("NPI", "Nested posted-interrupt event"),
              ("PIW", "Posted-interrupt wakeup event")]
    loc = "".join(" %10u" % (123456 + c) for c in online)
    for lab, desc in percpu:
        vals = loc if lab == "LOC" else "".join(base)
        out.append("%*s:" % (prec, lab) + vals + "   " + desc)
    out.append("%*s: %10u" % (prec, "ERR", 0))
    out.append("%*s: %10u" % (prec, "MIS", 0))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# CLI


# ----------------------------------------------------------------------
# `mqtune doctor` (issue 12): counters, sysctls, configuration files and
# processes, printed as the kernel prints them.  KEY=VAL pairs of --doctor;
# CPU:N lists are comma-separated.

DOCTOR_KEYS = ("softnet_drop", "softnet_squeeze", "softnet_cols", "net_rx",
               "file_nr", "tcp_mem", "tcp_mem_pages", "tw_recycle_conf",
               "fds", "listen_overflows", "isolated_net_rx", "threaded")


def _cpu_counts(v):
    out = {}
    for item in filter(None, str(v).split(",")):
        c, n = item.split(":")
        out[int(c)] = int(n)
    return out


def write_doctor(T, d, online, possible):
    bad = set(d) - set(DOCTOR_KEYS)
    if bad:
        raise ValueError("--doctor: unknown key(s) %s; keys: %s"
                         % (", ".join(sorted(bad)), ", ".join(DOCTOR_KEYS)))
    # net/core/net-procfs.c softnet_seq_show(): one %08x row per online
    # CPU; 15 columns since 6.4, 13 (CPU id last) from 5.10, 11 before
    cols = int(d.get("softnet_cols", 15))
    if cols not in (9, 10, 11, 13, 15):
        raise ValueError("softnet_cols: 9, 10, 11, 13 or 15")
    drop, squeeze = _cpu_counts(d.get("softnet_drop", "")), \
        _cpu_counts(d.get("softnet_squeeze", ""))
    rows = []
    for cpu in online:
        v = [100000 + cpu, drop.get(cpu, 0), squeeze.get(cpu, 0),
             0, 0, 0, 0, 0, 0, 0, 0, 0, cpu, 0, 0][:cols]
        rows.append(" ".join("%08x" % x for x in v))
    T.write("proc/net/softnet_stat", "\n".join(rows) + "\n")
    # fs/proc/softirqs.c: every possible CPU; "%12s:" then " %10u" each
    netrx = _cpu_counts(d.get("net_rx", ""))
    names = ("HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL",
             "TASKLET", "SCHED", "HRTIMER", "RCU")
    lines = ["                    " + "".join("CPU%-8d" % c for c in possible)]
    for nm in names:
        vals = [netrx.get(c, 5000 if c in online else 0) if nm == "NET_RX"
                else (10 if c in online else 0) for c in possible]
        lines.append("%12s:" % nm + "".join(" %10u" % x for x in vals))
    T.write("proc/softirqs", "\n".join(lines) + "\n")
    # fs/file_table.c: "%lu\t%lu\t%lu\n" allocated, free (0), max
    fnr = [int(x) for x in str(d.get("file_nr", "1024,0,9223372036854775807")).split(",")]
    T.write("proc/sys/fs/file-nr", "%d\t%d\t%d\n" % tuple(fnr))
    T.write("proc/sys/fs/file-max", "%d\n" % fnr[2])
    T.write("proc/sys/fs/nr_open", "1048576\n")
    tm = [int(x) for x in str(d.get("tcp_mem", "92160,122880,184320")).split(",")]
    T.write("proc/sys/net/ipv4/tcp_mem", "%d\t%d\t%d\n" % tuple(tm))
    ipv4 = {"tcp_max_syn_backlog": 1024, "tcp_syncookies": 1,
            "tcp_tw_reuse": 2, "tcp_fin_timeout": 60,
            "tcp_max_tw_buckets": 65536, "tcp_max_orphans": 65536}
    for k, v in ipv4.items():
        T.write("proc/sys/net/ipv4/" + k, "%d\n" % v)
    T.write("proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n")
    T.write("proc/sys/net/core/somaxconn", "4096\n")
    # net/ipv4/proc.c sockstat_seq_show(), netstat_seq_show(), snmp_seq_show()
    T.write("proc/net/sockstat",
            "sockets: used 120\n"
            "TCP: inuse 12 orphan 0 tw 3 alloc 14 mem %d\n"
            "UDP: inuse 2 mem 1\nUDPLITE: inuse 0\nRAW: inuse 0\n"
            "FRAG: inuse 0 memory 0\n" % int(d.get("tcp_mem_pages", 40)))
    T.write("proc/net/sockstat6",
            "TCP6: inuse 1\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 0\n"
            "FRAG6: inuse 0 memory 0\n")
    ovf = int(d.get("listen_overflows", 0))
    ext = [("SyncookiesSent", 0), ("SyncookiesRecv", 0), ("SyncookiesFailed", 0),
           ("ListenOverflows", ovf), ("ListenDrops", ovf),
           ("TCPTimeWaitOverflow", 0), ("TCPReqQFullDrop", 0),
           ("TCPMemoryPressures", 0), ("TCPAbortOnMemory", 0)]
    T.write("proc/net/netstat",
            "TcpExt: " + " ".join(k for k, _ in ext) + "\n"
            "TcpExt: " + " ".join(str(v) for _, v in ext) + "\n"
            "IpExt: InNoRoutes InTruncatedPkts\nIpExt: 0 0\n")
    T.write("proc/net/snmp",
            "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens CurrEstab\n"
            "Tcp: 1 200 120000 -1 10 2\n")
    if d.get("tw_recycle_conf"):
        T.write("etc/sysctl.d/" + d["tw_recycle_conf"],
                "# tuned by hand in 2015\nnet.ipv4.tcp_tw_reuse = 1\n"
                "net.ipv4.tcp_tw_recycle = 1\n")
    # net/core/net-sysfs.c threaded_show(): "%d\n" (0 or 1), for the
    # interfaces named (IF,IF...)
    for ifn in filter(None, str(d.get("threaded", "")).split(",")):
        T.write("sys/class/net/%s/threaded" % ifn, "1\n")
    # fs/proc/base.c proc_pid_limits(): "%-25s %-20s %-20s %-10s\n"
    for item in filter(None, str(d.get("fds", "")).split(",")):
        pid, comm, n, soft = item.split(":")
        pid, n, soft = int(pid), int(n), int(soft)
        T.write("proc/%d/comm" % pid, comm + "\n")
        lim = "%-25s %-20s %-20s %-10s\n" % ("Limit", "Soft Limit",
                                             "Hard Limit", "Units")
        lim += "%-25s %-20s %-20s %-10s\n" % ("Max cpu time", "unlimited",
                                              "unlimited", "seconds")
        lim += "%-25s %-20d %-20d %-10s\n" % ("Max open files", soft,
                                              soft * 4, "files")
        T.write("proc/%d/limits" % pid, lim)
        T.mkdir("proc/%d/fd" % pid)
        for fd in range(n):     # what /proc/PID/fd/N reads as for a socket
            os.symlink("socket:[%d]" % (100000 + fd),
                       T.p("proc/%d/fd/%d" % (pid, fd)))


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Build a synthetic sysroot (sys/, proc/) and truth.json.",
        epilog="NIC spec: DRIVER:IFNAME:QUEUES[:key=val...]; keys: "
        + ", ".join(sorted(NIC_KEYS)) + ". Drivers: " + ", ".join(DRIVERS))
    ap.add_argument("outdir")
    ap.add_argument("--spec", help="JSON spec file (options below override it)")
    ap.add_argument("--cpus", type=int)
    ap.add_argument("--possible", type=int,
                    help="possible CPUs (>= --cpus; the rest are not present)")
    ap.add_argument("--nodes", type=int, help="NUMA nodes; 0 = non-NUMA kernel")
    ap.add_argument("--smt", type=int)
    ap.add_argument("--nic", action="append", default=[], metavar="SPEC")
    ap.add_argument("--isolated")
    ap.add_argument("--nohz-full")
    ap.add_argument("--nohz-full-null", action="store_true",
                    help='padded "(null)" in nohz_full when it is empty '
                    '(the default)')
    ap.add_argument("--nohz-full-file",
                    choices=("null", "empty", "absent", "list"),
                    help="nohz_full without --nohz-full: null (CONFIG_NO_HZ_FULL"
                    "=y, padded \"(null)\"; default), empty (0 bytes), "
                    "absent, list (\"\\n\")")
    ap.add_argument("--offline")
    ap.add_argument("--kernel-managed", action="append", default=[],
                    metavar="IF")
    ap.add_argument("--speed", action="append", default=[], metavar="IF=MBPS")
    ap.add_argument("--irqbalance", nargs="?", const=True, default=None,
                    metavar="PID")
    ap.add_argument("--no-actions-file", action="store_true",
                    help="no /sys/kernel/irq (names from /proc/irq/N/ dirs)")
    ap.add_argument("--no-proc-action-dirs", action="store_true",
                    help="no /proc/irq/N/<name>/ directories")
    ap.add_argument("--no-proc-interrupts", action="store_true")
    ap.add_argument("--unhandled-rows", action="store_true",
                    help="list handler-less vectors in /proc/interrupts "
                    "(kernels up to ~6.9)")
    ap.add_argument("--no-effective", action="store_true",
                    help="no effective_affinity files (kernels before 4.13)")
    ap.add_argument("--no-sysctls", action="store_true",
                    help="no /proc/sys/net/core (a network namespace)")
    ap.add_argument("--sysctl", action="append", default=[], metavar="NAME=VAL")
    ap.add_argument("--irq-base", type=int,
                    help="first NIC IRQ number (default 40)")
    ap.add_argument("--doctor", action="append", default=[], metavar="KEY=VAL",
                    help="doctor's counters and processes; keys: "
                    + ", ".join(DOCTOR_KEYS))
    ap.add_argument("--seed", type=int)
    ap.add_argument("--force", action="store_true",
                    help="remove OUTDIR first if it exists")
    ap.add_argument("--stack", action="append", default=[],
                    metavar="KIND:NAME:LOWER[,LOWER...]",
                    help="a stacked device (bond, team, bridge, vlan, macvlan, "
                    "ipvlan) over NICs or other stacked devices: lower_*/upper_* links")
    ap.add_argument("--quiet", "-q", action="store_true")
    a = ap.parse_args(argv)

    spec = {}
    if a.spec:
        with open(a.spec) as f:
            spec = json.load(f)
    for k in ("cpus", "possible", "nodes", "smt", "isolated", "offline",
              "seed", "irq_base"):
        if getattr(a, k) is not None:
            spec[k] = getattr(a, k)
    if a.nohz_full is not None:
        spec["nohz_full"] = a.nohz_full
    if a.nohz_full_null:
        spec["nohz_full_null"] = True
    if a.nohz_full_file:
        spec["nohz_full_file"] = a.nohz_full_file
    if a.irqbalance is not None:
        spec["irqbalance"] = a.irqbalance
    if a.no_actions_file:
        spec["actions_file"] = False
    if a.no_proc_action_dirs:
        spec["proc_action_dirs"] = False
    if a.no_proc_interrupts:
        spec["proc_interrupts"] = False
    if a.unhandled_rows:
        spec["unhandled_rows"] = True
    if a.no_effective:
        spec["effective"] = False
    if a.doctor:
        dd = dict(spec.get("doctor") or {})
        for kv in a.doctor:
            k, v = kv.split("=", 1)
            dd[k] = v
        spec["doctor"] = dd
    if a.no_sysctls:
        spec["sysctls"] = None
    elif a.sysctl:
        sc = dict(spec.get("sysctls") or {"netdev_max_backlog": 1000,
                                          "rps_sock_flow_entries": 0})
        for kv in a.sysctl:
            k, v = kv.split("=", 1)
            sc[k] = int(v)
        spec["sysctls"] = sc
    fresh = False
    try:
        spec.setdefault("nics", [])
        spec["nics"] = list(spec["nics"]) + [parse_nic(x) for x in a.nic]
        spec["kernel_managed"] = list(spec.get("kernel_managed", [])) + a.kernel_managed
        spec["stacks"] = list(spec.get("stacks", [])) + [parse_stack(x) for x in a.stack]
        speeds = dict(spec.get("speeds", {}))
        for kv in a.speed:
            k, v = kv.split("=", 1)
            speeds[k] = v
        spec["speeds"] = speeds
        for nic in spec["nics"]:
            if nic["name"] in speeds and "speed" not in nic:
                nic["speed"] = speeds[nic["name"]]
        if a.force and os.path.lexists(a.outdir):
            shutil.rmtree(a.outdir)
        fresh = not os.path.lexists(a.outdir)
        truth = build(a.outdir, spec)
    except (ValueError, OSError) as e:
        print("mkmachine.py: %s" % e, file=sys.stderr)
        if fresh and os.path.isdir(a.outdir):
            shutil.rmtree(a.outdir)     # no half-built machine left behind
        return 2
    if not a.quiet:
        nirq = sum(len(i["queues"]) for i in truth["interfaces"])
        print("%s: %d CPUs, %d nodes, %d interfaces, %d queues, %d files"
              % (a.outdir, len(parse_list(truth["cpus"]["possible"])),
                 len(truth["nodes"]), len(truth["interfaces"]), nirq,
                 truth["files_written"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
