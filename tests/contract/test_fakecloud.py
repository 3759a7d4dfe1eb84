"""fakecloud (the test double of the aws / azure-native / random plugins) speaks the provider protocol.

Each stand-in is started through its launcher, as the engine starts it, and answers
real gRPC calls: the versions the SDKs ask for, configuration, checks with autonaming,
diffs with replacements, deterministic creates, updates, deletes, invokes and the
recording that the engine tests read.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import re
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

from tests.fakecloud import drift, install, kms, sdk
from tests.fakecloud.packages import plugin_versions
from tests.fakecloud.rules import GREEN_FLEET_LAUNCH_SECONDS, GZRS_REGIONS, RULES, ZRS_REGIONS, deployment_seconds
from tests.fakecloud.state import STATE_ENV, CloudState, Record
from tests.fakecloud.wire import SECRET_SIG, SIG, UNKNOWN, from_struct, secret, to_struct

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "tests" / "fakecloud" / "bin"
STACK = "urn:pulumi:dev::proj::"
Kind = provider_pb2.PropertyDiff


@dataclass
class Plugin:
    process: subprocess.Popen[str]
    stub: Any
    record: Path

    def calls(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.record.read_text().splitlines()]


def start(package: str, record: Path, state: Path | None = None) -> Plugin:
    env = {k: v for k, v in os.environ.items() if k != STATE_ENV}
    process = subprocess.Popen(
        [str(BIN / f"pulumi-resource-{package}"), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "FAKECLOUD_RECORD": str(record), **({STATE_ENV: str(state)} if state else {})},
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    assert port.isdigit(), f"pulumi-resource-{package} printed {port!r}"
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    return Plugin(process, provider_pb2_grpc.ResourceProviderStub(channel), record)


def stop(plugin: Plugin) -> int:
    plugin.process.send_signal(signal.SIGINT)
    code = plugin.process.wait(timeout=10)
    for stream in (plugin.process.stdout, plugin.process.stderr):
        if stream:
            stream.close()
    return code


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Plugin]]:
    folder = tmp_path_factory.mktemp("fakecloud")
    started = {package: start(package, folder / f"{package}.jsonl") for package in ("aws", "azure-native", "random")}
    yield started
    for plugin in started.values():
        if plugin.process.poll() is None:
            stop(plugin)


def urn(token: str, name: str) -> str:
    return f"{STACK}{token}::{name}"


def check(stub: Any, token: str, name: str, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    response = stub.Check(
        provider_pb2.CheckRequest(urn=urn(token, name), news=to_struct(news), olds=to_struct(olds or {}))
    )
    return from_struct(response.inputs)


def diff(stub: Any, token: str, name: str, olds: dict[str, Any], news: dict[str, Any], **kw: Any) -> Any:
    return stub.Diff(
        provider_pb2.DiffRequest(
            urn=urn(token, name), id="x", olds=to_struct(olds), old_inputs=to_struct(olds), news=to_struct(news), **kw
        )
    )


def create(
    stub: Any, token: str, name: str, inputs: dict[str, Any], preview: bool = False
) -> tuple[str, dict[str, Any]]:
    response = stub.Create(
        provider_pb2.CreateRequest(urn=urn(token, name), properties=to_struct(inputs), preview=preview)
    )
    return response.id, from_struct(response.properties)


# ---------------------------------------------------------------- plugin, schema, config


@pytest.mark.parametrize(
    ("package", "distribution"),
    [("aws", "pulumi-aws"), ("azure-native", "pulumi-azure-native"), ("random", "pulumi-random")],
)
def test_answers_to_the_version_the_sdk_asks_for(plugins: dict[str, Plugin], package: str, distribution: str) -> None:
    stub = plugins[package].stub
    version = importlib.metadata.version(distribution)
    assert stub.GetPluginInfo(empty_pb2.Empty()).version == version == plugin_versions()[package]
    schema = json.loads(stub.GetSchema(provider_pb2.GetSchemaRequest()).schema)
    assert schema == {
        "name": package,
        "version": version,
        "description": f"fakecloud: a test double of the {package} provider (nothing is created in any cloud)",
        "resources": {},
        "functions": {},
    }


def test_versions_are_the_pins_of_provider_requirements() -> None:
    assert plugin_versions() == {"aws": "7.51.1", "azure-native": "3.29.0", "random": "4.21.4"}


def test_handshake_and_configure_report_the_protocol_features(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    hand = stub.Handshake(provider_pb2.ProviderHandshakeRequest(engine_address="127.0.0.1:1"))
    assert (hand.accept_secrets, hand.accept_resources, hand.accept_outputs) == (True, True, False)
    config = {"region": "us-east-1", "skipCredentialsValidation": "true"}
    checked = stub.CheckConfig(
        provider_pb2.CheckRequest(urn=urn("pulumi:providers:aws", "default"), news=to_struct(config))
    )
    assert from_struct(checked.inputs) == config
    same = stub.DiffConfig(provider_pb2.DiffRequest(olds=to_struct(config), news=to_struct(config)))
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
    moved = stub.DiffConfig(
        provider_pb2.DiffRequest(olds=to_struct(config), news=to_struct({**config, "region": "eu-west-1"}))
    )
    assert (moved.changes, list(moved.diffs), list(moved.replaces)) == (
        provider_pb2.DiffResponse.DIFF_SOME,
        ["region"],
        [],
    )
    configured = stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config), acceptSecrets=True))
    assert (configured.acceptSecrets, configured.supportsPreview, configured.acceptResources) == (True, True, True)


# ---------------------------------------------------------------- check and diff


def test_check_names_a_new_resource_and_keeps_an_existing_name(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    bucket = "aws:s3/bucket:Bucket"
    first = check(stub, bucket, "ml-artifacts", {"forceDestroy": False})
    # The bridge lists the inputs it filled in `__defaults` (an explicit name is not in it).
    assert first == {"forceDestroy": False, "bucket": "ml-artifacts-ef00879", "__defaults": ["bucket"]}
    assert check(stub, bucket, "ml-artifacts", {"forceDestroy": False}) == first
    kept = check(stub, bucket, "ml-artifacts", {"forceDestroy": True}, olds=first)
    assert kept == {"forceDestroy": True, "bucket": "ml-artifacts-ef00879", "__defaults": ["bucket"]}
    # A replacement is checked without old inputs: new inputs, new name.
    assert check(stub, bucket, "ml-artifacts", {"forceDestroy": True})["bucket"] == "ml-artifacts-4303800"
    # The bridge names buckets in lowercase.
    assert re.fullmatch(r"ml-[0-9a-f]{7}", check(stub, bucket, "ML", {})["bucket"])
    given = check(
        stub, "aws:sagemaker/endpoint:Endpoint", "e", {"name": "mls-1-sentiment-v1", "endpointConfigName": "c"}
    )
    assert given == {"name": "mls-1-sentiment-v1", "endpointConfigName": "c", "__defaults": []}
    assert check(stub, "aws:kms/key:Key", "k", {"description": "d"}) == {"description": "d", "__defaults": []}


@pytest.mark.parametrize(
    ("package", "token", "olds", "news", "diffs", "replaces"),
    [
        (
            "aws",
            "aws:s3/bucket:Bucket",
            {"bucket": "b-1", "tags": {"a": "1"}},
            {"bucket": "b-1", "tags": {"a": "2"}},
            ["tags"],
            [],
        ),
        (
            "aws",
            "aws:s3/bucket:Bucket",
            {"bucket": "b-1", "tags": {"a": "1"}},
            {"bucket": "b-2", "tags": {"a": "1"}},
            ["bucket"],
            ["bucket"],
        ),
        (
            "aws",
            "aws:s3/bucketObjectv2:BucketObjectv2",
            {"bucket": "b", "key": "m/1"},
            {"bucket": "b", "key": "m/2"},
            ["key"],
            ["key"],
        ),
        (
            "aws",
            "aws:sagemaker/model:Model",
            {"name": "m", "tags": {"v": "1"}},
            {"name": "m", "tags": {"v": "2"}},
            ["tags"],
            [],
        ),
        (
            "aws",
            "aws:sagemaker/model:Model",
            {"name": "m", "primaryContainer": {"image": "a"}},
            {"name": "m", "primaryContainer": {"image": "b"}},
            ["primaryContainer"],
            ["primaryContainer"],
        ),
        (
            "aws",
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
            {"productionVariants": [{"modelName": "a"}]},
            {"productionVariants": [{"modelName": "b"}]},
            ["productionVariants"],
            ["productionVariants"],
        ),
        (
            "aws",
            "aws:sagemaker/endpoint:Endpoint",
            {"name": "e", "endpointConfigName": "c1"},
            {"name": "e", "endpointConfigName": "c2"},
            ["endpointConfigName"],
            [],
        ),
        ("aws", "aws:iam/role:Role", {"name": "r", "description": "a"}, {"name": "r"}, ["description"], []),
        (
            "aws",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            {"name": "a", "threshold": 1.0},
            {"name": "a", "threshold": 1.0},
            [],
            [],
        ),
        (
            "random",
            "random:index/randomPassword:RandomPassword",
            {"length": 40.0},
            {"length": 41.0},
            ["length"],
            ["length"],
        ),
        (
            "random",
            "random:index/randomId:RandomId",
            {"byteLength": 4.0},
            {"byteLength": 4.0, "keepers": {"k": "1"}},
            ["keepers"],
            ["keepers"],
        ),
        (
            "azure-native",
            "azure-native:storage:StorageAccount",
            {"accountName": "a", "location": "westeurope", "tags": {}},
            {"accountName": "a", "location": "northeurope", "tags": {}},
            ["location"],
            ["location"],
        ),
        (
            "azure-native",
            "azure-native:storage:StorageAccount",
            {"accountName": "a", "location": "westeurope", "tags": {}},
            {"accountName": "a", "location": "westeurope", "tags": {"t": "1"}},
            ["tags"],
            [],
        ),
        (
            "azure-native",
            "azure-native:machinelearningservices:ModelVersion",
            {"name": "sentiment", "version": "1.0.0", "workspaceName": "w"},
            {"name": "sentiment", "version": "1.1.0", "workspaceName": "w"},
            ["version"],
            ["version"],
        ),
        (
            "azure-native",
            "azure-native:cdn:AFDEndpoint",
            {"endpointName": "a", "profileName": "p"},
            {"endpointName": "b", "profileName": "p"},
            ["endpointName"],
            ["endpointName"],
        ),
    ],
)
def test_diff_reports_updates_and_replacements(
    plugins: dict[str, Plugin],
    package: str,
    token: str,
    olds: dict[str, Any],
    news: dict[str, Any],
    diffs: list[str],
    replaces: list[str],
) -> None:
    response = diff(plugins[package].stub, token, "r", olds, news)
    assert list(response.diffs) == diffs
    assert list(response.replaces) == replaces
    assert response.changes == (provider_pb2.DiffResponse.DIFF_SOME if diffs else provider_pb2.DiffResponse.DIFF_NONE)
    # Without `__defaults` the bridge takes a resource for autonamed (create, then delete); azure-native
    # deletes first unless it generated the name (rules AWS-4a and Azure-5, tested below).
    assert response.deleteBeforeReplace is (package == "azure-native" and bool(replaces))
    expected = {k: (Kind.UPDATE_REPLACE if k in replaces else Kind.UPDATE) for k in diffs if k in olds and k in news}
    expected |= {k: (Kind.ADD_REPLACE if k in replaces else Kind.ADD) for k in diffs if k not in olds}
    expected |= {k: (Kind.DELETE_REPLACE if k in replaces else Kind.DELETE) for k in diffs if k not in news}
    assert {k: v.kind for k, v in response.detailedDiff.items()} == expected


def test_diff_counts_an_unknown_as_a_change_and_honours_ignore_changes(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    olds = {"bucket": "b", "key": "k", "tags": {"a": "1"}}
    unknown = diff(stub, "aws:s3/bucketObjectv2:BucketObjectv2", "o", olds, {**olds, "key": UNKNOWN})
    assert (list(unknown.diffs), list(unknown.replaces)) == (["key"], ["key"])
    ignored = diff(
        stub, "aws:s3/bucketObjectv2:BucketObjectv2", "o", olds, {**olds, "tags": {}}, ignoreChanges=["tags"]
    )
    assert ignored.changes == provider_pb2.DiffResponse.DIFF_NONE


# ---------------------------------------------------------------- create, update, read, delete


def test_preview_create_returns_unknowns_for_what_the_cloud_computes(plugins: dict[str, Plugin]) -> None:
    rid, outputs = create(
        plugins["aws"].stub, "aws:s3/bucket:Bucket", "ml-artifacts", {"bucket": "ml-artifacts-ef00879"}, preview=True
    )
    assert rid == ""
    assert outputs == {
        "bucket": "ml-artifacts-ef00879",
        "arn": UNKNOWN,
        "bucketDomainName": UNKNOWN,
        "bucketRegionalDomainName": UNKNOWN,
        "hostedZoneId": UNKNOWN,
        "region": UNKNOWN,
    }


def test_create_derives_ids_arns_and_domains_from_type_and_name(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    rid, bucket = create(
        stub, "aws:s3/bucket:Bucket", "ml-artifacts", {"bucket": "ml-artifacts-ef00879", "tags": {"t": "1"}}
    )
    assert rid == "ml-artifacts-ef00879"
    assert bucket == {
        "bucket": "ml-artifacts-ef00879",
        "tags": {"t": "1"},
        "tagsAll": {"t": "1"},
        "arn": "arn:aws:s3:::ml-artifacts-ef00879",
        "bucketDomainName": "ml-artifacts-ef00879.s3.amazonaws.com",
        "bucketRegionalDomainName": "ml-artifacts-ef00879.s3.us-east-1.amazonaws.com",
        "hostedZoneId": "Z3AQBSTGFYJSTF",
        "region": "us-east-1",
    }
    dist_id, dist = create(stub, "aws:cloudfront/distribution:Distribution", "ml-cdn", {"enabled": True})
    assert re.fullmatch(r"E[A-Z0-9]{13}", dist_id)
    assert re.fullmatch(r"d[a-z0-9]{13}\.cloudfront\.net", dist["domainName"])
    assert dist["arn"] == f"arn:aws:cloudfront::123456789012:distribution/{dist_id}"
    # Another distribution of this URN (a replacement created first) is a new distribution (rule Draw).
    again_id, again = create(stub, "aws:cloudfront/distribution:Distribution", "ml-cdn", {"enabled": True})
    assert re.fullmatch(r"E[A-Z0-9]{13}", again_id)
    assert again_id != dist_id
    assert again["arn"] == f"arn:aws:cloudfront::123456789012:distribution/{again_id}"
    queue_id, queue = create(stub, "aws:sqs/queue:Queue", "q", {"name": "ml-release-events-1"})
    assert queue_id == queue["url"] == "https://sqs.us-east-1.amazonaws.com/123456789012/ml-release-events-1"
    assert queue["arn"] == "arn:aws:sqs:us-east-1:123456789012:ml-release-events-1"
    api_id, api = create(stub, "aws:apigateway/restApi:RestApi", "ml-api", {"name": "ml-api-1"})
    assert re.fullmatch(r"[a-z0-9]{10}", api_id)
    assert api["executionArn"] == f"arn:aws:execute-api:us-east-1:123456789012:{api_id}"
    _, stage = create(stub, "aws:apigateway/stage:Stage", "s", {"restApi": api_id, "stageName": "v2"})
    assert stage["invokeUrl"] == f"https://{api_id}.execute-api.us-east-1.amazonaws.com/v2"
    _, role = create(stub, "aws:iam/role:Role", "r", {"name": "ml-api-role-1"})
    assert role["arn"] == "arn:aws:iam::123456789012:role/ml-api-role-1"


def test_update_keeps_the_identity_and_refreshes_what_changes(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    token = "aws:s3/bucketObjectv2:BucketObjectv2"
    inputs = {"bucket": "b", "key": "models/m/1/model.tar.gz", "contentType": "application/gzip"}
    rid, created = create(stub, token, "artifact", inputs)
    news = {**inputs, "contentType": "application/x-tar"}
    updated = from_struct(
        stub.Update(
            provider_pb2.UpdateRequest(
                urn=urn(token, "artifact"),
                id=rid,
                olds=to_struct(created),
                news=to_struct(news),
                old_inputs=to_struct(inputs),
            )
        ).properties
    )
    assert updated["arn"] == created["arn"] == "arn:aws:s3:::b/models/m/1/model.tar.gz"
    assert updated["contentType"] == "application/x-tar"
    assert updated["versionId"] != created["versionId"]
    read = stub.Read(
        provider_pb2.ReadRequest(
            urn=urn(token, "artifact"), id=rid, properties=to_struct(updated), inputs=to_struct(news)
        )
    )
    assert (read.id, from_struct(read.properties), from_struct(read.inputs)) == (rid, updated, news)
    assert stub.Delete(provider_pb2.DeleteRequest(urn=urn(token, "artifact"), id=rid)) == empty_pb2.Empty()


def test_random_values_are_drawn_at_creation_and_the_password_stays_secret(plugins: dict[str, Plugin]) -> None:
    stub = plugins["random"].stub
    rid, suffix = create(stub, "random:index/randomId:RandomId", "ml-id", {"byteLength": 4.0})
    # The first RandomId of a URN draws what fakecloud always drew for it (rule Draw: later ones draw anew).
    assert suffix == {
        "byteLength": 4.0,
        "hex": "cacef125",
        "b64Url": "ys7xJQ",
        "b64Std": "ys7xJQ==",
        "dec": str(0xCACEF125),
    }
    assert rid == suffix["b64Url"]
    _, password = create(stub, "random:index/randomPassword:RandomPassword", "key", {"length": 40.0, "special": False})
    assert password["result"][SIG] == SECRET_SIG
    assert re.fullmatch(r"[A-Za-z0-9]{40}", password["result"]["value"])
    assert password["bcryptHash"][SIG] == SECRET_SIG


def test_azure_ids_name_the_subscription_group_and_resource(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    rid, account = create(
        stub,
        "azure-native:storage:StorageAccount",
        "ml-storage",
        {"accountName": "mlstore1", "resourceGroupName": "ml-rg", "location": "westeurope"},
    )
    assert (
        rid
        == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ml-rg/providers/Microsoft.Storage/storageAccounts/mlstore1"
    )
    assert account["primaryEndpoints"]["blob"] == "https://mlstore1.blob.core.windows.net/"
    _, blob = create(stub, "azure-native:storage:Blob", "artifact", {"blobName": "m/1/model.tar.gz", "type": "Block"})
    assert (blob["name"], blob["type"]) == ("m/1/model.tar.gz", "Block"), "an input is never overwritten"
    _, endpoint = create(
        stub,
        "azure-native:machinelearningservices:OnlineEndpoint",
        "ep",
        {"endpointName": "ep-1", "location": "West Europe", "properties": {"authMode": "Key"}},
    )
    # The scoring URI names the region as ARM does ("West Europe" is "westeurope").
    assert endpoint["properties"] == {
        "authMode": "Key",
        "scoringUri": "https://ep-1.westeurope.inference.ml.azure.com/score",
        "swaggerUri": "https://ep-1.westeurope.inference.ml.azure.com/swagger.json",
        "provisioningState": "Succeeded",
    }
    group_id, _ = create(stub, "azure-native:resources:ResourceGroup", "ml-rg", {"resourceGroupName": "ml-rg"})
    assert group_id == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ml-rg"


# ---------------------------------------------------------------- invokes


def test_invokes_answer_the_account_facts(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub

    def invoke(tok: str) -> dict[str, Any]:
        return from_struct(getattr(stub.Invoke(provider_pb2.InvokeRequest(tok=tok, args=to_struct({}))), "return"))

    assert invoke("aws:index/getCallerIdentity:getCallerIdentity") == {
        "accountId": "123456789012",
        "arn": "arn:aws:iam::123456789012:user/fakecloud",
        "id": "123456789012",
        "userId": "AIDAFAKECLOUDTESTDOUBLE",
    }
    assert invoke("aws:index/getPartition:getPartition")["partition"] == "aws"
    assert invoke("aws:index/getRegion:getRegion")["region"] == "us-east-1"
    with pytest.raises(grpc.RpcError) as missing:
        invoke("aws:index/getAmi:getAmi")
    assert missing.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert (
        missing.value.details()
        == "fakecloud (a test double of aws) does not implement the function aws:index/getAmi:getAmi"
    )
    client = getattr(
        plugins["azure-native"].stub.Invoke(
            provider_pb2.InvokeRequest(tok="azure-native:authorization:getClientConfig")
        ),
        "return",
    )
    assert from_struct(client)["subscriptionId"] == "00000000-0000-0000-0000-000000000000"
    keys = getattr(
        plugins["azure-native"].stub.Invoke(
            provider_pb2.InvokeRequest(
                tok="azure-native:machinelearningservices:listOnlineEndpointKeys",
                args=to_struct({"endpointName": "ep-1", "resourceGroupName": "rg", "workspaceName": "w"}),
            )
        ),
        "return",
    )
    assert sorted(from_struct(keys)) == ["primaryKey", "secondaryKey"]
    assert re.fullmatch(r"[0-9a-f]{32}", from_struct(keys)["primaryKey"])


def test_configured_region_is_used_by_arns_and_get_region(tmp_path: Path) -> None:
    plugin = start("aws", tmp_path / "aws.jsonl")
    try:
        plugin.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct({"region": secret("eu-west-1")})))
        region = getattr(plugin.stub.Invoke(provider_pb2.InvokeRequest(tok="aws:index/getRegion:getRegion")), "return")
        assert from_struct(region)["region"] == "eu-west-1"
        _, topic = create(plugin.stub, "aws:sns/topic:Topic", "alarms", {"name": "ml-alarms-1"})
        assert topic["arn"] == "arn:aws:sns:eu-west-1:123456789012:ml-alarms-1"
    finally:
        assert stop(plugin) == 0


# ---------------------------------------------------------------- recording and lifecycle


def test_every_call_is_recorded_with_secrets_masked(tmp_path: Path) -> None:
    plugin = start("random", tmp_path / "random.jsonl")
    try:
        stub = plugin.stub
        stub.GetPluginInfo(empty_pb2.Empty())
        check(stub, "random:index/randomPassword:RandomPassword", "key", {"length": 12.0})
        rid, _ = create(stub, "random:index/randomPassword:RandomPassword", "key", {"length": 12.0})
        stub.Delete(provider_pb2.DeleteRequest(urn=urn("random:index/randomPassword:RandomPassword", "key"), id=rid))
    finally:
        assert stop(plugin) == 0, "the plugin exits cleanly when the engine closes it (SIGINT)"
    calls = plugin.calls()
    assert [c["method"] for c in calls] == ["GetPluginInfo", "Check", "Create", "Delete"]
    assert {c["package"] for c in calls} == {"random"}
    created = calls[2]
    assert (created["type"], created["name"], created["preview"], created["id"]) == (
        "random:index/randomPassword:RandomPassword",
        "key",
        False,
        "none",
    )
    assert created["outputs"]["result"] == "[secret]"
    assert created["outputs"]["bcryptHash"] == "[secret]"


def test_install_links_launchers_where_the_cli_looks_and_removes_only_its_own(tmp_path: Path) -> None:
    made = install.install(tmp_path)
    assert sorted(p.name for p in made) == [
        "resource-aws-v7.51.1",
        "resource-azure-native-v3.29.0",
        "resource-random-v4.21.4",
    ]
    for directory in made:
        package = directory.name.removeprefix("resource-").rsplit("-v", 1)[0]
        launcher = directory / f"pulumi-resource-{package}"
        assert os.access(launcher, os.X_OK)
        assert launcher.resolve() == BIN / f"pulumi-resource-{package}"
        assert (directory / install.MARKER).read_text().startswith("This plugin is fakecloud, a test double")
        assert not Path(f"{directory}.partial").exists()
    real = tmp_path / "plugins" / "resource-aws-v7.50.0"
    real.mkdir()
    assert install.remove(tmp_path) == made
    assert [p.name for p in (tmp_path / "plugins").iterdir()] == ["resource-aws-v7.50.0"]
    (tmp_path / "plugins" / "resource-aws-v7.51.1").mkdir()
    with pytest.raises(SystemExit, match="holds a real plugin; fakecloud will not overwrite it"):
        install.install(tmp_path)


# ---------------------------------------------------------------- the cloud-rule table (rules.py)
#
# Each rule refuses what the real cloud or provider refuses, with its message, and lets a
# valid input through. `RULE_TESTS` (at the end) maps every rule of the table to its test.

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
ROLE = "aws:iam/role:Role"
REQUEST_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def stateful(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """aws and azure-native plugins sharing a cloud-side state directory (FAKECLOUD_STATE)."""
    folder = tmp_path_factory.mktemp("fakecloud-state")
    state = folder / "state"
    started = {package: start(package, folder / f"{package}.jsonl", state) for package in ("aws", "azure-native")}
    yield {**started, "state": state}
    for plugin in started.values():
        if plugin.process.poll() is None:
            stop(plugin)


def check_failures(
    stub: Any, token: str, name: str, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> list[str]:
    response = stub.Check(
        provider_pb2.CheckRequest(urn=urn(token, name), news=to_struct(news), olds=to_struct(olds or {}))
    )
    return [f.reason for f in response.failures]


def update(
    stub: Any,
    token: str,
    name: str,
    rid: str,
    olds: dict[str, Any],
    news: dict[str, Any],
    old_inputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = stub.Update(
        provider_pb2.UpdateRequest(
            urn=urn(token, name),
            id=rid,
            olds=to_struct(olds),
            news=to_struct(news),
            old_inputs=to_struct(old_inputs if old_inputs is not None else news),
        )
    )
    return from_struct(response.properties)


def read(stub: Any, token: str, name: str, rid: str, state: dict[str, Any], inputs: dict[str, Any]) -> Any:
    return stub.Read(
        provider_pb2.ReadRequest(urn=urn(token, name), id=rid, properties=to_struct(state), inputs=to_struct(inputs))
    )


def refusal(call: Any, *args: Any) -> str:
    """The message of a refused call (the real providers fail the call with it)."""
    with pytest.raises(grpc.RpcError) as error:
        call(*args)
    assert error.value.code() == grpc.StatusCode.UNKNOWN
    return str(error.value.details())


def deployment(kind: str, wait: float, size: float = 0, termination: float = 0, alarms: bool = True) -> dict[str, Any]:
    traffic: dict[str, Any] = {"type": kind, "waitIntervalInSeconds": wait}
    if kind == "CANARY":
        traffic["canarySize"] = {"type": "CAPACITY_PERCENT", "value": size}
    if kind == "LINEAR":
        traffic["linearStepSize"] = {"type": "CAPACITY_PERCENT", "value": size}
    config: dict[str, Any] = {
        "blueGreenUpdatePolicy": {"trafficRoutingConfiguration": traffic, "terminationWaitInSeconds": termination}
    }
    if alarms:
        config["autoRollbackConfiguration"] = {"alarms": [{"alarmName": "p99"}, {"alarmName": "errors"}]}
    return config


def endpoint_config(stub: Any, name: str, instance_type: str = "ml.m5.large", variant: str = "primary") -> None:
    variants = [{"variantName": variant, "modelName": "m", "instanceType": instance_type, "initialInstanceCount": 2.0}]
    create(stub, CONFIG, name, {"name": name, "productionVariants": variants})


def endpoint(stub: Any, name: str, config: str, deploy: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    inputs = {"name": name, "endpointConfigName": config, "deploymentConfig": deploy, "__defaults": []}
    rid, outputs = create(stub, ENDPOINT, name, inputs)
    return rid, inputs, outputs


def test_rule_table_rows_have_a_key_a_source_and_one_effect() -> None:
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys))
    for rule in RULES:
        assert rule.tokens, rule.key
        assert rule.packages, rule.key
        assert rule.summary.endswith("."), rule.key
        assert re.search(r"https://(github\.com|docs\.aws\.amazon\.com|learn\.microsoft\.com)/", rule.source), rule.key
    # A refusal is the first one the provider meets: names are validated before any API call.
    order = [rule.key for rule in RULES]
    assert order.index("AWS-7e") < order.index("AWS-7a")
    assert order.index("AWS-2") < order.index("AWS-1")


# ---------------------------------------------------------------- AWS-1: rollouts longer than the provider's wait


@pytest.mark.parametrize(
    ("deploy", "instance_type", "seconds"),
    [
        # launch (300) + steps x wait + termination wait
        (deployment("ALL_AT_ONCE", 600, termination=300), "ml.m5.large", 300 + 600 + 300),
        (deployment("CANARY", 600, 10), "ml.m5.large", 300 + 2 * 600),
        (deployment("LINEAR", 600, 10), "ml.m5.large", 300 + 10 * 600),
        (deployment("LINEAR", 300, 30), "ml.m5.large", 300 + 4 * 300),
        # Excluded from deployment guardrails: all at once, no final baking period.
        (deployment("LINEAR", 600, 10, termination=120), "ml.inf1.xlarge", 300 + 120),
        ({}, "ml.m5.large", 300),
    ],
)
def test_aws1_deployment_time_model(deploy: dict[str, Any], instance_type: str, seconds: int) -> None:
    assert GREEN_FLEET_LAUNCH_SECONDS == 300
    assert deployment_seconds(deploy, instance_type) == seconds


def test_aws1_a_rollout_longer_than_the_providers_wait_fails_its_update(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    for name, instance in (("aws1-a", "ml.m5.large"), ("aws1-b", "ml.m5.large"), ("aws1-inf", "ml.inf1.xlarge")):
        endpoint_config(stub, name, instance)
    rid, inputs, outputs = endpoint(stub, "aws1-ep", "aws1-a", deployment("CANARY", 600, 10))
    # Linear 10 % steps with the default 600 s wait: 300 + 10 x 600 s > 60 minutes.
    slow = {**inputs, "endpointConfigName": "aws1-b", "deploymentConfig": deployment("LINEAR", 600, 10)}
    assert refusal(update, stub, ENDPOINT, "aws1-ep", rid, outputs, slow) == (
        "waiting for SageMaker AI Endpoint (aws1-ep) update: timeout while waiting for state to become "
        "'InService' (last state: 'Updating', timeout: 1h0m0s)"
    )
    # SageMaker goes on deploying: the cloud ends on the new configuration, which a refresh reads.
    assert (
        from_struct(read(stub, ENDPOINT, "aws1-ep", rid, outputs, inputs).properties)["endpointConfigName"] == "aws1-b"
    )
    # Just inside: all at once, 300 s launch + 3300 s baking = 3600 s.
    edge = {**inputs, "endpointConfigName": "aws1-a", "deploymentConfig": deployment("ALL_AT_ONCE", 3300)}
    assert update(stub, ENDPOINT, "aws1-ep", rid, outputs, edge)["endpointConfigName"] == "aws1-a"
    over = {**edge, "endpointConfigName": "aws1-b", "deploymentConfig": deployment("ALL_AT_ONCE", 3301)}
    assert "timeout: 1h0m0s" in refusal(update, stub, ENDPOINT, "aws1-ep", rid, {**outputs, **edge}, over)
    # A canary with the default wait fits; ml.inf1 falls back to all at once, so a linear rollout fits too.
    rid2, inputs2, outputs2 = endpoint(stub, "aws1-ep2", "aws1-a", deployment("CANARY", 600, 10))
    canary = {**inputs2, "endpointConfigName": "aws1-b"}
    assert update(stub, ENDPOINT, "aws1-ep2", rid2, outputs2, canary)["endpointConfigName"] == "aws1-b"
    inf1 = {**inputs2, "endpointConfigName": "aws1-inf", "deploymentConfig": deployment("LINEAR", 600, 10)}
    assert update(stub, ENDPOINT, "aws1-ep2", rid2, {**outputs2, **canary}, inf1)["endpointConfigName"] == "aws1-inf"
    # Only an update deploys: CreateEndpoint does not run the blue/green policy.
    assert endpoint(stub, "aws1-ep3", "aws1-a", deployment("LINEAR", 600, 10))[2]["endpointConfigName"] == "aws1-a"


# ---------------------------------------------------------------- AWS-2: the alarm rollback and the deleted configuration


def test_aws2_a_rollback_keeps_the_old_configuration_whose_deletion_fails_the_next_update(
    stateful: dict[str, Any],
) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    for name in ("aws2-1", "aws2-2", "aws2-3"):
        endpoint_config(stub, name)
    rid, inputs, outputs = endpoint(stub, "aws2-ep", "aws2-1", deployment("CANARY", 600, 10))
    assert drift.main(["--state", str(state), "alarm", "aws2-ep"]) == 0
    news = {**inputs, "endpointConfigName": "aws2-2"}
    rolled = update(stub, ENDPOINT, "aws2-ep", rid, outputs, news)
    # The update "succeeds", InService on the OLD configuration (the provider reads it back).
    assert rolled["endpointConfigName"] == "aws2-1"
    assert not (state / "alarms" / "aws2-ep").exists(), "the alarm fired during that deployment"
    # The bridge diffs the state with the program, so the rollback shows as a change.
    again = stub.Diff(
        provider_pb2.DiffRequest(
            urn=urn(ENDPOINT, "aws2-ep"),
            id=rid,
            olds=to_struct(rolled),
            old_inputs=to_struct(news),
            news=to_struct(news),
        )
    )
    assert (list(again.diffs), list(again.replaces)) == (["endpointConfigName"], [])
    # Pulumi deletes the replaced configuration: AWS lets it (DeleteEndpointConfig of one in use succeeds) ...
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(CONFIG, "aws2-1"), id="aws2-1"))
    # ... and the endpoint's next update fails.
    message = refusal(update, stub, ENDPOINT, "aws2-ep", rid, rolled, {**inputs, "endpointConfigName": "aws2-3"})
    assert re.fullmatch(
        r"updating SageMaker AI Endpoint \(aws2-ep\): operation error SageMaker: UpdateEndpoint, https response "
        rf"error StatusCode: 400, RequestID: {REQUEST_ID}, api error ValidationException: Could not find endpoint "
        r'configuration "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/aws2-1"\.',
        message,
    ), message


def test_aws2_without_an_alarm_the_old_configuration_can_go(stateful: dict[str, Any]) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    for name, instance in (("aws2v-1", "ml.m5.large"), ("aws2v-2", "ml.m5.large"), ("aws2v-3", "ml.inf1.xlarge")):
        endpoint_config(stub, name, instance)
    rid, inputs, outputs = endpoint(stub, "aws2v-ep", "aws2v-1", deployment("CANARY", 600, 10, alarms=False))
    # An alarm SageMaker does not watch (no auto-rollback configuration) rolls nothing back.
    drift.main(["--state", str(state), "alarm", "aws2v-ep"])
    moved = update(stub, ENDPOINT, "aws2v-ep", rid, outputs, {**inputs, "endpointConfigName": "aws2v-2"})
    assert moved["endpointConfigName"] == "aws2v-2"
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(CONFIG, "aws2v-1"), id="aws2v-1"))
    # Nor on ml.inf1, which deployment guardrails exclude (no baking period, no alarm watch).
    drift.main(["--state", str(state), "alarm", "aws2v-ep"])
    guarded = {**inputs, "endpointConfigName": "aws2v-3", "deploymentConfig": deployment("CANARY", 600, 10)}
    assert update(stub, ENDPOINT, "aws2v-ep", rid, moved, guarded)["endpointConfigName"] == "aws2v-3"


def test_aws2b_a_blue_green_update_keeps_the_variant_name(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    endpoint_config(stub, "aws2b-1", variant="primary")
    endpoint_config(stub, "aws2b-2", variant="green")
    endpoint_config(stub, "aws2b-3", variant="primary")
    rid, inputs, outputs = endpoint(stub, "aws2b-ep", "aws2b-1", deployment("ALL_AT_ONCE", 0))
    assert refusal(update, stub, ENDPOINT, "aws2b-ep", rid, outputs, {**inputs, "endpointConfigName": "aws2b-2"}) == (
        "fakecloud AWS-2b (a paraphrase: the cloud's exact error text is not published): a blue/green update needs "
        "the new endpoint configuration to have the variant name of the old one (old 'primary', new 'green')"
    )
    assert update(stub, ENDPOINT, "aws2b-ep", rid, outputs, {**inputs, "endpointConfigName": "aws2b-3"})["arn"]


# ---------------------------------------------------------------- AWS-4: replacements


def test_aws4a_the_bridge_deletes_first_a_resource_whose_name_is_explicit(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    explicit = {"name": "ml-api-role", "path": "/a/", "__defaults": []}
    moved = diff(stub, ROLE, "r", explicit, {**explicit, "path": "/b/"})
    assert (list(moved.replaces), moved.deleteBeforeReplace) == (["path"], True)
    autonamed = {"name": "r-1234567", "path": "/a/", "__defaults": ["name"]}
    moved = diff(stub, ROLE, "r", autonamed, {**autonamed, "path": "/b/"})
    assert (list(moved.replaces), moved.deleteBeforeReplace) == (["path"], False)
    # No replacement, no deletion.
    tagged = diff(stub, ROLE, "r", explicit, {**explicit, "tags": {"a": "1"}})
    assert (list(tagged.replaces), tagged.deleteBeforeReplace) == ([], False)
    # A SageMaker endpoint with its name set: toggling auto-rollback takes it down first.
    olds = {
        "name": "ep",
        "endpointConfigName": "c",
        "deploymentConfig": deployment("CANARY", 600, 10),
        "__defaults": [],
    }
    news = {**olds, "deploymentConfig": deployment("CANARY", 600, 10, alarms=False)}
    toggled = diff(stub, ENDPOINT, "ep", olds, news)
    assert (list(toggled.replaces), toggled.deleteBeforeReplace) == (["deploymentConfig"], True)


def test_aws4b_auto_rollback_configuration_is_force_new(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    olds = {
        "name": "ep",
        "endpointConfigName": "c",
        "deploymentConfig": deployment("CANARY", 600, 10),
        "__defaults": [],
    }
    other_alarms = deployment("CANARY", 600, 10)
    other_alarms["autoRollbackConfiguration"] = {"alarms": [{"alarmName": "p99"}]}
    replaced = diff(stub, ENDPOINT, "ep", olds, {**olds, "deploymentConfig": other_alarms})
    assert (list(replaced.diffs), list(replaced.replaces)) == (["deploymentConfig"], ["deploymentConfig"])
    assert replaced.detailedDiff["deploymentConfig"].kind == Kind.UPDATE_REPLACE
    # The traffic routing is not ForceNew: an update in place.
    slower = diff(stub, ENDPOINT, "ep", olds, {**olds, "deploymentConfig": deployment("CANARY", 900, 10)})
    assert (list(slower.diffs), list(slower.replaces)) == (["deploymentConfig"], [])
    moved = diff(stub, ENDPOINT, "ep", olds, {**olds, "endpointConfigName": "c2"})
    assert (list(moved.diffs), list(moved.replaces)) == (["endpointConfigName"], [])


def test_aws4c_sagemaker_models_and_configurations_replace_on_all_but_tags(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    for token, key, old, new in (
        (MODEL, "executionRoleArn", "arn:a", "arn:b"),
        (CONFIG, "productionVariants", [{"variantName": "primary"}], [{"variantName": "primary", "modelName": "m2"}]),
    ):
        olds = {"name": "x", key: old, "tags": {"v": "1"}, "__defaults": []}
        replaced = diff(stub, token, "x", olds, {**olds, key: new})
        assert (list(replaced.replaces), replaced.deleteBeforeReplace) == ([key], True)
        tagged = diff(stub, token, "x", olds, {**olds, "tags": {"v": "2"}})
        assert (list(tagged.diffs), list(tagged.replaces)) == (["tags"], [])


# ---------------------------------------------------------------- AWS-6: cache policies with caching disabled


def cache_policy(
    ttl: float, headers: str = "none", cookies: str = "none", query: str = "none", gzip: bool = False
) -> dict[str, Any]:
    return {
        "name": "ml-inference-cache-1",
        "minTtl": 0.0,
        "defaultTtl": ttl,
        "maxTtl": ttl,
        "parametersInCacheKeyAndForwardedToOrigin": {
            "headersConfig": {
                "headerBehavior": headers,
                **({"headers": {"items": ["x-api-key"]}} if headers != "none" else {}),
            },
            "cookiesConfig": {"cookieBehavior": cookies},
            "queryStringsConfig": {"queryStringBehavior": query},
            "enableAcceptEncodingGzip": gzip,
            "enableAcceptEncodingBrotli": gzip,
        },
    }


@pytest.mark.parametrize(
    ("inputs", "parameter"),
    [
        (cache_policy(0, headers="whitelist", gzip=True), "HeaderBehavior"),
        (cache_policy(0, cookies="all"), "CookieBehavior"),
        (cache_policy(0, query="all"), "QueryStringBehavior"),
        (cache_policy(0, gzip=True), "EnableAcceptEncodingGzip"),
    ],
)
def test_aws6_a_cache_policy_with_caching_disabled_refuses_a_cache_key(
    plugins: dict[str, Plugin], inputs: dict[str, Any], parameter: str
) -> None:
    stub = plugins["aws"].stub
    token = "aws:cloudfront/cachePolicy:CachePolicy"
    assert check_failures(stub, token, "cp", inputs) == [], "Terraform's validation lets it through: preview passes"
    message = refusal(create, stub, token, "cp", inputs)
    assert re.fullmatch(
        r"creating CloudFront Cache Policy \(ml-inference-cache-1\): operation error CloudFront: CreateCachePolicy, "
        rf"https response error StatusCode: 400, RequestID: {REQUEST_ID}, InvalidArgument: The parameter "
        rf"{parameter} is invalid for policy with caching disabled\.",
        message,
    ), message


def test_aws6_caching_disabled_with_an_empty_key_or_a_ttl_passes(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    token = "aws:cloudfront/cachePolicy:CachePolicy"
    assert create(stub, token, "cp", cache_policy(0))[0]
    rid, outputs = create(stub, token, "cp", cache_policy(1, headers="whitelist", gzip=True))
    # Dropping the TTLs to 0 later is refused by UpdateCachePolicy.
    message = refusal(update, stub, token, "cp", rid, outputs, cache_policy(0, headers="whitelist"))
    assert message.startswith(
        f"updating CloudFront Cache Policy ({rid}): operation error CloudFront: UpdateCachePolicy"
    )
    assert message.endswith(
        "InvalidArgument: The parameter HeaderBehavior is invalid for policy with caching disabled."
    )


# ---------------------------------------------------------------- AWS-7: physical names


@pytest.mark.parametrize("token", [MODEL, CONFIG, ENDPOINT])
def test_aws7a_sagemaker_names_fail_terraform_validation(plugins: dict[str, Plugin], token: str) -> None:
    stub = plugins["aws"].stub
    extra: dict[str, Any] = {"endpointConfigName": "cfg"} if token == ENDPOINT else {}
    extra |= {"executionRoleArn": "arn:r"} if token == MODEL else {}
    extra |= {"productionVariants": [{"variantName": "primary"}]} if token == CONFIG else {}
    assert check_failures(stub, token, "x", {"name": "mls-1-sentiment-v1", **extra}) == []
    assert check_failures(stub, token, "x", {"name": "ml_1", **extra}) == [
        'only alphanumeric characters and hyphens allowed in "name": "ml_1". Examine values at \'x.name\'.'
    ]
    long = "a" * 64
    assert check_failures(stub, token, "x", {"name": long, **extra}) == [
        f'"name" cannot be longer than 63 characters: "{long}". Examine values at \'x.name\'.'
    ]
    assert check_failures(stub, token, "x", {"name": "-a", **extra}) == [
        '"name" cannot begin with a hyphen: "-a". Examine values at \'x.name\'.'
    ]
    # An autonamed name too long for SageMaker gets past the autonamer (255) and fails validation.
    urn_name = "a-sentiment-release-with-a-long-name-under-a-platform-with-one-too"
    named = check(stub, token, urn_name, extra)["name"]
    assert check_failures(stub, token, urn_name, extra) == [
        f'"name" cannot be longer than 63 characters: "{named}". Examine values at \'{urn_name}.name\'.'
    ]
    if token == ENDPOINT:
        assert check_failures(stub, token, "x", {"name": "e", "endpointConfigName": "c_1"}) == [
            'only alphanumeric characters and hyphens allowed in "endpoint_config_name": "c_1". '
            "Examine values at 'x.endpointConfigName'."
        ]
    if token == CONFIG:
        prefix = "p" * 38
        assert check_failures(stub, token, "x", {"namePrefix": prefix, **extra}) == [
            f'"name_prefix" cannot be longer than 37 characters: "{prefix}". Examine values at \'x.namePrefix\'.'
        ]


def test_aws7b_sagemaker_refuses_a_trailing_hyphen_when_it_creates(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    inputs = {"name": "mls-1-", "endpointConfigName": "cfg"}
    assert check_failures(stub, ENDPOINT, "e", inputs) == [], "Terraform's validName allows it"
    message = refusal(create, stub, ENDPOINT, "e", inputs)
    assert re.fullmatch(
        r"creating SageMaker AI Endpoint \(mls-1-\): operation error SageMaker: CreateEndpoint, https response error "
        rf"StatusCode: 400, RequestID: {REQUEST_ID}, api error ValidationException: 1 validation error detected: "
        r"Value 'mls-1-' at 'endpointName' failed to satisfy constraint: Member must satisfy regular expression "
        r"pattern: \^\[a-zA-Z0-9\]\(-\*\[a-zA-Z0-9\]\)\{0,62\}",
        message,
    ), message
    model = refusal(create, stub, MODEL, "m", {"name": "m-", "executionRoleArn": "arn:r"})
    assert model.startswith("creating SageMaker AI model: operation error SageMaker: CreateModel")
    assert "Value 'm-' at 'modelName'" in model
    assert create(stub, ENDPOINT, "e", {"name": "mls--1", "endpointConfigName": "cfg"})[0] == "mls--1"


def test_aws7c_event_archive_names(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    token = "aws:cloudwatch/eventArchive:EventArchive"
    assert check_failures(stub, token, "a", {"name": "ml.events_archive-1", "eventSourceArn": "arn:b"}) == []
    long = "a" * 49
    assert check_failures(stub, token, "a", {"name": long, "eventSourceArn": "arn:b"}) == [
        f"expected length of name to be in the range (1 - 48), got {long}. Examine values at 'a.name'."
    ]
    assert check_failures(stub, token, "a", {"name": "ml archive", "eventSourceArn": "arn:b"}) == [
        'expected value of name to match regular expression "^[\\\\.\\\\-_A-Za-z0-9]+$", got ml archive. '
        "Examine values at 'a.name'."
    ]
    # Autonamed from a long component name: `<URN name>-<7 hex>` is more than 48.
    urn_name = "a-platform-with-a-rather-long-name-events-archive"
    named = check(stub, token, urn_name, {"eventSourceArn": "arn:b"})["name"]
    assert check_failures(stub, token, urn_name, {"eventSourceArn": "arn:b"}) == [
        f"expected length of name to be in the range (1 - 48), got {named}. Examine values at '{urn_name}.name'."
    ]


def test_aws7d_iam_role_names(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    policy = {"assumeRolePolicy": "{}"}
    assert check_failures(stub, ROLE, "r", {"name": "ml+api=role,1.@-_", **policy}) == []
    long = "r" * 65
    assert check_failures(stub, ROLE, "r", {"name": long, **policy}) == [
        f"expected length of name to be in the range (1 - 64), got {long}. Examine values at 'r.name'."
    ]
    assert check_failures(stub, ROLE, "r", {"name": "ml role", **policy}) == [
        "invalid value for name (must match [\\w+=,.@-]). Examine values at 'r.name'."
    ]
    prefix = "p" * 39
    assert check_failures(stub, ROLE, "r", {"namePrefix": prefix, **policy}) == [
        f"expected length of name_prefix to be in the range (1 - 38), got {prefix}. Examine values at 'r.namePrefix'."
    ]


def test_aws7e_the_autonamer_refuses_a_name_without_room_for_its_suffix(plugins: dict[str, Plugin]) -> None:
    stub = plugins["aws"].stub
    policy = {"assumeRolePolicy": "{}"}
    fits = "r" * 56  # 56 + "-" + 7 = 64
    assert check_failures(stub, ROLE, fits, policy) == []
    too_long = "r" * 57
    # The bridge gives up at naming: Terraform's validation is not reached.
    assert check_failures(stub, ROLE, too_long, policy) == [
        f"name '{too_long}-' plus 7 random chars is longer than maximum length 64"
    ]


# ---------------------------------------------------------------- Azure


APIM = "azure-native:apimanagement:ApiManagementService"
SECURITY = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security"


def apim(sku: str, props: list[str], service: str = "mlapi1") -> dict[str, Any]:
    return {
        "serviceName": service,
        "resourceGroupName": "rg",
        "publisherEmail": "a@b.c",
        "publisherName": "p",
        "sku": {"name": sku, "capacity": 0.0},
        "customProperties": dict.fromkeys(props, "false"),
    }


def test_azure1_api_management_consumption_refuses_ssl30_and_cipher_properties(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    refused = [f"{SECURITY}.Protocols.Ssl30", f"{SECURITY}.Ciphers.TripleDes168", f"{SECURITY}.Protocols.Tls10"]
    assert check_failures(stub, APIM, "api", apim("Consumption", refused)) == []
    assert refusal(create, stub, APIM, "api", apim("Consumption", refused)) == (
        f'Status=400 Code="NotSupported" Message="\'{SECURITY}.Ciphers.TripleDes168,{SECURITY}.Protocols.Ssl30\' '
        'customProperties are not supported in SkuType Consumption."'
    )
    accepted = [f"{SECURITY}.{side}.{p}" for side in ("Protocols", "Backend.Protocols") for p in ("Tls10", "Tls11")]
    assert create(stub, APIM, "api", apim("Consumption", [*accepted, f"{SECURITY}.Backend.Protocols.Ssl30"]))[0]
    # Another service: Azure still holds mlapi1 (rule Azure-6).
    assert create(stub, APIM, "api2", apim("Developer", refused, service="mlapi2"))[0]


def test_azure2_an_ml_model_version_is_a_positive_integer(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    token = "azure-native:machinelearningservices:ModelVersion"
    base = {"name": "sentiment", "resourceGroupName": "rg", "workspaceName": "ws1", "properties": {"modelUri": "u"}}
    for bad in ("2.0.0-1a2b3c4d", "0", "v2"):
        assert refusal(create, stub, token, "mv", {**base, "version": bad}) == (
            "fakecloud Azure-2 (a paraphrase: the cloud's exact error text is not published): an Azure ML model "
            f"version must be a positive integer (got {bad!r})"
        )
    rid, _ = create(stub, token, "mv", {**base, "version": "3"})
    assert rid.endswith("/sentiment/versions/3")


AFD_GROUP = "azure-native:cdn:AFDOriginGroup"
MI = {"type": "SystemAssignedIdentity", "scope": "https://storage.azure.com/.default"}


def origin_group(name: str, authentication: bool, probe: str | None) -> dict[str, Any]:
    inputs: dict[str, Any] = {"originGroupName": name, "profileName": "p", "resourceGroupName": "rg"}
    if authentication:
        inputs["authentication"] = MI
    if probe:
        inputs["healthProbeSettings"] = {"probeProtocol": probe, "probePath": "/", "probeRequestType": "HEAD"}
    return inputs


def test_azure3a_managed_identity_origin_authentication_needs_an_https_probe(stateful: dict[str, Any]) -> None:
    stub = stateful["azure-native"].stub
    for probe in (None, "Http"):
        assert refusal(create, stub, AFD_GROUP, "g", origin_group("g3a", True, probe)) == (
            "fakecloud Azure-3a (a paraphrase: the cloud's exact error text is not published): origin authentication "
            "with a managed identity needs the origin group's health probe protocol set to 'Https' "
            f"(healthProbeSettings.probeProtocol is {probe!r})"
        )
    assert create(stub, AFD_GROUP, "g", origin_group("g3a", True, "Https"))[0]
    assert create(stub, AFD_GROUP, "g", origin_group("g3a-plain", False, None))[0]


def test_azure3b_a_route_to_it_forwards_https_only(stateful: dict[str, Any]) -> None:
    stub = stateful["azure-native"].stub
    authenticated, _ = create(stub, AFD_GROUP, "g3b", origin_group("g3b", True, "Https"))
    plain, _ = create(stub, AFD_GROUP, "g3b-plain", origin_group("g3b-plain", False, None))
    route = {"routeName": "r", "endpointName": "e", "profileName": "p", "resourceGroupName": "rg"}
    for protocol in (None, "MatchRequest", "HttpOnly"):
        inputs = {
            **route,
            "originGroup": {"id": authenticated},
            **({"forwardingProtocol": protocol} if protocol else {}),
        }
        assert refusal(create, stub, "azure-native:cdn:Route", "r", inputs) == (
            "fakecloud Azure-3b (a paraphrase: the cloud's exact error text is not published): a route to an origin "
            "group with managed-identity authentication must forward with 'HttpsOnly' "
            f"(forwardingProtocol is {protocol or 'MatchRequest'!r})"
        )
    assert create(
        stub,
        "azure-native:cdn:Route",
        "r",
        {**route, "originGroup": {"id": authenticated}, "forwardingProtocol": "HttpsOnly"},
    )[0]
    assert create(
        stub,
        "azure-native:cdn:Route",
        "r2",
        {**route, "routeName": "r2", "originGroup": {"id": plain}, "forwardingProtocol": "MatchRequest"},
    )[0]


def test_azure3c_a_route_configuration_override_to_it_forwards_https_only(stateful: dict[str, Any]) -> None:
    stub = stateful["azure-native"].stub
    authenticated, _ = create(stub, AFD_GROUP, "g3c", origin_group("g3c", True, "Https"))
    rule = {"ruleName": "r", "ruleSetName": "s", "profileName": "p", "resourceGroupName": "rg", "order": 1.0}

    def override(protocol: str | None) -> dict[str, Any]:
        parameters: dict[str, Any] = {"typeName": "DeliveryRuleRouteConfigurationOverrideActionParameters"}
        if protocol:
            parameters["originGroupOverride"] = {"originGroup": {"id": authenticated}, "forwardingProtocol": protocol}
        return {**rule, "actions": [{"name": "RouteConfigurationOverride", "parameters": parameters}]}

    assert refusal(create, stub, "azure-native:cdn:Rule", "r", override("HttpOnly")) == (
        "fakecloud Azure-3c (a paraphrase: the cloud's exact error text is not published): actions[0] overrides the "
        "route to an origin group with managed-identity authentication, so it must forward with 'HttpsOnly' "
        "(forwardingProtocol is 'HttpOnly')"
    )
    assert create(stub, "azure-native:cdn:Rule", "r", override("HttpsOnly"))[0]
    cache_only = {**override(None), "ruleName": "r2"}
    assert create(stub, "azure-native:cdn:Rule", "r2", cache_only)[0], "a cache-only override keeps the route's"


def test_azure4_a_role_assignment_needs_a_principal_id(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    token = "azure-native:authorization:RoleAssignment"
    base = {"principalType": "ServicePrincipal", "roleDefinitionId": "/r", "scope": "/s"}
    assert refusal(create, stub, token, "ra", {**base, "principalId": ""}) == (
        'Status=400 Code="InvalidPrincipalId" Message="A valid principal ID must be provided for role assignment."'
    )
    assert create(stub, token, "ra", {**base, "principalId": "5f2c1c53-0bbe-4b1f-9a9b-7c0e7f3e9d21"})[0]


def test_azure5_azure_native_deletes_first_unless_it_generated_the_name(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    token = "azure-native:cdn:AFDEndpoint"
    named = {"endpointName": "ml-cdn", "profileName": "p", "resourceGroupName": "rg", "location": "Global"}
    moved = diff(stub, token, "e", named, {**named, "profileName": "p2"})
    assert (list(moved.replaces), moved.deleteBeforeReplace) == (["profileName"], True)
    generated = {**named, "endpointName": "e1a2b3c4d", "__createBeforeDelete": True}
    moved = diff(stub, token, "e", generated, {**generated, "profileName": "p2"})
    assert (list(moved.replaces), moved.deleteBeforeReplace) == (["profileName"], False)
    tagged = diff(stub, token, "e", named, {**named, "tags": {"a": "1"}})
    assert (list(tagged.replaces), tagged.deleteBeforeReplace) == ([], False)


def test_required_inputs_come_from_the_sdk_signatures(plugins: dict[str, Plugin]) -> None:
    # The SDKs' own signatures, not our code: pulumi_aws.sagemaker.EndpointArgs(*, endpoint_config_name, ...).
    assert sdk.required_inputs("aws", ENDPOINT) == ["endpointConfigName"]
    assert sdk.required_inputs("azure-native", "azure-native:cdn:Route") == [
        "endpointName",
        "profileName",
        "resourceGroupName",
    ]
    assert sdk.required_inputs("random", "random:index/randomId:RandomId") == ["byteLength"]
    # The resource's own Args class, not a nested input type of the same name (the SDK then calls it InitArgs).
    sse = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    assert sdk.required_inputs("aws", sse) == ["bucket", "rules"]
    assert sdk.required_inputs("azure-native", "azure-native:monitor:ActionGroup") == [
        "groupShortName",
        "resourceGroupName",
    ]
    assert sdk.required_inputs("aws", "aws:no/such:Thing") == []
    assert check_failures(plugins["aws"].stub, ENDPOINT, "e", {"name": "e"}) == [
        "Missing required property 'endpointConfigName'"
    ]
    assert check_failures(plugins["azure-native"].stub, "azure-native:cdn:Route", "r", {"endpointName": "e"}) == [
        "missing required property 'profileName'",
        "missing required property 'resourceGroupName'",
    ]
    assert check_failures(plugins["random"].stub, "random:index/randomId:RandomId", "i", {}) == [
        "Missing required property 'byteLength'"
    ]
    assert check_failures(plugins["random"].stub, "random:index/randomId:RandomId", "i", {"byteLength": 4.0}) == []
    # An unknown value is present: the preview does not fail.
    assert check_failures(plugins["aws"].stub, ENDPOINT, "e", {"name": "e", "endpointConfigName": UNKNOWN}) == []


# ---------------------------------------------------------------- issue 13 §5: computed outputs, naming, drift


def test_system_assigned_identities_get_a_principal(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    profile = {
        "profileName": "ml-cdn",
        "resourceGroupName": "rg",
        "sku": {"name": "Standard_AzureFrontDoor"},
        "identity": {"type": "SystemAssigned"},
    }
    _, planned = create(stub, "azure-native:cdn:Profile", "cdn", profile, preview=True)
    assert planned["identity"] == {"type": "SystemAssigned", "principalId": UNKNOWN, "tenantId": UNKNOWN}
    _, created = create(stub, "azure-native:cdn:Profile", "cdn", profile)
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", created["identity"]["principalId"]
    )
    assert created["identity"] == {
        "type": "SystemAssigned",
        "principalId": created["identity"]["principalId"],
        "tenantId": "11111111-1111-1111-1111-111111111111",
    }
    plain_profile = {**profile, "profileName": "ml-cdn-2", "identity": {"type": "None"}}
    _, plain = create(stub, "azure-native:cdn:Profile", "cdn2", plain_profile)
    assert plain["identity"] == {"type": "None"}


def test_an_update_preview_keeps_what_the_cloud_computed(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    token = "azure-native:machinelearningservices:OnlineEndpoint"
    inputs = {"endpointName": "ep-2", "location": "westeurope", "properties": {"authMode": "Key"}}
    rid, outputs = create(stub, token, "ep", inputs)
    news = {**inputs, "tags": {"v": "2"}, "properties": {"authMode": "Key", "description": "v2"}}
    planned = from_struct(
        stub.Update(
            provider_pb2.UpdateRequest(
                urn=urn(token, "ep"), id=rid, olds=to_struct(outputs), news=to_struct(news), preview=True
            )
        ).properties
    )
    assert planned["properties"] == {**outputs["properties"], "description": "v2"}
    assert planned["tags"] == {"v": "2"}


def test_azure_native_names_what_is_left_unnamed(plugins: dict[str, Plugin]) -> None:
    stub = plugins["azure-native"].stub
    profile = {"resourceGroupName": "rg", "sku": {"name": "Standard_AzureFrontDoor"}}
    named = check(stub, "azure-native:cdn:Profile", "ml-cdn", profile)
    assert re.fullmatch(r"ml-cdn[0-9a-f]{8}", named["profileName"])
    assert named["__createBeforeDelete"] is True
    kept = check(stub, "azure-native:cdn:Profile", "ml-cdn", {**profile, "tags": {"a": "1"}}, olds=named)
    assert (kept["profileName"], kept["__createBeforeDelete"]) == (named["profileName"], True)
    given = check(stub, "azure-native:cdn:Profile", "ml-cdn", {**profile, "profileName": "mine"})
    assert "__createBeforeDelete" not in given
    assert given["profileName"] == "mine"
    grant = check(
        stub,
        "azure-native:authorization:RoleAssignment",
        "ml-grant",
        {"principalId": "p", "roleDefinitionId": "/r", "scope": "/s"},
    )
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", grant["roleAssignmentName"])
    # Outputs never carry the providers' private input keys.
    _, outputs = create(stub, "azure-native:cdn:Profile", "ml-cdn", named)
    assert not [k for k in outputs if k.startswith("__")]


def test_refresh_reads_what_changed_behind_pulumis_back_and_up_repairs_it(stateful: dict[str, Any]) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    token = "aws:sqs/queue:Queue"
    program = {
        "name": "ml-release-events-drift",
        "messageRetentionSeconds": 345600.0,
        "tags": {"team": "ml"},
        "__defaults": [],
    }
    rid, outputs = create(stub, token, "q", program)
    unchanged = read(stub, token, "q", rid, outputs, program)
    assert (from_struct(unchanged.properties), from_struct(unchanged.inputs)) == (outputs, program)
    # Someone changes the queue and its tags in the console.
    assert drift.main(["--state", str(state), "set", "ml-release-events-drift", "messageRetentionSeconds", "60"]) == 0
    assert drift.main(["--state", str(state), "set", "q", "tags.team", "data"]) == 0
    assert drift.main(["--state", str(state), "set", "q", "tags.owner", "someone-else"]) == 0
    refreshed = read(stub, token, "q", rid, outputs, program)
    cloud, inputs = from_struct(refreshed.properties), from_struct(refreshed.inputs)
    drifted = {"team": "data", "owner": "someone-else"}
    assert (cloud["messageRetentionSeconds"], cloud["tags"]) == (60.0, drifted)
    assert inputs == {**program, "messageRetentionSeconds": 60.0, "tags": drifted}
    # `up` after the refresh sees the drift and repairs it ...
    repair = diff(stub, token, "q", inputs, program)
    assert list(repair.diffs) == ["messageRetentionSeconds", "tags"]
    # ... as does the bridge's diff of the refreshed state against the program alone.
    against_state = stub.Diff(
        provider_pb2.DiffRequest(
            urn=urn(token, "q"), id=rid, olds=to_struct(cloud), old_inputs=to_struct(program), news=to_struct(program)
        )
    )
    assert list(against_state.diffs) == ["messageRetentionSeconds", "tags"]
    repaired = update(stub, token, "q", rid, cloud, program, inputs)
    assert from_struct(read(stub, token, "q", rid, repaired, program).properties) == outputs
    # Deleted behind Pulumi's back: a refresh finds it gone.
    assert drift.main(["--state", str(state), "delete", rid]) == 0
    assert read(stub, token, "q", rid, outputs, program).id == ""


def test_resources_sharing_an_id_keep_their_own_cloud_state(stateful: dict[str, Any]) -> None:
    # A usage plan key's id is its API key's id: one API key in two plans is two resources with one id.
    stub, token = stateful["aws"].stub, "aws:apigateway/usagePlanKey:UsagePlanKey"
    first = {"keyId": "shared-key", "keyType": "API_KEY", "usagePlanId": "plan-1", "__defaults": []}
    second = {**first, "usagePlanId": "plan-2"}
    (rid1, out1), (rid2, out2) = create(stub, token, "k1", first), create(stub, token, "k2", second)
    assert rid1 == rid2 == "shared-key"
    assert from_struct(read(stub, token, "k1", rid1, out1, first).properties)["usagePlanId"] == "plan-1"
    assert from_struct(read(stub, token, "k2", rid2, out2, second).properties)["usagePlanId"] == "plan-2"
    # Names that several resources share pick the most exact match: the URN's name over a physical name.
    with pytest.raises(SystemExit, match="'shared-key' names 2 live resources"):
        drift.main(["--state", str(stateful["state"]), "set", "shared-key", "usagePlanId", "x"])
    assert drift.main(["--state", str(stateful["state"]), "set", "k2", "usagePlanId", "plan-3"]) == 0
    assert from_struct(read(stub, token, "k2", rid2, out2, second).properties)["usagePlanId"] == "plan-3"
    assert from_struct(read(stub, token, "k1", rid1, out1, first).properties)["usagePlanId"] == "plan-1"


def test_drift_needs_one_resource_and_a_state_directory(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="'nothing' names 0 live resources"):
        drift.main(["--state", str(tmp_path), "set", "nothing", "tags.a", "1"])
    assert drift.set_property({"tags": {"a": "1"}}, "tags.b", 2) == {"tags": {"a": "1", "b": 2}}


# ---------------------------------------------------------------- the cloud's memory (issue 18)
#
# What the stand-in cloud still holds after Pulumi forgets a resource (retainOnDelete sends no
# Delete), what it refuses to create twice, what its quotas count, what a deleted key leaves
# unreadable, and how a failed update is saved.

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
ARM = f"/subscriptions/{SUBSCRIPTION}/resourceGroups"
KMS_KEY = "aws:kms/key:Key"
BUCKET = "aws:s3/bucket:Bucket"
OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
STAGE = "aws:apigateway/stage:Stage"
PLAN_KEY = "aws:apigateway/usagePlanKey:UsagePlanKey"
MODEL_VERSION = "azure-native:machinelearningservices:ModelVersion"
GET_RESOURCE = "aws:cloudcontrol/getResource:getResource"
VARIANTS = [{"variantName": "primary", "modelName": "m", "instanceType": "ml.m5.large", "initialInstanceCount": 1.0}]


def arm_not_found(path: str) -> str:
    """azure-native's Invoke failure for ARM's 404: `request failed <id>: <PulumiAzcoreResponseError>`."""
    return (
        f'request failed {path}: Status=404 Code="ResourceNotFound" Message="fakecloud (a test double; the '
        f"service's own 404 message is not published): the resource '{path}' was not found.\""
    )


def invoke(stub: Any, token: str, args: dict[str, Any]) -> dict[str, Any]:
    return from_struct(getattr(stub.Invoke(provider_pb2.InvokeRequest(tok=token, args=to_struct(args))), "return"))


def live(state: Path, package: str, token: str, rid: str) -> list[Record]:
    return [r for r in CloudState(package, state).all() if (r.token, r.id) == (token, rid) and not r.deleted]


def init_failure(error: grpc.RpcError) -> provider_pb2.ErrorResourceInitFailed | None:
    """The partial state a failed call carries (google.rpc.Status details), as the engine reads it."""
    for name, value in error.trailing_metadata() or ():
        if name == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                failed = provider_pb2.ErrorResourceInitFailed()
                assert detail.Unpack(failed), detail.type_url
                return failed
    return None


def failed(call: Any, *args: Any) -> tuple[str, provider_pb2.ErrorResourceInitFailed | None]:
    with pytest.raises(grpc.RpcError) as error:
        call(*args)
    assert error.value.code() == grpc.StatusCode.UNKNOWN
    return str(error.value.details()), init_failure(error.value)


def test_aws8_sagemaker_refuses_a_name_the_account_still_holds(stateful: dict[str, Any]) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    model: dict[str, Any] = {"name": "aws8-model", "executionRoleArn": "arn:aws:iam::123456789012:role/aws8"}
    cases: list[tuple[str, dict[str, Any], str, str, str]] = [
        (MODEL, model, "SageMaker AI model: ", "CreateModel", "model"),
        (
            CONFIG,
            {"name": "aws8-config", "productionVariants": VARIANTS},
            "SageMaker AI Endpoint Configuration (aws8-config): ",
            "CreateEndpointConfig",
            "endpoint configuration",
        ),
        (
            ENDPOINT,
            {"name": "aws8-ep", "endpointConfigName": "aws8-config"},
            "SageMaker AI Endpoint (aws8-ep): ",
            "CreateEndpoint",
            "endpoint",
        ),
    ]
    for token, inputs, prefix, operation, noun in cases:
        given = {**inputs, "__defaults": []}
        rid, outputs = create(stub, token, "v1", given)
        # retainOnDelete: the engine forgets it and sends no Delete; the next deploy creates it again.
        message = refusal(create, stub, token, "v1", given)
        assert re.fullmatch(
            re.escape(
                f"creating {prefix}operation error SageMaker: {operation}, https response error StatusCode: 400, "
            )
            + f"RequestID: {REQUEST_ID}, "
            + re.escape(f'api error ValidationException: Cannot create already existing {noun} "{outputs["arn"]}".'),
            message,
        ), message
        # An import (the engine's Read of the id, under the new URN) reads what the cloud holds.
        imported = read(stub, token, "v1-again", rid, {}, {})
        assert (imported.id, from_struct(imported.properties), from_struct(imported.inputs)) == (rid, outputs, given)
    assert outputs["arn"] == "arn:aws:sagemaker:us-east-1:123456789012:endpoint/aws8-ep"
    # An autonamed model, retained: the next creation of its URN draws a new name (rule Draw), which the
    # account does not hold, so it is not refused...
    first = check(stub, MODEL, "auto", {"executionRoleArn": "arn:aws:iam::123456789012:role/aws8"})
    create(stub, MODEL, "auto", first)
    again = check(stub, MODEL, "auto", {"executionRoleArn": "arn:aws:iam::123456789012:role/aws8"})
    assert again["name"] != first["name"]
    assert create(stub, MODEL, "auto", again)[0] == again["name"]
    # ...but SageMaker does not know who chose a name: the one it holds is refused, autonamed or not.
    assert f'Cannot create already existing model "arn:aws:sagemaker:us-east-1:123456789012:model/{first["name"]}"' in (
        refusal(create, stub, MODEL, "auto-copy", first)
    )
    # A `get` or an import of a name the cloud does not hold finds nothing.
    assert read(stub, MODEL, "other", "aws8-no-such-model", {}, {}).id == ""
    # The importing URN manages the resource from now on: its update moves the cloud's record, its
    # delete deletes it, and the name can be created again.
    rid, outputs = "aws8-model", from_struct(read(stub, MODEL, "v1-again", "aws8-model", {}, {}).properties)
    tagged = {**model, "tags": {"v": "2"}, "__defaults": []}
    update(stub, MODEL, "v1-again", rid, outputs, tagged, {**model, "__defaults": []})
    assert [r.urn for r in live(state, "aws", MODEL, rid)] == [urn(MODEL, "v1-again")]
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(MODEL, "v1-again"), id=rid))
    assert live(state, "aws", MODEL, rid) == []
    assert create(stub, MODEL, "v1", {**model, "__defaults": []})[0] == rid


def test_aws8b_iam_refuses_a_role_name_the_account_still_holds(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    role = {"name": "aws8-role", "assumeRolePolicy": "{}", "__defaults": []}
    rid, _ = create(stub, ROLE, "role", role)
    message = refusal(create, stub, ROLE, "role", role)
    assert re.fullmatch(
        r"creating IAM Role \(aws8-role\): operation error IAM: CreateRole, https response error StatusCode: 409, "
        rf"RequestID: {REQUEST_ID}, EntityAlreadyExists: Role with name aws8-role already exists\.",
        message,
    ), message
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(ROLE, "role"), id=rid))
    assert create(stub, ROLE, "role", role)[0] == "aws8-role", "a deleted role's name is free again"


def test_azure6_azure_native_refuses_an_explicit_name_azure_still_holds(stateful: dict[str, Any]) -> None:
    stub, state = stateful["azure-native"].stub, stateful["state"]
    version = {"name": "az6", "version": "1", "workspaceName": "ws6", "resourceGroupName": "rg", "properties": {}}
    rid, outputs = create(stub, MODEL_VERSION, "model-1.0.0", version)
    assert rid == f"{ARM}/rg/providers/Microsoft.MachineLearningServices/workspaces/ws6/models/az6/versions/1"
    # A revert to 1.0.0 after 1.1.0: the version Azure kept is created again.
    assert refusal(create, stub, MODEL_VERSION, "model", version) == f"cannot create already existing resource '{rid}'"
    # Another workspace's version of the same name is another resource, and so is another model's version
    # of the same number in the same workspace (the day-two suite's v1 ... v11 of one model version).
    assert create(stub, MODEL_VERSION, "model-ws7", {**version, "workspaceName": "ws7"})[0]
    other_model = create(stub, MODEL_VERSION, "model-v10", {**version, "name": "az6-v10"})[0]
    assert (
        other_model == f"{ARM}/rg/providers/Microsoft.MachineLearningServices/workspaces/ws6/models/az6-v10/versions/1"
    )
    # The import of the id (or a `get`) reads it.
    imported = read(stub, MODEL_VERSION, "model", rid, {}, {})
    assert (imported.id, from_struct(imported.properties), from_struct(imported.inputs)) == (rid, outputs, version)
    assert len(live(state, "azure-native", MODEL_VERSION, rid)) == 1
    # A profile with a generated name (__createBeforeDelete), retained: the next creation of its URN draws a
    # new name (rule Draw), which Azure does not hold...
    profile = "azure-native:cdn:Profile"
    first = check(stub, profile, "az6-cdn", {"resourceGroupName": "rg"})
    first_id, _ = create(stub, profile, "az6-cdn", first)
    again = check(stub, profile, "az6-cdn", {"resourceGroupName": "rg"})
    assert (again["profileName"] != first["profileName"], again["__createBeforeDelete"]) == (True, True)
    assert (
        create(stub, profile, "az6-cdn", again)[0]
        == f"{ARM}/rg/providers/Microsoft.Cdn/profiles/{again['profileName']}"
    )
    # ...but CanCreate runs for every resource: the one Azure holds is refused, generated name or not.
    assert (
        refusal(create, stub, profile, "az6-cdn-copy", first) == f"cannot create already existing resource '{first_id}'"
    )


def test_azure6b_the_blob_custom_resource_refuses_a_blob_azure_still_holds(stateful: dict[str, Any]) -> None:
    stub = stateful["azure-native"].stub
    token = "azure-native:storage:Blob"
    blob = {
        "blobName": "models/m/1.0.0/abc/model.tar.gz",
        "containerName": "models",
        "accountName": "az6bacct",
        "resourceGroupName": "rg",
        "type": "Block",
    }
    rid, _ = create(stub, token, "artifact", blob)
    # azure-native escapes path parameters (Go's url.QueryEscape): a blob name's slashes are %2F.
    assert rid == (
        f"{ARM}/rg/providers/Microsoft.Storage/storageAccounts/az6bacct/blobServices/default/containers/models"
        "/blobs/models%2Fm%2F1.0.0%2Fabc%2Fmodel.tar.gz"
    )
    assert refusal(create, stub, token, "artifact", blob) == f'cannot create already existing resource "{rid}"'
    assert create(stub, token, "artifact-2", {**blob, "accountName": "az6bother"})[0], "another account's blob"


@pytest.mark.parametrize(
    ("sku", "location", "refused_in"),
    [
        ("Standard_ZRS", "westus", "westus"),
        ("Standard_ZRS", "West US", "westus"),
        ("Standard_GZRS", "italynorth", "italynorth"),
        ("Standard_RAGZRS", "westus", "westus"),
        ("Premium_ZRS", "northcentralus", "northcentralus"),
        ("Standard_ZRS", "West US 2", None),
        ("Standard_ZRS", "italynorth", None),
        ("Standard_GZRS", "westeurope", None),
        ("Standard_LRS", "westus", None),
    ],
)
def test_azure7_zone_redundant_storage_only_where_the_region_offers_it(
    stateful: dict[str, Any], sku: str, location: str, refused_in: str | None
) -> None:
    stub = stateful["azure-native"].stub
    name = f"az7{sku.lower().replace('_', '')}{location.lower().replace(' ', '')}"[:24]
    account = {
        "accountName": name,
        "resourceGroupName": "rg",
        "location": location,
        "kind": "StorageV2",
        "sku": {"name": sku},
    }
    token = "azure-native:storage:StorageAccount"
    assert check_failures(stub, token, name, account) == [], "a preview passes"
    if refused_in is None:
        assert create(stub, token, name, account)[0]
        return
    message = (
        f"The storage account failed to create due to redundancy configuration - Sku: {sku}, Kind: StorageV2 - not "
        f"available in selected Region - {refused_in}. Please make sure the redundancy configuration selected is "
        "available in your region. For more information about redundancy configurations, see "
        "https://docs.microsoft.com/en-us/azure/storage/common/storage-redundancy"
    )
    assert refusal(create, stub, token, name, account) == (
        f'Status=400 Code="RedundancyConfigurationNotAvailableInRegion" Message="{message}"'
    )


def test_azure7_region_lists_are_microsofts() -> None:
    # learn.microsoft.com redundancy-regions-zrs (32 regions) and redundancy-regions-gzrs (25), as read for issue 18.
    assert (len(ZRS_REGIONS), len(GZRS_REGIONS)) == (32, 25)
    assert GZRS_REGIONS < ZRS_REGIONS
    assert {
        "chinanorth3",
        "israelcentral",
        "italynorth",
        "mexicocentral",
        "polandcentral",
        "qatarcentral",
        "spaincentral",
    } == ZRS_REGIONS - GZRS_REGIONS
    assert not {"westus", "northcentralus", "westcentralus", "eastasia2"} & ZRS_REGIONS - {"eastasia"}


def test_azure7_the_providers_region_lists_are_fakeclouds() -> None:
    """The provider refuses at preview what fakecloud refuses at `up`: both copies of Microsoft's lists agree
    (fakecloud keeps its own copy, so a provider list that drifts fails here, not silently in both)."""
    regions = importlib.import_module("mlserving_provider.clouds.azure.regions")
    assert (regions.ZRS_REGIONS, regions.GZRS_REGIONS) == (ZRS_REGIONS, GZRS_REGIONS)


def test_aws9a_stages_per_api(stateful: dict[str, Any]) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]

    def stage(n: int) -> dict[str, Any]:
        return {"restApi": "aws9api", "stageName": f"v{n}", "deploymentId": "d1"}

    ids = {n: create(stub, STAGE, f"aws9-v{n}", stage(n))[0] for n in range(1, 11)}
    message = refusal(create, stub, STAGE, "aws9-v11", stage(11))
    assert re.fullmatch(
        r"creating API Gateway Stage \(v11\): operation error API Gateway: CreateStage, https response error "
        rf"StatusCode: 429, RequestID: {REQUEST_ID}, LimitExceededException: fakecloud AWS-9a \(a paraphrase: the "
        r"cloud's exact error text is not published\): the REST API aws9api already has 10 stages \(v1, v10, v2, "
        r"v3, v4, v5, v6, v7, v8, v9\); the quota 'Stages per API' is 10 \(adjustable per API through Service "
        r"Quotas\)",
        message,
    ), message
    assert create(stub, STAGE, "other-v11", {**stage(11), "restApi": "aws9other"})[0], "per API"
    # The quota counts the stages the API has now.
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(STAGE, "aws9-v1"), id=ids[1]))
    assert create(stub, STAGE, "aws9-v11", stage(11))[0]
    assert "already has 10 stages" in refusal(create, stub, STAGE, "aws9-v12", stage(12))
    # A raised quota (Service Quotas) lets more in.
    assert drift.main(["--state", str(state), "quota", "AWS-9a", "11"]) == 0
    assert create(stub, STAGE, "aws9-v12", stage(12))[0]
    assert drift.main(["--state", str(state), "quota", "AWS-9a", "10"]) == 0


def test_aws9b_usage_plans_per_api_key(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub

    def plan_key(n: int, key: str = "aws9key") -> dict[str, Any]:
        return {"keyId": key, "keyType": "API_KEY", "usagePlanId": f"p{n}"}

    for n in range(1, 11):
        create(stub, PLAN_KEY, f"aws9-key-p{n}", plan_key(n))
    message = refusal(create, stub, PLAN_KEY, "aws9-key-p11", plan_key(11))
    assert re.fullmatch(
        r"creating API Gateway Usage Plan Key: operation error API Gateway: CreateUsagePlanKey, https response error "
        rf"StatusCode: 429, RequestID: {REQUEST_ID}, LimitExceededException: fakecloud AWS-9b \(a paraphrase: the "
        r"cloud's exact error text is not published\): the API key aws9key is already in 10 usage plans \(p1, p10, "
        r"p2, p3, p4, p5, p6, p7, p8, p9\); the quota 'Usage plans per API key' is 10 \(adjustable through Service "
        r"Quotas\)",
        message,
    ), message
    assert create(stub, PLAN_KEY, "aws9-other-p11", plan_key(11, "aws9other"))[0], "another key"


def test_aws10_a_deleted_kms_key_is_pending_deletion_and_what_it_encrypts_is_unreadable(
    stateful: dict[str, Any],
) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    key_id, key = create(stub, KMS_KEY, "aws10-key", {"description": "artifacts", "deletionWindowInDays": 30.0})
    arn = key["arn"]
    bucket = "aws10-artifacts"
    create(stub, BUCKET, "aws10-bucket", {"bucket": bucket, "__defaults": []})
    default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": arn}
    create(
        stub,
        SSE,
        "aws10-sse",
        {"bucket": bucket, "rules": [{"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": True}]},
    )
    # S3 encrypts under the bucket's default unless the upload names a key; the provider reads it back.
    _, by_default = create(stub, OBJECT, "aws10-a", {"bucket": bucket, "key": "models/m/1/a.tar.gz"})
    assert (by_default["serverSideEncryption"], by_default["kmsKeyId"], by_default["bucketKeyEnabled"]) == (
        "aws:kms",
        arn,
        True,
    )
    named = {"bucket": bucket, "key": "models/m/2/b.tar.gz", "kmsKeyId": arn, "serverSideEncryption": "aws:kms"}
    create(stub, OBJECT, "aws10-b", named)
    capture = {"enableCapture": True, "destinationS3Uri": f"s3://{bucket}/data-capture/aws10", "kmsKeyId": arn}
    create(
        stub,
        CONFIG,
        "aws10-config",
        {"name": "aws10-config", "productionVariants": VARIANTS, "dataCaptureConfig": capture},
    )
    create(stub, BUCKET, "aws10-plain", {"bucket": "aws10-plain", "__defaults": []})
    _, plain = create(stub, OBJECT, "aws10-c", {"bucket": "aws10-plain", "key": "k"})
    assert (plain["serverSideEncryption"], "kmsKeyId" in plain) == ("AES256", False), "SSE-S3 by default"
    captured = "data-capture/aws10/primary/2026/01/01/00/capture.jsonl"
    for object_key in ("models/m/1/a.tar.gz", "models/m/2/b.tar.gz", captured):
        assert kms.readable(state, bucket, object_key) is None, object_key
    assert kms.readable(state, bucket, "models/none") == "NoSuchKey: The specified key does not exist."
    assert kms.readable(state, "aws10-none", "k") == "NoSuchBucket: The specified bucket does not exist"
    # destroy: the key is deleted; the bucket, its objects and the configuration are retained (no Delete).
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(KMS_KEY, "aws10-key"), id=key_id, properties=to_struct(key)))
    pending = f"KMS.KMSInvalidStateException: {arn} is pending deletion."
    for object_key in ("models/m/1/a.tar.gz", "models/m/2/b.tar.gz", captured):
        assert kms.readable(state, bucket, object_key) == pending, object_key
    assert kms.readable(state, "aws10-plain", "k") is None
    (record,) = [r for r in CloudState("aws", state).all() if (r.token, r.id) == (KMS_KEY, key_id)]
    assert (record.deleted, record.outputs["keyState"]) == (True, "PendingDeletion")
    assert read(stub, KMS_KEY, "aws10-key", key_id, key, {}).id == "", (
        "the provider reads a PendingDeletion key as gone"
    )
    # A disabled key cannot decrypt either; a key deleted behind Pulumi's back is scheduled for deletion too.
    key2_id, key2 = create(stub, KMS_KEY, "aws10-key2", {"isEnabled": False})
    create(stub, OBJECT, "aws10-d", {"bucket": "aws10-plain", "key": "d", "kmsKeyId": key2["arn"]})
    assert kms.readable(state, "aws10-plain", "d") == f"KMS.DisabledException: {key2['arn']} is disabled."
    assert drift.main(["--state", str(state), "delete", key2_id]) == 0
    assert (
        kms.readable(state, "aws10-plain", "d") == f"KMS.KMSInvalidStateException: {key2['arn']} is pending deletion."
    )


def test_bridge1_a_failed_update_is_saved_with_the_requested_inputs(stateful: dict[str, Any]) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    for name in ("br1-1", "br1-2"):
        endpoint_config(stub, name)
    rid, inputs, outputs = endpoint(stub, "br1-ep", "br1-1", deployment("CANARY", 600, 10))
    slow = {**inputs, "endpointConfigName": "br1-2", "deploymentConfig": deployment("LINEAR", 600, 10)}
    message, partial = failed(update, stub, ENDPOINT, "br1-ep", rid, outputs, slow)
    assert message.startswith("waiting for SageMaker AI Endpoint (br1-ep) update: timeout while waiting")
    # The bridge's ErrorResourceInitFailed: the requested inputs over the old outputs, which the engine saves.
    assert partial is not None
    saved = from_struct(partial.properties)
    assert (partial.id, list(partial.reasons)) == (rid, [message])
    assert saved == {**outputs, "endpointConfigName": "br1-2", "deploymentConfig": slow["deploymentConfig"]}
    # The engine's next `up` sends an empty update (the init errors): no Terraform diff, no API call.
    assert update(stub, ENDPOINT, "br1-ep", rid, saved, slow, slow) == saved
    # drift fail-update: the next update starts, the wait fails, SageMaker runs the old configuration
    # while the state says the new one.
    rid2, inputs2, outputs2 = endpoint(stub, "br1f-ep", "br1-1", deployment("CANARY", 600, 10))
    assert drift.main(["--state", str(state), "fail-update", "br1f-ep"]) == 0
    news = {**inputs2, "endpointConfigName": "br1-2"}
    message, partial = failed(update, stub, ENDPOINT, "br1f-ep", rid2, outputs2, news)
    assert message == (
        "waiting for SageMaker AI Endpoint (br1f-ep) update: timeout while waiting for state to become 'InService' "
        "(last state: 'Updating', timeout: 1h0m0s)"
    )
    assert partial is not None
    assert from_struct(partial.properties)["endpointConfigName"] == "br1-2"
    (running,) = live(state, "aws", ENDPOINT, rid2)
    assert running.outputs["endpointConfigName"] == "br1-1"
    saved = from_struct(partial.properties)
    assert update(stub, ENDPOINT, "br1f-ep", rid2, saved, news, news) == saved
    assert live(state, "aws", ENDPOINT, rid2)[0].outputs["endpointConfigName"] == "br1-1", "nothing was called"
    # A later update that does not touch the configuration reads back the one the endpoint runs.
    tagged = {**news, "tags": {"v": "2"}}
    assert update(stub, ENDPOINT, "br1f-ep", rid2, saved, tagged, news)["endpointConfigName"] == "br1-1"
    # azure-native returns no partial state: its refused update is not saved.
    refused = [f"{SECURITY}.Protocols.Ssl30"]
    apim_id, apim_out = create(
        stub := stateful["azure-native"].stub, APIM, "br1-api", apim("Consumption", [], "br1api")
    )
    message, partial = failed(update, stub, APIM, "br1-api", apim_id, apim_out, apim("Consumption", refused, "br1api"))
    assert ('Code="NotSupported"' in message, partial) == (True, None)


def test_aws11_cloud_control_reads_the_configuration_the_endpoint_runs(stateful: dict[str, Any]) -> None:
    stub, state = stateful["aws"].stub, stateful["state"]
    for name in ("cc-1", "cc-2"):
        endpoint_config(stub, name)
    rid, inputs, outputs = endpoint(stub, "cc-ep", "cc-1", deployment("CANARY", 600, 10))
    args = {"typeName": "AWS::SageMaker::Endpoint", "identifier": outputs["arn"]}
    found = invoke(stub, GET_RESOURCE, args)
    assert (found["identifier"], found["typeName"]) == (outputs["arn"], "AWS::SageMaker::Endpoint")
    assert json.loads(found["properties"]) == {
        "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/cc-ep",
        "EndpointConfigName": "cc-1",
        "EndpointName": "cc-ep",
        "DeploymentConfig": inputs["deploymentConfig"],
    }
    # After a failed update the state says cc-2; the cloud says what the endpoint runs.
    drift.main(["--state", str(state), "fail-update", "cc-ep"])
    failed(update, stub, ENDPOINT, "cc-ep", rid, outputs, {**inputs, "endpointConfigName": "cc-2"})
    assert json.loads(invoke(stub, GET_RESOURCE, args)["properties"])["EndpointConfigName"] == "cc-1"
    # The identifier is the ARN (the type's primaryIdentifier): a name finds nothing.
    assert refusal(invoke, stub, GET_RESOURCE, {**args, "identifier": "cc-ep"}) == (
        "invoking aws:cloudcontrol/getResource:getResource: reading Cloud Control API (AWS::SageMaker::Endpoint) "
        "Resource (cc-ep): couldn't find resource"
    )
    # Any other failure looks different, until it is cleared.
    assert (
        drift.main(
            [
                "--state",
                str(state),
                "fail-invoke",
                GET_RESOURCE,
                "ThrottlingException",
                "Rate exceeded",
                "--status",
                "400",
            ]
        )
        == 0
    )
    message = refusal(invoke, stub, GET_RESOURCE, args)
    assert re.fullmatch(
        re.escape(
            f"invoking {GET_RESOURCE}: reading Cloud Control API (AWS::SageMaker::Endpoint) Resource ({outputs['arn']}): "
        )
        + r"operation error CloudControl: GetResource, https response error StatusCode: 400, RequestID: [0-9a-f]{36}, "
        r"api error ThrottlingException: Rate exceeded",
        message,
    ), message
    assert drift.main(["--state", str(state), "clear-invoke", GET_RESOURCE]) == 0
    assert invoke(stub, GET_RESOURCE, args)["identifier"] == outputs["arn"]


def test_aws12_an_s3_object_is_its_bucket_and_key(stateful: dict[str, Any]) -> None:
    """artifacts.retainOnDelete, then `up` again (issue 18): destroy forgets bucket A and its object (no Delete),
    and the same program creates a new bucket B and the same object (same URN, same key) in it. S3 holds two
    objects; the provider's id of each is the key."""
    stub, state = stateful["aws"].stub, stateful["state"]
    object_key = "models/sentiment/v1/1.0.0/0123abcd/model.tar.gz"
    create(stub, BUCKET, "aws12-bucket", {"bucket": "aws12-a", "__defaults": []})
    in_a = {"bucket": "aws12-a", "key": object_key, "content": "weights-1"}
    rid_a, out_a = create(stub, OBJECT, "aws12-artifact", in_a)
    # destroy with retainOnDelete: Pulumi forgets both; `up` again: a new bucket, the same object URN and key.
    create(stub, BUCKET, "aws12-bucket", {"bucket": "aws12-b", "__defaults": []})
    in_b = {**in_a, "bucket": "aws12-b"}
    rid_b, out_b = create(stub, OBJECT, "aws12-artifact", in_b)
    assert rid_a == rid_b == object_key, "the provider's id is the key"

    def objects() -> list[tuple[str, str, str, str]]:
        held = live(state, "aws", OBJECT, object_key)
        return sorted((r.urn, r.identity, r.outputs["bucket"], r.outputs["content"]) for r in held)

    u = urn(OBJECT, "aws12-artifact")
    assert objects() == [
        (u, f"aws12-a/{object_key}", "aws12-a", "weights-1"),
        (u, f"aws12-b/{object_key}", "aws12-b", "weights-1"),
    ]
    assert (kms.readable(state, "aws12-a", object_key), kms.readable(state, "aws12-b", object_key)) == (None, None)
    # A refresh reads each from its own bucket; an import names the object `<bucket>/<key>` and gets the key.
    for rid, outputs, inputs in ((rid_a, out_a, in_a), (rid_b, out_b, in_b)):
        refreshed = read(stub, OBJECT, "aws12-artifact", rid, outputs, inputs)
        assert (refreshed.id, from_struct(refreshed.properties)) == (object_key, outputs)
    imported = read(stub, OBJECT, "aws12-imported", f"aws12-a/{object_key}", {}, {})
    assert (imported.id, from_struct(imported.properties)) == (object_key, out_a)
    assert read(stub, OBJECT, "aws12-imported", f"aws12-c/{object_key}", {}, {}).id == "", "no such bucket"
    # Uploading the key to B again is that object written again (PutObject), in place or created anew.
    out_b2 = update(stub, OBJECT, "aws12-artifact", rid_b, out_b, {**in_b, "content": "weights-2"}, in_b)
    assert out_b2["content"] == "weights-2"
    assert [o[2:] for o in objects()] == [("aws12-a", "weights-1"), ("aws12-b", "weights-2")]
    rid_b3, out_b3 = create(stub, OBJECT, "aws12-artifact", {**in_b, "content": "weights-3"})
    assert rid_b3 == object_key
    assert [o[2:] for o in objects()] == [("aws12-a", "weights-1"), ("aws12-b", "weights-3")]
    # Deleting B's object deletes B's object only.
    stub.Delete(provider_pb2.DeleteRequest(urn=u, id=object_key, properties=to_struct(out_b3)))
    assert [o[2:] for o in objects()] == [("aws12-a", "weights-1")]
    assert kms.readable(state, "aws12-b", object_key) == "NoSuchKey: The specified key does not exist."
    assert kms.readable(state, "aws12-a", object_key) is None
    assert read(stub, OBJECT, "aws12-artifact", object_key, out_b3, in_b).id == "", "a refresh finds B's gone"
    assert read(stub, OBJECT, "aws12-artifact", object_key, out_a, in_a).id == object_key, "and A's there"
    # A usage plan key is its plan and API key: the same key in a new plan under the same URN is another one.
    plan_key = {"keyId": "aws12key", "keyType": "API_KEY", "usagePlanId": "aws12-p1"}
    create(stub, PLAN_KEY, "aws12-plan-key", plan_key)
    create(stub, PLAN_KEY, "aws12-plan-key", {**plan_key, "usagePlanId": "aws12-p2"})
    keys = sorted(r.identity for r in live(state, "aws", PLAN_KEY, "aws12key"))
    assert keys == ["aws12-p1/aws12key", "aws12-p2/aws12key"]


