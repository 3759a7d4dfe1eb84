"""The one validation layer of both components.

`validate_platform` and `validate_release` read raw construct inputs (types, enums,
required properties, against schema.json) and then check the rules across inputs.
Every problem is collected; if there is any, `pulumi.InputPropertiesError` is raised
with all of them, before a single child resource exists. The rule functions are pure
and exported for testing.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import semver

from mlserving_provider._schema import resource_spec, type_spec
from mlserving_provider.args import (
    AzureSettings,
    Cdn,
    Network,
    PlatformArgs,
    Problem,
    ReleaseArgs,
    RequestSettings,
    Rollout,
    Scaling,
    parse,
)
from mlserving_provider.artifact import Artifact, prepare_artifact, unpacked_files

__all__ = [
    "AVAILABLE_CLOUDS",
    "ValidRelease",
    "check_api_stage_quota",
    "check_network",
    "check_networked_release",
    "check_one_cloud_inputs",
    "check_platform",
    "check_release",
    "check_scaling",
    "check_tags",
    "raise_problems",
    "rollout_seconds",
    "validate_platform",
    "validate_release",
]

PLATFORM = "mlserving:index:MLServingPlatform"
RELEASE = "mlserving:index:ModelRelease"

# Clouds whose backend this version ships (see clouds/__init__.py).
AVAILABLE_CLOUDS = ("aws", "azure")
# Inputs with a schema default that only one cloud reads: refused on the other cloud
# when the user sets them (their defaults are harmless there).
ONE_CLOUD_DEFAULTED = {
    "cdn.priceClass": ("aws", "Azure Front Door has no price classes"),
    "scaling.targetInvocationsPerReplica": ("aws", "Azure scales on CPU: use 'scaling.targetCpuPercent'"),
    "scaling.targetCpuPercent": ("azure", "SageMaker scales on invocations: use 'scaling.targetInvocationsPerReplica'"),
    "api.stageQuota": ("aws", "it states API Gateway's 'Stages per API' and 'Usage plans per API key' quotas"),
}
# Azure Monitor autoscale cooldowns are whole ISO 8601 durations of at least one minute.
AZURE_MIN_COOLDOWN = 60
# Azure VM sizes compare without case: Microsoft's list of managed online endpoint sizes writes
# them `STANDARD_DS3_V2` (tests/unit/azure_ml_vm_sizes.txt), the portal `Standard_DS3_v2`.
AZURE_VM_SKU = re.compile(r"^standard_[a-z0-9_]+$", re.IGNORECASE)
AZURE_MAX_REQUEST_TIMEOUT_MS = 180_000

MODEL_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$")
API_VERSION = re.compile(r"^v[1-9][0-9]{0,2}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# ARNs are arn:<partition>:<service>:<region>:<account>:<resource>.
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]+:key/\S+$")
ACM_US_EAST_1_ARN = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:[0-9]+:certificate/\S+$")
WAF_CLOUDFRONT_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]+:global/webacl/[^/\s]+/[^/\s]+$")
# RFC 1123 host names of at least two labels.
HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
# Azure region names (`westeurope`) or display names (`West Europe`).
AZURE_LOCATION = re.compile(r"^[A-Za-z0-9]+( [A-Za-z0-9]+)*$")
# 1 to 90 letters, digits, `_`, `-`, `.`, `(`, `)`, not ending with `.` (Microsoft.Resources naming rules).
AZURE_RESOURCE_GROUP = re.compile(r"^[\w().-]{0,89}[\w()-]$")
SERVERLESS_MEMORY = (1024, 2048, 3072, 4096, 5120, 6144)
# SageMaker hosting families: a series SageMaker offers, a generation, attribute letters and
# a variant (ml.m5d, ml.g6e, ml.p4de, ml.trn1n, ml.dl1, ml.p6-b200, ml.p6e-gb200); new
# generations of these series pass. The ProductionVariantInstanceType enum of the SageMaker API
# lists them (tests/unit/sagemaker_instance_types.txt; https://aws.amazon.com/sagemaker/pricing/).
SAGEMAKER_FAMILY = re.compile(r"^(t|m|c|r|x|g|gr|p|inf|trn|dl)[1-9][0-9]?[a-z]*(-[a-z0-9]+)?$")
SAGEMAKER_SIZE = re.compile(r"^(medium|large|xlarge|[1-9][0-9]?xlarge)$")
MAX_CACHE_KEY_ITEMS = 10
ONE_YEAR = 31_536_000

# The AWS provider waits at most 60 minutes for an endpoint to be InService after a create
# or an update (`waitEndpointInService` in hashicorp/terraform-provider-aws
# internal/service/sagemaker/endpoint.go, raised from 10 by PR #39090); Pulumi's
# customTimeouts cannot lengthen a hard-coded wait. Past it `pulumi up` fails while
# SageMaker goes on deploying.
AWS_ENDPOINT_WAIT_SECONDS = 3600
# Before the first traffic shift SageMaker provisions the new fleet: instances, image pull,
# model download, container health checks. Endpoints taking "a little over 10 minutes" to be
# InService are what made the provider's 10-minute wait too short (PR #39090): 15 minutes
# is the margin counted for it.
FLEET_PROVISIONING_SECONDS = 900
# The release alarms (clouds/aws/monitoring.py) fire after DATAPOINTS of EVALUATION_PERIODS
# one-minute periods above their threshold: a baking period shorter than the window ends
# before they can trip (a test holds these equal to monitoring.py's).
ALARM_PERIOD_SECONDS = 60
ALARM_EVALUATION_PERIODS = 5
ALARM_DATAPOINTS = 3


def raise_problems(component: str, problems: list[Problem]) -> None:
    """Raise every problem at once as the error the engine shows with property paths."""
    if not problems:
        return
    lines = "\n".join(f"  - '{p.path}' {p.reason}" for p in problems)
    raise pulumi.InputPropertiesError(
        f"invalid inputs for {component}:\n{lines}",
        [{"property_path": p.path, "reason": f"'{p.path}' {p.reason}"} for p in problems],
    )


def validate_platform(raw: Mapping[str, Any]) -> PlatformArgs:
    """Parse and check MLServingPlatform inputs; raises InputPropertiesError."""
    args, problems = parse(PLATFORM, raw)
    if args is not None:
        args = _resolve_defaults(args)
        problems += check_platform(args)
        problems += check_one_cloud_inputs(args.cloud, raw)
    raise_problems("MLServingPlatform", problems)
    assert isinstance(args, PlatformArgs)
    return args


def _resolve_defaults(args: PlatformArgs) -> PlatformArgs:
    """The defaults that depend on other inputs (schema.json states them): the inference cache is on unless the
    platform's API is private (`network.public` off)."""
    cache = args.cdn.inference_cache
    if cache.enabled is not None:
        return args
    private = args.network is not None and not args.network.public
    return dataclasses.replace(
        args,
        cdn=dataclasses.replace(args.cdn, inference_cache=dataclasses.replace(cache, enabled=not private)),
    )


