"""Alarms: the platform's encrypted SNS topic and each release's 5xx-rate and p99 alarms."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext

__all__ = ["alarm_topic", "release_alarms"]

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


def release_alarms(
    ctx: AwsContext,
    endpoint_name: pulumi.Input[str],
    variant_name: str,
    topic_arn: pulumi.Input[str],
    latency_p99_ms: float,
    error_rate_percent: float,
) -> list[aws.cloudwatch.MetricAlarm]:
    """The alarms that page and, during a rollout, roll the endpoint back."""
    dimensions = {"EndpointName": endpoint_name, "VariantName": variant_name}
    common: dict[str, Any] = {
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": EVALUATION_PERIODS,
        "datapoints_to_alarm": DATAPOINTS_TO_ALARM,
        "treat_missing_data": "notBreaching",
        "alarm_actions": [topic_arn],
        "ok_actions": [topic_arn],
        "tags": ctx.tags,
    }
    errors = aws.cloudwatch.MetricAlarm(
        f"{ctx.name}-5xx-rate",
        alarm_description=f"mlserving {ctx.name}: share of 5xx invocations above {error_rate_percent}%",
        threshold=error_rate_percent,
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
        f"{ctx.name}-p99-latency",
        alarm_description=f"mlserving {ctx.name}: p99 model latency above {latency_p99_ms} ms",
        namespace="AWS/SageMaker",
        metric_name="ModelLatency",
        dimensions=dimensions,
        extended_statistic="p99",
        period=PERIOD_SECONDS,
        # ModelLatency is reported in microseconds.
        threshold=latency_p99_ms * 1000,
        opts=ctx.opts(),
        **common,
    )
    return [errors, latency]
