#!/usr/bin/env python3
"""check_auto.py PLAN.json SHOW.json [node|machine] -- check `mqtune auto`
on a sysroot.  The third argument is the --rps-scope of the run (node).

PLAN.json is `mqtune auto --dry-run --json` taken before the apply,
SHOW.json is `mqtune show --json` taken after it.  Checks that what was
planned is what the files now hold, and the placement properties of
docs/policy.md, computed from the machine's own topology rather than
from a copy of the expected output:

  * the first Sum queues' IRQs sit on distinct usable CPUs;
  * NUMA-local first: while the NIC's node has usable CPUs left, no
    home is on another node; no SMT sibling before every physical core
    of that node is used; no CPU of a core with an isolated, nohz_full or
    excluded thread while another CPU of that node is unused;
  * RPS (when usable CPUs outnumber the queues): masks pairwise disjoint,
    each holds its queue's home; with node scope each mask lies on its
    home's node and their union is the usable CPUs of the nodes that hold
    a home; with machine scope the union is the usable set;
  * XPS: every usable CPU in exactly one tx mask;
  * warnings are objects of exactly code (kebab-case), object, message.
Prints each violation; exit 1 if any.
"""
import json
import os
import re
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
    scope = sys.argv[3] if len(sys.argv) > 3 else "node"
    topo = {c["cpu"]: c for c in show["system"]["cpu_topology"]}
    set_apart = cpus(show["system"]["cpus"]["isolated"]) | \
        cpus(show["system"]["cpus"]["nohz_full"])
    online = cpus(show["system"]["cpus"]["online"])

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
        # A core "near" isolation has an online thread that is isolated,
        # nohz_full or outside the usable set while online (excluded).
        def near(c):
            sib = cpus(topo[c]["siblings"]) & online
            return bool(sib & (set_apart | (online - usable - set_apart)))

        clean_local = [c for c in local if not near(c)]
        cores_local = {}
        for c in clean_local:
            key = (topo[c]["package"], topo[c]["core"])
            cores_local.setdefault(key, []).append(c)
        seen_cores = set()
        n_clean = 0
        for h in free_homes:
            if topo[h]["node"] != node:
                break
            if near(h):
                if n_clean < len(clean_local):
                    err("home %d shares a core with an isolated or excluded CPU "
                        "before node %d's other CPUs are used" % (h, node))
                continue
            n_clean += 1
            key = (topo[h]["package"], topo[h]["core"])
            if key in seen_cores and len(seen_cores) < len(cores_local):
                err("SMT sibling %d used before every core of node %d" % (h, node))
            seen_cores.add(key)

        # RPS partition.
        rps = [cpus(q["rps_cpus"]["planned"]) for q in pi["queues"]
               if q["queue"] < nq and q["rps_cpus"] and q["rps_cpus"]["planned"] is not None]
        has_irqs = any(q["vectors"] for q in pi["queues"])
        home_nodes = {topo[h]["node"] for h in homes if h is not None and h >= 0}
        if scope == "node":
            want_union = {c for c in usable if topo[c]["node"] in home_nodes}
        else:
            want_union = usable
        if rps and nq < len(usable) and len(rps) == nq and any(rps):
            union = set()
            for i, m in enumerate(rps):
                if union & m:
                    err("RPS masks overlap on %s" % sorted(union & m))
                union |= m
                if homes[i] in usable and homes[i] not in m:
                    err("queue %d RPS %s lacks its home %d" % (i, sorted(m), homes[i]))
                if scope == "node":
                    off = [c for c in m if topo[c]["node"] != topo[homes[i]]["node"]]
                    if off:
                        err("queue %d RPS holds CPUs %s off its home's node %d"
                            % (i, off, topo[homes[i]]["node"]))
            if union != want_union:
                err("RPS union %s != %s" % (sorted(union), sorted(want_union)))
        elif rps and nq < len(usable) and has_irqs and want_union - set(homes):
            err("RPS not planned although CPUs %s are free on the homes' nodes"
                % sorted(want_union - set(homes)))
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

    for w in plan["warnings"]:
        if not isinstance(w, dict) or sorted(w) != ["code", "message", "object"]:
            errors.append("warning %r is not {code, object, message}" % (w,))
        elif not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", w["code"]):
            errors.append("warning code %r is not kebab-case" % w["code"])

    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
