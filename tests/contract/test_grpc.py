"""The provider, started as a plugin process, answers real gRPC calls.

A small stand-in resource monitor (the engine's side of Construct) answers feature
checks and records every RegisterResource, so a test can prove that invalid inputs
create nothing.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pytest
from google.protobuf import empty_pb2, struct_pb2
from mlserving_provider._schema import SCHEMA_TEXT
from pulumi.runtime.proto import (
    errors_pb2,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
    status_pb2,
)

from release_tools.version import read_version

ROOT = Path(__file__).resolve().parents[2]


class RecordingMonitor(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self) -> None:
        self.registered: list[str] = []

    def SupportsFeature(self, request: Any, context: Any) -> Any:  # noqa: N802
        return resource_pb2.SupportsFeatureResponse(hasSupport=True)

    def RegisterResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.registered.append(request.type)
        return resource_pb2.RegisterResourceResponse(urn=f"urn:pulumi:s::p::{request.type}::{request.name}")


@pytest.fixture(scope="module")
def monitor() -> Iterator[tuple[RecordingMonitor, str]]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    recording = RecordingMonitor()
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(recording, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield recording, f"127.0.0.1:{port}"
    server.stop(None)


@pytest.fixture(scope="module")
def provider() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "provider" / "__main__.py"), "127.0.0.1:1"],
        cwd=ROOT / "provider",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    assert port.isdigit(), f"the provider printed {port!r}; stderr: {process.stderr.read() if process.stderr else ''}"
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    yield provider_pb2_grpc.ResourceProviderStub(channel)
    channel.close()
    process.terminate()
    process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()
    if process.stderr:
        process.stderr.close()


def construct(stub: Any, monitor_address: str, token: str, inputs: dict[str, Any]) -> Any:
    struct = struct_pb2.Struct()
    struct.update(inputs)
    return stub.Construct(
        provider_pb2.ConstructRequest(
            project="p", stack="s", type=token, name="ml", inputs=struct, monitorEndpoint=monitor_address, dryRun=True
        ),
        timeout=60,
    )


def property_errors(error: grpc.RpcError) -> list[tuple[str, str]]:
    """The InputPropertiesError details the engine shows with their paths."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            details = errors_pb2.InputPropertiesError()
            status.details[0].Unpack(details)
            return [(e.property_path, e.reason) for e in details.errors]
    return []


def test_get_schema_serves_schema_json(provider: Any) -> None:
    response = provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=30)
    assert response.schema == SCHEMA_TEXT


def test_plugin_info_is_the_schema_version(provider: Any) -> None:
    assert provider.GetPluginInfo(empty_pb2.Empty(), timeout=30).version == read_version()


def test_unknown_token_is_a_clear_error(provider: Any, monitor: tuple[RecordingMonitor, str]) -> None:
    recording, address = monitor
    with pytest.raises(grpc.RpcError) as caught:
        construct(provider, address, "mlserving:index:Nope", {})
    assert "unknown resource type mlserving:index:Nope" in str(caught.value.details())
    assert recording.registered == []


def test_invalid_inputs_report_every_path_and_create_nothing(
    provider: Any, monitor: tuple[RecordingMonitor, str]
) -> None:
    recording, address = monitor
    with pytest.raises(grpc.RpcError) as caught:
        construct(
            provider,
            address,
            "mlserving:index:MLServingPlatform",
            {"cloud": "aws", "scaling": {"minReplicas": 3, "maxReplicas": 1}, "api": {"throttleBurstLimit": 0}},
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert property_errors(caught.value) == [
        ("scaling.maxReplicas", "'scaling.maxReplicas' must be >= 'scaling.minReplicas' (got 1 < 3)"),
        ("api.throttleBurstLimit", "'api.throttleBurstLimit' must be >= 1 (got 0)"),
    ]
    assert recording.registered == []


def test_release_with_invalid_inputs_creates_nothing(provider: Any, monitor: tuple[RecordingMonitor, str]) -> None:
    recording, address = monitor
    with pytest.raises(grpc.RpcError) as caught:
        construct(provider, address, "mlserving:index:ModelRelease", {"modelName": "Bad Name"})
    paths = [path for path, _ in property_errors(caught.value)]
    assert paths == ["platform", "version", "apiVersion", "artifact", "image"]
    assert recording.registered == []