@dataclass(frozen=True)
class ValidRelease:
    """ModelRelease inputs that passed validation."""

    args: ReleaseArgs
    scaling: Scaling
    artifact: Artifact


def validate_release(
    raw: Mapping[str, Any],
    platform: Callable[[], tuple[str, Scaling] | tuple[str, Scaling, Mapping[str, Any]]],
) -> ValidRelease:
    """Parse and check ModelRelease inputs; raises InputPropertiesError.

    `platform` reads the attached platform's cloud, default scaling and (optionally) the
    settings it publishes; it is called only once the inputs are well-formed. The artifact
    is packed and hashed here, so a missing file is reported like any other input problem.
    """
    args, problems = parse(RELEASE, raw)
    if args is None:
        raise_problems("ModelRelease", problems)
    assert isinstance(args, ReleaseArgs)
    cloud, platform_scaling, *published = platform()
    scaling = Scaling(**{**platform_scaling.__dict__, **(args.scaling or {})})
    problems += check_release(args, cloud, scaling)
    if cloud == "aws" and published:
        problems += check_api_stage_quota(args.api_version, published[0])
        problems += check_networked_release(args, published[0])
    problems += check_one_cloud_inputs(cloud, {"scaling": raw.get("scaling")}, component="release")
    artifact: Artifact | None = None
    try:
        artifact = prepare_artifact(args.artifact)
        if cloud == "azure":
            # Azure ML gets the tarball's files unpacked, as SageMaker does (see artifact.py).
            unpacked_files(artifact)
    except ValueError as err:
        problems.append(Problem("artifact", str(err)))
    raise_problems("ModelRelease", problems)
    assert artifact is not None
    return ValidRelease(args, scaling, artifact)


# ---------------------------------------------------------------- rules


def _between(path: str, value: float, low: float, high: float) -> Iterable[Problem]:
    if not low <= value <= high:
        yield Problem(path, f"must be between {_n(low)} and {_n(high)} (got {_n(value)})")


def _at_least(path: str, value: float, low: float) -> Iterable[Problem]:
    if value < low:
        yield Problem(path, f"must be >= {_n(low)} (got {_n(value)})")


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _given(value: Any) -> bool:
    """A plain value the user set (Outputs are checked by the cloud at deployment)."""
    return value is not None and isinstance(value, str)


def check_scaling(scaling: Scaling, path: str = "scaling") -> list[Problem]:
    """Replica bounds, targets and cooldowns."""
    out = [
        *_between(f"{path}.minReplicas", scaling.min_replicas, 1, 100),
        *_between(f"{path}.maxReplicas", scaling.max_replicas, 1, 100),
        *_at_least(f"{path}.targetInvocationsPerReplica", scaling.target_invocations_per_replica, 1),
        *_between(f"{path}.targetCpuPercent", scaling.target_cpu_percent, 1, 100),
        *_between(f"{path}.scaleInCooldownSeconds", scaling.scale_in_cooldown_seconds, 0, 3600),
        *_between(f"{path}.scaleOutCooldownSeconds", scaling.scale_out_cooldown_seconds, 0, 3600),
    ]
    if scaling.max_replicas < scaling.min_replicas:
        out.append(
            Problem(
                f"{path}.maxReplicas",
                f"must be >= '{path}.minReplicas' (got {scaling.max_replicas} < {scaling.min_replicas})",
            )
        )
    return out


def _schema_default(path: str) -> Any:
    """The schema default of a `group.field` input of MLServingPlatform (`scaling.targetCpuPercent`)."""
    head, _, tail = path.partition(".")
    token = resource_spec(PLATFORM)["inputProperties"][head]["$ref"].removeprefix("#/types/")
    return type_spec(token)["properties"][tail].get("default")


def check_one_cloud_inputs(cloud: str, raw: Mapping[str, Any], component: str = "platform") -> list[Problem]:
    """Inputs the user set that only the other cloud reads (see ONE_CLOUD_DEFAULTED)."""
    out: list[Problem] = []
    for path, (only, why) in ONE_CLOUD_DEFAULTED.items():
        head, _, tail = path.partition(".")
        group = raw.get(head)
        # The generated SDKs send a schema default as if the user had set it: only another value is refused.
        if cloud != only and isinstance(group, Mapping) and group.get(tail) not in (None, _schema_default(path)):
            where = "the platform's cloud" if component == "release" else "'cloud'"
            out.append(Problem(path, f"is only used when {where} is {only!r} ({why})"))
    return out


