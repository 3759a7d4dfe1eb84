"""AWS resource names within each service's length and character rules.

Most AWS children are *autonamed*: pulumi-aws names them `<logical name>-<7 hex>`, where the
logical name is built from the component's name (`f"{name}-artifacts"`). A component name
with an underscore, or a long one, then makes a name the service refuses (a SageMaker
model may hold only letters, digits and hyphens; an IAM role at most 64 characters; an
EventBridge archive at most 48). `child` gives every child a logical name whose autoname
fits its service; it leaves a name that already fits unchanged, so no existing resource
moves. Pure functions, tested without a cloud (hypothesis over component names).

The autoname rule: pulumi/pulumi `resource.NewUniqueName` (prefix + 7 of `[0-9a-f]`, an
error past the provider's maximum length), called by the Terraform bridge with the prefix
`<logical name>-`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = [
    "AUTONAME_SUFFIX",
    "CLOUDFRONT_OAC",
    "CLOUDFRONT_POLICY",
    "EVENT_ARCHIVE",
    "EVENT_BUS",
    "EVENT_RULE",
    "IAM_ROLE",
    "IAM_ROLE_POLICY",
    "S3_BUCKET",
    "SAGEMAKER",
    "SNS_TOPIC",
    "SQS_QUEUE",
    "Rule",
    "child",
    "endpoint",
    "fits",
]

# `-` and 7 random hex characters.
AUTONAME_SUFFIX = 8


@dataclass(frozen=True)
class Rule:
    """What a service accepts as a physical name, with the doc that says so."""

    max_length: int
    # Every character the service accepts; anything else is replaced by `-`.
    allowed: str
    # The whole name (for the rules a character class cannot say: first and last character).
    pattern: re.Pattern[str]
    source: str
    lower: bool = False

    def invalid(self) -> re.Pattern[str]:
        return re.compile(f"[^{self.allowed}]+")


# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html (also
# CreateEndpointConfig, CreateEndpoint): `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
SAGEMAKER = Rule(
    63,
    "A-Za-z0-9-",
    re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"),
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html",
)
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html: `[\w+=,.@-]+`, 1-64.
IAM_ROLE = Rule(
    64,
    r"A-Za-z0-9_+=,.@-",
    re.compile(r"^[A-Za-z0-9_+=,.@-]{1,64}$"),
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
)
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html: `[\w+=,.@-]+`, 1-128.
IAM_ROLE_POLICY = Rule(
    128,
    r"A-Za-z0-9_+=,.@-",
    re.compile(r"^[A-Za-z0-9_+=,.@-]{1,128}$"),
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
)
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html: `[\.\-_A-Za-z0-9]+`, 1-48.
EVENT_ARCHIVE = Rule(
    48,
    r"A-Za-z0-9._-",
    re.compile(r"^[.\-_A-Za-z0-9]{1,48}$"),
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html",
)
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html: `[\.\-_A-Za-z0-9]+`, 1-64.
EVENT_RULE = Rule(
    64,
    r"A-Za-z0-9._-",
    re.compile(r"^[.\-_A-Za-z0-9]{1,64}$"),
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
)
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html: `[/\.\-_A-Za-z0-9]+`, 1-256.
EVENT_BUS = Rule(
    256,
    r"A-Za-z0-9._-",
    re.compile(r"^[.\-_A-Za-z0-9]{1,256}$"),
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html",
)
# https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html: ASCII letters, digits, `_` and `-`, 1-256.
SNS_TOPIC = Rule(
    256,
    "A-Za-z0-9_-",
    re.compile(r"^[A-Za-z0-9_-]{1,256}$"),
    "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
)
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html:
# alphanumeric characters, hyphens and underscores, 1-80.
SQS_QUEUE = Rule(
    80,
    "A-Za-z0-9_-",
    re.compile(r"^[A-Za-z0-9_-]{1,80}$"),
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
)
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: 3-63 lowercase
# letters, digits, dots and hyphens, starting and ending with a letter or digit (dots are left
# out here: they break virtual-hosted TLS).
S3_BUCKET = Rule(
    63,
    "a-z0-9-",
    re.compile(r"^(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"),
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    lower=True,
)
# https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html:
# "up to 64 characters" (the character set is not stated: letters, digits, `-` and `_` are kept).
CLOUDFRONT_OAC = Rule(
    64,
    "A-Za-z0-9_-",
    re.compile(r"^[A-Za-z0-9_-]{1,64}$"),
    "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html",
)
# Cache and response headers policies: the API reference states no limit; 128 and the same
# characters are a conservative reading of what the console accepts.
CLOUDFRONT_POLICY = Rule(
    128,
    "A-Za-z0-9_-",
    re.compile(r"^[A-Za-z0-9_-]{1,128}$"),
    "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html",
)

_HYPHENS = re.compile(r"-{2,}")
_RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")


def fits(name: str, rule: Rule) -> bool:
    """Whether the service accepts `name`."""
    return len(name) <= rule.max_length and rule.pattern.match(name) is not None


def _digest(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _clean(text: str, rule: Rule) -> str:
    text = text.lower() if rule.lower else text
    cleaned = _HYPHENS.sub("-", rule.invalid().sub("-", text)).strip("-._")
    if rule.lower and cleaned.startswith(_RESERVED_BUCKET_PREFIXES):
        cleaned = f"b-{cleaned}"
    return cleaned


def child(component: str, suffix: str, rule: Rule) -> str:
    """The logical name of the child `suffix` of `component`, whose pulumi-aws autoname
    (`<name>-<7 hex>`) `rule` accepts.

    `<component>-<suffix>` is returned as it is when it already fits. Otherwise the
    component part is cleaned (characters the service refuses become `-`) and cut, and the
    name ends in a hash of the original, so two components whose names differ only in
    refused characters or past the cut keep distinct children: `<component>-<suffix>-<hash>`.
    """
    logical = f"{component}-{suffix}"
    # The hex suffix is lowercase: a name that fits with `-0000000` fits with any suffix.
    if fits(f"{logical}-{'0' * (AUTONAME_SUFFIX - 1)}", rule):
        return logical
    tail = f"{_clean(suffix, rule)}-{_digest(logical)}"
    room = rule.max_length - AUTONAME_SUFFIX - len(tail) - 1
    head = _clean(component, rule)[: max(room, 0)].rstrip("-._")
    return f"{head}-{tail}" if head else f"{'m' if rule.lower else 'M'}-{tail}"


def endpoint(prefix: str, model_name: str, api_version: str, kind: str) -> str:
    """A SageMaker endpoint name: `<platform prefix>-<model>-<apiVersion>-<kind>`, at most 63.

    `modelName` and `apiVersion` are validated (at most 32 and 4 characters, letters, digits
    and hyphens), the platform prefix is `mls-<8 hex>` and `kind` 6 hex: 57 at most. A longer
    or odd prefix (a platform of another version) is cut and hashed rather than refused.
    """
    name = f"{prefix}-{model_name}-{api_version}-{kind}"
    if fits(name, SAGEMAKER):
        return name
    tail = _digest(name)
    head = _clean(name, SAGEMAKER)[: SAGEMAKER.max_length - len(tail) - 1].rstrip("-")
    return f"{head}-{tail}" if head else f"e{tail}"
