#!/usr/bin/python
# -*- coding: utf-8 -*-
# mqtune: place NIC queues with the mqtune binary (auto, check, restore).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mqtune
short_description: Place NIC queue IRQs, RPS and XPS on their own cores with mqtune
version_added: "0.1.0"
description:
  - Runs the C(mqtune) binary on the target, always with C(--json), with an
    argument list (never through a shell), and reports what it did.
  - With I(state=present) it runs C(mqtune auto) - every receive queue's IRQ,
    RPS, RFS and XPS set and C(net.core.netdev_max_backlog) are written to
    match the machine-wide plan; only values that differ are written.
  - With I(state=checked) it runs C(mqtune check), which writes nothing, and
    reports the values that drifted from the plan; it fails on drift when
    I(fail_on_drift=true).
  - With I(state=restored) it runs C(mqtune restore) - the values from before
    mqtune changed them are written back from mqtune's state file.
  - Check mode runs mqtune with C(--dry-run); nothing is written and
    C(changed) says whether the run would change anything.
  - Diff mode shows, per changed value, the value before and after.
  - Warnings of mqtune (irqbalance running, kernel-managed IRQs, ...) are
    shown as Ansible warnings.
  - On a failure, C(msg) is mqtune's own one-line message, C(rc) its exit
    status and C(status) the status name (see mqtune(8), EXIT STATUS).
author:
  - mqtune developers
options:
  interfaces:
    description:
      - The interfaces to place. With neither I(interfaces) nor I(all),
        mqtune takes the interface of the default route.
      - Whatever the interfaces named, mqtune plans the whole managed set
        and writes the part of the named ones.
    type: list
    elements: str
    default: []
  all:
    description:
      - Every interface of the managed set (the ones the config file names,
        else every physical one with queue vectors). For I(state=restored),
        every interface the state file records and the sysctls.
    type: bool
    default: false
  state:
    description:
      - C(present) applies the plan (C(mqtune auto)), C(checked) compares
        the live state with it (C(mqtune check)), C(restored) writes the
        original values back (C(mqtune restore)).
    type: str
    choices: [present, checked, restored]
    default: present
  cpus:
    description:
      - Use only these CPUs, a kernel CPU list such as C(0-15,32-47).
      - Not with I(state=restored).
    type: str
  exclude_cpus:
    description:
      - Never use these CPUs (a CPU list). Not with I(state=restored).
    type: str
  rps:
    description: Plan RPS/RFS (C(auto)), clear it (C(off)) or leave it (C(keep)).
    type: str
    choices: [auto, 'off', keep]
  rps_scope:
    description: RPS CPUs from the home CPU's NUMA node only, or from every node.
    type: str
    choices: [node, machine]
  xps:
    description: Plan XPS (C(auto)), clear it (C(off)) or leave it (C(keep)).
    type: str
    choices: [auto, 'off', keep]
  backlog:
    description:
      - C(net.core.netdev_max_backlog) - C(auto) (raise by link speed, never
        lower), C(keep), or a number from 1 to 2147483647.
    type: str
  channels:
    description:
      - The NIC's channel count (what C(ethtool -L) sets) - C(auto)
        (mqtune chooses it from the CPUs its policy may use, see
        C(--channels) in mqtune(8)), C(keep) (leave the count as it is), or
        a positive integer.
      - Passed as C(--channels VALUE); validated here, before the binary
        runs. Not with I(state=restored).
    type: str
  rss:
    description:
      - The RSS indirection table (what C(ethtool -X) sets) - C(auto)
        (mqtune's table, see C(--rss) in mqtune(8)), C(equal) (an even
        spread over the receive queues) or C(keep) (leave it).
      - Passed as C(--rss VALUE). Not with I(state=restored).
    type: str
    choices: [auto, equal, keep]
  irqbalance:
    description:
      - What mqtune does when irqbalance runs - C(warn) (a warning),
        C(fail) (refuse, status 9) or C(ignore).
    type: str
    choices: [warn, fail, ignore]
  wait:
    description: Seconds to wait for another mqtune run's lock (0 to 86400).
    type: int
  binary:
    description:
      - Path of the mqtune binary on the target. By default C(mqtune) is
        looked up in C($PATH), C(/usr/sbin) and C(/usr/local/sbin).
    type: path
  sysroot:
    description:
      - Read and write C(/proc) and C(/sys) (and C(/etc/mqtune.conf), the
        state file) below this directory, for tests and image builds.
    type: path
  config:
    description:
      - A config file on the target to read instead of C(/etc/mqtune.conf).
    type: path
  fail_on_drift:
    description:
      - With I(state=checked), fail the task when a value drifted.
        Otherwise drift is reported in C(drift) and C(drifted) and the task
        succeeds.
    type: bool
    default: false
