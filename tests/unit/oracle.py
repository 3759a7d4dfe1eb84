"""An oracle for both components' inputs, derived from schema.json alone.

It predicts whether the provider accepts or refuses a set of raw construct inputs, and
which property paths a refusal names. It never imports the provider's validation: every
rule here comes from schema.json, either

- its structure: property types, `plain`, enums, required properties, defaults; or
- a sentence of a description, quoted in the rule that reads it (`cite`). Ranges written
  the usual way ("Must be between 1 and 3650.", "Must be at least 1.", "At most 10.") are
  read from the text itself (`BOUNDS`); every other rule is written out below.

`tests/unit/test_oracle.py` holds the oracle to the schema: every quoted sentence must still be
in its description, and every sentence of the schema that states a constraint must be read
by a rule (or be listed in INFORMATIONAL with the reason it constrains no input). So a rule
added to the schema text fails that test until the oracle knows it, and a rule the provider
enforces without the schema saying so fails the fuzzer (tests/unit/test_fuzz.py), which
compares the two. A disagreement is a bug in the provider or in the schema text.

Three facts come from the Pulumi wire protocol rather than from schema.json, and are the
same for every schema: a null property is an absent one; numbers arrive as doubles (3.0 is
the integer 3); and an SDK sends a property's schema default when the user leaves it out,
so "setting" a property with a default means giving it another value.
"""

from __future__ import annotations

import json
import math
import re
import tarfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.output import Unknown

ROOT = Path(__file__).resolve().parents[2]
SCHEMA: dict[str, Any] = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
PLATFORM = "mlserving:index:MLServingPlatform"
RELEASE = "mlserving:index:ModelRelease"


# ---------------------------------------------------------------- citations


@dataclass(frozen=True)
class Citation:
    """A sentence (or part of one) of the description at `where` that a rule reads."""

    where: str  # `R:<token>.<input>`, `T:<type>` or `T:<type>.<property>`, `E:<enum type>.<value>`
    text: str


CITED: list[Citation] = []


def cite(where: str, text: str) -> Citation:
    found = Citation(where, text)
    CITED.append(found)
    return found


def description(where: str) -> str:
    """The description a citation points at."""
    kind, _, rest = where.partition(":")
    token, _, name = rest.partition(".")  # type tokens have no dots: `mlserving:index:Scaling.minReplicas`
    if kind == "R":
        spec = SCHEMA["resources"][token]
        return str(spec["inputProperties"][name]["description"] if name else spec["description"])
    if kind == "E":
        return str(next(e["description"] for e in SCHEMA["types"][token]["enum"] if e["value"] == name))
    spec = SCHEMA["types"][token]
    return str(spec["properties"][name]["description"] if name else spec["description"])


def _type_token(name: str) -> str:
    return f"mlserving:index:{name}"


# ---------------------------------------------------------------- ranges read from the text


@dataclass(frozen=True)
class Bound:
    """A range stated in a property's description."""

    where: str
    sentence: str
    low: float | None = None
    low_open: bool = False
    high: float | None = None
    at_least_sibling: str | None = None  # "Must be >= `defaultTtlSeconds`"
    length: bool = False  # "At most 10." of an array


_NUMBER = r"(-?\d+(?:\.\d+)?)"
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], dict[str, Any]]]] = [
    (
        re.compile(rf"^Must be between {_NUMBER} and {_NUMBER}, and >= `(\w+)`\.$"),
        lambda m: {"low": m[1], "high": m[2], "at_least_sibling": m[3]},
    ),
    (re.compile(rf"^Must be between {_NUMBER} and {_NUMBER}\b"), lambda m: {"low": m[1], "high": m[2]}),
    (re.compile(rf"^Must be (?:at least|>=) {_NUMBER}\.$"), lambda m: {"low": m[1]}),
    (re.compile(rf"^Must be > {_NUMBER} and <= {_NUMBER}\.$"), lambda m: {"low": m[1], "low_open": True, "high": m[2]}),
    (re.compile(rf"^Must be > {_NUMBER}\.$"), lambda m: {"low": m[1], "low_open": True}),
    (
        re.compile(rf"^Must be >= `(\w+)` and at most {_NUMBER}\.$"),
        lambda m: {"at_least_sibling": m[1], "high": m[2]},
    ),
    (re.compile(rf"^At most {_NUMBER}\b"), lambda m: {"high": m[1], "length": True}),
]


