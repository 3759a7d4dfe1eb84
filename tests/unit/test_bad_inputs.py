"""The bad-input catalogue: invalid inputs through the provider's construct path.

Each row goes through `MLServingPlatform.from_inputs` / `ModelRelease.from_inputs`
(what the provider's dispatch table calls) under the mocks, and asserts the complete,
exact list of `(property path, reason)` the engine shows, and that not a single child
resource (nor the component itself) was registered.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest
from mlserving_provider.platform import PLATFORM_TOKEN, MLServingPlatform
from mlserving_provider.platform_ref import OtherReference, PlatformReference
from mlserving_provider.provider import MLServingProvider
from mlserving_provider.release import RELEASE_TOKEN, ModelRelease
from pulumi.output import _OutputData

from tests import mocks

IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1"


@dataclass(frozen=True)
class Bad:
    """One invalid input: the component, the platform's cloud, the inputs, every error."""

    component: str
    cloud: str
    inputs: dict[str, Any]
    errors: list[tuple[str, str]]
    note: str = ""
    # For releases: inputs of the platform the release is attached to.
    platform: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        path, reason = self.errors[0]
        return f"{self.component}-{self.cloud}-{self.note or path + reason.removeprefix(repr(path))[:40]}"


def err(path: str, reason: str) -> tuple[str, str]:
    """An error as the engine shows it: the reason starts with the quoted path."""
    return (path, f"'{path}' {reason}")


def unknown() -> pulumi.Output[Any]:
    """A value the engine does not know yet, as the provider deserializes it in a preview."""
    future: asyncio.Future[_OutputData[Any]] = asyncio.get_event_loop().create_future()
    future.set_result(_OutputData(resources=set(), value=None, is_known=False, is_secret=False))
    return pulumi.Output._from_data(future)


P, R = "platform", "release"
NET_AWS: dict[str, Any] = {
    "vpcId": "vpc-0a1b2c3d",
    "subnetIds": ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
    "routeTableIds": ["rtb-0a1b2c3d"],
}
SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/net/providers/Microsoft.Network/"
NET_AZURE: dict[str, Any] = {
    "subnetId": SUBNET + "virtualNetworks/vnet/subnets/endpoints",
    "apiSubnetId": SUBNET + "virtualNetworks/vnet/subnets/apim",
}
AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"

