"""What the API-model judge says: a violated constraint in the model's own terms, and coverage.

The cloud modules (aws.py from botocore's service models, azure.py from the azure-mgmt-*
packages' `_validation` tables and URL-parameter constraints) return these; the judge
(`tests.fakecloud.apimodels`) gathers them. Nothing here paraphrases a cloud: `path`,
`constraint` and `expected` are the model's, `source` names the model file and version.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Field", "Phase", "TypeCoverage", "Violation"]


class Phase(enum.Enum):
    """Where the real failure happens."""

    PREVIEW = "preview"
    """The Pulumi provider validates it (a Terraform validator through the bridge, azure-native's Check)."""
    UP = "up"
    """The cloud's API refuses it when the resource is created or updated; a preview passes."""


@dataclass(frozen=True)
class Violation:
    """One constraint of a cloud's published API model that an input breaks."""

    token: str
    """The Pulumi resource type (aws:sagemaker/model:Model)."""
    input: str
    """The Pulumi input path it came from (`name`, `tags.owner`, `properties.sku.name`)."""
    path: str
    """The member path in the model's terms (`sagemaker:CreateModel.ModelName`, `Workspace.properties.friendlyName`)."""
    constraint: str
    """The model's constraint keyword: `pattern`, `min`, `max`, `enum`, `required` (botocore);
    `pattern`, `min_length`, `max_length`, `minimum`, `maximum`, `required`, `min_items`, `max_items`, `enum`
    (azure-mgmt)."""
    expected: Any
    """The constraint's value in the model (the regex, the bound, the enum members)."""
    value: Any
    """The value the input gave (for `required`: None)."""
    source: str
    """The model file and its version (`botocore 1.44.18 data/sagemaker/2017-07-24/service-2.json`)."""
    phase: Phase = Phase.UP

    def message(self) -> str:
        """One line: what the model says and where it says it."""
        value = int(self.value) if isinstance(self.value, float) and self.value.is_integer() else self.value
        # The wire carries numbers as doubles: a whole one is shown as the integer the program gave.
        shown = repr(value) if not isinstance(value, str) or len(value) <= 120 else repr(value[:117] + "...")
        return f"{self.path}: {self.constraint} {self.expected!r} refuses {shown} (input {self.input}; {self.source})"


@dataclass(frozen=True)
class Field:
    """One input of a resource type and what the model checks of it."""

    input: str
    """The Pulumi input (top level; nested paths where a nested object maps field by field)."""
    path: str | None
    """The model member it maps to; None when it maps to none (then `why` says why)."""
    constraints: tuple[str, ...] = ()
    """The constraint keywords the model declares on it (and nested members), empty if none."""
    why: str = ""
    """For an unmapped or unconstrained input: why (a URL parameter, a provider-only input, ...)."""


@dataclass(frozen=True)
class TypeCoverage:
    """What the judge checks of one Pulumi resource type."""

    token: str
    operation: str
    """The API operation that creates it (`sagemaker:CreateModel`; `PUT Microsoft.MachineLearningServices/workspaces`)."""
    source: str
    fields: tuple[Field, ...] = field(default_factory=tuple)
    name_rule: str = ""
    """Azure: the name's rule and where it comes from (URL parameter pattern, or Microsoft's naming-rules page)."""
    note: str = ""
    """Where the mapping is not mechanical, or what the model does not carry."""

    @property
    def checked(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.path is not None)

    @property
    def unmapped(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.path is None)

    @property
    def constraint_count(self) -> int:
        return sum(len(f.constraints) for f in self.fields)
