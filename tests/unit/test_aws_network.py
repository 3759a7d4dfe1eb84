"""AWS private networking (issue 21): the exact children a `network` adds and their security settings,
with and without it, and the preview refusals that concern AWS."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pulumi
import pytest
from mlserving_provider.clouds.aws import network
from mlserving_provider.platform import MLServingPlatform

from tests import mocks
from tests.unit.conftest import Build, policy

V1: dict[str, Any] = {"name": "fraud-v1", "modelName": "fraud", "version": "1.0.0", "apiVersion": "v1"}
SUBNETS = ["subnet-0a1b2c3d", "subnet-0a1b2c3e"]
AWS_NET: dict[str, Any] = {"vpcId": "vpc-0a1b2c3d", "subnetIds": SUBNETS, "routeTableIds": ["rtb-0a1b2c3d"]}
PRIVATE: dict[str, Any] = {"network": {"public": False, "aws": AWS_NET}}
# The user's own endpoints and security groups: the provider creates none.
OWN: dict[str, Any] = {
    "network": {
        "public": False,
        "createEndpoints": False,
        "containerEgress": "internet",
        "aws": {
            "vpcId": "vpc-0a1b2c3d",
            "subnetIds": SUBNETS,
            "securityGroupIds": ["sg-0a1b2c3d"],
            "s3EndpointId": "vpce-0a1b2c3d",
            "apiEndpointIds": ["vpce-0a1b2c3e", "vpce-0a1b2c3f"],
        },
    }
}
PREFIX_LIST = "pl-6ca54005"  # tests/mocks.py: the S3 gateway endpoint's prefix list
MODEL = "aws:sagemaker/model:Model"
REST_API = "aws:apigateway/restApi:RestApi"
API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
CLOUDFRONT = "aws:cloudfront/distribution:Distribution"
ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcs",
]


def _children(recorder: mocks.Recorder) -> Counter[str]:
    return Counter(r.typ for r in recorder.resources if r.custom)


def _execution_statements(recorder: mocks.Recorder) -> dict[str, Any]:
    execution = recorder.one("aws:iam/rolePolicy:RolePolicy", "fraud-v1-execution")
    return {s["Sid"]: s for s in policy(execution)["Statement"]}


# ---------------------------------------------------------------- children, with and without network


def test_a_private_platform_adds_exactly_two_groups_two_endpoints_and_the_api_policy(build: Build) -> None:
    public, _, _ = build({}, [dict(V1)])
    private, _, _ = build(dict(PRIVATE), [dict(V1)])
    added = _children(private) - _children(public)
    removed = _children(public) - _children(private)
    assert added == Counter({SECURITY_GROUP: 2, VPC_ENDPOINT: 2, API_POLICY: 1})
    # No inference cache policy: it is off by default on a private API (and CloudFront has no API origin).
    assert removed == Counter({"aws:cloudfront/cachePolicy:CachePolicy": 1})


def test_without_network_nothing_is_in_a_vpc(build: Build) -> None:
    recorder, built, made = build({}, [dict(V1)])
    assert not [r for r in recorder.resources if r.typ in (SECURITY_GROUP, VPC_ENDPOINT, API_POLICY)]
    model = recorder.one(MODEL).inputs
    assert "vpcConfig" not in model
    assert model["enableNetworkIsolation"] is True
    assert recorder.one(REST_API).inputs["endpointConfiguration"] == {"types": "REGIONAL"}
    assert "AttachNetworkInterfaces" not in _execution_statements(recorder)
    assert [o["originId"] for o in recorder.one(CLOUDFRONT).inputs["origins"]] == ["artifacts", "api"]
    assert mocks.resolve(built.outputs["apiBaseUrl"]) == "https://ml-api-id.execute-api.eu-west-1.amazonaws.com"
    assert mocks.resolve(made[0].outputs["cachedInvokeUrl"]) == "https://d111111abcdef8.cloudfront.net/v1/predict"


def test_the_models_group_admits_nothing_and_reaches_only_s3_over_https(build: Build) -> None:
    recorder, _, _ = build(dict(PRIVATE), [dict(V1)])
    group = recorder.one(SECURITY_GROUP, "ml-models").inputs
    assert group["vpcId"] == "vpc-0a1b2c3d"
    assert group["ingress"] == []
    assert group["egress"] == [
        {
            "description": "HTTPS to Amazon S3 through the gateway endpoint (model artifacts)",
            "protocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "prefixListIds": [PREFIX_LIST],
        }
    ]


def test_container_egress_internet_opens_https_anywhere_and_drops_isolation(build: Build) -> None:
    network = {**PRIVATE["network"], "containerEgress": "internet"}
    recorder, _, _ = build({"network": network}, [dict(V1)])
    egress = recorder.one(SECURITY_GROUP, "ml-models").inputs["egress"]
    assert [(e["fromPort"], e.get("prefixListIds"), e.get("cidrBlocks")) for e in egress] == [
        (443, [PREFIX_LIST], None),
        (443, None, ["0.0.0.0/0"]),
    ]
    assert recorder.one(MODEL).inputs["enableNetworkIsolation"] is False


def test_the_endpoints_s3_gateway_on_the_route_tables_and_execute_api_in_the_subnets(build: Build) -> None:
    recorder, _, _ = build(dict(PRIVATE), [dict(V1)])
    s3 = recorder.one(VPC_ENDPOINT, "ml-s3").inputs
    assert {k: v for k, v in s3.items() if k != "tags"} == {
        "vpcId": "vpc-0a1b2c3d",
        "serviceName": "com.amazonaws.eu-west-1.s3",
        "vpcEndpointType": "Gateway",
        "routeTableIds": ["rtb-0a1b2c3d"],
    }
    api = recorder.one(VPC_ENDPOINT, "ml-execute-api").inputs
    assert {k: v for k, v in api.items() if k != "tags"} == {
        "vpcId": "vpc-0a1b2c3d",
        "serviceName": "com.amazonaws.eu-west-1.execute-api",
        "vpcEndpointType": "Interface",
        "subnetIds": SUBNETS,
        "securityGroupIds": ["ml-api-endpoint-id"],
        "privateDnsEnabled": True,
    }
    group = recorder.one(SECURITY_GROUP, "ml-api-endpoint").inputs
    # HTTPS from every address range of the VPC (tests/mocks.py getVpc: two), nothing out.
    assert group["ingress"] == [
        {
            "description": "HTTPS from the VPC",
            "protocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "cidrBlocks": ["10.0.0.0/16", "10.1.0.0/16"],
        }
    ]
    assert group["egress"] == []


def test_the_api_is_private_and_its_policy_admits_only_the_endpoints(build: Build) -> None:
    recorder, built, made = build(dict(PRIVATE), [dict(V1)])
    assert recorder.one(REST_API).inputs["endpointConfiguration"] == {
        "types": "PRIVATE",
        "ipAddressType": "dualstack",
        "vpcEndpointIds": ["ml-execute-api-id"],
    }
    document = policy(recorder.one(API_POLICY))
    resource = "arn:aws:execute-api:eu-west-1:123456789012:ml-api-id/*"
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "InvokeThroughTheVpcEndpoints",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": resource,
                "Condition": {"StringEquals": {"aws:SourceVpce": ["ml-execute-api-id"]}},
            },
            {
                "Sid": "DenyOutsideTheVpcEndpoints",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": resource,
                "Condition": {"StringNotEquals": {"aws:SourceVpce": ["ml-execute-api-id"]}},
            },
        ],
    }
    assert recorder.one(API_POLICY).inputs["restApiId"] == "ml-api-id"
    # The Route 53 alias of the associated endpoint; no CDN path to a private API.
    base = "https://ml-api-id-ml-execute-api-id.execute-api.eu-west-1.amazonaws.com"
    assert mocks.resolve(built.outputs["apiBaseUrl"]) == base
    assert mocks.resolve(made[0].outputs["invokeUrl"]) == f"{base}/v1/predict"
    assert mocks.resolve(made[0].outputs["cachedInvokeUrl"]) == ""


def test_a_release_deploys_after_the_api_policy_and_redeploys_when_it_changes(build: Build) -> None:
    recorder, _, _ = build(dict(PRIVATE), [dict(V1)])
    options = mocks.monitor().options
    # The deployment's trigger is a digest of the methods and the policy: it waits for both.
    private_trigger = recorder.one("aws:apigateway/deployment:Deployment").inputs["triggers"]["apiDefinition"]
    assert options["fraud-v1-deployment"]["dependencies"]
    recorder, _, _ = build({}, [dict(V1)])
    public_trigger = recorder.one("aws:apigateway/deployment:Deployment").inputs["triggers"]["apiDefinition"]
    assert private_trigger != public_trigger
    recorder, _, _ = build({"network": {**OWN["network"]}}, [dict(V1)])
    other_endpoints = recorder.one("aws:apigateway/deployment:Deployment").inputs["triggers"]["apiDefinition"]
    assert other_endpoints not in (private_trigger, public_trigger)


def test_cloudfront_serves_artifacts_only_for_a_private_api(build: Build) -> None:
    recorder, _, _ = build(dict(PRIVATE), [dict(V1)])
    cdn = recorder.one(CLOUDFRONT).inputs
    assert [o["originId"] for o in cdn["origins"]] == ["artifacts"]
    assert [b["pathPattern"] for b in cdn["orderedCacheBehaviors"]] == ["/models/*"]
    assert cdn["defaultCacheBehavior"]["targetOriginId"] == "artifacts"


def test_every_model_runs_in_the_subnets_isolated_and_its_role_may_attach_interfaces(build: Build) -> None:
    recorder, _, _ = build(dict(PRIVATE), [dict(V1), {**V1, "name": "fraud-v2", "version": "2.0.0"}])
    models = recorder.of_type(MODEL)
    assert len(models) == 2
    for model in models:
        assert model.inputs["vpcConfig"] == {"subnets": SUBNETS, "securityGroupIds": ["ml-models-id"]}
        assert model.inputs["enableNetworkIsolation"] is True
    assert _execution_statements(recorder)["AttachNetworkInterfaces"] == {
        "Sid": "AttachNetworkInterfaces",
        "Effect": "Allow",
        "Action": ENI_ACTIONS,
        "Resource": "*",
    }


def test_own_endpoints_and_groups_create_no_network_resource(build: Build) -> None:
    recorder, built, made = build(dict(OWN), [dict(V1)])
    assert not [r for r in recorder.resources if r.typ in (SECURITY_GROUP, VPC_ENDPOINT)]
    model = recorder.one(MODEL).inputs
    assert model["vpcConfig"] == {"subnets": SUBNETS, "securityGroupIds": ["sg-0a1b2c3d"]}
    assert model["enableNetworkIsolation"] is False
    endpoints = ["vpce-0a1b2c3e", "vpce-0a1b2c3f"]
    assert recorder.one(REST_API).inputs["endpointConfiguration"]["vpcEndpointIds"] == endpoints
    statements = policy(recorder.one(API_POLICY))["Statement"]
    assert [s["Condition"] for s in statements] == [
        {"StringEquals": {"aws:SourceVpce": endpoints}},
        {"StringNotEquals": {"aws:SourceVpce": endpoints}},
    ]
    # Neither the VPC nor the S3 endpoint is read: the given groups need no prefix list.
    assert [token for token, _ in recorder.calls if token.startswith("aws:ec2/")] == []
    base = "https://ml-api-id-vpce-0a1b2c3e.execute-api.eu-west-1.amazonaws.com"
    assert mocks.resolve(built.outputs["apiBaseUrl"]) == base
    assert mocks.resolve(made[0].outputs["invokeUrl"]) == f"{base}/v1/predict"


def test_own_s3_endpoint_gives_the_created_group_its_prefix_list(build: Build) -> None:
    network = json.loads(json.dumps(OWN["network"]))
    del network["aws"]["securityGroupIds"]
    network["containerEgress"] = "none"
    recorder, _, _ = build({"network": network}, [dict(V1)])
    assert [r.name for r in recorder.of_type(SECURITY_GROUP)] == ["ml-models"]
    assert recorder.of_type(VPC_ENDPOINT) == []
    assert recorder.one(SECURITY_GROUP).inputs["egress"][0]["prefixListIds"] == [PREFIX_LIST]
    assert ("aws:ec2/getVpcEndpoint:getVpcEndpoint", {"id": "vpce-0a1b2c3d"}) in [
        (token, {k: v for k, v in args.items() if k == "id"}) for token, args in recorder.calls
    ]


def test_a_public_api_on_a_network_stays_regional_and_keeps_its_cdn_path(build: Build) -> None:
    recorder, built, made = build({"network": {"aws": AWS_NET}}, [dict(V1)])
    assert recorder.one(REST_API).inputs["endpointConfiguration"] == {"types": "REGIONAL"}
    assert recorder.of_type(API_POLICY) == []
    assert [r.name for r in recorder.of_type(VPC_ENDPOINT)] == ["ml-s3"]
    assert [o["originId"] for o in recorder.one(CLOUDFRONT).inputs["origins"]] == ["artifacts", "api"]
    assert recorder.one(MODEL).inputs["vpcConfig"]["subnets"] == SUBNETS
    assert mocks.resolve(built.outputs["apiBaseUrl"]) == "https://ml-api-id.execute-api.eu-west-1.amazonaws.com"
    assert mocks.resolve(made[0].outputs["cachedInvokeUrl"]) == "https://d111111abcdef8.cloudfront.net/v1/predict"


def test_the_children_meet_the_api_models(build: Build) -> None:
    for platform in (PRIVATE, OWN):
        recorder, _, _ = build(json.loads(json.dumps(platform)), [dict(V1)])
        assert recorder.api_model_violations() == []


# ---------------------------------------------------------------- preview refusals that concern AWS


def refusals(platform: dict[str, Any]) -> list[tuple[str, str]]:
    recorder = mocks.install()
    with pytest.raises(pulumi.InputPropertiesError) as raised:
        mocks.run(lambda: MLServingPlatform.from_inputs("ml", {"cloud": "aws", **platform}, pulumi.ResourceOptions()))
    assert [r.typ for r in recorder.resources if r.typ.startswith("aws:")] == []
    assert raised.value.errors is not None
    return [(e["property_path"], e["reason"].removeprefix(f"'{e['property_path']}' ")) for e in raised.value.errors]


@pytest.mark.parametrize(
    ("network", "cdn", "expected"),
    [
        (
            {"public": False, "aws": AWS_NET},
            {"inferenceCache": {"enabled": True}},
            [
                (
                    "cdn.inferenceCache.enabled",
                    "must be off when 'network.public' is off: CloudFront cannot reach a private REST API (its VPC "
                    "origins are load balancers and EC2 instances)",
                )
            ],
        ),
        (
            {"aws": {"vpcId": "vpc-0a1b2c3d", "subnetIds": SUBNETS}},
            None,
            [
                (
                    "network.aws.routeTableIds",
                    "is required when 'network.createEndpoints' is on (the S3 gateway endpoint is a route in them)",
                )
            ],
        ),
        (
            {"public": False, "createEndpoints": False, "aws": {"vpcId": "vpc-0a1b2c3d", "subnetIds": SUBNETS}},
            None,
            [
                (
                    "network.aws.s3EndpointId",
                    "is required when 'network.createEndpoints' is off (the models read their artifacts through it)",
                ),
                (
                    "network.aws.apiEndpointIds",
                    "is required when 'network.createEndpoints' and 'network.public' are off (the private API admits "
                    "calls only through them)",
                ),
            ],
        ),
        (
            {"aws": {**AWS_NET, "subnetIds": [f"subnet-0a1b2c{i:02x}" for i in range(17)]}},
            None,
            [("network.aws.subnetIds", "must have 1 to 16 entries (got 17)")],
        ),
        (
            {"aws": {**AWS_NET, "securityGroupIds": [f"sg-0a1b2c{i:02x}" for i in range(6)]}},
            None,
            [("network.aws.securityGroupIds", "must have 1 to 5 entries (got 6)")],
        ),
        ({}, None, [("network.aws", "is required when 'cloud' is 'aws'")]),
    ],
    ids=["cache-private", "no-route-tables", "own-endpoints-missing", "17-subnets", "6-groups", "no-aws"],
)
def test_preview_refuses_what_cannot_work_on_aws(
    network: dict[str, Any], cdn: dict[str, Any] | None, expected: list[tuple[str, str]]
) -> None:
    platform: dict[str, Any] = {"network": network}
    if cdn is not None:
        platform["cdn"] = cdn
    assert refusals(platform) == expected


def test_a_serverless_release_on_a_networked_platform_is_refused(build: Build) -> None:
    with pytest.raises(pulumi.InputPropertiesError) as raised:
        build(dict(PRIVATE), [{**V1, "serverless": {"memorySizeMb": 2048, "maxConcurrency": 5}}])
    assert raised.value.errors is not None
    assert [(e["property_path"], e["reason"]) for e in raised.value.errors] == [
        (
            "serverless",
            "'serverless' is not available on a platform with 'network': SageMaker Serverless Inference cannot run "
            "in a VPC",
        )
    ]


def test_a_security_group_is_never_named_like_a_group_id() -> None:
    """EC2 refuses group names starting with `sg-` (CreateSecurityGroup): a platform named so gets `mls-` in front."""
    assert network.group_name("ml", "models") == "ml-models"
    assert network.group_name("sg-ml", "models") == "mls-sg-ml-models"
    assert network.group_name("SG-ml", "api-endpoint") == "mls-SG-ml-api-endpoint"
