#!/usr/bin/env python3
"""check_napi.py TRUTH SHOW_JSON [AUTO_JSON] - mqtune's threaded NAPI
threads against mkmachine.py's truth.json.

For each interface of the truth: napi_threaded as the threaded file
holds it (null without one); napi_threads the kernel threads it made
(same pids, names, NAPI ids, affinities), each attributed to a queue the
NAPI really serves (rx_queue, else tx_queue), queue_inferred (a sysroot
has no netlink); a user process with a NAPI thread's name is not one.
With AUTO_JSON (a --sysroot dry run): no change of a NAPI thread, and
each thread's planned affinity equals its current one.  Prints one line
per problem; exits 1 if any.
"""
import json
import sys


def main(argv):
    truth = json.load(open(argv[1]))
    show = json.load(open(argv[2]))
    auto = json.load(open(argv[3])) if len(argv) > 3 else None
    bad = []
    got = {i["name"]: i for i in show["interfaces"]}
    for t in truth["interfaces"]:
        name = t["name"]
        g = got.get(name)
        if g is None:
            continue
        if g["napi_threaded"] != t["napi_threaded"]:
            bad.append("%s: napi_threaded %r, want %r"
                       % (name, g["napi_threaded"], t["napi_threaded"]))
        want = {x["pid"]: x for x in t["napi_threads"]}
        have = {x["pid"]: x for x in g["napi_threads"]}
        if set(want) != set(have):
            bad.append("%s: thread pids %s, want %s"
                       % (name, sorted(have), sorted(want)))
        want_src = "names" if want else "none"
        if g["napi_source"] != want_src:
            bad.append("%s: napi_source %r, want %r"
                       % (name, g["napi_source"], want_src))
        for pid in sorted(set(want) & set(have)):
            w, h = want[pid], have[pid]
            for k in ("name", "napi_id", "affinity"):
                if h[k] != w[k]:
                    bad.append("%s pid %d: %s %r, want %r"
                               % (name, pid, k, h[k], w[k]))
            if h["rx_queue"] is None and h["tx_queue"] is None:
                bad.append("%s pid %d: no queue" % (name, pid))
            if h["rx_queue"] is not None and h["rx_queue"] != w["serves_rx"]:
                bad.append("%s pid %d: rx_queue %r, the NAPI serves rx %r"
                           % (name, pid, h["rx_queue"], w["serves_rx"]))
            if h["tx_queue"] is not None and h["tx_queue"] != w["serves_tx"]:
                bad.append("%s pid %d: tx_queue %r, the NAPI serves tx %r"
                           % (name, pid, h["tx_queue"], w["serves_tx"]))
            if not h["queue_inferred"]:
                bad.append("%s pid %d: queue not marked inferred" % (name, pid))
            if h["threaded"] != ((t["napi_threaded"] or 0) > 0):
                bad.append("%s pid %d: threaded %r" % (name, pid, h["threaded"]))
        # the report order: rx queues, then tx queues, then the others
        keys = [(x["rx_queue"] if x["rx_queue"] is not None else 1 << 30,
                 x["tx_queue"] if x["tx_queue"] is not None else 1 << 30)
                for x in g["napi_threads"]]
        if keys != sorted(keys):
            bad.append("%s: threads not in queue order" % name)
    if auto is not None:
        for c in auto["changes"]:
            if " napi/" in c["object"]:
                bad.append("a sysroot plans %s" % c["object"])
        for i in auto["interfaces"]:
            for x in i["napi_threads"]:
                a = x["affinity"]
                if a["planned"] != a["current"]:
                    bad.append("%s %s: planned %r in a sysroot"
                               % (i["name"], x["name"], a["planned"]))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
