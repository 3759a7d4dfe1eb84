"""The AWS API-model judge (tests/fakecloud/apimodels/aws.py): exact violations, clean snapshots, full coverage."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakecloud.apimodels import aws
from tests.fakecloud.apimodels.core import Phase, Violation
from tests.fakecloud.wire import UNKNOWN

SNAPSHOTS = Path(__file__).resolve().parents[1] / "unit" / "snapshots"
V = "botocore 1.44.18 data/{}/service-2.json"


def _snapshot_resources() -> list[dict[str, Any]]:
    return [r for p in sorted(SNAPSHOTS.glob("aws-*.json")) for r in json.loads(p.read_text())["resources"]]


def _created_types() -> set[str]:
    return {r["type"] for r in _snapshot_resources() if r["type"].startswith("aws:")}


def _valid(token: str) -> dict[str, Any]:
    """The tuned snapshot's first resource of `token`."""
    tuned = json.loads((SNAPSHOTS / "aws-tuned.json").read_text())["resources"]
    first = next(r for r in tuned + _snapshot_resources() if r["type"] == token)
    return dict(copy.deepcopy(first["inputs"]))


def test_every_type_the_snapshots_create_is_mapped() -> None:
    created = _created_types()
    assert created, "no AWS snapshot resources"
    assert created <= aws.TOKENS, sorted(created - aws.TOKENS)
    assert created <= {row.token for row in aws.coverage()}


def test_coverage_lists_every_input_the_snapshots_give() -> None:
    listed = {row.token: {f.input for f in row.fields} for row in aws.coverage()}
    missing = sorted(
        (r["type"], key)
        for r in _snapshot_resources()
        if r["type"] in listed
        for key in r["inputs"]
        if not key.startswith("__") and key not in listed[r["type"]]
    )
    assert missing == []


def test_coverage_explains_what_it_does_not_check() -> None:
    for row in aws.coverage():
        assert row.source.startswith(aws.SOURCE + " data/"), row.source
        assert row.checked or row.note, f"{row.token}: no checked field and no note"
        for f in row.unmapped:
            assert f.why, f"{row.token}.{f.input}: unmapped without a reason"
        for f in row.checked:
            assert f.constraints or f.why, f"{row.token}.{f.input}: no constraint and no reason"


@pytest.mark.parametrize("token", sorted(aws.TOKENS))
def test_a_snapshot_input_gives_nothing(token: str) -> None:
    assert aws.check(token, _valid(token)) == []


def test_snapshot_inputs_meet_the_models() -> None:
    """Every resource the snapshot configurations build meets its service model (the unit mocks give ARNs of
    the real shapes, tests/mocks.py aws_arn)."""
    found = [v.message() for r in _snapshot_resources() for v in aws.check(r["type"], r["inputs"])]
    assert found == []


def test_unknown_values_bookkeeping_and_other_packages_are_skipped() -> None:
    token = "aws:cloudwatch/eventRule:EventRule"
    assert aws.check(token, {**_valid(token), "name": UNKNOWN, "__defaults": ["name"]}) == []
    assert aws.check("random:index/randomId:RandomId", {"byteLength": -1}) == []


def _enum(service: str, shape: str) -> tuple[str, ...]:
    model, _ = aws._model(service)
    return tuple(model["shapes"][shape]["enum"])


def _v(
    token: str, inp: str, path: str, constraint: str, expected: Any, value: Any, model: str, phase: Phase = Phase.UP
) -> Violation:
    return Violation(token, inp, path, constraint, expected, value, V.format(model), phase)


AG = "apigateway/2015-07-09"
SM = "sagemaker/2017-07-24"
EV = "events/2015-10-07"
S3 = "s3/2006-03-01"
CF = "cloudfront/2020-05-31"
AAS = "application-autoscaling/2016-02-06"

# token -> (input path to set, the value, the one violation it gives)
REFUSED: dict[str, tuple[str, Any, Violation]] = {}


def _refuse(token: str, key: str, value: Any, *violation: Any, phase: Phase = Phase.UP) -> None:
    inp, path, constraint, expected, got, model = violation
    REFUSED[token] = (key, value, _v(token, inp, path, constraint, expected, got, model, phase))


