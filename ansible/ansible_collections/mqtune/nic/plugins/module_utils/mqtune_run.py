# -*- coding: utf-8 -*-
# Shared by the mqtune modules: find the binary, build the common part of
# the argv, run it with --json (a list argv, never a shell) and read the
# document or the failure.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# mqtune's exit statuses and their names (include/mqtune/diag.h,
# src/base/diag.c); the document's "status" says the same when there is one.
STATUS_NAMES = {
    0: 'ok', 1: 'failure', 2: 'usage', 3: 'nodev', 4: 'perm', 5: 'system',
    6: 'locked', 7: 'restored', 8: 'partial', 9: 'refused', 10: 'ethtool',
    11: 'output', 12: 'drift', 13: 'config', 14: 'state', 15: 'warn',
    16: 'crit',
}

BINARY_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin']


def find_binary(module):
    binary = module.params.get('binary')
    if binary:
        return binary
    return module.get_bin_path('mqtune', required=True, opt_dirs=BINARY_DIRS)


def global_args(module):
    """The options every command takes, before the command name."""
    p = module.params
    argv = ['--json']
    if p.get('sysroot'):
        argv += ['--sysroot', p['sysroot']]
    if p.get('config'):
        argv += ['--config', p['config']]
    return argv


def interface_args(module):
    p = module.params
    if p.get('all'):
        return ['--all']
    return list(p.get('interfaces') or [])


def first_message(stderr):
    """mqtune's own one-line error: the first line starting "mqtune: "."""
    for line in (stderr or '').splitlines():
        if line.startswith('mqtune: '):
            return line
    lines = [x for x in (stderr or '').splitlines() if x.strip()]
    return lines[0] if lines else ''


def parse_document(stdout):
    """The JSON document on stdout, or None when there is none."""
    text = (stdout or '').strip()
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def run(module, argv, ok_codes=(0,)):
    """Run argv; return (rc, doc, stderr).  Fail the task, with mqtune's
    message, its exit status and the status name, on any rc outside
    ok_codes."""
    rc, out, err = module.run_command(argv, check_rc=False,
                                      environ_update={'LC_ALL': 'C'})
    doc = parse_document(out)
    if rc not in ok_codes:
        status = (doc or {}).get('status') or STATUS_NAMES.get(rc, 'unknown')
        msg = first_message(err)
        if not msg and doc and doc.get('error'):
            msg = 'mqtune: ' + doc['error']
        if not msg:
            msg = 'mqtune exited with status %d (%s)' % (rc, status)
        module.fail_json(msg=msg, rc=rc, status=status, cmd=argv,
                         stderr=err, document=doc)
    if doc is None:
        module.fail_json(msg='mqtune printed no JSON document', rc=rc,
                         status=STATUS_NAMES.get(rc, 'unknown'), cmd=argv,
                         stdout=out, stderr=err)
    return rc, doc, err


def pass_warnings(module, doc):
    for w in doc.get('warnings') or []:
        if isinstance(w, dict):
            module.warn('mqtune: %s: %s' % (w.get('object'), w.get('message')))
        else:
            module.warn('mqtune: %s' % w)
