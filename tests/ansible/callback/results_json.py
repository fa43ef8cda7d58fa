# results_json - a stdout callback for tests/ansible: at the end of the run,
# one JSON document {"plays": [{"tasks": [{"hosts": {HOST: RESULT}}]}],
# "stats": {HOST: {ok, changed, failures, ...}}} (ansible-core ships no
# json callback; community.general's is not installed here).
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: results_json
    type: stdout
    short_description: every task result and the recap as one JSON document
    description: For mqtune's tests.
'''

import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'results_json'

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.plays = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({'name': play.get_name(), 'tasks': []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.plays[-1]['tasks'].append({'name': task.get_name(), 'hosts': {}})

    def v2_playbook_on_handler_task_start(self, task):
        self.plays[-1]['tasks'].append({'name': task.get_name(), 'hosts': {}})

    def _record(self, result, **extra):
        r = dict(result._result)
        r.update(extra)
        self.plays[-1]['tasks'][-1]['hosts'][result._host.get_name()] = r

    def v2_runner_on_ok(self, result):
        self._record(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._record(result, skipped=True)

    def v2_runner_on_unreachable(self, result):
        self._record(result, unreachable=True)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        out = {'plays': self.plays,
               'stats': dict((h, stats.summarize(h)) for h in hosts)}
        self._display.display(json.dumps(out, default=str))
