"""The validation layer: one row per rule, each with its exact property path and message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from mlserving_provider.args import RequestSettings, Scaling
from mlserving_provider.validation import check_api_stage_quota, validate_platform, validate_release

DEFAULT_SCALING = Scaling(1, 4, 100, 70, 300, 60)


def platform_errors(inputs: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        validate_platform(inputs)
    assert caught.value.errors is not None
    return [(e["property_path"], e["reason"]) for e in caught.value.errors]


def release_errors(inputs: dict[str, Any], cloud: str = "aws") -> list[tuple[str, str]]:
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        validate_release(inputs, lambda: (cloud, DEFAULT_SCALING))
    assert caught.value.errors is not None
    return [(e["property_path"], e["reason"]) for e in caught.value.errors]


AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}}
PLATFORM_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({}, "cloud", "'cloud' is required"),
    ({"cloud": "gcp"}, "cloud", "'cloud' must be one of 'aws', 'azure' (got 'gcp')"),
    ({"cloud": "azure"}, "azure", "'azure' is required when 'cloud' is 'azure' (set 'azure.location')"),
    (
        {**AZ, "artifacts": {"kmsKeyArn": "arn:aws:kms:eu-west-1:1:key/x"}},
        "artifacts.kmsKeyArn",
        "'artifacts.kmsKeyArn' is only used when 'cloud' is 'aws' (got cloud 'azure')",
    ),
    (
        {"cloud": "azure", "azure": {"location": "westus"}, "artifacts": {"redundancy": "ZRS"}},
        "artifacts.redundancy",
        "'artifacts.redundancy' must be 'LRS' or 'GRS' in Azure region 'westus', where Azure Storage offers no "
        "zone-redundant storage: ZRS and GZRS are offered only in the regions listed at https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs "
        "(mlserving's copy, read on 2026-12-06, may lag it) (got 'ZRS')",
    ),
    (
        {"cloud": "aws", "artifacts": {"redundancy": "LRS"}},
        "artifacts.redundancy",
        "'artifacts.redundancy' is only used when 'cloud' is 'azure' (got cloud 'aws': S3 stores every object in at "
        "least three availability zones)",
    ),
    (
        {**AZ, "cdn": {"customDomain": "m.example.com", "certificateArn": "arn:aws:acm:us-east-1:1:certificate/x"}},
        "cdn.certificateArn",
        "'cdn.certificateArn' is only used when 'cloud' is 'aws' (got cloud 'azure')",
    ),
    (
        {**AZ, "cdn": {"webAclArn": "arn:aws:wafv2:us-east-1:1:global/webacl/ml/1"}},
        "cdn.webAclArn",
        "'cdn.webAclArn' is only used when 'cloud' is 'aws' (got cloud 'azure')",
    ),
    (
        {**AZ, "cdn": {"priceClass": "PriceClass_All"}},
        "cdn.priceClass",
        "'cdn.priceClass' is only used when 'cloud' is 'aws' (Azure Front Door has no price classes)",
    ),
    (
        {**AZ, "cdn": {"geoRestriction": {"restrictionType": "deny", "locations": ["KP"]}}},
        "cdn.geoRestriction",
        "'cdn.geoRestriction' is only used when 'cloud' is 'aws' (Azure Front Door filters countries with a WAF policy, which this version does not create)",
    ),
    (
        {**AZ, "cdn": {"inferenceCache": {"headerKeys": ["Accept"]}}},
        "cdn.inferenceCache.headerKeys",
        "'cdn.inferenceCache.headerKeys' is only used when 'cloud' is 'aws' (Azure Front Door keys its cache on query strings only: use 'cdn.inferenceCache.queryStringKeys')",
    ),
    (
        {**AZ, "scaling": {"targetInvocationsPerReplica": 50}},
        "scaling.targetInvocationsPerReplica",
        "'scaling.targetInvocationsPerReplica' is only used when 'cloud' is 'aws' (Azure scales on CPU: use 'scaling.targetCpuPercent')",
    ),
    (
        {"cloud": "aws", "scaling": {"targetCpuPercent": 50}},
        "scaling.targetCpuPercent",
        "'scaling.targetCpuPercent' is only used when 'cloud' is 'azure' (SageMaker scales on invocations: use 'scaling.targetInvocationsPerReplica')",
    ),
    (
        {**AZ, "scaling": {"scaleOutCooldownSeconds": 30}},
        "scaling.scaleOutCooldownSeconds",
        "'scaling.scaleOutCooldownSeconds' must be at least 60 on Azure, whose autoscale cooldowns are at least one minute (got 30)",
    ),
    (
        {"cloud": "aws", "azure": {"location": "x"}},
        "azure",
        "'azure' is only used when 'cloud' is 'azure' (got cloud 'aws')",
    ),
    ({"cloud": "aws", "colour": "red"}, "colour", "'colour' is not a known property"),
    (
        {"cloud": "aws", "scaling": {"minReplicas": "three"}},
        "scaling.minReplicas",
        "'scaling.minReplicas' must be an integer (got 'three')",
    ),
    (
        {"cloud": "aws", "scaling": {"minReplicas": 1.5}},
        "scaling.minReplicas",
        "'scaling.minReplicas' must be an integer (got 1.5)",
    ),
    (
        {"cloud": "aws", "scaling": {"minReplicas": 3, "maxReplicas": 1}},
        "scaling.maxReplicas",
        "'scaling.maxReplicas' must be >= 'scaling.minReplicas' (got 1 < 3)",
    ),
    (
        {"cloud": "aws", "scaling": {"minReplicas": 0}},
        "scaling.minReplicas",
        "'scaling.minReplicas' must be between 1 and 100 (got 0)",
    ),
    (
        {"cloud": "aws", "scaling": {"targetCpuPercent": 120}},
        "scaling.targetCpuPercent",
        "'scaling.targetCpuPercent' must be between 1 and 100 (got 120)",
    ),
    (
        {"cloud": "aws", "scaling": {"targetInvocationsPerReplica": 0}},
        "scaling.targetInvocationsPerReplica",
        "'scaling.targetInvocationsPerReplica' must be >= 1 (got 0)",
    ),
    # issue 11 AWS 6: CloudFront refuses a cache policy with every TTL 0 that compresses or keys on anything.
    (
        {"cloud": "aws", "cdn": {"artifactTtlSeconds": 0}},
        "cdn.artifactTtlSeconds",
        "'cdn.artifactTtlSeconds' must be at least 1 on AWS: CloudFront refuses a cache policy whose TTLs are all 0 "
        "when it compresses, and artifact paths are immutable, so caching them is always safe (got 0)",
    ),
    (
        {"cloud": "aws", "cdn": {"inferenceCache": {"defaultTtlSeconds": 0, "maxTtlSeconds": 0}}},
        "cdn.inferenceCache.maxTtlSeconds",
        "'cdn.inferenceCache.maxTtlSeconds' must be at least 1 on AWS while 'cdn.inferenceCache.enabled' is on: "
        "CloudFront refuses a cache policy whose TTLs are all 0 when it has a cache key or compresses; set "
        "'cdn.inferenceCache.enabled' to false to not cache inference (got 0)",
    ),
    (
        {"cloud": "aws", "artifacts": {"noncurrentVersionExpirationDays": 0}},
        "artifacts.noncurrentVersionExpirationDays",
        "'artifacts.noncurrentVersionExpirationDays' must be between 1 and 3650 (got 0)",
    ),
    (
        {"cloud": "aws", "artifacts": {"kmsKeyArn": "alias/mine"}},
        "artifacts.kmsKeyArn",
        "'artifacts.kmsKeyArn' must be a KMS key ARN (got 'alias/mine')",
    ),
    (
        {"cloud": "aws", "artifacts": {"versioning": "yes"}},
        "artifacts.versioning",
        "'artifacts.versioning' must be a boolean (got 'yes')",
    ),
    (
        {"cloud": "aws", "cdn": {"inferenceCache": {"defaultTtlSeconds": 600, "maxTtlSeconds": 60}}},
        "cdn.inferenceCache.maxTtlSeconds",
        "'cdn.inferenceCache.maxTtlSeconds' must be >= 'cdn.inferenceCache.defaultTtlSeconds' (got 60 < 600)",
    ),
    (
        {"cloud": "aws", "cdn": {"artifactTtlSeconds": -1}},
        "cdn.artifactTtlSeconds",
        "'cdn.artifactTtlSeconds' must be between 0 and 31536000 (got -1)",
    ),
    (
        {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": ["X-Api-Key"]}}},
        "cdn.inferenceCache.headerKeys[0]",
        "'cdn.inferenceCache.headerKeys[0]' must not be 'x-api-key': it is added to the cache key whenever 'api.requireApiKey' is on",
    ),
    (
        {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": ["bad header"]}}},
        "cdn.inferenceCache.headerKeys[0]",
        "'cdn.inferenceCache.headerKeys[0]' must be a valid header name (got 'bad header')",
    ),
    (
        {"cloud": "aws", "cdn": {"inferenceCache": {"queryStringKeys": ["q", "Q"]}}},
        "cdn.inferenceCache.queryStringKeys[1]",
        "'cdn.inferenceCache.queryStringKeys[1]' is listed twice (got 'Q')",
    ),
    (
        {"cloud": "aws", "cdn": {"inferenceCache": {"queryStringKeys": [f"k{i}" for i in range(11)]}}},
        "cdn.inferenceCache.queryStringKeys",
        "'cdn.inferenceCache.queryStringKeys' must have at most 10 entries (got 11)",
    ),
    (
        {"cloud": "aws", "cdn": {"priceClass": "PriceClass_50"}},
        "cdn.priceClass",
        "'cdn.priceClass' must be one of 'PriceClass_100', 'PriceClass_200', 'PriceClass_All' (got 'PriceClass_50')",
    ),
    (
        {"cloud": "aws", "cdn": {"customDomain": "models.example.com"}},
        "cdn.certificateArn",
        "'cdn.certificateArn' is required when 'cdn.customDomain' is set (an ACM certificate in us-east-1)",
    ),
    (
        {
            "cloud": "aws",
            "cdn": {"customDomain": "m.example.com", "certificateArn": "arn:aws:acm:eu-west-1:1:certificate/x"},
        },
        "cdn.certificateArn",
        "'cdn.certificateArn' must be an ACM certificate ARN in us-east-1, as CloudFront requires (got 'arn:aws:acm:eu-west-1:1:certificate/x')",
    ),
    (
        {"cloud": "aws", "cdn": {"webAclArn": "arn:aws:wafv2:eu-west-1:1:regional/webacl/x/y"}},
        "cdn.webAclArn",
        "'cdn.webAclArn' must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT (got 'arn:aws:wafv2:eu-west-1:1:regional/webacl/x/y')",
    ),
    (
        {"cloud": "aws", "cdn": {"geoRestriction": {"restrictionType": "allow"}}},
        "cdn.geoRestriction.locations",
        "'cdn.geoRestriction.locations' is required when 'cdn.geoRestriction.restrictionType' is 'allow'",
    ),
    (
        {"cloud": "aws", "cdn": {"geoRestriction": {"restrictionType": "deny", "locations": ["de"]}}},
        "cdn.geoRestriction.locations[0]",
        "'cdn.geoRestriction.locations[0]' must be an ISO 3166-1 alpha-2 code like 'DE' (got 'de')",
    ),
    (
        {
            "cloud": "aws",
            "cdn": {
                "enabled": False,
                "customDomain": "m.example.com",
                "certificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
            },
        },
        "cdn.customDomain",
        "'cdn.customDomain' needs 'cdn.enabled'",
    ),
    (
        {"cloud": "aws", "api": {"throttleRateLimit": 0}},
        "api.throttleRateLimit",
        "'api.throttleRateLimit' must be > 0 (got 0)",
    ),
    (
        {"cloud": "aws", "api": {"throttleBurstLimit": 0}},
        "api.throttleBurstLimit",
        "'api.throttleBurstLimit' must be >= 1 (got 0)",
    ),
    ({"cloud": "aws", "api": {"quota": {"limit": 100}}}, "api.quota.period", "'api.quota.period' is required"),
    (
        {"cloud": "aws", "api": {"quota": {"limit": 0, "period": "DAY"}}},
        "api.quota.limit",
        "'api.quota.limit' must be >= 1 (got 0)",
    ),
    (
        {"cloud": "aws", "api": {"requireApiKey": False, "quota": {"limit": 5, "period": "DAY"}}},
        "api.quota",
        "'api.quota' needs 'api.requireApiKey' (quotas are counted per API key)",
    ),
    (
        {"cloud": "aws", "events": {"archiveRetentionDays": -1}},
        "events.archiveRetentionDays",
        "'events.archiveRetentionDays' must be between 0 and 36500 (got -1)",
    ),
    (
        {"cloud": "aws", "monitoring": {"errorRatePercentThreshold": 0}},
        "monitoring.errorRatePercentThreshold",
        "'monitoring.errorRatePercentThreshold' must be > 0 and <= 100 (got 0)",
    ),
    (
        {"cloud": "aws", "monitoring": {"latencyP99ThresholdMs": -5}},
        "monitoring.latencyP99ThresholdMs",
        "'monitoring.latencyP99ThresholdMs' must be > 0 (got -5)",
    ),
    (
        # A fraction is shown as given, a whole number without its '.0'.
        {"cloud": "aws", "monitoring": {"errorRatePercentThreshold": 100.5}},
        "monitoring.errorRatePercentThreshold",
        "'monitoring.errorRatePercentThreshold' must be > 0 and <= 100 (got 100.5)",
    ),
    (
        {"cloud": "aws", "monitoring": {"latencyP99ThresholdMs": -2.0}},
        "monitoring.latencyP99ThresholdMs",
        "'monitoring.latencyP99ThresholdMs' must be > 0 (got -2)",
    ),
    (
        {"cloud": "aws", "monitoring": {"alarmEmail": "ops"}},
        "monitoring.alarmEmail",
        "'monitoring.alarmEmail' must be an e-mail address (got 'ops')",
    ),
    (
        {"cloud": "aws", "monitoring": {"enabled": False, "alarmEmail": "ops@example.com"}},
        "monitoring.alarmEmail",
        "'monitoring.alarmEmail' needs 'monitoring.enabled'",
    ),
    ({"cloud": "aws", "tags": {"team": 7}}, "tags.team", "'tags.team' must be a string (got 7)"),
    (
        {"cloud": "aws", "api": {"stageQuota": 0}},
        "api.stageQuota",
        "'api.stageQuota' must be between 1 and 999 (got 0)",
    ),
    (
        {"cloud": "aws", "api": {"stageQuota": 1000}},
        "api.stageQuota",
        "'api.stageQuota' must be between 1 and 999 (got 1000)",
    ),
    (
        {**AZ, "api": {"stageQuota": 20}},
        "api.stageQuota",
        "'api.stageQuota' is only used when 'cloud' is 'aws' (it states API Gateway's 'Stages per API' and "
        "'Usage plans per API key' quotas)",
    ),
]


@pytest.mark.parametrize(
    ("inputs", "path", "message"), PLATFORM_CASES, ids=[c[1] + ":" + c[2][:40] for c in PLATFORM_CASES]
)
def test_platform_rule(inputs: dict[str, Any], path: str, message: str) -> None:
    assert (path, message) in platform_errors(inputs)


def test_platform_reports_every_problem_at_once() -> None:
    errors = platform_errors(
        {"cloud": "aws", "scaling": {"minReplicas": 3, "maxReplicas": 1}, "api": {"throttleBurstLimit": 0}, "bogus": 1}
    )
    assert [path for path, _ in errors] == ["bogus", "scaling.maxReplicas", "api.throttleBurstLimit"]


def test_platform_error_message_lists_paths() -> None:
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        validate_platform({"cloud": "aws", "scaling": {"minReplicas": 3, "maxReplicas": 1}})
    assert caught.value.message == (
        "invalid inputs for MLServingPlatform:\n  - 'scaling.maxReplicas' must be >= 'scaling.minReplicas' (got 1 < 3)"
    )


def test_platform_defaults_come_from_the_schema() -> None:
    args = validate_platform({"cloud": "aws"})
    assert args.scaling == Scaling(1, 4, 100, 70, 300, 60)
    assert args.cdn.artifact_ttl_seconds == 31_536_000
    assert args.cdn.inference_cache.default_ttl_seconds == 60
    assert args.cdn.inference_cache.max_ttl_seconds == 300
    assert args.cdn.price_class == "PriceClass_100"
    assert args.cdn.geo_restriction.restriction_type == "none"
    assert args.artifacts.retain_on_delete is True
    assert args.api.require_api_key is True
    assert args.api.quota is None
    assert args.azure is None


def test_grpc_numbers_are_integers_when_whole() -> None:
    assert validate_platform({"cloud": "aws", "scaling": {"maxReplicas": 6.0}}).scaling.max_replicas == 6


def release(model_dir: Path, **overrides: Any) -> dict[str, Any]:
    from mlserving_provider.platform_ref import PlatformReference

    base: dict[str, Any] = {
        "platform": PlatformReference("urn:pulumi:s::p::mlserving:index:MLServingPlatform::ml"),
        "modelName": "fraud",
        "version": "1.0.0",
        "apiVersion": "v1",
        "artifact": pulumi.FileArchive(str(model_dir)),
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
    }
    base.update(overrides)
    return base


RELEASE_CASES: list[tuple[dict[str, Any], str, str]] = [
    (
        {"modelName": "Fraud_Model"},
        "modelName",
        "'modelName' must be 1 to 32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got 'Fraud_Model')",
    ),
    ({"version": "1.0"}, "version", "'version' must be a semantic version like '1.4.0' (got '1.0')"),
    ({"apiVersion": "1"}, "apiVersion", "'apiVersion' must be 'v' and a number from 1 to 999, like 'v1' (got '1')"),
    (
        {"rollout": {"strategy": "canary", "canaryPercent": 80}},
        "rollout.canaryPercent",
        "'rollout.canaryPercent' must be between 1 and 50 (got 80)",
    ),
    (
        {"rollout": {"strategy": "linear", "linearStepPercent": 5}},
        "rollout.linearStepPercent",
        "'rollout.linearStepPercent' must be between 10 and 50 (got 5)",
    ),
    (
        {"rollout": {"waitSeconds": 7200}},
        "rollout.waitSeconds",
        "'rollout.waitSeconds' must be between 0 and 3600 (got 7200)",
    ),
    (
        {"rollout": {"strategy": "blue"}},
        "rollout.strategy",
        "'rollout.strategy' must be one of 'allAtOnce', 'canary', 'linear' (got 'blue')",
    ),
    (
        {"dataCapture": {"enabled": True, "samplingPercent": 0}},
        "dataCapture.samplingPercent",
        "'dataCapture.samplingPercent' must be between 1 and 100 (got 0)",
    ),
    (
        {"scaling": {"maxReplicas": 0}},
        "scaling.maxReplicas",
        "'scaling.maxReplicas' must be >= 'scaling.minReplicas' (got 0 < 1)",
    ),
    ({"scaling": {"replicas": 2}}, "scaling.replicas", "'scaling.replicas' is not a known property"),
    (
        {"instanceType": "m5.large"},
        "instanceType",
        "'instanceType' must be a SageMaker instance type starting with 'ml.', like 'ml.m5.large' (got 'm5.large')",
    ),
    (
        {"serverless": {"memorySizeMb": 1500}},
        "serverless.memorySizeMb",
        "'serverless.memorySizeMb' must be one of 1024, 2048, 3072, 4096, 5120, 6144 (got 1500)",
    ),
    (
        {"serverless": {"maxConcurrency": 500}},
        "serverless.maxConcurrency",
        "'serverless.maxConcurrency' must be between 1 and 200 (got 500)",
    ),
    (
        {"serverless": {}, "instanceType": "ml.m5.large"},
        "instanceType",
        "'instanceType' must not be set with 'serverless' (serverless endpoints have no instances)",
    ),
    (
        {"serverless": {}, "scaling": {"maxReplicas": 8}},
        "scaling",
        "'scaling' must not be set with 'serverless' (SageMaker scales serverless endpoints by itself)",
    ),
    (
        {"serverless": {}, "rollout": {"strategy": "canary"}},
        "rollout.strategy",
        "'rollout.strategy' must be 'allAtOnce' with 'serverless': SageMaker serverless endpoints support only all-at-once traffic shifting (got 'canary')",
    ),
    (
        {"serverless": {}, "dataCapture": {"enabled": True}},
        "dataCapture.enabled",
        "'dataCapture.enabled' is not supported by SageMaker serverless endpoints",
    ),
    (
        {"artifact": pulumi.StringAsset("x")},
        "artifact",
        "'artifact' must be a FileAsset (a model file or model.tar.gz) or a FileArchive (a model directory) (got StringAsset)",
    ),
    ({"artifact": "model.tar.gz"}, "artifact", "'artifact' must be an Asset or an Archive (got 'model.tar.gz')"),
    ({"platform": "urn:x"}, "platform", "'platform' must be a reference to a MLServingPlatform (got 'urn:x')"),
    ({"image": None}, "image", "'image' is required"),
    # issue 11 AWS 1: the AWS provider waits 60 minutes for an endpoint update, whatever customTimeouts say.
    (
        {"rollout": {"strategy": "linear"}},
        "rollout.waitSeconds",
        "'rollout.waitSeconds' must be at most 540 for a 'linear' rollout in 20% steps on AWS: 5 baking periods of "
        "600 s plus 900 s to provision the new fleet take 3900 s (65 min), longer than the 60 minutes the AWS provider "
        "waits for an endpoint update (it fails `pulumi up` while SageMaker goes on deploying): lower "
        "'rollout.waitSeconds' or raise 'rollout.linearStepPercent' (got 600)",
    ),
    (
        {"rollout": {"strategy": "linear", "linearStepPercent": 10, "waitSeconds": 300}},
        "rollout.waitSeconds",
        "'rollout.waitSeconds' must be at most 270 for a 'linear' rollout in 10% steps on AWS: 10 baking periods of "
        "300 s plus 900 s to provision the new fleet take 3900 s (65 min), longer than the 60 minutes the AWS provider "
        "waits for an endpoint update (it fails `pulumi up` while SageMaker goes on deploying): lower "
        "'rollout.waitSeconds' or raise 'rollout.linearStepPercent' (got 300)",
    ),
    (
        {"rollout": {"strategy": "canary", "waitSeconds": 1800}},
        "rollout.waitSeconds",
        "'rollout.waitSeconds' must be at most 1350 for a 'canary' rollout on AWS: 2 baking periods of 1800 s plus "
        "900 s to provision the new fleet take 4500 s (75 min), longer than the 60 minutes the AWS provider waits for "
        "an endpoint update (it fails `pulumi up` while SageMaker goes on deploying): lower 'rollout.waitSeconds' "
        "(got 1800)",
    ),
    (
        {"rollout": {"waitSeconds": 3000}},
        "rollout.waitSeconds",
        "'rollout.waitSeconds' must be at most 2700 for a 'allAtOnce' rollout on AWS: 1 baking period of 3000 s plus "
        "900 s to provision the new fleet take 3900 s (65 min), longer than the 60 minutes the AWS provider waits for "
        "an endpoint update (it fails `pulumi up` while SageMaker goes on deploying): lower 'rollout.waitSeconds' "
        "(got 3000)",
    ),
    # issue 11 AWS 10: a baking period shorter than the alarms' window cannot trip them.
    (
        {"rollout": {"waitSeconds": 120}},
        "rollout.waitSeconds",
        "'rollout.waitSeconds' must be at least 300 while 'rollout.autoRollback' is on: a release's alarms fire after "
        "3 of 5 one-minute periods above their threshold, so a shorter baking period ends before they can trip and "
        "SageMaker never rolls back; set 'rollout.autoRollback' to false to shift without watching (got 120)",
    ),
    # issue 11 AWS 10: deployment guardrails exclude Inf1 endpoints (they shift all at once).
    (
        {"instanceType": "ml.inf1.xlarge", "rollout": {"strategy": "canary"}},
        "rollout.strategy",
        "'rollout.strategy' must be 'allAtOnce' on 'ml.inf1' instances: SageMaker deployment guardrails exclude "
        "Inferentia1 endpoints, which would shift all at once without saying so (got 'canary')",
    ),
    # issue 11 AWS 3: the new fleet is sized deliberately, within the scaling bounds.
    (
        {"rollout": {"newFleetReplicas": 9}},
        "rollout.newFleetReplicas",
        "'rollout.newFleetReplicas' must be between 'scaling.minReplicas' (1) and 'scaling.maxReplicas' (4) (got 9)",
    ),
    (
        {"serverless": {}, "rollout": {"newFleetReplicas": 2}},
        "rollout.newFleetReplicas",
        "'rollout.newFleetReplicas' must not be set with 'serverless' (serverless endpoints have no instances)",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "path", "message"), RELEASE_CASES, ids=[c[1] + ":" + c[2][:40] for c in RELEASE_CASES]
)
def test_release_rule(model_dir: Path, overrides: dict[str, Any], path: str, message: str) -> None:
    assert (path, message) in release_errors(release(model_dir, **overrides))


def test_release_missing_artifact_file(model_dir: Path) -> None:
    errors = release_errors(release(model_dir, artifact=pulumi.FileAsset("/nonexistent/model.tar.gz")))
    assert errors == [
        ("artifact", "'artifact' does not exist: '/nonexistent/model.tar.gz' (resolved to '/nonexistent/model.tar.gz')")
    ]


def test_release_scaling_overrides_the_platform_field_by_field(model_dir: Path) -> None:
    valid = validate_release(release(model_dir, scaling={"maxReplicas": 10}), lambda: ("aws", DEFAULT_SCALING))
    assert valid.scaling == Scaling(1, 10, 100, 70, 300, 60)


STAGE_QUOTA_KEYED = (
    "'apiVersion' must be at most 'v{0}' on this platform: each API version is a stage of the platform's REST API "
    "and a usage plan holding its API key, and the platform's 'api.stageQuota' states API Gateway's 'Stages per API' "
    "and 'Usage plans per API key' quotas as {0} (10 unless raised). API versions are counted by their number: number "
    "them from 'v1', or raise both in Service Quotas and set the platform's 'api.stageQuota' to the new value "
    "(got '{1}')"
)
STAGE_QUOTA_KEYLESS = (
    "'apiVersion' must be at most 'v{0}' on this platform: each API version is a stage of the platform's REST API, "
    "and the platform's 'api.stageQuota' states API Gateway's 'Stages per API' quota as {0} (10 unless raised). API "
    "versions are counted by their number: number them from 'v1', or raise it in Service Quotas and set the "
    "platform's 'api.stageQuota' to the new value (got '{1}')"
)


@pytest.mark.parametrize(
    ("api_version", "settings", "message"),
    [
        ("v10", {"stageQuota": 10, "requireApiKey": True}, None),
        ("v11", {"stageQuota": 10, "requireApiKey": True}, STAGE_QUOTA_KEYED.format(10, "v11")),
        ("v999", {"stageQuota": 10, "requireApiKey": True}, STAGE_QUOTA_KEYED.format(10, "v999")),
        ("v12", {"stageQuota": 12, "requireApiKey": True}, None),
        ("v13", {"stageQuota": 12, "requireApiKey": False}, STAGE_QUOTA_KEYLESS.format(12, "v13")),
        # A platform published before the setting existed: API Gateway's default quotas.
        ("v10", {"requireApiKey": True}, None),
        ("v11", {"requireApiKey": True}, STAGE_QUOTA_KEYED.format(10, "v11")),
        # A malformed API version is refused by its pattern alone.
        ("v1000", {"stageQuota": 10}, None),
    ],
)
def test_api_versions_past_api_gateways_quotas_are_refused(
    api_version: str, settings: dict[str, Any], message: str | None
) -> None:
    """issue 18 AWS 2: each API version is a stage ('Stages per API': 10) and a usage plan holding the
    platform's key ('Usage plans per API key': 10); a release counts versions by their number."""
    problems = check_api_stage_quota(api_version, settings)
    assert [(p.path, f"'{p.path}' {p.reason}") for p in problems] == ([("apiVersion", message)] if message else [])


