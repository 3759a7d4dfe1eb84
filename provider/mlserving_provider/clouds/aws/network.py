"""Private networking (`network`, issue 21): the models in the user's VPC, a private API.

What a networked platform adds (and each release reads from its attachments):

- the models' security group, unless `network.aws.securityGroupIds` names them: no inbound rule
  (nothing connects to a model's network interfaces; SageMaker invokes the container on its own
  side) and one outbound rule, HTTPS to the S3 prefix list, the narrowest that lets the instances
  read their artifacts through the S3 gateway endpoint: "The rules for the security groups for
  your instances that access Amazon S3 through a gateway endpoint must allow traffic to and from
  Amazon S3. You can reference the ID of the prefix list for Amazon S3 in security group rules"
  (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html; security groups are
  stateful, so the answers come back without an inbound rule). With `containerEgress: internet`
  it also allows HTTPS anywhere: the subnets' routes decide whether that reaches anything.
  Terraform removes the egress-all rule EC2 gives a new group (aws_security_group), so these are
  the group's only rules;
- the S3 gateway endpoint on `routeTableIds` (`createEndpoints`): "If you configure your VPC so
  that model containers don't have access to the internet, they can't connect to the Amazon S3
  buckets that contain your data unless you create a VPC endpoint"
  (https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html). Its policy stays the default
  (full access): every subnet of those route tables reaches S3 through it from then on, so a
  policy limited to the artifact bucket would cut the user's other workloads off their buckets;
- with `public: false`, an `execute-api` interface endpoint in the subnets with private DNS, and a
  security group admitting HTTPS from the VPC's address ranges only (`createEndpoints`; else
  `apiEndpointIds`). The REST API is `PRIVATE`, associated with those endpoints, and its resource
  policy admits `execute-api:Invoke` only through them (api.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import Network
from mlserving_provider.clouds.aws.context import AwsContext

__all__ = ["HTTPS", "PlatformNetwork", "ReleaseNetwork", "platform_network", "release_network"]

HTTPS = 443
EVERYWHERE = "0.0.0.0/0"


@dataclass(frozen=True)
class PlatformNetwork:
    """What a networked platform made or was given, as its releases and its API need it."""

    subnet_ids: pulumi.Output[list[str]]
    security_group_ids: pulumi.Output[list[str]]
    # The `execute-api` interface endpoints the private API admits calls through (None: public API).
    api_endpoint_ids: pulumi.Output[list[str]] | None
    container_egress: str

    def attachments(self) -> dict[str, pulumi.Input[str]]:
        """What a release reads (attachments are strings: the lists as JSON)."""
        return {
            "subnetIds": self.subnet_ids.apply(json.dumps),
            "securityGroupIds": self.security_group_ids.apply(json.dumps),
        }


@dataclass(frozen=True)
class ReleaseNetwork:
    """A release's placement, from its platform's attachments and settings."""

    subnet_ids: pulumi.Output[list[str]]
    security_group_ids: pulumi.Output[list[str]]
    container_egress: str


def _ids(value: pulumi.Input[list[pulumi.Input[str]]]) -> pulumi.Output[list[str]]:
    return pulumi.Output.from_input(value).apply(lambda ids: [str(i) for i in ids])


def _s3_gateway(ctx: AwsContext, net: Network) -> aws.ec2.VpcEndpoint | None:
    """The S3 gateway endpoint on `routeTableIds`, when the provider makes it."""
    aws_net = net.aws
    assert aws_net is not None
    if not net.create_endpoints:
        return None
    return aws.ec2.VpcEndpoint(
        f"{ctx.name}-s3",
        vpc_id=aws_net.vpc_id,
        service_name=pulumi.Output.format("com.amazonaws.{0}.s3", ctx.region),
        vpc_endpoint_type="Gateway",
        route_table_ids=aws_net.route_table_ids,
        tags=ctx.tags,
        opts=ctx.opts(),
    )


def _s3_prefix_list(ctx: AwsContext, net: Network, endpoint: aws.ec2.VpcEndpoint | None) -> pulumi.Output[str]:
    """The S3 prefix list the models' group opens: the gateway endpoint's (`s3EndpointId` read when given)."""
    if endpoint is not None:
        return endpoint.prefix_list_id
    assert net.aws is not None
    assert net.aws.s3_endpoint_id is not None
    found = aws.ec2.get_vpc_endpoint_output(
        id=net.aws.s3_endpoint_id, opts=pulumi.InvokeOutputOptions(parent=ctx.parent)
    )
    return found.prefix_list_id


def _models_security_group(ctx: AwsContext, net: Network, prefix_list_id: pulumi.Output[str]) -> aws.ec2.SecurityGroup:
    aws_net = net.aws
    assert aws_net is not None
    egress: list[aws.ec2.SecurityGroupEgressArgsDict] = [
        {
            "description": "HTTPS to Amazon S3 through the gateway endpoint (model artifacts)",
            "protocol": "tcp",
            "from_port": HTTPS,
            "to_port": HTTPS,
            "prefix_list_ids": [prefix_list_id],
        }
    ]
    if net.container_egress == "internet":
        egress.append(
            {
                "description": "HTTPS anywhere (network.containerEgress: internet; the routes decide)",
                "protocol": "tcp",
                "from_port": HTTPS,
                "to_port": HTTPS,
                "cidr_blocks": [EVERYWHERE],
            }
        )
    return aws.ec2.SecurityGroup(
        group_name(ctx.name, "models"),
        description="mlserving: SageMaker model instances (no inbound; HTTPS to S3)",
        vpc_id=aws_net.vpc_id,
        ingress=[],
        egress=egress,
        tags=ctx.tags,
        opts=ctx.opts(),
    )


def group_name(component: str, suffix: str) -> str:
    """The logical name of a security group (its autoname `<name>-<7 hex>`): EC2 refuses a group name that starts
    with `sg-` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html), so a
    component named so gets `mls-` in front."""
    logical = f"{component}-{suffix}"
    return f"mls-{logical}" if logical.lower().startswith("sg-") else logical


def _api_endpoint(ctx: AwsContext, net: Network) -> aws.ec2.VpcEndpoint:
    """The `execute-api` interface endpoint in the subnets, with private DNS: inside the VPC the API's
    own host name resolves to it. https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html"""
    aws_net = net.aws
    assert aws_net is not None
    vpc = aws.ec2.get_vpc_output(id=aws_net.vpc_id, opts=pulumi.InvokeOutputOptions(parent=ctx.parent))
    ranges = vpc.cidr_block_associations.apply(lambda blocks: sorted({b.cidr_block for b in blocks}))
    group = aws.ec2.SecurityGroup(
        group_name(ctx.name, "api-endpoint"),
        description="mlserving: the private API's execute-api endpoint (HTTPS from the VPC)",
        vpc_id=aws_net.vpc_id,
        ingress=[
            {
                "description": "HTTPS from the VPC",
                "protocol": "tcp",
                "from_port": HTTPS,
                "to_port": HTTPS,
                "cidr_blocks": ranges,
            }
        ],
        egress=[],
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    return aws.ec2.VpcEndpoint(
        f"{ctx.name}-execute-api",
        vpc_id=aws_net.vpc_id,
        service_name=pulumi.Output.format("com.amazonaws.{0}.execute-api", ctx.region),
        vpc_endpoint_type="Interface",
        subnet_ids=aws_net.subnet_ids,
        security_group_ids=[group.id],
        private_dns_enabled=True,
        tags=ctx.tags,
        opts=ctx.opts(),
    )


def platform_network(ctx: AwsContext, net: Network) -> PlatformNetwork:
    """The endpoints and security groups of a networked platform (validation has checked `net`)."""
    aws_net = net.aws
    assert aws_net is not None
    s3 = _s3_gateway(ctx, net)
    if aws_net.security_group_ids is not None:
        groups = _ids(aws_net.security_group_ids)
    else:
        group = _models_security_group(ctx, net, _s3_prefix_list(ctx, net, s3))
        groups = group.id.apply(lambda i: [i])
    api_endpoints: pulumi.Output[list[str]] | None = None
    if not net.public:
        if net.create_endpoints:
            api_endpoints = _api_endpoint(ctx, net).id.apply(lambda i: [i])
        else:
            assert aws_net.api_endpoint_ids is not None
            api_endpoints = _ids(aws_net.api_endpoint_ids)
    return PlatformNetwork(
        subnet_ids=_ids(aws_net.subnet_ids),
        security_group_ids=groups,
        api_endpoint_ids=api_endpoints,
        container_egress=net.container_egress,
    )


def release_network(
    settings: Mapping[str, Any], attachments: Mapping[str, pulumi.Output[str]]
) -> ReleaseNetwork | None:
    """The placement a release's model gets from its platform (None: a platform without `network`)."""
    if not settings.get("networked"):
        return None
    return ReleaseNetwork(
        subnet_ids=attachments["subnetIds"].apply(lambda text: [str(i) for i in json.loads(text)]),
        security_group_ids=attachments["securityGroupIds"].apply(lambda text: [str(i) for i in json.loads(text)]),
        container_egress=str(settings.get("containerEgress", "none")),
    )