def check_platform(args: PlatformArgs) -> list[Problem]:
    """Every rule across MLServingPlatform inputs."""
    out: list[Problem] = []
    if args.cloud not in AVAILABLE_CLOUDS:
        out.append(
            Problem(
                "cloud",
                f"must be one of {', '.join(map(repr, AVAILABLE_CLOUDS))} in this version of mlserving "
                f"(got {args.cloud!r}: its backend is not available yet)",
            )
        )
    if args.cloud == "azure" and args.azure is None:
        out.append(Problem("azure", "is required when 'cloud' is 'azure' (set 'azure.location')"))
    if args.cloud != "azure" and args.azure is not None:
        out.append(Problem("azure", f"is only used when 'cloud' is 'azure' (got cloud {args.cloud!r})"))
    if args.cloud != "azure" and args.artifacts.redundancy is not None:
        out.append(
            Problem(
                "artifacts.redundancy",
                f"is only used when 'cloud' is 'azure' (got cloud {args.cloud!r}: S3 stores every object in at "
                "least three availability zones)",
            )
        )
    if args.cloud != "aws":
        for path, value in (
            ("artifacts.kmsKeyArn", args.artifacts.kms_key_arn),
            ("cdn.certificateArn", args.cdn.certificate_arn),
            ("cdn.webAclArn", args.cdn.web_acl_arn),
        ):
            if value is not None:
                out.append(Problem(path, f"is only used when 'cloud' is 'aws' (got cloud {args.cloud!r})"))
    if args.cloud == "azure":
        out += _check_platform_azure(args)
    if args.azure is not None:
        out += _check_azure_settings(args.azure)

    out += _between(
        "artifacts.noncurrentVersionExpirationDays", args.artifacts.noncurrent_version_expiration_days, 1, 3650
    )
    if _given(args.artifacts.kms_key_arn) and not KMS_KEY_ARN.match(str(args.artifacts.kms_key_arn)):
        out.append(Problem("artifacts.kmsKeyArn", f"must be a KMS key ARN (got {args.artifacts.kms_key_arn!r})"))

    out += _check_cdn(args)
    out += check_network(args)
    out += check_tags(args.cloud, args.tags, args.cdn.enabled)
    out += check_scaling(args.scaling)

    api = args.api
    if api.throttle_rate_limit <= 0:
        out.append(Problem("api.throttleRateLimit", f"must be > 0 (got {_n(api.throttle_rate_limit)})"))
    out += _at_least("api.throttleBurstLimit", api.throttle_burst_limit, 1)
    out += _between("api.stageQuota", api.stage_quota, 1, 999)
    if api.quota is not None:
        out += _at_least("api.quota.limit", api.quota.limit, 1)
        if not api.require_api_key:
            out.append(Problem("api.quota", "needs 'api.requireApiKey' (quotas are counted per API key)"))

    out += _between("events.archiveRetentionDays", args.events.archive_retention_days, 0, 36500)

    mon = args.monitoring
    if mon.latency_p99_threshold_ms <= 0:
        out.append(Problem("monitoring.latencyP99ThresholdMs", f"must be > 0 (got {_n(mon.latency_p99_threshold_ms)})"))
    if not 0 < mon.error_rate_percent_threshold <= 100:
        out.append(
            Problem(
                "monitoring.errorRatePercentThreshold",
                f"must be > 0 and <= 100 (got {_n(mon.error_rate_percent_threshold)})",
            )
        )
    if _given(mon.alarm_email) and not EMAIL.match(str(mon.alarm_email)):
        out.append(Problem("monitoring.alarmEmail", f"must be an e-mail address (got {mon.alarm_email!r})"))
    if mon.alarm_email is not None and not mon.enabled:
        out.append(Problem("monitoring.alarmEmail", "needs 'monitoring.enabled'"))
    return out


# Tags (schema.json `tags`). AWS: a resource takes 50 tags, keys of 1 to 128 characters and values of at most 256,
# letters, digits, spaces and `_ . : / = + - @` (SageMaker's and IAM's TagKey/TagValue patterns in their service
# models; https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html), and reserves keys starting with
# `aws:`. Azure: names of at most 512 characters (128 on storage accounts) and values of at most 256; names without
# `<>%&\?/`; Azure Front Door refuses `#` and `:` in tag names; API Management and the CDN take 15 tags
# (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations, tag-support).
# A release's children carry four tags of ours (clouds.release_tags and `mlserving:platform`).
TAG_KEY_MAX, TAG_VALUE_MAX = 128, 256
AWS_MAX_TAGS, AZURE_MAX_TAGS = 50 - 4, 15 - 1
AWS_TAG_PUNCTUATION = frozenset("_.:/=+-@")
AZURE_TAG_FORBIDDEN = "<>%&\\?/"
FRONT_DOOR_TAG_FORBIDDEN = "#:"


def _aws_tag_text(text: str) -> bool:
    """Letters, digits and spaces of any script (Unicode L, N, Z) and `_ . : / = + - @`, as AWS's tag patterns say."""
    return all(unicodedata.category(c)[0] in "LNZ" or c in AWS_TAG_PUNCTUATION for c in text)