def test_an_event_target_id_names_its_bus_unless_it_is_the_default(plugins: dict[str, Plugin]) -> None:
    """terraform-provider-aws internal/service/events/target.go targetCreateResourceID."""
    stub, token = plugins["aws"].stub, "aws:cloudwatch/eventTarget:EventTarget"
    target = {"rule": "ml-release", "targetId": "queue", "arn": "arn:aws:sqs:us-east-1:123456789012:q"}
    assert create(stub, token, "et-default", target)[0] == "ml-release-queue"
    assert create(stub, token, "et-default-named", {**target, "eventBusName": "default"})[0] == "ml-release-queue"
    assert create(stub, token, "et-bus", {**target, "eventBusName": "ml-events"})[0] == "ml-events-ml-release-queue"


@pytest.mark.parametrize(
    ("token", "resource", "segment"),
    [
        ("azure-native:machinelearningservices:getModelVersion", MODEL_VERSION, "models"),
        (
            "azure-native:machinelearningservices:getEnvironmentVersion",
            "azure-native:machinelearningservices:EnvironmentVersion",
            "environments",
        ),
    ],
)
def test_azure8_getters_read_what_azure_holds_or_fail_with_arms_404(
    stateful: dict[str, Any], token: str, resource: str, segment: str
) -> None:
    stub, state = stateful["azure-native"].stub, stateful["state"]
    args = {"resourceGroupName": "rg", "workspaceName": "ws8", "name": f"az8{segment}", "version": "1"}
    path = f"{ARM}/rg/providers/Microsoft.MachineLearningServices/workspaces/ws8/{segment}/az8{segment}/versions/1"
    assert refusal(invoke, stub, token, args) == arm_not_found(path)
    _, outputs = create(stub, resource, f"v-{segment}", {**args, "properties": {"description": "d"}})
    assert invoke(stub, token, args) == {**outputs, "id": path}
    # Throttling (or a 500) is not a 404: a provider that falls back only on not-found sees the difference.
    assert (
        drift.main(["--state", str(state), "fail-invoke", token, "TooManyRequests", "Slow down.", "--status", "429"])
        == 0
    )
    assert (
        refusal(invoke, stub, token, args)
        == f'request failed {path}: Status=429 Code="TooManyRequests" Message="Slow down."'
    )
    assert drift.main(["--state", str(state), "fail-invoke", token]) == 0
    assert refusal(invoke, stub, token, args) == (
        f'request failed {path}: Status=500 Code="InternalServerError" '
        'Message="fakecloud (a test double): the service failed the request"'
    )
    assert drift.main(["--state", str(state), "clear-invoke", token]) == 0
    assert invoke(stub, token, args)["id"] == path


