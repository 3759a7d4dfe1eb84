"""The artifact store: an S3 bucket locked down to TLS, this platform's CDN and its roles."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import ArtifactStore
from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext, policy_json

__all__ = ["ArtifactBucket", "artifact_bucket", "artifact_bucket_policy", "platform_key", "platform_key_policy"]


@dataclass(frozen=True)
class ArtifactBucket:
    bucket: aws.s3.Bucket
    kms_key_arn: pulumi.Output[str]


def platform_key(ctx: AwsContext) -> aws.kms.Key:
    """The platform's customer-managed KMS key (rotated yearly); its policy is set later."""
    return aws.kms.Key(
        f"{ctx.name}-key",
        description=f"mlserving platform {ctx.name}: artifacts, alarms",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        tags=ctx.tags,
        opts=ctx.opts(),
    )


def platform_key_policy(
    ctx: AwsContext, key: aws.kms.Key, distribution_arn: pulumi.Output[str] | None
) -> aws.kms.KeyPolicy:
    """Who may use the platform key besides the account's IAM policies.

    CloudFront origin access control cannot read SSE-KMS objects unless the key policy
    lets the distribution decrypt, and CloudWatch alarms cannot publish to an encrypted
    SNS topic unless it may use the key: neither is possible with AWS-managed keys.
    https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#create-oac-overview-s3
    """
    statements: list[dict[str, object]] = [
        {
            "Sid": "AccountAdministers",
            "Effect": "Allow",
            "Principal": {"AWS": pulumi.Output.format("arn:{0}:iam::{1}:root", ctx.partition, ctx.account_id)},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchAlarmsPublishToTopic",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ctx.account_id}},
        },
    ]
    if distribution_arn is not None:
        statements.append(
            {
                "Sid": "CloudFrontReadsArtifacts",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            }
        )
    return aws.kms.KeyPolicy(
        f"{ctx.name}-key-policy",
        key_id=key.id,
        policy=policy_json({"Version": "2012-10-17", "Statement": statements}),
        opts=ctx.opts(),
    )


def artifact_bucket(ctx: AwsContext, settings: ArtifactStore, key: aws.kms.Key) -> ArtifactBucket:
    """A private, versioned, SSE-KMS bucket that sends its events to EventBridge."""
    name, opts = ctx.child("artifacts", naming.S3_BUCKET, retain_on_delete=settings.retain_on_delete)
    bucket = aws.s3.Bucket(name, force_destroy=not settings.retain_on_delete, tags=ctx.tags, opts=opts)
    kms_key_arn = pulumi.Output.from_input(settings.kms_key_arn) if settings.kms_key_arn is not None else key.arn
    child = ctx.opts(depends_on=[bucket])
    aws.s3.BucketPublicAccessBlock(
        f"{ctx.name}-artifacts-public-access",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketOwnershipControls(
        f"{ctx.name}-artifacts-ownership",
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=child,
    )
    aws.s3.BucketVersioning(
        f"{ctx.name}-artifacts-versioning",
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled" if settings.versioning else "Suspended"},
        opts=child,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{ctx.name}-artifacts-encryption",
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": kms_key_arn,
                },
                "bucket_key_enabled": True,
            }
        ],
        opts=child,
    )
    # Every rule names its scope with a prefix ("" is every object): an empty filter is
    # deprecated by the AWS provider and its meaning differs between S3 API versions.
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration
    aws.s3.BucketLifecycleConfiguration(
        f"{ctx.name}-artifacts-lifecycle",
        bucket=bucket.id,
        rules=[
            {
                "id": "expire-noncurrent-versions",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "noncurrent_version_expiration": {"noncurrent_days": settings.noncurrent_version_expiration_days},
            },
            {
                "id": "abort-incomplete-multipart-uploads",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
            },
        ],
        opts=child,
    )
    aws.s3.BucketNotification(f"{ctx.name}-artifacts-eventbridge", bucket=bucket.id, eventbridge=True, opts=child)
    return ArtifactBucket(bucket=bucket, kms_key_arn=kms_key_arn)


def artifact_bucket_policy(
    ctx: AwsContext, store: ArtifactBucket, distribution_arn: pulumi.Output[str] | None
) -> aws.s3.BucketPolicy:
    """Deny anything but TLS; let only this platform's distribution read `models/*`."""
    bucket = store.bucket
    statements: list[dict[str, object]] = [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    if distribution_arn is not None:
        statements.append(
            {
                "Sid": "CloudFrontReadsModels",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": pulumi.Output.concat(bucket.arn, "/models/*"),
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            }
        )
    return aws.s3.BucketPolicy(
        f"{ctx.name}-artifacts-policy",
        bucket=bucket.id,
        policy=policy_json({"Version": "2012-10-17", "Statement": statements}),
        opts=ctx.opts(depends_on=[bucket]),
    )