def check_tags(cloud: str, tags: Any, cdn_enabled: bool) -> list[Problem]:
    """The clouds' tag rules, for the tags the user gave as plain values (an Output is the cloud's to judge)."""
    if not isinstance(tags, Mapping):
        return []
    out: list[Problem] = []
    limit = AWS_MAX_TAGS if cloud == "aws" else AZURE_MAX_TAGS
    if len(tags) > limit:
        where = (
            "a resource takes 50, and a release's children carry four of mlserving's"
            if cloud == "aws"
            else "Azure API Management and Front Door take 15, and they carry 'mlserving:platform'"
        )
        out.append(Problem("tags", f"must have at most {limit} tags on {cloud} ({where}; got {len(tags)})"))
    for key, value in tags.items():
        path = f"tags.{key}"
        if not isinstance(key, str):
            continue
        if not 1 <= len(key) <= TAG_KEY_MAX:
            out.append(Problem(path, f"must have a key of 1 to {TAG_KEY_MAX} characters (got {len(key)})"))
        if isinstance(value, str) and len(value) > TAG_VALUE_MAX:
            out.append(Problem(path, f"must have a value of at most {TAG_VALUE_MAX} characters (got {len(value)})"))
        if cloud == "aws":
            if key.lower().startswith("aws:"):
                out.append(Problem(path, "must not start with 'aws:' (AWS reserves the prefix for its own tags)"))
            for which, text in (("key", key), ("value", value)):
                if isinstance(text, str) and not _aws_tag_text(text):
                    out.append(
                        Problem(
                            path,
                            f"must have a {which} of only letters, digits, spaces and '_ . : / = + - @' on AWS "
                            f"(got {text!r})",
                        )
                    )
        elif cloud == "azure":
            forbidden = AZURE_TAG_FORBIDDEN + (FRONT_DOOR_TAG_FORBIDDEN if cdn_enabled else "")
            found = sorted({c for c in key if c in forbidden})
            if found:
                why = " (Azure Front Door refuses '#' and ':' in tag names)" if set(found) & set("#:") else ""
                out.append(Problem(path, f"must not contain {', '.join(map(repr, found))} in its key on Azure{why}"))
    return out


# AWS resource ids: a prefix and 8 or 17 hexadecimal digits (vpc-0a1b2c3d, subnet-0123456789abcdef0).
AWS_IDS = {
    "vpcId": "vpc",
    "subnetIds": "subnet",
    "securityGroupIds": "sg",
    "routeTableIds": "rtb",
    "s3EndpointId": "vpce",
    "apiEndpointIds": "vpce",
}
# A model's VpcConfig: 1 to 16 subnets, 1 to 5 security groups (SageMaker's VpcConfig, botocore's Subnets and
# VpcSecurityGroupIds shapes).
AWS_NETWORK_COUNTS = {
    "subnetIds": (1, 16),
    "securityGroupIds": (1, 5),
    "routeTableIds": (1, 50),
    "apiEndpointIds": (1, 50),
}
AZURE_SUBNET_ID = re.compile(
    r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+$",
    re.IGNORECASE,
)


def _aws_id(prefix: str, value: str) -> bool:
    return re.fullmatch(rf"{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})", value) is not None


def _check_aws_network(net: Network) -> list[Problem]:
    aws = net.aws
    assert aws is not None
    out: list[Problem] = []
    given = {
        "vpcId": aws.vpc_id,
        "subnetIds": aws.subnet_ids,
        "securityGroupIds": aws.security_group_ids,
        "routeTableIds": aws.route_table_ids,
        "s3EndpointId": aws.s3_endpoint_id,
        "apiEndpointIds": aws.api_endpoint_ids,
    }
    for name, value in given.items():
        path, prefix = f"network.aws.{name}", AWS_IDS[name]
        if isinstance(value, str) and not _aws_id(prefix, value):
            out.append(Problem(path, f"must be an id like '{prefix}-0a1b2c3d' (got {value!r})"))
        if isinstance(value, list):
            low, high = AWS_NETWORK_COUNTS[name]
            if not low <= len(value) <= high:
                out.append(Problem(path, f"must have {low} to {high} entries (got {len(value)})"))
            seen: set[str] = set()
            for i, item in enumerate(value):
                if isinstance(item, str) and not _aws_id(prefix, item):
                    out.append(Problem(f"{path}[{i}]", f"must be an id like '{prefix}-0a1b2c3d' (got {item!r})"))
                if isinstance(item, str) and item in seen:
                    out.append(Problem(f"{path}[{i}]", f"is listed twice (got {item!r})"))
                if isinstance(item, str):
                    seen.add(item)
    if net.create_endpoints:
        if aws.route_table_ids is None:
            out.append(
                Problem(
                    "network.aws.routeTableIds",
                    "is required when 'network.createEndpoints' is on (the S3 gateway endpoint is a route in them)",
                )
            )
        for name, value in (("s3EndpointId", aws.s3_endpoint_id), ("apiEndpointIds", aws.api_endpoint_ids)):
            if value is not None:
                out.append(Problem(f"network.aws.{name}", "is only used when 'network.createEndpoints' is off"))
    else:
        if aws.route_table_ids is not None:
            out.append(Problem("network.aws.routeTableIds", "is only used when 'network.createEndpoints' is on"))
        if aws.s3_endpoint_id is None:
            out.append(
                Problem(
                    "network.aws.s3EndpointId",
                    "is required when 'network.createEndpoints' is off (the models read their artifacts through it)",
                )
            )
        if not net.public and aws.api_endpoint_ids is None:
            out.append(
                Problem(
                    "network.aws.apiEndpointIds",
                    "is required when 'network.createEndpoints' and 'network.public' are off (the private API admits "
                    "calls only through them)",
                )
            )
        if net.public and aws.api_endpoint_ids is not None:
            out.append(Problem("network.aws.apiEndpointIds", "is only used when 'network.public' is off"))
    return out