def test_the_stage_quota_is_checked_with_every_other_release_rule(model_dir: Path) -> None:
    """The platform's settings reach validate_release, which reports the quota with the other problems."""
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        validate_release(
            release(model_dir, apiVersion="v11", version="1.0"),
            lambda: ("aws", DEFAULT_SCALING, {"stageQuota": 10, "requireApiKey": True}),
        )
    assert caught.value.errors is not None
    assert [(e["property_path"], e["reason"]) for e in caught.value.errors] == [
        ("version", "'version' must be a semantic version like '1.4.0' (got '1.0')"),
        ("apiVersion", STAGE_QUOTA_KEYED.format(10, "v11")),
    ]
    # Azure API Management versions are not API Gateway stages.
    azure = validate_release(release(model_dir, apiVersion="v11"), lambda: ("azure", DEFAULT_SCALING, {}))
    assert azure.args.api_version == "v11"


AZURE_RELEASE_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"serverless": {}}, "serverless", "'serverless' is only available when the platform's cloud is 'aws'"),
    (
        {"rollout": {"strategy": "linear"}},
        "rollout.strategy",
        "'rollout.strategy' must be 'allAtOnce' or 'canary' on Azure: Azure ML cannot shift traffic in linear steps (got 'linear')",
    ),
    (
        {"dataCapture": {"enabled": True}},
        "dataCapture.enabled",
        "'dataCapture.enabled' is only available when the platform's cloud is 'aws' (SageMaker data capture; Azure ML collects data only from its own scoring scripts)",
    ),
    (
        {"instanceType": "ml.m5.large"},
        "instanceType",
        "'instanceType' must be an Azure ML VM size like 'Standard_DS3_v2' on Azure (got 'ml.m5.large')",
    ),
    (
        {"scaling": {"targetInvocationsPerReplica": 10}},
        "scaling.targetInvocationsPerReplica",
        "'scaling.targetInvocationsPerReplica' is only used when the platform's cloud is 'aws' (Azure scales on CPU: use 'scaling.targetCpuPercent')",
    ),
    (
        {"scaling": {"scaleInCooldownSeconds": 10}},
        "scaling.scaleInCooldownSeconds",
        "'scaling.scaleInCooldownSeconds' must be at least 60 on Azure, whose autoscale cooldowns are at least one minute (got 10)",
    ),
    (
        {"rollout": {"newFleetReplicas": 2}},
        "rollout.newFleetReplicas",
        "'rollout.newFleetReplicas' is only used when the platform's cloud is 'aws' (got cloud 'azure')",
    ),
    (
        {"version": "1.0.0+build.5"},
        "version",
        "'version' must be MAJOR.MINOR.PATCH without a pre-release or build suffix on Azure, whose model versions are integers (MAJOR * 1000000 + MINOR * 1000 + PATCH) (got '1.0.0+build.5')",
    ),
    (
        {"version": "2147.0.0"},
        "version",
        "'version' must have MAJOR <= 2146, MINOR <= 999 and PATCH <= 999 on Azure, whose model versions are integers (MAJOR * 1000000 + MINOR * 1000 + PATCH) (got '2147.0.0')",
    ),
]


