"""Release events: a custom EventBridge bus with an archive, fed by S3 and SageMaker,
delivered to an encrypted SQS queue (with a dead-letter queue)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import Events
from mlserving_provider.clouds.aws.context import AwsContext, policy_json

__all__ = ["ReleaseEvents", "release_events"]

DLQ_RETENTION_SECONDS = 14 * 24 * 3600
MAX_RECEIVES = 5


@dataclass(frozen=True)
class ReleaseEvents:
    bus: aws.cloudwatch.EventBus
    queue: aws.sqs.Queue


def release_events(
    ctx: AwsContext, settings: Events, bucket: aws.s3.Bucket, endpoint_prefix: pulumi.Output[str]
) -> ReleaseEvents:
    bus = aws.cloudwatch.EventBus(f"{ctx.name}-bus", tags=ctx.tags, opts=ctx.opts())
    aws.cloudwatch.EventArchive(
        f"{ctx.name}-bus-archive",
        event_source_arn=bus.arn,
        description="mlserving: every release event, for replay",
        retention_days=settings.archive_retention_days,
        opts=ctx.opts(),
    )

    # Rules on the default bus (where AWS services publish) forward to the custom bus.
    forward_role = aws.iam.Role(
        f"{ctx.name}-bus-forward-role",
        assume_role_policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"aws:SourceAccount": ctx.account_id}},
                    }
                ],
            }
        ),
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    aws.iam.RolePolicy(
        f"{ctx.name}-bus-forward",
        role=forward_role.id,
        policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus.arn}],
            }
        ),
        opts=ctx.opts(),
    )
    patterns = {
        "artifacts": {
            "source": ["aws.s3"],
            "detail-type": ["Object Created"],
            "detail": {"bucket": {"name": [bucket.bucket]}, "object": {"key": [{"prefix": "models/"}]}},
        },
        "endpoints": {
            "source": ["aws.sagemaker"],
            "detail-type": ["SageMaker Endpoint State Change", "SageMaker Endpoint Deployment State Change"],
            "detail": {"EndpointName": [{"prefix": pulumi.Output.concat(endpoint_prefix, "-")}]},
        },
    }
    for kind, pattern in patterns.items():
        rule = aws.cloudwatch.EventRule(
            f"{ctx.name}-{kind}-events",
            description=f"mlserving: forward {kind} events to the release bus",
            event_pattern=policy_json(pattern),
            tags=ctx.tags,
            opts=ctx.opts(),
        )
        aws.cloudwatch.EventTarget(
            f"{ctx.name}-{kind}-to-bus",
            rule=rule.name,
            arn=bus.arn,
            role_arn=forward_role.arn,
            opts=ctx.opts(),
        )

    dlq = (
        aws.sqs.Queue(
            f"{ctx.name}-release-events-dlq",
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            sqs_managed_sse_enabled=True,
            tags=ctx.tags,
            opts=ctx.opts(),
        )
        if settings.dead_letter_queue
        else None
    )
    queue = aws.sqs.Queue(
        f"{ctx.name}-release-events",
        message_retention_seconds=DLQ_RETENTION_SECONDS,
        sqs_managed_sse_enabled=True,
        redrive_policy=(
            dlq.arn.apply(lambda arn: f'{{"deadLetterTargetArn":"{arn}","maxReceiveCount":{MAX_RECEIVES}}}')
            if dlq is not None
            else None
        ),
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    deliver = aws.cloudwatch.EventRule(
        f"{ctx.name}-deliver-events",
        description="mlserving: deliver every release event to the queue",
        event_bus_name=bus.name,
        event_pattern=policy_json({"account": [ctx.account_id]}),
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    aws.cloudwatch.EventTarget(
        f"{ctx.name}-deliver-to-queue",
        rule=deliver.name,
        event_bus_name=bus.name,
        arn=queue.arn,
        dead_letter_config={"arn": dlq.arn} if dlq is not None else None,
        retry_policy={"maximum_event_age_in_seconds": 86400, "maximum_retry_attempts": 185},
        opts=ctx.opts(),
    )
    for target in [queue, *([dlq] if dlq is not None else [])]:
        _queue_policy(ctx, target, deliver, "dlq" if target is dlq else "queue")
    return ReleaseEvents(bus=bus, queue=queue)


def _queue_policy(ctx: AwsContext, queue: aws.sqs.Queue, rule: aws.cloudwatch.EventRule, kind: str) -> None:
    """Only the delivery rule may send; nothing may use the queue without TLS."""
    aws.sqs.QueuePolicy(
        f"{ctx.name}-release-events-{kind}-policy",
        queue_url=queue.url,
        policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DeliveryRuleSends",
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": queue.arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": rule.arn}},
                    },
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sqs:*",
                        "Resource": queue.arn,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                ],
            }
        ),
        opts=ctx.opts(),
    )