def _check_azure_network(net: Network) -> list[Problem]:
    azure = net.azure
    assert azure is not None
    out: list[Problem] = []
    for name, value in (("subnetId", azure.subnet_id), ("apiSubnetId", azure.api_subnet_id)):
        if isinstance(value, str) and not AZURE_SUBNET_ID.match(value):
            out.append(
                Problem(
                    f"network.azure.{name}",
                    "must be a subnet's ARM id like '/subscriptions/<id>/resourceGroups/<group>/providers/"
                    f"Microsoft.Network/virtualNetworks/<network>/subnets/<subnet>' (got {value!r})",
                )
            )
    if not net.public and azure.api_sku is None:
        out.append(
            Problem(
                "network.azure.apiSku",
                "is required when 'network.public' is off: the API Management tiers that start private cost from about "
                "50 USD a month (Developer, no SLA) to about 2,800 USD a month (Premium), so you choose",
            )
        )
    if not net.public and azure.api_sku == "StandardV2":
        out.append(
            Problem(
                "network.azure.apiSku",
                "must be 'Developer' or 'Premium' when 'network.public' is off: Standard v2 can turn its "
                "public access off only once a private endpoint to it exists, which one deployment cannot do",
            )
        )
    return out


def check_networked_release(args: ReleaseArgs, settings: Mapping[str, Any]) -> list[Problem]:
    """A release on an AWS platform in a VPC: SageMaker Serverless Inference takes no VPC configuration and no
    network isolation (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html)."""
    if settings.get("networked") and args.serverless is not None:
        return [
            Problem(
                "serverless",
                "is not available on a platform with 'network': SageMaker Serverless Inference cannot run in a VPC",
            )
        ]
    return []


def check_network(args: PlatformArgs) -> list[Problem]:
    """Private networking: each cloud's settings, and what a private API rules out."""
    net = args.network
    if net is None:
        return []
    out: list[Problem] = []
    mine, other = ("aws", "azure") if args.cloud == "aws" else ("azure", "aws")
    if getattr(net, mine) is None:
        out.append(Problem(f"network.{mine}", f"is required when 'cloud' is {mine!r}"))
    if getattr(net, other) is not None:
        out.append(Problem(f"network.{other}", f"is only used when 'cloud' is {other!r} (got cloud {args.cloud!r})"))
    if net.aws is not None and args.cloud == "aws":
        out += _check_aws_network(net)
    if net.azure is not None and args.cloud == "azure":
        out += _check_azure_network(net)
    if not net.public and args.cdn.enabled and args.cdn.inference_cache.enabled:
        out.append(
            Problem(
                "cdn.inferenceCache.enabled",
                "must be off when 'network.public' is off: "
                + (
                    "CloudFront cannot reach a private REST API (its VPC origins are load balancers and EC2 instances)"
                    if args.cloud == "aws"
                    else "a Front Door route to the API would make inference public again"
                ),
            )
        )
    return out


def _check_cdn(args: PlatformArgs) -> list[Problem]:
    cdn = args.cdn
    out = [*_between("cdn.artifactTtlSeconds", cdn.artifact_ttl_seconds, 0, ONE_YEAR)]
    cache = cdn.inference_cache
    if args.cloud == "aws":
        out += _check_cloudfront_ttls(cdn)
    out += _between("cdn.inferenceCache.defaultTtlSeconds", cache.default_ttl_seconds, 0, ONE_YEAR)
    out += _between("cdn.inferenceCache.maxTtlSeconds", cache.max_ttl_seconds, 0, ONE_YEAR)
    if cache.max_ttl_seconds < cache.default_ttl_seconds:
        out.append(
            Problem(
                "cdn.inferenceCache.maxTtlSeconds",
                "must be >= 'cdn.inferenceCache.defaultTtlSeconds' "
                f"(got {cache.max_ttl_seconds} < {cache.default_ttl_seconds})",
            )
        )
    for name, keys, limit in (
        ("queryStringKeys", cache.query_string_keys or [], MAX_CACHE_KEY_ITEMS),
        ("headerKeys", cache.header_keys or [], MAX_CACHE_KEY_ITEMS - (1 if args.api.require_api_key else 0)),
    ):
        path = f"cdn.inferenceCache.{name}"
        if len(keys) > limit:
            out.append(Problem(path, f"must have at most {limit} entries (got {len(keys)})"))
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if not key or (name == "headerKeys" and not HEADER.match(key)):
                out.append(Problem(f"{path}[{i}]", f"must be a valid {name[:-4].lower()} name (got {key!r})"))
            if key.lower() in seen:
                out.append(Problem(f"{path}[{i}]", f"is listed twice (got {key!r})"))
            seen.add(key.lower())
    if cache.header_keys and "x-api-key" in {h.lower() for h in cache.header_keys} and args.api.require_api_key:
        idx = [h.lower() for h in cache.header_keys].index("x-api-key")
        out.append(
            Problem(
                f"cdn.inferenceCache.headerKeys[{idx}]",
                "must not be 'x-api-key': it is added to the cache key whenever 'api.requireApiKey' is on",
            )
        )
    if cdn.custom_domain is not None and cdn.certificate_arn is None and args.cloud == "aws":
        out.append(
            Problem(
                "cdn.certificateArn", "is required when 'cdn.customDomain' is set (an ACM certificate in us-east-1)"
            )
        )
    if cdn.certificate_arn is not None and cdn.custom_domain is None:
        out.append(Problem("cdn.customDomain", "is required when 'cdn.certificateArn' is set"))
    if _given(cdn.custom_domain) and not HOST_NAME.match(str(cdn.custom_domain)):
        out.append(
            Problem("cdn.customDomain", f"must be a domain name like 'models.example.com' (got {cdn.custom_domain!r})")
        )
    if _given(cdn.certificate_arn) and not ACM_US_EAST_1_ARN.match(str(cdn.certificate_arn)):
        out.append(
            Problem(
                "cdn.certificateArn",
                f"must be an ACM certificate ARN in us-east-1, as CloudFront requires (got {cdn.certificate_arn!r})",
            )
        )
    if _given(cdn.web_acl_arn) and not WAF_CLOUDFRONT_ARN.match(str(cdn.web_acl_arn)):
        out.append(
            Problem(
                "cdn.webAclArn", f"must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT (got {cdn.web_acl_arn!r})"
            )
        )
    geo = cdn.geo_restriction
    if geo.restriction_type == "none" and geo.locations:
        out.append(
            Problem("cdn.geoRestriction.locations", "must be empty when 'cdn.geoRestriction.restrictionType' is 'none'")
        )
    if geo.restriction_type != "none" and not geo.locations:
        out.append(
            Problem(
                "cdn.geoRestriction.locations",
                f"is required when 'cdn.geoRestriction.restrictionType' is {geo.restriction_type!r}",
            )
        )
    for i, code in enumerate(geo.locations or []):
        if not COUNTRY.match(code):
            out.append(
                Problem(
                    f"cdn.geoRestriction.locations[{i}]", f"must be an ISO 3166-1 alpha-2 code like 'DE' (got {code!r})"
                )
            )
    if not cdn.enabled:
        for path, value in (
            ("cdn.customDomain", cdn.custom_domain),
            ("cdn.webAclArn", cdn.web_acl_arn),
        ):
            if value is not None:
                out.append(Problem(path, "needs 'cdn.enabled'"))
    return out