PLATFORM_ROWS: list[Bad] = [
    # ---- required, enums, types, unknown properties
    Bad(P, "aws", {}, [err("cloud", "is required")], "no cloud"),
    Bad(P, "aws", {"cloud": "gcp"}, [err("cloud", "must be one of 'aws', 'azure' (got 'gcp')")]),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "api": {"stageQuota": 0}},
        [err("api.stageQuota", "must be between 1 and 999 (got 0)")],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "api": {"stageQuota": 20}},
        [
            err(
                "api.stageQuota",
                "is only used when 'cloud' is 'aws' (it states API Gateway's 'Stages per API' and "
                "'Usage plans per API key' quotas)",
            )
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "colour": "red", "scaling": {"replicas": 3}},
        [err("colour", "is not a known property"), err("scaling.replicas", "is not a known property")],
    ),
    Bad(P, "aws", {"cloud": "aws", "scaling": "large"}, [err("scaling", "must be an object (got 'large')")]),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"queryStringKeys": "q"}}},
        [err("cdn.inferenceCache.queryStringKeys", "must be a list (got 'q')")],
    ),
    Bad(P, "aws", {"cloud": "aws", "tags": ["team"]}, [err("tags", "must be a map (got list)")]),
    Bad(P, "aws", {"cloud": "aws", "tags": {"team": 7}}, [err("tags.team", "must be a string (got 7)")]),
    # The clouds' tag rules (schema.json `tags`; the API-model judge checks what each child gets).
    Bad(
        P,
        "aws",
        {"cloud": "aws", "tags": {f"k{i}": "v" for i in range(47)}},
        [
            err(
                "tags",
                "must have at most 46 tags on aws (a resource takes 50, and a release's children carry four of "
                "mlserving's; got 47)",
            )
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "tags": {"k" * 129: "v", "team": "v" * 257}},
        [
            err(f"tags.{'k' * 129}", "must have a key of 1 to 128 characters (got 129)"),
            err("tags.team", "must have a value of at most 256 characters (got 257)"),
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "tags": {"AWS:owner": "me", "cost#centre": "a&b"}},
        [
            err("tags.AWS:owner", "must not start with 'aws:' (AWS reserves the prefix for its own tags)"),
            err(
                "tags.cost#centre",
                "must have a key of only letters, digits, spaces and '_ . : / = + - @' on AWS (got 'cost#centre')",
            ),
            err(
                "tags.cost#centre",
                "must have a value of only letters, digits, spaces and '_ . : / = + - @' on AWS (got 'a&b')",
            ),
        ],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "tags": {f"k{i}": "v" for i in range(15)}},
        [
            err(
                "tags",
                "must have at most 14 tags on azure (Azure API Management and Front Door take 15, and they carry "
                "'mlserving:platform'; got 15)",
            )
        ],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "tags": {"a/b": "v", "team:owner": "v"}},
        [
            err("tags.a/b", "must not contain '/' in its key on Azure"),
            err(
                "tags.team:owner",
                "must not contain ':' in its key on Azure (Azure Front Door refuses '#' and ':' in tag names)",
            ),
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"minReplicas": 1.5}},
        [err("scaling.minReplicas", "must be an integer (got 1.5)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "artifacts": {"retainOnDelete": "yes"}},
        [err("artifacts.retainOnDelete", "must be a boolean (got 'yes')")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "api": {"throttleRateLimit": "fast"}},
        [err("api.throttleRateLimit", "must be a number (got 'fast')")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": unknown()},
        [err("cloud", "must be a plain value known before deployment (got an Output)")],
        "cloud unknown",
    ),
    # ---- ranges
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"minReplicas": 0}},
        [err("scaling.minReplicas", "must be between 1 and 100 (got 0)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"maxReplicas": 101}},
        [err("scaling.maxReplicas", "must be between 1 and 100 (got 101)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"targetInvocationsPerReplica": 0, "scaleInCooldownSeconds": 4000}},
        [
            err("scaling.targetInvocationsPerReplica", "must be >= 1 (got 0)"),
            err("scaling.scaleInCooldownSeconds", "must be between 0 and 3600 (got 4000)"),
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"scaleOutCooldownSeconds": -1}},
        [err("scaling.scaleOutCooldownSeconds", "must be between 0 and 3600 (got -1)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "artifacts": {"noncurrentVersionExpirationDays": 4000}},
        [err("artifacts.noncurrentVersionExpirationDays", "must be between 1 and 3650 (got 4000)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"artifactTtlSeconds": 31_536_001}},
        [err("cdn.artifactTtlSeconds", "must be between 0 and 31536000 (got 31536001)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "api": {"throttleRateLimit": -1, "throttleBurstLimit": 0}},
        [
            err("api.throttleRateLimit", "must be > 0 (got -1)"),
            err("api.throttleBurstLimit", "must be >= 1 (got 0)"),
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "api": {"quota": {"limit": 0, "period": "DAY"}}},
        [err("api.quota.limit", "must be >= 1 (got 0)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "events": {"archiveRetentionDays": 40_000}},
        [err("events.archiveRetentionDays", "must be between 0 and 36500 (got 40000)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "monitoring": {"errorRatePercentThreshold": 150, "latencyP99ThresholdMs": 0}},
        [
            err("monitoring.latencyP99ThresholdMs", "must be > 0 (got 0)"),
            err("monitoring.errorRatePercentThreshold", "must be > 0 and <= 100 (got 150)"),
        ],
    ),
    # ---- min above max, TTL order
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"minReplicas": 5, "maxReplicas": 2}},
        [err("scaling.maxReplicas", "must be >= 'scaling.minReplicas' (got 2 < 5)")],
        "min above max",
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"defaultTtlSeconds": 3600}}},
        [
            err(
                "cdn.inferenceCache.maxTtlSeconds",
                "must be >= 'cdn.inferenceCache.defaultTtlSeconds' (got 300 < 3600)",
            )
        ],
        "default TTL above the default max TTL",
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"defaultTtlSeconds": -1, "maxTtlSeconds": -5}}},
        [
            err("cdn.inferenceCache.defaultTtlSeconds", "must be between 0 and 31536000 (got -1)"),
            err("cdn.inferenceCache.maxTtlSeconds", "must be between 0 and 31536000 (got -5)"),
            err("cdn.inferenceCache.maxTtlSeconds", "must be >= 'cdn.inferenceCache.defaultTtlSeconds' (got -5 < -1)"),
        ],
        "negative TTLs",
    ),
    # ---- cache key
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": ["Accept", "x-api-key"]}}},
        [
            err(
                "cdn.inferenceCache.headerKeys[1]",
                "must not be 'x-api-key': it is added to the cache key whenever 'api.requireApiKey' is on",
            )
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": ["Accept: */*"], "queryStringKeys": [""]}}},
        [
            err("cdn.inferenceCache.queryStringKeys[0]", "must be a valid querystring name (got '')"),
            err("cdn.inferenceCache.headerKeys[0]", "must be a valid header name (got 'Accept: */*')"),
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"headerKeys": [f"h{i}" for i in range(10)]}}},
        [err("cdn.inferenceCache.headerKeys", "must have at most 9 entries (got 10)")],
        "10 headers plus the API key header",
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"queryStringKeys": ["model", "Model"]}}},
        [err("cdn.inferenceCache.queryStringKeys[1]", "is listed twice (got 'Model')")],
    ),
    # ---- CDN settings that contradict each other
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"priceClass": "PriceClass_Cheap"}},
        [
            err(
                "cdn.priceClass",
                "must be one of 'PriceClass_100', 'PriceClass_200', 'PriceClass_All' (got 'PriceClass_Cheap')",
            )
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"customDomain": "models.example.com"}},
        [err("cdn.certificateArn", "is required when 'cdn.customDomain' is set (an ACM certificate in us-east-1)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"certificateArn": CERT}},
        [err("cdn.customDomain", "is required when 'cdn.certificateArn' is set")],
    ),
    Bad(
        P,
        "aws",
        {
            "cloud": "aws",
            "cdn": {"customDomain": "m.example.com", "certificateArn": "arn:aws:acm:eu-west-1:1:certificate/x"},
        },
        [
            err(
                "cdn.certificateArn",
                "must be an ACM certificate ARN in us-east-1, as CloudFront requires "
                "(got 'arn:aws:acm:eu-west-1:1:certificate/x')",
            )
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"webAclArn": "arn:aws:wafv2:eu-west-1:1:regional/webacl/a/b"}},
        [
            err(
                "cdn.webAclArn",
                "must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT "
                "(got 'arn:aws:wafv2:eu-west-1:1:regional/webacl/a/b')",
            )
        ],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"geoRestriction": {"restrictionType": "deny"}}},
        [err("cdn.geoRestriction.locations", "is required when 'cdn.geoRestriction.restrictionType' is 'deny'")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"geoRestriction": {"locations": ["DE"]}}},
        [err("cdn.geoRestriction.locations", "must be empty when 'cdn.geoRestriction.restrictionType' is 'none'")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"geoRestriction": {"restrictionType": "allow", "locations": ["DEU", "fr"]}}},
        [
            err("cdn.geoRestriction.locations[0]", "must be an ISO 3166-1 alpha-2 code like 'DE' (got 'DEU')"),
            err("cdn.geoRestriction.locations[1]", "must be an ISO 3166-1 alpha-2 code like 'DE' (got 'fr')"),
        ],
    ),
    Bad(
        P,
        "aws",
        {
            "cloud": "aws",
            "cdn": {
                "enabled": False,
                "customDomain": "m.example.com",
                "certificateArn": CERT,
                "webAclArn": "arn:aws:wafv2:us-east-1:1:global/webacl/a/b",
            },
        },
        [err("cdn.customDomain", "needs 'cdn.enabled'"), err("cdn.webAclArn", "needs 'cdn.enabled'")],
        "CDN options with the CDN disabled",
    ),
    # ---- API, monitoring settings that contradict each other
    Bad(
        P,
        "aws",
        {"cloud": "aws", "api": {"requireApiKey": False, "quota": {"limit": 100, "period": "DAY"}}},
        [err("api.quota", "needs 'api.requireApiKey' (quotas are counted per API key)")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "api": {"quota": {"limit": 100, "period": "YEAR"}}},
        [err("api.quota.period", "must be one of 'DAY', 'WEEK', 'MONTH' (got 'YEAR')")],
    ),
    Bad(P, "aws", {"cloud": "aws", "api": {"quota": {"limit": 100}}}, [err("api.quota.period", "is required")]),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "monitoring": {"alarmEmail": "ops at example.com"}},
        [err("monitoring.alarmEmail", "must be an e-mail address (got 'ops at example.com')")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "monitoring": {"enabled": False, "alarmEmail": "ops@example.com"}},
        [err("monitoring.alarmEmail", "needs 'monitoring.enabled'")],
    ),
    # ---- options the chosen cloud does not support
    Bad(
        P,
        "aws",
        {"cloud": "aws", "azure": {"location": "westeurope"}},
        [err("azure", "is only used when 'cloud' is 'azure' (got cloud 'aws')")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "artifacts": {"kmsKeyArn": "alias/models"}},
        [err("artifacts.kmsKeyArn", "must be a KMS key ARN (got 'alias/models')")],
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "scaling": {"targetCpuPercent": 50}},
        [
            err(
                "scaling.targetCpuPercent",
                "is only used when 'cloud' is 'azure' (SageMaker scales on invocations: "
                "use 'scaling.targetInvocationsPerReplica')",
            )
        ],
    ),
    # ---- storage redundancy: only on Azure, ZRS and GZRS only where the region offers them (issue 18 Azure 9)
    Bad(
        P,
        "aws",
        {"cloud": "aws", "artifacts": {"redundancy": "ZRS"}},
        [
            err(
                "artifacts.redundancy",
                "is only used when 'cloud' is 'azure' (got cloud 'aws': S3 stores every object in at least three "
                "availability zones)",
            )
        ],
    ),
    Bad(
        P,
        "azure",
        {"cloud": "azure", "azure": {"location": "westus"}, "artifacts": {"redundancy": "ZRS"}},
        [
            err(
                "artifacts.redundancy",
                "must be 'LRS' or 'GRS' in Azure region 'westus', where Azure Storage offers no zone-redundant "
                "storage: ZRS and GZRS are offered only in the regions listed at https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs "
                "(mlserving's copy, read on 2026-12-06, may lag it) (got 'ZRS')",
            )
        ],
        "zrs in westus",
    ),
    Bad(
        P,
        "azure",
        {"cloud": "azure", "azure": {"location": "Italy North"}, "artifacts": {"redundancy": "GZRS"}},
        [
            err(
                "artifacts.redundancy",
                "must be 'LRS', 'ZRS' or 'GRS' in Azure region 'Italy North', where Azure Storage offers no "
                "geo-zone-redundant storage: GZRS is offered only in the regions listed at https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs "
                "(mlserving's copy, read on 2026-12-06, may lag it) (got 'GZRS')",
            )
        ],
        "gzrs in a zrs region without gzrs",
    ),
    Bad(
        P,
        "azure",
        {"cloud": "azure", "azure": {"location": "West US"}, "artifacts": {"redundancy": "GZRS"}},
        [
            err(
                "artifacts.redundancy",
                "must be 'LRS' or 'GRS' in Azure region 'West US', where Azure Storage offers no geo-zone-redundant "
                "storage: GZRS is offered only in the regions listed at https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs "
                "(mlserving's copy, read on 2026-12-06, may lag it) (got 'GZRS')",
            )
        ],
        "gzrs in a display-named region without zrs",
    ),
    Bad(
        P,
        "azure",
        {**AZ, "artifacts": {"redundancy": "RAGRS"}},
        [err("artifacts.redundancy", "must be one of 'LRS', 'ZRS', 'GRS', 'GZRS' (got 'RAGRS')")],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "artifacts": {"redundancy": unknown()}},
        [err("artifacts.redundancy", "must be a plain value known before deployment (got an Output)")],
        "redundancy unknown",
    ),
    # ---- Azure: a missing location, and what only AWS offers
    Bad(
        P,
        "azure",
        {"cloud": "azure"},
        [err("azure", "is required when 'cloud' is 'azure' (set 'azure.location')")],
    ),
    Bad(P, "azure", {"cloud": "azure", "azure": {}}, [err("azure.location", "is required")]),
    Bad(
        P,
        "azure",
        {**AZ, "artifacts": {"kmsKeyArn": "arn:aws:kms:eu-west-1:1:key/x"}},
        [err("artifacts.kmsKeyArn", "is only used when 'cloud' is 'aws' (got cloud 'azure')")],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "cdn": {"customDomain": "m.example.com", "certificateArn": CERT}},
        [err("cdn.certificateArn", "is only used when 'cloud' is 'aws' (got cloud 'azure')")],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "cdn": {"webAclArn": "arn:aws:wafv2:us-east-1:1:global/webacl/a/b"}},
        [err("cdn.webAclArn", "is only used when 'cloud' is 'aws' (got cloud 'azure')")],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "cdn": {"priceClass": "PriceClass_All"}},
        [err("cdn.priceClass", "is only used when 'cloud' is 'aws' (Azure Front Door has no price classes)")],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "cdn": {"geoRestriction": {"restrictionType": "deny", "locations": ["KP"]}}},
        [
            err(
                "cdn.geoRestriction",
                "is only used when 'cloud' is 'aws' (Azure Front Door filters countries with a WAF policy, "
                "which this version does not create)",
            )
        ],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "cdn": {"inferenceCache": {"headerKeys": ["Accept"]}}},
        [
            err(
                "cdn.inferenceCache.headerKeys",
                "is only used when 'cloud' is 'aws' (Azure Front Door keys its cache on query strings only: "
                "use 'cdn.inferenceCache.queryStringKeys')",
            )
        ],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "scaling": {"targetInvocationsPerReplica": 50}},
        [
            err(
                "scaling.targetInvocationsPerReplica",
                "is only used when 'cloud' is 'aws' (Azure scales on CPU: use 'scaling.targetCpuPercent')",
            )
        ],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "scaling": {"scaleOutCooldownSeconds": 30}},
        [
            err(
                "scaling.scaleOutCooldownSeconds",
                "must be at least 60 on Azure, whose autoscale cooldowns are at least one minute (got 30)",
            )
        ],
    ),
    Bad(
        P,
        "azure",
        {**AZ, "scaling": {"minReplicas": 4, "maxReplicas": 2}},
        [err("scaling.maxReplicas", "must be >= 'scaling.minReplicas' (got 2 < 4)")],
        "min above max",
    ),
    # ---- issue 11 AWS 6: CloudFront refuses all-zero TTLs on a policy that compresses or has a key
    Bad(
        P,
        "aws",
        {
            "cloud": "aws",
            "cdn": {"artifactTtlSeconds": 0, "inferenceCache": {"defaultTtlSeconds": 0, "maxTtlSeconds": 0}},
        },
        [
            err(
                "cdn.artifactTtlSeconds",
                "must be at least 1 on AWS: CloudFront refuses a cache policy whose TTLs are all 0 when it "
                "compresses, and artifact paths are immutable, so caching them is always safe (got 0)",
            ),
            err(
                "cdn.inferenceCache.maxTtlSeconds",
                "must be at least 1 on AWS while 'cdn.inferenceCache.enabled' is on: CloudFront refuses a cache "
                "policy whose TTLs are all 0 when it has a cache key or compresses; set 'cdn.inferenceCache.enabled' "
                "to false to not cache inference (got 0)",
            ),
        ],
        "every CloudFront TTL 0",
    ),
    # ---- private networking (issue 21)
    Bad(P, "aws", {"cloud": "aws", "network": {}}, [err("network.aws", "is required when 'cloud' is 'aws'")]),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "network": {"aws": NET_AWS, "azure": NET_AZURE}},
        [err("network.azure", "is only used when 'cloud' is 'azure' (got cloud 'aws')")],
    ),
    Bad(
        P,
        "aws",
        {
            "cloud": "aws",
            "network": {
                "aws": {
                    "vpcId": "vpc-1",
                    "subnetIds": [f"subnet-{i:08x}" for i in range(16)] + ["subnet-0a1b2c3d"],
                    "securityGroupIds": ["sg-0a1b2c3d", "sg-0a1b2c3d", "sg-xyz"],
                    "routeTableIds": ["rtb-0a1b2c3d"],
                }
            },
        },
        [
            err("network.aws.vpcId", "must be an id like 'vpc-0a1b2c3d' (got 'vpc-1')"),
            err("network.aws.subnetIds", "must have 1 to 16 entries (got 17)"),
            err("network.aws.securityGroupIds[1]", "is listed twice (got 'sg-0a1b2c3d')"),
            err("network.aws.securityGroupIds[2]", "must be an id like 'sg-0a1b2c3d' (got 'sg-xyz')"),
        ],
        "aws ids and counts",
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "network": {"aws": {**NET_AWS, "routeTableIds": None, "s3EndpointId": "vpce-0a1b2c3d"}}},
        [
            err(
                "network.aws.routeTableIds",
                "is required when 'network.createEndpoints' is on (the S3 gateway endpoint is a route in them)",
            ),
            err("network.aws.s3EndpointId", "is only used when 'network.createEndpoints' is off"),
        ],
        "endpoints created",
    ),
    Bad(
        P,
        "aws",
        {
            "cloud": "aws",
            "cdn": {"enabled": False},
            "network": {"public": False, "createEndpoints": False, "aws": NET_AWS},
        },
        [
            err("network.aws.routeTableIds", "is only used when 'network.createEndpoints' is on"),
            err(
                "network.aws.s3EndpointId",
                "is required when 'network.createEndpoints' is off (the models read their artifacts through it)",
            ),
            err(
                "network.aws.apiEndpointIds",
                "is required when 'network.createEndpoints' and 'network.public' are off (the private API admits "
                "calls only through them)",
            ),
        ],
        "endpoints given",
    ),
    Bad(
        P,
        "aws",
        {"cloud": "aws", "cdn": {"inferenceCache": {"enabled": True}}, "network": {"public": False, "aws": NET_AWS}},
        [
            err(
                "cdn.inferenceCache.enabled",
                "must be off when 'network.public' is off: CloudFront cannot reach a private REST API (its VPC origins "
                "are load balancers and EC2 instances)",
            )
        ],
        "private api cached",
    ),
    Bad(
        P,
        "azure",
        {**AZ, "network": {"public": False, "azure": {**NET_AZURE, "subnetId": "subnet-1"}}},
        [
            err(
                "network.azure.subnetId",
                "must be a subnet's ARM id like '/subscriptions/<id>/resourceGroups/<group>/providers/"
                "Microsoft.Network/virtualNetworks/<network>/subnets/<subnet>' (got 'subnet-1')",
            ),
            err(
                "network.azure.apiSku",
                "is required when 'network.public' is off: the API Management tiers that start private cost from "
                "about 50 USD a month (Developer, no SLA) to about 2,800 USD a month (Premium), so you choose",
            ),
        ],
        "azure private without a tier",
    ),
    Bad(
        P,
        "azure",
        {**AZ, "network": {"public": False, "azure": {**NET_AZURE, "apiSku": "StandardV2"}}},
        [
            err(
                "network.azure.apiSku",
                "must be 'Developer' or 'Premium' when 'network.public' is off: Standard v2 can turn its "
                "public access off only once a private endpoint to it exists, which one deployment cannot do",
            )
        ],
        "azure private standard v2",
    ),
    Bad(
        P,
        "azure",
        {**AZ, "network": {"azure": {**NET_AZURE, "apiSku": "Consumption"}}},
        [
            err(
                "network.azure.apiSku",
                "must be one of 'StandardV2', 'Developer', 'Premium' (got 'Consumption')",
            )
        ],
        "azure consumption",
    ),
]