@pytest.mark.parametrize(
    ("settings", "errors"),
    [
        (
            {"requestTimeoutMs": 180001},
            [
                (
                    "requestSettings.requestTimeoutMs",
                    "'requestSettings.requestTimeoutMs' must be between 1 and 180000 (got 180001)",
                )
            ],
        ),
        (
            {"maxConcurrentRequestsPerInstance": 0, "requestTimeoutMs": 0},
            [
                (
                    "requestSettings.maxConcurrentRequestsPerInstance",
                    "'requestSettings.maxConcurrentRequestsPerInstance' must be >= 1 (got 0)",
                ),
                (
                    "requestSettings.requestTimeoutMs",
                    "'requestSettings.requestTimeoutMs' must be between 1 and 180000 (got 0)",
                ),
            ],
        ),
    ],
)
def test_request_settings_on_azure(model_dir: Path, settings: dict[str, int], errors: list[tuple[str, str]]) -> None:
    assert release_errors(release(model_dir, requestSettings=settings), cloud="azure") == errors


def test_request_settings_are_azure_only(model_dir: Path) -> None:
    assert release_errors(release(model_dir, requestSettings={"requestTimeoutMs": 10000})) == [
        (
            "requestSettings",
            "'requestSettings' is only used when the platform's cloud is 'azure' (SageMaker puts no concurrency limit "
            "in front of the container, and the request timeout is API Gateway's 29 s)",
        )
    ]
    given = validate_release(
        release(model_dir, requestSettings={"requestTimeoutMs": 60000}), lambda: ("azure", DEFAULT_SCALING)
    )
    assert given.args.request_settings == RequestSettings(
        max_concurrent_requests_per_instance=8, request_timeout_ms=60000
    )
    assert validate_release(release(model_dir), lambda: ("azure", DEFAULT_SCALING)).args.request_settings is None


