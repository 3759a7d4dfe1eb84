"""The artifact store: an S3 bucket locked down to TLS, this platform's CDN and its roles.

With `artifacts.retainOnDelete` (the default) a `pulumi destroy` keeps the store as it was:
the bucket, every configuration that protects it (public-access block, TLS-only policy,
ownership controls, versioning, lifecycle, default encryption) and the platform's KMS key
with its key policy, which encrypts every artifact and data-capture object. Deleting these
children is not neutral: the AWS provider suspends versioning, deletes the bucket's policy,
public-access block, lifecycle and ownership controls, puts the encryption default back to
SSE-S3, and schedules the key's deletion, after which "you can no longer decrypt the data
that was encrypted under that KMS key" (AWS KMS guide, "Deleting AWS KMS keys";
terraform-provider-aws internal/service/s3/bucket_versioning.go,
bucket_server_side_encryption_configuration.go, bucket_public_access_block.go, and
internal/service/kms/key_policy.go, whose delete puts back the default key policy).
A later `pulumi up` of the same program creates a new bucket and key (autonamed, new random
suffix), so nothing it creates collides with what was kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import ArtifactStore
from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext, policy_json

__all__ = [
    "ArtifactBucket",
    "artifact_bucket",
    "artifact_bucket_policy",
    "key_is_retained",
    "platform_key",
    "platform_key_policy",
]


@dataclass(frozen=True)
class ArtifactBucket:
    bucket: aws.s3.Bucket
    kms_key_arn: pulumi.Output[str]
    # Kept with its protections when the platform is destroyed (`artifacts.retainOnDelete`).
    retained: bool


def key_is_retained(settings: ArtifactStore) -> bool:
    """Whether the platform key outlives the platform: when it encrypts a retained store.

    With `artifacts.kmsKeyArn` the artifacts are under the user's key, and the platform key
    encrypts only the alarm topic, which is deleted with the platform.
    """
    return settings.retain_on_delete and settings.kms_key_arn is None


def platform_key(ctx: AwsContext, retain: bool) -> aws.kms.Key:
    """The platform's customer-managed KMS key (rotated yearly); its policy is set later.

    `retain`: kept on destroy (never scheduled for deletion) because a retained store's
    objects are encrypted under it."""
    return aws.kms.Key(
        f"{ctx.name}-key",
        description=f"mlserving platform {ctx.name}: artifacts, alarms",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        tags=ctx.tags,
        opts=ctx.opts(retain_on_delete=retain),
    )


def platform_key_policy(
    ctx: AwsContext, key: aws.kms.Key, distribution_arn: pulumi.Output[str] | None, retain: bool
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
        # Kept with the key: deleting it would put back the default key policy.
        opts=ctx.opts(retain_on_delete=retain),
    )


def artifact_bucket(ctx: AwsContext, settings: ArtifactStore, key: aws.kms.Key) -> ArtifactBucket:
    """A private, versioned, SSE-KMS bucket that sends its events to EventBridge.

    Its protections are kept with it (`artifacts.retainOnDelete`); its EventBridge
    notifications are not (nothing reads them once the platform is gone)."""
    retain = settings.retain_on_delete
    name, opts = ctx.child("artifacts", naming.S3_BUCKET, retain_on_delete=retain)
    bucket = aws.s3.Bucket(name, force_destroy=not retain, tags=ctx.tags, opts=opts)
    kms_key_arn = pulumi.Output.from_input(settings.kms_key_arn) if settings.kms_key_arn is not None else key.arn
    child = ctx.opts(depends_on=[bucket], retain_on_delete=retain)
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
    aws.s3.BucketNotification(
        f"{ctx.name}-artifacts-eventbridge", bucket=bucket.id, eventbridge=True, opts=ctx.opts(depends_on=[bucket])
    )
    return ArtifactBucket(bucket=bucket, kms_key_arn=kms_key_arn, retained=retain)


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
        # Kept with the bucket: the TLS-only rule protects what is retained.
        opts=ctx.opts(depends_on=[bucket], retain_on_delete=store.retained),
    )
