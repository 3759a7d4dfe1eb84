"""The must-accept table, beside the must-refuse catalogue (tests/unit/test_bad_inputs.py).

Valid edge inputs must construct: the smallest and the largest value of every range the
schema states, every SageMaker and Azure ML instance type, one-letter and 32-letter model
names, the most cache keys allowed. A validation rule one step too strict fails here, as a
rule one step too loose fails the catalogue. Each row goes through the construct path
(`MLServingPlatform.from_inputs` / `ModelRelease.from_inputs`) under the mocks and must
build the component and its key child; the fuzzer's oracle (tests/unit/oracle.py, derived
from schema.json) must accept it too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest
from mlserving_provider.args import Scaling
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease
from mlserving_provider.validation import validate_release

from tests import mocks
from tests.unit import oracle

IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1"
AZ: dict[str, Any] = {"azure": {"location": "westeurope"}}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
COMPONENT = {"platform": "mlserving:index:MLServingPlatform", "release": "mlserving:index:ModelRelease"}
# The child that shows a component was built, not only registered.
KEY_CHILD = {
    ("platform", "aws"): "aws:s3/bucket:Bucket",
    ("platform", "azure"): "azure-native:storage:StorageAccount",
    ("release", "aws"): "aws:sagemaker/endpoint:Endpoint",
    ("release", "azure"): "azure-native:machinelearningservices:OnlineDeployment",
}


@dataclass(frozen=True)
class Good:
    """Valid inputs: a platform's (release is None) or a release's on a platform of `cloud`."""

    cloud: str
    note: str
    platform: dict[str, Any] = field(default_factory=dict)
    release: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return f"{'release' if self.release is not None else 'platform'}-{self.cloud}-{self.note}"


def P(cloud: str, note: str, **inputs: Any) -> Good:  # noqa: N802 (reads like a table)
    return Good(cloud, note, platform=inputs)


def R(cloud: str, note: str, platform: dict[str, Any] | None = None, **inputs: Any) -> Good:  # noqa: N802
    return Good(cloud, note, platform=platform or {}, release=inputs)


NET_AWS: dict[str, Any] = {
    "vpcId": "vpc-0a1b2c3d",
    "subnetIds": ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
    "routeTableIds": ["rtb-0a1b2c3d"],
}
SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/net/providers/Microsoft.Network/"
NET_AZURE: dict[str, Any] = {
    "subnetId": SUBNET + "virtualNetworks/vnet/subnets/endpoints",
    "apiSubnetId": SUBNET + "virtualNetworks/vnet/subnets/apim",
}
HEADERS = [f"X-Key-{i}" for i in range(10)]
QUERY = [f"q{i}" for i in range(10)]

PLATFORM_ROWS = [
    # ---- the smallest and largest values of every stated range
    *(
        P(cloud, f"artifacts-{days}-days", artifacts={"noncurrentVersionExpirationDays": days})
        for cloud in ("aws", "azure")
        for days in (1, 3650)
    ),
    P("aws", "artifact-ttl-1", cdn={"artifactTtlSeconds": 1}),
    P("azure", "artifact-ttl-0", cdn={"artifactTtlSeconds": 0}),
    *(P(cloud, "artifact-ttl-1y", cdn={"artifactTtlSeconds": 31_536_000}) for cloud in ("aws", "azure")),
    P("aws", "cache-ttl-0-1", cdn={"inferenceCache": {"defaultTtlSeconds": 0, "maxTtlSeconds": 1}}),
    P("azure", "cache-ttl-0-0", cdn={"inferenceCache": {"defaultTtlSeconds": 0, "maxTtlSeconds": 0}}),
    P("aws", "cache-off-ttl-0", cdn={"inferenceCache": {"enabled": False, "defaultTtlSeconds": 0, "maxTtlSeconds": 0}}),
    *(
        P(cloud, "cache-ttl-1y", cdn={"inferenceCache": {"defaultTtlSeconds": 31_536_000, "maxTtlSeconds": 31_536_000}})
        for cloud in ("aws", "azure")
    ),
    P("aws", "scaling-1-1", scaling={"minReplicas": 1, "maxReplicas": 1, "targetInvocationsPerReplica": 1}),
    P("aws", "scaling-100-100", scaling={"minReplicas": 100, "maxReplicas": 100}),
    P("aws", "cooldowns-0", scaling={"scaleInCooldownSeconds": 0, "scaleOutCooldownSeconds": 0}),
    P("aws", "cooldowns-3600", scaling={"scaleInCooldownSeconds": 3600, "scaleOutCooldownSeconds": 3600}),
    P("azure", "cooldowns-60", scaling={"scaleInCooldownSeconds": 60, "scaleOutCooldownSeconds": 60}),
    P("azure", "cooldowns-3600", scaling={"scaleInCooldownSeconds": 3600, "scaleOutCooldownSeconds": 3600}),
    P("azure", "cpu-1", scaling={"targetCpuPercent": 1, "minReplicas": 1, "maxReplicas": 100}),
    P("azure", "cpu-100", scaling={"targetCpuPercent": 100}),
    P("aws", "invocations-large", scaling={"targetInvocationsPerReplica": 1_000_000}),
    *(
        P(
            cloud,
            "api-small",
            api={"throttleRateLimit": 0.5, "throttleBurstLimit": 1, "quota": {"limit": 1, "period": "DAY"}},
        )
        for cloud in ("aws", "azure")
    ),
    *(
        P(cloud, f"quota-{period}", api={"quota": {"limit": 1_000_000_000, "period": period}})
        for cloud in ("aws", "azure")
        for period in ("DAY", "WEEK", "MONTH")
    ),
    *(
        P(cloud, f"archive-{days}", events={"archiveRetentionDays": days})
        for cloud in ("aws", "azure")
        for days in (0, 36500)
    ),
    *(
        P(cloud, "alarms-edges", monitoring={"latencyP99ThresholdMs": 0.5, "errorRatePercentThreshold": 100})
        for cloud in ("aws", "azure")
    ),
    P("aws", "error-rate-tiny", monitoring={"errorRatePercentThreshold": 0.01, "alarmEmail": "a@b.co"}),
    # ---- the most keys allowed
    P("aws", "9-headers-with-api-key", cdn={"inferenceCache": {"headerKeys": HEADERS[:9], "queryStringKeys": QUERY}}),
    P(
        "aws",
        "10-headers-without-api-key",
        api={"requireApiKey": False},
        cdn={"inferenceCache": {"headerKeys": [*HEADERS[:9], "x-api-key"]}},
    ),
    P("azure", "10-query-keys", cdn={"inferenceCache": {"queryStringKeys": QUERY}}),
    P(
        "aws",
        "token-header-names",
        cdn={"inferenceCache": {"headerKeys": ["Accept", "X-Model_Version", "a!#$%&'*+.^`|~"]}},
    ),
    *(
        P("aws", f"geo-{kind}-1", cdn={"geoRestriction": {"restrictionType": kind, "locations": ["DE"]}})
        for kind in ("allow", "deny")
    ),
    P(
        "aws",
        "geo-many",
        cdn={"geoRestriction": {"restrictionType": "deny", "locations": ["CU", "IR", "KP", "SY", "RU"]}},
    ),
    *(P("aws", f"price-{c}", cdn={"priceClass": c}) for c in ("PriceClass_100", "PriceClass_200", "PriceClass_All")),
    P("azure", "price-default-sent-by-an-sdk", cdn={"priceClass": "PriceClass_100"}),
    P(
        "aws",
        "custom-domain",
        cdn={
            "customDomain": "m.example.com",
            "certificateArn": CERT,
            "webAclArn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ml/1",
        },
    ),
    P("azure", "custom-domain-no-cert", cdn={"customDomain": "models.example.co.uk"}),
    P("aws", "cdn-off", cdn={"enabled": False}),
    P(
        "aws",
        "everything-off",
        cdn={"enabled": False},
        events={"enabled": False},
        monitoring={"enabled": False},
        api={"requireApiKey": False},
    ),
    P(
        "azure",
        "everything-off",
        cdn={"enabled": False},
        events={"enabled": False},
        monitoring={"enabled": False},
        api={"requireApiKey": False},
    ),
    P(
        "aws",
        "kms-key",
        artifacts={
            "kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd",
            "versioning": False,
            "retainOnDelete": False,
        },
    ),
    P("aws", "46-tags", tags={f"k{i}": "v" * 256 for i in range(46)}),
    P("aws", "tag-characters", tags={"k" * 128: "", "Équipe: ml/ops=+-@_. 1": "Straße 5 données"}),
    P("azure", "14-tags", tags={f"k{i}": "v" * 256 for i in range(14)}),
    P("azure", "tag-colon-without-cdn", cdn={"enabled": False}, tags={"team:owner#1": "v", "k" * 128: "x"}),
    # ---- private networking (issue 21): each cloud's smallest and fullest network
    P("aws", "network-public", network={"aws": NET_AWS}),
    P(
        "aws",
        "network-private-given-endpoints",
        network={
            "public": False,
            "createEndpoints": False,
            "containerEgress": "internet",
            "aws": {
                "vpcId": "vpc-0123456789abcdef0",
                "subnetIds": [f"subnet-{i:08x}" for i in range(16)],
                "securityGroupIds": [f"sg-{i:08x}" for i in range(5)],
                "s3EndpointId": "vpce-0a1b2c3d",
                "apiEndpointIds": ["vpce-0a1b2c3e"],
            },
        },
    ),
    P(
        "aws",
        "network-private-cache-off",
        cdn={"inferenceCache": {"enabled": False}},
        network={"public": False, "aws": NET_AWS},
    ),
    P("azure", "network-public", network={"azure": NET_AZURE}),
    P("azure", "network-private-premium", network={"public": False, "azure": {**NET_AZURE, "apiSku": "Premium"}}),
    P(
        "azure",
        "network-private-developer-no-cdn",
        cdn={"enabled": False},
        network={
            "public": False,
            "createEndpoints": False,
            "containerEgress": "internet",
            "azure": {**NET_AZURE, "apiSku": "Developer"},
        },
    ),
    P("azure", "display-location", azure={"location": "West Europe"}),
    P("azure", "zrs-in-a-zrs-region", artifacts={"redundancy": "ZRS"}),
    P("azure", "gzrs-in-a-gzrs-region", azure={"location": "East US 2"}, artifacts={"redundancy": "GZRS"}),
    P("azure", "zrs-not-gzrs-region", azure={"location": "italynorth"}, artifacts={"redundancy": "ZRS"}),
    P("azure", "lrs-in-a-zrs-region", artifacts={"redundancy": "LRS"}),
    P("azure", "grs-without-zrs", azure={"location": "westus"}, artifacts={"redundancy": "GRS"}),
    P("azure", "no-zrs-region-default", azure={"location": "westus"}),
    P("azure", "group-one-letter", azure={"location": "westeurope", "resourceGroupName": "g"}),
    P("azure", "group-90", azure={"location": "westeurope", "resourceGroupName": "r" * 88 + "()"}),
    P("azure", "group-punctuation", azure={"location": "westeurope", "resourceGroupName": "rg_(ml).1-x"}),
]

SAGEMAKER_TYPES = sorted(oracle.SAGEMAKER_INSTANCE_TYPES)
AZURE_SIZES = sorted(oracle.AZURE_VM_SIZES)


def _size(instance: str) -> int:
    """`ml.m5.24xlarge` -> 24, `ml.m5.xlarge` -> 1, `ml.m5.large` -> 0."""
    size = instance.split(".")[2]
    return int(size.removesuffix("xlarge") or 1) if size.endswith("xlarge") else 0


def _largest_per_family(types: list[str]) -> list[str]:
    """One type per SageMaker family, its largest, so every family constructs once."""
    by_family: dict[str, str] = {}
    for instance in sorted(types, key=_size):
        by_family[instance.split(".")[1]] = instance
    return sorted(by_family.values())


RELEASE_ROWS = [
    # ---- names and versions
    *(R(cloud, "model-x", modelName="x") for cloud in ("aws", "azure")),
    *(R(cloud, "model-32", modelName="a" + "b1-" * 10 + "z") for cloud in ("aws", "azure")),
    R("aws", "model-double-hyphen", modelName="a--b"),
    *(R(cloud, "version-0.0.1", version="0.0.1") for cloud in ("aws", "azure")),
    R("azure", "version-largest", version="2146.999.999"),
    R("aws", "version-prerelease-build", version="1.0.0-rc.1+build.5"),
    R("aws", "version-huge", version="99999.0.0"),
    *(R(cloud, f"api-{v}", apiVersion=v) for cloud in ("aws", "azure") for v in ("v1", "v10")),
    # Past API Gateway's 10 stages per API: on a platform whose quota was raised (issue 18 AWS 2).
    R("aws", "api-v999-raised-quota", platform={"api": {"stageQuota": 999}}, apiVersion="v999"),
    R("azure", "api-v999", apiVersion="v999"),
    R("azure", "image-public", image="mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest"),
    R("aws", "image-digest", image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb@sha256:" + "a" * 64),
    # ---- every SageMaker instance family, every Azure ML size name's case
    R("aws", "ml.t2.medium-smallest", instanceType="ml.t2.medium"),
    R("azure", "size-as-listed", instanceType="STANDARD_DS3_V2"),
    R("azure", "size-as-in-portal", instanceType="Standard_NC24ads_A100_v4"),
    R("azure", "size-smallest", instanceType="Standard_DS1_v2"),
    # ---- rollouts at their bounds
    *(
        R(cloud, f"canary-{p}", rollout={"strategy": "canary", "canaryPercent": p})
        for cloud in ("aws", "azure")
        for p in (1, 50)
    ),
    R(
        "aws",
        "linear-10",
        rollout={"strategy": "linear", "linearStepPercent": 10, "waitSeconds": 270, "autoRollback": False},
    ),
    R("aws", "linear-50", rollout={"strategy": "linear", "linearStepPercent": 50, "waitSeconds": 1350}),
    R("aws", "linear-20-longest", rollout={"strategy": "linear", "linearStepPercent": 20, "waitSeconds": 540}),
    R("aws", "wait-2700", rollout={"waitSeconds": 2700}),
    R("aws", "wait-300", rollout={"waitSeconds": 300}),
    R("aws", "wait-0-no-rollback", rollout={"waitSeconds": 0, "autoRollback": False}),
    R("azure", "wait-0", rollout={"waitSeconds": 0}),
    R("azure", "wait-3600", rollout={"waitSeconds": 3600}),
    R("aws", "fleet-min", rollout={"newFleetReplicas": 1}),
    R("aws", "fleet-max", scaling={"maxReplicas": 100}, rollout={"newFleetReplicas": 100}),
    R("aws", "inf1-all-at-once", instanceType="ml.inf1.xlarge"),
    # ---- serverless, data capture, scaling and environment at their bounds
    *(
        R("aws", f"serverless-{mb}", serverless={"memorySizeMb": mb, "maxConcurrency": 1})
        for mb in (1024, 2048, 3072, 4096, 5120, 6144)
    ),
    R("aws", "serverless-200", serverless={"maxConcurrency": 200}),
    *(R("aws", f"capture-{p}", dataCapture={"enabled": True, "samplingPercent": p}) for p in (1, 100)),
    R("aws", "scaling-100", scaling={"minReplicas": 100, "maxReplicas": 100}),
    R(
        "aws",
        "scaling-over-tuned-platform",
        {"scaling": {"minReplicas": 5, "maxReplicas": 10}},
        scaling={"maxReplicas": 5},
    ),
    R("azure", "scaling-cpu-edges", scaling={"targetCpuPercent": 1, "scaleInCooldownSeconds": 60}),
    *(
        R(cloud, "environment-100", environment={f"VAR_{i}": "v" * 1024 for i in range(100)})
        for cloud in ("aws", "azure")
    ),
    R("azure", "request-settings-min", requestSettings={"maxConcurrentRequestsPerInstance": 1, "requestTimeoutMs": 1}),
    R(
        "azure",
        "request-settings-max",
        requestSettings={"maxConcurrentRequestsPerInstance": 1000, "requestTimeoutMs": 180000},
    ),
    R("aws", "in-a-vpc", {"network": {"aws": NET_AWS}}),
    R("azure", "in-a-managed-network", {"network": {"azure": NET_AZURE}}),
    R(
        "aws",
        "on-lean-platform",
        {"cdn": {"enabled": False}, "monitoring": {"enabled": False}, "events": {"enabled": False}},
    ),
]
ROWS = PLATFORM_ROWS + RELEASE_ROWS


def platform_inputs(row: Good) -> dict[str, Any]:
    return {"cloud": row.cloud, **(AZ if row.cloud == "azure" else {}), **row.platform}


def release_inputs(row: Good, ref: pulumi.Resource, model_dir: Path) -> dict[str, Any]:
    assert row.release is not None
    return {
        "platform": ref,
        "modelName": "fraud",
        "version": "1.0.0",
        "apiVersion": "v1",
        "artifact": pulumi.FileArchive(str(model_dir)),
        "image": IMAGE,
        **row.release,
    }


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_valid_edge_inputs_construct(row: Good, model_dir: Path) -> None:
    recorder = mocks.install()
    raw = platform_inputs(row)
    assert oracle.platform(raw).accepted, oracle.platform(raw).refusals
    built = mocks.run(functools.partial(MLServingPlatform.from_inputs, "ml", raw, pulumi.ResourceOptions()))
    kind = "platform"
    if row.release is not None:
        kind = "release"
        urn = mocks.resolve(built.urn)
        inputs = release_inputs(row, PlatformReference(urn), model_dir)
        verdict = oracle.release(inputs, {urn: oracle.platform_facts(raw)})
        assert verdict.accepted, verdict.refusals
        before = len(recorder.resources)
        mocks.run(functools.partial(ModelRelease.from_inputs, "edge", inputs, pulumi.ResourceOptions()))
        recorder.resources[:] = recorder.resources[before:]
    assert len(recorder.of_type(COMPONENT[kind])) == 1
    assert recorder.of_type(KEY_CHILD[(kind, row.cloud)]), recorder.types()
    # Every child meets its cloud's published API model (tests/fakecloud/apimodels).
    assert recorder.api_model_violations() == []


def test_every_sagemaker_family_constructs(model_dir: Path) -> None:
    """One release per SageMaker instance family (its largest size) on one platform."""
    types = _largest_per_family(SAGEMAKER_TYPES)
    assert {t.split(".")[1] for t in types} >= {"g5", "g6e", "p4de", "inf2", "trn1n", "dl1", "p6-b200", "p6e-gb200"}
    recorder = mocks.install()
    # More API versions than API Gateway's default 10 stages per API: a raised quota (issue 18 AWS 2).
    raw = {"cloud": "aws", "api": {"stageQuota": len(types)}}
    built = mocks.run(functools.partial(MLServingPlatform.from_inputs, "ml", raw, pulumi.ResourceOptions()))
    urn = mocks.resolve(built.urn)
    facts = {urn: oracle.platform_facts(raw)}
    for i, instance in enumerate(types):
        row = R("aws", instance, apiVersion=f"v{i + 1}", instanceType=instance)
        inputs = release_inputs(row, PlatformReference(urn), model_dir)
        assert oracle.release(inputs, facts).accepted, instance
        mocks.run(functools.partial(ModelRelease.from_inputs, f"r{i}", inputs, pulumi.ResourceOptions()))
    configs = recorder.of_type("aws:sagemaker/endpointConfiguration:EndpointConfiguration")
    assert sorted(c.inputs["productionVariants"][0]["instanceType"] for c in configs) == types
    assert len(recorder.of_type("aws:sagemaker/endpoint:Endpoint")) == len(types)
    assert recorder.api_model_violations() == []


@pytest.mark.parametrize(("cloud", "types"), [("aws", SAGEMAKER_TYPES), ("azure", AZURE_SIZES)])
def test_every_instance_type_passes_validation(cloud: str, types: list[str], model_dir: Path) -> None:
    """Every size SageMaker hosting and Azure ML managed online endpoints offer (each family also
    constructs above): validated with the platform's default scaling, as construct does."""
    refused = {}
    for instance in types:
        raw = {
            "platform": _Ref(),
            "modelName": "fraud",
            "version": "1.0.0",
            "apiVersion": "v1",
            "artifact": pulumi.FileArchive(str(model_dir)),
            "image": IMAGE,
            "instanceType": instance,
        }
        try:
            validate_release(raw, lambda: (cloud, Scaling()))
        except pulumi.InputPropertiesError as err:
            refused[instance] = err.errors
    assert refused == {}
    assert len(types) == (277 if cloud == "aws" else 85)


class _Ref(pulumi.CustomResource):
    """A resource reference for the parser (validate_release reads the platform through its callable)."""

    def __init__(self) -> None:  # never registered
        pass
