"""The compatibility gate: schema.json against the schema of the last release.

What breaks a program written against the last release (CHANGELOG.md, "Versions"):
- a resource, type or enum value removed;
- an input or output removed;
- an input or output retyped: its type, `$ref`, element or map value type, or its
  plainness (a plain `string` and an `Input<string>` are different types in Go);
- an input newly required, in a resource or in an object type used as input;
- an output (in a resource or an object type used as output) no longer always set.
Added optional inputs, new outputs, new types and enum values, and description changes
are not breaking.

A breaking change passes only when the version's major part grew, where in 0.x the minor
number plays the major's part (0.1.x -> 0.2.0), as npm's `^` and Cargo read 0.x versions.

The baselines are compat/schema-v<version>.json; the gate compares with the newest one
that is not newer than VERSION (`python -m release_tools.version set` keeps them).

    python -m release_tools.compat     # exit 1 on a breaking change the version does not allow
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from release_tools import ROOT
from release_tools.version import SEMVER, pypi_version, read_version

__all__ = ["Gate", "baselines", "breaking_allowed", "breaking_changes", "gate"]

Spec = Mapping[str, Any]
BASELINE = re.compile(r"^schema-v(.+)\.json$")


def _signature(prop: Spec) -> Any:
    """What a property's type is, without its docs or default: the part a program depends on."""
    sig: dict[str, Any] = {}
    for key in ("type", "$ref"):
        if key in prop:
            sig[key] = prop[key]
    if "items" in prop:
        sig["items"] = _signature(prop["items"])
    if "additionalProperties" in prop:
        sig["additionalProperties"] = _signature(prop["additionalProperties"])
    if "oneOf" in prop:
        sig["oneOf"] = [_signature(p) for p in prop["oneOf"]]
    if prop.get("plain"):
        sig["plain"] = True
    return sig


def _describe(sig: Any) -> str:
    if "$ref" in sig:
        text = str(sig["$ref"]).removeprefix("#/types/")
    elif "oneOf" in sig:
        text = " | ".join(_describe(s) for s in sig["oneOf"])
    elif sig.get("type") == "array" and "items" in sig:
        text = f"array<{_describe(sig['items'])}>"
    elif sig.get("type") == "object" and "additionalProperties" in sig:
        text = f"map<{_describe(sig['additionalProperties'])}>"
    else:
        text = str(sig.get("type", "any"))
    return f"plain {text}" if sig.get("plain") else text


def _refs(props: Mapping[str, Spec]) -> set[str]:
    """The type tokens a set of properties references, directly or through elements."""
    found: set[str] = set()

    def walk(prop: Spec) -> None:
        ref = prop.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/types/"):
            found.add(ref.removeprefix("#/types/"))
        for key in ("items", "additionalProperties"):
            if isinstance(prop.get(key), Mapping):
                walk(prop[key])
        for alternative in prop.get("oneOf", []):
            walk(alternative)

    for prop in props.values():
        walk(prop)
    return found


def _closure(schema: Spec, roots: Iterable[str]) -> set[str]:
    """Every type reachable from `roots` through object properties."""
    types: Mapping[str, Spec] = schema.get("types", {})
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        token = todo.pop()
        if token in seen or token not in types:
            continue
        seen.add(token)
        todo.extend(_refs(types[token].get("properties", {})))
    return seen


def _usage(schema: Spec) -> tuple[set[str], set[str]]:
    """(types used as inputs, types used as outputs), from the resources' inputs and outputs."""
    resources: Mapping[str, Spec] = schema.get("resources", {})
    inputs = _closure(schema, (t for r in resources.values() for t in _refs(r.get("inputProperties", {}))))
    outputs = _closure(schema, (t for r in resources.values() for t in _refs(r.get("properties", {}))))
    return inputs, outputs


def _properties(where: str, kind: str, old: Mapping[str, Spec], new: Mapping[str, Spec]) -> list[str]:
    problems = []
    for name, prop in sorted(old.items()):
        if name not in new:
            problems.append(f"{where}: {kind} '{name}' was removed")
            continue
        before, after = _signature(prop), _signature(new[name])
        if before != after:
            problems.append(f"{where}: {kind} '{name}' changed type: {_describe(before)} -> {_describe(after)}")
    return problems


def _newly_required(where: str, kind: str, old: Iterable[str], new: Iterable[str]) -> list[str]:
    return [f"{where}: {kind} '{name}' is newly required" for name in sorted(set(new) - set(old))]


def _no_longer_set(where: str, kind: str, old: Iterable[str], new: Iterable[str], present: Iterable[str]) -> list[str]:
    gone = (set(old) - set(new)) & set(present)
    return [f"{where}: {kind} '{name}' is no longer always set (it was required)" for name in sorted(gone)]


