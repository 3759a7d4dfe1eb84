"""The API-model judge: every child resource's inputs against the clouds' own published API models.

AWS publishes its APIs as data (botocore's service models: for every operation's input, the
required members, `pattern`, `min`/`max`, `enum`); Azure as REST specifications, which the
azure-mgmt-* packages carry as `_validation` tables and URL-parameter constraints. aws.py and
azure.py map each Pulumi resource type the provider creates to the operation that creates it
and check its inputs against that model; this module dispatches by package, and gives the
coverage report (`make api-models`, `python -m tests.fakecloud.apimodels`).

fakecloud applies the judge where the real failure happens (rules.py, rules Model-preview and
Model-up): at preview what the Pulumi provider validates itself, at `up` what the API refuses.
The unit tests run it over every configuration the provider builds (tests/unit/test_api_models.py).
A violation is reported in the model's terms, never paraphrased: the member path, the
constraint, the value and the model file and version it came from (core.Violation).

What the models cannot see stays in the hand-written rule table (rules.py): rules across fields
(a cache policy with TTLs 0), quotas, regional availability, the clouds' documented rules that
no model carries (AWS's reserved `aws:` tag prefix), and the lifecycle (what exists, what is
kept).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from tests.fakecloud.apimodels.core import Field, Phase, TypeCoverage, Violation

__all__ = ["PACKAGES", "Field", "Phase", "TypeCoverage", "Violation", "check", "coverage", "report", "tokens"]

PACKAGES = ("aws", "azure-native")
"""The Pulumi packages the judge has models for (random: is no cloud)."""


MODULES = {"aws": "aws", "azure-native": "azure"}


@functools.cache
def _module(package: str) -> ModuleType:
    """The cloud's table (imported on first use: loading the models takes a moment)."""
    return importlib.import_module(f"{__name__}.{MODULES[package]}")


def _package(token: str) -> str:
    return token.split(":", 1)[0]


def check(token: str, inputs: Mapping[str, Any]) -> list[Violation]:
    """The constraints of the cloud's API model that these inputs of a `token` resource break (none for a
    type of another package, or one the tables do not map: `coverage` lists what they map)."""
    package = _package(token)
    if package not in PACKAGES:
        return []
    found: list[Violation] = _module(package).check(token, inputs)
    return found


def tokens(package: str) -> frozenset[str]:
    """The Pulumi types of `package` the judge maps."""
    mapped: frozenset[str] = _module(package).TOKENS
    return mapped


def coverage(package: str) -> list[TypeCoverage]:
    rows: list[TypeCoverage] = _module(package).coverage()
    return rows


def source(package: str) -> str:
    text: str = _module(package).SOURCE
    return text


def report(created: Mapping[str, frozenset[str]] | None = None) -> str:
    """The coverage report: per resource type, the operation, fields checked, constraints checked, what is not
    covered and why; a total per cloud. `created`: per package, the types the provider creates (from the unit
    tests' builds), so a created type the tables miss is listed as NOT MAPPED."""
    lines: list[str] = []
    for package in PACKAGES:
        rows = sorted(coverage(package), key=lambda r: r.token)
        lines.append(f"== {package}: {source(package)}")
        for row in rows:
            lines.append(
                f"{row.token}  {row.operation}: {len(row.checked)} fields checked, {row.constraint_count} constraints"
                f", {len(row.unmapped)} unmapped"
            )
            if row.name_rule:
                lines.append(f"    name: {row.name_rule}")
            for f in row.checked:
                if f.constraints:
                    lines.append(f"    {f.input} -> {f.path}: {', '.join(f.constraints)}")
            for f in row.unmapped:
                lines.append(f"    not covered: {f.input}: {f.why}")
            if row.note:
                lines.append(f"    note: {row.note}")
        missing = sorted((created or {}).get(package, frozenset()) - {r.token for r in rows})
        for token in missing:
            lines.append(f"{token}  NOT MAPPED")
        lines.append(
            f"total {package}: {len(rows)} types mapped, {len(missing)} created types not mapped, "
            f"{sum(len(r.checked) for r in rows)} fields checked, {sum(r.constraint_count for r in rows)} constraints, "
            f"{sum(len(r.unmapped) for r in rows)} fields not covered"
        )
    return "\n".join(lines)