def _release(**overrides: Any) -> dict[str, Any]:
    return {"modelName": "fraud", "version": "1.0.0", "apiVersion": "v1", "image": IMAGE, **overrides}


SERVERLESS = {"memorySizeMb": 2048, "maxConcurrency": 20}
NAME_RULE = "must be 1 to 32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen"
SEMVER_RULE = "must be a semantic version like '1.4.0'"
API_RULE = "must be 'v' and a number from 1 to 999, like 'v1'"


def stage_quota(quota: int, got: str) -> str:
    """The refusal of an API version past the platform's `api.stageQuota` (with an API key)."""
    return (
        f"must be at most 'v{quota}' on this platform: each API version is a stage of the platform's REST API and a "
        f"usage plan holding its API key, and the platform's 'api.stageQuota' states API Gateway's 'Stages per API' "
        f"and 'Usage plans per API key' quotas as {quota} (10 unless raised). API versions are counted by their "
        "number: number them from 'v1', or raise both in Service Quotas and set the platform's 'api.stageQuota' to "
        f"the new value (got {got!r})"
    )


RELEASE_ROWS: list[Bad] = [
    # ---- malformed names, semver, API versions
    Bad(R, "aws", _release(modelName="Fraud"), [err("modelName", f"{NAME_RULE} (got 'Fraud')")], "upper case name"),
    Bad(R, "aws", _release(modelName="fraud-"), [err("modelName", f"{NAME_RULE} (got 'fraud-')")], "trailing hyphen"),
    Bad(R, "aws", _release(modelName="1fraud"), [err("modelName", f"{NAME_RULE} (got '1fraud')")], "leading digit"),
    Bad(R, "aws", _release(modelName="f" * 33), [err("modelName", f"{NAME_RULE} (got '{'f' * 33}')")], "33 chars"),
    Bad(R, "aws", _release(modelName="fraud/v1"), [err("modelName", f"{NAME_RULE} (got 'fraud/v1')")], "a slash"),
    Bad(R, "aws", _release(version="1.0"), [err("version", f"{SEMVER_RULE} (got '1.0')")], "two parts"),
    Bad(R, "aws", _release(version="v1.0.0"), [err("version", f"{SEMVER_RULE} (got 'v1.0.0')")], "v prefix"),
    Bad(R, "aws", _release(version="1.0.0-"), [err("version", f"{SEMVER_RULE} (got '1.0.0-')")], "empty pre"),
    Bad(R, "aws", _release(version="01.0.0"), [err("version", f"{SEMVER_RULE} (got '01.0.0')")], "leading zero"),
    Bad(R, "aws", _release(apiVersion="v0"), [err("apiVersion", f"{API_RULE} (got 'v0')")], "v0"),
    Bad(R, "aws", _release(apiVersion="V1"), [err("apiVersion", f"{API_RULE} (got 'V1')")], "V1"),
    Bad(R, "aws", _release(apiVersion="v1000"), [err("apiVersion", f"{API_RULE} (got 'v1000')")], "v1000"),
    Bad(R, "aws", _release(apiVersion="v1.1"), [err("apiVersion", f"{API_RULE} (got 'v1.1')")], "v1.1"),
    # ---- API Gateway's quotas: a stage per API version and a usage plan holding the key (issue 18 AWS 2)
    Bad(R, "aws", _release(apiVersion="v11"), [err("apiVersion", stage_quota(10, "v11"))], "v11"),
    Bad(
        R,
        "aws",
        _release(serverless={"memorySizeMb": 2048}, rollout={"strategy": "allAtOnce"}),
        [
            err(
                "serverless",
                "is not available on a platform with 'network': SageMaker Serverless Inference cannot run in a VPC",
            )
        ],
        "serverless in a vpc",
        platform={"network": {"aws": NET_AWS}},
    ),
    Bad(
        R,
        "aws",
        _release(apiVersion="v21"),
        [err("apiVersion", stage_quota(20, "v21"))],
        "v21 past a raised quota",
        platform={"api": {"stageQuota": 20}},
    ),
    # ---- required, types, plain values
    Bad(
        R,
        "aws",
        {"image": IMAGE, "artifact": None},
        [
            err("modelName", "is required"),
            err("version", "is required"),
            err("apiVersion", "is required"),
            err("artifact", "is required"),
        ],
        "missing required",
    ),
    Bad(
        R,
        "aws",
        _release(modelName=unknown()),
        [err("modelName", "must be a plain value known before deployment (got an Output)")],
        "unknown model name",
    ),
    Bad(R, "aws", _release(version=1), [err("version", "must be a string (got 1)")], "number version"),
    Bad(
        R,
        "aws",
        _release(environment={"THREADS": 4}),
        [err("environment.THREADS", "must be a string (got 4)")],
    ),
    Bad(R, "aws", _release(image=None), [err("image", "is required")], "no image"),
    Bad(
        R,
        "aws",
        _release(artifact="model.tar.gz"),
        [err("artifact", "must be an Asset or an Archive (got 'model.tar.gz')")],
        "artifact a string",
    ),
    Bad(
        R,
        "aws",
        _release(artifact=pulumi.StringAsset("weights")),
        [
            err(
                "artifact",
                "must be a FileAsset (a model file or model.tar.gz) or a FileArchive (a model directory) "
                "(got StringAsset)",
            )
        ],
        "artifact in memory",
    ),
    Bad(
        R,
        "aws",
        _release(artifact=pulumi.FileArchive("/nonexistent/model")),
        [err("artifact", "does not exist: '/nonexistent/model' (resolved to '/nonexistent/model')")],
        "artifact missing",
    ),
    # ---- ranges
    Bad(
        R,
        "aws",
        _release(rollout={"strategy": "canary", "canaryPercent": 0}),
        [err("rollout.canaryPercent", "must be between 1 and 50 (got 0)")],
    ),
    Bad(
        R,
        "aws",
        _release(rollout={"strategy": "linear", "linearStepPercent": 60}),
        [err("rollout.linearStepPercent", "must be between 10 and 50 (got 60)")],
    ),
    Bad(
        R,
        "aws",
        _release(rollout={"waitSeconds": -1}),
        [err("rollout.waitSeconds", "must be between 0 and 3600 (got -1)")],
    ),
    Bad(
        R,
        "aws",
        _release(rollout={"strategy": "blueGreen"}),
        [err("rollout.strategy", "must be one of 'allAtOnce', 'canary', 'linear' (got 'blueGreen')")],
    ),
    Bad(
        R,
        "aws",
        _release(dataCapture={"enabled": True, "samplingPercent": 101}),
        [err("dataCapture.samplingPercent", "must be between 1 and 100 (got 101)")],
    ),
    # ---- min above max against the platform's defaults
    Bad(
        R,
        "aws",
        _release(scaling={"minReplicas": 6}),
        [err("scaling.maxReplicas", "must be >= 'scaling.minReplicas' (got 4 < 6)")],
        "min above the platform's max",
    ),
    Bad(
        R,
        "aws",
        _release(scaling={"maxReplicas": 2}),
        [err("scaling.maxReplicas", "must be >= 'scaling.minReplicas' (got 2 < 3)")],
        "max below the platform's min",
        platform={"scaling": {"minReplicas": 3, "maxReplicas": 6}},
    ),
    # ---- unknown instance type families
    Bad(
        R,
        "aws",
        _release(instanceType="m5.large"),
        [
            err(
                "instanceType",
                "must be a SageMaker instance type starting with 'ml.', like 'ml.m5.large' (got 'm5.large')",
            )
        ],
        "EC2 type",
    ),
    Bad(
        R,
        "aws",
        _release(instanceType="ml.zz9.large"),
        [
            err(
                "instanceType",
                "must be a SageMaker instance type like 'ml.m5.large' or 'ml.g5.2xlarge' "
                "(got 'ml.zz9.large': unknown instance family 'zz9')",
            )
        ],
        "unknown family",
    ),
    Bad(
        R,
        "aws",
        _release(instanceType="ml.m5.huge"),
        [
            err(
                "instanceType",
                "must be a SageMaker instance type like 'ml.m5.large' or 'ml.g5.2xlarge' "
                "(got 'ml.m5.huge': unknown instance size 'huge')",
            )
        ],
        "unknown size",
    ),
    Bad(
        R,
        "aws",
        _release(instanceType="Standard_DS3_v2"),
        [
            err(
                "instanceType",
                "must be a SageMaker instance type starting with 'ml.', like 'ml.m5.large' (got 'Standard_DS3_v2')",
            )
        ],
        "an Azure VM size on AWS",
    ),
    # ---- serverless settings that contradict each other
    Bad(
        R,
        "aws",
        _release(serverless={"memorySizeMb": 1000}),
        [err("serverless.memorySizeMb", "must be one of 1024, 2048, 3072, 4096, 5120, 6144 (got 1000)")],
    ),
    Bad(
        R,
        "aws",
        _release(serverless={"maxConcurrency": 0}),
        [err("serverless.maxConcurrency", "must be between 1 and 200 (got 0)")],
    ),
    Bad(
        R,
        "aws",
        _release(
            serverless=SERVERLESS,
            instanceType="ml.m5.large",
            scaling={"maxReplicas": 8},
            rollout={"strategy": "linear"},
            dataCapture={"enabled": True},
        ),
        [
            err("instanceType", "must not be set with 'serverless' (serverless endpoints have no instances)"),
            err("scaling", "must not be set with 'serverless' (SageMaker scales serverless endpoints by itself)"),
            err(
                "rollout.strategy",
                "must be 'allAtOnce' with 'serverless': SageMaker serverless endpoints support only all-at-once "
                "traffic shifting (got 'linear')",
            ),
            err("dataCapture.enabled", "is not supported by SageMaker serverless endpoints"),
        ],
        "serverless with instances, scaling, linear rollout and capture",
    ),
    # ---- the platform reference
    Bad(
        R,
        "aws",
        _release(platform=None),
        [err("platform", "is required")],
        "no platform",
    ),
    Bad(
        R,
        "aws",
        _release(platform="urn:pulumi:stack::project::mlserving:index:MLServingPlatform::ml"),
        [
            err(
                "platform",
                "must be a reference to a MLServingPlatform (got 'urn:pulumi:stack::project::mlserving:index:MLServingPlatform::ml')",
            )
        ],
        "a URN string",
    ),
    Bad(
        R,
        "aws",
        _release(platform=OtherReference("urn:pulumi:stack::project::mlserving:index:ModelRelease::a", RELEASE_TOKEN)),
        [
            err(
                "platform",
                "must be a reference to an MLServingPlatform (got a reference to mlserving:index:ModelRelease)",
            )
        ],
        "a release as platform",
    ),
    # ---- Azure: what only SageMaker offers
    Bad(
        R,
        "azure",
        _release(serverless={}),
        [err("serverless", "is only available when the platform's cloud is 'aws'")],
    ),
    Bad(
        R,
        "azure",
        _release(rollout={"strategy": "linear"}),
        [
            err(
                "rollout.strategy",
                "must be 'allAtOnce' or 'canary' on Azure: Azure ML cannot shift traffic in linear steps "
                "(got 'linear')",
            )
        ],
    ),
    Bad(
        R,
        "azure",
        _release(dataCapture={"enabled": True}),
        [
            err(
                "dataCapture.enabled",
                "is only available when the platform's cloud is 'aws' (SageMaker data capture; Azure ML "
                "collects data only from its own scoring scripts)",
            )
        ],
    ),
    Bad(
        R,
        "azure",
        _release(instanceType="ml.m5.large"),
        [err("instanceType", "must be an Azure ML VM size like 'Standard_DS3_v2' on Azure (got 'ml.m5.large')")],
        "a SageMaker type on Azure",
    ),
    Bad(
        R,
        "azure",
        _release(scaling={"scaleInCooldownSeconds": 10}),
        [
            err(
                "scaling.scaleInCooldownSeconds",
                "must be at least 60 on Azure, whose autoscale cooldowns are at least one minute (got 10)",
            )
        ],
    ),
    # ---- Azure: request settings (managed online deployments)
    Bad(
        R,
        "azure",
        _release(requestSettings={"requestTimeoutMs": 200000}),
        [err("requestSettings.requestTimeoutMs", "must be between 1 and 180000 (got 200000)")],
        "a request timeout past Azure ML's 180 s",
    ),
    Bad(
        R,
        "aws",
        _release(requestSettings={"maxConcurrentRequestsPerInstance": 4}),
        [
            err(
                "requestSettings",
                "is only used when the platform's cloud is 'azure' (SageMaker puts no concurrency limit in front "
                "of the container, and the request timeout is API Gateway's 29 s)",
            )
        ],
        "request settings on AWS",
    ),
    # ---- Azure: a model version is a positive integer (Azure/azureml-examples#2725)
    Bad(
        R,
        "azure",
        _release(version="2.0.0-rc.1"),
        [
            err(
                "version",
                "must be MAJOR.MINOR.PATCH without a pre-release or build suffix on Azure, whose model versions "
                "are integers (MAJOR * 1000000 + MINOR * 1000 + PATCH) (got '2.0.0-rc.1')",
            )
        ],
        "a pre-release on Azure",
    ),
    Bad(
        R,
        "azure",
        _release(version="1.1000.0"),
        [
            err(
                "version",
                "must have MAJOR <= 2146, MINOR <= 999 and PATCH <= 999 on Azure, whose model versions are "
                "integers (MAJOR * 1000000 + MINOR * 1000 + PATCH) (got '1.1000.0')",
            )
        ],
        "a minor version past 999 on Azure",
    ),
    Bad(
        R,
        "azure",
        _release(version="0.0.0"),
        [
            err(
                "version",
                "must be greater than 0.0.0 on Azure, whose model versions are positive integers (got '0.0.0')",
            )
        ],
        "version 0.0.0 on Azure",
    ),
    # ---- issue 11 AWS 1 and 10: rollouts the AWS provider or SageMaker would not carry out
    Bad(
        R,
        "aws",
        _release(rollout={"strategy": "linear", "linearStepPercent": 10}),
        [
            err(
                "rollout.waitSeconds",
                "must be at most 270 for a 'linear' rollout in 10% steps on AWS: 10 baking periods of 600 s plus "
                "900 s to provision the new fleet take 6900 s (115 min), longer than the 60 minutes the AWS provider "
                "waits for an endpoint update (it fails `pulumi up` while SageMaker goes on deploying): lower "
                "'rollout.waitSeconds' or raise 'rollout.linearStepPercent' (got 600)",
            )
        ],
        "linear rollout past the provider's 60-minute wait",
    ),
    Bad(
        R,
        "aws",
        _release(instanceType="ml.inf1.2xlarge", rollout={"strategy": "linear", "waitSeconds": 60}),
        [
            err(
                "rollout.strategy",
                "must be 'allAtOnce' on 'ml.inf1' instances: SageMaker deployment guardrails exclude Inferentia1 "
                "endpoints, which would shift all at once without saying so (got 'linear')",
            ),
            err(
                "rollout.waitSeconds",
                "must be at least 300 while 'rollout.autoRollback' is on: a release's alarms fire after 3 of 5 "
                "one-minute periods above their threshold, so a shorter baking period ends before they can trip and "
                "SageMaker never rolls back; set 'rollout.autoRollback' to false to shift without watching (got 60)",
            ),
        ],
        "linear on inf1 with a wait the alarms cannot use",
    ),
    Bad(
        R,
        "aws",
        _release(scaling={"minReplicas": 2, "maxReplicas": 6}, rollout={"newFleetReplicas": 1}),
        [
            err(
                "rollout.newFleetReplicas",
                "must be between 'scaling.minReplicas' (2) and 'scaling.maxReplicas' (6) (got 1)",
            )
        ],
        "new fleet below the release's minimum",
    ),
    Bad(
        R,
        "azure",
        _release(rollout={"newFleetReplicas": 2}),
        [err("rollout.newFleetReplicas", "is only used when the platform's cloud is 'aws' (got cloud 'azure')")],
        "new fleet size on Azure",
    ),
    Bad(
        R,
        "aws",
        _release(platform=PlatformReference("urn:pulumi:stack::project::mlserving:index:MLServingPlatform::gone")),
        [
            err(
                "platform",
                "cannot read the platform urn:pulumi:stack::project::mlserving:index:MLServingPlatform::gone: "
                "unknown resource urn:pulumi:stack::project::mlserving:index:MLServingPlatform::gone",
            )
        ],
        "a platform that does not exist",
    ),
]

