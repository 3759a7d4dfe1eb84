"""A provider that survives bad calls: malformed Construct requests over real gRPC.

One provider process (started as the engine starts it) receives a series of malformed
Construct requests: an unknown token, wrong types, missing required inputs, platform
references that are not platforms, garbage struct values. Each gets a clear gRPC error
(exact status code and message, and the property paths the engine shows), registers
nothing, and the SAME process then serves a valid platform and a valid release.

The benchmark's stand-in engine (bench/engine.py) plays the engine's side of Construct: it
records every registration, keeps component outputs, and answers the invokes a construction
makes (`pulumi:pulumi:getResource` included, failing for an unknown URN as the engine does).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pytest
from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from bench.engine import Monitor, StandInEngine
from tests.contract.test_grpc import property_errors

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = "mlserving:index:MLServingPlatform"
RELEASE = "mlserving:index:ModelRelease"
PROJECT, STACK = "bench", "bench"  # the stand-in engine's URNs


def urn(typ: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{typ}::{name}"


@pytest.fixture(scope="module")
def engine() -> Iterator[tuple[Monitor, str]]:
    with StandInEngine() as standin:
        yield standin.monitor, standin.address


@pytest.fixture(scope="module")
def plugin(engine: tuple[Monitor, str]) -> Iterator[tuple[subprocess.Popen[str], Any]]:
    """One provider process for the whole module, as the engine runs it, warmed up by one platform
    (so the aws SDK is loaded, as in any real deployment, whatever order the tests run in)."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "provider" / "__main__.py"), "127.0.0.1:1"],
        cwd=ROOT / "provider",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    assert port.isdigit(), f"the provider printed {port!r}"
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    running = (process, provider_pb2_grpc.ResourceProviderStub(channel))
    construct(running, engine, PLATFORM, "ml", struct({"cloud": "aws"}))
    yield running
    channel.close()
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


def construct(plugin: Any, engine: tuple[Monitor, str], token: str, name: str, inputs: struct_pb2.Struct) -> Any:
    _, stub = plugin
    return stub.Construct(
        provider_pb2.ConstructRequest(
            project=PROJECT,
            stack=STACK,
            type=token,
            name=name,
            inputs=inputs,
            monitorEndpoint=engine[1],
            dryRun=True,
        ),
        timeout=120,
    )


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(values)
    return out


SIG = rpc._special_sig_key


def reference(to_urn: str) -> dict[str, Any]:
    """A resource reference as the engine sends it."""
    return {SIG: rpc._special_resource_sig, "urn": to_urn, "packageVersion": ""}


def release_inputs(model_dir: str, **overrides: Any) -> dict[str, Any]:
    return {
        "platform": reference(urn(PLATFORM, "ml")),
        "modelName": "fraud",
        "version": "1.0.0",
        "apiVersion": "v1",
        "artifact": {SIG: rpc._special_archive_sig, "path": model_dir},
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
        **overrides,
    }


UNKNOWN_TOKEN = (
    "unknown resource type mlserving:index:Nope; this provider constructs "
    "mlserving:index:MLServingPlatform, mlserving:index:ModelRelease"
)
NOT_PLAIN = "must be a plain value known before deployment (got an Output)"