notes:
  - Supports check mode (C(--dry-run)) and diff mode.
  - A real run on the live system needs root (C(become)); a run with
    I(sysroot) only needs write access to that tree.
  - The options of the config file apply too; options given here win.
requirements:
  - mqtune 0.1.0 or later on the target
seealso:
  - module: mqtune.nic.mqtune_facts
'''

EXAMPLES = r'''
- name: Place the queues of every managed NIC
  mqtune.nic.mqtune:
    all: true
  become: true

- name: Place eth0 on CPUs 2-15, leave RPS alone, refuse if irqbalance runs
  mqtune.nic.mqtune:
    interfaces: [eth0]
    cpus: "2-15"
    rps: keep
    irqbalance: fail
  become: true

- name: Channels and RSS table chosen by mqtune
  mqtune.nic.mqtune:
    interfaces: [eth0]
    channels: auto
    rss: auto
  become: true

- name: Exactly 8 channels, the kernel's even RSS spread
  mqtune.nic.mqtune:
    interfaces: [eth0]
    channels: 8
    rss: equal
  become: true

- name: Fail when anything drifted from the plan
  mqtune.nic.mqtune:
    all: true
    state: checked
    fail_on_drift: true

- name: Put back what mqtune changed
  mqtune.nic.mqtune:
    all: true
    state: restored
  become: true
'''

RETURN = r'''
changed:
  description: Whether the run changed anything (in check mode, whether it would).
  returned: always
  type: bool
changes:
  description:
    - The values written (or, in check mode, that would be), from the
      document's C(changes[]) (state present) or the restore entries that
      are written back (state restored).
  returned: success, state present or restored
  type: list
  elements: dict
  sample:
    - object: eth0 IRQ 40
      path: /proc/irq/40/smp_affinity_list
      old: "0-3"
      new: "0"
      state: applied
drift:
  description: Whether any value differs from the plan.
  returned: state checked
  type: bool
drifted:
  description: Each drifted value, with C(object), C(interface), C(path), C(planned) and C(found).
  returned: state checked
  type: list
  elements: dict
  sample:
    - object: eth0 IRQ 41
      interface: eth0
      path: /proc/irq/41/smp_affinity_list
      planned: "1"
      found: "0"
warnings_mqtune:
  description: mqtune's warnings, each with C(code), C(object) and C(message); they are also shown as Ansible warnings.
  returned: success
  type: list
  elements: dict
status:
  description: mqtune's status name (C(ok), C(drift), C(nodev), C(refused), ...).
  returned: always
  type: str
  sample: ok
exit_code:
  description:
    - mqtune's exit status; 12 when I(state=checked) found drift.
      (Not C(rc), which Ansible would take for a failure when it is not 0.)
  returned: success
  type: int
  sample: 0
rc:
  description: mqtune's exit status.
  returned: failure
  type: int
  sample: 3
cmd:
  description: The argument list mqtune was run with.
  returned: always
  type: list
  elements: str
mqtune_version:
  description: The version of the mqtune binary.
  returned: success
  type: str
  sample: 0.1.0