def test_an_artifact_azure_cannot_unpack_is_an_input_error(tmp_path: Path) -> None:
    """Azure ML gets the tarball's files unpacked (SageMaker unpacks it itself, and fails later)."""
    tarball = tmp_path / "model.tar.gz"
    tarball.write_bytes(b"not a tarball")
    inputs = release(tmp_path, artifact=pulumi.FileAsset(str(tarball)))
    ((path, reason),) = release_errors(inputs, cloud="azure")
    assert path == "artifact"
    assert reason.startswith("'artifact' cannot be unpacked as a model.tar.gz: ")
    assert validate_release(inputs, lambda: ("aws", DEFAULT_SCALING)).artifact.path == tarball


def test_azure_model_version_rules_leave_aws_alone(model_dir: Path) -> None:
    """SageMaker names carry any semantic version: the integer rule is Azure's only."""
    for version in ("1.0.0-rc.1", "1.1000.0", "0.0.0"):
        assert (
            validate_release(release(model_dir, version=version), lambda: ("aws", DEFAULT_SCALING)).args.version
            == version
        )


@pytest.mark.parametrize(
    ("overrides", "path", "message"),
    AZURE_RELEASE_CASES,
    ids=[c[1] + ":" + c[2][:40] for c in AZURE_RELEASE_CASES],
)
def test_release_on_azure_refuses_what_azure_cannot_do(
    model_dir: Path, overrides: dict[str, Any], path: str, message: str
) -> None:
    assert (path, message) in release_errors(release(model_dir, **overrides), cloud="azure")


