"""AWS construction under mocks: the exact children, their security settings, outputs."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pulumi
import pytest
from mlserving_provider.clouds.aws import api as aws_api
from mlserving_provider.clouds.aws import serving as aws_serving
from mlserving_provider.clouds.aws.serving import RolledBackError
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease

from tests import mocks
from tests.unit.conftest import Build, policy

PLATFORM_CHILDREN = Counter(
    {
        "aws:apigateway/apiKey:ApiKey": 1,
        "aws:apigateway/integration:Integration": 2,
        "aws:apigateway/integrationResponse:IntegrationResponse": 12,
        "aws:apigateway/method:Method": 2,
        "aws:apigateway/methodResponse:MethodResponse": 12,
        "aws:apigateway/resource:Resource": 1,
        "aws:apigateway/restApi:RestApi": 1,
        "aws:cloudfront/cachePolicy:CachePolicy": 2,
        "aws:cloudfront/distribution:Distribution": 1,
        "aws:cloudfront/originAccessControl:OriginAccessControl": 1,
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": 1,
        "aws:cloudwatch/eventArchive:EventArchive": 1,
        "aws:cloudwatch/eventBus:EventBus": 1,
        "aws:cloudwatch/eventRule:EventRule": 3,
        "aws:cloudwatch/eventTarget:EventTarget": 3,
        "aws:iam/role:Role": 2,
        "aws:iam/rolePolicy:RolePolicy": 2,
        "aws:kms/key:Key": 1,
        "aws:kms/keyPolicy:KeyPolicy": 1,
        "aws:s3/bucket:Bucket": 1,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
        "aws:s3/bucketNotification:BucketNotification": 1,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
        "aws:s3/bucketPolicy:BucketPolicy": 1,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
        "aws:s3/bucketVersioning:BucketVersioning": 1,
        "aws:sns/topic:Topic": 1,
        "aws:sns/topicSubscription:TopicSubscription": 1,
        "aws:sqs/queue:Queue": 2,
        "aws:sqs/queuePolicy:QueuePolicy": 2,
        "mlserving:index:MLServingPlatform": 1,
        "random:index/randomId:RandomId": 1,
        "random:index/randomPassword:RandomPassword": 1,
    }
)
RELEASE_CHILDREN = Counter(
    {
        "aws:apigateway/deployment:Deployment": 1,
        "aws:apigateway/methodSettings:MethodSettings": 1,
        "aws:apigateway/stage:Stage": 1,
        "aws:apigateway/usagePlan:UsagePlan": 1,
        "aws:apigateway/usagePlanKey:UsagePlanKey": 1,
        "aws:appautoscaling/policy:Policy": 1,
        "aws:appautoscaling/target:Target": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 4,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 2,
        "aws:s3/bucketObjectv2:BucketObjectv2": 1,
        "aws:sagemaker/endpoint:Endpoint": 1,
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration": 1,
        "aws:sagemaker/model:Model": 1,
        "mlserving:index:ModelRelease": 1,
    }
)
EMAIL = {"monitoring": {"alarmEmail": "ops@example.com"}}
V1 = {"name": "fraud-v1", "modelName": "fraud", "version": "1.0.0", "apiVersion": "v1"}
V2 = {
    "name": "fraud-v2",
    "modelName": "fraud",
    "version": "2.0.0",
    "apiVersion": "v2",
    "rollout": {"strategy": "canary", "canaryPercent": 10, "waitSeconds": 300},
    "scaling": {"maxReplicas": 8},
}


def test_platform_children_are_exactly_these(build: Build) -> None:
    recorder, _, _ = build(EMAIL)
    assert Counter(recorder.types()) == PLATFORM_CHILDREN


def test_two_releases_add_exactly_their_children(build: Build) -> None:
    recorder, _, _ = build(EMAIL, [dict(V1), dict(V2)])
    assert Counter(recorder.types()) == PLATFORM_CHILDREN + RELEASE_CHILDREN + RELEASE_CHILDREN


def test_bucket_is_private_encrypted_versioned_and_retained(build: Build) -> None:
    recorder, _, _ = build()
    bucket = recorder.one("aws:s3/bucket:Bucket")
    assert bucket.inputs["forceDestroy"] is False
    block = recorder.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert [
        block[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    ] == [True] * 4
    assert recorder.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"
    }
    assert recorder.one("aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"] == {
        "status": "Enabled"
    }
    (rule,) = recorder.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule == {
        "applyServerSideEncryptionByDefault": {
            "sseAlgorithm": "aws:kms",
            "kmsMasterKeyId": "arn:aws:kms:eu-west-1:123456789012:key/ml-key",
        },
        "bucketKeyEnabled": True,
    }
    rules = recorder.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rules[0]["noncurrentVersionExpiration"] == {"noncurrentDays": 90}
    assert rules[1]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}
    assert recorder.one("aws:s3/bucketNotification:BucketNotification").inputs["eventbridge"] is True
    assert recorder.one("aws:kms/key:Key").inputs["enableKeyRotation"] is True


def test_bucket_policy_denies_plain_http_and_admits_only_this_distribution(build: Build) -> None:
    recorder, _, _ = build()
    statements = policy(recorder.one("aws:s3/bucketPolicy:BucketPolicy"))["Statement"]
    deny, allow = statements
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert allow == {
        "Sid": "CloudFrontReadsModels",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::ml-artifacts/models/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/ml-cdn"}},
    }
    key_statements = policy(recorder.one("aws:kms/keyPolicy:KeyPolicy"))["Statement"]
    assert [s["Sid"] for s in key_statements] == [
        "AccountAdministers",
        "CloudWatchAlarmsPublishToTopic",
        "CloudFrontReadsArtifacts",
    ]


def test_given_kms_key_is_used_for_artifacts(build: Build) -> None:
    key = "arn:aws:kms:eu-west-1:123456789012:key/abcd"
    recorder, _, _ = build({"artifacts": {"kmsKeyArn": key, "retainOnDelete": False}})
    (rule,) = recorder.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == key
    assert recorder.one("aws:s3/bucket:Bucket").inputs["forceDestroy"] is True


def test_cdn_behaviours_ttls_and_tls(build: Build) -> None:
    recorder, _, _ = build({"cdn": {"inferenceCache": {"queryStringKeys": ["q"], "headerKeys": ["Accept"]}}})
    dist = recorder.one("aws:cloudfront/distribution:Distribution").inputs
    assert dist["httpVersion"] == "http2and3"
    assert dist["priceClass"] == "PriceClass_100"
    assert dist["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert "forwardedValues" not in dist["defaultCacheBehavior"]
    artifacts, inference = dist["orderedCacheBehaviors"]
    assert artifacts["pathPattern"] == "/models/*"
    assert artifacts["viewerProtocolPolicy"] == "redirect-to-https"
    assert inference["pathPattern"] == "/v*/*"
    assert inference["viewerProtocolPolicy"] == "https-only"
    assert inference["cachedMethods"] == ["GET", "HEAD"]
    assert "POST" in inference["allowedMethods"]
    assert inference["originRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    assert all(b["compress"] is True for b in (artifacts, inference, dist["defaultCacheBehavior"]))
    origins = {o["originId"]: o for o in dist["origins"]}
    assert origins["artifacts"]["originAccessControlId"] == "ml-oac-id"
    assert origins["api"]["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    assert origins["api"]["customOriginConfig"]["originSslProtocols"] == ["TLSv1.2"]
    policies = {p.name: p.inputs for p in recorder.of_type("aws:cloudfront/cachePolicy:CachePolicy")}
    assert (policies["ml-artifact-cache"]["defaultTtl"], policies["ml-artifact-cache"]["maxTtl"]) == (
        31536000,
        31536000,
    )
    inference_policy = policies["ml-inference-cache"]
    assert (inference_policy["defaultTtl"], inference_policy["maxTtl"]) == (60, 300)
    key = inference_policy["parametersInCacheKeyAndForwardedToOrigin"]
    assert key["queryStringsConfig"] == {"queryStringBehavior": "whitelist", "queryStrings": {"items": ["q"]}}
    # The API key is always part of the cache key, so cached answers stay per key.
    assert key["headersConfig"] == {"headerBehavior": "whitelist", "headers": {"items": ["Accept", "x-api-key"]}}
    assert inference_policy["minTtl"] == 0
    oac = recorder.one("aws:cloudfront/originAccessControl:OriginAccessControl").inputs
    assert (oac["signingBehavior"], oac["signingProtocol"]) == ("always", "sigv4")
    headers = recorder.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs["securityHeadersConfig"]
    assert headers["strictTransportSecurity"]["accessControlMaxAgeSec"] == 63072000
    assert headers["frameOptions"]["frameOption"] == "DENY"


def test_cdn_custom_domain_waf_and_geo(build: Build) -> None:
    cert = "arn:aws:acm:us-east-1:123456789012:certificate/x"
    acl = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ml/1"
    recorder, platform, _ = build(
        {
            "cdn": {
                "customDomain": "models.example.com",
                "certificateArn": cert,
                "webAclArn": acl,
                "priceClass": "PriceClass_All",
                "geoRestriction": {"restrictionType": "deny", "locations": ["KP"]},
            }
        }
    )
    dist = recorder.one("aws:cloudfront/distribution:Distribution").inputs
    assert dist["aliases"] == ["models.example.com"]
    assert dist["viewerCertificate"] == {
        "acmCertificateArn": cert,
        "sslSupportMethod": "sni-only",
        "minimumProtocolVersion": "TLSv1.2_2021",
    }
    assert dist["webAclId"] == acl
    assert dist["restrictions"] == {"geoRestriction": {"restrictionType": "blacklist", "locations": ["KP"]}}
    assert mocks.resolve(platform.outputs["artifactBaseUrl"]) == "https://models.example.com/models/"


def test_cdn_disabled_creates_no_distribution(build: Build) -> None:
    recorder, platform, _ = build({"cdn": {"enabled": False}})
    assert recorder.of_type("aws:cloudfront/distribution:Distribution") == []
    assert len(policy(recorder.one("aws:s3/bucketPolicy:BucketPolicy"))["Statement"]) == 1
    assert mocks.resolve(platform.outputs["artifactBaseUrl"]) == ""


def test_api_predict_integrates_sagemaker_through_a_scoped_role(build: Build) -> None:
    recorder, _, _ = build()
    assert recorder.one("aws:apigateway/restApi:RestApi").inputs["endpointConfiguration"] == {"types": "REGIONAL"}
    methods = {m.inputs["httpMethod"]: m.inputs for m in recorder.of_type("aws:apigateway/method:Method")}
    assert set(methods) == {"GET", "POST"}
    assert all(m["apiKeyRequired"] is True for m in methods.values())
    for integration in recorder.of_type("aws:apigateway/integration:Integration"):
        assert integration.inputs["type"] == "AWS"
        assert integration.inputs["integrationHttpMethod"] == "POST"
        assert (
            integration.inputs["uri"]
            == "arn:aws:apigateway:eu-west-1:runtime.sagemaker:path/endpoints/${stageVariables.endpoint}/invocations"
        )
        assert integration.inputs["credentials"] == "arn:aws:iam::123456789012:role/ml-api-role"
    invoke = policy(recorder.one("aws:iam/rolePolicy:RolePolicy", "ml-api-invoke"))["Statement"]
    assert invoke == [
        {
            "Effect": "Allow",
            "Action": "sagemaker:InvokeEndpoint",
            "Resource": "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/mls-0a1b2c3d-*",
        }
    ]


def test_events_bus_archive_rules_and_queue(build: Build) -> None:
    recorder, _, _ = build({"events": {"archiveRetentionDays": 7}})
    assert recorder.one("aws:cloudwatch/eventArchive:EventArchive").inputs["retentionDays"] == 7
    rules = {
        r.name: json.loads(r.inputs["eventPattern"]) for r in recorder.of_type("aws:cloudwatch/eventRule:EventRule")
    }
    assert rules["ml-artifacts-events"] == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": ["ml-artifacts-bucket"]}, "object": {"key": [{"prefix": "models/"}]}},
    }
    assert rules["ml-endpoints-events"]["detail-type"] == [
        "SageMaker Endpoint State Change",
        "SageMaker Endpoint Deployment State Change",
    ]
    assert rules["ml-endpoints-events"]["detail"] == {"EndpointName": [{"prefix": "mls-0a1b2c3d-"}]}
    deliver = recorder.one("aws:cloudwatch/eventTarget:EventTarget", "ml-deliver-to-queue").inputs
    assert deliver["deadLetterConfig"] == {"arn": "arn:aws:sqs:eu-west-1:123456789012:ml-release-events-dlq"}
    queue = recorder.one("aws:sqs/queue:Queue", "ml-release-events").inputs
    assert queue["sqsManagedSseEnabled"] is True
    assert json.loads(queue["redrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:ml-release-events-dlq",
        "maxReceiveCount": 5,
    }
    sends, deny = policy(recorder.one("aws:sqs/queuePolicy:QueuePolicy", "ml-release-events-queue-policy"))["Statement"]
    assert sends["Condition"] == {
        "ArnEquals": {"aws:SourceArn": "arn:aws:events:eu-west-1:123456789012:rule/ml-deliver-events"}
    }
    assert deny["Effect"] == "Deny"


def test_alarm_topic_is_encrypted_with_the_platform_key(build: Build) -> None:
    recorder, _, _ = build(EMAIL)
    assert (
        recorder.one("aws:sns/topic:Topic").inputs["kmsMasterKeyId"] == "arn:aws:kms:eu-west-1:123456789012:key/ml-key"
    )
    assert recorder.one("aws:sns/topicSubscription:TopicSubscription").inputs["endpoint"] == "ops@example.com"


def test_platform_outputs_and_secret_api_key(build: Build) -> None:
    _, platform, _ = build()
    out = {k: mocks.resolve(v) for k, v in platform.outputs.items()}
    assert out["cloud"] == "aws"
    assert out["apiKey"] == "generated-api-key-value"
    assert mocks.is_secret(platform.outputs["apiKey"])
    assert out["apiBaseUrl"] == "https://ml-api-id.execute-api.eu-west-1.amazonaws.com"
    assert out["cdnDomainName"] == "d111111abcdef8.cloudfront.net"
    assert out["releaseEventQueueUrl"] == "https://sqs.eu-west-1.amazonaws.com/123456789012/ml-release-events"
    assert not mocks.is_secret(platform.outputs["apiBaseUrl"])


def test_every_child_is_parented_to_its_component(build: Build) -> None:
    recorder, platform, (release,) = build(releases=[dict(V1)])
    mocks.assert_parented_to_their_components(recorder, platform, release)


def test_release_v1_all_at_once(build: Build) -> None:
    recorder, _, (release,) = build(releases=[dict(V1)])
    endpoint = recorder.one("aws:sagemaker/endpoint:Endpoint").inputs
    assert endpoint["name"] == "mls-0a1b2c3d-fraud-v1-4bd25b"
    assert endpoint["deploymentConfig"] == {
        "blueGreenUpdatePolicy": {"trafficRoutingConfiguration": {"type": "ALL_AT_ONCE", "waitIntervalInSeconds": 600}},
        "autoRollbackConfiguration": {
            "alarms": [{"alarmName": "fraud-v1-5xx-rate-alarm"}, {"alarmName": "fraud-v1-p99-latency-alarm"}]
        },
    }
    (variant,) = recorder.one("aws:sagemaker/endpointConfiguration:EndpointConfiguration").inputs["productionVariants"]
    assert variant == {
        "variantName": "primary",
        "modelName": "fraud-v1-model-model",
        "instanceType": "ml.m5.large",
        # The new fleet starts at maxReplicas (issue 11 AWS 3): autoscaling is blocked during an update.
        "initialInstanceCount": 4,
    }
    model = recorder.one("aws:sagemaker/model:Model").inputs
    assert model["enableNetworkIsolation"] is True
    assert model["primaryContainer"]["modelDataUrl"].startswith("s3://ml-artifacts-bucket/models/fraud/v1/1.0.0/")
    out = {k: mocks.resolve(v) for k, v in release.outputs.items()}
    sha = out["artifactSha256"]
    assert len(sha) == 64
    assert out["artifactKey"] == f"models/fraud/v1/1.0.0/{sha}/model.tar.gz"
    assert out["artifactUrl"] == f"https://d111111abcdef8.cloudfront.net/models/fraud/v1/1.0.0/{sha}/model.tar.gz"
    assert out["invokeUrl"] == "https://ml-api-id.execute-api.eu-west-1.amazonaws.com/v1/predict"
    assert out["cachedInvokeUrl"] == "https://d111111abcdef8.cloudfront.net/v1/predict"
    assert (out["modelVersion"], out["apiVersion"], out["endpointName"]) == (
        "1.0.0",
        "v1",
        "mls-0a1b2c3d-fraud-v1-4bd25b",
    )
    upload = recorder.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs
    assert (upload["serverSideEncryption"], upload["bucketKeyEnabled"]) == ("aws:kms", True)


def test_one_model_and_version_on_two_api_versions_has_an_object_each(build: Build) -> None:
    """The day-two suite's `sentiment` 1.0.0 on v1..v11: the API version, unique on a platform, is in
    the key, so no two releases own one S3 object (with `artifacts.retainOnDelete: false`, deleting
    one release would delete the object the other's endpoint downloads on every scale-out)."""
    v2 = {**V1, "name": "fraud-v2", "apiVersion": "v2"}
    recorder, _, releases = build({"artifacts": {"retainOnDelete": False}}, [dict(V1), v2])
    sha = mocks.resolve(releases[0].outputs["artifactSha256"])
    assert mocks.resolve(releases[1].outputs["artifactSha256"]) == sha
    uploads = {u.name: u.inputs["key"] for u in recorder.of_type("aws:s3/bucketObjectv2:BucketObjectv2")}
    assert uploads == {
        "fraud-v1-artifact": f"models/fraud/v1/1.0.0/{sha}/model.tar.gz",
        "fraud-v2-artifact": f"models/fraud/v2/1.0.0/{sha}/model.tar.gz",
    }
    models = {m.name: m.inputs for m in recorder.of_type("aws:sagemaker/model:Model")}
    assert {n: m["primaryContainer"]["modelDataUrl"] for n, m in models.items()} == {
        "fraud-v1-model": f"s3://ml-artifacts-bucket/{uploads['fraud-v1-artifact']}",
        "fraud-v2-model": f"s3://ml-artifacts-bucket/{uploads['fraud-v2-artifact']}",
    }
    assert [mocks.resolve(r.outputs["artifactKey"]) for r in releases] == list(uploads.values())


def test_release_v2_canary_with_scaling_override(build: Build) -> None:
    recorder, _, _ = build(releases=[dict(V1), dict(V2)])
    endpoints = {e.name: e.inputs for e in recorder.of_type("aws:sagemaker/endpoint:Endpoint")}
    routing = endpoints["fraud-v2-endpoint"]["deploymentConfig"]["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]
    assert routing == {
        "type": "CANARY",
        "waitIntervalInSeconds": 300,
        "canarySize": {"type": "CAPACITY_PERCENT", "value": 10},
    }
    targets = {t.name: t.inputs for t in recorder.of_type("aws:appautoscaling/target:Target")}
    assert targets["fraud-v2-scaling-target"] == {
        "serviceNamespace": "sagemaker",
        "scalableDimension": "sagemaker:variant:DesiredInstanceCount",
        "resourceId": "endpoint/mls-0a1b2c3d-fraud-v2-4bd25b/variant/primary",
        "minCapacity": 1,
        "maxCapacity": 8,
        "tags": {
            "mlserving:platform": "ml",
            "mlserving:model": "fraud",
            "mlserving:version": "2.0.0",
            "mlserving:api-version": "v2",
        },
    }
    policies = {p.name: p.inputs for p in recorder.of_type("aws:appautoscaling/policy:Policy")}
    config = policies["fraud-v2-scaling-policy"]["targetTrackingScalingPolicyConfiguration"]
    assert config == {
        "predefinedMetricSpecification": {"predefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
        "targetValue": 100,
        "scaleInCooldown": 300,
        "scaleOutCooldown": 60,
    }
    stages = {s.name: s.inputs for s in recorder.of_type("aws:apigateway/stage:Stage")}
    assert stages["fraud-v1-stage"]["stageName"] == "v1"
    assert stages["fraud-v1-stage"]["variables"] == {"endpoint": "mls-0a1b2c3d-fraud-v1-4bd25b"}
    assert stages["fraud-v2-stage"]["variables"] == {"endpoint": "mls-0a1b2c3d-fraud-v2-4bd25b"}
    plans = {p.name: p.inputs for p in recorder.of_type("aws:apigateway/usagePlan:UsagePlan")}
    assert plans["fraud-v2-usage-plan"]["throttleSettings"] == {"rateLimit": 100, "burstLimit": 200}
    settings = {s.name: s.inputs["settings"] for s in recorder.of_type("aws:apigateway/methodSettings:MethodSettings")}
    assert settings["fraud-v2-stage-settings"] == {
        "metricsEnabled": True,
        "throttlingRateLimit": 100,
        "throttlingBurstLimit": 200,
        "cachingEnabled": False,
    }


def test_release_linear_and_quota(build: Build) -> None:
    recorder, _, _ = build(
        {"api": {"quota": {"limit": 1000, "period": "DAY"}}},
        [{**V1, "rollout": {"strategy": "linear", "linearStepPercent": 25, "autoRollback": False}}],
    )
    config = recorder.one("aws:sagemaker/endpoint:Endpoint").inputs["deploymentConfig"]
    assert config == {
        "blueGreenUpdatePolicy": {
            "trafficRoutingConfiguration": {
                "type": "LINEAR",
                "waitIntervalInSeconds": 600,
                "linearStepSize": {"type": "CAPACITY_PERCENT", "value": 25},
            }
        }
    }
    assert recorder.one("aws:apigateway/usagePlan:UsagePlan").inputs["quotaSettings"] == {
        "limit": 1000,
        "period": "DAY",
    }


def test_release_alarms(build: Build) -> None:
    recorder, _, _ = build({"monitoring": {"latencyP99ThresholdMs": 250, "errorRatePercentThreshold": 2}}, [dict(V1)])
    alarms = {a.name: a.inputs for a in recorder.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    # The endpoint alarms (whole endpoint) page; the rollback alarms (new fleet) do not.
    assert set(alarms) == {
        "fraud-v1-endpoint-5xx-rate",
        "fraud-v1-endpoint-p99-latency",
        "fraud-v1-5xx-rate",
        "fraud-v1-p99-latency",
    }
    topic = ["arn:aws:sns:eu-west-1:123456789012:ml-alarms"]
    for name, dimensions, actions in (
        ("fraud-v1-endpoint-", {"EndpointName": "mls-0a1b2c3d-fraud-v1-4bd25b", "VariantName": "primary"}, topic),
        (
            "fraud-v1-",
            {
                "EndpointName": "mls-0a1b2c3d-fraud-v1-4bd25b",
                "VariantName": "primary",
                "EndpointConfigName": "fraud-v1-config-cfg",
            },
            None,
        ),
    ):
        latency = alarms[f"{name}p99-latency"]
        assert (latency["metricName"], latency["extendedStatistic"], latency["threshold"]) == (
            "ModelLatency",
            "p99",
            250000,
        )
        assert latency["dimensions"] == dimensions
        rate = alarms[f"{name}5xx-rate"]
        assert rate["threshold"] == 2
        assert [q["metric"]["dimensions"] for q in rate["metricQueries"][:2]] == [dimensions, dimensions]
        assert rate["metricQueries"][2]["expression"] == "IF(invocations > 0, 100 * errors / invocations, 0)"
        for alarm in (latency, rate):
            assert (alarm.get("alarmActions"), alarm.get("okActions")) == (actions, actions)


def test_release_execution_role_reads_only_its_prefix(build: Build) -> None:
    recorder, _, _ = build(releases=[{**V1, "dataCapture": {"enabled": True, "samplingPercent": 20}}])
    statements = {
        s["Sid"]: s for s in policy(recorder.one("aws:iam/rolePolicy:RolePolicy", "fraud-v1-execution"))["Statement"]
    }
    assert statements["ReadOwnArtifacts"]["Resource"] == "arn:aws:s3:::ml-artifacts/models/fraud/*"
    assert statements["DecryptArtifacts"]["Resource"] == "arn:aws:kms:eu-west-1:123456789012:key/ml-key"
    assert statements["WriteOwnDataCapture"]["Resource"] == "arn:aws:s3:::ml-artifacts/data-capture/fraud/v1/*"
    capture = recorder.one("aws:sagemaker/endpointConfiguration:EndpointConfiguration").inputs["dataCaptureConfig"]
    assert capture["initialSamplingPercentage"] == 20
    assert capture["destinationS3Uri"] == "s3://ml-artifacts-bucket/data-capture/fraud/v1"


def test_serverless_release_has_no_autoscaling(build: Build) -> None:
    recorder, _, _ = build(releases=[{**V1, "serverless": {"memorySizeMb": 4096, "maxConcurrency": 10}}])
    (variant,) = recorder.one("aws:sagemaker/endpointConfiguration:EndpointConfiguration").inputs["productionVariants"]
    assert variant["serverlessConfig"] == {"memorySizeInMb": 4096, "maxConcurrency": 10}
    assert "instanceType" not in variant
    assert recorder.of_type("aws:appautoscaling/target:Target") == []
    assert recorder.one("aws:sagemaker/model:Model").inputs["enableNetworkIsolation"] is False


@pytest.mark.parametrize(
    ("change", "same_endpoint"),
    [({"version": "1.1.0"}, True), ({"instanceType": "ml.c5.xlarge"}, False)],
)
def test_a_new_version_keeps_the_endpoint_a_new_instance_type_does_not(
    build: Build, change: dict[str, str], same_endpoint: bool
) -> None:
    recorder, _, _ = build(releases=[dict(V1)])
    before = recorder.one("aws:sagemaker/endpoint:Endpoint").inputs["name"]
    recorder, _, _ = build(releases=[{**V1, **change}])
    after = recorder.one("aws:sagemaker/endpoint:Endpoint").inputs["name"]
    assert (before == after) is same_endpoint
    assert recorder.one("aws:s3/bucket:Bucket").name == "ml-artifacts"


# ---------------------------------------------------------------- issue 11: what the real AWS would do

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"


def _variant(recorder: mocks.Recorder, name: str = "fraud-v1-config") -> dict[str, Any]:
    configs = [c for c in recorder.of_type(CONFIG) if c.name == name]
    (variant,) = configs[0].inputs["productionVariants"]
    return dict(variant)


def test_a_new_fleet_starts_at_max_replicas_unless_sized(build: Build) -> None:
    """issue 11 AWS 3: the update keeps no instance count and autoscaling is blocked while it runs."""
    recorder, _, _ = build(releases=[dict(V1), dict(V2)])
    assert _variant(recorder)["initialInstanceCount"] == 4
    assert _variant(recorder, "fraud-v2-config")["initialInstanceCount"] == 8
    recorder, _, _ = build(releases=[{**V1, "rollout": {"newFleetReplicas": 2}}])
    assert _variant(recorder)["initialInstanceCount"] == 2


def test_what_a_live_endpoint_may_run_on_is_never_deleted(build: Build) -> None:
    """issue 11 AWS 2: after an alarm rollback the endpoint runs the previous model and configuration."""
    recorder, _, _ = build(releases=[dict(V1)])
    options = mocks.monitor().options
    assert options[recorder.one(MODEL).name]["retainOnDelete"] is True
    assert options[recorder.one(CONFIG).name]["retainOnDelete"] is True
    # The endpoint itself goes on destroy, as before.
    assert options[recorder.one(ENDPOINT).name]["retainOnDelete"] is False


CLOUD_CONTROL = "aws:cloudcontrol/getResource:getResource"
ENDPOINT_ARN = "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/fraud-v1-endpoint"


class LiveEndpointRecorder(mocks.Recorder):
    """The AWS provider's state of the endpoint and what SageMaker says it runs (Cloud Control).

    `state_config`: the endpoint's `endpoint_config_name` in the provider's state (None: the
    configuration asked for, as after a successful update, or after a failed one, which the
    Terraform SDK saves as requested). `live_config`: DescribeEndpoint's EndpointConfigName
    (None: Cloud Control answers nothing)."""

    def __init__(self, state_config: str | None, live_config: str | None) -> None:
        super().__init__()
        self.state_config = state_config
        self.live_config = live_config

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        rid, state = super().new_resource(args)
        if args.typ == ENDPOINT and self.state_config is not None:
            state["endpointConfigName"] = self.state_config
        return rid, state

    def call(  # type: ignore[override]
        self, args: pulumi.runtime.MockCallArgs
    ) -> dict[str, Any] | tuple[dict[str, Any], list[tuple[str, str]]]:
        if args.token != CLOUD_CONTROL:
            return super().call(args)
        self.calls.append((args.token, dict(args.args)))
        if self.live_config is None:
            return {}
        properties = {"EndpointArn": args.args["identifier"], "EndpointConfigName": self.live_config}
        return {**args.args, "id": args.args["identifier"], "properties": json.dumps(properties)}


def _release_on_an_endpoint(
    model_archive: pulumi.FileArchive, preview: bool, state_config: str | None, live_config: str | None
) -> tuple[LiveEndpointRecorder, ModelRelease]:
    recorder = LiveEndpointRecorder(state_config, live_config)
    pulumi.runtime.set_mocks(
        recorder, project=mocks.PROJECT, stack=mocks.STACK, preview=preview, monitor=mocks.EngineLikeMonitor(recorder)
    )
    platform = mocks.run(lambda: MLServingPlatform.from_inputs("ml", {"cloud": "aws"}, pulumi.ResourceOptions()))
    inputs = {
        "platform": PlatformReference(mocks.resolve(platform.urn)),
        "artifact": model_archive,
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
        **{k: v for k, v in V1.items() if k != "name"},
    }
    release: ModelRelease = mocks.run(
        functools.partial(ModelRelease.from_inputs, "fraud-v1", inputs, pulumi.ResourceOptions())
    )
    return recorder, release


ROLLED_BACK = (
    "ModelRelease 'fraud-v1': the endpoint 'mls-0a1b2c3d-fraud-v1-4bd25b' runs the endpoint configuration "
    "'fraud-v1-config-previous', not 'fraud-v1-config-cfg', which this release deploys. SageMaker rolled the "
    "update back (one of the release's rollback alarms fired during the rollout, or the new fleet failed its "
    "health checks), or the update is still running after the AWS provider stopped waiting for it. The endpoint "
    "still serves the previous release (its model and endpoint configuration are kept). See the endpoint's events "
    "in SageMaker; once it is InService, fix the release if it was rolled back and run `pulumi up --refresh` to "
    "retry the rollout: a plain `pulumi up` may see no change, because the AWS provider keeps the configuration it "
    "asked for in its state when its update fails."
)


@pytest.mark.parametrize(
    "state_config",
    [None, "fraud-v1-config-previous"],
    ids=["failed update: the state keeps the request", "rollback reported as done: the state read back"],
)
def test_a_rolled_back_update_fails_the_up_naming_both_configurations(
    model_archive: pulumi.FileArchive, state_config: str | None
) -> None:
    """issue 18 AWS 4 (and issue 11 AWS 2): what the endpoint runs is read from SageMaker through
    Cloud Control, not from the endpoint resource's state, which a failed update leaves claiming the
    requested configuration (hashicorp/terraform-plugin-sdk#476).

    The release's outputs fail, so its construct (and `pulumi up`) fails, after every child is registered."""
    with pytest.raises(RolledBackError) as caught:
        _release_on_an_endpoint(model_archive, False, state_config, "fraud-v1-config-previous")
    assert str(caught.value) == ROLLED_BACK


def test_what_the_endpoint_runs_is_read_from_sagemaker_after_the_endpoint(model_archive: pulumi.FileArchive) -> None:
    """issue 18 AWS 4: one Cloud Control read of the endpoint, by its ARN (the primaryIdentifier of
    AWS::SageMaker::Endpoint), after its create or update; the state's configuration is not consulted."""
    recorder, release = _release_on_an_endpoint(model_archive, False, "fraud-v1-config-previous", "fraud-v1-config-cfg")
    assert mocks.resolve(release.outputs["endpointName"]) == "mls-0a1b2c3d-fraud-v1-4bd25b"
    reads = [args for token, args in recorder.calls if token == CLOUD_CONTROL]
    assert reads == [{"typeName": "AWS::SageMaker::Endpoint", "identifier": ENDPOINT_ARN}]


def test_the_endpoint_read_is_an_invoke_of_the_pinned_aws_sdk() -> None:
    """issue 18 AWS 4: the module, function and token fakecloud serves (tests/fakecloud)."""
    import inspect

    import pulumi_aws

    source = inspect.getsource(pulumi_aws.cloudcontrol.get_resource_output)
    assert "'aws:cloudcontrol/getResource:getResource'" in source
    assert "__args__['typeName'] = type_name" in source
    assert "__args__['identifier'] = identifier" in source


@pytest.mark.parametrize(("running", "wanted"), [(None, "fraud-v1-config-cfg"), ("fraud-v1-config-cfg", None)])
def test_a_configuration_the_provider_does_not_name_is_not_judged(running: str | None, wanted: str | None) -> None:
    """A configuration name left empty (by SageMaker or the provider) is no evidence of a rollback."""
    mocks.install()
    name = mocks.run(
        lambda: aws_serving.verified_endpoint_name(
            "fraud-v1",
            pulumi.Output.from_input("mls-0a1b2c3d-fraud-v1-4bd25b"),
            pulumi.Output.from_input(running),
            pulumi.Output.from_input(cast(str, wanted)),
        )
    )
    assert mocks.resolve(name) == "mls-0a1b2c3d-fraud-v1-4bd25b"


def test_an_empty_cloud_control_answer_is_not_judged(model_archive: pulumi.FileArchive) -> None:
    recorder, release = _release_on_an_endpoint(model_archive, False, None, None)
    assert mocks.resolve(release.outputs["endpointName"]) == "mls-0a1b2c3d-fraud-v1-4bd25b"
    assert [token for token, _ in recorder.calls].count(CLOUD_CONTROL) == 1


def test_a_preview_neither_reads_nor_judges(model_archive: pulumi.FileArchive) -> None:
    """A preview's values are planned: it does not read the endpoint (which may not exist yet)."""
    recorder, release = _release_on_an_endpoint(model_archive, True, None, "fraud-v1-config-previous")
    assert mocks.resolve(release.outputs["endpointName"]) == "mls-0a1b2c3d-fraud-v1-4bd25b"
    assert CLOUD_CONTROL not in [token for token, _ in recorder.calls]


@pytest.mark.parametrize(
    ("platform", "change"),
    [
        ({}, {"rollout": {"autoRollback": False}}),
        ({"monitoring": {"enabled": False}}, {}),
        ({}, {"instanceType": "ml.c5.xlarge"}),
        ({}, {"serverless": {"memorySizeMb": 2048, "maxConcurrency": 5}}),
    ],
    ids=["autoRollback off", "monitoring off", "instance type", "serverless"],
)
def test_an_endpoint_replacement_gets_a_new_name_and_is_created_first(
    build: Build, platform: dict[str, Any], change: dict[str, Any]
) -> None:
    """issue 11 AWS 4: the bridge deletes an explicitly named resource before replacing it
    (pulumi/pulumi-terraform#465) unless told not to; ForceNew inputs change the name."""
    recorder, _, _ = build(releases=[dict(V1)])
    before = recorder.one(ENDPOINT).inputs
    recorder, _, _ = build(platform, [{**V1, **change}])
    after = recorder.one(ENDPOINT)
    assert after.inputs["name"] != before["name"]
    assert after.inputs["name"].startswith("mls-0a1b2c3d-fraud-v1-")
    assert mocks.monitor().options[after.name]["deleteBeforeReplace"] is False
    # The stage follows the endpoint.
    assert recorder.one("aws:apigateway/stage:Stage").inputs["variables"] == {"endpoint": after.inputs["name"]}
    if "autoRollbackConfiguration" in before["deploymentConfig"] and "serverless" not in change:
        assert ("autoRollbackConfiguration" in after.inputs["deploymentConfig"]) is not bool(
            platform or change.get("rollout")
        )


def test_execution_role_may_read_only_its_rollback_alarms(build: Build) -> None:
    """issue 11 AWS 5: deployment guardrails read the alarms with the execution role."""
    recorder, _, _ = build(releases=[dict(V1)])
    reader = recorder.one("aws:iam/rolePolicy:RolePolicy", "fraud-v1-read-rollback-alarms")
    assert reader.inputs["role"] == "fraud-v1-execution-role-id"
    assert policy(reader)["Statement"] == [
        {
            "Sid": "ReadRollbackAlarms",
            "Effect": "Allow",
            "Action": "cloudwatch:DescribeAlarms",
            "Resource": [
                "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fraud-v1-5xx-rate",
                "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fraud-v1-p99-latency",
            ],
        }
    ]
    sids = [s["Sid"] for s in policy(recorder.one("aws:iam/rolePolicy:RolePolicy", "fraud-v1-execution"))["Statement"]]
    assert "ReadRollbackAlarms" not in sids
    # The endpoint (whose update the alarms watch) waits for the permission.
    dependencies = mocks.monitor().options[recorder.one(ENDPOINT).name]["dependencies"]
    assert any(d.endswith("aws:iam/rolePolicy:RolePolicy::fraud-v1-read-rollback-alarms") for d in dependencies)
    recorder, _, _ = build(releases=[{**V1, "rollout": {"autoRollback": False}}])
    assert [p.name for p in recorder.of_type("aws:iam/rolePolicy:RolePolicy") if p.name.startswith("fraud")] == [
        "fraud-v1-execution"
    ]


def test_the_model_waits_for_its_role_policy(build: Build) -> None:
    """issue 11 AWS 10: SageMaker checks the role's permissions when the model is created."""
    recorder, _, _ = build(releases=[dict(V1)])
    dependencies = mocks.monitor().options[recorder.one(MODEL).name]["dependencies"]
    assert any(urn.endswith("aws:iam/rolePolicy:RolePolicy::fraud-v1-execution") for urn in dependencies)


def test_trust_policies_hold_only_the_conditions_aws_documents(build: Build) -> None:
    """issue 11 AWS 11: SageMaker documents aws:SourceArn for inference; API Gateway no source key."""
    recorder, _, _ = build(releases=[dict(V1)])
    (sagemaker,) = policy(recorder.one("aws:iam/role:Role", "fraud-v1-execution-role"), "assumeRolePolicy")["Statement"]
    assert sagemaker["Condition"] == {"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:eu-west-1:123456789012:*"}}
    (gateway,) = policy(recorder.one("aws:iam/role:Role", "ml-api-role"), "assumeRolePolicy")["Statement"]
    assert gateway == {
        "Effect": "Allow",
        "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }


def test_a_platform_api_change_redeploys_every_stage(build: Build) -> None:
    """issue 11 AWS 8: a deployment is a snapshot; its triggers carry the API's definition."""
    triggers = []
    for require in (True, False):
        recorder, _, _ = build({"api": {"requireApiKey": require}}, [dict(V1)])
        triggers.append(recorder.one("aws:apigateway/deployment:Deployment").inputs["triggers"])
    keyed, open_ = triggers
    assert set(keyed) == {"apiDefinition"}
    assert keyed["apiDefinition"] != open_["apiDefinition"]
    assert re.fullmatch(r"[0-9a-f]{16}", keyed["apiDefinition"])


def _escape_javascript(text: str) -> str:
    """What API Gateway's `$util.escapeJavaScript` does (Apache Commons Lang escapeJavaScript)."""
    escapes = {"'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\n": "\\n", "\t": "\\t"}
    escapes.update({"\f": "\\f", "\r": "\\r"})
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 32 or ord(char) > 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _render_get_template(query: dict[str, str]) -> str:
    """The body API Gateway makes of GET /predict?<query> with GET_REQUEST_TEMPLATE.

    A small interpreter of exactly the template's constructs: the loop over the query keys,
    `$util.escapeJavaScript(...)` and the `.replaceAll("\\'","'")` that may follow it.
    """
    template = aws_api.GET_REQUEST_TEMPLATE
    loop = re.search(r"#foreach\(\$key in \$input\.params\(\)\.querystring\.keySet\(\)\)\n(.*)\n#end\n", template, re.S)
    assert loop is not None
    body = loop.group(1)
    call = re.compile(
        r"\$util\.escapeJavaScript\((\$key|\$input\.params\(\)\.querystring\.get\(\$key\))\)"
        r"((?:\.replaceAll\(\"\\\\'\",\"'\"\))?)"
    )
    items = []
    for i, (key, value) in enumerate(query.items()):

        def expand(match: re.Match[str], key: str = key, value: str = value) -> str:
            escaped = _escape_javascript(key if match.group(1) == "$key" else value)
            return escaped.replace("\\'", "'") if match.group(2) else escaped

        item = call.sub(expand, body)
        more = "," if i < len(query) - 1 else ""
        items.append(item.replace("#if($foreach.hasNext),#end", more))
    return template[: loop.start()] + "\n".join(items) + "\n" + template[loop.end() :]


def test_a_get_with_quotes_becomes_valid_json() -> None:
    """issue 11 AWS 10: escapeJavaScript turns ' into \\', which JSON refuses; the template turns it back."""
    query = {"text": 'it\'s "great" / ok', "lang": "en"}
    assert json.loads(_render_get_template(query)) == query


def test_the_dead_letter_queue_outlives_the_queue(build: Build) -> None:
    """issue 11 AWS 10: a message keeps its first enqueue time when it moves to a standard queue's DLQ."""
    recorder, _, _ = build()
    queue = recorder.one("aws:sqs/queue:Queue", "ml-release-events").inputs
    dlq = recorder.one("aws:sqs/queue:Queue", "ml-release-events-dlq").inputs
    assert (queue["messageRetentionSeconds"], dlq["messageRetentionSeconds"]) == (4 * 86400, 14 * 86400)


def test_every_lifecycle_rule_names_its_prefix(build: Build) -> None:
    """issue 11 AWS 10: no empty `filter: {}`."""
    recorder, _, _ = build()
    rules = recorder.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert [r["filter"] for r in rules] == [{"prefix": ""}, {"prefix": ""}]


def test_throttle_and_quota_count_per_api_version(build: Build) -> None:
    """issue 11 AWS 9: one usage plan per stage holds the key; the schema says what that means."""
    recorder, _, _ = build({"api": {"quota": {"limit": 1000, "period": "DAY"}}}, [dict(V1), dict(V2)])
    plans = recorder.of_type("aws:apigateway/usagePlan:UsagePlan")
    assert sorted(p.inputs["apiStages"][0]["stage"] for p in plans) == ["v1", "v2"]
    assert all(p.inputs["quotaSettings"] == {"limit": 1000, "period": "DAY"} for p in plans)
    schema = json.loads((Path(__file__).parents[2] / "schema.json").read_text())["types"]
    api = schema["mlserving:index:Api"]["properties"]
    assert "per API version" in api["quota"]["description"]
    assert "per API version" in api["throttleRateLimit"]["description"]
    assert "all callers" in api["throttleRateLimit"]["description"]


# ---------------------------------------------------------------- issue 18: day two on AWS

# What `artifacts.retainOnDelete` keeps of the platform (by logical name), besides nothing else.
STORE_KEPT = {
    "ml-artifacts": "aws:s3/bucket:Bucket",
    "ml-artifacts-public-access": "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "ml-artifacts-ownership": "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "ml-artifacts-versioning": "aws:s3/bucketVersioning:BucketVersioning",
    "ml-artifacts-encryption": "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "ml-artifacts-lifecycle": "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "ml-artifacts-policy": "aws:s3/bucketPolicy:BucketPolicy",
}
KEY_KEPT = {"ml-key": "aws:kms/key:Key", "ml-key-policy": "aws:kms/keyPolicy:KeyPolicy"}
GIVEN_KEY = "arn:aws:kms:eu-west-1:123456789012:key/abcd"
BUCKET_URN = "urn:pulumi:stack::project::mlserving:index:MLServingPlatform$aws:s3/bucket:Bucket::ml-artifacts"


@pytest.mark.parametrize(
    ("artifacts", "kept"),
    [
        ({}, {**STORE_KEPT, **KEY_KEPT}),
        ({"retainOnDelete": True, "kmsKeyArn": GIVEN_KEY}, STORE_KEPT),
        ({"retainOnDelete": False}, {}),
        ({"retainOnDelete": False, "kmsKeyArn": GIVEN_KEY}, {}),
    ],
    ids=["retained", "retained with a given key", "not retained", "not retained with a given key"],
)
def test_destroy_keeps_the_store_with_its_protections_and_its_key(
    build: Build, artifacts: dict[str, Any], kept: dict[str, str]
) -> None:
    """issue 18 AWS 1: what is kept stays readable by its owner and as protected as before.

    Deleting a protection is not neutral (versioning is suspended, the encryption default goes
    back to SSE-S3, the key is scheduled for deletion), so each is kept with the bucket."""
    recorder, _, _ = build({"artifacts": artifacts})
    options = mocks.monitor().options
    children = [r for r in recorder.resources if r.custom]
    assert {r.name: r.typ for r in children if options[r.name]["retainOnDelete"]} == kept
    # Nothing else about how they are created, replaced or ordered changes.
    for r in children:
        if r.name in STORE_KEPT and r.name != "ml-artifacts":
            assert BUCKET_URN in options[r.name]["dependencies"], r.name
        assert (options[r.name]["protect"], options[r.name]["deleteBeforeReplace"]) == (False, None), r.name
    # The EventBridge notifications go with the platform (nothing reads them afterwards).
    assert options["ml-artifacts-eventbridge"]["retainOnDelete"] is False
    assert BUCKET_URN in options["ml-artifacts-eventbridge"]["dependencies"]
    # A kept key is never scheduled for deletion; one that goes keeps AWS's longest window.
    assert recorder.one("aws:kms/key:Key").inputs["deletionWindowInDays"] == 30
    assert recorder.one("aws:s3/bucket:Bucket").inputs["forceDestroy"] is ("ml-artifacts" not in kept)


def test_a_new_platform_after_destroy_creates_nothing_under_a_kept_name(build: Build) -> None:
    """issue 18 AWS 1: destroy then up: what is kept has no name the new platform asks for again.

    The bucket is autonamed (a new random suffix each time), the key and its policy have no name,
    each configuration names its bucket by the new bucket's id."""
    recorder, _, _ = build()
    bucket = recorder.one("aws:s3/bucket:Bucket")
    assert not {"bucket", "bucketPrefix"} & set(bucket.inputs)
    assert not {"name", "namePrefix"} & set(recorder.one("aws:kms/key:Key").inputs)
    assert recorder.of_type("aws:kms/alias:Alias") == []
    for name in STORE_KEPT:
        if name != "ml-artifacts":
            assert [r.inputs["bucket"] for r in recorder.resources if r.name == name] == ["ml-artifacts-id"], name


def _method_status(backend: int, match: Callable[[str, str], object]) -> str:
    """The method status API Gateway answers for a SageMaker status, with `match` as its regex semantics."""
    chosen = [status for status, pattern in aws_api.ERROR_STATUSES if match(pattern, str(backend))]
    assert len(chosen) <= 1, f"{backend} matches {chosen}"
    return chosen[0] if chosen else "200"


@pytest.mark.parametrize("match", [re.fullmatch, re.search], ids=["whole code", "anywhere in it"])
def test_model_errors_are_server_errors_and_no_two_patterns_overlap(match: Callable[[str, str], object]) -> None:
    """issue 18 AWS 5: SageMaker answers 424 ModelError when the container fails and 503 when it is
    unavailable; callers see a server fault. The docs do not say which of several matching patterns
    wins, nor whether a pattern must match the whole code: the mapping holds either way."""
    expected = {424: "502", 503: "503", 429: "429"}
    for code in range(100, 600):
        default = "400" if 400 <= code < 500 else "500" if code >= 500 else "200"
        assert _method_status(code, match) == expected.get(code, default), code
    # What SageMaker InvokeEndpoint returns (botocore sagemaker-runtime 2017-05-13: ValidationError,
    # ModelNotReadyException, ModelError, InternalFailure, ServiceUnavailable, InternalDependencyException).
    answered = {code: _method_status(code, match) for code in (200, 400, 429, 424, 500, 503, 530)}
    assert answered == {200: "200", 400: "400", 429: "429", 424: "502", 500: "500", 503: "503", 530: "500"}


def test_every_error_status_has_its_method_response_and_mapping(build: Build) -> None:
    """issue 18 AWS 5: an integration response needs a method response of its status, per verb."""
    recorder, _, _ = build()
    for verb in ("post", "get"):
        responses = {
            r.name: r.inputs["statusCode"]
            for r in recorder.of_type("aws:apigateway/methodResponse:MethodResponse")
            if r.name.startswith(f"ml-predict-{verb}-")
        }
        assert responses == {f"ml-predict-{verb}-{s}": s for s in ("200", "400", "429", "500", "502", "503")}
        mappings = {
            r.inputs["statusCode"]: r.inputs.get("selectionPattern")
            for r in recorder.of_type("aws:apigateway/integrationResponse:IntegrationResponse")
            if r.name.startswith(f"ml-predict-{verb}-")
        }
        assert mappings == {
            "200": None,
            "400": r"4[013-9]\d|42[0-35-8]",
            "429": "429",
            "500": r"5[1-9]\d|50[0-24-9]",
            "502": "424",
            "503": "503",
        }
        # Each mapping waits for its integration and method response (PutIntegrationResponse refuses
        # a status without a method response).
        options = mocks.monitor().options
        for status in ("400", "429", "500", "502", "503"):
            deps = options[f"ml-predict-{verb}-{status}-mapping"]["dependencies"]
            assert any(d.endswith(f"MethodResponse::ml-predict-{verb}-{status}") for d in deps)
            assert any(d.endswith(f"Integration::ml-predict-{verb}-sagemaker") for d in deps)


def test_the_new_error_statuses_redeploy_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """issue 18 AWS 5: stages deployed before this mapping get a new deployment (its digest changed)."""
    from mlserving_provider.args import Api

    settings = Api(require_api_key=True, throttle_rate_limit=100, throttle_burst_limit=200, quota=None, stage_quota=10)
    now = aws_api.api_definition(settings)
    monkeypatch.setattr(aws_api, "ERROR_STATUSES", (("400", r"4\d{2}"), ("500", r"5\d{2}")))
    assert aws_api.api_definition(settings) != now


class ContentNamedRecorder(mocks.Recorder):
    """SageMaker models and endpoint configurations named after their inputs, as their autonames
    change on every replacement (each new version or artifact is a new model and configuration)."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        rid, state = super().new_resource(args)
        if args.typ in (MODEL, CONFIG):
            digest = hashlib.sha256(json.dumps(args.inputs, sort_keys=True, default=str).encode()).hexdigest()
            state["name"] = f"{args.name}-{digest[:7]}"
        return rid, state


def _build_content_named(model_archive: pulumi.FileArchive, release: dict[str, Any]) -> mocks.Recorder:
    recorder = ContentNamedRecorder()
    pulumi.runtime.set_mocks(
        recorder, project=mocks.PROJECT, stack=mocks.STACK, preview=False, monitor=mocks.EngineLikeMonitor(recorder)
    )
    platform = mocks.run(lambda: MLServingPlatform.from_inputs("ml", {"cloud": "aws"}, pulumi.ResourceOptions()))
    inputs = {
        "platform": PlatformReference(mocks.resolve(platform.urn)),
        "artifact": model_archive,
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
        **{k: v for k, v in release.items() if k != "name"},
    }
    mocks.run(functools.partial(ModelRelease.from_inputs, release["name"], inputs, pulumi.ResourceOptions()))
    return recorder


def test_rollback_alarms_watch_the_new_fleet_under_names_that_never_change(
    model_archive: pulumi.FileArchive,
) -> None:
    """issue 18 AWS 3: "if your old fleet trips the alarm during the deployment, SageMaker terminates
    your deployment": the rollback alarms watch the new configuration only. A new version changes
    their EndpointConfigName dimension (in place) and nothing of the endpoint's rollback
    configuration, which the AWS provider cannot change in place (ForceNew)."""
    seen = []
    for version in ("1.0.0", "1.1.0"):
        recorder = _build_content_named(model_archive, {**V1, "version": version})
        config = recorder.one(CONFIG)
        alarms = {a.name: a.inputs for a in recorder.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
        rollback = {n: alarms[n] for n in ("fraud-v1-5xx-rate", "fraud-v1-p99-latency")}
        # The dimension names the configuration this release brings (what the update deploys).
        config_name = f"fraud-v1-config-{hashlib.sha256(json.dumps(config.inputs, sort_keys=True, default=str).encode()).hexdigest()[:7]}"
        assert rollback["fraud-v1-p99-latency"]["dimensions"]["EndpointConfigName"] == config_name
        for query in rollback["fraud-v1-5xx-rate"]["metricQueries"][:2]:
            assert query["metric"]["dimensions"]["EndpointConfigName"] == config_name
        # The endpoint alarms watch every fleet, as before.
        assert "EndpointConfigName" not in alarms["fraud-v1-endpoint-p99-latency"]["dimensions"]
        endpoint = recorder.one(ENDPOINT)
        options = mocks.monitor().options
        # The alarms are updated before the endpoint (it depends on them), after the configuration.
        for name in rollback:
            assert any(d.endswith(f"MetricAlarm::{name}") for d in options[endpoint.name]["dependencies"])
            assert any(d.endswith(f"EndpointConfiguration::{config.name}") for d in options[name]["dependencies"])
        seen.append((config_name, endpoint.inputs["deploymentConfig"], endpoint.inputs["name"], sorted(rollback)))
    (config_1, deployment_1, endpoint_1, names_1), (config_2, deployment_2, endpoint_2, names_2) = seen
    assert config_1 != config_2
    assert (deployment_1, endpoint_1, names_1) == (deployment_2, endpoint_2, names_2)
    assert deployment_1["autoRollbackConfiguration"] == {
        "alarms": [{"alarmName": "fraud-v1-5xx-rate-alarm"}, {"alarmName": "fraud-v1-p99-latency-alarm"}]
    }


@pytest.mark.parametrize(
    ("platform", "release", "alarms"),
    [
        (
            {},
            {},
            [
                "fraud-v1-5xx-rate",
                "fraud-v1-endpoint-5xx-rate",
                "fraud-v1-endpoint-p99-latency",
                "fraud-v1-p99-latency",
            ],
        ),
        ({}, {"rollout": {"autoRollback": False}}, ["fraud-v1-endpoint-5xx-rate", "fraud-v1-endpoint-p99-latency"]),
        ({"monitoring": {"enabled": False}}, {}, []),
    ],
    ids=["rollback", "no rollback", "monitoring off"],
)
def test_endpoint_alarms_page_whenever_monitoring_is_on(
    build: Build, platform: dict[str, Any], release: dict[str, Any], alarms: list[str]
) -> None:
    """issue 18 AWS 3: the paging alarms (whole endpoint) do not depend on the rollback choice."""
    recorder, _, _ = build(platform, [{**V1, **release}])
    assert sorted(a.name for a in recorder.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")) == alarms


@pytest.mark.parametrize(("api", "published"), [({}, 10), ({"stageQuota": 25}, 25)])
def test_the_platform_publishes_its_stage_quota_to_its_releases(
    build: Build, api: dict[str, Any], published: int
) -> None:
    """issue 18 AWS 2: a release cannot see the other releases; it reads the quota the platform states."""
    _, platform, _ = build({"api": api})
    settings = json.loads(mocks.resolve(platform.outputs["attachments"])["settings"])
    assert settings["stageQuota"] == published


def test_ten_api_versions_fit_api_gateways_default_quotas(build: Build) -> None:
    """issue 18 AWS 2: v1..v10 each get a stage and a usage plan holding the one key (10 and 10)."""
    releases = [{**V1, "name": f"fraud-v{n}", "apiVersion": f"v{n}"} for n in range(1, 11)]
    recorder, _, _ = build({}, releases)
    assert sorted(s.inputs["stageName"] for s in recorder.of_type("aws:apigateway/stage:Stage")) == sorted(
        f"v{n}" for n in range(1, 11)
    )
    keys = [k.inputs["keyId"] for k in recorder.of_type("aws:apigateway/usagePlanKey:UsagePlanKey")]
    assert keys == ["ml-api-key-id"] * 10


# ---------------------------------------------------------------- promises of schema.json (tests/PROMISES.md)


@pytest.mark.parametrize(
    ("artifacts", "key"),
    [({}, "arn:aws:kms:eu-west-1:123456789012:key/ml-key"), ({"kmsKeyArn": GIVEN_KEY}, GIVEN_KEY)],
    ids=["platform key", "given key"],
)
def test_an_s3_bucket_key_is_always_enabled(build: Build, artifacts: dict[str, Any], key: str) -> None:
    """artifacts.kmsKeyArn: "An S3 Bucket Key is always enabled": the bucket's default encryption and
    every upload use SSE-KMS under the key with a bucket key, whichever key encrypts them."""
    recorder, _, _ = build({"artifacts": artifacts}, [dict(V1)])
    (rule,) = recorder.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule == {
        "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key},
        "bucketKeyEnabled": True,
    }
    upload = recorder.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs
    assert (upload["serverSideEncryption"], upload["kmsKeyId"], upload["bucketKeyEnabled"]) == ("aws:kms", key, True)


@pytest.mark.parametrize(("days", "sent"), [(0, 0), (7, 7), (None, 30)], ids=["forever", "a week", "default"])
def test_the_archive_keeps_events_for_the_days_asked_and_0_keeps_them_forever(
    build: Build, days: int | None, sent: int
) -> None:
    """events.archiveRetentionDays: `0` keeps events forever. EventBridge CreateArchive: RetentionDays
    "Default value is 0. If set to 0, events are retained indefinitely", so 0 is sent as it is."""
    recorder, _, _ = build({"events": {} if days is None else {"archiveRetentionDays": days}})
    assert recorder.one("aws:cloudwatch/eventArchive:EventArchive").inputs["retentionDays"] == sent


def test_the_stage_switches_to_a_new_endpoint_only_once_it_exists(build: Build) -> None:
    """instanceType: a new endpoint is created beside the old one, the API stage switches to it, and only
    then is the old one deleted. The stage names the new endpoint through its output (a dependency, so the
    engine updates the stage after the new endpoint is created), and the endpoint is replaced create-first
    (the engine deletes a create-first replacement's old resource after its dependents are updated)."""
    recorder, _, _ = build(releases=[dict(V1)])
    old = recorder.one(ENDPOINT).inputs["name"]
    recorder, _, _ = build(releases=[{**V1, "instanceType": "ml.c5.xlarge"}])
    new = recorder.one(ENDPOINT)
    assert new.inputs["name"] != old
    stage = recorder.one("aws:apigateway/stage:Stage")
    assert stage.inputs["variables"] == {"endpoint": new.inputs["name"]}
    options = mocks.monitor().options
    endpoint_urn = (
        "urn:pulumi:stack::project::mlserving:index:ModelRelease$aws:sagemaker/endpoint:Endpoint::fraud-v1-endpoint"
    )
    assert endpoint_urn in options[stage.name]["dependencies"]
    assert options[new.name]["deleteBeforeReplace"] is False


@pytest.mark.parametrize("retain", [True, False])
def test_sagemaker_models_and_configurations_are_never_deleted_whatever_retain_on_delete_says(
    build: Build, retain: bool
) -> None:
    """autoRollback: "its model and endpoint configuration are never deleted": after an alarm rollback the
    endpoint runs on them, whatever `artifacts.retainOnDelete` says (that decides the store only)."""
    recorder, _, _ = build({"artifacts": {"retainOnDelete": retain}}, [dict(V1)])
    options = mocks.monitor().options
    assert {
        r.typ: options[r.name]["retainOnDelete"] for r in (*recorder.of_type(MODEL), *recorder.of_type(CONFIG))
    } == {
        MODEL: True,
        CONFIG: True,
    }
    assert options[recorder.one(ENDPOINT).name]["retainOnDelete"] is False
    assert options["ml-artifacts"]["retainOnDelete"] is retain


@pytest.mark.parametrize(
    ("rollout", "routing"),
    [
        ({"strategy": "canary"}, "CANARY"),
        ({"strategy": "linear", "linearStepPercent": 50}, "LINEAR"),
    ],
)
def test_a_new_rollout_strategy_updates_the_endpoint_in_place(
    build: Build, rollout: dict[str, Any], routing: str
) -> None:
    """README "What a change does": a new `rollout.strategy` updates the endpoint's deployment
    configuration in place: same name, same rollback alarms (ForceNew in the AWS provider), only the
    traffic routing changes (not ForceNew: tests/contract/test_fakecloud.py::test_aws4b_...)."""
    recorder, _, _ = build(releases=[dict(V1)])
    before = recorder.one(ENDPOINT).inputs
    recorder, _, _ = build(releases=[{**V1, "rollout": rollout}])
    after = recorder.one(ENDPOINT).inputs
    assert after["name"] == before["name"]
    assert (
        after["deploymentConfig"]["autoRollbackConfiguration"]
        == before["deploymentConfig"]["autoRollbackConfiguration"]
    )
    assert before["deploymentConfig"]["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]["type"] == "ALL_AT_ONCE"
    assert after["deploymentConfig"]["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"]["type"] == routing


def _release_of_a_platform_without_a_stage_quota(model_archive: pulumi.FileArchive, api_version: str) -> ModelRelease:
    """A release of V1's model on `api_version`, attached to a platform whose published settings have no
    `stageQuota` (a platform deployed before the setting existed)."""
    mocks.install()
    platform = mocks.run(lambda: MLServingPlatform.from_inputs("ml", {"cloud": "aws"}, pulumi.ResourceOptions()))
    urn = mocks.resolve(platform.urn)
    registration = mocks.monitor().resources[urn]
    attachments = dict(registration.state["attachments"])
    settings = json.loads(attachments["settings"])
    del settings["stageQuota"]
    attachments["settings"] = json.dumps(settings)
    mocks.monitor().resources[urn] = registration._replace(state={**registration.state, "attachments": attachments})
    inputs = {
        "platform": PlatformReference(urn),
        "artifact": model_archive,
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
        **{k: v for k, v in V1.items() if k != "name"},
        "apiVersion": api_version,
    }
    release: ModelRelease = mocks.run(
        functools.partial(ModelRelease.from_inputs, f"fraud-{api_version}", inputs, pulumi.ResourceOptions())
    )
    return release


def test_a_release_of_a_platform_from_before_the_stage_quota_counts_10(model_archive: pulumi.FileArchive) -> None:
    """api.stageQuota: "A release of a platform from before this setting counts 10" (API Gateway's defaults)."""
    release = _release_of_a_platform_without_a_stage_quota(model_archive, "v10")
    assert mocks.resolve(release.outputs["apiVersion"]) == "v10"
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        _release_of_a_platform_without_a_stage_quota(model_archive, "v11")
    assert caught.value.errors is not None
    assert [(e["property_path"], e["reason"]) for e in caught.value.errors] == [
        (
            "apiVersion",
            "'apiVersion' must be at most 'v10' on this platform: each API version is a stage of the platform's "
            "REST API and a usage plan holding its API key, and the platform's 'api.stageQuota' states API "
            "Gateway's 'Stages per API' and 'Usage plans per API key' quotas as 10 (10 unless raised). API "
            "versions are counted by their number: number them from 'v1', or raise both in Service Quotas and "
            "set the platform's 'api.stageQuota' to the new value (got 'v11')",
        )
    ]
