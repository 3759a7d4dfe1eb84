"""The AWS backend: S3, CloudFront, SageMaker, API Gateway, EventBridge, CloudWatch."""

from __future__ import annotations

import functools
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from mlserving_provider.args import PlatformArgs, ReleaseArgs, Scaling
from mlserving_provider.artifact import Artifact, artifact_key
from mlserving_provider.clouds import Backend, platform_tags, release_child_tags
from mlserving_provider.clouds.aws import api, cdn, events, monitoring, network, serving, storage
from mlserving_provider.clouds.aws.context import AwsContext
from mlserving_provider.outputs import PlatformOutputs, ReleaseOutputs
from mlserving_provider.platform_ref import PlatformState

__all__ = ["BACKEND"]


def platform(component: pulumi.ComponentResource, name: str, args: PlatformArgs) -> PlatformOutputs:
    tags = platform_tags(args.tags, name)
    ctx = AwsContext.create(component, name, tags)
    # Endpoint names start with this prefix; the API role may invoke only those.
    suffix = random.RandomId(f"{name}-id", byte_length=4, opts=ctx.opts())
    prefix = pulumi.Output.concat("mls-", suffix.hex)

    retain_key = storage.key_is_retained(args.artifacts)
    key = storage.platform_key(ctx, retain_key)
    store = storage.artifact_bucket(ctx, args.artifacts, key)
    placement = network.platform_network(ctx, args.network) if args.network is not None else None
    private_endpoints = placement.api_endpoint_ids if placement is not None else None
    rest = api.rest_api(ctx, args.api, prefix, private_endpoints)
    # A private API is no CDN origin (cdn.distribution): the CDN serves artifacts only.
    api_origin = rest.domain if private_endpoints is None else None
    dist = cdn.distribution(ctx, args.cdn, args.api, store.bucket, api_origin) if args.cdn.enabled else None
    dist_arn = dist.distribution.arn if dist is not None else None
    storage.platform_key_policy(ctx, key, dist_arn, retain_key)
    storage.artifact_bucket_policy(ctx, store, dist_arn)
    topic = monitoring.alarm_topic(ctx, key, args.monitoring.alarm_email) if args.monitoring.enabled else None
    bus = events.release_events(ctx, args.events, store.bucket, prefix) if args.events.enabled else None

    quota = args.api.quota
    attachments: dict[str, pulumi.Input[str]] = {
        "bucketName": store.bucket.bucket,
        "bucketArn": store.bucket.arn,
        "kmsKeyArn": store.kms_key_arn,
        "endpointPrefix": prefix,
        "restApiId": rest.api.id,
        "apiDefinition": rest.definition,
        "apiKeyId": rest.key.id if rest.key is not None else "",
        "alarmTopicArn": topic.arn if topic is not None else "",
        **(placement.attachments() if placement is not None else {}),
        **ctx.facts(),
        # A release's children carry the platform's tags too (clouds.release_child_tags).
        "tags": tags.apply(lambda t: json.dumps(t, sort_keys=True)),
        "settings": json.dumps(
            {
                "scaling": args.scaling.__dict__,
                "requireApiKey": args.api.require_api_key,
                "throttleRateLimit": args.api.throttle_rate_limit,
                "throttleBurstLimit": args.api.throttle_burst_limit,
                "quotaLimit": quota.limit if quota else None,
                "quotaPeriod": quota.period if quota else None,
                "stageQuota": args.api.stage_quota,
                "monitoring": args.monitoring.enabled,
                "latencyP99ThresholdMs": args.monitoring.latency_p99_threshold_ms,
                "errorRatePercentThreshold": args.monitoring.error_rate_percent_threshold,
                "retainOnDelete": args.artifacts.retain_on_delete,
                # Releases refuse serverless on a platform in a VPC (validation.check_networked_release).
                "networked": args.network is not None,
                **(
                    {"containerEgress": args.network.container_egress, "privateApi": not args.network.public}
                    if args.network is not None
                    else {}
                ),
            },
            sort_keys=True,
        ),
    }
    cdn_domain = dist.domain_name if dist is not None else pulumi.Output.from_input("")
    return PlatformOutputs(
        cloud="aws",
        artifact_store_name=store.bucket.bucket,
        artifact_base_url=pulumi.Output.format("https://{0}/models/", cdn_domain) if dist is not None else "",
        cdn_domain_name=cdn_domain,
        api_base_url=rest.base_url,
        api_key=rest.key_value,
        event_bus_name=bus.bus.name if bus is not None else "",
        release_event_queue_url=bus.queue.url if bus is not None else "",
        alarm_topic_arn=topic.arn if topic is not None else "",
        attachments=attachments,
    )


