"""Release events: a custom EventBridge bus with an archive, fed by S3 and SageMaker,
delivered to an encrypted SQS queue (with a dead-letter queue)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import Events
from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext, policy_json

__all__ = ["ReleaseEvents", "release_events"]

# A message keeps its first enqueue time when it moves to a standard queue's DLQ, so the DLQ
# must keep messages longer than the source queue does, or they expire on arrival: the queue
# keeps 4 days (SQS's default), the DLQ the maximum, 14 days.
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
QUEUE_RETENTION_SECONDS = 4 * 24 * 3600
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
MAX_RECEIVES = 5


@dataclass(frozen=True)
class ReleaseEvents:
    bus: aws.cloudwatch.EventBus
    queue: aws.sqs.Queue


def release_events(
    ctx: AwsContext, settings: Events, bucket: aws.s3.Bucket, endpoint_prefix: pulumi.Output[str]
) -> ReleaseEvents:
    bus_name, bus_opts = ctx.child("bus", naming.EVENT_BUS)
    bus = aws.cloudwatch.EventBus(bus_name, tags=ctx.tags, opts=bus_opts)
    archive_name, archive_opts = ctx.child("bus-archive", naming.EVENT_ARCHIVE)
    aws.cloudwatch.EventArchive(
        archive_name,
        event_source_arn=bus.arn,
        description="mlserving: every release event, for replay",
        retention_days=settings.archive_retention_days,
        opts=archive_opts,
    )

    # Rules on the default bus (where AWS services publish) forward to the custom bus.
    role_name, role_opts = ctx.child("bus-forward-role", naming.IAM_ROLE)
    forward_role = aws.iam.Role(
        role_name,
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
        opts=role_opts,
    )
    policy_name, policy_opts = ctx.child("bus-forward", naming.IAM_ROLE_POLICY)
    aws.iam.RolePolicy(
        policy_name,
        role=forward_role.id,
        policy=policy_json(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus.arn}],
            }
        ),
        opts=policy_opts,
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
        rule_name, rule_opts = ctx.child(f"{kind}-events", naming.EVENT_RULE)
        rule = aws.cloudwatch.EventRule(
            rule_name,
            description=f"mlserving: forward {kind} events to the release bus",
            event_pattern=policy_json(pattern),
            tags=ctx.tags,
            opts=rule_opts,
        )
        aws.cloudwatch.EventTarget(
            f"{ctx.name}-{kind}-to-bus",
            rule=rule.name,
            arn=bus.arn,
            role_arn=forward_role.arn,
            opts=ctx.opts(),
        )

    dlq_name, dlq_opts = ctx.child("release-events-dlq", naming.SQS_QUEUE)
    dlq = (
        aws.sqs.Queue(
            dlq_name,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            sqs_managed_sse_enabled=True,
            tags=ctx.tags,
            opts=dlq_opts,
        )
        if settings.dead_letter_queue
        else None
    )
    queue_name, queue_opts = ctx.child("release-events", naming.SQS_QUEUE)
    queue = aws.sqs.Queue(
        queue_name,
        message_retention_seconds=QUEUE_RETENTION_SECONDS,
        sqs_managed_sse_enabled=True,
        redrive_policy=(
            dlq.arn.apply(lambda arn: f'{{"deadLetterTargetArn":"{arn}","maxReceiveCount":{MAX_RECEIVES}}}')
            if dlq is not None
            else None
        ),
        tags=ctx.tags,
        opts=queue_opts,
    )
    deliver_name, deliver_opts = ctx.child("deliver-events", naming.EVENT_RULE)
    deliver = aws.cloudwatch.EventRule(
        deliver_name,
        description="mlserving: deliver every release event to the queue",
        event_bus_name=bus.name,
        event_pattern=policy_json({"account": [ctx.account_id]}),
        tags=ctx.tags,
        opts=deliver_opts,
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
