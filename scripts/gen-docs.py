#!/usr/bin/env python3
"""gen-docs.py - rewrite the examples of mqtune's documentation from real runs.

    gen-docs.py [--mqtune PATH] [--root DIR] [--out DIR] [--lint] [FILE...]

Every example that shows output in README.md, docs/*.md, docs/mqtune.8
and the Ansible role's README is preceded by a marker naming the command and the synthetic machine it
runs on.  This script builds each machine with tests/gen/mkmachine.py in a
temporary directory, runs the commands with the built ./mqtune, and
rewrites the block under the marker.  With --out DIR the files are written
below DIR (same relative paths) instead of in place, which is how
tests/docs/test_docs.sh finds a block that no longer matches the program.

Markers.  Markdown: an HTML comment on the line(s) just before a fenced
block; man page: roff comment lines just before an .EX/.EE (or .nf/.fi)
block:

    <!-- example: machine="--cpus 32 --nodes 2 --nic ice:eth0:8" cmd="mqtune --sysroot $M show eth0" -->
    ```
    ...rewritten...
    ```

    .\\" example: machine="--cpus 2 --nic virtio_net:eth0:1:node=-1"
    .\\" cmd="mqtune --sysroot $M show eth0"
    .EX
    ...rewritten...
    .EE

The marker is a list of key="value" words in shell quoting (a value may
span lines; \\" is a double quote inside one).  Keys:

  machine="ARGS"   mkmachine.py arguments; the machine is built fresh in a
                   temporary directory, whose path is $M in the commands
  name=N           blocks of one file with the same name share one machine
                   (built by the first, which gives machine=), in file order:
                   what an `auto` writes is seen by the blocks after it
  as=PATH          the path shown for $M (default /tmp/m), in the commands
                   and wherever the real path appears in their output
  show-machine=yes show the mkmachine.py command as the block's first line
  cmd="COMMAND"    a bash command, run in a scratch directory where both
                   `mqtune` and `./mqtune` are the built program; shown as
                   "$ COMMAND" and followed by its output.  May be repeated:
                   the commands run in order, each shown with its output
  setup="COMMAND"  run before the first cmd, not shown: the text around the
                   block must say what it does.  If it fails (chattr as a
                   user, on tmpfs; ip netns as a user) the block is left
                   and reported skipped
  teardown="COMMAND"  run after the last cmd, also when one failed; not
                   shown (it undoes what setup made: a network namespace)
  status=N         exit status the last cmd must have (default 0; every
                   other cmd must succeed); any other status is an error
  prompt=#         the prompt shown (default $)
  stderr=no        leave standard error out (default: after stdout)
  json=yes         stdout is one JSON document: shown indented by two
                   spaces, after trim= and keys=; stderr is left out.  The
                   block holds only the document (a ```json block stays
                   JSON), so the paragraph before the marker must quote
                   the command (with $M shown as as=) and, if there is a
                   machine, its mkmachine.py arguments; this is checked
  trim="P=SEL..."  JSON: keep only SEL of the list at path P; P is keys
                   joined by '.', 'key[]' meaning each element of that list;
                   SEL is a slice (':1', '2:') or a list of indices and
                   @MEMBER=VALUE (the elements whose MEMBER is VALUE):
                   '0,-1', '0,@state=failed'
  keys="K..."      JSON: keep only these top-level members
  from=REGEX       keep the last command's output from the first line that
                   matches, after a line "..."
  head=N, tail=N   keep its first / last N lines, with a "..." line
  needs="PROG..."  programs the commands need; if one is missing the block
                   is left as it is and reported as skipped
  copy="PATH..."   files of the source tree (relative to it) copied into the
                   scratch directory, by their base name, before the
                   commands: the playbooks of the Ansible examples
  sub="RX=>TEXT"   in the output, every match of the regular expression RX
                   is replaced by TEXT (repeatable): for what no run can
                   make the same twice (ansible's temporary file names);
                   the text around the block must say what it hides

The commands run with a fixed environment: PATH (the scratch bin first),
LC_ALL=C (C.UTF-8 for a command naming ansible, which refuses any other),
TZ=UTC, HOME, TMPDIR, $M, and for ansible-playbook an empty
ansible.cfg, ANSIBLE_COLLECTIONS_PATH=ansible/ of the source tree, its
home and temporary directories in the temporary directory, no colour, the
default output callback with skipped tasks hidden, /usr/bin/python3 as
the interpreter, and neither the localhost nor the inventory warning.

A second kind of block is generated from `mqtune --help`: the exit status
table, after `<!-- generated: exit-statuses -->` (a Markdown table) or
between `.\\" generated: exit-statuses` and `.\\" end generated` (man page);
`<!-- generated: exit-status-names -->` adds the short names (the JSON
`status`) from the table in src/base/diag.c, matched to --help by their text.

--lint lists example blocks that show mqtune output but have no marker.

Output: one line per block, "FILE:LINE: generated" or "FILE:LINE: skipped
(REASON)"; errors go to standard error, leave that block as it was, and
make the exit status 1.
"""

