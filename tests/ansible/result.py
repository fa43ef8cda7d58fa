#!/usr/bin/env python3
"""result.py FILE EXPR -- evaluate EXPR over an ansible-playbook run's
output from the json stdout callback; exit 0 when it is true, 1 (printing
the result) when not.

Names in EXPR: r (the result of the play's first task on localhost),
results (every task's result, in order), stats (localhost's recap:
ok, changed, failures, ...)."""
import json
import sys

text = open(sys.argv[1]).read()
doc = json.loads(text[text.index('{'):])
results = []
for play in doc['plays']:
    for task in play['tasks']:
        if 'localhost' in task['hosts']:
            results.append(task['hosts']['localhost'])
stats = doc['stats'].get('localhost', {})
r = results[0] if results else {}
ok = eval(sys.argv[2], {}, {'r': r, 'results': results, 'stats': stats})
if not ok:
    print('not true: %s' % sys.argv[2])
    print(json.dumps({'stats': stats, 'r': r}, indent=1)[:3000])
    sys.exit(1)
