"""How a ModelRelease reads the MLServingPlatform it is attached to.

The `platform` input arrives as a resource reference. The provider registers a
resource module for `mlserving:index` so the reference becomes a `PlatformReference`
(which keeps the URN as a plain string), then reads the platform's registered outputs
once, synchronously, from the engine's `pulumi:pulumi:getResource` built-in. Values
the engine does not know yet (during a first preview) become unknown Outputs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import grpc  # type: ignore[import-untyped]
import pulumi
import pulumi.runtime
from google.protobuf import struct_pb2
from pulumi.output import Output, _OutputData
from pulumi.resource import DependencyResource
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.settings import get_monitor

from mlserving_provider.args import Scaling

__all__ = ["OtherReference", "PlatformReference", "PlatformState", "read_platform", "register_platform_references"]

PLATFORM_TOKEN = "mlserving:index:MLServingPlatform"


class PlatformReference(DependencyResource):
    """A reference to an MLServingPlatform that keeps its URN as a plain string."""

    def __init__(self, urn: str) -> None:
        super().__init__(urn)
        self.platform_urn = urn


class OtherReference(DependencyResource):
    """A reference to another mlserving resource (e.g. a ModelRelease given as `platform`).

    Deserializing it must not fail: validation reports it against the property path.
    """

    def __init__(self, urn: str, typ: str) -> None:
        super().__init__(urn)
        self.reference_type = typ


class _Module(pulumi.runtime.ResourceModule):
    def version(self) -> None:
        return None

    def construct(self, name: str, typ: str, urn: str) -> pulumi.Resource:
        if typ != PLATFORM_TOKEN:
            return OtherReference(urn, typ)
        return PlatformReference(urn)


def register_platform_references() -> None:
    """Make resource references to MLServingPlatform deserialize as PlatformReference."""
    pulumi.runtime.register_resource_module("mlserving", "index", _Module())


@dataclass(frozen=True)
class PlatformState:
    """What a release needs of its platform: plain cloud and scaling, the rest as Outputs."""

    urn: str
    cloud: str
    settings: Mapping[str, Any]
    scaling: Scaling
    outputs: Mapping[str, pulumi.Output[Any]]
    attachments: Mapping[str, pulumi.Output[str]]


def read_platform(urn: str) -> PlatformState:
    """Read a platform's registered outputs from the engine (`pulumi:pulumi:getResource`)."""
    request = resource_pb2.ResourceInvokeRequest(
        tok="pulumi:pulumi:getResource",
        args=_urn_struct(urn),
        acceptResources=True,
    )
    monitor = get_monitor()
    if monitor is None:
        raise ValueError("no resource monitor: a ModelRelease can only be built by the Pulumi engine")
    try:
        response = monitor.Invoke(request)
    except Exception as err:  # the engine answers an unknown URN with an error, not a failure
        reason = err.details() if isinstance(err, grpc.RpcError) else str(err)
        raise ValueError(f"cannot read the platform {urn}: {reason}") from err
    if response.failures:
        failure = response.failures[0]
        raise ValueError(f"cannot read the platform {urn}: {failure.reason} ({failure.property})")
    result = rpc.deserialize_properties(getattr(response, "return"), keep_unknowns=True)
    # The SDK hoists a nested secret (the platform's apiKey) to the whole state; a
    # release never reads the key, and drops it below.
    state: Mapping[str, Any] = rpc.unwrap_rpc_secret(result.get("state", {}))
    dependency = DependencyResource(urn)

    cloud = state.get("cloud")
    attachments_raw = state.get("attachments")
    if not isinstance(cloud, str) or not isinstance(attachments_raw, Mapping):
        raise ValueError(f"the platform {urn} has no registered outputs: is it an MLServingPlatform of this provider?")
    settings_json = attachments_raw.get("settings")
    if not isinstance(settings_json, str):
        raise ValueError(f"the platform {urn} does not publish its settings")
    settings = json.loads(settings_json)
    return PlatformState(
        urn=urn,
        cloud=cloud,
        settings=settings,
        scaling=Scaling(**settings["scaling"]),
        outputs={k: _output(v, dependency) for k, v in state.items() if k not in ("attachments", "apiKey")},
        attachments={k: _output(v, dependency) for k, v in attachments_raw.items()},
    )


def _urn_struct(urn: str) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct["urn"] = urn
    return struct


def _output(value: Any, dependency: pulumi.Resource) -> pulumi.Output[Any]:
    """A platform value as an Output that depends on the platform (unknown stays unknown)."""
    is_secret = rpc.is_rpc_secret(value)
    plain = rpc.unwrap_rpc_secret(value)
    future: asyncio.Future[_OutputData[Any]] = asyncio.get_event_loop().create_future()
    future.set_result(
        _OutputData(resources={dependency}, value=plain, is_known=not rpc.contains_unknowns(plain), is_secret=is_secret)
    )
    return Output._from_data(future)