def release(
    component: pulumi.ComponentResource,
    name: str,
    args: ReleaseArgs,
    scaling: Scaling,
    platform: PlatformState,
    artifact: Artifact,
) -> ReleaseOutputs:
    att = platform.attachments
    settings = platform.settings
    ctx = AwsContext.create(
        component,
        name,
        release_child_tags(platform, args),
        facts=att,
    )
    key = artifact_key(args.model_name, args.api_version, args.version, artifact.sha256)
    upload = aws.s3.BucketObjectv2(
        f"{name}-artifact",
        bucket=att["bucketName"],
        key=key,
        source=artifact.asset,
        content_type="application/gzip",
        server_side_encryption="aws:kms",
        kms_key_id=att["kmsKeyArn"],
        bucket_key_enabled=True,
        tags=ctx.tags,
        # The artifact outlives its release (a version bump, a destroy) as the store does,
        # unless the platform opted out with `artifacts.retainOnDelete: false`. A platform
        # published before this setting existed retains.
        opts=ctx.opts(retain_on_delete=settings.get("retainOnDelete", True)),
    )
    # Alarm-driven rollback needs the platform's alarms; the endpoint name says whether it is on.
    rollback = args.rollout.auto_rollback and bool(settings["monitoring"])
    endpoint_name = serving.endpoint_name(att["endpointPrefix"], args, rollback)
    thresholds = monitoring.Thresholds(
        latency_p99_ms=settings["latencyP99ThresholdMs"], error_rate_percent=settings["errorRatePercentThreshold"]
    )
    if settings["monitoring"]:
        monitoring.endpoint_alarms(ctx, endpoint_name, serving.VARIANT, att["alarmTopicArn"], thresholds)
    served = serving.serving(
        ctx,
        args,
        scaling,
        endpoint_name,
        pulumi.Output.format("s3://{0}/{1}", att["bucketName"], upload.key),
        att["bucketName"],
        att["bucketArn"],
        att["kmsKeyArn"],
        functools.partial(monitoring.rollback_alarms, ctx, endpoint_name, serving.VARIANT, thresholds)
        if rollback
        else None,
        depends_on=[upload],
        network=network.release_network(settings, att),
    )
    stage = api.api_stage(
        ctx,
        api.ApiAttachment(
            rest_api_id=att["restApiId"],
            api_key_id=att["apiKeyId"] if settings["requireApiKey"] else None,
            throttle_rate_limit=settings["throttleRateLimit"],
            throttle_burst_limit=settings["throttleBurstLimit"],
            quota_limit=settings["quotaLimit"],
            quota_period=settings["quotaPeriod"],
            definition=att.get("apiDefinition", ""),
        ),
        args.api_version,
        served.endpoint_name,
        depends_on=[served.endpoint],
    )
    cdn_domain = platform.outputs["cdnDomainName"]
    return ReleaseOutputs(
        artifact_key=upload.key,
        artifact_sha256=artifact.sha256,
        artifact_url=cdn_domain.apply(lambda d: f"https://{d}/{key}" if d else ""),
        endpoint_name=served.verified_endpoint_name,
        invoke_url=pulumi.Output.format("{0}/{1}/predict", platform.outputs["apiBaseUrl"], stage.stage_name),
        # A private API has no CDN path (cdn.distribution).
        cached_invoke_url=cdn_domain.apply(
            lambda d: f"https://{d}/{args.api_version}/predict" if d and not settings.get("privateApi") else ""
        ),
        model_version=args.version,
        api_version=args.api_version,
    )


BACKEND = Backend(platform=platform, release=release)
