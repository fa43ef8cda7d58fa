#!/usr/bin/env python3
"""check_auto.py PLAN.json SHOW.json -- check `mqtune auto` on a sysroot.

PLAN.json is `mqtune auto --dry-run --json` taken before the apply,
SHOW.json is `mqtune show --json` taken after it.  Checks that what was
planned is what the files now hold, and the placement properties of
docs/policy.md, computed from the machine's own topology rather than
from a copy of the expected output:

  * the first Sum queues' IRQs sit on distinct usable CPUs;
  * NUMA-local first: while the NIC's node has usable CPUs left, no
    home is on another node; no SMT sibling before every physical core
    of that node is used;
  * RPS (when usable CPUs outnumber the queues): masks pairwise disjoint,
    their union is the usable set, each holds its queue's home;
  * XPS: every usable CPU in exactly one tx mask.
Prints each violation; exit 1 if any.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import validate_json  # noqa: E402  (docs/schema/*.schema.json)


def cpus(text):
    out = set()
    if not text:
        return out
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out.update(range(int(lo), int(hi) + 1))
        else:
            out.add(int(part))
    return out


def main():
    plan = validate_json.load_strict(sys.argv[1])
    show = validate_json.load_strict(sys.argv[2])
    errors = ["schema: " + e for e in
              validate_json.validate(plan, "auto") + validate_json.validate(show, "show")]
    topo = {c["cpu"]: c for c in show["system"]["cpu_topology"]}

    # format 2: a known value always has a planned one (= current when
    # left as it is)
    def pairs(node, where):
        if isinstance(node, dict):
            if set(node) == {"current", "planned"}:
                if node["current"] is not None and node["planned"] is None:
                    errors.append("%s: planned null although current is %r"
                                  % (where, node["current"]))
                return
            for k, v in node.items():
                pairs(v, where + "." + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                pairs(v, "%s[%d]" % (where, i))
    pairs(plan, "plan")
    shown = {i["name"]: i for i in show["interfaces"]}

    for pi in plan["interfaces"]:
        name = pi["name"]
        si = shown[name]
        usable = cpus(pi["usable_cpus"])
        nq = pi["rx_queues"]
        homes = [q["home_cpu"] for q in pi["queues"] if q["queue"] < nq]

        def err(msg):
            errors.append("%s: %s" % (name, msg))

        # What was planned is what the files hold now.
        for pq, sq in zip(pi["queues"], si["queues"]):
            for pv, sv in zip(pq["vectors"], sq["vectors"]):
                want = pv["affinity"]["planned"]
                if want is not None and cpus(want) != cpus(sv["affinity"]):
                    err("IRQ %d affinity %s, planned %s" % (pv["irq"], sv["affinity"], want))
                if pv["managed"] and cpus(sv["affinity"]) != cpus(pv["affinity"]["current"]):
                    err("managed IRQ %d was changed" % pv["irq"])
            for key in ("rps_cpus", "xps_cpus"):
                if pq[key] and pq[key]["planned"] is not None:
                    if cpus(pq[key]["planned"]) != cpus(sq[key]):
                        err("queue %d %s %s, planned %s" % (pq["queue"], key, sq[key], pq[key]["planned"]))
            if pq["rps_flow_cnt"] and pq["rps_flow_cnt"]["planned"] is not None:
                if pq["rps_flow_cnt"]["planned"] != sq["rps_flow_cnt"]:
                    err("queue %d rps_flow_cnt %s, planned %s" % (pq["queue"], sq["rps_flow_cnt"], pq["rps_flow_cnt"]["planned"]))

        managed_homes = set()
        for q in pi["queues"]:
            if q["queue"] < nq and any(v["managed"] for v in q["vectors"]):
                managed_homes.add(q["queue"])
        s = pi["sum"]
        if s != min(nq, len(usable)):
            err("sum %d, want min(%d, %d)" % (s, nq, len(usable)))
        free_homes = [h for i, h in enumerate(homes[:s]) if i not in managed_homes]
        if len(set(free_homes)) != len(free_homes):
            err("homes of the first Sum queues are not distinct: %s" % free_homes)
        if not set(free_homes) <= usable:
            err("homes outside the usable CPUs: %s" % sorted(set(free_homes) - usable))

        # NUMA-local first, one thread per core first.
        node = si["numa_node"] if si["numa_node"] >= 0 else 0
        local = [c for c in sorted(usable) if topo[c]["node"] == node]
        if not local:
            local = []
        used = []
        for h in free_homes:
            if local and len(used) < len(local) and topo[h]["node"] != node:
                err("home %d on node %d before local node %d is full" % (h, topo[h]["node"], node))
            used.append(h)
        cores_local = {}
        for c in local:
            key = (topo[c]["package"], topo[c]["core"])
            cores_local.setdefault(key, []).append(c)
        seen_cores = set()
        for h in free_homes:
            if topo[h]["node"] != node:
                break
            key = (topo[h]["package"], topo[h]["core"])
            if key in seen_cores and len(seen_cores) < len(cores_local):
                err("SMT sibling %d used before every core of node %d" % (h, node))
            seen_cores.add(key)

        # RPS partition.
        rps = [cpus(q["rps_cpus"]["planned"]) for q in pi["queues"]
               if q["queue"] < nq and q["rps_cpus"] and q["rps_cpus"]["planned"] is not None]
        has_irqs = any(q["vectors"] for q in pi["queues"])
        if rps and nq < len(usable) and len(rps) == nq:
            union = set()
            for i, m in enumerate(rps):
                if union & m:
                    err("RPS masks overlap on %s" % sorted(union & m))
                union |= m
                if homes[i] in usable and homes[i] not in m:
                    err("queue %d RPS %s lacks its home %d" % (i, sorted(m), homes[i]))
            if union != usable:
                err("RPS union %s != usable %s" % (sorted(union), sorted(usable)))
        elif rps and has_irqs and nq >= len(usable) and any(rps):
            err("RPS planned although queues >= usable CPUs")

        # XPS: every usable CPU in exactly one tx mask.
        xps = [cpus(q["xps_cpus"]["planned"]) for q in pi["queues"]
               if q["xps_cpus"] and q["xps_cpus"]["planned"] is not None]
        if xps:
            for c in usable:
                n = sum(1 for m in xps if c in m)
                if n != 1:
                    err("CPU %d in %d XPS masks" % (c, n))
            extra = set().union(*xps) - usable
            if extra:
                err("XPS holds unusable CPUs %s" % sorted(extra))

    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