import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MKMACHINE = os.path.join(TOP, "tests", "gen", "mkmachine.py")
KEYS = {"machine", "name", "as", "show-machine", "cmd", "setup", "teardown",
        "status",
        "prompt", "stderr", "json", "trim", "keys", "from", "head", "tail",
        "needs", "copy", "sub"}
RUN_TIMEOUT = 120


class DocError(Exception):
    pass


ROLE_README = "ansible/ansible_collections/mqtune/nic/roles/mqtune/README.md"


def default_files(root=TOP):
    return (["README.md"]
            + sorted(os.path.relpath(p, root)
                     for p in glob.glob(os.path.join(root, "docs", "*.md")))
            + ["docs/mqtune.8", ROLE_README])


# --------------------------------------------------------------------------
# Finding the blocks

MD_MARK = re.compile(r"^<!-- example:(.*)$")
MD_GEN = re.compile(r"^<!-- generated: ([a-z-]+) -->\s*$")
MAN_MARK = re.compile(r'^\.\\" example:(.*)$')
MAN_GEN = re.compile(r'^\.\\" generated: ([a-z-]+)\s*$')
MAN_GEN_END = re.compile(r'^\.\\" end generated\s*$')


class Block:
    def __init__(self, kind, line, attrs, start, end, gen=None):
        self.kind = kind        # "md" or "man"
        self.line = line        # 1-based line of the marker
        self.attrs = attrs      # list of (key, value)
        self.start = start      # index of the first content line
        self.end = end          # index after the last content line
        self.gen = gen          # "exit-statuses" for generated sections

    def get(self, key, default=None):
        vals = [v for k, v in self.attrs if k == key]
        return vals[-1] if vals else default

    def all(self, key):
        return [v for k, v in self.attrs if k == key]


def parse_attrs(text, where):
    try:
        words = shlex.split(text, posix=True)
    except ValueError as e:
        raise DocError("%s: marker: %s" % (where, e))
    attrs = []
    for w in words:
        k, eq, v = w.partition("=")
        if not eq or k not in KEYS:
            raise DocError("%s: marker: %r is not one of key=value with key in %s"
                           % (where, w, ", ".join(sorted(KEYS))))
        attrs.append((k, v))
    return attrs


def find_md_blocks(lines, path):
    blocks = []
    i = 0
    while i < len(lines):
        g = MD_GEN.match(lines[i])
        if g:
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            blocks.append(Block("md", i + 1, [], i + 1, j, gen=g.group(1)))
            i = j
            continue
        m = MD_MARK.match(lines[i])
        if not m:
            i += 1
            continue
        where = "%s:%d" % (path, i + 1)
        text = m.group(1)
        j = i
        while "-->" not in lines[j]:
            j += 1
            if j >= len(lines):
                raise DocError("%s: marker without -->" % where)
            text += "\n" + lines[j]
        text = text[:text.rindex("-->")]
        attrs = parse_attrs(text, where)
        fence = j + 1
        if fence >= len(lines) or not lines[fence].startswith("```"):
            raise DocError("%s: no fenced block (```) right after the marker" % where)
        k = fence + 1
        while k < len(lines) and lines[k].rstrip() != "```":
            k += 1
        if k >= len(lines):
            raise DocError("%s: fenced block not closed" % where)
        blocks.append(Block("md", i + 1, attrs, fence + 1, k))
        i = k + 1
    return blocks


