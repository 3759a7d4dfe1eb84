"""The CloudFront distribution: artifact downloads and cacheable inference.

The inference cache key is built here (`inference_cache_policy`): the query string
keys and headers of `cdn.inferenceCache`, plus `x-api-key` whenever the API needs a
key, so a cached response is never served to a caller without the same key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.args import Api, Cdn
from mlserving_provider.clouds.aws import naming
from mlserving_provider.clouds.aws.context import AwsContext

__all__ = ["MANAGED_ALL_VIEWER_EXCEPT_HOST", "MANAGED_CACHING_DISABLED", "CdnDistribution", "distribution"]

# AWS managed policies: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
MANAGED_CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
# Forwards everything but Host, which API Gateway needs to be its own domain.
MANAGED_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ARTIFACT_ORIGIN = "artifacts"
API_ORIGIN = "api"
READ_METHODS = ["GET", "HEAD"]
ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
GEO_TYPES = {"none": "none", "allow": "whitelist", "deny": "blacklist"}


@dataclass(frozen=True)
class CdnDistribution:
    distribution: aws.cloudfront.Distribution
    domain_name: pulumi.Output[str]


def artifact_cache_policy(ctx: AwsContext, settings: Cdn) -> aws.cloudfront.CachePolicy:
    """Artifacts are immutable: one long TTL, nothing but the path in the key."""
    ttl = settings.artifact_ttl_seconds
    name, opts = ctx.child("artifact-cache", naming.CLOUDFRONT_POLICY)
    return aws.cloudfront.CachePolicy(
        name,
        comment="mlserving: immutable model artifacts",
        min_ttl=ttl,
        default_ttl=ttl,
        max_ttl=ttl,
        parameters_in_cache_key_and_forwarded_to_origin={
            "cookies_config": {"cookie_behavior": "none"},
            "headers_config": {"header_behavior": "none"},
            "query_strings_config": {"query_string_behavior": "none"},
            "enable_accept_encoding_gzip": True,
            "enable_accept_encoding_brotli": True,
        },
        opts=opts,
    )


def inference_cache_key(settings: Cdn, api: Api) -> tuple[list[str], list[str]]:
    """The query string keys and headers that form the inference cache key."""
    headers = list(settings.inference_cache.header_keys or [])
    if api.require_api_key:
        headers.append("x-api-key")
    return list(settings.inference_cache.query_string_keys or []), sorted(headers, key=str.lower)


def inference_cache_policy(ctx: AwsContext, settings: Cdn, api: Api) -> aws.cloudfront.CachePolicy:
    """GET/HEAD inference responses, keyed by the configured query keys and headers."""
    cache = settings.inference_cache
    query_keys, headers = inference_cache_key(settings, api)
    name, opts = ctx.child("inference-cache", naming.CLOUDFRONT_POLICY)
    return aws.cloudfront.CachePolicy(
        name,
        comment="mlserving: cacheable GET inference",
        min_ttl=0,
        default_ttl=cache.default_ttl_seconds,
        max_ttl=cache.max_ttl_seconds,
        parameters_in_cache_key_and_forwarded_to_origin={
            "cookies_config": {"cookie_behavior": "none"},
            "headers_config": (
                {"header_behavior": "whitelist", "headers": {"items": headers}}
                if headers
                else {"header_behavior": "none"}
            ),
            "query_strings_config": (
                {"query_string_behavior": "whitelist", "query_strings": {"items": query_keys}}
                if query_keys
                else {"query_string_behavior": "none"}
            ),
            "enable_accept_encoding_gzip": True,
            "enable_accept_encoding_brotli": True,
        },
        opts=opts,
    )


def security_headers_policy(ctx: AwsContext) -> aws.cloudfront.ResponseHeadersPolicy:
    """HSTS (2 years, subdomains, preload), nosniff, DENY framing, strict referrers."""
    name, opts = ctx.child("security-headers", naming.CLOUDFRONT_POLICY)
    return aws.cloudfront.ResponseHeadersPolicy(
        name,
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
        opts=opts,
    )


def distribution(
    ctx: AwsContext,
    settings: Cdn,
    api: Api,
    bucket: aws.s3.Bucket,
    api_domain: pulumi.Output[str] | None,
) -> CdnDistribution:
    """HTTPS-only CloudFront with the bucket (via OAC) and the API as origins.

    `api_domain` None (a private API, `network.public` off): artifacts only. CloudFront cannot reach a
    PRIVATE REST API (its host resolves only inside the VPC, and CloudFront's VPC origins are load
    balancers and EC2 instances only), and an origin that could would make inference public again.
    https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html"""
    oac_name, oac_opts = ctx.child("oac", naming.CLOUDFRONT_OAC)
    oac = aws.cloudfront.OriginAccessControl(
        oac_name,
        description="mlserving: CloudFront reads model artifacts",
        origin_access_control_origin_type="s3",
        signing_behavior="always",
        signing_protocol="sigv4",
        opts=oac_opts,
    )
    artifact_policy = artifact_cache_policy(ctx, settings)
    with_api = api_domain is not None
    inference_policy = (
        inference_cache_policy(ctx, settings, api) if with_api and settings.inference_cache.enabled else None
    )
    headers_policy = security_headers_policy(ctx)
    inference_behavior: dict[str, Any] = {
        "path_pattern": "/v*/*",
        "target_origin_id": API_ORIGIN,
        "viewer_protocol_policy": "https-only",
        "allowed_methods": ALL_METHODS,
        # CloudFront never caches POST: it passes through to the model.
        "cached_methods": READ_METHODS,
        "cache_policy_id": inference_policy.id if inference_policy else MANAGED_CACHING_DISABLED,
        "origin_request_policy_id": MANAGED_ALL_VIEWER_EXCEPT_HOST,
        "response_headers_policy_id": headers_policy.id,
        "compress": True,
    }
    geo = settings.geo_restriction
    custom_domain = settings.custom_domain
    dist = aws.cloudfront.Distribution(  # type: ignore[call-overload]  # TypedDict args built as dicts
        f"{ctx.name}-cdn",
        enabled=True,
        comment=f"mlserving platform {ctx.name}",
        http_version="http2and3",
        is_ipv6_enabled=True,
        price_class=settings.price_class,
        web_acl_id=settings.web_acl_arn,
        aliases=[custom_domain] if custom_domain is not None else None,
        origins=[
            {
                "origin_id": ARTIFACT_ORIGIN,
                "domain_name": bucket.bucket_regional_domain_name,
                "origin_access_control_id": oac.id,
            },
            *(
                [
                    {
                        "origin_id": API_ORIGIN,
                        "domain_name": api_domain,
                        "custom_origin_config": {
                            "http_port": 80,
                            "https_port": 443,
                            "origin_protocol_policy": "https-only",
                            "origin_ssl_protocols": ["TLSv1.2"],
                        },
                    }
                ]
                if with_api
                else []
            ),
        ],
        # Everything outside models/ and /v*/ is refused by the bucket policy; never cached.
        default_cache_behavior={
            "target_origin_id": ARTIFACT_ORIGIN,
            "viewer_protocol_policy": "redirect-to-https",
            "allowed_methods": READ_METHODS,
            "cached_methods": READ_METHODS,
            "cache_policy_id": MANAGED_CACHING_DISABLED,
            "response_headers_policy_id": headers_policy.id,
            "compress": True,
        },
        ordered_cache_behaviors=[
            {
                "path_pattern": "/models/*",
                "target_origin_id": ARTIFACT_ORIGIN,
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": READ_METHODS,
                "cached_methods": READ_METHODS,
                "cache_policy_id": artifact_policy.id,
                "response_headers_policy_id": headers_policy.id,
                "compress": True,
            },
            *([inference_behavior] if with_api else []),
        ],
        restrictions={
            "geo_restriction": {
                "restriction_type": GEO_TYPES[geo.restriction_type],
                "locations": list(geo.locations or []),
            }
        },
        viewer_certificate=(
            {
                "acm_certificate_arn": settings.certificate_arn,
                "ssl_support_method": "sni-only",
                "minimum_protocol_version": "TLSv1.2_2021",
            }
            if settings.certificate_arn is not None
            else {"cloudfront_default_certificate": True}
        ),
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    domain = pulumi.Output.from_input(custom_domain) if custom_domain is not None else dist.domain_name
    return CdnDistribution(distribution=dist, domain_name=domain)
