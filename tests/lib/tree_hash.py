#!/usr/bin/env python3
"""tree_hash.py [--list] DIR -- one digest of a synthetic machine's files.

Every regular file below DIR (its path, mode and contents) goes into one
SHA-256, except mqtune's own files (run/ with the lock, var/lib/mqtune/
with the state file) and the ".NAME.mqtune" temporaries a run killed
inside a snapshot file's replacement leaves (only a sysroot has them: a
live sysfs has no such files).  --list prints one "PATH MODE SHA256" line
per file instead, for a diff when two digests differ.
"""
import hashlib
import os
import sys


def files(root):
    for dp, dns, fns in os.walk(root):
        rel = os.path.relpath(dp, root)
        if rel in ("run", os.path.join("var", "lib", "mqtune")):
            dns[:] = []
            continue
        dns.sort()
        for fn in sorted(fns):
            p = os.path.join(dp, fn)
            if os.path.islink(p) or (fn.startswith(".") and fn.endswith(".mqtune")):
                continue
            st = os.lstat(p)
            with open(p, "rb") as f:
                yield os.path.normpath(os.path.join(rel, fn)), st.st_mode, f.read()


def main(argv):
    listing = argv[:1] == ["--list"]
    if listing:
        argv = argv[1:]
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    h = hashlib.sha256()
    for path, mode, data in files(argv[0]):
        if listing:
            print("%s %o %s" % (path, mode, hashlib.sha256(data).hexdigest()))
        else:
            h.update(b"%s %o\0%s\0" % (path.encode(), mode, data))
    if not listing:
        print(h.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