# (id, token, inputs, status code, details, property errors)
BAD_CALLS: list[tuple[str, str, dict[str, Any], grpc.StatusCode, str | None, list[tuple[str, str]]]] = [
    ("unknown token", "mlserving:index:Nope", {"cloud": "aws"}, grpc.StatusCode.INVALID_ARGUMENT, UNKNOWN_TOKEN, []),
    (
        "wrong types",
        PLATFORM,
        {"cloud": 5, "scaling": "big", "tags": [1, 2]},
        grpc.StatusCode.INVALID_ARGUMENT,
        "invalid inputs for MLServingPlatform:\n"
        "  - 'cloud' must be one of 'aws', 'azure' (got 5.0)\n"
        "  - 'tags' must be a map (got list)\n"
        "  - 'scaling' must be an object (got 'big')",
        [
            ("cloud", "'cloud' must be one of 'aws', 'azure' (got 5.0)"),
            ("tags", "'tags' must be a map (got list)"),
            ("scaling", "'scaling' must be an object (got 'big')"),
        ],
    ),
    (
        "missing required",
        RELEASE,
        {},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [(p, f"'{p}' is required") for p in ("platform", "modelName", "version", "apiVersion", "artifact", "image")],
    ),
    (
        "secret where a plain value is needed",
        PLATFORM,
        {"cloud": {SIG: rpc._special_secret_sig, "value": "aws"}},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [("cloud", f"'cloud' {NOT_PLAIN}")],
    ),
    (
        "unknown where a plain value is needed",
        PLATFORM,
        {"cloud": rpc.UNKNOWN},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [("cloud", f"'cloud' {NOT_PLAIN}")],
    ),
    (
        "a release as the platform",
        RELEASE,
        {"platform": reference(urn(RELEASE, "other"))},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [
            (
                "platform",
                "'platform' must be a reference to an MLServingPlatform (got a reference to mlserving:index:ModelRelease)",
            )
        ],
    ),
    (
        "another package's resource as the platform",
        RELEASE,
        {"platform": reference(urn("aws:s3/bucket:Bucket", "b"))},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        # pulumi_aws, loaded by the platforms this process built, turns the reference into a Bucket.
        [("platform", "'platform' must be a reference to an MLServingPlatform (got Bucket)")],
    ),
    (
        "a platform the engine does not know",
        RELEASE,
        {"platform": reference(urn(PLATFORM, "gone"))},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [
            (
                "platform",
                "'platform' cannot read the platform urn:pulumi:bench::bench::mlserving:index:MLServingPlatform::gone: "
                "unknown resource urn:pulumi:bench::bench::mlserving:index:MLServingPlatform::gone",
            )
        ],
    ),
    (
        "a URN string as the platform",
        RELEASE,
        {"platform": urn(PLATFORM, "ml")},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [
            (
                "platform",
                "'platform' must be a reference to a MLServingPlatform "
                "(got 'urn:pulumi:bench::bench::mlserving:index:MLServingPlatform::ml')",
            )
        ],
    ),
    (
        "an asset without a path",
        RELEASE,
        {"artifact": {SIG: rpc._special_asset_sig, "text": "weights"}},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [
            (
                "artifact",
                "'artifact' must be a FileAsset (a model file or model.tar.gz) or a FileArchive "
                "(a model directory) (got StringAsset)",
            )
        ],
    ),
    (
        "a deeply nested garbage value",
        PLATFORM,
        {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": [[[[{"x": None}]]]]}}},
        grpc.StatusCode.INVALID_ARGUMENT,
        None,
        [("cdn.inferenceCache.headerKeys[0]", "'cdn.inferenceCache.headerKeys[0]' must be a string (got list)")],
    ),
]


@pytest.fixture
def model_dir(tmp_path: Path) -> str:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.bin").write_bytes(b"weights")
    return str(tmp_path / "model")


@pytest.mark.parametrize(
    ("token", "inputs", "code", "details", "errors"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_a_bad_call_gets_a_clear_error_and_the_process_serves_the_next_call(
    plugin: Any,
    engine: tuple[Monitor, str],
    model_dir: str,
    token: str,
    inputs: dict[str, Any],
    code: grpc.StatusCode,
    details: str | None,
    errors: list[tuple[str, str]],
) -> None:
    side, _ = engine
    before = len(side.registered)
    if token == RELEASE and inputs:
        inputs = release_inputs(model_dir, **inputs)
    with pytest.raises(grpc.RpcError) as caught:
        construct(plugin, engine, token, "bad", struct(inputs))
    assert caught.value.code() == code
    if details is not None:
        assert caught.value.details() == details
    assert "Traceback" not in caught.value.details()
    assert property_errors(caught.value) == errors
    assert side.registered[before:] == []
    # The same process serves the next, valid call.
    process, _ = plugin
    assert process.poll() is None
    response = construct(plugin, engine, PLATFORM, "ml", struct({"cloud": "aws"}))
    assert response.urn == urn(PLATFORM, "ml")
    assert side.registered[before] == PLATFORM


def test_a_garbage_signature_is_an_error_not_a_crash(plugin: Any, engine: tuple[Monitor, str]) -> None:
    """A struct the SDK cannot decode fails before the provider's code runs: still one clear error."""
    side, _ = engine
    before = len(side.registered)
    with pytest.raises(grpc.RpcError) as caught:
        construct(plugin, engine, PLATFORM, "bad", struct({"cloud": {SIG: "not-a-signature"}}))
    assert caught.value.code() == grpc.StatusCode.UNKNOWN
    assert caught.value.details().splitlines()[0] == (
        "Unexpected <class 'Exception'>: Unrecognized signature when unmarshalling resource property:"
    )
    assert side.registered[before:] == []
    assert plugin[0].poll() is None
    assert construct(plugin, engine, PLATFORM, "ml", struct({"cloud": "aws"})).urn == urn(PLATFORM, "ml")


def test_after_every_bad_call_a_platform_and_a_release_are_served(
    plugin: Any, engine: tuple[Monitor, str], model_dir: str
) -> None:
    side, _ = engine
    for _, token, inputs, *_ in BAD_CALLS:
        if token == RELEASE and inputs:
            inputs = release_inputs(model_dir, **inputs)
        with pytest.raises(grpc.RpcError):
            construct(plugin, engine, token, "bad", struct(inputs))
    construct(plugin, engine, PLATFORM, "ml", struct({"cloud": "aws"}))
    before = len(side.registered)
    response = construct(plugin, engine, RELEASE, "fraud-v1", struct(release_inputs(model_dir)))
    assert response.urn == urn(RELEASE, "fraud-v1")
    assert side.registered[before] == RELEASE
    assert "aws:sagemaker/endpoint:Endpoint" in side.registered[before:]
    assert plugin[0].poll() is None