def test_release_on_aws_refuses_azure_only_scaling(model_dir: Path) -> None:
    errors = release_errors(release(model_dir, scaling={"targetCpuPercent": 50}))
    assert errors == [
        (
            "scaling.targetCpuPercent",
            "'scaling.targetCpuPercent' is only used when the platform's cloud is 'azure' (SageMaker scales on invocations: use 'scaling.targetInvocationsPerReplica')",
        )
    ]


def test_azure_defaults_pass_where_aws_only_defaults_exist(model_dir: Path) -> None:
    """Schema defaults of one cloud's inputs (priceClass, targetInvocationsPerReplica, autoRollback) are not refused."""
    args = validate_platform(AZ)
    assert args.cloud == "azure"
    # The generated SDKs send `autoRollback: true` (its default) with every rollout: on Azure it has no effect.
    valid = validate_release(
        release(model_dir, rollout={"strategy": "canary", "autoRollback": True}), lambda: ("azure", DEFAULT_SCALING)
    )
    assert valid.args.rollout.auto_rollback is True
    assert validate_platform({"cloud": "aws"}).scaling.target_cpu_percent == 70


# What the generated SDKs send for `cdn: {}`: every schema default of the Cdn type filled in.
SDK_CDN = {"enabled": True, "artifactTtlSeconds": 31536000, "priceClass": "PriceClass_100"}


