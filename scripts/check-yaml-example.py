"""Static check of a Pulumi YAML example against schema.json (YAML has no compiler).

    python scripts/check-yaml-example.py examples/aws-yaml/Pulumi.yaml

Checks: the `mlserving` package comes from `packages:`; every resource type is a
schema resource; every property path is a schema input (through object types),
enum values are allowed, required inputs are given; every `${res.prop}` output
reference names a schema output. Prints each problem with its path; exits 1 on any.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REF = re.compile(r"\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}")


def check_value(schema: dict[str, Any], spec: dict[str, Any], value: Any, path: str, out: list[str]) -> None:
    if isinstance(value, str) and value.startswith("${"):
        return  # an expression: its type is the engine's business
    ref = spec.get("$ref", "")
    if ref.startswith("#/types/"):
        typ = schema["types"][ref[len("#/types/") :]]
        if "enum" in typ:
            allowed = [e["value"] for e in typ["enum"]]
            if value not in allowed:
                out.append(f"{path}: {value!r} is not one of {allowed}")
            return
        check_object(schema, typ, value, path, out)
    elif spec.get("type") == "array" and not isinstance(value, list):
        out.append(f"{path}: expected a list")
    elif spec.get("type") == "object" and not isinstance(value, dict):
        out.append(f"{path}: expected a map")
    elif spec.get("type") in ("integer", "number") and not isinstance(value, (int, float)):
        out.append(f"{path}: expected a number")
    elif spec.get("type") == "boolean" and not isinstance(value, bool):
        out.append(f"{path}: expected a boolean")


def check_object(schema: dict[str, Any], typ: dict[str, Any], value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{path}: expected an object")
        return
    props = typ.get("inputProperties", typ.get("properties", {}))
    for key, item in value.items():
        child = f"{path}.{key}" if path else key
        if key not in props:
            out.append(f"{child}: not an input of the schema (known: {sorted(props)})")
        else:
            check_value(schema, props[key], item, child, out)
    for key in typ.get("requiredInputs", typ.get("required", [])):
        if key not in value:
            out.append(f"{path + '.' if path else ''}{key}: required by the schema")


def main(project_file: str) -> int:
    schema = json.loads((ROOT / "schema.json").read_text())
    project = yaml.safe_load(Path(project_file).read_text())
    out: list[str] = []
    if schema["name"] not in project.get("packages", {}):
        out.append(f"packages: no {schema['name']!r} entry")
    types: dict[str, str] = {}
    for name, res in project.get("resources", {}).items():
        token = res.get("type", "")
        types[name] = token
        if not token.startswith(schema["name"] + ":"):
            continue
        if token not in schema["resources"]:
            out.append(f"resources.{name}.type: {token!r} is not a schema resource")
            continue
        check_object(schema, schema["resources"][token], res.get("properties", {}), f"resources.{name}", out)
    for key, expr in project.get("outputs", {}).items():
        for res_name, prop in REF.findall(str(expr)):
            token = types.get(res_name)
            if token is None:
                out.append(f"outputs.{key}: no resource {res_name!r}")
            elif token in schema["resources"] and prop not in schema["resources"][token]["properties"]:
                out.append(f"outputs.{key}: {prop!r} is not an output of {token}")
    for problem in out:
        print(f"{project_file}: {problem}")
    if not out:
        print(f"  {project_file}: {len(types)} resources, {len(project.get('outputs', {}))} outputs match schema.json")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