def test_azure9_a_delete_takes_the_resources_under_it(stateful: dict[str, Any]) -> None:
    stub, state = stateful["azure-native"].stub, stateful["state"]
    group = {"resourceGroupName": "az9rg", "location": "westeurope"}
    group_id, _ = create(stub, "azure-native:resources:ResourceGroup", "az9-rg", group)
    made: dict[str, tuple[str, dict[str, Any]]] = {
        "account": ("azure-native:storage:StorageAccount", {"accountName": "az9acct", "sku": {"name": "Standard_LRS"}}),
        "blob": ("azure-native:storage:Blob", {"accountName": "az9acct", "containerName": "models", "blobName": "m/1"}),
        "workspace": ("azure-native:machinelearningservices:Workspace", {"workspaceName": "az9ws"}),
        "version": (MODEL_VERSION, {"workspaceName": "az9ws", "name": "m", "version": "1"}),
        "other": (MODEL_VERSION, {"workspaceName": "az9ws2", "name": "m", "version": "1"}),
    }
    ids = {
        k: create(stub, token, f"az9-{k}", {**inputs, "resourceGroupName": "az9rg"})[0]
        for k, (token, inputs) in made.items()
    }

    def alive() -> set[str]:
        return {k for k, (token, _) in made.items() if live(state, "azure-native", token, ids[k])}

    # The blob and the model version are retained (no Delete); the workspace is deleted with its versions.
    workspace_token = made["workspace"][0]
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(workspace_token, "az9-workspace"), id=ids["workspace"]))
    assert alive() == {"account", "blob", "other"}
    stub.Delete(provider_pb2.DeleteRequest(urn=urn("azure-native:resources:ResourceGroup", "az9-rg"), id=group_id))
    assert alive() == set(), "a resource group takes every resource in it"


