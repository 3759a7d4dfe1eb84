"""The gaps a review found by seeding one-line bugs into the provider (issue 13).

Each test here fails on one of those bugs:
- the AWS optional branches: monitoring off, no dead-letter queue, inference cache off,
  versioning off, and the geo-restriction mapping both ways (`allow` must never become
  CloudFront's blacklist);
- tags on every taggable child on both clouds (taggable: its SDK class takes a `tags` map);
- every platform setting a release inherits, at non-default values, on both clouds;
- `environment` reaching the inference container on both clouds.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
from typing import Any

import pulumi
import pytest
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease

from tests import mocks
from tests.unit.conftest import Build, policy

AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}}
V1 = {"name": "fraud-v1", "modelName": "fraud", "version": "1.0.0", "apiVersion": "v1"}
RELEASE_TAGS = {"mlserving:model": "fraud", "mlserving:version": "1.0.0", "mlserving:api-version": "v1"}
USER_TAGS = {"team": "ml", "cost-center": "4711"}
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS's managed CachingDisabled policy


def by_name(recorder: mocks.Recorder, typ: str) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in recorder.of_type(typ)}


def cloud_of(component: dict[str, Any]) -> dict[str, Any]:
    return component if component.get("cloud") == "azure" else {"cloud": "aws", **component}


# ---------------------------------------------------------------- AWS optional branches


@pytest.mark.parametrize("enabled", [True, False])
def test_aws_monitoring_off_makes_no_topic_alarms_or_rollback(build: Build, enabled: bool) -> None:
    recorder, platform, _ = build(
        {"monitoring": {"enabled": enabled, **({"alarmEmail": "ops@example.com"} if enabled else {})}}, [dict(V1)]
    )
    topics = recorder.of_type("aws:sns/topic:Topic")
    alarms = sorted(r.name for r in recorder.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"))
    endpoint = recorder.one("aws:sagemaker/endpoint:Endpoint").inputs
    # Every statement of the release's role (its rollback alarms are read through a policy of their own).
    statements = [
        s["Sid"]
        for role_policy in recorder.of_type("aws:iam/rolePolicy:RolePolicy")
        if role_policy.name.startswith("fraud-v1-")
        for s in policy(role_policy)["Statement"]
    ]
    if enabled:
        assert [t.name for t in topics] == ["ml-alarms"]
        assert len(recorder.of_type("aws:sns/topicSubscription:TopicSubscription")) == 1
        # The rollback alarms (new fleet) and the endpoint alarms that page (issue 18 AWS 3).
        assert alarms == [
            "fraud-v1-5xx-rate",
            "fraud-v1-endpoint-5xx-rate",
            "fraud-v1-endpoint-p99-latency",
            "fraud-v1-p99-latency",
        ]
        assert endpoint["deploymentConfig"]["autoRollbackConfiguration"] == {
            "alarms": [{"alarmName": "fraud-v1-5xx-rate-alarm"}, {"alarmName": "fraud-v1-p99-latency-alarm"}]
        }
        assert "ReadRollbackAlarms" in statements
        assert mocks.resolve(platform.outputs["alarmTopicArn"]) == "arn:aws:sns:eu-west-1:123456789012:ml-alarms"
    else:
        assert topics == []
        assert recorder.of_type("aws:sns/topicSubscription:TopicSubscription") == []
        assert alarms == []
        assert "autoRollbackConfiguration" not in endpoint["deploymentConfig"]
        assert "ReadRollbackAlarms" not in statements
        assert mocks.resolve(platform.outputs["alarmTopicArn"]) == ""


@pytest.mark.parametrize("dead_letter", [True, False])
def test_aws_events_with_and_without_a_dead_letter_queue(build: Build, dead_letter: bool) -> None:
    recorder, _, _ = build({"events": {"deadLetterQueue": dead_letter}})
    queues = by_name(recorder, "aws:sqs/queue:Queue")
    deliver = recorder.one("aws:cloudwatch/eventTarget:EventTarget", "ml-deliver-to-queue").inputs
    policies = sorted(r.name for r in recorder.of_type("aws:sqs/queuePolicy:QueuePolicy"))
    if dead_letter:
        assert sorted(queues) == ["ml-release-events", "ml-release-events-dlq"]
        dlq_arn = "arn:aws:sqs:eu-west-1:123456789012:ml-release-events-dlq"
        assert json.loads(queues["ml-release-events"]["redrivePolicy"]) == {
            "deadLetterTargetArn": dlq_arn,
            "maxReceiveCount": 5,
        }
        assert queues["ml-release-events-dlq"]["messageRetentionSeconds"] == 14 * 24 * 3600
        assert deliver["deadLetterConfig"] == {"arn": dlq_arn}
        assert policies == ["ml-release-events-dlq-policy", "ml-release-events-queue-policy"]
    else:
        assert sorted(queues) == ["ml-release-events"]
        assert "redrivePolicy" not in queues["ml-release-events"]
        assert "deadLetterConfig" not in deliver
        assert policies == ["ml-release-events-queue-policy"]


@pytest.mark.parametrize("enabled", [True, False])
def test_aws_inference_cache_on_and_off(build: Build, enabled: bool) -> None:
    recorder, _, _ = build({"cdn": {"inferenceCache": {"enabled": enabled, "defaultTtlSeconds": 30}}})
    policies = by_name(recorder, "aws:cloudfront/cachePolicy:CachePolicy")
    dist = recorder.one("aws:cloudfront/distribution:Distribution").inputs
    (models, inference) = dist["orderedCacheBehaviors"]
    assert (models["pathPattern"], inference["pathPattern"]) == ("/models/*", "/v*/*")
    assert models["cachePolicyId"] == "ml-artifact-cache-id"
    if enabled:
        assert sorted(policies) == ["ml-artifact-cache", "ml-inference-cache"]
        assert policies["ml-inference-cache"]["defaultTtl"] == 30
        assert inference["cachePolicyId"] == "ml-inference-cache-id"
    else:
        assert sorted(policies) == ["ml-artifact-cache"]
        assert inference["cachePolicyId"] == CACHING_DISABLED
    # Either way POST passes through and only GET/HEAD may be cached.
    assert inference["cachedMethods"] == ["GET", "HEAD"]


@pytest.mark.parametrize(("versioning", "status"), [(True, "Enabled"), (False, "Suspended")])
def test_aws_versioning_on_and_off(build: Build, versioning: bool, status: str) -> None:
    recorder, _, _ = build({"artifacts": {"versioning": versioning}})
    config = recorder.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert config["versioningConfiguration"] == {"status": status}


@pytest.mark.parametrize(
    ("restriction", "locations", "cloudfront"),
    [
        ("allow", ["DE", "FR"], "whitelist"),  # serve only these
        ("deny", ["KP", "IR"], "blacklist"),  # refuse these
        ("none", None, "none"),
    ],
)
def test_aws_geo_restriction_maps_to_cloudfront_both_ways(
    build: Build, restriction: str, locations: list[str] | None, cloudfront: str
) -> None:
    geo: dict[str, Any] = {"restrictionType": restriction, **({"locations": locations} if locations else {})}
    recorder, _, _ = build({"cdn": {"geoRestriction": geo}})
    dist = recorder.one("aws:cloudfront/distribution:Distribution").inputs
    assert dist["restrictions"] == {"geoRestriction": {"restrictionType": cloudfront, "locations": locations or []}}


# ---------------------------------------------------------------- tags


def sdk_class(typ: str) -> type[Any] | None:
    """The SDK class of a resource type token (`aws:s3/bucket:Bucket` -> pulumi_aws.s3.Bucket)."""
    package, module, name = typ.split(":")
    modules = {"aws": "pulumi_aws.", "azure-native": "pulumi_azure_native.", "random": "pulumi_random"}
    if package not in modules:
        return None
    found: type[Any] = getattr(
        importlib.import_module(modules[package] + (module.split("/")[0] if package != "random" else "")), name
    )
    return found


def taggable(typ: str) -> bool:
    """Whether a resource takes a tags map (AWS tags, Azure Resource Manager tags): its SDK
    class's `tags` input. API Management's `NamedValue.tags` is a list of labels, not tags."""
    cls = sdk_class(typ)
    if cls is None:
        return False
    parameter = inspect.signature(cls._internal_init).parameters.get("tags")
    return parameter is not None and "Mapping" in str(parameter.annotation)


def children(recorder: mocks.Recorder, component: str) -> list[mocks.Registered]:
    """The custom resources parented to one component (by the monitor's record of parents)."""
    monitor = mocks.monitor()
    return [r for r in recorder.resources if r.custom and monitor.parents.get((r.typ, r.name)) == component]


@pytest.mark.parametrize("platform", [{"cloud": "aws"}, AZ], ids=["aws", "azure"])
def test_every_taggable_platform_child_has_the_users_tags_and_the_platform_tag(
    build: Build, platform: dict[str, Any]
) -> None:
    recorder, built, _ = build({**platform, "tags": USER_TAGS}, [dict(V1)])
    mine = children(recorder, mocks.resolve(built.urn))
    tagged = {r.name: r.inputs.get("tags") for r in mine if taggable(r.typ)}
    assert len(tagged) >= (10 if platform["cloud"] == "aws" else 12)
    # Azure Front Door refuses `:` in tag names: its resources carry `mlserving-platform` (clouds/azure/cdn.py).
    front_door = {"ml-cdn", "ml-cdn-endpoint"} if platform["cloud"] == "azure" else set()
    assert front_door <= set(tagged)
    assert tagged == {
        key: {**USER_TAGS, ("mlserving-platform" if key in front_door else "mlserving:platform"): "ml"}
        for key in tagged
    }


@pytest.mark.parametrize("platform", [{"cloud": "aws"}, AZ], ids=["aws", "azure"])
def test_every_tagged_release_child_has_the_release_tags(build: Build, platform: dict[str, Any]) -> None:
    recorder, _, (release,) = build({**platform, "tags": USER_TAGS}, [dict(V1)])
    mine = children(recorder, mocks.resolve(release.urn))
    tagged = {r.name: r.inputs["tags"] for r in mine if taggable(r.typ) and "tags" in r.inputs}
    assert len(tagged) >= 5
    for name, tags in tagged.items():
        assert RELEASE_TAGS.items() <= tags.items(), name


@pytest.mark.parametrize("platform", [{"cloud": "aws"}, AZ], ids=["aws", "azure"])
def test_every_taggable_release_child_also_has_the_platform_tags(build: Build, platform: dict[str, Any]) -> None:
    recorder, _, (release,) = build({**platform, "tags": USER_TAGS}, [dict(V1)])
    mine = children(recorder, mocks.resolve(release.urn))
    tagged = {r.name: r.inputs.get("tags") for r in mine if taggable(r.typ)}
    assert tagged == {key: {**USER_TAGS, "mlserving:platform": "ml", **RELEASE_TAGS} for key in tagged}


# ---------------------------------------------------------------- settings a release inherits

TUNED_SCALING = {
    "minReplicas": 2,
    "maxReplicas": 7,
    "scaleInCooldownSeconds": 420,
    "scaleOutCooldownSeconds": 120,
}


def test_aws_release_inherits_every_platform_setting(build: Build) -> None:
    recorder, _, _ = build(
        {
            "scaling": {**TUNED_SCALING, "targetInvocationsPerReplica": 250},
            "api": {"throttleRateLimit": 12.5, "throttleBurstLimit": 25, "quota": {"limit": 1000, "period": "WEEK"}},
            "monitoring": {"latencyP99ThresholdMs": 250, "errorRatePercentThreshold": 2.5},
            "artifacts": {"retainOnDelete": False},
        },
        [dict(V1)],
    )
    target = recorder.one("aws:appautoscaling/target:Target").inputs
    assert (target["minCapacity"], target["maxCapacity"]) == (2, 7)
    tracking = recorder.one("aws:appautoscaling/policy:Policy").inputs["targetTrackingScalingPolicyConfiguration"]
    assert (tracking["targetValue"], tracking["scaleInCooldown"], tracking["scaleOutCooldown"]) == (250, 420, 120)
    (variant,) = recorder.one("aws:sagemaker/endpointConfiguration:EndpointConfiguration").inputs["productionVariants"]
    assert variant["initialInstanceCount"] == 7  # a new fleet starts at maxReplicas
    settings = recorder.one("aws:apigateway/methodSettings:MethodSettings").inputs["settings"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == (12.5, 25)
    plan = recorder.one("aws:apigateway/usagePlan:UsagePlan").inputs
    assert plan["throttleSettings"] == {"rateLimit": 12.5, "burstLimit": 25}
    assert plan["quotaSettings"] == {"limit": 1000, "period": "WEEK"}
    assert len(recorder.of_type("aws:apigateway/usagePlanKey:UsagePlanKey")) == 1
    alarms = by_name(recorder, "aws:cloudwatch/metricAlarm:MetricAlarm")
    topic = "arn:aws:sns:eu-west-1:123456789012:ml-alarms"
    # The endpoint alarms page; the rollback alarms (new fleet) only roll back (issue 18 AWS 3).
    for prefix, actions in (("fraud-v1-endpoint-", [topic]), ("fraud-v1-", None)):
        assert alarms[f"{prefix}5xx-rate"]["threshold"] == 2.5
        assert alarms[f"{prefix}p99-latency"]["threshold"] == 250_000  # ModelLatency is in microseconds
        for alarm in (alarms[f"{prefix}5xx-rate"], alarms[f"{prefix}p99-latency"]):
            assert (alarm.get("alarmActions"), alarm.get("okActions")) == (actions, actions)
    upload = recorder.one("aws:s3/bucketObjectv2:BucketObjectv2")
    assert mocks.monitor().options[upload.name]["retainOnDelete"] is False


def test_aws_release_inherits_a_keyless_unmonitored_platform(build: Build) -> None:
    recorder, _, _ = build({"api": {"requireApiKey": False}, "monitoring": {"enabled": False}}, [dict(V1)])
    assert recorder.of_type("aws:apigateway/usagePlan:UsagePlan") == []
    assert recorder.of_type("aws:apigateway/usagePlanKey:UsagePlanKey") == []
    assert recorder.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") == []
    endpoint = recorder.one("aws:sagemaker/endpoint:Endpoint").inputs
    assert "autoRollbackConfiguration" not in endpoint["deploymentConfig"]
    upload = recorder.one("aws:s3/bucketObjectv2:BucketObjectv2")
    assert mocks.monitor().options[upload.name]["retainOnDelete"] is True


def test_azure_release_inherits_every_platform_setting(build: Build) -> None:
    recorder, _, _ = build(
        {
            **AZ,
            "scaling": {**TUNED_SCALING, "targetCpuPercent": 55},
            "api": {"requireApiKey": False},
            "monitoring": {"latencyP99ThresholdMs": 250, "errorRatePercentThreshold": 2.5},
            "artifacts": {"retainOnDelete": False},
        },
        [dict(V1)],
    )
    (profile,) = recorder.one("azure-native:monitor:AutoscaleSetting").inputs["profiles"]
    assert profile["capacity"] == {"minimum": "2", "maximum": "7", "default": "2"}
    out, scale_in = profile["rules"]
    assert (out["metricTrigger"]["threshold"], out["scaleAction"]["cooldown"]) == (55, "PT2M")
    assert (scale_in["metricTrigger"]["threshold"], scale_in["scaleAction"]["cooldown"]) == (27.5, "PT7M")
    alerts = by_name(recorder, "azure-native:monitor:MetricAlert")
    assert alerts["fraud-v1-p99-latency"]["criteria"]["allOf"][0]["threshold"] == 250
    assert alerts["fraud-v1-5xx"]["criteria"]["allOf"][0]["threshold"] == 2.5
    for alert in alerts.values():
        assert alert["actions"] == [{"actionGroupId": "ml-alerts-id"}]
    api = recorder.one("azure-native:apimanagement:Api").inputs
    assert api["subscriptionRequired"] is False
    # A release's blobs are kept whatever `retainOnDelete` says (issue 18 Azure 10: a frozen `main`
    # still reads them); the storage account takes them with it on destroy.
    assert recorder.of_type("azure-native:storage:Blob") != []
    for blob in recorder.of_type("azure-native:storage:Blob"):
        assert mocks.monitor().options[blob.name]["retainOnDelete"] is True
    assert mocks.monitor().options["ml-artifacts"]["retainOnDelete"] is False


def test_azure_release_of_an_unmonitored_platform_has_no_alerts(build: Build) -> None:
    recorder, _, _ = build({**AZ, "monitoring": {"enabled": False}}, [dict(V1)])
    assert recorder.of_type("azure-native:monitor:MetricAlert") == []
    api = recorder.one("azure-native:apimanagement:Api").inputs
    assert api["subscriptionRequired"] is True


# ---------------------------------------------------------------- environment

ENVIRONMENT = {"MODEL_THRESHOLD": "0.7", "LOG_LEVEL": "debug"}


def test_aws_environment_reaches_the_container(build: Build) -> None:
    recorder, _, _ = build({}, [{**V1, "environment": ENVIRONMENT}])
    container = recorder.one("aws:sagemaker/model:Model").inputs["primaryContainer"]
    assert container["environment"] == ENVIRONMENT


def test_azure_environment_reaches_the_container(build: Build) -> None:
    recorder, _, _ = build(AZ, [{**V1, "environment": ENVIRONMENT}])
    deployment = recorder.one("azure-native:machinelearningservices:OnlineDeployment").inputs
    assert deployment["properties"]["environmentVariables"] == ENVIRONMENT


def test_a_secret_environment_value_reaches_the_container_as_a_secret(build: Build) -> None:
    recorder, _, _ = build({}, [{**V1, "environment": {"TOKEN": pulumi.Output.secret("s3cr3t"), "A": "b"}}])
    container = recorder.one("aws:sagemaker/model:Model").inputs["primaryContainer"]
    # The SDK marks the whole container secret when one value in it is.
    assert container == mocks.secret_input(
        {
            "environment": {"A": "b", "TOKEN": "s3cr3t"},
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
            "modelDataUrl": container["value"]["modelDataUrl"],
        }
    )


# ---------------------------------------------------------------- platforms of earlier versions


def release_of_an_earlier_platform(
    model_archive: pulumi.FileArchive, platform: dict[str, Any], drop_setting: str = "", drop_attachment: str = ""
) -> mocks.Recorder:
    """A release attached to a platform of an earlier version, which published neither the
    setting `drop_setting` nor the attachment `drop_attachment`."""
    recorder = mocks.install()
    built = mocks.run(lambda: MLServingPlatform.from_inputs("ml", platform, pulumi.ResourceOptions()))
    urn = mocks.resolve(built.urn)
    registration = mocks.monitor().resources[urn]
    attachments = dict(registration.state["attachments"])
    settings = json.loads(attachments["settings"])
    if drop_setting:
        del settings[drop_setting]
    if drop_attachment:
        del attachments[drop_attachment]
    attachments["settings"] = json.dumps(settings)
    mocks.monitor().resources[urn] = registration._replace(state={**registration.state, "attachments": attachments})
    inputs: dict[str, Any] = {"platform": PlatformReference(urn), "artifact": model_archive, "image": "registry/xgb:1"}
    inputs.update({k: v for k, v in V1.items() if k != "name"})
    mocks.run(functools.partial(ModelRelease.from_inputs, V1["name"], inputs, pulumi.ResourceOptions()))
    return recorder


@pytest.mark.parametrize("platform", [{"cloud": "aws"}, AZ], ids=["aws", "azure"])
def test_a_platform_published_before_retain_on_delete_existed_keeps_release_artifacts(
    model_archive: pulumi.FileArchive, platform: dict[str, Any]
) -> None:
    """A platform of an earlier version publishes no `retainOnDelete`: its releases' artifact
    uploads are retained, as they were then (even where this platform says false)."""
    recorder = release_of_an_earlier_platform(
        model_archive, {**platform, "artifacts": {"retainOnDelete": False}}, drop_setting="retainOnDelete"
    )
    uploads = recorder.of_type("aws:s3/bucketObjectv2:BucketObjectv2") + recorder.of_type("azure-native:storage:Blob")
    assert uploads
    assert {u.name: mocks.monitor().options[u.name]["retainOnDelete"] for u in uploads} == {
        u.name: True for u in uploads
    }


def test_a_platform_published_before_its_api_definition_existed_keeps_one_deployment_trigger(
    model_archive: pulumi.FileArchive,
) -> None:
    """Without the platform's `apiDefinition`, a release's API deployment is triggered by an
    empty definition: stable, so the release does not redeploy its stage on every update."""
    recorder = release_of_an_earlier_platform(model_archive, {"cloud": "aws"}, drop_attachment="apiDefinition")
    deployment = recorder.one("aws:apigateway/deployment:Deployment").inputs
    assert deployment["triggers"] == {"apiDefinition": ""}
