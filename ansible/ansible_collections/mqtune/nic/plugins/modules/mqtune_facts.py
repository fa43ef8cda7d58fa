#!/usr/bin/python
# -*- coding: utf-8 -*-
# mqtune_facts: ansible_facts.mqtune from `mqtune show --json`.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mqtune_facts
short_description: NIC queues, IRQs and their CPUs as facts, from mqtune show
version_added: "0.1.0"
description:
  - Runs C(mqtune show --json) (read only, no root needed) and sets
    C(ansible_facts.mqtune) to its document - C(system) (CPUs, NUMA nodes,
    sysctls, irqbalance) and C(interfaces) (driver, NUMA node, channels,
    queues with their IRQs, affinity, RPS and XPS, other IRQs).
  - The format is documented in mqtune's docs/json.md (C(format_version) 2).
author:
  - mqtune developers
options:
  interfaces:
    description:
      - The interfaces to show. With none, the interface of the default route.
    type: list
    elements: str
    default: []
  binary:
    description: Path of the mqtune binary (default - looked up in C($PATH), C(/usr/sbin), C(/usr/local/sbin)).
    type: path
  sysroot:
    description: Read C(/proc) and C(/sys) below this directory.
    type: path
notes:
  - Supports check mode; it changes nothing in either mode.
seealso:
  - module: mqtune.nic.mqtune
'''

EXAMPLES = r'''
- name: Read the queue placement of eth0
  mqtune.nic.mqtune_facts:
    interfaces: [eth0]

- name: Show each queue's IRQs
  ansible.builtin.debug:
    msg: "{{ item.queue }}: {{ item.irqs }}"
  loop: "{{ ansible_facts.mqtune.interfaces[0].queues }}"
'''

RETURN = r'''
ansible_facts:
  description: The facts.
  returned: always
  type: dict
  contains:
    mqtune:
      description: The document of C(mqtune show --json).
      returned: always
      type: dict
      contains:
        system:
          description: CPUs, topology, NUMA nodes, sysctls, irqbalance.
          type: dict
          returned: always
        interfaces:
          description: Per interface - driver, bus, NUMA node, channels, queues (C(queue), C(irqs), C(vectors), C(rps_cpus), C(xps_cpus)), other IRQs.
          type: list
          elements: dict
          returned: always
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mqtune.nic.plugins.module_utils.mqtune_run import (
    find_binary, global_args, pass_warnings, run)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            interfaces=dict(type='list', elements='str', default=[]),
            binary=dict(type='path'),
            sysroot=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    argv = ([find_binary(module)] + global_args(module) + ['show']
            + list(module.params['interfaces']))
    rc, doc, err = run(module, argv)
    pass_warnings(module, doc)
    module.exit_json(changed=False, ansible_facts=dict(mqtune=doc))


if __name__ == '__main__':
    main()
