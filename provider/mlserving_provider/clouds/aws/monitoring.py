"""Alarms: the platform's encrypted SNS topic and each release's 5xx-rate and p99 alarms.

Each release has two pairs: the endpoint alarms watch the whole endpoint and page; with
alarm-driven rollback, the rollback alarms watch only the fleet a rollout brings up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext

__all__ = ["Thresholds", "alarm_topic", "endpoint_alarms", "rollback_alarms"]

PERIOD_SECONDS = 60
EVALUATION_PERIODS = 5
DATAPOINTS_TO_ALARM = 3


def alarm_topic(ctx: AwsContext, key: aws.kms.Key, email: pulumi.Input[str] | None) -> aws.sns.Topic:
    """The alarm topic, encrypted with the platform key (which CloudWatch may use)."""
    name, opts = ctx.child("alarms", naming.SNS_TOPIC)
    topic = aws.sns.Topic(name, kms_master_key_id=key.arn, tags=ctx.tags, opts=opts)
    if email is not None:
        aws.sns.TopicSubscription(
            f"{ctx.name}-alarms-email", topic=topic.arn, protocol="email", endpoint=email, opts=ctx.opts()
        )
    return topic


@dataclass(frozen=True)
class Thresholds:
    """The platform's alarm thresholds (`monitoring.*`)."""

    latency_p99_ms: float
    error_rate_percent: float


def endpoint_alarms(
    ctx: AwsContext,
    endpoint_name: pulumi.Input[str],
    variant_name: str,
    topic_arn: pulumi.Input[str],
    thresholds: Thresholds,
) -> list[aws.cloudwatch.MetricAlarm]:
    """The alarms that page: the whole endpoint (every fleet), to the platform's topic."""
    return _alarms(
        ctx,
        "endpoint-",
        "",
        {"EndpointName": endpoint_name, "VariantName": variant_name},
        thresholds,
        {"alarm_actions": [topic_arn], "ok_actions": [topic_arn]},
    )


def rollback_alarms(
    ctx: AwsContext,
    endpoint_name: pulumi.Input[str],
    variant_name: str,
    thresholds: Thresholds,
    config_name: pulumi.Input[str],
) -> list[aws.cloudwatch.MetricAlarm]:
    """The alarms that roll an update back: the new fleet only.

    SageMaker: "if your old fleet trips the alarm during the deployment, SageMaker terminates
    your deployment", so an alarm on the whole endpoint would roll back every fix of a failing
    release. The new fleet's metrics carry the dimension `EndpointConfigName` of the new
    endpoint configuration (deployment guardrails, "Monitor model latency on the new fleet"):
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html

    Their names never change (they are the alarms releases had before, `<release>-5xx-rate` and
    `<release>-p99-latency`): the endpoint's rollback configuration names them and the AWS
    provider cannot change it in place (ForceNew). Each release only moves their
    `EndpointConfigName` to its new configuration, in place, before the endpoint update.
    They do not page: the endpoint alarms do (a rollback also fails `pulumi up`, and
    SageMaker announces it on the platform's event bus).
    """
    return _alarms(
        ctx,
        "",
        "new fleet: ",
        {"EndpointName": endpoint_name, "VariantName": variant_name, "EndpointConfigName": config_name},
        thresholds,
        {},
    )


def _alarms(
    ctx: AwsContext,
    prefix: str,
    scope: str,
    dimensions: dict[str, pulumi.Input[str]],
    thresholds: Thresholds,
    actions: dict[str, Any],
) -> list[aws.cloudwatch.MetricAlarm]:
    """A 5xx-rate and a p99-latency alarm on one set of SageMaker metric dimensions."""
    common: dict[str, Any] = {
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": EVALUATION_PERIODS,
        "datapoints_to_alarm": DATAPOINTS_TO_ALARM,
        "treat_missing_data": "notBreaching",
        "tags": ctx.tags,
        **actions,
    }
    errors = aws.cloudwatch.MetricAlarm(
        f"{ctx.name}-{prefix}5xx-rate",
        alarm_description=(
            f"mlserving {ctx.name}: {scope}share of 5xx invocations above {thresholds.error_rate_percent}%"
        ),
        threshold=thresholds.error_rate_percent,
        metric_queries=[
            {
                "id": "errors",
                "metric": {
                    "namespace": "AWS/SageMaker",
                    "metric_name": "Invocation5XXErrors",
                    "dimensions": dimensions,
                    "period": PERIOD_SECONDS,
                    "stat": "Sum",
                },
            },
            {
                "id": "invocations",
                "metric": {
                    "namespace": "AWS/SageMaker",
                    "metric_name": "Invocations",
                    "dimensions": dimensions,
                    "period": PERIOD_SECONDS,
                    "stat": "Sum",
                },
            },
            {
                "id": "rate",
                "expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
                "label": "5xx rate (%)",
                "return_data": True,
            },
        ],
        opts=ctx.opts(),
        **common,
    )
    latency = aws.cloudwatch.MetricAlarm(
        f"{ctx.name}-{prefix}p99-latency",
        alarm_description=f"mlserving {ctx.name}: {scope}p99 model latency above {thresholds.latency_p99_ms} ms",
        namespace="AWS/SageMaker",
        metric_name="ModelLatency",
        dimensions=dimensions,
        extended_statistic="p99",
        period=PERIOD_SECONDS,
        # ModelLatency is reported in microseconds.
        threshold=thresholds.latency_p99_ms * 1000,
        opts=ctx.opts(),
        **common,
    )
    return [errors, latency]
