"""Serving: the SageMaker model, endpoint configuration, endpoint and autoscaling.

The endpoint keeps its name across releases, so a new model version or artifact is a
new model and endpoint configuration and an in-place UpdateEndpoint, which SageMaker
runs as a blue/green deployment with the release's traffic shifting and alarm-driven
rollback. Changing the model of an autoscaled variant is allowed; changing its
instance type is not ("delete any scaling policies ... and deregister the variant"),
so the endpoint name carries the serving kind (instance type or serverless): a change
of kind is a new endpoint, switched over by the API stage, then the old one deleted.
https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import ReleaseArgs, Scaling
from mlserving_provider.clouds.aws.context import AwsContext, policy_json

__all__ = ["DEFAULT_INSTANCE_TYPE", "VARIANT", "Serving", "endpoint_name", "serving"]

DEFAULT_INSTANCE_TYPE = "ml.m5.large"
VARIANT = "primary"
TRAFFIC_TYPES = {"allAtOnce": "ALL_AT_ONCE", "canary": "CANARY", "linear": "LINEAR"}


@dataclass(frozen=True)
class Serving:
    endpoint: aws.sagemaker.Endpoint
    endpoint_name: pulumi.Output[str]


def serving_kind(args: ReleaseArgs) -> str:
    """A short, stable tag of how the release is served (instance type or serverless)."""
    kind = "serverless" if args.serverless is not None else (args.instance_type or DEFAULT_INSTANCE_TYPE)
    return hashlib.sha256(kind.encode()).hexdigest()[:6]


def endpoint_name(prefix: pulumi.Input[str], args: ReleaseArgs) -> pulumi.Output[str]:
    """`<platform prefix>-<model>-<apiVersion>-<kind>`: at most 58 characters."""
    return pulumi.Output.format("{0}-{1}-{2}-{3}", prefix, args.model_name, args.api_version, serving_kind(args))


def execution_role(
    ctx: AwsContext,
    args: ReleaseArgs,
    bucket_arn: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str],
) -> aws.iam.Role:
    """The model's role: read its own artifact prefix, write its own capture prefix, logs, ECR pull."""
    role = aws.iam.Role(
        f"{ctx.name}-execution-role",
        description=f"mlserving: SageMaker runs {args.model_name} {args.version}",
        assume_role_policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "sagemaker.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"aws:SourceAccount": ctx.account_id}},
                    }
                ],
            }
        ),
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    statements: list[dict[str, object]] = [
        {
            "Sid": "ReadOwnArtifacts",
            "Effect": "Allow",
            "Action": "s3:GetObject",
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
    aws.iam.RolePolicy(
        f"{ctx.name}-execution",
        role=role.id,
        policy=policy_json({"Version": "2012-10-17", "Statement": statements}),
        opts=ctx.opts(),
    )
    return role


def serving(
    ctx: AwsContext,
    args: ReleaseArgs,
    scaling: Scaling,
    name: pulumi.Output[str],
    model_data_url: pulumi.Output[str],
    bucket_name: pulumi.Input[str],
    bucket_arn: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str],
    rollback_alarms: list[aws.cloudwatch.MetricAlarm],
    depends_on: list[pulumi.Resource],
) -> Serving:
    role = execution_role(ctx, args, bucket_arn, kms_key_arn)
    serverless = args.serverless
    model = aws.sagemaker.Model(
        f"{ctx.name}-model",
        execution_role_arn=role.arn,
        primary_container={
            "image": args.image,
            "model_data_url": model_data_url,
            "environment": args.environment,
        },
        # No outbound network for the inference container; serverless cannot isolate.
        enable_network_isolation=serverless is None,
        tags=ctx.tags,
        opts=ctx.opts(depends_on=depends_on),
    )
    variant: dict[str, Any] = {"variant_name": VARIANT, "model_name": model.name}
    if serverless is not None:
        variant["serverless_config"] = {
            "memory_size_in_mb": serverless.memory_size_mb,
            "max_concurrency": serverless.max_concurrency,
        }
    else:
        variant["instance_type"] = args.instance_type or DEFAULT_INSTANCE_TYPE
        variant["initial_instance_count"] = scaling.min_replicas
    capture = args.data_capture
    config = aws.sagemaker.EndpointConfiguration(
        f"{ctx.name}-config",
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
        opts=ctx.opts(),
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
    if rollout.auto_rollback and rollback_alarms:
        deployment_config["auto_rollback_configuration"] = {
            "alarms": [{"alarm_name": alarm.name} for alarm in rollback_alarms]
        }
    endpoint = aws.sagemaker.Endpoint(  # type: ignore[call-overload]  # TypedDict args built as dicts
        f"{ctx.name}-endpoint",
        name=name,
        endpoint_config_name=config.name,
        deployment_config=deployment_config,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    if serverless is None:
        _autoscaling(ctx, endpoint, scaling)
    return Serving(endpoint=endpoint, endpoint_name=endpoint.name)


def _autoscaling(ctx: AwsContext, endpoint: aws.sagemaker.Endpoint, scaling: Scaling) -> None:
    """Target tracking on invocations per instance."""
    target = aws.appautoscaling.Target(
        f"{ctx.name}-scaling-target",
        service_namespace="sagemaker",
        scalable_dimension="sagemaker:variant:DesiredInstanceCount",
        resource_id=pulumi.Output.format("endpoint/{0}/variant/{1}", endpoint.name, VARIANT),
        min_capacity=scaling.min_replicas,
        max_capacity=scaling.max_replicas,
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