def test_sdk_filled_cdn_defaults_of_the_other_cloud_are_not_refused() -> None:
    assert validate_platform({**AZ, "cdn": SDK_CDN}).cdn.price_class == "PriceClass_100"


def test_release_scaling_leaves_unset_fields_to_the_platform(model_dir: Path) -> None:
    """`scaling: {maxReplicas: 8}` on a release keeps the platform's other fields (the SDKs send only what is set)."""
    platform = Scaling(2, 6, 40, 70, 600, 120)
    valid = validate_release(release(model_dir, scaling={"maxReplicas": 8}), lambda: ("aws", platform))
    assert valid.scaling == Scaling(2, 8, 40, 70, 600, 120)


def test_release_scaling_of_the_other_cloud_is_refused_even_at_its_default(model_dir: Path) -> None:
    errors = release_errors(release(model_dir, scaling={"targetCpuPercent": 70}))
    assert errors == [
        (
            "scaling.targetCpuPercent",
            "'scaling.targetCpuPercent' is only used when the platform's cloud is 'azure' (SageMaker scales on invocations: use 'scaling.targetInvocationsPerReplica')",
        )
    ]


def test_rollouts_that_fit_the_providers_wait_pass(model_dir: Path) -> None:
    """The longest waits the messages name are accepted, and a short wait without rollback too."""
    for rollout in (
        {"strategy": "linear", "waitSeconds": 540},
        {"strategy": "linear", "linearStepPercent": 25, "waitSeconds": 600},
        {"strategy": "canary", "waitSeconds": 1350},
        {"waitSeconds": 2700},
        {"waitSeconds": 0, "autoRollback": False},
    ):
        valid = validate_release(release(model_dir, rollout=rollout), lambda: ("aws", DEFAULT_SCALING))
        assert valid.args.rollout.wait_seconds == rollout["waitSeconds"]


