#!/usr/bin/env python3
"""check_help.py - the options and exit statuses that `mqtune --help`
prints are the ones docs/mqtune.8 and README.md document.

    check_help.py MQTUNE TOP

Prints one line per check, "ok NAME" or "not ok NAME: WHY", and exits 1
if any check failed.  Every list is taken from the program's own output:
the options from --help's option lines, the exit statuses from its
"Exit status:" list (the table in src/base/diag.c).
"""

import re
import subprocess
import sys

results = []


def check(name, problems):
    if problems:
        results.append("not ok %s: %s" % (name, "; ".join(problems)))
    else:
        results.append("ok %s" % name)


def help_options(text):
    """Every -x and --long named at the start of an option line."""
    opts = set()
    for line in text.splitlines():
        m = re.match(r"^\s{2,}(-[A-Za-z0-9](?:, --[a-z][a-z-]*)?|--[a-z][a-z-]*)(?![\w-])",
                     line)
        if m:
            opts.update(re.findall(r"--?[A-Za-z0-9][a-z-]*", m.group(1)))
    return opts


def help_statuses(text):
    out = {}
    on = False
    for line in text.splitlines():
        if line.startswith("Exit status"):
            on = True
        elif on:
            m = re.match(r"^\s+(\d+)\s+(\S.*)$", line)
            if m:
                out[int(m.group(1))] = m.group(2).rstrip()
    return out


def roff_plain(s):
    """Roff text as a reader sees it, near enough to compare words."""
    s = re.sub(r"\\f[BIRP]", "", s)
    s = s.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
    s = s.replace('\\(dq', '"').replace("\\(aq", "'")
    s = re.sub(r'^\.(B|I|BR|RB|IR|RI|BI|IB)\s+', "", s)
    return s.replace('"', "")


def man_section(lines, title):
    out = []
    on = False
    for l in lines:
        if l.startswith(".SH"):
            name = l[3:].strip().strip('"')
            if on:
                break
            on = name == title
            continue
        if on:
            out.append(l)
    return out


def man_option_tags(sect):
    """The option names in the tags of the .TP paragraphs."""
    opts = set()
    for i, l in enumerate(sect):
        if l.strip() == ".TP" and i + 1 < len(sect):
            tag = roff_plain(sect[i + 1])
            for w in re.findall(r"(?<![\w-])(--?[A-Za-z0-9][a-z-]*)", tag):
                opts.add(w)
    return opts


def man_statuses(sect):
    out = {}
    for i, l in enumerate(sect):
        if l.strip() == ".TP" and i + 2 < len(sect):
            m = re.match(r"^\.B\s+(\d+)\s*$", sect[i + 1])
            if m:
                out[int(m.group(1))] = roff_plain(sect[i + 2]).strip()
    return out


def readme_table(text, heading):
    """Rows of the first table after a '## heading' line: first cell, rest."""
    rows = []
    lines = text.splitlines()
    try:
        i = lines.index("## " + heading)
    except ValueError:
        return None
    i += 1
    while i < len(lines) and not lines[i].startswith("|"):
        i += 1
    for l in lines[i + 2:]:
        if not l.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", l)[1:-1]]
        rows.append(cells)
    return rows


def main():
    mqtune, top = sys.argv[1], sys.argv[2]
    p = subprocess.run([mqtune, "--help"], capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout:
        print("not ok mqtune --help: exit %d, %d bytes" % (p.returncode, len(p.stdout)))
        return 1
    hopts = help_options(p.stdout)
    hstat = help_statuses(p.stdout)
    check("mqtune --help lists options", [] if len(hopts) >= 10 else
          ["only %d found: %s" % (len(hopts), " ".join(sorted(hopts)))])
    check("mqtune --help lists exit statuses", [] if 0 in hstat and len(hstat) >= 3
          else ["found %r" % hstat])

    with open(top + "/docs/mqtune.8", encoding="utf-8") as f:
        man = f.read().splitlines()
    mopts = man_option_tags(man_section(man, "OPTIONS"))
    check("mqtune.8 OPTIONS documents every option of --help",
          ["%s is not a .TP tag in OPTIONS" % o for o in sorted(hopts - mopts)])
    check("mqtune.8 OPTIONS documents no option --help lacks",
          ["%s is not in --help" % o for o in sorted(mopts - hopts)])
    synopsis = " ".join(roff_plain(l) for l in man_section(man, "SYNOPSIS"))
    check("mqtune.8 SYNOPSIS names --help and --version",
          [o for o in ("--help", "--version") if o not in synopsis])

    mstat = man_statuses(man_section(man, "EXIT STATUS"))
    probs = []
    for n, t in sorted(hstat.items()):
        if n not in mstat:
            probs.append("status %d missing" % n)
        elif mstat[n] != t:
            probs.append("status %d: %r, --help says %r" % (n, mstat[n], t))
    probs += ["status %d is not in --help" % n for n in sorted(set(mstat) - set(hstat))]
    check("mqtune.8 EXIT STATUS lists the statuses of --help", probs)

    with open(top + "/README.md", encoding="utf-8") as f:
        readme = f.read()
    rows = readme_table(readme, "Options")
    if rows is None:
        check("README.md Options table documents every option of --help",
              ["no '## Options' table"])
    else:
        ropts = set()
        for r in rows:
            ropts.update(re.findall(r"(?<![\w-])(--?[A-Za-z0-9][a-z-]*)", r[0]))
        check("README.md Options table documents every option of --help",
              ["%s missing" % o for o in sorted(hopts - ropts)])
        check("README.md Options table documents no option --help lacks",
              ["%s is not in --help" % o for o in sorted(ropts - hopts)])
    rows = readme_table(readme, "Exit statuses")
    probs = []
    if rows is None:
        probs.append("no '## Exit statuses' table")
    else:
        rst = {int(r[0]): r[1].replace("\\|", "|") for r in rows if r and r[0].isdigit()}
        for n, t in sorted(hstat.items()):
            if rst.get(n) != t:
                probs.append("status %d: %r, --help says %r" % (n, rst.get(n), t))
        probs += ["status %d is not in --help" % n for n in sorted(set(rst) - set(hstat))]
    check("README.md Exit statuses table lists the statuses of --help", probs)

    # show refuses the options of auto (cmd_show.c), and the man page says so
    # once, without the contradicting "accepted with show" of earlier pages.
    sect = " ".join(roff_plain(l) for l in man_section(man, "OPTIONS"))
    m = re.search(r'\.SS Options of auto(.*?)\.TP', sect)
    intro = m.group(1) if m else ""
    probs = []
    if "refuses" not in intro:
        probs.append("'Options of auto' does not say show refuses them")
    if re.search(r"accepted with\s+(\.B\s+)?show", sect) or "no effect there" in sect:
        probs.append("OPTIONS also says show accepts them")
    check("mqtune.8 says show refuses the options of auto", probs)

    for r in results:
        print(r)
    return 1 if any(r.startswith("not ok") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
