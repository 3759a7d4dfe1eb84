"""Serving: the SageMaker model, endpoint configuration, endpoint and autoscaling.

The endpoint keeps its name across releases, so a new model version or artifact is a
new model and endpoint configuration and an in-place UpdateEndpoint, which SageMaker
runs as a blue/green deployment with the release's traffic shifting and alarm-driven
rollback. Changing the model of an autoscaled variant is allowed; changing its
instance type is not ("delete any scaling policies ... and deregister the variant"),
https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html, and the
AWS provider cannot change an endpoint's `auto_rollback_configuration` in place (ForceNew).
So the endpoint name carries both (the serving kind and whether alarms roll it back): a
change of either is a new endpoint, created before the old one is deleted
(`delete_before_replace=False`: the Terraform bridge deletes a resource with an explicit
name first, pulumi/pulumi-terraform#465), which the API stage switches to.

What a live endpoint may still run on is never deleted: after an alarm rollback the
endpoint is InService again on its previous configuration (terraform-provider-aws
#48997, #46663), so models and endpoint configurations are retained on delete (they cost
nothing), and a rollback fails `pulumi up` (`verified_endpoint_name`, which reads what the
endpoint runs from SageMaker, never from the state a failed update leaves behind).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import ReleaseArgs, Scaling
from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext, policy_json
from mlserving_provider.clouds.aws.network import ReleaseNetwork

__all__ = [
    "DEFAULT_INSTANCE_TYPE",
    "VARIANT",
    "RollbackAlarms",
    "RolledBackError",
    "Serving",
    "endpoint_name",
    "new_fleet_size",
    "running_configuration",
    "serving",
    "verified_endpoint_name",
]

DEFAULT_INSTANCE_TYPE = "ml.m5.large"
VARIANT = "primary"
TRAFFIC_TYPES = {"allAtOnce": "ALL_AT_ONCE", "canary": "CANARY", "linear": "LINEAR"}


@dataclass(frozen=True)
class Serving:
    endpoint: aws.sagemaker.Endpoint
    endpoint_name: pulumi.Output[str]
    # The endpoint name once the endpoint is known to run the configuration asked for.
    verified_endpoint_name: pulumi.Output[str]


class RolledBackError(pulumi.InputPropertiesError):
    """SageMaker rolled an endpoint update back: the release is not serving.

    An InputPropertiesError naming no property: it is the one exception the Pulumi SDK's
    Construct turns into a gRPC status carrying the message alone, which the engine prints
    as `... resource '<name>' has a problem: <message>`. Any other exception, a RunError
    included, reaches the user as grpc's "Unexpected <class '...'>: <message>"
    (pulumi/provider/server.py, ProviderServicer.Construct).
    """

    def __init__(self, message: str) -> None:
        # A list, as in provider.py's unknown-token error.
        super().__init__(message, [])


def serving_kind(args: ReleaseArgs, rollback: bool) -> str:
    """A short, stable tag of what an endpoint cannot change in place: how the release is
    served (instance type or serverless) and whether alarms roll its updates back."""
    kind = "serverless" if args.serverless is not None else (args.instance_type or DEFAULT_INSTANCE_TYPE)
    # With rollback (the default) the tag is the kind's alone, as before rollback was part of it.
    key = kind if rollback else f"{kind}/no-auto-rollback"
    return hashlib.sha256(key.encode()).hexdigest()[:6]


def endpoint_name(prefix: pulumi.Input[str], args: ReleaseArgs, rollback: bool) -> pulumi.Output[str]:
    """`<platform prefix>-<model>-<apiVersion>-<kind>`: at most 57 characters (naming.endpoint)."""
    kind = serving_kind(args, rollback)
    return pulumi.Output.from_input(prefix).apply(lambda p: naming.endpoint(p, args.model_name, args.api_version, kind))


def new_fleet_size(args: ReleaseArgs, scaling: Scaling) -> int:
    """The instances a new fleet starts with: `rollout.newFleetReplicas`, else `maxReplicas`.

    The update does not keep the running instance count (the AWS provider sends no
    RetainAllVariantProperties, terraform-provider-aws#49069), and Application Auto Scaling
    is blocked while it runs, so the new fleet alone takes the traffic shifted to it.
    """
    return args.rollout.new_fleet_replicas or scaling.max_replicas


def verified_endpoint_name(
    release: str, name: pulumi.Output[str], running: pulumi.Output[str | None], wanted: pulumi.Output[str]
) -> pulumi.Output[str]:
    """The endpoint name, or RolledBackError when the endpoint runs another configuration.

    `running` must come from SageMaker, not from the endpoint resource's state (see
    `running_configuration`). An empty name (running or wanted) is no evidence either way.
    """

    def check(values: list[Any]) -> str:
        endpoint, actual, expected = (str(v) if v is not None else "" for v in values)
        if actual and expected and actual != expected:
            raise RolledBackError(
                f"ModelRelease {release!r}: the endpoint {endpoint!r} runs the endpoint configuration {actual!r}, "
                f"not {expected!r}, which this release deploys. SageMaker rolled the update back (one of the "
                "release's rollback alarms fired during the rollout, or the new fleet failed its health checks), "
                "or the update is still running after the AWS provider stopped waiting for it. The endpoint still "
                "serves the previous release (its model and endpoint configuration are kept). See the endpoint's "
                "events in SageMaker; once it is InService, fix the release if it was rolled back and run "
                "`pulumi up --refresh` to retry the rollout: a plain `pulumi up` may see no change, because the "
                "AWS provider keeps the configuration it asked for in its state when its update fails."
            )
        return endpoint

    return pulumi.Output.all(name, running, wanted).apply(check)


def running_configuration(ctx: AwsContext, endpoint: aws.sagemaker.Endpoint) -> pulumi.Output[str | None]:
    """The endpoint configuration the endpoint runs now, as SageMaker says (DescribeEndpoint through
    the Cloud Control API), after the endpoint's create or update.

    Not the endpoint resource's own `endpoint_config_name`: when the AWS provider's update fails
    (an unexpected status, its 60-minute wait for InService), the Terraform SDK keeps the
    requested configuration in state (hashicorp/terraform-plugin-sdk#476), so the next `up` sees
    no diff and the state claims a configuration SageMaker may have rolled back. During an update
    SageMaker still names the old configuration. The identifier of AWS::SageMaker::Endpoint is its
    ARN (the type's primaryIdentifier). The caller needs cloudformation:GetResource and the read
    handler's sagemaker:DescribeEndpoint and sagemaker:ListTags.
    """
    read = aws.cloudcontrol.get_resource_output(
        type_name="AWS::SageMaker::Endpoint",
        identifier=endpoint.arn,
        opts=pulumi.InvokeOutputOptions(parent=ctx.parent, depends_on=[endpoint]),
    )

    def config_name(properties: str | None) -> str | None:
        value = json.loads(properties).get("EndpointConfigName") if properties else None
        return str(value) if value else None

    return read.properties.apply(config_name)


def execution_role(
    ctx: AwsContext,
    args: ReleaseArgs,
    bucket_arn: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str],
    in_vpc: bool = False,
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """The model's role: read its own artifact prefix, write its own capture prefix, logs, ECR
    pull (the rollback alarms it may read are granted by `rollback_alarm_reader`); in a VPC, the
    network interfaces SageMaker attaches to the model's containers."""
    name, opts = ctx.child("execution-role", naming.IAM_ROLE)
    role = aws.iam.Role(
        name,
        description=f"mlserving: SageMaker runs {args.model_name} {args.version}",
        assume_role_policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "sagemaker.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        # The condition SageMaker documents for real-time and serverless inference
                        # (it names no aws:SourceAccount): "arn:aws:sagemaker:<region>:<account>:*".
                        # https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html
                        "Condition": {"ArnLike": {"aws:SourceArn": ctx.arn("sagemaker", "*")}},
                    }
                ],
            }
        ),
        tags=ctx.tags,
        opts=opts,
    )
    statements: list[dict[str, object]] = [
        {
            "Sid": "ReadOwnArtifacts",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            # The model's prefix, not `models/<name>/<apiVersion>/`: models created before the API
            # version was in the key (`models/<name>/<version>/...`) are still run by this role
            # during a rollout and after a rollback, and their fleet downloads on every scale-out.
            "Resource": pulumi.Output.format("{0}/models/{1}/*", bucket_arn, args.model_name),
        },
        {
            "Sid": "DecryptArtifacts",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": kms_key_arn,
        },
        {
            "Sid": "PullImage",
            "Effect": "Allow",
            "Action": [
                "ecr:GetAuthorizationToken",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchCheckLayerAvailability",
            ],
            "Resource": "*",
        },
        {
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": ctx.arn("logs", "log-group:/aws/sagemaker/Endpoints/*"),
        },
        {
            "Sid": "PublishMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
        },
    ]
    if in_vpc:
        statements.append(
            {
                # The permissions SageMaker's docs list for a model with a VpcConfig under a custom
                # policy (AmazonSageMakerFullAccess holds them); the page grants them on "*", and
                # the Describe actions take no resource-level permissions.
                # https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html#host-vpc-endpoints
                "Sid": "AttachNetworkInterfaces",
                "Effect": "Allow",
                "Action": [
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
                ],
                "Resource": "*",
            }
        )
    if args.data_capture.enabled:
        statements.append(
            {
                "Sid": "WriteOwnDataCapture",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": pulumi.Output.format(
                    "{0}/data-capture/{1}/{2}/*", bucket_arn, args.model_name, args.api_version
                ),
            }
        )
    policy_name, policy_opts = ctx.child("execution", naming.IAM_ROLE_POLICY)
    policy = aws.iam.RolePolicy(
        policy_name,
        role=role.id,
        policy=policy_json({"Version": "2012-10-17", "Statement": statements}),
        opts=policy_opts,
    )
    return role, policy


def rollback_alarm_reader(
    ctx: AwsContext, role: aws.iam.Role, alarms: list[aws.cloudwatch.MetricAlarm]
) -> aws.iam.RolePolicy:
    """Let the execution role read the rollback alarms: deployment guardrails read them with it.
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html

    A policy of its own: the alarms watch the new endpoint configuration, which needs the model,
    which needs the execution role's other permissions first."""
    name, opts = ctx.child("read-rollback-alarms", naming.IAM_ROLE_POLICY)
    return aws.iam.RolePolicy(
        name,
        role=role.id,
        policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "ReadRollbackAlarms",
                        "Effect": "Allow",
                        "Action": "cloudwatch:DescribeAlarms",
                        "Resource": [alarm.arn for alarm in alarms],
                    }
                ],
            }
        ),
        opts=opts,
    )


RollbackAlarms = Callable[[pulumi.Output[str]], list[aws.cloudwatch.MetricAlarm]]


def serving(
    ctx: AwsContext,
    args: ReleaseArgs,
    scaling: Scaling,
    name: pulumi.Output[str],
    model_data_url: pulumi.Output[str],
    bucket_name: pulumi.Input[str],
    bucket_arn: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str],
    rollback_alarms: RollbackAlarms | None,
    depends_on: list[pulumi.Resource],
    network: ReleaseNetwork | None = None,
) -> Serving:
    """The release's model, endpoint configuration, endpoint and autoscaling.

    `rollback_alarms` makes the alarms that roll an update back, given the name of the endpoint
    configuration the update brings (None: no rollback); the endpoint `name` must come from
    `endpoint_name` with the same choice. `network`: the platform's VPC placement (issue 21).
    """
    role, role_policy = execution_role(ctx, args, bucket_arn, kms_key_arn, in_vpc=network is not None)
    serverless = args.serverless
    # Kept when replaced or destroyed: after an alarm rollback the endpoint runs on the previous
    # model and configuration, and deleting them breaks every later update ("Could not find
    # endpoint configuration", terraform-provider-aws#40048, #48997). Both are free.
    model_name, model_opts = ctx.child(
        "model", naming.SAGEMAKER, depends_on=[*depends_on, role_policy], retain_on_delete=True
    )
    model = aws.sagemaker.Model(
        model_name,
        execution_role_arn=role.arn,
        primary_container={
            "image": args.image,
            "model_data_url": model_data_url,
            "environment": args.environment,
        },
        # No outbound network for the inference container; serverless cannot isolate. In a VPC,
        # `containerEgress: internet` turns it off (the security groups and routes decide); SageMaker
        # still reads the artifact through the subnets either way.
        # https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html
        enable_network_isolation=(serverless is None if network is None else network.container_egress == "none"),
        vpc_config=(
            {"subnets": network.subnet_ids, "security_group_ids": network.security_group_ids}
            if network is not None
            else None
        ),
        tags=ctx.tags,
        opts=model_opts,
    )
    variant: dict[str, Any] = {"variant_name": VARIANT, "model_name": model.name}
    if serverless is not None:
        variant["serverless_config"] = {
            "memory_size_in_mb": serverless.memory_size_mb,
            "max_concurrency": serverless.max_concurrency,
        }
    else:
        variant["instance_type"] = args.instance_type or DEFAULT_INSTANCE_TYPE
        variant["initial_instance_count"] = new_fleet_size(args, scaling)
    capture = args.data_capture
    config_name, config_opts = ctx.child("config", naming.SAGEMAKER, retain_on_delete=True)
    config = aws.sagemaker.EndpointConfiguration(
        config_name,
        production_variants=[variant],  # type: ignore[list-item]  # TypedDict args built as dicts
        data_capture_config=(
            {
                "enable_capture": True,
                "initial_sampling_percentage": capture.sampling_percent,
                "destination_s3_uri": pulumi.Output.format(
                    "s3://{0}/data-capture/{1}/{2}", bucket_name, args.model_name, args.api_version
                ),
                "kms_key_id": kms_key_arn,
                "capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}],
            }
            if capture.enabled
            else None
        ),
        tags=ctx.tags,
        opts=config_opts,
    )
    rollout = args.rollout
    routing: dict[str, Any] = {
        "type": TRAFFIC_TYPES[rollout.strategy],
        "wait_interval_in_seconds": rollout.wait_seconds,
    }
    if rollout.strategy == "canary":
        routing["canary_size"] = {"type": "CAPACITY_PERCENT", "value": rollout.canary_percent}
    if rollout.strategy == "linear":
        routing["linear_step_size"] = {"type": "CAPACITY_PERCENT", "value": rollout.linear_step_percent}
    deployment_config: dict[str, Any] = {"blue_green_update_policy": {"traffic_routing_configuration": routing}}
    # The endpoint waits for its rollback alarms (they name the new configuration by then) and
    # for the permission to read them.
    waits: list[pulumi.Resource] = []
    if rollback_alarms is not None:
        alarms = rollback_alarms(config.name)
        waits.append(rollback_alarm_reader(ctx, role, alarms))
        deployment_config["auto_rollback_configuration"] = {"alarms": [{"alarm_name": alarm.name} for alarm in alarms]}
    endpoint = aws.sagemaker.Endpoint(  # type: ignore[call-overload]  # TypedDict args built as dicts
        f"{ctx.name}-endpoint",
        name=name,
        endpoint_config_name=config.name,
        deployment_config=deployment_config,
        tags=ctx.tags,
        # The name changes with everything that replaces the endpoint (endpoint_name), so the
        # new endpoint can exist beside the old one until the API stage has moved to it.
        opts=ctx.opts(delete_before_replace=False, depends_on=waits),
    )
    if serverless is None:
        _autoscaling(ctx, endpoint, scaling)
    return Serving(
        endpoint=endpoint,
        endpoint_name=endpoint.name,
        # A preview's values are planned: only an `up` reads what the endpoint runs.
        verified_endpoint_name=(
            endpoint.name
            if pulumi.runtime.is_dry_run()
            else verified_endpoint_name(ctx.name, endpoint.name, running_configuration(ctx, endpoint), config.name)
        ),
    )


def _autoscaling(ctx: AwsContext, endpoint: aws.sagemaker.Endpoint, scaling: Scaling) -> None:
    """Target tracking on invocations per instance."""
    target = aws.appautoscaling.Target(
        f"{ctx.name}-scaling-target",
        service_namespace="sagemaker",
        scalable_dimension="sagemaker:variant:DesiredInstanceCount",
        resource_id=pulumi.Output.format("endpoint/{0}/variant/{1}", endpoint.name, VARIANT),
        min_capacity=scaling.min_replicas,
        max_capacity=scaling.max_replicas,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    aws.appautoscaling.Policy(
        f"{ctx.name}-scaling-policy",
        policy_type="TargetTrackingScaling",
        service_namespace=target.service_namespace,
        scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        target_tracking_scaling_policy_configuration={
            "predefined_metric_specification": {"predefined_metric_type": "SageMakerVariantInvocationsPerInstance"},
            "target_value": scaling.target_invocations_per_replica,
            "scale_in_cooldown": scaling.scale_in_cooldown_seconds,
            "scale_out_cooldown": scaling.scale_out_cooldown_seconds,
        },
        opts=ctx.opts(),
    )