def test_rollout_time_counts_every_baking_period() -> None:
    from mlserving_provider.args import Rollout
    from mlserving_provider.validation import rollout_seconds

    def seconds(strategy: str, step: int = 20, wait: int = 600) -> tuple[int, int]:
        return rollout_seconds(Rollout(strategy, 10, step, wait, True, None))

    assert seconds("allAtOnce") == (1, 1500)
    assert seconds("canary") == (2, 2100)
    assert seconds("linear") == (5, 3900)
    assert seconds("linear", step=30) == (4, 3300)
    assert seconds("linear", step=50) == (2, 2100)


def test_the_alarm_window_is_the_one_the_alarms_use() -> None:
    from mlserving_provider import validation
    from mlserving_provider.clouds.aws import monitoring

    assert (validation.ALARM_PERIOD_SECONDS, validation.ALARM_EVALUATION_PERIODS, validation.ALARM_DATAPOINTS) == (
        monitoring.PERIOD_SECONDS,
        monitoring.EVALUATION_PERIODS,
        monitoring.DATAPOINTS_TO_ALARM,
    )


def test_azure_keeps_its_own_cdn_ttls() -> None:
    """The CloudFront TTL rule is AWS's: an Azure platform is not refused for it."""
    assert validate_platform({**AZ, "cdn": {"artifactTtlSeconds": 0}}).cdn.artifact_ttl_seconds == 0
