"""Benchmark baseline: the example platform and N releases, written inline with pulumi_aws.

No component package: the same child resources the mlserving AWS backend creates
(artifact bucket and its settings, KMS key, CloudFront, API Gateway, EventBridge, SQS,
SNS, and per release the upload, SageMaker model/config/endpoint, autoscaling, alarms
and API stage), written the way a user would write them by hand. Nothing is imported
from the provider. Config: `releases` (default 10).
"""

import gzip
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_random as random

config = pulumi.Config()
RELEASES = config.get_int("releases") or 10
IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"
NAME = "ml"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def policy(document: object) -> pulumi.Output[str]:
    return pulumi.Output.from_input(document).apply(lambda d: json.dumps(d, sort_keys=True))


def assume(service: str) -> pulumi.Output[str]:
    return policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                }
            ],
        }
    )


def pack(directory: Path) -> tuple[str, Path]:
    """model.tar.gz of a directory, reproducible, and its SHA-256."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for item in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(item.relative_to(directory).as_posix())
            info.size = item.stat().st_size
            info.mode = 0o644
            with item.open("rb") as f:
                tar.addfile(info, f)
    sha = hashlib.sha256(buffer.getvalue()).hexdigest()
    target = Path(tempfile.gettempdir()) / f"bench-inline-{sha}.tar.gz"
    target.write_bytes(buffer.getvalue())
    return sha, target


region = aws.get_region_output().region
account = aws.get_caller_identity_output().account_id
partition = aws.get_partition_output().partition
tags = {"team": "ml-platform", "mlserving:platform": NAME}

# ---------------------------------------------------------------- platform
suffix = random.RandomId(f"{NAME}-id", byte_length=4)
prefix = pulumi.Output.concat("mls-", suffix.hex)
key = aws.kms.Key(
    f"{NAME}-key",
    description=f"mlserving platform {NAME}: artifacts, alarms",
    enable_key_rotation=True,
    deletion_window_in_days=30,
    tags=tags,
)
bucket = aws.s3.Bucket(
    f"{NAME}-artifacts", force_destroy=False, tags=tags, opts=pulumi.ResourceOptions(retain_on_delete=True)
)
after_bucket = pulumi.ResourceOptions(depends_on=[bucket])
aws.s3.BucketPublicAccessBlock(
    f"{NAME}-artifacts-public-access",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
    opts=after_bucket,
)
aws.s3.BucketOwnershipControls(
    f"{NAME}-artifacts-ownership", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=after_bucket
)
aws.s3.BucketVersioning(
    f"{NAME}-artifacts-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"}, opts=after_bucket
)
aws.s3.BucketServerSideEncryptionConfiguration(
    f"{NAME}-artifacts-encryption",
    bucket=bucket.id,
    rules=[
        {
            "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn},
            "bucket_key_enabled": True,
        }
    ],
    opts=after_bucket,
)
aws.s3.BucketLifecycleConfiguration(
    f"{NAME}-artifacts-lifecycle",
    bucket=bucket.id,
    rules=[
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {},
            "noncurrent_version_expiration": {"noncurrent_days": 90},
        },
        {
            "id": "abort-incomplete-multipart-uploads",
            "status": "Enabled",
            "filter": {},
            "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
        },
    ],
    opts=after_bucket,
)
aws.s3.BucketNotification(f"{NAME}-artifacts-eventbridge", bucket=bucket.id, eventbridge=True, opts=after_bucket)

# API: one REST API, /predict (POST and GET) straight to the SageMaker runtime.
api = aws.apigateway.RestApi(
    f"{NAME}-api",
    description=f"mlserving platform {NAME}: versioned inference API",
    endpoint_configuration={"types": "REGIONAL"},
    api_key_source="HEADER",
    tags=tags,
)
api_role = aws.iam.Role(
    f"{NAME}-api-role",
    description="mlserving: API Gateway invokes this platform's SageMaker endpoints",
    assume_role_policy=assume("apigateway.amazonaws.com"),
    tags=tags,
)
aws.iam.RolePolicy(
    f"{NAME}-api-invoke",
    role=api_role.id,
    policy=policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sagemaker:InvokeEndpoint",
                    "Resource": pulumi.Output.format(
                        "arn:{0}:sagemaker:{1}:{2}:endpoint/{3}-*", partition, region, account, prefix
                    ),
                }
            ],
        }
    ),
)
predict = aws.apigateway.Resource(
    f"{NAME}-predict", rest_api=api.id, parent_id=api.root_resource_id, path_part="predict"
)
uri = pulumi.Output.format(
    "arn:{0}:apigateway:{1}:runtime.sagemaker:path/endpoints/${{stageVariables.endpoint}}/invocations",
    partition,
    region,
)
GET_TEMPLATE = (
    "{\n#foreach($key in $input.params().querystring.keySet())\n"
    '"$util.escapeJavaScript($key)": "$util.escapeJavaScript($input.params().querystring.get($key))"'
    "#if($foreach.hasNext),#end\n#end\n}"
)
for verb in ("POST", "GET"):
    lower = verb.lower()
    method = aws.apigateway.Method(
        f"{NAME}-predict-{lower}",
        rest_api=api.id,
        resource_id=predict.id,
        http_method=verb,
        authorization="NONE",
        api_key_required=True,
    )
    integration = aws.apigateway.Integration(
        f"{NAME}-predict-{lower}-sagemaker",
        rest_api=api.id,
        resource_id=predict.id,
        http_method=method.http_method,
        type="AWS",
        integration_http_method="POST",
        uri=uri,
        credentials=api_role.arn,
        passthrough_behavior="WHEN_NO_TEMPLATES" if verb == "POST" else "NEVER",
        request_templates={"application/json": GET_TEMPLATE} if verb == "GET" else None,
        request_parameters={"integration.request.header.Content-Type": "'application/json'"} if verb == "GET" else None,
        timeout_milliseconds=29000,
    )
    ok = aws.apigateway.MethodResponse(
        f"{NAME}-predict-{lower}-200",
        rest_api=api.id,
        resource_id=predict.id,
        http_method=method.http_method,
        status_code="200",
    )
    for status, pattern in (("400", r"4\d{2}"), ("500", r"5\d{2}")):
        error = aws.apigateway.MethodResponse(
            f"{NAME}-predict-{lower}-{status}",
            rest_api=api.id,
            resource_id=predict.id,
            http_method=method.http_method,
            status_code=status,
        )
        aws.apigateway.IntegrationResponse(
            f"{NAME}-predict-{lower}-{status}-mapping",
            rest_api=api.id,
            resource_id=predict.id,
            http_method=method.http_method,
            status_code=status,
            selection_pattern=pattern,
            opts=pulumi.ResourceOptions(depends_on=[integration, error]),
        )
    aws.apigateway.IntegrationResponse(
        f"{NAME}-predict-{lower}-200-mapping",
        rest_api=api.id,
        resource_id=predict.id,
        http_method=method.http_method,
        status_code="200",
        opts=pulumi.ResourceOptions(depends_on=[integration, ok]),
    )
key_value = random.RandomPassword(f"{NAME}-api-key-value", length=40, special=False)
api_key = aws.apigateway.ApiKey(
    f"{NAME}-api-key", description=f"mlserving platform {NAME}", enabled=True, value=key_value.result, tags=tags
)
api_domain = pulumi.Output.format("{0}.execute-api.{1}.amazonaws.com", api.id, region)
api_base_url = pulumi.Output.concat("https://", api_domain)

# CDN: CloudFront with the bucket (OAC) and the API as origins.
oac = aws.cloudfront.OriginAccessControl(
    f"{NAME}-oac",
    description="mlserving: CloudFront reads model artifacts",
    origin_access_control_origin_type="s3",
    signing_behavior="always",
    signing_protocol="sigv4",
)
no_cookies: dict[str, Any] = {"cookie_behavior": "none"}
artifact_cache = aws.cloudfront.CachePolicy(  # type: ignore[call-overload]  # TypedDict args built as dicts
    f"{NAME}-artifact-cache",
    comment="mlserving: immutable model artifacts",
    min_ttl=31536000,
    default_ttl=31536000,
    max_ttl=31536000,
    parameters_in_cache_key_and_forwarded_to_origin={
        "cookies_config": no_cookies,
        "headers_config": {"header_behavior": "none"},
        "query_strings_config": {"query_string_behavior": "none"},
        "enable_accept_encoding_gzip": True,
        "enable_accept_encoding_brotli": True,
    },
)
inference_cache = aws.cloudfront.CachePolicy(  # type: ignore[call-overload]
    f"{NAME}-inference-cache",
    comment="mlserving: cacheable GET inference",
    min_ttl=0,
    default_ttl=60,
    max_ttl=300,
    parameters_in_cache_key_and_forwarded_to_origin={
        "cookies_config": no_cookies,
        "headers_config": {"header_behavior": "whitelist", "headers": {"items": ["x-api-key"]}},
        "query_strings_config": {"query_string_behavior": "whitelist", "query_strings": {"items": ["text"]}},
        "enable_accept_encoding_gzip": True,
        "enable_accept_encoding_brotli": True,
    },
)
headers = aws.cloudfront.ResponseHeadersPolicy(
    f"{NAME}-security-headers",
    comment="mlserving: security headers",
    security_headers_config={
        "strict_transport_security": {
            "access_control_max_age_sec": 63072000,
            "include_subdomains": True,
            "preload": True,
            "override": True,
        },
        "content_type_options": {"override": True},
        "frame_options": {"frame_option": "DENY", "override": True},
        "referrer_policy": {"referrer_policy": "strict-origin-when-cross-origin", "override": True},
        "xss_protection": {"protection": True, "mode_block": True, "override": True},
    },
)
read = ["GET", "HEAD"]
cdn = aws.cloudfront.Distribution(
    f"{NAME}-cdn",
    enabled=True,
    comment=f"mlserving platform {NAME}",
    http_version="http2and3",
    is_ipv6_enabled=True,
    price_class="PriceClass_100",
    origins=[
        {
            "origin_id": "artifacts",
            "domain_name": bucket.bucket_regional_domain_name,
            "origin_access_control_id": oac.id,
        },
        {
            "origin_id": "api",
            "domain_name": api_domain,
            "custom_origin_config": {
                "http_port": 80,
                "https_port": 443,
                "origin_protocol_policy": "https-only",
                "origin_ssl_protocols": ["TLSv1.2"],
            },
        },
    ],
    default_cache_behavior={
        "target_origin_id": "artifacts",
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": read,
        "cached_methods": read,
        "cache_policy_id": CACHING_DISABLED,
        "response_headers_policy_id": headers.id,
        "compress": True,
    },
    ordered_cache_behaviors=[
        {
            "path_pattern": "/models/*",
            "target_origin_id": "artifacts",
            "viewer_protocol_policy": "redirect-to-https",
            "allowed_methods": read,
            "cached_methods": read,
            "cache_policy_id": artifact_cache.id,
            "response_headers_policy_id": headers.id,
            "compress": True,
        },
        {
            "path_pattern": "/v*/*",
            "target_origin_id": "api",
            "viewer_protocol_policy": "https-only",
            "allowed_methods": ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
            "cached_methods": read,
            "cache_policy_id": inference_cache.id,
            "origin_request_policy_id": ALL_VIEWER_EXCEPT_HOST,
            "response_headers_policy_id": headers.id,
            "compress": True,
        },
    ],
    restrictions={"geo_restriction": {"restriction_type": "none", "locations": []}},
    viewer_certificate={"cloudfront_default_certificate": True},
    tags=tags,
)
aws.kms.KeyPolicy(
    f"{NAME}-key-policy",
    key_id=key.id,
    policy=policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": pulumi.Output.format("arn:{0}:iam::{1}:root", partition, account)},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchAlarmsPublishToTopic",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                },
                {
                    "Sid": "CloudFrontReadsArtifacts",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "kms:Decrypt",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"AWS:SourceArn": cdn.arn}},
                },
            ],
        }
    ),
)
aws.s3.BucketPolicy(
    f"{NAME}-artifacts-policy",
    bucket=bucket.id,
    policy=policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {
                    "Sid": "CloudFrontReadsModels",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": pulumi.Output.concat(bucket.arn, "/models/*"),
                    "Condition": {"StringEquals": {"AWS:SourceArn": cdn.arn}},
                },
            ],
        }
    ),
    opts=after_bucket,
)
alarms = aws.sns.Topic(f"{NAME}-alarms", kms_master_key_id=key.arn, tags=tags)

# Events: a custom bus with an archive, fed by S3 and SageMaker, delivered to SQS with a DLQ.
bus = aws.cloudwatch.EventBus(f"{NAME}-bus", tags=tags)
aws.cloudwatch.EventArchive(
    f"{NAME}-bus-archive",
    event_source_arn=bus.arn,
    description="mlserving: every release event, for replay",
    retention_days=30,
)
forward_role = aws.iam.Role(f"{NAME}-bus-forward-role", assume_role_policy=assume("events.amazonaws.com"), tags=tags)
aws.iam.RolePolicy(
    f"{NAME}-bus-forward",
    role=forward_role.id,
    policy=policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus.arn}]}
    ),
)
patterns: dict[str, Any] = {
    "artifacts": {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [bucket.bucket]}, "object": {"key": [{"prefix": "models/"}]}},
    },
    "endpoints": {
        "source": ["aws.sagemaker"],
        "detail-type": ["SageMaker Endpoint State Change", "SageMaker Endpoint Deployment State Change"],
        "detail": {"EndpointName": [{"prefix": pulumi.Output.concat(prefix, "-")}]},
    },
}
for kind, pattern in patterns.items():
    rule = aws.cloudwatch.EventRule(
        f"{NAME}-{kind}-events",
        description=f"mlserving: forward {kind} events to the release bus",
        event_pattern=policy(pattern),
        tags=tags,
    )
    aws.cloudwatch.EventTarget(f"{NAME}-{kind}-to-bus", rule=rule.name, arn=bus.arn, role_arn=forward_role.arn)
dlq = aws.sqs.Queue(
    f"{NAME}-release-events-dlq", message_retention_seconds=1209600, sqs_managed_sse_enabled=True, tags=tags
)
queue = aws.sqs.Queue(
    f"{NAME}-release-events",
    message_retention_seconds=1209600,
    sqs_managed_sse_enabled=True,
    redrive_policy=dlq.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})),
    tags=tags,
)
deliver = aws.cloudwatch.EventRule(
    f"{NAME}-deliver-events",
    description="mlserving: deliver every release event to the queue",
    event_bus_name=bus.name,
    event_pattern=policy({"account": [account]}),
    tags=tags,
)
aws.cloudwatch.EventTarget(
    f"{NAME}-deliver-to-queue",
    rule=deliver.name,
    event_bus_name=bus.name,
    arn=queue.arn,
    dead_letter_config={"arn": dlq.arn},
    retry_policy={"maximum_event_age_in_seconds": 86400, "maximum_retry_attempts": 185},
)
for kind, target in (("queue", queue), ("dlq", dlq)):
    aws.sqs.QueuePolicy(
        f"{NAME}-release-events-{kind}-policy",
        queue_url=target.url,
        policy=policy(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DeliveryRuleSends",
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": target.arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": deliver.arn}},
                    },
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sqs:*",
                        "Resource": target.arn,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                ],
            }
        ),
    )

pulumi.export("apiBaseUrl", api_base_url)
pulumi.export("cdnDomainName", cdn.domain_name)

# ---------------------------------------------------------------- releases
# The examples' shared model, from this directory in the repository (or a copy of its layout).
sha, tarball = pack(Path("../../examples/model").resolve())
for index in range(1, RELEASES + 1):
    name = f"sentiment-{index}"
    version = f"1.0.{index}"
    api_version = f"v{index}"
    release_tags = {"mlserving:model": "sentiment", "mlserving:version": version, "mlserving:api-version": api_version}
    object_key = f"models/sentiment/{version}/{sha}/model.tar.gz"
    upload = aws.s3.BucketObjectv2(
        f"{name}-artifact",
        bucket=bucket.bucket,
        key=object_key,
        source=pulumi.FileAsset(str(tarball)),
        content_type="application/gzip",
        server_side_encryption="aws:kms",
        kms_key_id=key.arn,
        bucket_key_enabled=True,
        tags=release_tags,
    )
    endpoint_name = pulumi.Output.format("{0}-sentiment-{1}-{2}", prefix, api_version, "5c0b02")
    dimensions: dict[str, Any] = {"EndpointName": endpoint_name, "VariantName": "primary"}
    common: dict[str, Any] = {
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": 5,
        "datapoints_to_alarm": 3,
        "treat_missing_data": "notBreaching",
        "alarm_actions": [alarms.arn],
        "ok_actions": [alarms.arn],
        "tags": release_tags,
    }
    errors = aws.cloudwatch.MetricAlarm(
        f"{name}-5xx-rate",
        alarm_description=f"mlserving {name}: share of 5xx invocations above 1%",
        threshold=1,
        metric_queries=[
            {
                "id": "errors",
                "metric": {
                    "namespace": "AWS/SageMaker",
                    "metric_name": "Invocation5XXErrors",
                    "dimensions": dimensions,
                    "period": 60,
                    "stat": "Sum",
                },
            },
            {
                "id": "invocations",
                "metric": {
                    "namespace": "AWS/SageMaker",
                    "metric_name": "Invocations",
                    "dimensions": dimensions,
                    "period": 60,
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
        **common,
    )
    latency = aws.cloudwatch.MetricAlarm(
        f"{name}-p99-latency",
        alarm_description=f"mlserving {name}: p99 model latency above 1000 ms",
        namespace="AWS/SageMaker",
        metric_name="ModelLatency",
        dimensions=dimensions,
        extended_statistic="p99",
        period=60,
        threshold=1000 * 1000,
        **common,
    )
    role = aws.iam.Role(
        f"{name}-execution-role",
        description=f"mlserving: SageMaker runs sentiment {version}",
        assume_role_policy=assume("sagemaker.amazonaws.com"),
        tags=release_tags,
    )
    aws.iam.RolePolicy(
        f"{name}-execution",
        role=role.id,
        policy=policy(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "ReadOwnArtifacts",
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": pulumi.Output.format("{0}/models/sentiment/*", bucket.arn),
                    },
                    {
                        "Sid": "DecryptArtifacts",
                        "Effect": "Allow",
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                        "Resource": key.arn,
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
                        "Action": [
                            "logs:CreateLogGroup",
                            "logs:CreateLogStream",
                            "logs:PutLogEvents",
                            "logs:DescribeLogStreams",
                        ],
                        "Resource": pulumi.Output.format(
                            "arn:{0}:logs:{1}:{2}:log-group:/aws/sagemaker/Endpoints/*", partition, region, account
                        ),
                    },
                    {
                        "Sid": "PublishMetrics",
                        "Effect": "Allow",
                        "Action": "cloudwatch:PutMetricData",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
                    },
                ],
            }
        ),
    )
    model = aws.sagemaker.Model(
        f"{name}-model",
        execution_role_arn=role.arn,
        primary_container={
            "image": IMAGE,
            "model_data_url": pulumi.Output.format("s3://{0}/{1}", bucket.bucket, upload.key),
            "environment": None,
        },
        enable_network_isolation=True,
        tags=release_tags,
        opts=pulumi.ResourceOptions(depends_on=[upload]),
    )
    endpoint_config = aws.sagemaker.EndpointConfiguration(
        f"{name}-config",
        production_variants=[
            {
                "variant_name": "primary",
                "model_name": model.name,
                "instance_type": "ml.m5.large",
                "initial_instance_count": 1,
            }
        ],
        tags=release_tags,
    )
    endpoint = aws.sagemaker.Endpoint(
        f"{name}-endpoint",
        name=endpoint_name,
        endpoint_config_name=endpoint_config.name,
        deployment_config={
            "blue_green_update_policy": {
                "traffic_routing_configuration": {"type": "ALL_AT_ONCE", "wait_interval_in_seconds": 600}
            },
            "auto_rollback_configuration": {"alarms": [{"alarm_name": errors.name}, {"alarm_name": latency.name}]},
        },
        tags=release_tags,
    )
    scaling_target = aws.appautoscaling.Target(
        f"{name}-scaling-target",
        service_namespace="sagemaker",
        scalable_dimension="sagemaker:variant:DesiredInstanceCount",
        resource_id=pulumi.Output.format("endpoint/{0}/variant/primary", endpoint.name),
        min_capacity=1,
        max_capacity=4,
    )
    aws.appautoscaling.Policy(
        f"{name}-scaling-policy",
        policy_type="TargetTrackingScaling",
        service_namespace=scaling_target.service_namespace,
        scalable_dimension=scaling_target.scalable_dimension,
        resource_id=scaling_target.resource_id,
        target_tracking_scaling_policy_configuration={
            "predefined_metric_specification": {"predefined_metric_type": "SageMakerVariantInvocationsPerInstance"},
            "target_value": 100,
            "scale_in_cooldown": 300,
            "scale_out_cooldown": 60,
        },
    )
    deployment = aws.apigateway.Deployment(
        f"{name}-deployment",
        rest_api=api.id,
        description=f"mlserving {api_version}",
        opts=pulumi.ResourceOptions(depends_on=[endpoint]),
    )
    stage = aws.apigateway.Stage(
        f"{name}-stage",
        rest_api=api.id,
        deployment=deployment.id,
        stage_name=api_version,
        variables={"endpoint": endpoint.name},
        xray_tracing_enabled=True,
        tags=release_tags,
    )
    aws.apigateway.MethodSettings(
        f"{name}-stage-settings",
        rest_api=api.id,
        stage_name=stage.stage_name,
        method_path="*/*",
        settings={
            "metrics_enabled": True,
            "throttling_rate_limit": 50,
            "throttling_burst_limit": 100,
            "caching_enabled": False,
        },
    )
    plan = aws.apigateway.UsagePlan(
        f"{name}-usage-plan",
        description=f"mlserving {api_version}",
        api_stages=[{"api_id": api.id, "stage": stage.stage_name}],
        throttle_settings={"rate_limit": 50, "burst_limit": 100},
        tags=release_tags,
    )
    aws.apigateway.UsagePlanKey(f"{name}-usage-plan-key", key_id=api_key.id, key_type="API_KEY", usage_plan_id=plan.id)
    pulumi.export(f"v{index}InvokeUrl", pulumi.Output.format("{0}/{1}/predict", api_base_url, stage.stage_name))
