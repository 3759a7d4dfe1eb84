"""fakecloud (the test double of the aws / azure-native / random plugins) speaks the provider protocol.

Each stand-in is started through its launcher, as the engine starts it, and answers
real gRPC calls: the versions the SDKs ask for, configuration, checks with autonaming,
diffs with replacements, deterministic creates, updates, deletes, invokes and the
recording that the engine tests read.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from tests.fakecloud import install
from tests.fakecloud.packages import plugin_versions
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


def start(package: str, record: Path) -> Plugin:
    process = subprocess.Popen(
        [str(BIN / f"pulumi-resource-{package}"), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "FAKECLOUD_RECORD": str(record)},
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
    assert first == {"forceDestroy": False, "bucket": "ml-artifacts-ef00879"}
    assert check(stub, bucket, "ml-artifacts", {"forceDestroy": False}) == first
    kept = check(stub, bucket, "ml-artifacts", {"forceDestroy": True}, olds=first)
    assert kept["bucket"] == "ml-artifacts-ef00879"
    # A replacement is checked without old inputs: new inputs, new name.
    assert check(stub, bucket, "ml-artifacts", {"forceDestroy": True})["bucket"] == "ml-artifacts-4303800"
    given = check(stub, "aws:sagemaker/endpoint:Endpoint", "e", {"name": "mls-1-sentiment-v1"})
    assert given == {"name": "mls-1-sentiment-v1"}
    assert check(stub, "aws:kms/key:Key", "k", {"description": "d"}) == {"description": "d"}


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
            ["tags"],
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
    assert response.deleteBeforeReplace is False
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
    assert create(stub, "aws:cloudfront/distribution:Distribution", "ml-cdn", {"enabled": True}) == (dist_id, dist)
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


def test_random_values_are_deterministic_and_the_password_stays_secret(plugins: dict[str, Plugin]) -> None:
    stub = plugins["random"].stub
    rid, suffix = create(stub, "random:index/randomId:RandomId", "ml-id", {"byteLength": 4.0})
    assert re.fullmatch(r"[0-9a-f]{8}", suffix["hex"])
    assert rid == suffix["b64Url"]
    assert create(stub, "random:index/randomId:RandomId", "ml-id", {"byteLength": 4.0}) == (rid, suffix)
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
        {"endpointName": "ep-1", "location": "westeurope", "onlineEndpointProperties": {"authMode": "Key"}},
    )
    assert endpoint["onlineEndpointProperties"] == {
        "authMode": "Key",
        "scoringUri": "https://ep-1.westeurope.inference.ml.azure.com/score",
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
