#!/usr/bin/env python3
"""check_show.py - compare `mqtune show` output with mkmachine.py's truth.

    check_show.py [--sysroot DIR] [--ifaces IF,IF...] TRUTH.json SHOW.json
    check_show.py --text [--ifaces IF,IF...] TRUTH.json SHOW.txt
    check_show.py --expect [--sysroot DIR] [--ifaces ...] TRUTH.json

JSON mode checks every field docs/json.md defines that the generator
knows the answer to, and prints one line per mismatch.  Text mode checks
that, in order, every queue of every listed interface has its own line
carrying its IRQ number(s).  --expect prints the document mqtune should
print (a reference for debugging).  Exit 0 when all match, 1 on any mismatch,
2 on bad input.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import validate_json  # noqa: E402  (docs/schema/show.schema.json)


def parse_list(s):
    out = set()
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return sorted(out)


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def get(self, obj, key, where):
        if not isinstance(obj, dict):
            self.err(where, "not an object: %r" % (obj,))
            return None, False
        if key not in obj:
            self.err(where, "missing field %r" % key)
            return None, False
        return obj[key], True

    def eq(self, obj, key, want, where):
        got, ok = self.get(obj, key, where)
        if not ok:
            return
        if isinstance(want, bool) or isinstance(got, bool):
            same = type(got) is type(want) and got == want
        elif isinstance(want, int) and want is not None:
            same = isinstance(got, int) and not isinstance(got, bool) and got == want
        else:
            same = got == want
        if not same:
            self.err(where, "%s = %s, want %s"
                     % (key, json.dumps(got), json.dumps(want)))

    def cpulist(self, obj, key, want, where):
        """CPU set in list form; want None means the value must be null."""
        got, ok = self.get(obj, key, where)
        if not ok:
            return
        if want is None:
            if got is not None:
                self.err(where, "%s = %s, want null" % (key, json.dumps(got)))
            return
        if not isinstance(got, str):
            self.err(where, "%s = %s, want the string %s"
                     % (key, json.dumps(got), json.dumps(want)))
            return
        if got == want:
            return
        try:
            same = parse_list(got) == parse_list(want)
        except ValueError:
            same = False
        self.err(where, "%s = %s, want %s%s"
                 % (key, json.dumps(got), json.dumps(want),
                    " (same CPUs, not the kernel's list form)" if same else ""))


def check_system(c, truth, show):
    sysobj, ok = c.get(show, "system", "top")
    if not ok:
        return
    w = "system"
    c.eq(sysobj, "nr_cpu_ids", truth["nr_cpu_ids"], w)
    cpus, ok = c.get(sysobj, "cpus", w)
    if ok:
        for k in ("possible", "online", "isolated", "nohz_full"):
            c.cpulist(cpus, k, truth["cpus"][k], w + ".cpus")
    c.eq(sysobj, "smt", truth["smt"], w)

    topo, ok = c.get(sysobj, "cpu_topology", w)
    if ok and isinstance(topo, list):
        want = {t["cpu"]: t for t in truth["cpu_topology"]}
        seen = set()
        for t in topo:
            cpu = t.get("cpu") if isinstance(t, dict) else None
            if cpu not in want:
                c.err(w + ".cpu_topology", "unexpected entry %s" % json.dumps(t))
                continue
            if cpu in seen:
                c.err(w + ".cpu_topology", "cpu %s listed twice" % cpu)
            seen.add(cpu)
            ww = "%s.cpu_topology[cpu %d]" % (w, cpu)
            for k in ("package", "core", "node"):
                c.eq(t, k, want[cpu][k], ww)
            c.cpulist(t, "siblings", want[cpu]["siblings"], ww)
        for cpu in sorted(set(want) - seen):
            c.err(w + ".cpu_topology", "cpu %d missing" % cpu)
        order = [t.get("cpu") for t in topo if isinstance(t, dict)]
        if order != sorted(order, key=lambda x: (x is None, x)):
            c.err(w + ".cpu_topology", "not in CPU order")
    elif ok:
        c.err(w, "cpu_topology is not an array")

    nodes, ok = c.get(sysobj, "numa_nodes", w)
    if ok and isinstance(nodes, list):
        want = truth["nodes"]
        got_ids = [n.get("node") if isinstance(n, dict) else None for n in nodes]
        want_ids = [n["node"] for n in want]
        if got_ids != want_ids:
            c.err(w, "numa_nodes ids = %s, want %s" % (got_ids, want_ids))
        else:
            for gn, wn in zip(nodes, want):
                ww = "%s.numa_nodes[node %d]" % (w, wn["node"])
                c.cpulist(gn, "cpus", wn["cpus"], ww)
                c.eq(gn, "distances", wn["distances"], ww)
    elif ok:
        c.err(w, "numa_nodes is not an array")

    sc, ok = c.get(sysobj, "sysctls", w)
    if ok:
        for k, v in truth["sysctls"].items():
            c.eq(sc, k, v, w + ".sysctls")
    ib, ok = c.get(sysobj, "irqbalance", w)
    if ok:
        pid = truth["irqbalance_pid"]
        c.eq(ib, "running", pid is not None, w + ".irqbalance")
        c.eq(ib, "pid", pid, w + ".irqbalance")


def check_vector(c, got, want, where):
    c.eq(got, "irq", want["irq"], where)
    if want.get("role") == "shared" and isinstance(got, dict) and \
            isinstance(got.get("name"), str):
        # a shared INTx line's handlers: /proc/irq/N/ lists their
        # directories in no particular order
        if sorted(got["name"].split(", ")) != sorted(want["name"].split(", ")):
            c.eq(got, "name", want["name"], where)
    else:
        c.eq(got, "name", want["name"], where)
    if want["kind"] != "other":
        c.eq(got, "kind", want["kind"], where)
    if "affinity" in want:
        c.cpulist(got, "affinity", want["affinity"], where)
    if "effective" in want:     # null when the kernel has no effective_affinity
        c.cpulist(got, "effective", want["effective"], where)
    if "user_settable" in want:
        # format 2: "managed" = the kernel manages it (read-only affinity
        # files); a vector without a handler has affinity null instead
        c.eq(got, "managed", want_managed(want), where)
    if "user_settable" in got:
        c.err(where, "has \"user_settable\" (format 1); want \"managed\"")


def want_managed(v):
    return not v["user_settable"] and v.get("affinity") is not None


def want_irqs(q):
    """The truth's irq / irqs as format 2's list."""
    if "irqs" in q:
        return q["irqs"]
    return [q["irq"]] if q.get("irq") is not None else []


def check_iface(c, got, want, sysroot_mode):
    w = "interface %s" % want["name"]
    for k in ("ifindex", "driver", "bus", "bus_address", "numa_node",
              "speed_mbps", "operstate", "irq_source", "rx_queues", "tx_queues"):
        c.eq(got, k, want[k], w)
    if "irq_state" in want:     # none, unrequested (link down), requested
        c.eq(got, "irq_state", want["irq_state"], w)
    c.cpulist(got, "local_cpus", want["local_cpus"], w)
    ch, ok = c.get(got, "channels", w)
    if ok and sysroot_mode:
        c.eq(ch, "source", "sysfs", w + ".channels")

    queues, ok = c.get(got, "queues", w)
    if ok and not isinstance(queues, list):
        c.err(w, "queues is not an array")
    elif ok:
        if len(queues) != len(want["queues"]):
            c.err(w, "%d queues listed, want %d"
                  % (len(queues), len(want["queues"])))
        for i, (gq, wq) in enumerate(zip(queues, want["queues"])):
            ww = "%s queue %d" % (w, wq["queue"])
            c.eq(gq, "queue", wq["queue"], ww)
            if not isinstance(gq, dict):
                continue
            if "irq" in gq:
                c.err(ww, "has \"irq\" (%s): format 2 has only \"irqs\""
                      % json.dumps(gq["irq"]))
            c.eq(gq, "irqs", want_irqs(wq), ww)
            vecs, vok = c.get(gq, "vectors", ww)
            if vok and isinstance(vecs, list):
                gby = {}
                for v in vecs:
                    irq = v.get("irq") if isinstance(v, dict) else None
                    if irq in gby:
                        c.err(ww, "vector %s listed twice" % irq)
                    gby[irq] = v
                wby = {v["irq"]: v for v in wq["vectors"]}
                if sorted(gby, key=str) != sorted(wby, key=str):
                    c.err(ww, "vectors %s, want %s"
                          % (sorted(gby, key=str), sorted(wby)))
                for irq in sorted(set(gby) & set(wby)):
                    check_vector(c, gby[irq], wby[irq], "%s vector %d" % (ww, irq))
            c.cpulist(gq, "rps_cpus", wq["rps_cpus"], ww)
            c.eq(gq, "rps_flow_cnt", wq["rps_flow_cnt"], ww)
            c.cpulist(gq, "xps_cpus", wq["xps_cpus"], ww)

    other, ok = c.get(got, "other_irqs", w)
    if ok and not isinstance(other, list):
        c.err(w, "other_irqs is not an array")
    elif ok:
        gby = {}
        for o in other:
            irq = o.get("irq") if isinstance(o, dict) else None
            if irq in gby:
                c.err(w, "other_irqs: %s listed twice" % irq)
            gby[irq] = o
        wby = {o["irq"]: o for o in want["other_irqs"]}
        for irq in sorted(set(gby) - set(wby), key=str):
            c.err(w, "other_irqs: unexpected %s" % json.dumps(gby[irq]))
        for irq in sorted(set(wby) - set(gby)):
            c.err(w, "other_irqs: missing irq %d (%r)" % (irq, wby[irq]["name"]))
        for irq in sorted(set(gby) & set(wby)):
            ww = "%s other_irq %d" % (w, irq)
            check_vector(c, gby[irq], wby[irq], ww)
            role = wby[irq].get("role")
            if role is not None:
                c.eq(gby[irq], "role", role, ww)
            else:
                got_role, rok = c.get(gby[irq], "role", ww)
                if rok and (not isinstance(got_role, str) or got_role in
                            ("", "queue", "combined", "rx", "tx")):
                    c.err(ww, "role = %s, want a non-queue role"
                          % json.dumps(got_role))


def check_json(truth, show, sysroot, ifaces):
    c = Checker()
    c.eq(show, "format_version", 2, "top")
    for e in validate_json.validate(show, "show"):
        c.err("schema", e)
    if sysroot is not None:
        c.eq(show, "sysroot", sysroot, "top")
    check_system(c, truth, show)
    tif = {i["name"]: i for i in truth["interfaces"]}
    got, ok = c.get(show, "interfaces", "top")
    if ok and isinstance(got, list):
        names = [i.get("name") if isinstance(i, dict) else None for i in got]
        if ifaces is not None and names != ifaces:
            c.err("top", "interfaces %s, want %s (command-line order)"
                  % (names, ifaces))
        for gi in got:
            name = gi.get("name") if isinstance(gi, dict) else None
            if name not in tif:
                c.err("top", "unexpected interface %r" % (name,))
                continue
            check_iface(c, gi, tif[name], sysroot is not None)
    elif ok:
        c.err("top", "interfaces is not an array")
    return c.errors


def check_text(truth, text, ifaces):
    errors = []
    lines = text.splitlines()
    tif = {i["name"]: i for i in truth["interfaces"]}
    pos = 0
    for name in ifaces:
        want = tif[name]
        start = None
        for i in range(pos, len(lines)):
            if re.search(r"(^|[^\w.-])%s([^\w.-]|$)" % re.escape(name), lines[i]):
                start = i
                break
        if start is None:
            errors.append("%s: interface name not found after line %d"
                          % (name, pos + 1))
            continue
        pos = start
        for q in want["queues"]:
            nums = want_irqs(q)
            if not nums:
                continue
            pats = [re.compile(r"(^|\D)%d(\D|$)" % n) for n in nums]
            found = None
            for i in range(pos + 1, len(lines)):
                if all(p.search(lines[i]) for p in pats):
                    found = i
                    break
            if found is None:
                errors.append("%s queue %d: no line after line %d shows IRQ %s"
                              % (name, q["queue"], pos + 1,
                                 "/".join(map(str, nums))))
                continue
            pos = found
    return errors


def expected(truth, sysroot, ifaces):
    """The document mqtune should print, as far as the truth knows it
    (channels counts other than the source are not known)."""
    def vec(v):
        e = {k: v[k] for k in ("irq", "name", "kind", "affinity",
                               "effective", "role")
             if k in v}
        if "user_settable" in v:
            e["managed"] = want_managed(v)
        return e
    tif = {i["name"]: i for i in truth["interfaces"]}
    out = []
    for name in ifaces or list(tif):
        i = tif[name]
        d = {k: i[k] for k in ("name", "ifindex", "driver", "bus",
                               "bus_address", "numa_node", "local_cpus",
                               "speed_mbps", "operstate")}
        d["channels"] = {"source": "sysfs"}
        d["irq_source"] = i["irq_source"]
        d["rx_queues"], d["tx_queues"] = i["rx_queues"], i["tx_queues"]
        d["queues"] = []
        for q in i["queues"]:
            e = {"queue": q["queue"], "irqs": want_irqs(q)}
            e["vectors"] = [vec(v) for v in q["vectors"]]
            for k in ("rps_cpus", "rps_flow_cnt", "xps_cpus"):
                e[k] = q[k]
            d["queues"].append(e)
        d["other_irqs"] = [dict(vec(o), role=o.get("role") or "misc")
                           for o in i["other_irqs"]]
        out.append(d)
    pid = truth["irqbalance_pid"]
    return {
        "format_version": 2,
        "sysroot": sysroot,
        "system": {
            "nr_cpu_ids": truth["nr_cpu_ids"],
            "cpus": {k: truth["cpus"][k] for k in
                     ("possible", "online", "isolated", "nohz_full")},
            "smt": truth["smt"],
            "cpu_topology": truth["cpu_topology"],
            "numa_nodes": truth["nodes"],
            "sysctls": truth["sysctls"],
            "irqbalance": {"running": pid is not None, "pid": pid},
        },
        "interfaces": out,
    }


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--text", action="store_true")
    ap.add_argument("--sysroot")
    ap.add_argument("--ifaces", help="comma-separated, command-line order")
    ap.add_argument("--expect", action="store_true",
                    help="print the JSON mqtune should print for TRUTH")
    ap.add_argument("truth")
    ap.add_argument("show", nargs="?")
    a = ap.parse_args(argv)
    ifaces = a.ifaces.split(",") if a.ifaces else None
    if a.expect:
        with open(a.truth) as f:
            truth = json.load(f)
        json.dump(expected(truth, a.sysroot, ifaces), sys.stdout, indent=1)
        print()
        return 0
    if a.show is None:
        ap.error("SHOW file required")
    try:
        with open(a.truth) as f:
            truth = json.load(f)
        with open(a.show) as f:
            data = f.read()
    except OSError as e:
        print("check_show.py: %s" % e, file=sys.stderr)
        return 2
    if a.text:
        if ifaces is None:
            ifaces = [i["name"] for i in truth["interfaces"]]
        errors = check_text(truth, data, ifaces)
    else:
        try:
            show = json.loads(data)
        except ValueError as e:
            print("%s: not JSON: %s" % (a.show, e))
            return 1
        errors = check_json(truth, show, a.sysroot, ifaces)
    for e in errors:
        print(e)
    if errors:
        print("%d mismatch(es)" % len(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