RANDOM_ID = "random:index/randomId:RandomId"
PROFILE = "azure-native:cdn:Profile"
Made = tuple[str, str, str, str]
"""(package, token, URN name, id) of a resource a history created."""


def draw_history(folder: Path) -> list[tuple[str, str, str, str]]:
    """What one history draws, through the plugins started as the engine starts them (new processes for each
    command, one cloud-side state): `up`, `destroy`, `up` again, then `up --replace` (a replacement with the
    same inputs, created before the old one is deleted). Each creation's draws: the RandomId's hex, the
    bucket's autoname (the bridge's), the KMS key's id (the cloud's), the profile's generated name
    (azure-native's)."""
    state = folder / "state"
    drawn: list[tuple[str, str, str, str]] = []

    def command(name: str, steps: Callable[[dict[str, Any]], None]) -> None:
        started = {p: start(p, folder / f"{p}-{name}.jsonl", state) for p in ("random", "aws", "azure-native")}
        try:
            steps({package: plugin.stub for package, plugin in started.items()})
        finally:
            for plugin in started.values():
                stop(plugin)

    def deploy(stubs: dict[str, Any]) -> list[Made]:
        # A preview draws nothing: a random's outputs are unknown until it is created.
        assert create(stubs["random"], RANDOM_ID, "ml-id", {"byteLength": 4.0}, preview=True) == (
            "",
            {"byteLength": 4.0, "hex": UNKNOWN, "b64Url": UNKNOWN, "b64Std": UNKNOWN, "dec": UNKNOWN},
        )
        rid, suffix = create(stubs["random"], RANDOM_ID, "ml-id", {"byteLength": 4.0})
        bucket = check(stubs["aws"], BUCKET, "ml-artifacts", {"forceDestroy": False})
        bucket_id, _ = create(stubs["aws"], BUCKET, "ml-artifacts", bucket)
        key_id, _ = create(stubs["aws"], KMS_KEY, "ml-key", {"description": "d", "__defaults": []})
        profile = check(stubs["azure-native"], PROFILE, "ml-cdn", {"resourceGroupName": "rg"})
        profile_id, _ = create(stubs["azure-native"], PROFILE, "ml-cdn", profile)
        drawn.append((suffix["hex"], bucket["bucket"], key_id, profile["profileName"]))
        return [
            ("random", RANDOM_ID, "ml-id", rid),
            ("aws", BUCKET, "ml-artifacts", bucket_id),
            ("aws", KMS_KEY, "ml-key", key_id),
            ("azure-native", PROFILE, "ml-cdn", profile_id),
        ]

    def destroy(stubs: dict[str, Any], made: list[Made]) -> None:
        for package, token, name, rid in made:
            stubs[package].Delete(provider_pb2.DeleteRequest(urn=urn(token, name), id=rid))

    made: list[Made] = []
    command("up", lambda stubs: made.extend(deploy(stubs)))
    command("destroy", lambda stubs: destroy(stubs, made))

    def replace(stubs: dict[str, Any]) -> None:
        old = deploy(stubs)
        new = deploy(stubs)  # the replacements, created while the old ones live
        for (package, token, _, rid), (_, _, _, successor) in zip(old, new, strict=True):
            holds = [r.id for r in CloudState(package, state).all() if r.token == token and not r.deleted]
            assert sorted(holds) == sorted([rid, successor]), "two live resources of one URN for a while"
        destroy(stubs, old)

    command("up --replace", replace)
    return drawn