def breaking_changes(old: Spec, new: Spec) -> list[str]:
    """Every change from `old` to `new` that can break a program written against `old`."""
    problems: list[str] = []
    new_resources: Mapping[str, Spec] = new.get("resources", {})
    for token, res in sorted(old.get("resources", {}).items()):
        if token not in new_resources:
            problems.append(f"{token}: the resource was removed")
            continue
        now = new_resources[token]
        problems += _properties(token, "input", res.get("inputProperties", {}), now.get("inputProperties", {}))
        problems += _newly_required(token, "input", res.get("requiredInputs", []), now.get("requiredInputs", []))
        problems += _properties(token, "output", res.get("properties", {}), now.get("properties", {}))
        problems += _no_longer_set(
            token, "output", res.get("required", []), now.get("required", []), now.get("properties", {})
        )
    new_types: Mapping[str, Spec] = new.get("types", {})
    new_inputs, new_outputs = _usage(new)
    for token, typ in sorted(old.get("types", {}).items()):
        if token not in new_types:
            problems.append(f"{token}: the type was removed")
            continue
        now = new_types[token]
        if "enum" in typ:
            if typ.get("type") != now.get("type"):
                problems.append(f"{token}: the enum's type changed: {typ.get('type')} -> {now.get('type')}")
            kept = {e.get("value") for e in now.get("enum", [])}
            for value in [e.get("value") for e in typ["enum"] if e.get("value") not in kept]:
                problems.append(f"{token}: enum value {json.dumps(value)} was removed")
            continue
        problems += _properties(token, "property", typ.get("properties", {}), now.get("properties", {}))
        if token in new_inputs:
            problems += _newly_required(token, "property", typ.get("required", []), now.get("required", []))
        if token in new_outputs:
            problems += _no_longer_set(
                token, "property", typ.get("required", []), now.get("required", []), now.get("properties", {})
            )
    for token in sorted(set(old.get("functions", {})) - set(new.get("functions", {}))):
        problems.append(f"{token}: the function was removed")
    return problems


def _version(text: str) -> Version:
    return Version(pypi_version(text))


def breaking_allowed(old: str, new: str) -> bool:
    """Whether going from version `old` to `new` may break: the major part grew (in 0.x, the minor)."""
    before, after = _version(old), _version(new)
    if after.major != before.major:
        return after.major > before.major
    return after.major == 0 and after.minor > before.minor


def baselines(root: Path = ROOT) -> dict[str, Path]:
    """version -> compat/schema-v<version>.json."""
    found = {}
    for path in sorted((root / "compat").glob("schema-v*.json")):
        match = BASELINE.match(path.name)
        if match and SEMVER.match(match[1]):
            found[match[1]] = path
    return found


@dataclass(frozen=True)
class Gate:
    """The gate's verdict on schema.json at VERSION against its baseline."""

    version: str
    baseline_version: str
    baseline: Path
    changes: list[str]
    allowed: bool

    @property
    def ok(self) -> bool:
        return not self.changes or self.allowed

    def report(self) -> str:
        lines = [f"compat: schema.json ({self.version}) against {self.baseline.name} (the last release)"]
        if not self.changes:
            lines.append("  no breaking change")
            return "\n".join(lines)
        lines += [f"  breaking: {change}" for change in self.changes]
        if self.allowed:
            lines.append(f"  allowed: the major version changed ({self.baseline_version} -> {self.version})")
        else:
            lines.append(
                f"compat: FAILED: {len(self.changes)} breaking change(s) need a new major version "
                f"(in 0.x a new minor), not {self.baseline_version} -> {self.version}: "
                "`python -m release_tools.version set <version>`, or keep the old inputs and outputs"
            )
        return "\n".join(lines)


def gate(root: Path = ROOT, schema: Spec | None = None) -> Gate:
    """Compare schema.json (or `schema`) at VERSION with the newest baseline not newer than VERSION."""
    version = read_version(root)
    known = baselines(root)
    older = [v for v in known if _version(v) <= _version(version)]
    if not older:
        newest = ", ".join(sorted(known)) or "none"
        raise SystemExit(f"compat: no baseline at or before {version} in compat/ (have: {newest})")
    baseline_version = max(older, key=_version)
    old = json.loads(known[baseline_version].read_text(encoding="utf-8"))
    new = schema if schema is not None else json.loads((root / "schema.json").read_text(encoding="utf-8"))
    changes = breaking_changes(old, new)
    return Gate(
        version, baseline_version, known[baseline_version], changes, breaking_allowed(baseline_version, version)
    )


def main() -> int:
    verdict = gate()
    print(verdict.report())
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