# CloudFront refuses a cache policy whose TTLs are all 0 (caching disabled) when it keys on
# headers or query strings or compresses ("The parameter EnableAcceptEncodingGzip is invalid
# for policy with caching disabled", "HeaderBehavior is invalid for policy with caching
# disabled"): aws/aws-cdk#16977, pulumi/docs#18475. Both of the platform's policies compress.
def _check_cloudfront_ttls(cdn: Cdn) -> list[Problem]:
    out: list[Problem] = []
    if cdn.artifact_ttl_seconds == 0:
        out.append(
            Problem(
                "cdn.artifactTtlSeconds",
                "must be at least 1 on AWS: CloudFront refuses a cache policy whose TTLs are all 0 when it "
                "compresses, and artifact paths are immutable, so caching them is always safe (got 0)",
            )
        )
    cache = cdn.inference_cache
    if cache.enabled and cache.max_ttl_seconds == 0:
        out.append(
            Problem(
                "cdn.inferenceCache.maxTtlSeconds",
                "must be at least 1 on AWS while 'cdn.inferenceCache.enabled' is on: CloudFront refuses a cache "
                "policy whose TTLs are all 0 when it has a cache key or compresses; set 'cdn.inferenceCache.enabled' "
                "to false to not cache inference (got 0)",
            )
        )
    return out


def _check_azure_settings(azure: AzureSettings) -> list[Problem]:
    out: list[Problem] = []
    if _given(azure.location) and not AZURE_LOCATION.match(str(azure.location)):
        out.append(Problem("azure.location", f"must be an Azure region like 'westeurope' (got {azure.location!r})"))
    if _given(azure.resource_group_name) and not AZURE_RESOURCE_GROUP.match(str(azure.resource_group_name)):
        out.append(
            Problem(
                "azure.resourceGroupName",
                "must be 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending with "
                f"a period (got {azure.resource_group_name!r})",
            )
        )
    return out


def _check_platform_azure(args: PlatformArgs) -> list[Problem]:
    # Imported here: the package of the Azure backend loads the Azure SDK, which only an Azure
    # platform needs (and this is one).
    from mlserving_provider.clouds.azure import regions

    out: list[Problem] = []
    redundancy, location = args.artifacts.redundancy, args.azure.location if args.azure is not None else None
    # A location given as an Output is checked by Azure at `up` (the schema says so).
    if redundancy is not None and _given(location) and AZURE_LOCATION.match(str(location)):
        reason = regions.redundancy_problem(redundancy, str(location))
        if reason is not None:
            out.append(Problem("artifacts.redundancy", reason))
    if args.cdn.geo_restriction.restriction_type != "none":
        out.append(
            Problem(
                "cdn.geoRestriction",
                "is only used when 'cloud' is 'aws' (Azure Front Door filters countries with a WAF policy, "
                "which this version does not create)",
            )
        )
    if args.cdn.inference_cache.header_keys:
        out.append(
            Problem(
                "cdn.inferenceCache.headerKeys",
                "is only used when 'cloud' is 'aws' (Azure Front Door keys its cache on query strings only: "
                "use 'cdn.inferenceCache.queryStringKeys')",
            )
        )
    out += _check_azure_cooldowns(args.scaling)
    return out


def _check_azure_cooldowns(scaling: Scaling, path: str = "scaling") -> list[Problem]:
    return [
        Problem(
            f"{path}.{name}",
            f"must be at least {AZURE_MIN_COOLDOWN} on Azure, whose autoscale cooldowns are at least "
            f"one minute (got {_n(value)})",
        )
        for name, value in (
            ("scaleInCooldownSeconds", scaling.scale_in_cooldown_seconds),
            ("scaleOutCooldownSeconds", scaling.scale_out_cooldown_seconds),
        )
        if value < AZURE_MIN_COOLDOWN
    ]