ROWS = PLATFORM_ROWS + RELEASE_ROWS


def errors_of(build: Callable[[], Any]) -> list[tuple[str, str]]:
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        mocks.run(build)
    assert caught.value.errors is not None
    return [(e["property_path"], e["reason"]) for e in caught.value.errors]


def attach(model_dir: Path, platform: dict[str, Any], cloud: str) -> tuple[mocks.Recorder, dict[str, Any]]:
    """A valid platform under fresh mocks, and the release inputs that reference it."""
    recorder = mocks.install()
    where = {"azure": {"location": "westeurope"}} if cloud == "azure" else {}
    built = mocks.run(
        lambda: MLServingPlatform.from_inputs("ml", {"cloud": cloud, **where, **platform}, pulumi.ResourceOptions())
    )
    return recorder, {
        "platform": PlatformReference(mocks.resolve(built.urn)),
        "artifact": pulumi.FileArchive(str(model_dir)),
    }


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input_is_reported_with_its_path_and_creates_nothing(row: Bad, model_dir: Path) -> None:
    if row.component == P:
        recorder = mocks.install()
        errors = errors_of(lambda: MLServingPlatform.from_inputs("ml", row.inputs, pulumi.ResourceOptions()))
        assert errors == row.errors
        assert recorder.resources == []
        return
    recorder, defaults = attach(model_dir, row.platform, row.cloud)
    before = len(recorder.resources)
    # None removes an input the fixture gives (the platform reference, the artifact).
    inputs = {k: v for k, v in {**defaults, **row.inputs}.items() if v is not None}
    errors = errors_of(functools.partial(ModelRelease.from_inputs, "fraud-v1", inputs, pulumi.ResourceOptions()))
    assert errors == row.errors
    assert recorder.resources[before:] == []


