"""AWS names stay within each service's rules whatever the components are called (issue 11 AWS 7).

The patterns below are written from the AWS API references, independently of
`clouds/aws/naming.py`, so a mistake there shows here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pulumi
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mlserving_provider.clouds.aws import naming
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease

from tests import mocks

# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html (and CreateModel,
# CreateEndpointConfig)
SAGEMAKER = re.compile(r"\A[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\Z")
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, API_PutRolePolicy.html
IAM_ROLE = re.compile(r"\A[A-Za-z0-9_+=,.@-]{1,64}\Z")
IAM_ROLE_POLICY = re.compile(r"\A[A-Za-z0-9_+=,.@-]{1,128}\Z")
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html, API_PutRule.html,
# API_CreateEventBus.html
EVENT_ARCHIVE = re.compile(r"\A[.\-_A-Za-z0-9]{1,48}\Z")
EVENT_RULE = re.compile(r"\A[.\-_A-Za-z0-9]{1,64}\Z")
EVENT_BUS = re.compile(r"\A[.\-_A-Za-z0-9]{1,256}\Z")
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
SQS_QUEUE = re.compile(r"\A[A-Za-z0-9_-]{1,80}\Z")
# https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
SNS_TOPIC = re.compile(r"\A[A-Za-z0-9_-]{1,256}\Z")
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
S3_BUCKET = re.compile(r"\A(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")
# https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html
CLOUDFRONT_OAC = re.compile(r"\A.{1,64}\Z")

RULES = {
    "aws:sagemaker/model:Model": SAGEMAKER,
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": SAGEMAKER,
    "aws:sagemaker/endpoint:Endpoint": SAGEMAKER,
    "aws:iam/role:Role": IAM_ROLE,
    "aws:iam/rolePolicy:RolePolicy": IAM_ROLE_POLICY,
    "aws:cloudwatch/eventArchive:EventArchive": EVENT_ARCHIVE,
    "aws:cloudwatch/eventRule:EventRule": EVENT_RULE,
    "aws:cloudwatch/eventBus:EventBus": EVENT_BUS,
    "aws:sqs/queue:Queue": SQS_QUEUE,
    "aws:sns/topic:Topic": SNS_TOPIC,
    "aws:s3/bucket:Bucket": S3_BUCKET,
    "aws:cloudfront/originAccessControl:OriginAccessControl": CLOUDFRONT_OAC,
}
# pulumi-aws autonames `<logical name>-<7 of [0-9a-f]>` (pulumi/pulumi resource.NewUniqueName).
AUTONAME = "-0a1b2c3"

COMPONENT_NAMES = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,119}\Z")
SUFFIXES = ["artifacts", "model", "config", "execution-role", "bus-archive", "release-events-dlq", "oac"]
RULE_OF = {
    "artifacts": (naming.S3_BUCKET, S3_BUCKET),
    "model": (naming.SAGEMAKER, SAGEMAKER),
    "config": (naming.SAGEMAKER, SAGEMAKER),
    "execution-role": (naming.IAM_ROLE, IAM_ROLE),
    "bus-archive": (naming.EVENT_ARCHIVE, EVENT_ARCHIVE),
    "release-events-dlq": (naming.SQS_QUEUE, SQS_QUEUE),
    "oac": (naming.CLOUDFRONT_OAC, CLOUDFRONT_OAC),
}


@pytest.mark.parametrize(
    ("component", "suffix", "expected"),
    [
        ("ml", "artifacts", "ml-artifacts"),  # fits: unchanged, so no existing child moves
        ("fraud-v1", "model", "fraud-v1-model"),
        ("fraud_v1", "model", "fraud-v1-model-c80356"),
        ("ML_Platform", "artifacts", "ml-platform-artifacts-fc271b"),
        ("fraud_v1", "execution-role", "fraud_v1-execution-role"),  # IAM takes underscores
        ("a" * 60, "bus-archive", "aaaaaaaaaaaaaaaaaaaaa-bus-archive-cfe9e0"),
        ("_", "config", "M-config-024cbc"),
        ("Fraud_V1", "model", "Fraud-V1-model-60e0c8"),  # SageMaker names keep their case
        ("fraud-_v1", "model", "fraud-v1-model-126734"),  # one hyphen where a refused character meets one
        ("X_ray", "model", "X-ray-model-c2c0ca"),  # only refused characters are trimmed
        ("sthree-data", "artifacts", "b-sthree-data-artifacts-b14b7d"),  # S3's reserved prefixes
        ("Amzn-S3-Demo-x", "artifacts", "b-amzn-s3-demo-x-artifacts-68eece"),
    ],
)
def test_child_names(component: str, suffix: str, expected: str) -> None:
    rule = RULE_OF[suffix][0] if suffix in RULE_OF else naming.SAGEMAKER
    assert naming.child(component, suffix, rule) == expected


@given(COMPONENT_NAMES, st.sampled_from(SUFFIXES))
def test_every_autoname_fits_its_service(component: str, suffix: str) -> None:
    rule, pattern = RULE_OF[suffix]
    name = naming.child(component, suffix, rule)
    assert pattern.match(name + AUTONAME), name


@given(st.text(min_size=1, max_size=200), st.sampled_from(SUFFIXES))
def test_any_text_gives_a_name_that_fits(component: str, suffix: str) -> None:
    rule, pattern = RULE_OF[suffix]
    assert pattern.match(naming.child(component, suffix, rule) + AUTONAME)


@given(COMPONENT_NAMES)
def test_names_that_differ_only_in_refused_characters_stay_distinct(component: str) -> None:
    other = component.replace("-", "_") if "-" in component else component + "_"
    if other != component:
        assert naming.child(component, "model", naming.SAGEMAKER) != naming.child(other, "model", naming.SAGEMAKER)


@given(
    st.from_regex(r"\Amls-[0-9a-f]{8}\Z") | st.text(max_size=80),
    st.from_regex(r"\A[a-z][a-z0-9-]{0,30}[a-z0-9]\Z"),
    st.integers(min_value=1, max_value=999),
)
def test_endpoint_names_always_fit(prefix: str, model: str, version: int) -> None:
    name = naming.endpoint(prefix, model, f"v{version}", "4bd25b")
    assert SAGEMAKER.match(name), name


def test_the_module_rules_agree_with_the_documented_patterns() -> None:
    for rule, pattern in RULE_OF.values():
        assert naming.fits("x" * rule.max_length, rule) is bool(pattern.match("x" * rule.max_length))
        assert not naming.fits("x" * (rule.max_length + 1), rule)


# ---------------------------------------------------------------- every child of odd components


@pytest.mark.parametrize(
    ("platform", "release"),
    [
        ("ML_Platform.prod", "fraud_detector_v1"),
        ("platform-" + "x" * 70, "release-" + "y" * 90),
    ],
    ids=["underscores and dots", "long names"],
)
def test_every_aws_child_of_odd_components_gets_a_valid_name(model_dir: Path, platform: str, release: str) -> None:
    recorder = mocks.install()
    built = mocks.run(lambda: MLServingPlatform.from_inputs(platform, {"cloud": "aws"}, pulumi.ResourceOptions()))
    inputs = {
        "platform": PlatformReference(mocks.resolve(built.urn)),
        "artifact": pulumi.FileArchive(str(model_dir)),
        "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
        "modelName": "fraud",
        "version": "1.0.0",
        "apiVersion": "v1",
    }
    mocks.run(functools.partial(ModelRelease.from_inputs, release, inputs, pulumi.ResourceOptions()))
    judged = 0
    for resource in recorder.resources:
        pattern = RULES.get(resource.typ)
        if pattern is None:
            continue
        given_name = resource.inputs.get("bucket") or resource.inputs.get("name")
        physical = given_name if isinstance(given_name, str) else resource.name + AUTONAME
        assert pattern.match(physical), (resource.typ, physical)
        judged += 1
    # 20: the platform's and the release's named children, the rollback alarms' role policy included.
    assert judged == 20
    # A child whose name had to change keeps its plain name as an alias.
    options = mocks.monitor().options
    renamed = [r for r in recorder.resources if r.typ == "aws:sagemaker/model:Model"]
    assert options[renamed[0].name]["aliases"] == [f"{release}-model"]