def check_release(args: ReleaseArgs, cloud: str, scaling: Scaling) -> list[Problem]:
    """Every rule across ModelRelease inputs, given the platform's cloud and the effective scaling."""
    out: list[Problem] = []
    if not MODEL_NAME.match(args.model_name):
        out.append(
            Problem(
                "modelName",
                "must be 1 to 32 lowercase letters, digits or hyphens, starting with a letter "
                f"and not ending with a hyphen (got {args.model_name!r})",
            )
        )
    if not semver.Version.is_valid(args.version):
        out.append(Problem("version", f"must be a semantic version like '1.4.0' (got {args.version!r})"))
    if not API_VERSION.match(args.api_version):
        out.append(
            Problem("apiVersion", f"must be 'v' and a number from 1 to 999, like 'v1' (got {args.api_version!r})")
        )
    if _given(args.image) and (not args.image or any(c.isspace() for c in str(args.image))):
        out.append(Problem("image", f"must be a container image reference, without spaces (got {args.image!r})"))

    rollout = args.rollout
    out += _between("rollout.canaryPercent", rollout.canary_percent, 1, 50)
    out += _between("rollout.linearStepPercent", rollout.linear_step_percent, 10, 50)
    out += _between("rollout.waitSeconds", rollout.wait_seconds, 0, 3600)
    out += _between("dataCapture.samplingPercent", args.data_capture.sampling_percent, 1, 100)
    out += check_scaling(scaling)
    out += _check_request_settings(args.request_settings, cloud)

    if cloud == "aws":
        out += _check_release_aws(args, scaling)
    elif args.rollout.new_fleet_replicas is not None:
        out.append(
            Problem(
                "rollout.newFleetReplicas", f"is only used when the platform's cloud is 'aws' (got cloud {cloud!r})"
            )
        )
    if cloud == "azure":
        out += _check_release_azure(args, scaling)
    return out


def _check_request_settings(settings: RequestSettings | None, cloud: str) -> list[Problem]:
    if settings is None:
        return []
    if cloud != "azure":
        return [
            Problem(
                "requestSettings",
                "is only used when the platform's cloud is 'azure' (SageMaker puts no concurrency limit in front "
                "of the container, and the request timeout is API Gateway's 29 s)",
            )
        ]
    # The most a managed online endpoint allows: https://learn.microsoft.com/azure/machine-learning/how-to-manage-quotas
    return [
        *_at_least(
            "requestSettings.maxConcurrentRequestsPerInstance", settings.max_concurrent_requests_per_instance, 1
        ),
        *_between("requestSettings.requestTimeoutMs", settings.request_timeout_ms, 1, AZURE_MAX_REQUEST_TIMEOUT_MS),
    ]


def _check_release_azure(args: ReleaseArgs, scaling: Scaling) -> list[Problem]:
    # Imported here: the package of the Azure backend loads the Azure SDK, which only an Azure
    # release needs (and this is one).
    from mlserving_provider.clouds.azure import naming as azure_naming

    out: list[Problem] = []
    if semver.Version.is_valid(args.version):
        reason = azure_naming.model_version_problem(args.version)
        if reason is not None:
            out.append(Problem("version", reason))
    if args.serverless is not None:
        out.append(Problem("serverless", "is only available when the platform's cloud is 'aws'"))
    if args.data_capture.enabled:
        out.append(
            Problem(
                "dataCapture.enabled",
                "is only available when the platform's cloud is 'aws' (SageMaker data capture; Azure ML "
                "collects data only from its own scoring scripts)",
            )
        )
    if args.rollout.strategy == "linear":
        out.append(
            Problem(
                "rollout.strategy",
                "must be 'allAtOnce' or 'canary' on Azure: Azure ML cannot shift traffic in linear steps "
                "(got 'linear')",
            )
        )
    if args.instance_type is not None and not AZURE_VM_SKU.match(args.instance_type):
        out.append(
            Problem(
                "instanceType",
                f"must be an Azure ML VM size like 'Standard_DS3_v2' on Azure (got {args.instance_type!r})",
            )
        )
    out += _check_azure_cooldowns(scaling)
    return out


# API Gateway's default 'Stages per API' and 'Usage plans per API key' quotas, which a platform
# published before `api.stageQuota` existed is taken to have.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
API_GATEWAY_DEFAULT_STAGE_QUOTA = 10


def check_api_stage_quota(api_version: str, settings: Mapping[str, Any]) -> list[Problem]:
    """An API version above what API Gateway's quotas let the platform serve, from its settings.

    Each API version is a stage of the platform's REST API ('Stages per API') and, with an API
    key, a usage plan holding the key ('Usage plans per API key'). A release cannot see the
    platform's other releases, so it counts API versions by their number: `v<n>` needs n stages.
    """
    if not API_VERSION.match(api_version):
        return []  # refused by its pattern
    quota = int(settings.get("stageQuota", API_GATEWAY_DEFAULT_STAGE_QUOTA))
    number = int(api_version[1:])
    if number <= quota:
        return []
    keyed = bool(settings.get("requireApiKey", True))
    plan = " and a usage plan holding its API key" if keyed else ""
    names = "'Stages per API' and 'Usage plans per API key' quotas" if keyed else "'Stages per API' quota"
    them = "both" if keyed else "it"
    return [
        Problem(
            "apiVersion",
            f"must be at most 'v{quota}' on this platform: each API version is a stage of the platform's REST "
            f"API{plan}, and the platform's 'api.stageQuota' states API Gateway's {names} as {quota} "
            f"({API_GATEWAY_DEFAULT_STAGE_QUOTA} unless raised). API versions are counted by their number: number "
            f"them from 'v1', or raise {them} in Service Quotas and set the platform's 'api.stageQuota' to the new "
            f"value (got {api_version!r})",
        )
    ]


def rollout_seconds(rollout: Rollout) -> tuple[int, int]:
    """The baking periods of a SageMaker blue/green rollout and its worst-case seconds.

    All at once: one baking period after the whole shift. Canary: the canary's and the final
    one. Linear: one per step, the last being the final one. Steps are counted as a share of
    capacity (a small fleet, rounded to whole instances, may take fewer). Plus the time to
    provision the new fleet. https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html
    """
    bakes = {"allAtOnce": 1, "canary": 2, "linear": math.ceil(100 / max(rollout.linear_step_percent, 1))}
    periods = bakes[rollout.strategy]
    return periods, FLEET_PROVISIONING_SECONDS + periods * rollout.wait_seconds


