#!/usr/bin/env python3
"""validate_json.py [--kind show|auto|check|config|restore|doctor|error] FILE... -- check mqtune's JSON.

Each FILE must be strict UTF-8 holding exactly one JSON document that
validates against its schema in docs/schema/ (draft 2020-12): the show
document when it has "system", the restore one when it has "state_file",
the auto one when it has "dry_run", the check one when it has "drift",
the config one when it has "global" and "interfaces", the doctor one
when its "command" is "doctor", else the error document -- or the one
--kind names.  Prints one line per
problem and exits 1 if there is any; exits 2 when python3-jsonschema is
missing.

As a module: validate(doc, kind=None) returns the list of problems.
"""
import json
import os
import sys

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "..", "docs", "schema")
_validators = {}


def kind_of(doc):
    if isinstance(doc, dict) and doc.get("command") == "doctor":
        return "doctor"
    if isinstance(doc, dict) and "system" in doc:
        return "show"
    if isinstance(doc, dict) and "state_file" in doc:
        return "restore"
    if isinstance(doc, dict) and "dry_run" in doc:
        return "auto"
    if isinstance(doc, dict) and "drift" in doc:
        return "check"
    if isinstance(doc, dict) and "interfaces" in doc and "global" in doc:
        return "config"
    return "error"


def validator(kind):
    if kind not in _validators:
        import jsonschema
        with open(os.path.join(SCHEMA_DIR, kind + ".schema.json")) as f:
            schema = json.load(f)
        cls = jsonschema.Draft202012Validator
        cls.check_schema(schema)
        _validators[kind] = cls(schema)
    return _validators[kind]


def validate(doc, kind=None):
    kind = kind or kind_of(doc)
    errs = sorted(validator(kind).iter_errors(doc), key=lambda e: list(e.absolute_path))
    return ["%s: /%s: %s" % (kind, "/".join(str(p) for p in e.absolute_path),
                             e.message[:300]) for e in errs]


def load_strict(path):
    """The document in @path; raises ValueError unless strict UTF-8 JSON."""
    with open(path, "rb") as f:
        raw = f.read()
    return json.loads(raw.decode("utf-8"))


def main(argv):
    kind = None
    if len(argv) > 1 and argv[0] == "--kind":
        kind, argv = argv[1], argv[2:]
    if not argv:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        print("validate_json: python3-jsonschema is not installed", file=sys.stderr)
        return 2
    bad = 0
    for path in argv:
        try:
            doc = load_strict(path)
        except (ValueError, OSError) as e:
            print("%s: not strict UTF-8 JSON: %s" % (path, e))
            bad += 1
            continue
        errs = validate(doc, kind)
        for e in errs[:20]:
            print("%s: %s" % (path, e))
        if len(errs) > 20:
            print("%s: ... %d problems" % (path, len(errs)))
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
