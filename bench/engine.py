"""A benchmark stand-in for the engine's side of Construct, and the provider process.

The provider is started the way the Pulumi python language host starts a plugin
(`RunPlugin`: `<virtualenv>/bin/python <plugin directory> <engine address>`, working
directory = the program's), prints its port, and answers real gRPC calls. The
stand-in engine answers what a Construct needs of the engine: feature checks,
RegisterResource (a preview: the inputs come back, computed outputs stay unknown),
RegisterResourceOutputs (kept, as the engine keeps them), `pulumi:pulumi:getResource`
(which a ModelRelease uses to read its platform), the three AWS account facts, and logs.
It is a test double for measuring the provider alone; the engine rows of the benchmark
use the real Pulumi CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import psutil  # type: ignore[import-untyped]
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
)

__all__ = [
    "ARCHIVE_SIG",
    "LAUNCHER",
    "PLATFORM_TOKEN",
    "RELEASE_TOKEN",
    "ROOT",
    "ProviderProcess",
    "StandInEngine",
    "platform_inputs",
    "release_inputs",
]

ROOT = Path(__file__).resolve().parents[1]
# Another copy of the provider (with schema.json beside its parent) to compare before/after.
PROVIDER_DIR = Path(os.environ.get("BENCH_PROVIDER_DIR", ROOT / "provider"))
# Its executable launcher: makes the plugin's venv when missing, then execs `python -u <dir>`.
LAUNCHER = PROVIDER_DIR / "pulumi-resource-mlserving"
PLATFORM_TOKEN = "mlserving:index:MLServingPlatform"
RELEASE_TOKEN = "mlserving:index:ModelRelease"
# Signatures of serialized special values (pulumi/sdk/go/common/resource/properties.go).
SPECIAL_SIG = "4dabf18193072939515e22adb298388d"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ACCOUNT = "123456789012"
REGION = "eu-west-1"
INVOKE_ANSWERS: dict[str, dict[str, Any]] = {
    "aws:index/getRegion:getRegion": {"region": REGION, "name": REGION, "id": REGION},
    "aws:index/getCallerIdentity:getCallerIdentity": {"accountId": ACCOUNT, "id": ACCOUNT},
    "aws:index/getPartition:getPartition": {"partition": "aws", "id": "aws"},
    "azure-native:authorization:getClientConfig": {
        "subscriptionId": "00000000-0000-0000-0000-000000000001",
        "tenantId": "00000000-0000-0000-0000-000000000002",
        "clientId": "00000000-0000-0000-0000-000000000003",
        "objectId": "00000000-0000-0000-0000-000000000004",
    },
}


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


@dataclass
class Monitor(resource_pb2_grpc.ResourceMonitorServicer):
    registered: list[str] = field(default_factory=list)
    outputs: dict[str, struct_pb2.Struct] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def SupportsFeature(self, request: Any, context: Any) -> Any:  # noqa: N802
        return resource_pb2.SupportsFeatureResponse(hasSupport=True)

    def RegisterResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        with self.lock:
            self.registered.append(request.type)
        urn = f"urn:pulumi:bench::bench::{request.type}::{request.name}"
        # A preview: the engine answers with the inputs; computed outputs stay unknown. An Azure ML
        # endpoint answers with its scoring URI too, as in the preview of a stack that has it (the
        # release's API needs it, and the stand-in engine cannot send an unknown inside an object).
        state = request.object
        if request.type == "azure-native:machinelearningservices:OnlineEndpoint":
            state = struct_pb2.Struct()
            state.CopyFrom(request.object)
            given = request.object.fields.get("endpointName")
            name = given.string_value if given is not None else request.name
            state["properties"] = {"scoringUri": f"https://{name}.westeurope.inference.ml.azure.com/score"}
        return resource_pb2.RegisterResourceResponse(urn=urn, id="", object=state)

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:  # noqa: N802
        with self.lock:
            self.outputs[request.urn] = request.outputs
        return empty_pb2.Empty()

    def RegisterPackage(self, request: Any, context: Any) -> Any:  # noqa: N802
        return resource_pb2.RegisterPackageResponse(ref=f"{request.name}-{request.version}")

    def Invoke(self, request: Any, context: Any) -> Any:  # noqa: N802
        if request.tok == "pulumi:pulumi:getResource":
            urn = request.args["urn"]
            with self.lock:
                state = self.outputs.get(urn)
            if state is None:  # as the engine does: an error, not a failure
                context.abort(grpc.StatusCode.UNKNOWN, f"unknown resource {urn}")
            result = struct_pb2.Struct()
            result["urn"] = urn
            result["id"] = ""
            result["state"] = state
            return _invoke_response(result)
        return _invoke_response(_struct(INVOKE_ANSWERS.get(request.tok, {})))


def _invoke_response(result: struct_pb2.Struct) -> Any:
    response = provider_pb2.InvokeResponse()
    getattr(response, "return").CopyFrom(result)  # `return` is a Python keyword
    return response


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.logs: list[tuple[int, str]] = []

    def Log(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.logs.append((request.severity, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return engine_pb2.SetRootResourceResponse()


class StandInEngine:
    """The engine's resource monitor and engine services on one local port."""

    def __init__(self) -> None:
        self.monitor = Monitor()
        self.engine = _Engine()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(self.monitor, self._server)
        engine_pb2_grpc.add_EngineServicer_to_server(self.engine, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"

    def __enter__(self) -> StandInEngine:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop(None)

    def platform_urn(self, name: str) -> str:
        return f"urn:pulumi:bench::bench::{PLATFORM_TOKEN}::{name}"


class ProviderProcess:
    """The provider plugin, with its start-up timings.

    By default started as the python language host's RunPlugin starts it (`<python> <plugin
    directory> <engine address>`, here with the repository's .venv); `command` replaces
    `<python> <plugin directory>`, e.g. with the executable launcher (`LAUNCHER`).
    """

    def __init__(
        self,
        engine_address: str,
        cwd: Path,
        args: tuple[str, ...] = (),
        env: Mapping[str, str] | None = None,
        command: tuple[str, ...] = (),
    ) -> None:
        python = ROOT / ".venv" / "bin" / "python"
        # As on a user's machine: bytecode is cached (__pycache__ is git-ignored).
        base = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_") and k != "PYTHONDONTWRITEBYTECODE"}
        command = command or (str(python if python.exists() else sys.executable), str(PROVIDER_DIR))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*command, *args, engine_address],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**base, **(env or {})},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        self.port_seconds = time.perf_counter() - self.started
        self.psutil = psutil.Process(self.process.pid)
        # The provider idles once its port is printed: this is its start-up CPU (with what a
        # launcher ran and waited for before its exec: sed, cksum, ...).
        self.port_cpu = self.cpu_seconds(children=True)
        self.last_cpu = 0.0
        if not line.isdigit():
            stderr = self.process.stderr.read().decode() if self.process.stderr else ""
            raise RuntimeError(f"the provider printed {line!r} instead of its port; stderr:\n{stderr}")
        self.channel = grpc.insecure_channel(
            f"127.0.0.1:{line}", options=[("grpc.max_receive_message_length", 1 << 30)]
        )
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def get_schema(self) -> float:
        """Seconds from spawn to the first GetSchema answer (call right after start)."""
        self.stub.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=60)
        return time.perf_counter() - self.started

    def construct(
        self,
        engine_address: str,
        token: str,
        name: str,
        inputs: Mapping[str, Any],
        dependencies: Mapping[str, list[str]] | None = None,
    ) -> float:
        """One Construct (a preview); returns its wall-clock seconds (its CPU: `last_cpu`)."""
        request = provider_pb2.ConstructRequest(
            project="bench",
            stack="bench",
            type=token,
            name=name,
            inputs=_struct(inputs),
            monitorEndpoint=engine_address,
            dryRun=True,
            parallel=16,
        )
        for key, urns in (dependencies or {}).items():
            request.inputDependencies[key].urns.extend(urns)
        cpu = self.cpu_seconds()
        begin = time.perf_counter()
        self.stub.Construct(request, timeout=300)
        elapsed = time.perf_counter() - begin
        self.last_cpu = self.cpu_seconds() - cpu
        return elapsed

    def cpu_seconds(self, children: bool = False) -> float:
        times = self.psutil.cpu_times()
        own = times.user + times.system
        return float(own + times.children_user + times.children_system if children else own)

    def rss(self) -> int:
        return int(self.psutil.memory_info().rss)

    def close(self) -> None:
        self.channel.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ProviderProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def platform_inputs(cloud: str) -> dict[str, Any]:
    """The example contract's platform (`ml`), for `cloud`."""
    inputs: dict[str, Any] = {
        "cloud": cloud,
        "tags": {"team": "ml-platform"},
        "cdn": {"inferenceCache": {"queryStringKeys": ["text"], "defaultTtlSeconds": 60}},
        "api": {"throttleRateLimit": 50, "throttleBurstLimit": 100},
    }
    if cloud == "azure":
        inputs["azure"] = {"location": "westeurope"}
    else:
        # Releases go up to v<n>: the platform states raised API Gateway stage and usage-plan quotas.
        inputs["api"]["stageQuota"] = 999
    return inputs


def release_inputs(platform_urn: str, model_dir: Path, index: int) -> dict[str, Any]:
    """Release `index` of a platform: the contract's sentiment-v1, on API version v<index>."""
    return {
        "platform": {SPECIAL_SIG: RESOURCE_REF_SIG, "urn": platform_urn, "packageVersion": ""},
        "modelName": "sentiment",
        "version": f"1.0.{index}",
        "apiVersion": f"v{index}",
        "artifact": {SPECIAL_SIG: ARCHIVE_SIG, "path": str(model_dir)},
        "image": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311",
    }