'''

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mqtune.nic.plugins.module_utils.mqtune_run import (
    STATUS_NAMES, find_binary, global_args, interface_args, pass_warnings, run)

CPULIST = re.compile(r'^\d+(-\d+)?(,\d+(-\d+)?)*$')
POLICY = ('cpus', 'exclude_cpus', 'rps', 'rps_scope', 'xps', 'backlog',
          'channels', 'rss', 'irqbalance')
CHANNELS_MAX = 4294967295   # ethtool's channel counts are 32-bit


def validate(module):
    p = module.params
    for name in ('cpus', 'exclude_cpus'):
        if p[name] is not None and not CPULIST.match(p[name]):
            module.fail_json(msg='%s: not a CPU list (e.g. 0-3,8): %r'
                             % (name, p[name]))
    b = p['backlog']
    if b is not None and b not in ('auto', 'keep'):
        if not re.match(r'^[0-9]+$', b) or not 1 <= int(b) <= 2147483647:
            module.fail_json(msg='backlog: auto, keep or a number from 1 to '
                             '2147483647, not %r' % b)
    c = p['channels']
    if c is not None and c not in ('auto', 'keep'):
        if not re.match(r'^[1-9][0-9]*$', c) or int(c) > CHANNELS_MAX:
            module.fail_json(msg='channels: auto, keep or a positive number '
                             '(at most %d), not %r' % (CHANNELS_MAX, c))
    if p['wait'] is not None and not 0 <= p['wait'] <= 86400:
        module.fail_json(msg='wait: 0 to 86400 seconds, not %d' % p['wait'])
    if p['state'] == 'restored':
        given = [n for n in POLICY if p[n] is not None]
        if given:
            module.fail_json(msg='state=restored takes none of: %s'
                             % ', '.join(given))
    if p['fail_on_drift'] and p['state'] != 'checked':
        module.fail_json(msg='fail_on_drift is for state=checked')


def policy_args(module):
    p = module.params
    argv = []
    for name in POLICY:
        if p[name] is not None:
            argv += ['--' + name.replace('_', '-'), p[name]]
    return argv


def show(value):
    return '(empty)' if value == '' else '%s' % value


def diff_of(pairs):
    """pairs: (object, before, after); one line per value."""
    return {
        'before': ''.join('%s: %s\n' % (o, show(b)) for o, b, a in pairs),
        'after': ''.join('%s: %s\n' % (o, show(a)) for o, b, a in pairs),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            interfaces=dict(type='list', elements='str', default=[]),
            all=dict(type='bool', default=False),
            state=dict(type='str', default='present',
                       choices=['present', 'checked', 'restored']),
            cpus=dict(type='str'),
            exclude_cpus=dict(type='str'),
            rps=dict(type='str', choices=['auto', 'off', 'keep']),
            rps_scope=dict(type='str', choices=['node', 'machine']),
            xps=dict(type='str', choices=['auto', 'off', 'keep']),
            backlog=dict(type='str'),
            channels=dict(type='str'),
            rss=dict(type='str', choices=['auto', 'equal', 'keep']),
            irqbalance=dict(type='str', choices=['warn', 'fail', 'ignore']),
            wait=dict(type='int'),
            binary=dict(type='path'),
            sysroot=dict(type='path'),
            config=dict(type='path'),
            fail_on_drift=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('interfaces', 'all')],
        supports_check_mode=True,
    )
    validate(module)
    p = module.params
    argv = [find_binary(module)] + global_args(module)
    command = {'present': 'auto', 'checked': 'check',
               'restored': 'restore'}[p['state']]
    argv.append(command)
    if p['state'] != 'checked':
        if module.check_mode:
            argv.append('--dry-run')
        if p['wait'] is not None:
            argv += ['--wait', str(p['wait'])]
    if p['state'] != 'restored':
        argv += policy_args(module)
    argv += interface_args(module)

    ok = (0, 12) if p['state'] == 'checked' else (0,)
    rc, doc, err = run(module, argv, ok_codes=ok)
    pass_warnings(module, doc)
    result = dict(cmd=argv, exit_code=rc,
                  status=doc.get('status') or STATUS_NAMES.get(rc, 'unknown'),
                  mqtune_version=doc.get('mqtune_version'),
                  warnings_mqtune=doc.get('warnings') or [])

    if p['state'] == 'checked':
        drifted = doc.get('drifted') or []
        result.update(changed=False, drift=bool(doc.get('drift')),
                      drifted=drifted)
        if module._diff and drifted:
            result['diff'] = diff_of([(d['object'], d['found'], d['planned'])
                                      for d in drifted])
        if result['drift'] and p['fail_on_drift']:
            result['msg'] = ('mqtune: %d value%s drifted from the plan'
                             % (len(drifted), '' if len(drifted) == 1 else 's'))
            result['rc'] = result.pop('exit_code')
            module.fail_json(**result)
        module.exit_json(**result)

    if p['state'] == 'present':
        changes = doc.get('changes') or []
        pairs = [(c['object'], c.get('old'), c.get('new')) for c in changes]
    else:
        changes = [dict(object=e['object'], path=e['path'],
                        old=(e.get('current') or '').rstrip('\n'),
                        new=(e.get('original') or '').rstrip('\n'),
                        state=e.get('state'))
                   for e in doc.get('entries') or [] if e.get('action') == 'write']
        pairs = [(c['object'], c['old'], c['new']) for c in changes]
    result.update(changed=bool(doc.get('changed')), changes=changes)
    if module._diff and pairs:
        result['diff'] = diff_of(pairs)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