def sentences(text: str) -> list[str]:
    """A description's sentences ("e.g." and "i.e." end none)."""
    return [s for s in re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+(?=[A-Z`])", text) if s]


def _bounds() -> dict[tuple[str, str], Bound]:
    """Every range sentence of every object type's properties, by (type, property)."""
    out: dict[tuple[str, str], Bound] = {}
    for token, spec in SCHEMA["types"].items():
        for name, prop in spec.get("properties", {}).items():
            for sentence in sentences(prop.get("description", "")):
                for pattern, read in _PATTERNS:
                    match = pattern.match(sentence)
                    if match:
                        values: dict[str, Any] = {
                            k: (float(v) if k in ("low", "high") else v) for k, v in read(match).items()
                        }
                        out[(token, name)] = Bound(f"T:{token}.{name}", match[0], **values)
                        break  # the first pattern that reads the sentence
    return out


BOUNDS = _bounds()


# ---------------------------------------------------------------- values


class Deferred:
    """A value known only at deployment (an Output): present, but not checkable now."""

    def __repr__(self) -> str:
        return "<deferred>"


class Bad:
    """A value of the wrong shape: already refused, so no rule reads it."""

    def __repr__(self) -> str:
        return "<bad>"


DEFERRED, BAD = Deferred(), Bad()


def is_output(value: Any) -> bool:
    return isinstance(value, (pulumi.Output, Unknown))


@dataclass
class Verdict:
    """The oracle's answer: each refusal is a set of paths, any of which may carry it."""

    refusals: list[tuple[frozenset[str], str]] = field(default_factory=list)
    # Refusals of the shape of an input (type, enum, unknown property, required): the
    # provider reports these and stops before its rules across inputs.
    structural: bool = False

    def refuse(self, why: str, *paths: str) -> None:
        self.refusals.append((frozenset(paths), why))

    @property
    def accepted(self) -> bool:
        return not self.refusals

    def paths(self) -> set[str]:
        return {p for paths, _ in self.refusals for p in paths}


# ---------------------------------------------------------------- structure


def _spec(ref: str) -> dict[str, Any]:
    spec: dict[str, Any] = SCHEMA["types"][ref.removeprefix("#/types/")]
    return spec


def _whole(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def shape(prop: Mapping[str, Any], value: Any, path: str, verdict: Verdict, plain: bool = False) -> Any:
    """Check a value against its schema type: the value as the rules read it, DEFERRED or BAD."""
    plain = plain or bool(prop.get("plain"))
    ref = prop.get("$ref", "")
    object_type = ref.startswith("#/types/") and _spec(ref).get("type") == "object"
    if is_output(value):
        if plain:
            verdict.structural = True
            verdict.refuse("plain: a value known before deployment", path)
            return BAD
        if object_type:
            # An object type is the provider's to read field by field: see INFORMATIONAL.
            verdict.structural = True
            verdict.refuse("an object type given as one Output", path)
            return BAD
        return DEFERRED
    if ref == "pulumi.json#/Asset" and not isinstance(value, (pulumi.Asset, pulumi.Archive)):
        verdict.structural = True
        verdict.refuse("an Asset or an Archive", path)
        return BAD
    if ref.startswith("#/resources/") and not isinstance(value, pulumi.Resource):
        verdict.structural = True
        verdict.refuse("a resource reference", path)
        return BAD
    if ref == "pulumi.json#/Asset" or ref.startswith("#/resources/"):
        return value  # read by the release rules
    if ref:
        spec = _spec(ref)
        if "enum" in spec:
            if not isinstance(value, str) or value not in [e["value"] for e in spec["enum"]]:
                verdict.structural = True
                verdict.refuse(f"one of the values of {ref}", path)
                return BAD
            return value
        if not isinstance(value, Mapping):
            verdict.structural = True
            verdict.refuse("an object", path)
            return BAD
        # An object type's fields keep their own `plain` (an Output may fill a field of a plain object).
        return fields(spec["properties"], spec.get("required", []), value, path, verdict)
    kind = prop["type"]
    checks: dict[str, Callable[[Any], bool]] = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: _whole(v) and float(v).is_integer(),
        "number": _whole,
        "array": lambda v: isinstance(v, (list, tuple)),
        "object": lambda v: isinstance(v, Mapping),
    }
    ok = checks[kind](value)
    if not ok:
        verdict.structural = True
        verdict.refuse(f"a {kind}", path)
        return BAD
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "array":
        return [shape(prop["items"], v, f"{path}[{i}]", verdict, plain) for i, v in enumerate(value)]
    if kind == "object":
        return {k: shape(prop["additionalProperties"], v, f"{path}.{k}", verdict, plain) for k, v in value.items()}
    return value


def fields(
    props: Mapping[str, Any],
    required: list[str],
    raw: Mapping[str, Any],
    path: str,
    verdict: Verdict,
    plain: bool = False,
) -> dict[str, Any]:
    """An object's properties, checked; absent ones are left out (see `Inputs.get`)."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{path}.{key}" if path else key
        if key not in props:
            verdict.structural = True
            verdict.refuse("a property of the schema", where)
        elif value is not None:
            out[key] = shape(props[key], value, where, verdict, plain)
    for key in required:
        if raw.get(key) is None:
            verdict.structural = True
            verdict.refuse("required", f"{path}.{key}" if path else key)
    return out


# ---------------------------------------------------------------- defaults


def scaling_default(name: str) -> int:
    """Scaling's defaults are the provider's, stated in the descriptions: "Default: `1`"."""
    text = SCHEMA["types"][_type_token("Scaling")]["properties"][name]["description"]
    match = re.search(r"Default: `(\d+)`", text)
    assert match, f"Scaling.{name} states no default"
    cite(f"T:{_type_token('Scaling')}.{name}", match[0])
    return int(match[1])


SCALING_DEFAULTS = {name: scaling_default(name) for name in SCHEMA["types"][_type_token("Scaling")]["properties"]}


@dataclass
class Inputs:
    """A component's checked inputs, read by dotted path with the schema's defaults."""

    token: str
    values: dict[str, Any]

    def _prop(self, path: str) -> dict[str, Any]:
        head, *rest = path.split(".")
        prop: dict[str, Any] = SCHEMA["resources"][self.token]["inputProperties"][head]
        for name in rest:
            prop = _spec(prop["$ref"])["properties"][name]
        return prop

    def given(self, path: str) -> Any:
        """The value the user gave (None when absent; BAD when refused; DEFERRED for an Output)."""
        node: Any = self.values
        for name in path.split("."):
            if node is BAD or node is DEFERRED:
                return node
            if not isinstance(node, Mapping) or name not in node:
                return None
            node = node[name]
        return node

    def get(self, path: str) -> Any:
        """The value the component runs with: given, or the schema default."""
        value = self.given(path)
        if value is not None:
            return value
        return self._prop(path).get("default")

    def set(self, path: str) -> bool:
        """Given with another value than its schema default (an SDK sends the default itself)."""
        value = self.given(path)
        if value is None:
            return False
        prop = self._prop(path)
        return "default" not in prop or value != prop["default"]


def known(*values: Any) -> bool:
    return all(v is not None and v is not BAD and v is not DEFERRED for v in values)


# ---------------------------------------------------------------- patterns


# A subnet's ARM id (AZURE_SUBNET), compared without case as ARM does.
AZURE_SUBNET_ID = re.compile(
    r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+",
    re.IGNORECASE,
)
# RFC 9110 5.1: a field name is a token.
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# RFC 1123 host names, at least two labels.
HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
# https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
# An addr-spec with a dotted domain (a mailbox SNS and Azure Monitor can deliver to).
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
# ARNs: arn:partition:service:region:account:resource.
KMS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d+:key/\S+$")
ACM_US_EAST_1_ARN = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d+:certificate/\S+$")
WAF_CLOUDFRONT_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:us-east-1:\d+:global/webacl/[^/\s]+/[^/\s]+$")


# ---------------------------------------------------------------- the rules' sentences

P, R = f"R:{PLATFORM}", f"R:{RELEASE}"
T = "T:mlserving:index:"

AZURE_REQUIRED = cite(f"{P}.azure", "Required when `cloud` is `azure`.")
AZURE_REFUSED = cite(f"{T}AzureSettings", "Required when `cloud` is `azure`, refused otherwise.")
AZURE_OBJECT = cite(f"{T}AzureSettings", "Give it as an object: its fields may be Outputs, the whole object may not.")
LOCATION = cite(f"{T}AzureSettings.location", "Azure region of every resource, e.g. `westeurope`.")
GROUP_NAME = cite(
    f"{T}AzureSettings.resourceGroupName",
    "1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period",
)
KMS = cite(f"{T}ArtifactStore.kmsKeyArn", "AWS only: ARN of a KMS key for SSE-KMS of the artifacts")
REDUNDANCY_AWS = cite(f"{T}ArtifactStore.redundancy", "Setting it on AWS is refused")
REDUNDANCY_REGION = cite(
    f"{T}ArtifactStore.redundancy",
    "`ZRS` is refused in a region without zone-redundant storage, and `GZRS` in a region without geo-zone-redundant "
    "storage.",
)
REGION_SPELLING = cite(f"{T}ArtifactStore.redundancy", "A region is read without case or spaces")


def _regions(kind: str) -> frozenset[str]:
    """The regions the description of `artifacts.redundancy` lists for `kind` (`ZRS in `a`, `b`;`)."""
    text = description(REDUNDANCY_REGION.where)
    listed = re.search(rf"\b{kind} in ((?:`[a-z0-9]+`(?:, )?)+)[;.]", text)
    assert listed is not None, kind
    return frozenset(re.findall(r"`([a-z0-9]+)`", listed.group(1)))


ZRS_REGIONS, GZRS_REGIONS = _regions("ZRS"), _regions("GZRS")
CDN_NEEDED = cite(f"{T}Cdn.enabled", "`customDomain` and `webAclArn` need it.")
DOMAIN = cite(f"{T}Cdn.customDomain", "A custom domain name for the CDN, e.g. `models.example.com`.")
DOMAIN_NEEDS_CERT = cite(f"{T}Cdn.customDomain", "Requires `certificateArn` on AWS")
CERT = cite(f"{T}Cdn.certificateArn", "AWS only: ARN of an ACM certificate in `us-east-1` that covers `customDomain`.")
WAF = cite(f"{T}Cdn.webAclArn", "AWS only: ARN of a WAFv2 web ACL with scope `CLOUDFRONT`")
PRICE_CLASS = cite(f"{T}Cdn.priceClass", "Azure Front Door has no price classes: setting it on Azure is refused.")
GEO_AZURE = cite(f"{T}Cdn.geoRestriction", "Refused on Azure, where Front Door filters countries with a WAF policy")
LOCATIONS_REQUIRED = cite(f"{T}GeoRestriction.locations", "Required unless `restrictionType` is `none`")
LOCATIONS_EMPTY = cite(f"{T}GeoRestriction.locations", "empty when it is `none`")
COUNTRIES = cite(f"{T}GeoRestriction.locations", 'ISO 3166-1 alpha-2 country codes, e.g. `["DE", "FR"]`.')
QUERY_KEYS = cite(f"{T}InferenceCache.queryStringKeys", "Each a non-empty parameter name, listed once (ignoring case).")
HEADER_KEYS = cite(f"{T}InferenceCache.headerKeys", "Each a valid header name, listed once (ignoring case).")
HEADERS_AWS = cite(
    f"{T}InferenceCache.headerKeys", "Refused on Azure, whose Front Door keys its cache on query strings only."
)
API_KEY_HEADER = cite(f"{T}InferenceCache.headerKeys", "(listing it yourself is refused)")
HEADERS_WITH_KEY = cite(f"{T}InferenceCache.headerKeys", "At most 10 (9 with `x-api-key`).")
QUOTA_NEEDS_KEY = cite(f"{T}Api.quota", "Needs `requireApiKey` (quotas are counted per key).")
STAGE_QUOTA_AWS = cite(f"{T}Api.stageQuota", "Setting it on Azure is refused.")
STAGE_QUOTA = cite(f"{T}Api.stageQuota", "one whose `apiVersion` is above `v<stageQuota>` is refused at preview")
TAG_LENGTHS = cite(f"{P}.tags", "A key has 1 to 128 characters and a value at most 256.")
TAGS_AWS = cite(f"{P}.tags", "On AWS: at most 46 tags")
TAG_TEXT_AWS = cite(f"{P}.tags", "a key or value holds only letters, digits, spaces and `_ . : / = + - @`")
TAG_PREFIX_AWS = cite(f"{P}.tags", "a key must not start with `aws:`")
TAGS_AZURE = cite(f"{P}.tags", "On Azure: at most 14 tags")
TAG_CHARS_AZURE = cite(f"{P}.tags", "a key must not contain `<`, `>`, `%`, `&`, `\\`, `?` or `/`")
TAG_FRONT_DOOR = cite(f"{P}.tags", "nor, when the CDN is on, `#` or `:`")
N = f"{T}Network"
CACHE_DEFAULT = cite(f"{T}InferenceCache.enabled", "Default: `true`, or `false` when `network.public` is off")
CACHE_PRIVATE = cite(f"{N}.public", "the inference cache is off by default then and turning it on is refused")
NETWORK_AWS = cite(f"{N}.aws", "Required when `cloud` is `aws`; refused on Azure.")
NETWORK_AZURE = cite(f"{N}.azure", "Required when `cloud` is `azure`; refused on AWS.")
AWS_ID_FORM = cite(
    f"{T}AwsNetwork",
    "Every id is its prefix (`vpc-`, `subnet-`, `sg-`, `rtb-`, `vpce-`) and 8 or 17 hexadecimal digits.",
)
SUBNETS = cite(f"{T}AwsNetwork.subnetIds", "1 to 16 subnet ids (`subnet-...`), each listed once.")
GROUPS = cite(f"{T}AwsNetwork.securityGroupIds", "1 to 5 security group ids (`sg-...`), each listed once.")
ROUTE_TABLES = cite(f"{T}AwsNetwork.routeTableIds", "1 to 50, each listed once.")
ROUTE_TABLES_WHEN = cite(
    f"{T}AwsNetwork.routeTableIds", "Required when `createEndpoints` is on; refused when it is off."
)
S3_ENDPOINT_WHEN = cite(f"{T}AwsNetwork.s3EndpointId", "Required when `createEndpoints` is off; refused when it is on.")
API_ENDPOINTS = cite(f"{T}AwsNetwork.apiEndpointIds", "1 to 50, each listed once")
API_ENDPOINTS_WHEN = cite(
    f"{T}AwsNetwork.apiEndpointIds", "Required when `createEndpoints` and `public` are off; refused otherwise."
)
AZURE_SUBNET = cite(f"{T}AzureNetwork.subnetId", "by ARM id (`/subscriptions/<id>/resourceGroups/<group>/providers/")
AZURE_API_SUBNET = cite(f"{T}AzureNetwork.apiSubnetId", "by ARM id (as `subnetId`)")
API_SKU_PRIVATE = cite(f"{T}AzureNetwork.apiSku", "Required when `public` is off, and then `Developer` or `Premium`")
SERVERLESS_NETWORK = cite(f"{R}.serverless", "Refused on a platform with `network`")
EMAIL_ADDRESS = cite(f"{T}Monitoring.alarmEmail", "An e-mail address subscribed to the alarm topic")
EMAIL_NEEDS_MONITORING = cite(f"{T}Monitoring.alarmEmail", "Needs `enabled`.")
COOLDOWN_AZURE = {
    name: cite(f"{T}Scaling.{name}", "At least 60 on Azure (autoscale cooldowns are whole minutes or more).")
    for name in ("scaleInCooldownSeconds", "scaleOutCooldownSeconds")
}
INVOCATIONS_AWS = cite(f"{T}Scaling.targetInvocationsPerReplica", "Setting it on Azure is refused.")
CPU_AZURE = cite(f"{T}Scaling.targetCpuPercent", "Setting it on AWS is refused.")
OVERRIDES = cite(f"{T}Scaling", "A ModelRelease's `scaling` overrides the platform's field by field")

MODEL_NAME = cite(
    f"{R}.modelName",
    "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, at most 32 characters",
)
VERSION = cite(f"{R}.version", "Semantic version of this model release, e.g. `1.4.0`.")
API_VERSION = cite(f"{R}.apiVersion", "`v1` to `v999`")
API_VERSION_QUOTA = cite(f"{R}.apiVersion", "On AWS the number must be at most the platform's `api.stageQuota`")
IMAGE = cite(f"{R}.image", "Must not be empty or contain spaces.")
ARTIFACT = cite(f"{R}.artifact", "a FileAsset (a single file, e.g. `model.tar.gz`) or a FileArchive (a directory")
ARTIFACT_AZURE = cite(f"{R}.artifact", "a tarball Azure cannot unpack is refused.")
ARTIFACT_VALUE = cite(f"{R}.artifact", "Give it as a value, not an Output")
PLATFORM_REF = cite(f"{R}.platform", "The platform this release is served on.")
INSTANCE_AWS = cite(f"{R}.instanceType", "an `ml.*` type on AWS")
INSTANCE_AZURE = cite(f"{R}.instanceType", "an Azure ML VM size on Azure")
INSTANCE_SERVERLESS = cite(f"{R}.instanceType", "Not allowed with `serverless`.")
SCALING_SERVERLESS = cite(f"{R}.scaling", "Not allowed with `serverless`.")
SERVERLESS_AWS = cite(f"{R}.serverless", "AWS only: serve with SageMaker Serverless Inference instead of instances.")
SERVERLESS_AZURE = cite(f"{T}Serverless", "Refused on Azure.")
SERVERLESS_ROLLOUT = cite(
    f"{R}.serverless", "Only the `allAtOnce` rollout is supported by SageMaker for serverless endpoints."
)
CAPTURE_AZURE = cite(f"{T}DataCapture", "Enabling it on Azure is refused")
CAPTURE_SERVERLESS = cite(f"{T}DataCapture.enabled", "Refused with `serverless`")
ARTIFACT_TTL_AWS = cite(f"{T}Cdn.artifactTtlSeconds", "On AWS at least 1")
MAX_TTL_AWS = cite(f"{T}InferenceCache.maxTtlSeconds", "On AWS at least 1 while `enabled` is on")
VERSION_AZURE = cite(
    f"{R}.version",
    "it must be `MAJOR.MINOR.PATCH` without a pre-release or build suffix, greater than `0.0.0`, "
    "with MAJOR at most 2146 and MINOR and PATCH at most 999.",
)
INF1 = cite(f"{T}Rollout.strategy", "On AWS, `canary` and `linear` are refused on `ml.inf1` instances")
WAIT_ALARMS = cite(f"{T}Rollout.waitSeconds", "On AWS, while `autoRollback` is on, at least 300")
ROLLOUT_TIME = cite(
    f"{T}Rollout.waitSeconds",
    "The provider counts 900 s to provision the new fleet plus one baking period for `allAtOnce`, two for "
    "`canary` (the canary's and the final one) and one per step for `linear` (5 for 20 % steps), and refuses "
    "a rollout longer than 3600 s",
)
FLEET_RANGE = cite(f"{T}Rollout.newFleetReplicas", "Must be between `scaling.minReplicas` and `scaling.maxReplicas`")
FLEET_AWS = cite(f"{T}Rollout.newFleetReplicas", "Not allowed with `serverless`; refused on Azure.")
REQUEST_SETTINGS_AZURE = cite(f"{R}.requestSettings", "Refused on AWS, where SageMaker puts no concurrency limit")
cite(f"{T}RequestSettings", "Refused on AWS.")
LINEAR_AZURE = cite(
    "E:mlserving:index:RolloutStrategy.linear", "Refused on Azure, which cannot shift traffic in steps."
)
cite(f"{T}Rollout", "`linear` is refused")
cite(f"{T}Rollout.waitSeconds", "On AWS the whole rollout must also end within the 60 minutes")

# Sentences that state no rule on an input (they describe behaviour), with the reason.
INFORMATIONAL: dict[tuple[str, str], str] = {
    ("T:mlserving:index:ApiManagementSku", "Consumption cannot, so a platform with `network` on Azure needs one"): (
        "why the enum has no Consumption member (the schema's enum is the rule)"
    ),
    (f"{T}AwsNetwork", "a model's `VpcConfig`: one VPC, 1 to 16 subnets, 1 to 5 security groups"): (
        "SageMaker's rule, stated again: the fields' own sentences carry the bounds"
    ),
    (f"{N}.createEndpoints", "or your network has them already (`false`: give their ids)"): (
        "what the switch means; AwsNetwork's fields state which ids are required"
    ),
    (f"{T}AwsNetwork.vpcId", "Every subnet must be in it"): (
        "a fact of the user's VPC, which only the cloud can read (SageMaker refuses the model)"
    ),
    (f"{P}.api", "Default: API key required"): "a default, not a rule",
    (f"{R}.apiVersion", "(a second one is refused)"): (
        "a rule across releases (the provider's claims), asserted by "
        "tests/unit/test_bad_inputs.py::test_a_second_release_of_the_same_api_version_on_one_platform_is_refused; "
        "the fuzzer builds each release alone"
    ),
    (f"{R}.image", "must follow the same contract"): "what the container must do at run time",
    (f"{R}.image", "a SageMaker framework image needs an image whose default command serves"): (
        "what the container must do at run time"
    ),
    ("E:mlserving:index:RolloutStrategy.linear", "between steps"): "what a linear rollout does",
    ("T:mlserving:index:GeoRestrictionType", "the countries refused"): "what `deny` does",
    (f"{T}Cdn", "refused for the API"): "how the CDN answers plain HTTP",
    (f"{T}Events.deadLetterQueue", "so the dead-letter queue must keep messages longer"): "how long SQS keeps messages",
    (f"{T}Rollout.autoRollback", "the deploying identity needs"): (
        "the IAM permissions of whoever runs `pulumi up`, not a rule on an input"
    ),
    (f"{T}Monitoring.enabled", "Alarm-based automatic rollback needs it."): (
        "what turning monitoring off does to rollbacks (see Rollout.autoRollback), not a refusal"
    ),
}


def _memory_sizes() -> tuple[Citation, set[int]]:
    text = description(f"{T}Serverless.memorySizeMb")
    listed = re.search(r": ((?:\d+, )+\d+ or \d+)\.", text)
    assert listed, "Serverless.memorySizeMb lists its sizes"
    return cite(f"{T}Serverless.memorySizeMb", listed[0]), {int(n) for n in re.findall(r"\d+", listed[1])}


MEMORY, MEMORY_SIZES = _memory_sizes()


# ---------------------------------------------------------------- rules


def _bound_rules(inputs: Inputs, verdict: Verdict, prefix: str, type_name: str) -> None:
    """The ranges the descriptions of one object type's properties state."""
    token = _type_token(type_name)
    for (owner, name), bound in BOUNDS.items():
        if owner != token:
            continue
        path = f"{prefix}.{name}"
        value = inputs.get(path)
        if bound.length:
            if isinstance(value, list) and len(value) > (bound.high or 0):
                verdict.refuse(bound.sentence, path)
            continue
        if not known(value) or isinstance(value, (list, str, bool)):
            continue
        if bound.low is not None and (value <= bound.low if bound.low_open else value < bound.low):
            verdict.refuse(bound.sentence, path)
        if bound.high is not None and value > bound.high:
            verdict.refuse(bound.sentence, path)
        if bound.at_least_sibling is not None:
            other = inputs.get(f"{prefix}.{bound.at_least_sibling}")
            if known(other) and value < other:
                verdict.refuse(bound.sentence, path, f"{prefix}.{bound.at_least_sibling}")


def _scaling_rules(scaling: Mapping[str, Any], given: Any, cloud: str, verdict: Verdict) -> None:
    """The rules of an effective Scaling (the platform's, or a release's over its platform's).

    `given` holds the fields the component being checked sets.
    """
    given = given if isinstance(given, Mapping) else {}
    for name, value in scaling.items():
        bound = BOUNDS.get((_type_token("Scaling"), name))
        if bound is None or not known(value):
            continue
        if bound.low is not None and (value <= bound.low if bound.low_open else value < bound.low):
            verdict.refuse(bound.sentence, f"scaling.{name}")
        if bound.high is not None and value > bound.high:
            verdict.refuse(bound.sentence, f"scaling.{name}")
        if bound.at_least_sibling is not None:
            other = scaling.get(bound.at_least_sibling)
            if known(other) and value < other:
                verdict.refuse(bound.sentence, f"scaling.{name}", f"scaling.{bound.at_least_sibling}")
    if cloud == "azure":
        for name, why in COOLDOWN_AZURE.items():
            if known(scaling[name]) and scaling[name] < 60:
                verdict.refuse(why.text, f"scaling.{name}")
    if cloud == "azure" and given.get("targetInvocationsPerReplica") is not None:
        verdict.refuse(INVOCATIONS_AWS.text, "scaling.targetInvocationsPerReplica")
    if cloud == "aws" and given.get("targetCpuPercent") is not None:
        verdict.refuse(CPU_AZURE.text, "scaling.targetCpuPercent")


def _platform_scaling(inputs: Inputs) -> dict[str, Any]:
    return {name: _or(inputs.given(f"scaling.{name}"), default) for name, default in SCALING_DEFAULTS.items()}


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _names(verdict: Verdict, path: str, names: Any, why: Citation, pattern: re.Pattern[str] | None) -> None:
    """Names listed once (ignoring case), each non-empty and matching `pattern`."""
    seen: set[str] = set()
    for i, name in enumerate(names if isinstance(names, list) else []):
        if not isinstance(name, str):
            continue
        if not name or (pattern is not None and not pattern.match(name)):
            verdict.refuse(why.text, f"{path}[{i}]")
        if name.lower() in seen:
            verdict.refuse(why.text, f"{path}[{i}]")
        seen.add(name.lower())


def platform_rules(inputs: Inputs, verdict: Verdict) -> None:
    cloud = inputs.given("cloud")
    if not known(cloud):
        return
    aws, azure = cloud == "aws", cloud == "azure"

    if azure and inputs.given("azure") is None:
        verdict.refuse(AZURE_REQUIRED.text, "azure")
    if not azure and inputs.given("azure") is not None:
        verdict.refuse(AZURE_REFUSED.text, "azure")
    location, group = inputs.given("azure.location"), inputs.given("azure.resourceGroupName")
    if isinstance(location, str) and not re.fullmatch(r"[A-Za-z0-9 ]+", location):
        verdict.refuse(LOCATION.text, "azure.location")
    if isinstance(group, str) and not re.fullmatch(r"[\w().-]{0,89}[\w()-]", group):
        verdict.refuse(GROUP_NAME.text, "azure.resourceGroupName")

    for type_name, prefix in (
        ("ArtifactStore", "artifacts"),
        ("Cdn", "cdn"),
        ("InferenceCache", "cdn.inferenceCache"),
        ("Api", "api"),
        ("ApiQuota", "api.quota"),
        ("Events", "events"),
        ("Monitoring", "monitoring"),
    ):
        if prefix != "api.quota" or inputs.given("api.quota") is not None:
            _bound_rules(inputs, verdict, prefix, type_name)
    _scaling_rules(_platform_scaling(inputs), inputs.given("scaling"), cloud, verdict)

    if inputs.set("api.stageQuota") and not aws:
        verdict.refuse(STAGE_QUOTA_AWS.text, "api.stageQuota")

    kms = inputs.given("artifacts.kmsKeyArn")
    if kms is not None and not aws:
        verdict.refuse(KMS.text, "artifacts.kmsKeyArn")
    if isinstance(kms, str) and not KMS_ARN.match(kms):
        verdict.refuse(KMS.text, "artifacts.kmsKeyArn")

    redundancy = inputs.given("artifacts.redundancy")
    if redundancy is not None and not azure:
        verdict.refuse(REDUNDANCY_AWS.text, "artifacts.redundancy")
    if azure and isinstance(location, str) and re.fullmatch(r"[A-Za-z0-9 ]+", location):
        where = location.replace(" ", "").lower()
        if (redundancy == "ZRS" and where not in ZRS_REGIONS) or (redundancy == "GZRS" and where not in GZRS_REGIONS):
            verdict.refuse(REDUNDANCY_REGION.text, "artifacts.redundancy")

    domain, cert, acl = (inputs.given(f"cdn.{n}") for n in ("customDomain", "certificateArn", "webAclArn"))
    if cert is not None and not aws:
        verdict.refuse(CERT.text, "cdn.certificateArn")
    if isinstance(cert, str) and not ACM_US_EAST_1_ARN.match(cert):
        verdict.refuse(CERT.text, "cdn.certificateArn")
    if cert is not None and domain is None:
        verdict.refuse(CERT.text, "cdn.customDomain", "cdn.certificateArn")
    if domain is not None and cert is None and aws:
        verdict.refuse(DOMAIN_NEEDS_CERT.text, "cdn.certificateArn", "cdn.customDomain")
    if isinstance(domain, str) and not HOST_NAME.match(domain):
        verdict.refuse(DOMAIN.text, "cdn.customDomain")
    if acl is not None and not aws:
        verdict.refuse(WAF.text, "cdn.webAclArn")
    if isinstance(acl, str) and not WAF_CLOUDFRONT_ARN.match(acl):
        verdict.refuse(WAF.text, "cdn.webAclArn")
    if inputs.get("cdn.enabled") is False:
        for name, value in (("customDomain", domain), ("webAclArn", acl)):
            if value is not None:
                verdict.refuse(CDN_NEEDED.text, f"cdn.{name}")
    if aws and inputs.get("cdn.artifactTtlSeconds") == 0:
        verdict.refuse(ARTIFACT_TTL_AWS.text, "cdn.artifactTtlSeconds")
    if aws and cache_on(inputs) and inputs.get("cdn.inferenceCache.maxTtlSeconds") == 0:
        verdict.refuse(MAX_TTL_AWS.text, "cdn.inferenceCache.maxTtlSeconds")
    if azure and inputs.set("cdn.priceClass"):
        verdict.refuse(PRICE_CLASS.text, "cdn.priceClass")

    restriction = inputs.get("cdn.geoRestriction.restrictionType")
    locations = inputs.given("cdn.geoRestriction.locations")
    if azure and known(restriction) and restriction != "none":
        verdict.refuse(GEO_AZURE.text, "cdn.geoRestriction")
    if known(restriction) and restriction != "none" and not locations:
        verdict.refuse(LOCATIONS_REQUIRED.text, "cdn.geoRestriction.locations")
    if restriction == "none" and locations:
        verdict.refuse(LOCATIONS_EMPTY.text, "cdn.geoRestriction.locations")
    for i, code in enumerate(locations if isinstance(locations, list) else []):
        if isinstance(code, str) and not COUNTRY.match(code):
            verdict.refuse(COUNTRIES.text, f"cdn.geoRestriction.locations[{i}]")

    require_key = inputs.get("api.requireApiKey")
    _names(
        verdict,
        "cdn.inferenceCache.queryStringKeys",
        inputs.given("cdn.inferenceCache.queryStringKeys"),
        QUERY_KEYS,
        None,
    )
    headers = inputs.given("cdn.inferenceCache.headerKeys")
    _names(verdict, "cdn.inferenceCache.headerKeys", headers, HEADER_KEYS, HEADER_NAME)
    if azure and headers:
        verdict.refuse(HEADERS_AWS.text, "cdn.inferenceCache.headerKeys")
    if isinstance(headers, list) and require_key is True:
        if len(headers) > 9:
            verdict.refuse(HEADERS_WITH_KEY.text, "cdn.inferenceCache.headerKeys")
        for i, name in enumerate(headers):
            if isinstance(name, str) and name.lower() == "x-api-key":
                verdict.refuse(API_KEY_HEADER.text, f"cdn.inferenceCache.headerKeys[{i}]")

    if inputs.given("api.quota") is not None and require_key is False:
        verdict.refuse(QUOTA_NEEDS_KEY.text, "api.quota", "api.requireApiKey")

    _tag_rules(inputs.given("tags"), cloud, inputs.get("cdn.enabled") is not False, verdict)
    _network_rules(inputs, cloud, verdict)

    email = inputs.given("monitoring.alarmEmail")
    if isinstance(email, str) and not EMAIL.match(email):
        verdict.refuse(EMAIL_ADDRESS.text, "monitoring.alarmEmail")
    if email is not None and inputs.get("monitoring.enabled") is False:
        verdict.refuse(EMAIL_NEEDS_MONITORING.text, "monitoring.alarmEmail", "monitoring.enabled")


def private_api(inputs: Inputs) -> bool:
    return inputs.given("network") is not None and inputs.get("network.public") is False


def cache_on(inputs: Inputs) -> bool:
    """Whether the inference cache is on (CACHE_DEFAULT: its default depends on `network.public`)."""
    given = inputs.given("cdn.inferenceCache.enabled")
    return bool(given) if given is not None else not private_api(inputs)


def _aws_id_rules(
    verdict: Verdict, path: str, value: Any, prefix: str, bounds: tuple[int, int] | None, why: Citation
) -> None:
    form = re.compile(rf"{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})")
    if isinstance(value, str) and not form.fullmatch(value):
        verdict.refuse(AWS_ID_FORM.text, path)
    if isinstance(value, list):
        low, high = bounds or (0, 0)
        if not low <= len(value) <= high:
            verdict.refuse(why.text, path)
        seen: set[str] = set()
        for i, item in enumerate(value):
            if isinstance(item, str) and not form.fullmatch(item):
                verdict.refuse(AWS_ID_FORM.text, f"{path}[{i}]")
            if isinstance(item, str) and item in seen:
                verdict.refuse(why.text, f"{path}[{i}]")
            if isinstance(item, str):
                seen.add(item)


def _network_rules(inputs: Inputs, cloud: str, verdict: Verdict) -> None:
    if inputs.given("network") is None:
        return
    aws_net, azure_net = inputs.given("network.aws"), inputs.given("network.azure")
    if cloud == "aws" and aws_net is None:
        verdict.refuse(NETWORK_AWS.text, "network.aws")
    if cloud != "aws" and aws_net is not None:
        verdict.refuse(NETWORK_AWS.text, "network.aws")
    if cloud == "azure" and azure_net is None:
        verdict.refuse(NETWORK_AZURE.text, "network.azure")
    if cloud != "azure" and azure_net is not None:
        verdict.refuse(NETWORK_AZURE.text, "network.azure")
    public = inputs.get("network.public") is not False
    endpoints = inputs.get("network.createEndpoints") is not False
    if private_api(inputs) and inputs.get("cdn.enabled") is not False and cache_on(inputs):
        verdict.refuse(CACHE_PRIVATE.text, "cdn.inferenceCache.enabled")
    if cloud == "aws" and aws_net is not None:
        a = "network.aws"
        _aws_id_rules(verdict, f"{a}.vpcId", inputs.given(f"{a}.vpcId"), "vpc", None, AWS_ID_FORM)
        _aws_id_rules(verdict, f"{a}.subnetIds", inputs.given(f"{a}.subnetIds"), "subnet", (1, 16), SUBNETS)
        _aws_id_rules(verdict, f"{a}.securityGroupIds", inputs.given(f"{a}.securityGroupIds"), "sg", (1, 5), GROUPS)
        tables = inputs.given(f"{a}.routeTableIds")
        _aws_id_rules(verdict, f"{a}.routeTableIds", tables, "rtb", (1, 50), ROUTE_TABLES)
        s3 = inputs.given(f"{a}.s3EndpointId")
        _aws_id_rules(verdict, f"{a}.s3EndpointId", s3, "vpce", None, AWS_ID_FORM)
        apis = inputs.given(f"{a}.apiEndpointIds")
        _aws_id_rules(verdict, f"{a}.apiEndpointIds", apis, "vpce", (1, 50), API_ENDPOINTS)
        if (tables is None) == endpoints:
            verdict.refuse(ROUTE_TABLES_WHEN.text, f"{a}.routeTableIds")
        if (s3 is None) != endpoints:
            verdict.refuse(S3_ENDPOINT_WHEN.text, f"{a}.s3EndpointId")
        if (apis is None) == (not endpoints and not public):
            verdict.refuse(API_ENDPOINTS_WHEN.text, f"{a}.apiEndpointIds")
    if cloud == "azure" and azure_net is not None:
        for name, why in (("subnetId", AZURE_SUBNET), ("apiSubnetId", AZURE_API_SUBNET)):
            value = inputs.given(f"network.azure.{name}")
            if isinstance(value, str) and not AZURE_SUBNET_ID.fullmatch(value):
                verdict.refuse(why.text, f"network.azure.{name}")
        sku = inputs.given("network.azure.apiSku")
        if not public and sku not in ("Developer", "Premium"):
            verdict.refuse(API_SKU_PRIVATE.text, "network.azure.apiSku")


def _aws_tag_text(text: str) -> bool:
    """Letters, digits and spaces (of any script: Unicode categories L, N and Z) and `_ . : / = + - @`."""
    return all(unicodedata.category(c)[0] in "LNZ" or c in "_.:/=+-@" for c in text)


def _tag_rules(tags: Any, cloud: str, cdn_on: bool, verdict: Verdict) -> None:
    if not isinstance(tags, Mapping) or not known(tags):
        return
    if len(tags) > (46 if cloud == "aws" else 14):
        verdict.refuse((TAGS_AWS if cloud == "aws" else TAGS_AZURE).text, "tags")
    for key, value in tags.items():
        path = f"tags.{key}"
        if not 1 <= len(key) <= 128 or (isinstance(value, str) and len(value) > 256):
            verdict.refuse(TAG_LENGTHS.text, path)
        if cloud == "aws":
            if key.lower().startswith("aws:"):
                verdict.refuse(TAG_PREFIX_AWS.text, path)
            if not _aws_tag_text(key) or (isinstance(value, str) and not _aws_tag_text(value)):
                verdict.refuse(TAG_TEXT_AWS.text, path)
        elif cloud == "azure":
            if set(key) & set("<>%&\\?/"):
                verdict.refuse(TAG_CHARS_AZURE.text, path)
            if cdn_on and set(key) & set("#:"):
                verdict.refuse(TAG_FRONT_DOOR.text, path)


@dataclass(frozen=True)
class PlatformFacts:
    """What a release's rules read of its platform: its cloud and its checked inputs."""

    cloud: str
    inputs: Inputs

    @property
    def scaling(self) -> dict[str, Any]:
        return _platform_scaling(self.inputs)


# Every SageMaker real-time inference instance type, from the SageMaker API (see the file's header).
SAGEMAKER_INSTANCE_TYPES = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "sagemaker_instance_types.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
# Every VM size of Azure ML managed online endpoints, in upper case (see the file's header).
AZURE_VM_SIZES = frozenset(
    line.strip().upper()
    for line in (Path(__file__).parent / "azure_ml_vm_sizes.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


def release_rules(inputs: Inputs, platform: PlatformFacts, verdict: Verdict) -> None:
    aws, azure = platform.cloud == "aws", platform.cloud == "azure"

    name = inputs.given("modelName")
    if isinstance(name, str) and not re.fullmatch(r"[a-z]([a-z0-9-]{0,30}[a-z0-9])?", name):
        verdict.refuse(MODEL_NAME.text, "modelName")
    version = inputs.given("version")
    if isinstance(version, str) and not SEMVER.match(version):
        verdict.refuse(VERSION.text, "version")
    elif isinstance(version, str) and azure:
        major, minor, patch = (int(n) for n in re.split(r"[.+-]", version)[:3])
        suffix = not re.fullmatch(r"\d+\.\d+\.\d+", version)
        if suffix or major > 2146 or minor > 999 or patch > 999 or major == minor == patch == 0:
            verdict.refuse(VERSION_AZURE.text, "version")
    api_version = inputs.given("apiVersion")
    if isinstance(api_version, str) and not re.fullmatch(r"v[1-9][0-9]{0,2}", api_version):
        verdict.refuse(API_VERSION.text, "apiVersion")
    elif isinstance(api_version, str) and aws and int(api_version[1:]) > platform.inputs.get("api.stageQuota"):
        verdict.refuse(API_VERSION_QUOTA.text, "apiVersion")
    image = inputs.given("image")
    if isinstance(image, str) and (not image or any(c.isspace() for c in image)):
        verdict.refuse(IMAGE.text, "image")
    artifact = inputs.given("artifact")
    if artifact is DEFERRED:
        verdict.refuse(ARTIFACT_VALUE.text, "artifact")
    if isinstance(artifact, (pulumi.Asset, pulumi.Archive)) and not (
        isinstance(artifact, (pulumi.FileAsset, pulumi.FileArchive)) and Path(str(artifact.path)).exists()
    ):
        verdict.refuse(ARTIFACT.text, "artifact")

    tarball = isinstance(artifact, pulumi.FileAsset) and str(artifact.path).endswith((".tar.gz", ".tgz"))
    if azure and tarball and Path(str(artifact.path)).exists() and not _unpacks(Path(str(artifact.path))):
        verdict.refuse(ARTIFACT_AZURE.text, "artifact")

    serverless = inputs.given("serverless")
    instance = inputs.given("instanceType")
    if isinstance(instance, str) and aws and instance not in SAGEMAKER_INSTANCE_TYPES:
        verdict.refuse(INSTANCE_AWS.text, "instanceType")
    if isinstance(instance, str) and azure and instance.upper() not in AZURE_VM_SIZES:
        verdict.refuse(INSTANCE_AZURE.text, "instanceType")
    if instance is not None and serverless is not None and aws:
        verdict.refuse(INSTANCE_SERVERLESS.text, "instanceType", "serverless")
    if inputs.given("scaling") and serverless is not None and aws:  # an empty `scaling` overrides nothing
        verdict.refuse(SCALING_SERVERLESS.text, "scaling", "serverless")
    if serverless is not None and not aws:
        verdict.refuse(SERVERLESS_AZURE.text, "serverless")
    if serverless is not None and aws and platform.inputs.given("network") is not None:
        verdict.refuse(SERVERLESS_NETWORK.text, "serverless")
    strategy = inputs.get("rollout.strategy")
    if serverless is not None and aws and known(strategy) and strategy != "allAtOnce":
        verdict.refuse(SERVERLESS_ROLLOUT.text, "rollout.strategy", "serverless")
    if serverless is not None and aws:  # the fields of an option refused on Azure are not read
        memory = inputs.get("serverless.memorySizeMb")
        if known(memory) and memory not in MEMORY_SIZES:
            verdict.refuse(MEMORY.text, "serverless.memorySizeMb")
        _bound_rules(inputs, verdict, "serverless", "Serverless")

    settings = inputs.given("requestSettings")
    if settings is not None and not azure:
        verdict.refuse(REQUEST_SETTINGS_AZURE.text, "requestSettings")
    if settings is not None and azure:
        _bound_rules(inputs, verdict, "requestSettings", "RequestSettings")

    capture = inputs.get("dataCapture.enabled")
    if capture is True and azure:
        verdict.refuse(CAPTURE_AZURE.text, "dataCapture.enabled")
    if capture is True and aws and serverless is not None:
        verdict.refuse(CAPTURE_SERVERLESS.text, "dataCapture.enabled", "serverless")
    _bound_rules(inputs, verdict, "dataCapture", "DataCapture")

    if azure and strategy == "linear":
        verdict.refuse(LINEAR_AZURE.text, "rollout.strategy")
    _bound_rules(inputs, verdict, "rollout", "Rollout")

    given_scaling = inputs.given("scaling")
    effective = dict(platform.scaling)
    if given_scaling is None or isinstance(given_scaling, Mapping):
        given_scaling = given_scaling or {}
        effective = {k: _or(given_scaling.get(k), v) for k, v in platform.scaling.items()}
        _scaling_rules(effective, given_scaling, platform.cloud, verdict)

    fleet = inputs.given("rollout.newFleetReplicas")
    if fleet is not None and (azure or serverless is not None):
        verdict.refuse(FLEET_AWS.text, "rollout.newFleetReplicas", "serverless")
    low, high = effective["minReplicas"], effective["maxReplicas"]
    if aws and serverless is None and known(fleet, low, high) and not low <= fleet <= high:
        verdict.refuse(FLEET_RANGE.text, "rollout.newFleetReplicas")

    if aws and isinstance(instance, str) and instance.startswith("ml.inf1.") and strategy in ("canary", "linear"):
        verdict.refuse(INF1.text, "rollout.strategy")
    if aws and (serverless is None or strategy == "allAtOnce"):
        _rollout_time(inputs, verdict)


def _rollout_time(inputs: Inputs, verdict: Verdict) -> None:
    """The AWS rules on a rollout's baking periods (of a strategy SageMaker can carry out)."""
    strategy, wait = inputs.get("rollout.strategy"), inputs.get("rollout.waitSeconds")
    step, rollback = inputs.get("rollout.linearStepPercent"), inputs.get("rollout.autoRollback")
    if not known(strategy, wait, step, rollback) or not 0 <= wait <= 3600:
        return  # refused by its type or its range
    if strategy == "linear" and not 10 <= step <= 50:
        return
    if rollback is True and wait < 300:
        verdict.refuse(WAIT_ALARMS.text, "rollout.waitSeconds")
    periods = math.ceil(100 / step) if strategy == "linear" else {"allAtOnce": 1, "canary": 2}[strategy]
    if 900 + periods * wait > 3600:
        verdict.refuse(ROLLOUT_TIME.text, "rollout.waitSeconds")


# ---------------------------------------------------------------- entry points


def platform(raw: Mapping[str, Any]) -> Verdict:
    """The oracle's verdict on MLServingPlatform inputs."""
    verdict = Verdict()
    spec = SCHEMA["resources"][PLATFORM]
    values = fields(spec["inputProperties"], spec.get("requiredInputs", []), raw, "", verdict)
    platform_rules(Inputs(PLATFORM, values), verdict)
    return verdict


def platform_facts(raw: Mapping[str, Any]) -> PlatformFacts:
    """The facts of a platform the oracle accepts."""
    verdict = Verdict()
    spec = SCHEMA["resources"][PLATFORM]
    values = fields(spec["inputProperties"], spec.get("requiredInputs", []), raw, "", verdict)
    assert verdict.accepted, verdict.refusals
    return PlatformFacts(values["cloud"], Inputs(PLATFORM, values))


def _unpacks(path: Path) -> bool:
    """Whether a file is a tarball whose members can all be read."""
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                if member.isfile():
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    extracted.read()
    except (tarfile.TarError, OSError, EOFError):
        return False
    return True


def release(raw: Mapping[str, Any], platforms: Mapping[str, PlatformFacts]) -> Verdict:
    """The oracle's verdict on ModelRelease inputs; `platforms` are the platforms that exist, by URN."""
    verdict = Verdict()
    spec = SCHEMA["resources"][RELEASE]
    values = fields(spec["inputProperties"], spec.get("requiredInputs", []), raw, "", verdict)
    ref = values.get("platform")
    urn = _platform_urn(ref)
    if ref is not None and ref is not BAD and urn not in platforms:
        # Nothing else can be judged without the platform's cloud.
        verdict.structural = True
        verdict.refuse(PLATFORM_REF.text, "platform")
    if urn is not None and urn in platforms:
        release_rules(Inputs(RELEASE, values), platforms[urn], verdict)
    return verdict


def _platform_urn(ref: Any) -> str | None:
    """The URN of a resource reference to an MLServingPlatform (a reference the engine resolved)."""
    if not isinstance(ref, pulumi.Resource):
        return None
    urn = getattr(ref, "platform_urn", None)  # a PlatformReference keeps its URN plain
    if not isinstance(urn, str) or urn.count("::") != 3:
        return None
    return urn if urn.split("::")[2].split("$")[-1] == PLATFORM else None


def all_citations() -> Iterator[Citation]:
    """Every sentence the oracle reads: the rules' citations and the ranges read from the text."""
    yield from CITED
    for bound in BOUNDS.values():
        yield Citation(bound.where, bound.sentence)