def test_draw_every_creation_draws_anew_and_one_history_draws_the_same(tmp_path: Path) -> None:
    drawn = draw_history(tmp_path / "one")
    # The first creation of each URN draws what fakecloud always drew for it.
    assert drawn[0][:2] == ("cacef125", "ml-artifacts-ef00879")
    assert [re.fullmatch(r"ml-cdn[0-9a-f]{8}", d[3]) is not None for d in drawn] == [True] * 3
    # After a destroy, and for a replacement beside the old one: a new hex, new names, a new key id.
    for values in zip(*drawn, strict=True):
        assert len(set(values)) == len(values) == 3, values
    # The same history draws the same values.
    assert draw_history(tmp_path / "two") == drawn


def test_draw_without_a_state_directory_counts_what_the_process_saw(tmp_path: Path) -> None:
    """Without FAKECLOUD_STATE the cloud lives in the plugin process: a destroy and a create in it draw anew,
    a new process (the engine's next command) remembers nothing and draws what a first creation draws."""
    plugin = start("random", tmp_path / "random.jsonl")
    try:
        rid, first = create(plugin.stub, RANDOM_ID, "ml-id", {"byteLength": 4.0})
        plugin.stub.Delete(provider_pb2.DeleteRequest(urn=urn(RANDOM_ID, "ml-id"), id=rid))
        again = create(plugin.stub, RANDOM_ID, "ml-id", {"byteLength": 4.0})[1]
    finally:
        stop(plugin)
    assert (first["hex"], again["hex"] != first["hex"]) == ("cacef125", True)
    fresh = start("random", tmp_path / "random-2.jsonl")
    try:
        assert create(fresh.stub, RANDOM_ID, "ml-id", {"byteLength": 4.0})[1] == first
    finally:
        stop(fresh)