_T = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
_refuse(
    _T,
    "productionVariants",
    [
        {
            "initialInstanceCount": 1.0,
            "instanceType": "ml.g5.xlarge",
            "modelName": "m",
            "variantName": "primary",
            "serverlessConfig": {"maxConcurrency": 201.0, "memorySizeInMb": 2048.0},
        }
    ],
    "productionVariants[0].serverlessConfig.maxConcurrency",
    "sagemaker:CreateEndpointConfig.ProductionVariants[0].ServerlessConfig.MaxConcurrency",
    "max",
    200,
    201.0,
    SM,
    phase=Phase.PREVIEW,
)
_refuse(
    "aws:sagemaker/endpoint:Endpoint",
    "name",
    "e" * 64,
    "name",
    "sagemaker:CreateEndpoint.EndpointName",
    "max",
    63,
    64,
    SM,
)
_refuse(
    "aws:sagemaker/model:Model",
    "tags",
    {"team": "v" * 257},
    "tags.team",
    "sagemaker:CreateModel.Tags[0].Value",
    "max",
    256,
    257,
    SM,
)
_refuse(
    "aws:apigateway/integration:Integration",
    "type",
    "LAMBDA",
    "type",
    "apigateway:PutIntegration.type",
    "enum",
    ("HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"),
    "LAMBDA",
    AG,
)
_refuse(
    "aws:apigateway/integrationResponse:IntegrationResponse",
    "statusCode",
    "600",
    "statusCode",
    "apigateway:PutIntegrationResponse.statusCode",
    "pattern",
    r"[1-5]\d\d",
    "600",
    AG,
)
_refuse(
    "aws:apigateway/methodResponse:MethodResponse",
    "statusCode",
    "abc",
    "statusCode",
    "apigateway:PutMethodResponse.statusCode",
    "pattern",
    r"[1-5]\d\d",
    "abc",
    AG,
)
_refuse(
    "aws:apigateway/restApi:RestApi",
    "endpointConfiguration",
    {"types": "GLOBAL"},
    "endpointConfiguration.types[0]",
    "apigateway:CreateRestApi.endpointConfiguration.types[0]",
    "enum",
    ("REGIONAL", "EDGE", "PRIVATE"),
    "GLOBAL",
    AG,
)
_refuse(
    "aws:apigateway/stage:Stage",
    "cacheClusterSize",
    "2",
    "cacheClusterSize",
    "apigateway:CreateStage.cacheClusterSize",
    "enum",
    ("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"),
    "2",
    AG,
)
_refuse(
    "aws:apigateway/usagePlan:UsagePlan",
    "quotaSettings",
    {"limit": 10.0, "period": "YEAR"},
    "quotaSettings.period",
    "apigateway:CreateUsagePlan.quota.period",
    "enum",
    ("DAY", "WEEK", "MONTH"),
    "YEAR",
    AG,
)
_refuse(
    "aws:appautoscaling/policy:Policy",
    "scalableDimension",
    "sagemaker:variant:Count",
    "scalableDimension",
    "application-autoscaling:PutScalingPolicy.ScalableDimension",
    "enum",
    _enum("application-autoscaling", "ScalableDimension"),
    "sagemaker:variant:Count",
    AAS,
)
_refuse(
    "aws:appautoscaling/target:Target",
    "serviceNamespace",
    "SageMaker",
    "serviceNamespace",
    "application-autoscaling:RegisterScalableTarget.ServiceNamespace",
    "enum",
    _enum("application-autoscaling", "ServiceNamespace"),
    "SageMaker",
    AAS,
)
_refuse(
    "aws:cloudfront/cachePolicy:CachePolicy",
    "parametersInCacheKeyAndForwardedToOrigin",
    {
        "cookiesConfig": {"cookieBehavior": "none"},
        "enableAcceptEncodingGzip": True,
        "headersConfig": {"headerBehavior": "allViewer"},
        "queryStringsConfig": {"queryStringBehavior": "none"},
    },
    "parametersInCacheKeyAndForwardedToOrigin.headersConfig.headerBehavior",
    "cloudfront:CreateCachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.HeaderBehavior",
    "enum",
    ("none", "whitelist"),
    "allViewer",
    CF,
)
_refuse(
    "aws:cloudfront/distribution:Distribution",
    "httpVersion",
    "http3only",
    "httpVersion",
    "cloudfront:CreateDistributionWithTags.DistributionConfigWithTags.DistributionConfig.HttpVersion",
    "enum",
    ("http1.1", "http2", "http3", "http2and3"),
    "http3only",
    CF,
)
_refuse(
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "signingProtocol",
    "sigv5",
    "signingProtocol",
    "cloudfront:CreateOriginAccessControl.OriginAccessControlConfig.SigningProtocol",
    "enum",
    ("sigv4", "sigv4a"),
    "sigv5",
    CF,
)
_refuse(
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    "securityHeadersConfig",
    {"frameOptions": {"frameOption": "ALLOW", "override": True}},
    "securityHeadersConfig.frameOptions.frameOption",
    "cloudfront:CreateResponseHeadersPolicy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions.FrameOption",
    "enum",
    ("DENY", "SAMEORIGIN"),
    "ALLOW",
    CF,
)
_refuse(
    "aws:cloudwatch/eventArchive:EventArchive",
    "name",
    "a" * 49,
    "name",
    "events:CreateArchive.ArchiveName",
    "max",
    48,
    49,
    EV,
)
_refuse(
    "aws:cloudwatch/eventBus:EventBus", "name", "b" * 257, "name", "events:CreateEventBus.Name", "max", 256, 257, EV
)
_refuse("aws:cloudwatch/eventRule:EventRule", "name", "r" * 65, "name", "events:PutRule.Name", "max", 64, 65, EV)
_refuse(
    "aws:cloudwatch/eventTarget:EventTarget",
    "retryPolicy",
    {"maximumEventAgeInSeconds": 30.0, "maximumRetryAttempts": 5.0},
    "retryPolicy.maximumEventAgeInSeconds",
    "events:PutTargets.Targets[0].RetryPolicy.MaximumEventAgeInSeconds",
    "min",
    60,
    30.0,
    EV,
)
_refuse(
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "evaluationPeriods",
    0.0,
    "evaluationPeriods",
    "cloudwatch:PutMetricAlarm.EvaluationPeriods",
    "min",
    1,
    0.0,
    "cloudwatch/2010-08-01",
)
_refuse("aws:iam/role:Role", "name", "r" * 65, "name", "iam:CreateRole.RoleName", "max", 64, 65, "iam/2010-05-08")
_refuse(
    "aws:iam/rolePolicy:RolePolicy",
    "name",
    "p" * 129,
    "name",
    "iam:PutRolePolicy.PolicyName",
    "max",
    128,
    129,
    "iam/2010-05-08",
)
_refuse(
    "aws:kms/key:Key",
    "tags",
    {"k" * 129: "v"},
    "tags." + "k" * 129,
    "kms:CreateKey.Tags[0].TagKey",
    "max",
    128,
    129,
    "kms/2014-11-01",
)
_refuse(
    "aws:kms/keyPolicy:KeyPolicy",
    "policy",
    "\u2603",
    "policy",
    "kms:PutKeyPolicy.Policy",
    "pattern",
    "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
    "\u2603",
    "kms/2014-11-01",
)
_refuse(
    "aws:s3/bucket:Bucket", "tags", {"": "v"}, "tags.", "s3:PutBucketTagging.Tagging.TagSet[0].Key", "min", 1, 0, S3
)
_refuse(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "rules",
    [{"id": "a", "status": "On"}],
    "rules[0].status",
    "s3:PutBucketLifecycleConfiguration.LifecycleConfiguration.Rules[0].Status",
    "enum",
    ("Enabled", "Disabled"),
    "On",
    S3,
)
_refuse(
    "aws:s3/bucketNotification:BucketNotification",
    "queues",
    [{"queueArn": "arn:aws:sqs:eu-west-1:123456789012:q"}],
    "queues[0].events",
    "s3:PutBucketNotificationConfiguration.NotificationConfiguration.QueueConfigurations[0].Events",
    "required",
    True,
    None,
    S3,
)
_refuse(
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "serverSideEncryption",
    "kms",
    "serverSideEncryption",
    "s3:PutObject.ServerSideEncryption",
    "enum",
    ("AES256", "aws:fsx", "aws:backup", "aws:kms", "aws:kms:dsse"),
    "kms",
    S3,
)
_refuse(
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "rule",
    {"objectOwnership": "BucketOwner"},
    "rule[0].objectOwnership",
    "s3:PutBucketOwnershipControls.OwnershipControls.Rules[0].ObjectOwnership",
    "enum",
    ("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"),
    "BucketOwner",
    S3,
)
_refuse(
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "rules",
    [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms:sse"}}],
    "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm",
    "s3:PutBucketEncryption.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm",
    "enum",
    ("AES256", "aws:fsx", "aws:backup", "aws:kms", "aws:kms:dsse"),
    "aws:kms:sse",
    S3,
)
_refuse(
    "aws:s3/bucketVersioning:BucketVersioning",
    "versioningConfiguration",
    {"status": "Disabled"},
    "versioningConfiguration.status",
    "s3:PutBucketVersioning.VersioningConfiguration.Status",
    "enum",
    ("Enabled", "Suspended"),
    "Disabled",
    S3,
)
_refuse(
    "aws:sns/topic:Topic",
    "tags",
    {"k": "v" * 257},
    "tags.k",
    "sns:CreateTopic.Tags[0].Value",
    "max",
    256,
    257,
    "sns/2010-03-31",
)

_refuse(
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "vpcEndpointType",
    "Gatway",
    "vpcEndpointType",
    "ec2:CreateVpcEndpoint.VpcEndpointType",
    "enum",
    _enum("ec2", "VpcEndpointType"),
    "Gatway",
    "ec2/2016-11-15",
)

# The model can refuse nothing here that the Pulumi schema does not already require (core: its note says so).
NOTHING = {
    "aws:apigateway/apiKey:ApiKey",
    "aws:apigateway/deployment:Deployment",
    "aws:apigateway/method:Method",
    "aws:apigateway/methodSettings:MethodSettings",
    "aws:apigateway/resource:Resource",
    "aws:apigateway/restApiPolicy:RestApiPolicy",
    "aws:apigateway/usagePlanKey:UsagePlanKey",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
}


def test_every_type_has_a_refusal_or_says_why_not() -> None:
    assert set(REFUSED) | NOTHING == aws.TOKENS
    assert not set(REFUSED) & NOTHING
    notes = {row.token: row.note for row in aws.coverage()}
    for token in NOTHING:
        assert notes[token].startswith("The model refuses nothing here"), token


@pytest.mark.parametrize("token", sorted(REFUSED))
def test_the_model_refuses(token: str) -> None:
    key, value, violation = REFUSED[token]
    inputs = {**_valid(token), key: value}
    assert aws.check(token, inputs) == [violation]


def test_a_pulumi_required_input_absent_is_not_known_here() -> None:
    """Absent, a Pulumi-required input (an output of another resource) is unknown, not missing."""
    token = "aws:cloudwatch/eventTarget:EventTarget"
    assert "rule" not in _valid(token)
    assert aws.check(token, _valid(token)) == []


def test_an_optional_input_the_model_requires() -> None:
    token = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
    inputs = _valid(token)
    del inputs["dataCaptureConfig"]["destinationS3Uri"]
    assert aws.check(token, inputs) == [
        _v(
            token,
            "dataCaptureConfig.destinationS3Uri",
            "sagemaker:CreateEndpointConfig.DataCaptureConfig.DestinationS3Uri",
            "required",
            True,
            None,
            SM,
        )
    ]


def test_patterns_are_the_models_java_regexes_with_search_semantics() -> None:
    # \p{L} etc. (regex module); not anchored: an underscore inside a SageMaker name is not refused by the model.
    token = "aws:sagemaker/endpoint:Endpoint"
    assert aws.check(token, {**_valid(token), "name": "fraud_v1"}) == []
    # Java's surrogate-pair range compiles (application-autoscaling ResourceIdMaxLen1600).
    assert aws._pattern(r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*").fullmatch("a\U0001f600b")
    # Anchored where the model anchors (EventBridge archive source).
    archive = "aws:cloudwatch/eventArchive:EventArchive"
    assert [
        v.constraint for v in aws.check(archive, {**_valid(archive), "eventSourceArn": "x arn:aws:events:r:1:a/b"})
    ] == ["pattern"]


def test_message_names_the_model_file() -> None:
    violation = REFUSED["aws:iam/role:Role"][2]
    assert violation.message() == (
        "iam:CreateRole.RoleName: max 64 refuses 65 (input name; botocore 1.44.18 data/iam/2010-05-08/service-2.json)"
    )