def find_man_blocks(lines, path):
    blocks = []
    i = 0
    while i < len(lines):
        g = MAN_GEN.match(lines[i])
        if g:
            j = i + 1
            while j < len(lines) and not MAN_GEN_END.match(lines[j]):
                j += 1
            if j >= len(lines):
                raise DocError("%s:%d: no '.\\\" end generated'" % (path, i + 1))
            blocks.append(Block("man", i + 1, [], i + 1, j, gen=g.group(1)))
            i = j + 1
            continue
        m = MAN_MARK.match(lines[i])
        if not m:
            i += 1
            continue
        where = "%s:%d" % (path, i + 1)
        text = m.group(1)
        j = i + 1
        while j < len(lines) and lines[j].startswith('.\\"'):
            text += "\n" + lines[j][3:]
            j += 1
        attrs = parse_attrs(text, where)
        if j >= len(lines) or lines[j].strip() not in (".EX", ".nf"):
            raise DocError("%s: no .EX or .nf right after the marker" % where)
        close = ".EE" if lines[j].strip() == ".EX" else ".fi"
        k = j + 1
        while k < len(lines) and lines[k].strip() != close:
            k += 1
        if k >= len(lines):
            raise DocError("%s: %s block not closed by %s" % (where, lines[j].strip(), close))
        blocks.append(Block("man", i + 1, attrs, j + 1, k))
        i = k + 1
    return blocks


def find_blocks(lines, path):
    if path.endswith(".md"):
        return find_md_blocks(lines, path)
    return find_man_blocks(lines, path)


# --------------------------------------------------------------------------
# Escaping for the man page


def roff_example(s):
    """One line of literal text inside .EX/.EE, as roff must see it."""
    s = s.replace("\\", "\\e")
    s = s.replace("-", "\\-").replace("'", "\\(aq").replace("`", "\\(ga")
    if s == "" or s.startswith("."):
        s = "\\&" + s
    return s


def roff_text(s):
    """A line of running text (the exit status table)."""
    s = s.replace("\\", "\\e")
    if s.startswith(".") or s.startswith("'"):
        s = "\\&" + s
    return s


# --------------------------------------------------------------------------
# Running