def test_the_catalogue_covers_both_components_with_at_least_40_rows() -> None:
    assert len(ROWS) >= 40
    assert {(row.component, row.cloud) for row in ROWS} == {(P, "aws"), (P, "azure"), (R, "aws"), (R, "azure")}
    assert len({row.id for row in ROWS}) == len(ROWS)


def test_a_second_release_of_the_same_api_version_on_one_platform_is_refused(model_dir: Path) -> None:
    """Two releases on v1 would fight over one API stage, usage plan and endpoint name."""
    recorder, defaults = attach(model_dir, {}, "aws")
    provider = MLServingProvider()
    mocks.run(lambda: provider.construct("fraud-a", RELEASE_TOKEN, {**defaults, **_release()}))
    before = len(recorder.resources)
    assert before > 0
    errors = errors_of(lambda: provider.construct("fraud-b", RELEASE_TOKEN, {**defaults, **_release(version="2.0.0")}))
    assert errors == [
        err(
            "apiVersion",
            "is already served by the ModelRelease 'fraud-a' on this platform (one API version has one stage, "
            "usage plan and endpoint): give one of them another 'apiVersion' (got 'v1')",
        )
    ]
    assert recorder.resources[before:] == []
    # Another API version on the same platform, and the same release built again, are fine.
    mocks.run(lambda: provider.construct("fraud-b", RELEASE_TOKEN, {**defaults, **_release(apiVersion="v2")}))
    mocks.run(lambda: provider.construct("fraud-a", RELEASE_TOKEN, {**defaults, **_release()}))
    assert [r.name for r in recorder.of_type(RELEASE_TOKEN)] == ["fraud-a", "fraud-b", "fraud-a"]


def test_the_same_api_version_on_two_platforms_is_fine(model_dir: Path) -> None:
    recorder, defaults = attach(model_dir, {}, "aws")
    other = mocks.run(lambda: MLServingPlatform.from_inputs("ml2", {"cloud": "aws"}, pulumi.ResourceOptions()))
    provider = MLServingProvider()
    mocks.run(lambda: provider.construct("fraud-a", RELEASE_TOKEN, {**defaults, **_release()}))
    on_other = {**defaults, "platform": PlatformReference(mocks.resolve(other.urn)), **_release()}
    mocks.run(lambda: provider.construct("fraud-b", RELEASE_TOKEN, on_other))
    assert sorted(r.name for r in recorder.of_type(RELEASE_TOKEN)) == ["fraud-a", "fraud-b"]


def test_an_unknown_token_is_refused_before_anything_is_created() -> None:
    recorder = mocks.install()
    with pytest.raises(pulumi.InputPropertiesError) as caught:
        MLServingProvider().construct("x", "mlserving:index:Nope", {"cloud": "aws"})
    assert caught.value.message == (
        f"unknown resource type mlserving:index:Nope; this provider constructs {PLATFORM_TOKEN}, {RELEASE_TOKEN}"
    )
    assert recorder.resources == []