def _check_rollout_aws(args: ReleaseArgs) -> list[Problem]:
    rollout = args.rollout
    out: list[Problem] = []
    family = (args.instance_type or "").split(".")[1:2]
    if family == ["inf1"] and rollout.strategy != "allAtOnce":
        out.append(
            Problem(
                "rollout.strategy",
                f"must be 'allAtOnce' on 'ml.inf1' instances: SageMaker deployment guardrails exclude "
                f"Inferentia1 endpoints, which would shift all at once without saying so (got {rollout.strategy!r})",
            )
        )
    if not 0 <= rollout.wait_seconds <= 3600 or (
        rollout.strategy == "linear" and not 10 <= rollout.linear_step_percent <= 50
    ):
        return out  # already refused by its range
    window = ALARM_EVALUATION_PERIODS * ALARM_PERIOD_SECONDS
    if rollout.auto_rollback and rollout.wait_seconds < window:
        out.append(
            Problem(
                "rollout.waitSeconds",
                f"must be at least {window} while 'rollout.autoRollback' is on: a release's alarms fire after "
                f"{ALARM_DATAPOINTS} of {ALARM_EVALUATION_PERIODS} one-minute periods above their threshold, so a "
                "shorter baking period ends before they can trip and SageMaker never rolls back; set "
                f"'rollout.autoRollback' to false to shift without watching (got {rollout.wait_seconds})",
            )
        )
    periods, total = rollout_seconds(rollout)
    if total > AWS_ENDPOINT_WAIT_SECONDS:
        longest = (AWS_ENDPOINT_WAIT_SECONDS - FLEET_PROVISIONING_SECONDS) // periods
        shape = f"in {rollout.linear_step_percent}% steps " if rollout.strategy == "linear" else ""
        raise_step = " or raise 'rollout.linearStepPercent'" if rollout.strategy == "linear" else ""
        out.append(
            Problem(
                "rollout.waitSeconds",
                f"must be at most {longest} for a {rollout.strategy!r} rollout {shape}on AWS: {periods} baking "
                f"period{'s' if periods > 1 else ''} of {rollout.wait_seconds} s plus {FLEET_PROVISIONING_SECONDS} s "
                f"to provision the new fleet take {total} s ({total / 60:.0f} min), longer than the 60 minutes the "
                f"AWS provider waits for an endpoint update (it fails `pulumi up` while SageMaker goes on "
                f"deploying): lower 'rollout.waitSeconds'{raise_step} (got {rollout.wait_seconds})",
            )
        )
    return out


def _check_release_aws(args: ReleaseArgs, scaling: Scaling) -> list[Problem]:
    out = _check_serving_aws(args, scaling)
    if args.serverless is None or args.rollout.strategy == "allAtOnce":  # else already refused
        out += _check_rollout_aws(args)
    return out


def _check_serving_aws(args: ReleaseArgs, scaling: Scaling) -> list[Problem]:
    out: list[Problem] = []
    fleet = args.rollout.new_fleet_replicas
    if fleet is not None and args.serverless is None and not scaling.min_replicas <= fleet <= scaling.max_replicas:
        out.append(
            Problem(
                "rollout.newFleetReplicas",
                f"must be between 'scaling.minReplicas' ({scaling.min_replicas}) and 'scaling.maxReplicas' "
                f"({scaling.max_replicas}) (got {fleet})",
            )
        )
    if args.instance_type is not None and not args.instance_type.startswith("ml."):
        out.append(
            Problem(
                "instanceType",
                "must be a SageMaker instance type starting with 'ml.', like 'ml.m5.large' "
                f"(got {args.instance_type!r})",
            )
        )
    elif args.instance_type is not None:
        _, family, size = [*args.instance_type.split(".", 2), "", ""][:3]
        if not SAGEMAKER_FAMILY.match(family):
            out.append(
                Problem(
                    "instanceType",
                    f"must be a SageMaker instance type like 'ml.m5.large' or 'ml.g5.2xlarge' "
                    f"(got {args.instance_type!r}: unknown instance family {family!r})",
                )
            )
        elif not SAGEMAKER_SIZE.match(size):
            out.append(
                Problem(
                    "instanceType",
                    f"must be a SageMaker instance type like 'ml.m5.large' or 'ml.g5.2xlarge' "
                    f"(got {args.instance_type!r}: unknown instance size {size!r})",
                )
            )
    sls = args.serverless
    if sls is None:
        return out
    if sls.memory_size_mb not in SERVERLESS_MEMORY:
        out.append(
            Problem(
                "serverless.memorySizeMb",
                f"must be one of {', '.join(map(str, SERVERLESS_MEMORY))} (got {sls.memory_size_mb})",
            )
        )
    out += _between("serverless.maxConcurrency", sls.max_concurrency, 1, 200)
    if args.instance_type is not None:
        out.append(
            Problem("instanceType", "must not be set with 'serverless' (serverless endpoints have no instances)")
        )
    if args.scaling:
        out.append(
            Problem("scaling", "must not be set with 'serverless' (SageMaker scales serverless endpoints by itself)")
        )
    if args.rollout.strategy != "allAtOnce":
        out.append(
            Problem(
                "rollout.strategy",
                f"must be 'allAtOnce' with 'serverless': SageMaker serverless endpoints support only "
                f"all-at-once traffic shifting (got {args.rollout.strategy!r})",
            )
        )
    if args.data_capture.enabled:
        out.append(Problem("dataCapture.enabled", "is not supported by SageMaker serverless endpoints"))
    if fleet is not None:
        out.append(
            Problem(
                "rollout.newFleetReplicas",
                "must not be set with 'serverless' (serverless endpoints have no instances)",
            )
        )
    return out
