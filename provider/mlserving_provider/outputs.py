"""The outputs of both components, mirroring the schema's `properties`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pulumi

from mlserving_provider.args import camel

__all__ = ["PlatformOutputs", "ReleaseOutputs"]


@dataclass(frozen=True)
class _Outputs:
    def as_state(self) -> dict[str, Any]:
        """The outputs keyed by their schema names."""
        return {camel(f.name): getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class PlatformOutputs(_Outputs):
    cloud: pulumi.Input[str]
    artifact_store_name: pulumi.Input[str]
    artifact_base_url: pulumi.Input[str]
    cdn_domain_name: pulumi.Input[str]
    api_base_url: pulumi.Input[str]
    api_key: pulumi.Input[str]
    event_bus_name: pulumi.Input[str]
    release_event_queue_url: pulumi.Input[str]
    alarm_topic_arn: pulumi.Input[str]
    attachments: pulumi.Input[dict[str, pulumi.Input[str]]]


@dataclass(frozen=True)
class ReleaseOutputs(_Outputs):
    artifact_key: pulumi.Input[str]
    artifact_sha256: pulumi.Input[str]
    artifact_url: pulumi.Input[str]
    endpoint_name: pulumi.Input[str]
    invoke_url: pulumi.Input[str]
    cached_invoke_url: pulumi.Input[str]
    model_version: pulumi.Input[str]
    api_version: pulumi.Input[str]