class Runner:
    def __init__(self, mqtune, tmp):
        self.mqtune = mqtune
        self.tmp = tmp
        self.scratch = os.path.join(tmp, "run")
        bindir = os.path.join(self.scratch, "bin")
        os.makedirs(bindir)
        os.symlink(mqtune, os.path.join(bindir, "mqtune"))
        os.symlink(mqtune, os.path.join(self.scratch, "mqtune"))
        self.path = bindir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin")
        self.machines = {}      # (file, name) -> (dir, args)
        self.count = 0
        self.help_text = None

    def env(self, mdir, cmd=""):
        env = {"PATH": self.path, "LC_ALL": "C", "TZ": "UTC",
               "HOME": os.environ.get("HOME", "/"), "TMPDIR": self.tmp}
        env.update(self.ansible_env())
        if "ansible" in cmd:    # it refuses to start in a non-UTF-8 locale
            env["LC_ALL"] = "C.UTF-8"
        if mdir:
            env["M"] = mdir
        return env

    def ansible_env(self):
        """ansible-playbook the same on every machine: no user config."""
        a = os.path.join(self.tmp, "ansible")
        cfg = os.path.join(a, "ansible.cfg")
        if not os.path.exists(cfg):
            os.makedirs(a)
            open(cfg, "w").close()
        return {"ANSIBLE_CONFIG": cfg,
                "ANSIBLE_COLLECTIONS_PATH": os.path.join(TOP, "ansible"),
                "ANSIBLE_HOME": os.path.join(a, "home"),
                "ANSIBLE_LOCAL_TEMP": os.path.join(a, "tmp"),
                "ANSIBLE_REMOTE_TEMP": os.path.join(a, "rtmp"),
                "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_STDOUT_CALLBACK": "default",
                "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "0",
                "ANSIBLE_PYTHON_INTERPRETER": "/usr/bin/python3",
                "ANSIBLE_LOCALHOST_WARNING": "0",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
                "ANSIBLE_RETRY_FILES_ENABLED": "0",
                "ANSIBLE_DEPRECATION_WARNINGS": "0",
                "ANSIBLE_SYSTEM_WARNINGS": "0"}

    def copy(self, paths, where):
        for rel in paths.split():
            src = os.path.join(TOP, rel)
            if not os.path.isfile(src):
                raise DocError("%s: copy: %s is not a file of the source tree"
                               % (where, rel))
            shutil.copyfile(src, os.path.join(self.scratch,
                                              os.path.basename(rel)))

    def build_machine(self, args, where):
        self.count += 1
        mdir = os.path.join(self.tmp, "m%d" % self.count)
        argv = [sys.executable, MKMACHINE, mdir] + shlex.split(args) + ["-q"]
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=RUN_TIMEOUT)
        if p.returncode != 0:
            raise DocError("%s: mkmachine.py %s failed (%d): %s"
                           % (where, args, p.returncode, p.stderr.strip()))
        return mdir

    def machine(self, path, b, where):
        args = b.get("machine")
        name = b.get("name")
        if name:
            key = (path, name)
            if key in self.machines:
                mdir, first = self.machines[key]
                if args is not None and args != first:
                    raise DocError("%s: machine %r was built with other arguments"
                                   % (where, name))
                return mdir, first
            if args is None:
                raise DocError("%s: machine %r is not built yet (no machine=)"
                               % (where, name))
            mdir = self.build_machine(args, where)
            self.machines[key] = (mdir, args)
            return mdir, args
        if args is None:
            return None, None
        return self.build_machine(args, where), args

    def run(self, cmd, mdir, where):
        try:
            p = subprocess.run(["bash", "-c", cmd], cwd=self.scratch,
                               env=self.env(mdir, cmd), capture_output=True,
                               timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise DocError("%s: %s: timed out" % (where, cmd))
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def help(self):
        if self.help_text is None:
            p = subprocess.run([self.mqtune, "--help"], capture_output=True,
                               text=True, env=self.env(None))
            if p.returncode != 0:
                raise DocError("mqtune --help exited %d" % p.returncode)
            self.help_text = p.stdout
        return self.help_text


def exit_statuses(help_text):
    """(status, meaning) from the "Exit status:" part of --help."""
    out = []
    on = False
    for line in help_text.splitlines():
        if line.startswith("Exit status"):
            on = True
            continue
        if on:
            m = re.match(r"^\s+(\d+)\s+(\S.*)$", line)
            if m:
                out.append((int(m.group(1)), m.group(2).rstrip()))
            elif line.strip() and not line.startswith(" "):
                break
    if not out:
        raise DocError("mqtune --help lists no exit status")
    return out


def select(lst, sel, where):
    if not isinstance(lst, list):
        raise DocError("%s: trim: not a list" % where)
    if ":" in sel:
        a, _, b = sel.partition(":")
        return lst[int(a) if a else None:int(b) if b else None]
    out = []
    for x in sel.split(","):
        if x.startswith("@"):
            k, eq, v = x[1:].partition("=")
            hit = [e for e in lst if isinstance(e, dict) and eq
                   and str(e.get(k)) == v]
            if not hit:
                raise DocError("%s: trim: no element with %s" % (where, x[1:]))
            out.extend(e for e in hit if e not in out)
            continue
        i = int(x)
        if not -len(lst) <= i < len(lst):
            raise DocError("%s: trim: index %d out of range (%d items)"
                           % (where, i, len(lst)))
        out.append(lst[i])
    return out


def trim_json(doc, spec, where):
    for item in spec.split():
        path, eq, sel = item.partition("=")
        if not eq:
            raise DocError("%s: trim: %r is not PATH=SEL" % (where, item))
        parts = path.split(".")

        def walk(node, parts):
            p = parts[0]
            each = p.endswith("[]")
            key = p[:-2] if each else p
            if not isinstance(node, dict) or key not in node:
                raise DocError("%s: trim: no member %r" % (where, key))
            if len(parts) == 1:
                if each:
                    raise DocError("%s: trim: %r ends in []" % (where, path))
                node[key] = select(node[key], sel, where)
                return
            if each:
                for el in node[key]:
                    walk(el, parts[1:])
            else:
                walk(node[key], parts[1:])

        walk(doc, parts)
    return doc


def cut(lines, b, where):
    frm, head, tail = b.get("from"), b.get("head"), b.get("tail")
    if frm is not None:
        rx = re.compile(frm)
        for i, l in enumerate(lines):
            if rx.search(l):
                return (["..."] if i else []) + lines[i:]
        raise DocError("%s: from=%r matches no line of the output" % (where, frm))
    if head is not None and len(lines) > int(head):
        return lines[:int(head)] + ["..."]
    if tail is not None and len(lines) > int(tail):
        return ["..."] + lines[-int(tail):]
    return lines


def wrap_command(words, width=76):
    """Join words into a shell command, breaking lines with \\ before an
    option (kept with its value) when a line gets longer than width."""
    units = []
    for w in words:
        if units and not w.startswith("-") and units[-1][0].startswith("-") \
                and len(units[-1]) == 1:
            units[-1].append(w)
        else:
            units.append([w])
    lines = []
    cur = ""
    for u in units:
        t = " ".join(u)
        if cur.strip() and len(cur) + 1 + len(t) + 2 > width:
            lines.append(cur + " \\")
            cur = "      " + t
        else:
            cur = (cur + " " + t) if cur else t
    lines.append(cur)
    return lines


def prose_before(lines, b):
    """The paragraph(s) of text just before a marker, as one line."""
    i = b.line - 2
    while i >= 0 and (lines[i].strip() == "" or lines[i].startswith("<!--")
                      or lines[i].startswith('.\\"')):
        i -= 1
    text = []
    while i >= 0 and not lines[i].startswith("```") and \
            not lines[i].startswith("-->") and not lines[i].rstrip().endswith("-->") \
            and not lines[i].startswith("#") and len(text) < 25:
        text.insert(0, lines[i])
        i -= 1
    return " ".join(" ".join(text).split())


def render_example(runner, path, b, lines=None):
    where = "%s:%d" % (path, b.line)
    needs = (b.get("needs") or "").split()
    missing = [n for n in needs if shutil.which(n, path=runner.path) is None]
    if missing:
        return None, "needs %s" % " ".join(missing)
    cmds = b.all("cmd")
    if not cmds:
        raise DocError("%s: marker has no cmd=" % where)
    mdir, margs = runner.machine(path, b, where)
    shown = b.get("as", "/tmp/m")
    prompt = b.get("prompt", "$")

    def show(s):
        if mdir:
            s = s.replace(mdir, shown)
        return s.replace("${M}", shown).replace("$M", shown)

    if b.get("json") == "yes" and lines is not None:
        prose = prose_before(lines, b).replace("`", "")
        for c in cmds:
            if " ".join(show(c).split()) not in prose:
                raise DocError("%s: json=yes: the text before the block does not "
                               "quote the command %r" % (where, show(c)))
        if b.get("machine") and " ".join(margs.split()) not in prose:
            raise DocError("%s: json=yes: the text before the block does not "
                           "quote the machine's arguments %r" % (where, margs))
    out = []
    if b.get("show-machine") == "yes":
        if not margs:
            raise DocError("%s: show-machine=yes without a machine" % where)
        words = ["python3", "tests/gen/mkmachine.py", shown] + \
            [shlex.quote(w) for w in shlex.split(margs)] + ["--quiet"]
        wl = wrap_command(words, 76 - len(prompt) - 1)
        out.append(prompt + " " + wl[0])
        out.extend(wl[1:])
    subs = []
    for sub in b.all("sub"):
        rx, arrow, repl = sub.partition("=>")
        if not arrow:
            raise DocError("%s: sub=%r is not RX=>TEXT" % (where, sub))
        try:
            subs.append((re.compile(rx), repl))
        except re.error as e:
            raise DocError("%s: sub=%r: %s" % (where, sub, e))
    if b.get("copy"):
        runner.copy(b.get("copy"), where)
    setup = b.get("setup")
    if setup:
        rc, so, se = runner.run(setup, mdir, where)
        if rc != 0:
            return None, "setup %r failed (%d): %s" % (setup, rc, (se or so).strip())
    try:
        return run_cmds(runner, b, cmds, mdir, where, prompt, out, show, subs)
    finally:
        if b.get("teardown"):
            runner.run(b.get("teardown"), mdir, where)


def run_cmds(runner, b, cmds, mdir, where, prompt, out, show, subs):
    """The commands of block @b, each shown with its output, into @out."""
    want = int(b.get("status", "0"))
    for n, cmd in enumerate(cmds):
        last = n == len(cmds) - 1
        rc, so, se = runner.run(cmd, mdir, where)
        expect = want if last else 0
        if rc != expect:
            raise DocError("%s: %s: exit status %d, the marker expects %d\n%s%s"
                           % (where, cmd, rc, expect, so, se))
        if b.get("json") == "yes":
            try:
                doc = json.loads(so)
            except ValueError as e:
                raise DocError("%s: %s: not one JSON document: %s" % (where, cmd, e))
            if b.get("trim"):
                doc = trim_json(doc, b.get("trim"), where)
            if b.get("keys"):
                keep = b.get("keys").split()
                miss = [k for k in keep if k not in doc]
                if miss:
                    raise DocError("%s: keys: no member %s" % (where, " ".join(miss)))
                doc = {k: v for k, v in doc.items() if k in keep}
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        else:
            text = so
            if b.get("stderr", "yes") != "no":
                text += se
        if b.get("json") != "yes":
            cl = show(cmd).split("\n")
            out.append(prompt + " " + cl[0])
            out.extend(cl[1:])
        text = show(text)
        for rx, repl in subs:
            text = rx.sub(repl, text)
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if last:
            lines = cut(lines, b, where)
            while lines and lines[-1] == "":    # ansible-playbook's last
                lines.pop()
        out.extend(lines)
    return out, None


def exit_names(statuses):
    """status -> short name, from the one table in src/base/diag.c; each entry
    is matched to --help's list by its text, which must be the same."""
    with open(os.path.join(TOP, "src", "base", "diag.c"), encoding="utf-8") as f:
        src = f.read()
    by_text = {}
    for m in re.finditer(r'\[MQ_EXIT_\w+\]\s*=\s*\{\s*"([^"]*)"\s*,((?:\s*"[^"]*")+)\s*\}', src):
        text = "".join(re.findall(r'"([^"]*)"', m.group(2)))
        by_text[text] = m.group(1)
    names = {}
    for n, t in statuses:
        if t not in by_text:
            raise DocError("src/base/diag.c has no exit status described as %r "
                           "(mqtune --help says it is status %d)" % (t, n))
        names[n] = by_text[t]
    return names


def render_generated(runner, path, b):
    if b.gen not in ("exit-statuses", "exit-status-names"):
        raise DocError("%s:%d: unknown generated section %r" % (path, b.line, b.gen))
    st = exit_statuses(runner.help())
    if b.gen == "exit-status-names":
        if b.kind != "md":
            raise DocError("%s:%d: exit-status-names is for Markdown" % (path, b.line))
        names = exit_names(st)
        out = ["| status | name | meaning |", "|---|---|---|"]
        out += ["| %d | %s | %s |" % (n, names[n], t.replace("|", "\\|"))
                for n, t in st]
        return out
    if b.kind == "md":
        out = ["| status | meaning |", "|---|---|"]
        out += ["| %d | %s |" % (n, t.replace("|", "\\|")) for n, t in st]
    else:
        out = []
        for n, t in st:
            out += [".TP", ".B %d" % n, roff_text(t)]
    return out


def process(runner, path, text, report):
    lines = text.split("\n")
    blocks = find_blocks(lines, path)
    errors = 0
    # Bottom up, so that earlier indices stay valid; but run top down, so
    # that blocks sharing a machine see it in file order.
    results = []
    for b in blocks:
        where = "%s:%d" % (path, b.line)
        try:
            if b.gen:
                new, why = render_generated(runner, path, b), None
            else:
                new, why = render_example(runner, path, b, lines)
                if new is not None and b.kind == "man":
                    new = [roff_example(l) for l in new]
        except DocError as e:
            print("gen-docs.py: %s" % e, file=sys.stderr)
            errors += 1
            continue
        if new is None:
            report.append("%s: skipped (%s)" % (where, why))
            continue
        report.append("%s: generated" % where)
        results.append((b, new))
    for b, new in reversed(results):
        lines[b.start:b.end] = new
    return "\n".join(lines), len(blocks), errors


# --------------------------------------------------------------------------
# Lint: output examples without a marker

PROMPT = re.compile(r"^\s*[$#] .*mqtune")


def lint(path, text):
    """Code blocks that show a prompt with mqtune and then output lines,
    or JSON, and have no marker before them."""
    lines = text.split("\n")
    found = []
    blocks = []         # (first line no, marked, content lines, is_json)
    if path.endswith(".md"):
        i = 0
        in_comment = False
        while i < len(lines):
            l = lines[i]
            if l.startswith("```"):
                j = i + 1
                while j < len(lines) and lines[j].rstrip() != "```":
                    j += 1
                k = i - 1
                marked = k >= 0 and lines[k].rstrip().endswith("-->") and \
                    any(MD_MARK.match(lines[x]) for x in range(max(0, k - 30), k + 1))
                blocks.append((i + 1, marked, lines[i + 1:j],
                               l.strip() == "```json"))
                i = j + 1
                continue
            if l.startswith("    ") and (i == 0 or lines[i - 1].strip() == ""):
                j = i
                while j < len(lines) and (lines[j].startswith("    ") or lines[j].strip() == ""):
                    j += 1
                blocks.append((i + 1, False, [x[4:] for x in lines[i:j]], False))
                i = j
                continue
            i += 1
    else:
        for i, l in enumerate(lines):
            if l.strip() in (".EX", ".nf"):
                close = ".EE" if l.strip() == ".EX" else ".fi"
                j = i + 1
                while j < len(lines) and lines[j].strip() != close:
                    j += 1
                k = i - 1
                while k >= 0 and lines[k].startswith('.\\"') and not MAN_MARK.match(lines[k]):
                    k -= 1
                marked = k >= 0 and bool(MAN_MARK.match(lines[k]))
                body = [re.sub(r"\\-", "-", x) for x in lines[i + 1:j]]
                blocks.append((i + 1, marked, body, False))
    for no, marked, body, is_json in blocks:
        if marked:
            continue
        if is_json:
            found.append("%s:%d: JSON example without an example marker" % (path, no))
            continue
        has_prompt = False
        output = False
        cont = False
        for x in body:
            if PROMPT.match(x):
                has_prompt = True
                cont = x.rstrip().endswith("\\")
            elif cont:
                cont = x.rstrip().endswith("\\")
            elif has_prompt and x.strip() and x.strip() != "\\&":
                output = True
        if output:
            found.append("%s:%d: example with output but without an example marker"
                         % (path, no))
    return found


# --------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mqtune", default=os.environ.get("MQTUNE") or
                    os.path.join(TOP, "mqtune"))
    ap.add_argument("--root", default=TOP,
                    help="read the documents below this directory (default: "
                    "the source tree); the program, mkmachine.py and src/base/diag.c "
                    "always come from the source tree")
    ap.add_argument("--out", help="write the files below this directory")
    ap.add_argument("--lint", action="store_true",
                    help="only list output examples that have no marker")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args(argv)
    files = a.files or default_files(a.root)

    if a.lint:
        bad = []
        for f in files:
            with open(os.path.join(a.root, f), encoding="utf-8") as fh:
                bad += lint(f, fh.read())
        for x in bad:
            print(x)
        return 1 if bad else 0

    mq = os.path.abspath(a.mqtune)
    if not os.access(mq, os.X_OK):
        print("gen-docs.py: %s: not built (make mqtune)" % mq, file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="mqtune-docs.")
    errors = 0
    total = 0
    try:
        runner = Runner(mq, tmp)
        for f in files:
            src = os.path.join(a.root, f)
            with open(src, encoding="utf-8") as fh:
                text = fh.read()
            report = []
            try:
                new, n, err = process(runner, f, text, report)
            except DocError as e:
                print("gen-docs.py: %s" % e, file=sys.stderr)
                errors += 1
                continue
            total += n
            errors += err
            for r in report:
                print(r)
            dst = os.path.join(a.out, f) if a.out else src
            if a.out:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
            if a.out or new != text:
                with open(dst, "w", encoding="utf-8") as fh:
                    fh.write(new)
    finally:
        if shutil.which("chattr"):      # a setup= may have made files immutable
            subprocess.run(["chattr", "-R", "-i", tmp], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print("gen-docs.py: %d blocks in %d files, %d errors" % (total, len(files), errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