MODEL_REFUSAL = "fakecloud Model (the constraint of the cloud's published API model, not its error text): "
BOTOCORE_SAGEMAKER = "botocore 1.44.18 data/sagemaker/2017-07-24/service-2.json"


def test_model_preview_what_the_provider_validates_from_the_model_fails_the_preview(plugins: dict[str, Plugin]) -> None:
    config = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
    variant = {"variantName": "main", "modelName": "m", "initialInstanceCount": 1, "instanceType": "ml.m5.large"}
    assert check_failures(
        plugins["aws"].stub, config, "ec", {"productionVariants": [{**variant, "volumeSizeInGb": 600000}]}
    ) == [
        MODEL_REFUSAL
        + "sagemaker:CreateEndpointConfig.ProductionVariants[0].VolumeSizeInGB: max 512 refuses 600000 (input "
        f"productionVariants[0].volumeSizeInGb; {BOTOCORE_SAGEMAKER})"
    ]
    assert (
        check_failures(plugins["aws"].stub, config, "ec", {"productionVariants": [{**variant, "volumeSizeInGb": 512}]})
        == []
    )
    account = {
        "resourceGroupName": "rg",
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "location": "westeurope",
    }
    storage = (
        "azure-mgmt-storage 23.0.0 azure.mgmt.storage.models.StorageAccountCreateParameters (api-version 2024-01-01; "
        "pulumi-azure-native 3.29.0 sends 2024-01-01)"
    )
    token = "azure-native:storage:StorageAccount"
    assert check_failures(plugins["azure-native"].stub, token, "sa", {**account, "accountName": "A"}) == [
        MODEL_REFUSAL
        + f"build_create_request.{{accountName}}: min_length 3 refuses 'A' (input accountName; {storage})",
        MODEL_REFUSAL
        + f"build_create_request.{{accountName}}: pattern '^[a-z0-9]+$' refuses 'A' (input accountName; {storage})",
    ]
    assert check_failures(plugins["azure-native"].stub, token, "sa", {**account, "accountName": "mlart01"}) == []


