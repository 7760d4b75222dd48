"""Validates a CACAO 2.0 playbook (JSON) against the OASIS CACAO JSON schemas in a directory.

The schemas declare draft-07 but use unevaluatedProperties, so every schema is read as draft
2020-12 (as their README advises). One defect of the published schemas is worked around:
commands/command-data.json closes its object (unevaluatedProperties: false) although every command
type extends it with `command`, `content`, `headers` …, so no command holding a `command` could
ever pass; that one keyword is dropped, and each command is checked against its own type's
schema (manual.json, http-api.json) instead. Prints one line per error; exits 1 when there is any.
"""
import json
import os
import sys

from jsonschema import Draft202012Validator

BASE = "https://raw.githubusercontent.com/oasis-open/cacao-json-schemas/main/schemas/"


def load(root):
    schemas = {}
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".json"):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    schema = json.load(handle)
                schema.pop("$schema", None)
                if name == "command-data.json":
                    schema.pop("unevaluatedProperties", None)
                schemas[BASE + os.path.relpath(path, root).replace(os.sep, "/")] = schema
    return schemas


def validator(schemas, entry="playbook.json"):
    main = schemas[BASE + entry]
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        from jsonschema import RefResolver

        return Draft202012Validator(main, resolver=RefResolver(BASE + entry, main, store=schemas))
    resources = [(uri, Resource.from_contents(schema, default_specification=DRAFT202012)) for uri, schema in schemas.items()]
    return Draft202012Validator(main, registry=Registry().with_resources(resources))


def main():
    schemas = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as handle:
        document = json.load(handle)
    errors = [("/".join(map(str, error.path)), error.message) for error in validator(schemas).iter_errors(document)]
    for step_id, step in (document.get("workflow") or {}).items():
        for index, command in enumerate(step.get("commands") or []):
            entry = "commands/%s.json" % command.get("type", "")
            if BASE + entry not in schemas:
                errors.append(("workflow/%s/commands/%d" % (step_id, index), "no schema for command type %r" % command.get("type")))
                continue
            for error in validator(schemas, entry).iter_errors(command):
                errors.append(("workflow/%s/commands/%d/%s" % (step_id, index, "/".join(map(str, error.path))), error.message))
    for path, message in sorted(errors)[:20]:
        print(path + ": " + message[:300])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