def test_model_up_what_the_api_refuses_from_the_model_fails_the_create(plugins: dict[str, Plugin]) -> None:
    token, stub = "aws:sagemaker/model:Model", plugins["aws"].stub
    role = "arn:aws:iam::123456789012:role/" + "r" * 2100
    news = {"name": "model-up", "executionRoleArn": role, "primaryContainer": [{"image": "i"}]}
    assert check_failures(stub, token, "model-up", news) == []  # a preview passes
    assert refusal(create, stub, token, "model-up", news) == (
        MODEL_REFUSAL + f"sagemaker:CreateModel.ExecutionRoleArn: max 2048 refuses 2131 (input executionRoleArn; "
        f"{BOTOCORE_SAGEMAKER})"
    )
    profile = "azure-native:cdn:Profile"
    front_door = {"resourceGroupName": "rg", "location": "Global", "sku": {"name": "Standard_AzureFrontDoor"}}
    assert refusal(
        create, plugins["azure-native"].stub, profile, "fd", {**front_door, "profileName": "fd1", "tags": {"a:b": "c"}}
    ) == (
        MODEL_REFUSAL + "tags['a:b'] (name): forbidden_characters '#:' refuses 'a:b' (input tags.a:b; "
        "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations)"
    )
    rid, _ = create(
        plugins["azure-native"].stub, profile, "fd", {**front_door, "profileName": "fd2", "tags": {"a-b": "c"}}
    )
    assert rid.endswith("/profiles/fd2")


# ---------------------------------------------------------------- AWS-13 to AWS-16: private networking (issue 21)

REST_API = "aws:apigateway/restApi:RestApi"
PRIVATE_CONFIG: dict[str, Any] = {"types": "PRIVATE", "ipAddressType": "dualstack", "vpcEndpointIds": ["vpce-0a1b2c3d"]}
PRIVATE_API: dict[str, Any] = {
    "name": "aws13-api",
    "endpointConfiguration": PRIVATE_CONFIG,
}


def test_aws13_a_private_api_is_not_deployed_without_a_resource_policy(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    deployment = "aws:apigateway/deployment:Deployment"
    api, _ = create(stub, REST_API, "aws13-api", PRIVATE_API)
    message = refusal(create, stub, deployment, "aws13-deployment", {"restApi": api})
    assert re.fullmatch(
        r"creating API Gateway Deployment: operation error API Gateway: CreateDeployment, https response error "
        rf"StatusCode: 400, RequestID: {REQUEST_ID}, BadRequestException: Private REST API doesn't have a resource "
        r"policy attached to it",
        message,
    ), message
    # A regional API needs none; a private one deploys once its policy is attached (inline or RestApiPolicy).
    regional, _ = create(
        stub, REST_API, "aws13-regional", {"name": "r", "endpointConfiguration": {"types": "REGIONAL"}}
    )
    assert create(stub, deployment, "aws13-regional-deployment", {"restApi": regional})[0]
    inline, _ = create(stub, REST_API, "aws13-inline", {**PRIVATE_API, "policy": '{"Statement": []}'})
    assert create(stub, deployment, "aws13-inline-deployment", {"restApi": inline})[0]
    create(stub, "aws:apigateway/restApiPolicy:RestApiPolicy", "aws13-policy", {"restApiId": api, "policy": "{}"})
    assert create(stub, deployment, "aws13-deployment", {"restApi": api})[0]


def test_aws14_a_private_api_is_dualstack(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    ipv4 = {**PRIVATE_API, "endpointConfiguration": {**PRIVATE_CONFIG, "ipAddressType": "ipv4"}}
    message = refusal(create, stub, REST_API, "aws14-api", ipv4)
    assert re.fullmatch(
        r"creating API Gateway REST API \(aws13-api\): operation error API Gateway: CreateRestApi, https response "
        rf"error StatusCode: 400, RequestID: {REQUEST_ID}, BadRequestException: fakecloud AWS-14 \(a paraphrase: the "
        r"cloud's exact error text is not published\): the PRIVATE endpoint type supports only the dualstack IP "
        r"address type",
        message,
    ), message
    assert create(stub, REST_API, "aws14-api", PRIVATE_API)[0]
    regional = {"name": "r", "endpointConfiguration": {"types": "REGIONAL", "ipAddressType": "ipv4"}}
    assert create(stub, REST_API, "aws14-regional", regional)[0]


def test_aws15_vpc_endpoint_ids_only_on_a_private_api(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    regional = {"name": "aws15-api", "endpointConfiguration": {"types": "REGIONAL", "vpcEndpointIds": ["vpce-1"]}}
    message = refusal(create, stub, REST_API, "aws15-api", regional)
    assert re.fullmatch(
        r"creating API Gateway REST API \(aws15-api\): operation error API Gateway: CreateRestApi, https response "
        rf"error StatusCode: 400, RequestID: {REQUEST_ID}, BadRequestException: VPCEndpoints can only be specified "
        r"with PRIVATE apis\.",
        message,
    ), message
    assert create(stub, REST_API, "aws15-private", PRIVATE_API)[0]


def test_aws16_serverless_cannot_serve_a_model_in_a_vpc(stateful: dict[str, Any]) -> None:
    stub = stateful["aws"].stub
    role = "arn:aws:iam::123456789012:role/r"
    container = {"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"}
    vpc = {"subnets": ["subnet-0a1b2c3d"], "securityGroupIds": ["sg-0a1b2c3d"]}
    create(
        stub,
        MODEL,
        "aws16-vpc",
        {"name": "aws16-vpc", "executionRoleArn": role, "primaryContainer": container, "vpcConfig": vpc},
    )
    create(stub, MODEL, "aws16-plain", {"name": "aws16-plain", "executionRoleArn": role, "primaryContainer": container})

    def config(model: str) -> dict[str, Any]:
        variant = {
            "variantName": "primary",
            "modelName": model,
            "serverlessConfig": {"memorySizeInMb": 2048, "maxConcurrency": 5},
        }
        return {"name": f"{model}-cfg", "productionVariants": [variant]}

    message = refusal(create, stub, CONFIG, "aws16-vpc-cfg", config("aws16-vpc"))
    assert re.fullmatch(
        r"creating SageMaker AI Endpoint Configuration \(aws16-vpc-cfg\): operation error SageMaker: "
        rf"CreateEndpointConfig, https response error StatusCode: 400, RequestID: {REQUEST_ID}, api error "
        r"ValidationException: fakecloud AWS-16 \(a paraphrase: the cloud's exact error text is not published\): the "
        r"model aws16-vpc has a VpcConfig: Serverless Inference does not support VPC configuration \(serverless "
        r"variant primary\)",
        message,
    ), message
    assert create(stub, CONFIG, "aws16-plain-cfg", config("aws16-plain"))[0]
    instances = {
        "name": "aws16-vpc-instances",
        "productionVariants": [
            {
                "variantName": "primary",
                "modelName": "aws16-vpc",
                "instanceType": "ml.m5.large",
                "initialInstanceCount": 1,
            }
        ],
    }
    assert create(stub, CONFIG, "aws16-vpc-instances", instances)[0]


# ---------------------------------------------------------------- Azure-10 to Azure-12: private networking (issue 21)

ML_WORKSPACE = "azure-native:machinelearningservices:Workspace"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
HUB = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub"


def workspace(name: str, mode: str | None) -> dict[str, Any]:
    inputs: dict[str, Any] = {"workspaceName": name, "resourceGroupName": "rg", "location": "westeurope"}
    if mode is not None:
        inputs["managedNetwork"] = {"isolationMode": mode}
    return inputs


def test_azure10_a_workspaces_managed_network_isolation_only_tightens(stateful: dict[str, Any]) -> None:
    stub = stateful["azure-native"].stub
    approved = workspace("ws10", "AllowOnlyApprovedOutbound")
    rid, state = create(stub, ML_WORKSPACE, "ws10", approved)
    for looser in ("AllowInternetOutbound", None):
        assert refusal(update, stub, ML_WORKSPACE, "ws10", rid, state, workspace("ws10", looser), approved) == (
            "fakecloud Azure-10 (a paraphrase: the cloud's exact error text is not published): a workspace's managed "
            f"network isolation cannot go from 'AllowOnlyApprovedOutbound' to {looser or 'Disabled'!r}: once enabled it "
            "cannot be disabled, and AllowOnlyApprovedOutbound cannot go back to AllowInternetOutbound"
        )
    # Tightening is accepted: none -> internet -> approved only.
    rid, state = create(stub, ML_WORKSPACE, "ws10b", workspace("ws10b", None))
    internet = workspace("ws10b", "AllowInternetOutbound")
    state = update(stub, ML_WORKSPACE, "ws10b", rid, state, internet, workspace("ws10b", None))
    assert update(stub, ML_WORKSPACE, "ws10b", rid, state, workspace("ws10b", "AllowOnlyApprovedOutbound"), internet)


def zone_link(zone: str, group: str, network: str = HUB) -> dict[str, Any]:
    return {
        "privateZoneName": zone,
        "resourceGroupName": group,
        "location": "global",
        "virtualNetwork": {"id": network},
        "registrationEnabled": False,
    }


def test_azure11_a_virtual_network_links_one_zone_of_a_name(stateful: dict[str, Any]) -> None:
    stub = stateful["azure-native"].stub
    zone = "privatelink.api.azureml.ms"
    assert create(stub, ZONE_LINK, "link-a", zone_link(zone, "platform-a"))[0]
    # Another platform's zone of the same name (its own resource group), linked to the same network.
    assert refusal(create, stub, ZONE_LINK, "link-b", zone_link(zone, "platform-b")) == (
        'Status=400 Code="BadRequest" Message="A virtual network cannot be linked to multiple zones with overlapping '
        f"namespaces. You tried to link virtual network with '{zone}' and '{zone}' zones.\""
    )
    # Another zone name, or another network, is accepted.
    assert create(stub, ZONE_LINK, "link-c", zone_link("privatelink.blob.core.windows.net", "platform-b"))[0]
    assert create(stub, ZONE_LINK, "link-d", zone_link(zone, "platform-b", HUB.replace("/hub", "/spoke")))[0]


@pytest.mark.parametrize(
    ("sku", "mode", "refused"),
    [
        ("Consumption", "External", True),
        ("Standard", "Internal", True),
        ("BasicV2", "External", True),
        ("StandardV2", "Internal", True),
        ("StandardV2", "External", False),
        ("Developer", "Internal", False),
        ("Premium", "External", False),
        ("Consumption", "None", False),
    ],
)
def test_azure12_api_management_takes_a_virtual_network_only_in_the_tiers_that_have_one(
    plugins: dict[str, Plugin], sku: str, mode: str, refused: bool
) -> None:
    stub = plugins["azure-native"].stub
    service = f"mlapi12{sku.lower()}{mode.lower()}"
    inputs = {**apim(sku, [], service=service), "virtualNetworkType": mode}
    assert check_failures(stub, APIM, service, inputs) == [], "a preview passes"
    if not refused:
        assert create(stub, APIM, service, inputs)[0]
        return
    assert refusal(create, stub, APIM, service, inputs) == (
        "fakecloud Azure-12 (a paraphrase: the cloud's exact error text is not published): API Management "
        f"{sku} cannot be placed in a virtual network as {mode!r} (virtual network injection: Developer, Premium, "
        "Premium v2; outbound integration, External: Standard v2 and Premium v2)"
    )


def test_azure12_premium_v2_is_not_in_the_api_model_azure_native_sends(plugins: dict[str, Plugin]) -> None:
    """Issue 21 finding: the 2024-05-01 API Management model (the api-version azure-native 3.29.0 sends) has no
    PremiumV2 sku; its enums are extensible, so the service may still take it (unverified without an account)."""
    stub = plugins["azure-native"].stub
    inputs = {**apim("PremiumV2", [], service="mlapi12premiumv2"), "virtualNetworkType": "Internal"}
    assert "refuses 'PremiumV2' (input sku.name; azure-mgmt-apimanagement 5.0.0" in refusal(
        create, stub, APIM, "mlapi12premiumv2", inputs
    )


RULE_TESTS = {
    "Model-preview": test_model_preview_what_the_provider_validates_from_the_model_fails_the_preview,
    "Model-up": test_model_up_what_the_api_refuses_from_the_model_fails_the_create,
    "AWS-1": test_aws1_a_rollout_longer_than_the_providers_wait_fails_its_update,
    "AWS-2": test_aws2_a_rollback_keeps_the_old_configuration_whose_deletion_fails_the_next_update,
    "AWS-2b": test_aws2b_a_blue_green_update_keeps_the_variant_name,
    "AWS-4a": test_aws4a_the_bridge_deletes_first_a_resource_whose_name_is_explicit,
    "AWS-4b": test_aws4b_auto_rollback_configuration_is_force_new,
    "AWS-4c": test_aws4c_sagemaker_models_and_configurations_replace_on_all_but_tags,
    "AWS-6": test_aws6_a_cache_policy_with_caching_disabled_refuses_a_cache_key,
    "AWS-7a": test_aws7a_sagemaker_names_fail_terraform_validation,
    "AWS-7b": test_aws7b_sagemaker_refuses_a_trailing_hyphen_when_it_creates,
    "AWS-7c": test_aws7c_event_archive_names,
    "AWS-7d": test_aws7d_iam_role_names,
    "AWS-7e": test_aws7e_the_autonamer_refuses_a_name_without_room_for_its_suffix,
    "Azure-1": test_azure1_api_management_consumption_refuses_ssl30_and_cipher_properties,
    "Azure-2": test_azure2_an_ml_model_version_is_a_positive_integer,
    "Azure-3a": test_azure3a_managed_identity_origin_authentication_needs_an_https_probe,
    "Azure-3b": test_azure3b_a_route_to_it_forwards_https_only,
    "Azure-3c": test_azure3c_a_route_configuration_override_to_it_forwards_https_only,
    "Azure-4": test_azure4_a_role_assignment_needs_a_principal_id,
    "Azure-5": test_azure5_azure_native_deletes_first_unless_it_generated_the_name,
    "Azure-6": test_azure6_azure_native_refuses_an_explicit_name_azure_still_holds,
    "Azure-6b": test_azure6b_the_blob_custom_resource_refuses_a_blob_azure_still_holds,
    "Azure-7": test_azure7_zone_redundant_storage_only_where_the_region_offers_it,
    "Azure-8": test_azure8_getters_read_what_azure_holds_or_fail_with_arms_404,
    "Azure-9": test_azure9_a_delete_takes_the_resources_under_it,
    "Azure-10": test_azure10_a_workspaces_managed_network_isolation_only_tightens,
    "Azure-11": test_azure11_a_virtual_network_links_one_zone_of_a_name,
    "Azure-12": test_azure12_api_management_takes_a_virtual_network_only_in_the_tiers_that_have_one,
    "AWS-8": test_aws8_sagemaker_refuses_a_name_the_account_still_holds,
    "AWS-8b": test_aws8b_iam_refuses_a_role_name_the_account_still_holds,
    "AWS-9a": test_aws9a_stages_per_api,
    "AWS-9b": test_aws9b_usage_plans_per_api_key,
    "AWS-10": test_aws10_a_deleted_kms_key_is_pending_deletion_and_what_it_encrypts_is_unreadable,
    "AWS-11": test_aws11_cloud_control_reads_the_configuration_the_endpoint_runs,
    "AWS-12": test_aws12_an_s3_object_is_its_bucket_and_key,
    "AWS-13": test_aws13_a_private_api_is_not_deployed_without_a_resource_policy,
    "AWS-14": test_aws14_a_private_api_is_dualstack,
    "AWS-15": test_aws15_vpc_endpoint_ids_only_on_a_private_api,
    "AWS-16": test_aws16_serverless_cannot_serve_a_model_in_a_vpc,
    "Bridge-1": test_bridge1_a_failed_update_is_saved_with_the_requested_inputs,
    "Required": test_required_inputs_come_from_the_sdk_signatures,
    "Draw": test_draw_every_creation_draws_anew_and_one_history_draws_the_same,
}


def test_every_rule_has_a_contract_test() -> None:
    assert set(RULE_TESTS) == {rule.key for rule in RULES}


def test_get_online_deployment_reads_the_live_instance_count_or_is_not_found(stateful: dict[str, Any]) -> None:
    """The Azure backend sizes a deployment's update from getOnlineDeployment (issue 11 Azure 7):
    fakecloud answers from the cloud-side state, where autoscaling (here: drift) moved the count."""
    stub, state = stateful["azure-native"].stub, stateful["state"]
    token = "azure-native:machinelearningservices:OnlineDeployment"
    where = {"endpointName": "gd-ep", "deploymentName": "main", "workspaceName": "ws1", "resourceGroupName": "rg"}

    def get() -> dict[str, Any]:
        response = stub.Invoke(
            provider_pb2.InvokeRequest(
                tok="azure-native:machinelearningservices:getOnlineDeployment", args=to_struct(where)
            )
        )
        return from_struct(getattr(response, "return"))

    path = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
        "Microsoft.MachineLearningServices/workspaces/ws1/onlineEndpoints/gd-ep/deployments/main"
    )
    assert refusal(get) == arm_not_found(path), "azure-native's failure for ARM's 404 (rule Azure-8)"
    inputs = {**where, "location": "westeurope", "sku": {"name": "Default", "capacity": 2}, "properties": {}}
    rid, _ = create(stub, token, "gd-main", inputs)
    assert get()["sku"] == {"name": "Default", "capacity": 2}
    assert drift.main(["--state", str(state), "set", rid, "sku.capacity", "5"]) == 0
    assert get()["sku"] == {"name": "Default", "capacity": 5}
    stub.Delete(provider_pb2.DeleteRequest(urn=urn(token, "gd-main"), id=rid, properties=to_struct(inputs)))
    assert refusal(get) == arm_not_found(path)
