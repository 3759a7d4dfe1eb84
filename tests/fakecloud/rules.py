"""The cloud-rule table: what AWS, Azure and their Pulumi providers refuse or do, carried by fakecloud (a TEST DOUBLE).

A test double agrees with the code its authors wrote, unless it carries the cloud's own
rules. Each `Rule` here is one fact learned from the cloud's documentation or from the
provider's source: the resource types it applies to, a predicate over the inputs (for
updates and diffs also the old state), the message the real cloud or provider gives, and
the link it was learned from. fakecloud (server.py) applies the table where the real
failure happens:

- `CHECK`: the provider's own validation, during `preview` (the Terraform schema's
  validators through the bridge, azure-native's required properties);
- `CREATE`, `UPDATE`, `APPLY` (both): the cloud's API refuses (or the provider gives up)
  during `up`; a preview passes, as it does for real;
- `REPLACE`: a change of these inputs replaces the resource (Terraform's ForceNew);
- `DELETE_FIRST`: the replacement deletes the old resource before creating the new one;
- `DELETE`: what the cloud keeps of a resource Pulumi deletes (a KMS key: PendingDeletion);
- `CASCADE`: the resources a delete takes with it (an Azure resource's children);
- `PARTIAL`: a refused update is saved with the requested inputs (the Terraform bridge);
- `INVOKE`: how a read (an invoke) of a resource the cloud does not hold fails;
- `DRAW`: what a Create draws anew (random values, autonames, ids the cloud assigns): the
  verdict is the creation number fakecloud seeds those draws with (clouds.py `Resource.seed`);
- `IDENTITY`: what the cloud names a resource whose provider id is unique only within a parent
  (an S3 object's id is its key): the verdict is the name its cloud-side record is kept under
  (state.py `Record.identity`).

The cloud has a memory (DESIGN.md): fakecloud's cloud-side state (state.py) keeps what
Pulumi retains or forgets, so the lifecycle rules (AWS-8 to AWS-11, Azure-6 to Azure-9,
Bridge-1) judge a call against what the stand-in cloud still holds (`Call.lookup`,
`Call.records`), not against Pulumi's state.

Where the cloud's exact text is not published, the message says so ("paraphrase") and
names the rule; it never pretends to be the cloud's wording. Every rule has a contract
test in tests/contract/test_fakecloud.py. Add a rule whenever a real-cloud fact is
learned.

The SageMaker blue/green deployment time (AWS-1) is modelled by `deployment_seconds`; see
its docstring for the model and what it assumes.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.fakecloud import apimodels
from tests.fakecloud.apimodels import Phase
from tests.fakecloud.clouds import (
    ACCOUNT_ID,
    AWS_NAMED,
    AZURE_NOT_NAMES,
    AZURE_SUBSCRIPTION,
    arm_escape,
    azure_name_property,
)
from tests.fakecloud.sdk import SDK_MODULES, required_inputs
from tests.fakecloud.state import Record
from tests.fakecloud.wire import contains_unknown, digest

__all__ = [
    "ANY_TOKEN",
    "APIGATEWAY_QUOTAS",
    "AZURE_CREATE_BEFORE_DELETE",
    "DEFAULTS",
    "GREEN_FLEET_LAUNCH_SECONDS",
    "GUARDRAIL_EXCLUDED_INSTANCE_PREFIXES",
    "GZRS_REGIONS",
    "PROVIDER_WAIT_SECONDS",
    "RULES",
    "SAGEMAKER_CONFIG",
    "SAGEMAKER_ENDPOINT",
    "ZRS_REGIONS",
    "Call",
    "Effect",
    "Rule",
    "arm_error",
    "arm_path",
    "aws_api_error",
    "azure_region",
    "creation_number",
    "current_config",
    "deployment_seconds",
    "deploys",
    "guardrails_apply",
    "identity",
    "judge",
]

ANY_TOKEN = "*"
DEFAULTS = "__defaults"
"""The bridge's list of the inputs it filled with defaults (autonamed names among them)."""
AZURE_CREATE_BEFORE_DELETE = "__createBeforeDelete"
"""azure-native's input flag: the name was generated, so a replacement may create first."""

SAGEMAKER_MODEL = "aws:sagemaker/model:Model"
SAGEMAKER_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
SAGEMAKER_ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CACHE_POLICY = "aws:cloudfront/cachePolicy:CachePolicy"
EVENT_ARCHIVE = "aws:cloudwatch/eventArchive:EventArchive"
IAM_ROLE = "aws:iam/role:Role"
APIM_SERVICE = "azure-native:apimanagement:ApiManagementService"
ML_MODEL_VERSION = "azure-native:machinelearningservices:ModelVersion"
AFD_ORIGIN_GROUP = "azure-native:cdn:AFDOriginGroup"
AFD_ROUTE = "azure-native:cdn:Route"
AFD_RULE = "azure-native:cdn:Rule"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
ML_WORKSPACE = "azure-native:machinelearningservices:Workspace"
DNS_ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"

PROVIDER_WAIT_SECONDS = 3600
"""The AWS provider's hard-coded InService wait (PR #39090, internal/service/sagemaker/endpoint.go)."""
GREEN_FLEET_LAUNCH_SECONDS = 300
"""fakecloud's ASSUMPTION of how long SageMaker takes to launch a new (green) fleet before it
shifts traffic. AWS publishes no figure; instance endpoints usually take several minutes,
and PR #39090 reports serverless endpoints taking over 10 minutes to become InService."""
GUARDRAIL_EXCLUDED_INSTANCE_PREFIXES = ("ml.inf1.",)
"""Endpoints on these instances fall back to all-at-once with no final baking period
(https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html)."""


class Effect(enum.Enum):
    CHECK = "refused by the provider's Check (preview fails)"
    CREATE = "refused when created (preview passes)"
    UPDATE = "refused when updated (preview passes)"
    APPLY = "refused when created or updated (preview passes)"
    REPLACE = "a change replaces the resource"
    DELETE_FIRST = "a replacement deletes before it creates"
    DELETE = "a delete leaves the resource in the cloud, in this state"
    CASCADE = "a delete takes these other resources with it"
    PARTIAL = "a refused update is saved with the requested inputs"
    INVOKE = "a read of a resource the cloud does not hold fails so"
    DRAW = "a create draws new random values, seeded with this creation number"
    IDENTITY = "the cloud names the resource so (its id is unique only within a parent)"


@dataclass(frozen=True)
class Call:
    """What a rule sees of one provider call. Values are revealed (secrets unwrapped)."""

    package: str
    token: str
    name: str
    """The resource's name in its URN."""
    news: Mapping[str, Any]
    urn: str = ""
    """The resource's URN (Check and Create; for DRAW)."""
    olds: Mapping[str, Any] = field(default_factory=dict)
    """The resource's prior outputs (Diff, Update); empty for a create."""
    old_inputs: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""
    region: str = "us-east-1"
    changed: tuple[str, ...] = ()
    """Diff: the top-level inputs that differ."""
    replaces: tuple[str, ...] = ()
    """Diff: the inputs that force a replacement (for DELETE_FIRST rules)."""
    lookup: Callable[[str, str], Record | None] = field(default=lambda token, rid: None)
    """The stand-in cloud's record of a resource, by token and id."""
    target: str = ""
    """Create: the id the new resource gets (its physical name or ARM id); empty otherwise."""
    records: Callable[[], Sequence[Record]] = field(default=lambda: ())
    """Every resource of the package the stand-in cloud holds (tombstones too), for quotas and cascades."""
    quotas: Mapping[str, int] = field(default_factory=dict)
    """Quotas a test raised (drift.py `quota <rule key> <value>`), by rule key."""

    @property
    def request_id(self) -> str:
        """A deterministic AWS request id for error messages."""
        h = digest(self.token, self.name, self.id, "request")
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


Verdict = Callable[[Call], list[str]]


@dataclass(frozen=True)
class Rule:
    key: str
    tokens: frozenset[str]
    """The resource types it applies to (ANY_TOKEN: every type of `packages`)."""
    packages: frozenset[str]
    effect: Effect
    summary: str
    source: str
    verdict: Verdict
    """The refusal messages (REPLACE: the inputs replaced; DELETE_FIRST: why), empty if it does not apply."""
    stops: bool = False
    """When it applies, the provider stops there: the other rules of its effect are not reached."""

    def applies(self, call: Call) -> bool:
        return call.package in self.packages and (ANY_TOKEN in self.tokens or call.token in self.tokens)


# ---------------------------------------------------------------- helpers


def _at(value: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def _known_str(value: Any) -> str | None:
    return value if isinstance(value, str) and not contains_unknown(value) else None


def _goq(value: str) -> str:
    """Go's %q of a string (close enough for names: quotes and backslashes escaped)."""
    return json.dumps(value, ensure_ascii=False)


def _examine(call: Call, reason: str, path: str) -> str:
    """A Terraform validation failure as the bridge reports it (check_failures.go, NewCheckFailure)."""
    return f"{reason}. Examine values at '{call.name}.{path}'."


def _aws_api(call: Call, operation: str, code: str, message: str, modeled: bool = False, status: int = 400) -> str:
    """An aws-sdk-go-v2 error: `operation error <svc>: <op>, https response error ..., <code>: <message>`."""
    return aws_api_error(call.request_id, operation, code, message, modeled, status)


def aws_api_error(
    request_id: str, operation: str, code: str, message: str, modeled: bool = False, status: int = 400
) -> str:
    """An aws-sdk-go-v2 error as the AWS provider reports it (`operation` is `<service>:<operation>`);
    an error code the service model does not declare is prefixed `api error`."""
    service, op = operation.split(":")
    error = f"{code}: {message}" if modeled else f"api error {code}: {message}"
    return (
        f"operation error {service}: {op}, https response error StatusCode: {status}, RequestID: {request_id}, {error}"
    )


def _azure(code: str, message: str) -> str:
    """An Azure Resource Manager error as azure-native reports it (code and message are Azure's)."""
    return arm_error(400, code, message)


def arm_error(status: int, code: str, message: str) -> str:
    """An ARM error response as azure-native reports it: `Status=<n> Code="<code>" Message="<message>"`
    (provider/pkg/azure/client_azcore.go newResponseError and PulumiAzcoreResponseError, which replace
    azcore's verbose ResponseError text since pulumi/pulumi-azure-native#3783)."""
    return f'Status={status} Code="{code}" Message="{message}"'


def _paraphrase(rule: str, text: str) -> str:
    return f"fakecloud {rule} (a paraphrase: the cloud's exact error text is not published): {text}"


# ---------------------------------------------------------------- AWS-1: blue/green time vs the provider's wait


def guardrails_apply(instance_type: str | None) -> bool:
    """False for instance types excluded from deployment guardrails (all at once, no final baking period)."""
    return not (instance_type or "").startswith(GUARDRAIL_EXCLUDED_INSTANCE_PREFIXES)


def _steps(size: Any, instance_count: int | None) -> int:
    kind, value = _at(size, "type"), float(_at(size, "value") or 0)
    if value <= 0:
        return 1
    if kind == "INSTANCE_COUNT":
        return max(1, math.ceil((instance_count or 1) / value))
    return max(1, math.ceil(100 / value))


def deployment_seconds(
    deployment_config: Mapping[str, Any] | None,
    instance_type: str | None = None,
    instance_count: int | None = None,
) -> int:
    """How long an UpdateEndpoint keeps the endpoint out of InService, as fakecloud models SageMaker.

    SageMaker launches the new (green) fleet, then shifts traffic in steps; after every
    step comes a baking period of `waitIntervalInSeconds` (the last one is the "final
    baking period"), and after the last it waits `terminationWaitInSeconds` before it
    terminates the old (blue) fleet. The endpoint is `Updating` throughout:
    - ALL_AT_ONCE: 1 step; CANARY: 2 (the canary, then the rest); LINEAR: 100 / step %
      rounded up (INSTANCE_COUNT steps: instances / step, rounded up; 1 step when the
      instance count is unknown); a rolling update: its batches, each with its wait;
    - guardrail exclusions (ml.inf1.*): all at once and no final baking period, so no wait;
    - the green fleet's launch: GREEN_FLEET_LAUNCH_SECONDS (an assumption, see there).
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-canary.html
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-linear.html
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BlueGreenUpdatePolicy.html
    """
    config = deployment_config or {}
    policy = _at(config, "blueGreenUpdatePolicy") or {}
    rolling = _at(config, "rollingUpdatePolicy")
    termination = int(float(_at(policy, "terminationWaitInSeconds") or 0))
    if rolling:
        wait = int(float(_at(rolling, "waitIntervalInSeconds") or 0))
        return GREEN_FLEET_LAUNCH_SECONDS + _steps(_at(rolling, "maximumBatchSize"), instance_count) * wait
    routing = _at(policy, "trafficRoutingConfiguration") or {}
    wait = int(float(_at(routing, "waitIntervalInSeconds") or 0))
    kind = _at(routing, "type") or "ALL_AT_ONCE"
    if not guardrails_apply(instance_type):
        steps, wait = 1, 0
    elif kind == "CANARY":
        steps = 2
    elif kind == "LINEAR":
        steps = _steps(_at(routing, "linearStepSize"), instance_count)
    else:
        steps = 1
    return GREEN_FLEET_LAUNCH_SECONDS + steps * wait + termination


def deploys(call: Call) -> bool:
    """UpdateEndpoint runs (the provider calls it when the configuration or the deployment config changes)."""
    return any(call.olds.get(k) != call.news.get(k) for k in ("endpointConfigName", "deploymentConfig"))


def _variant(call: Call, config_name: Any) -> Mapping[str, Any]:
    record = call.lookup(SAGEMAKER_CONFIG, str(config_name)) if config_name else None
    variants = record.outputs.get("productionVariants") if record is not None else None
    return variants[0] if isinstance(variants, list) and variants and isinstance(variants[0], Mapping) else {}


def _rollout_exceeds_wait(call: Call) -> list[str]:
    if not deploys(call) or call.olds.get("endpointConfigName") == call.news.get("endpointConfigName"):
        return []
    variant = _variant(call, call.news.get("endpointConfigName"))
    count = variant.get("initialInstanceCount")
    seconds = deployment_seconds(
        call.news.get("deploymentConfig"),
        _known_str(variant.get("instanceType")),
        int(float(count)) if isinstance(count, (int, float)) else None,
    )
    if seconds <= PROVIDER_WAIT_SECONDS:
        return []
    return [
        f"waiting for SageMaker AI Endpoint ({call.id or call.news.get('name')}) update: timeout while waiting "
        "for state to become 'InService' (last state: 'Updating', timeout: 1h0m0s)"
    ]


# ---------------------------------------------------------------- AWS-2: the endpoint's configurations must exist


def _config_arn(call: Call, name: str, record: Record | None) -> str:
    arn = record.outputs.get("arn") if record is not None else None
    return str(arn) if arn else f"arn:aws:sagemaker:{call.region}:{ACCOUNT_ID}:endpoint-config/{name.lower()}"


def current_config(call: Call) -> Any:
    """The configuration the endpoint runs on, as the cloud knows it (after a rollback: the old one)."""
    record = call.lookup(SAGEMAKER_ENDPOINT, call.id) if call.id else None
    if record is not None and not record.deleted:
        return record.outputs.get("endpointConfigName")
    return call.olds.get("endpointConfigName")


def _missing_config(call: Call) -> list[str]:
    if not deploys(call):
        return []
    for name in (current_config(call), call.news.get("endpointConfigName")):
        record = call.lookup(SAGEMAKER_CONFIG, str(name)) if name else None
        if record is not None and record.deleted:
            arn = _config_arn(call, str(name), record)
            return [
                f"updating SageMaker AI Endpoint ({call.id}): "
                + _aws_api(
                    call,
                    "SageMaker:UpdateEndpoint",
                    "ValidationException",
                    f"Could not find endpoint configuration {_goq(arn)}.",
                )
            ]
    return []


def _variant_renamed(call: Call) -> list[str]:
    if not deploys(call):
        return []
    old, new = _variant(call, current_config(call)), _variant(call, call.news.get("endpointConfigName"))
    if old and new and old.get("variantName") != new.get("variantName"):
        return [
            _paraphrase(
                "AWS-2b",
                "a blue/green update needs the new endpoint configuration to have the variant name of the old one "
                f"(old {old.get('variantName')!r}, new {new.get('variantName')!r})",
            )
        ]
    return []


# ---------------------------------------------------------------- AWS-4: replacements


def _aws_autoname_property(token: str) -> str | None:
    rule = AWS_NAMED.get(token)
    return rule[0] if rule else None


def _bridge_delete_first(call: Call) -> list[str]:
    prop = _aws_autoname_property(call.token)
    if not call.replaces or prop is None or call.news.get(prop) is None:
        return []
    defaults = call.news.get(DEFAULTS)
    # No defaults list: the bridge takes the resource for autonamed (pulumi-terraform#465).
    if not isinstance(defaults, list) or prop in defaults:
        return []
    return [f"'{prop}' is set explicitly, so the replacement cannot exist beside the old resource"]


def _rollback_forcenew(call: Call) -> list[str]:
    old = call.olds if "deploymentConfig" in call.olds else call.old_inputs
    before = _at(old.get("deploymentConfig"), "autoRollbackConfiguration")
    after = _at(call.news.get("deploymentConfig"), "autoRollbackConfiguration")
    return ["deploymentConfig"] if (before or None) != (after or None) else []


UPDATABLE = frozenset({"tags", "tagsAll", DEFAULTS})


def _all_but_tags_forcenew(call: Call) -> list[str]:
    return [k for k in call.changed if k not in UPDATABLE]


def _azure_delete_first(call: Call) -> list[str]:
    if not call.replaces:
        return []
    flag = call.old_inputs.get(AZURE_CREATE_BEFORE_DELETE)
    if isinstance(flag, bool) and flag:
        return []
    return ["the resource's name is not generated, so the replacement cannot exist beside the old resource"]


# ---------------------------------------------------------------- AWS-6: cache policies with caching disabled


def _caching_disabled_parameters(call: Call) -> list[str]:
    ttls = [call.news.get("minTtl"), call.news.get("defaultTtl"), call.news.get("maxTtl")]
    # Terraform's defaults: min 0, default 86400, max 31536000 (a TTL left out is not 0).
    effective = [
        float(v) if isinstance(v, (int, float)) else d for v, d in zip(ttls, (0.0, 86400.0, 31536000.0), strict=True)
    ]
    if any(effective):
        return []
    params = call.news.get("parametersInCacheKeyAndForwardedToOrigin") or {}
    checks = (
        ("HeaderBehavior", _at(params, "headersConfig", "headerBehavior") not in (None, "none")),
        ("CookieBehavior", _at(params, "cookiesConfig", "cookieBehavior") not in (None, "none")),
        ("QueryStringBehavior", _at(params, "queryStringsConfig", "queryStringBehavior") not in (None, "none")),
        ("EnableAcceptEncodingGzip", _at(params, "enableAcceptEncodingGzip") is True),
        ("EnableAcceptEncodingBrotli", _at(params, "enableAcceptEncodingBrotli") is True),
    )
    bad = [parameter for parameter, refused in checks if refused]
    if not bad:
        return []
    if call.id:
        prefix, operation = f"updating CloudFront Cache Policy ({call.id}): ", "CloudFront:UpdateCachePolicy"
    else:
        prefix, operation = (
            f"creating CloudFront Cache Policy ({call.news.get('name')}): ",
            "CloudFront:CreateCachePolicy",
        )
    message = f"The parameter {bad[0]} is invalid for policy with caching disabled."
    return [prefix + _aws_api(call, operation, "InvalidArgument", message, modeled=True)]


# ---------------------------------------------------------------- AWS-7: physical names

SAGEMAKER_NAME_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
"""As the SageMaker API reference writes it (and its ValidationException quotes it)."""
SAGEMAKER_API_NAME = re.compile(SAGEMAKER_NAME_PATTERN + "$")
SAGEMAKER_NAME_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # token -> (input, Terraform attribute, API field)
    SAGEMAKER_MODEL: (("name", "name", "modelName"),),
    SAGEMAKER_CONFIG: (("name", "name", "endpointConfigName"),),
    SAGEMAKER_ENDPOINT: (
        ("name", "name", "endpointName"),
        ("endpointConfigName", "endpoint_config_name", "endpointConfigName"),
    ),
}
SAGEMAKER_OPERATIONS = {
    SAGEMAKER_MODEL: ("SageMaker:CreateModel", "creating SageMaker AI model: "),
    SAGEMAKER_CONFIG: ("SageMaker:CreateEndpointConfig", "creating SageMaker AI Endpoint Configuration ({name}): "),
    SAGEMAKER_ENDPOINT: ("SageMaker:CreateEndpoint", "creating SageMaker AI Endpoint ({name}): "),
}


def _sagemaker_valid_name(call: Call) -> list[str]:
    """internal/service/sagemaker/validate.go validName / validPrefix."""
    out: list[str] = []
    fields = [(i, t, 63) for i, t, _ in SAGEMAKER_NAME_FIELDS[call.token]] + [("namePrefix", "name_prefix", 63 - 26)]
    for prop, attr, limit in fields:
        value = _known_str(call.news.get(prop))
        if value is None:
            continue
        reasons = []
        if not re.fullmatch(r"[0-9A-Za-z-]+", value):
            reasons.append(f"only alphanumeric characters and hyphens allowed in {_goq(attr)}: {_goq(value)}")
        if len(value) > limit:
            reasons.append(f"{_goq(attr)} cannot be longer than {limit} characters: {_goq(value)}")
        if value.startswith("-"):
            reasons.append(f"{_goq(attr)} cannot begin with a hyphen: {_goq(value)}")
        out += [_examine(call, reason, prop) for reason in reasons]
    return out


def _sagemaker_api_name(call: Call) -> list[str]:
    operation, prefix = SAGEMAKER_OPERATIONS[call.token]
    if call.id:  # an update: only UpdateEndpoint's configuration name reaches the API
        operation, prefix = "SageMaker:UpdateEndpoint", "updating SageMaker AI Endpoint ({name}): "
    for prop, _, field_name in SAGEMAKER_NAME_FIELDS[call.token]:
        if call.id and prop != "endpointConfigName":
            continue
        value = _known_str(call.news.get(prop))
        if value is not None and not SAGEMAKER_API_NAME.match(value):
            message = (
                f"1 validation error detected: Value '{value}' at '{field_name}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {SAGEMAKER_NAME_PATTERN}"
            )
            name = call.id or call.news.get("name")
            return [prefix.format(name=name) + _aws_api(call, operation, "ValidationException", message)]
    return []


def _len_between(attr: str, value: str, low: int, high: int) -> list[str]:
    """terraform-plugin-sdk validation.StringLenBetween."""
    return (
        []
        if low <= len(value) <= high
        else [f"expected length of {attr} to be in the range ({low} - {high}), got {value}"]
    )


def _event_archive_name(call: Call) -> list[str]:
    """internal/service/events/validate.go validArchiveName: length 1-48, [.-_A-Za-z0-9]+."""
    value = _known_str(call.news.get("name"))
    if value is None:
        return []
    reasons = _len_between("name", value, 1, 48)
    pattern = r"^[\.\-_A-Za-z0-9]+$"
    if not re.match(pattern, value):
        reasons.append(f"expected value of name to match regular expression {_goq(pattern)}, got {value}")
    return [_examine(call, reason, "name") for reason in reasons]


def _iam_role_name(call: Call) -> list[str]:
    """internal/service/iam/role.go: validResourceName(64) for name, (64 - 26) for name_prefix."""
    out = []
    for prop, attr, limit in (("name", "name", 64), ("namePrefix", "name_prefix", 64 - 26)):
        value = _known_str(call.news.get(prop))
        if value is None:
            continue
        reasons = _len_between(attr, value, 1, limit)
        if not re.fullmatch(r"[\w+=,.@-]*", value, flags=re.ASCII):
            reasons.append(f"invalid value for {attr} (must match [\\w+=,.@-])")
        out += [_examine(call, reason, prop) for reason in reasons]
    return out


def _autoname_too_long(call: Call) -> list[str]:
    """The bridge's autonamer (resource.NewUniqueHex): `<URN name>-` plus 7 random characters, at most the limit."""
    rule = AWS_NAMED.get(call.token)
    defaults = call.news.get(DEFAULTS)
    if rule is None or not isinstance(defaults, list) or rule[0] not in defaults:
        return []
    prop, limit, _ = rule
    value = _known_str(call.news.get(prop)) or ""
    if len(value) <= limit:
        return []
    return [f"name '{value[:-7]}' plus 7 random chars is longer than maximum length {limit}"]


# ---------------------------------------------------------------- Azure

APIM_SSL30 = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30"
APIM_CIPHERS = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers."


def _apim_consumption_properties(call: Call) -> list[str]:
    if _at(call.news.get("sku"), "name") != "Consumption":
        return []
    props = call.news.get("customProperties") or {}
    refused = sorted(k for k in props if k == APIM_SSL30 or k.startswith(APIM_CIPHERS))
    if not refused:
        return []
    return [_azure("NotSupported", f"'{','.join(refused)}' customProperties are not supported in SkuType Consumption.")]


def _model_version_integer(call: Call) -> list[str]:
    version = call.news.get("version")
    if version is None or contains_unknown(version):
        return []
    text = str(version)
    if re.fullmatch(r"[0-9]+", text) and int(text) > 0:
        return []
    return [_paraphrase("Azure-2", f"an Azure ML model version must be a positive integer (got {text!r})")]


def _mi_authenticated(call: Call, group_id: Any) -> bool:
    record = call.lookup(AFD_ORIGIN_GROUP, str(group_id)) if group_id else None
    return record is not None and not record.deleted and bool(_at(record.outputs, "authentication", "type"))


def _afd_group_probe(call: Call) -> list[str]:
    if not _at(call.news.get("authentication"), "type"):
        return []
    protocol = _at(call.news.get("healthProbeSettings"), "probeProtocol")
    if protocol == "Https":
        return []
    return [
        _paraphrase(
            "Azure-3a",
            "origin authentication with a managed identity needs the origin group's health probe protocol "
            f"set to 'Https' (healthProbeSettings.probeProtocol is {protocol!r})",
        )
    ]


def _afd_route_https_only(call: Call) -> list[str]:
    if not _mi_authenticated(call, _at(call.news.get("originGroup"), "id")):
        return []
    protocol = call.news.get("forwardingProtocol") or "MatchRequest"
    if protocol == "HttpsOnly":
        return []
    return [
        _paraphrase(
            "Azure-3b",
            "a route to an origin group with managed-identity authentication must forward with 'HttpsOnly' "
            f"(forwardingProtocol is {protocol!r})",
        )
    ]


def _afd_rule_override_https_only(call: Call) -> list[str]:
    out = []
    for index, action in enumerate(call.news.get("actions") or []):
        override = _at(action, "parameters", "originGroupOverride")
        if _at(action, "name") != "RouteConfigurationOverride" or not isinstance(override, Mapping):
            continue
        if not _mi_authenticated(call, _at(override, "originGroup", "id")):
            continue
        protocol = override.get("forwardingProtocol") or "MatchRequest"
        if protocol != "HttpsOnly":
            out.append(
                _paraphrase(
                    "Azure-3c",
                    f"actions[{index}] overrides the route to an origin group with managed-identity authentication, "
                    f"so it must forward with 'HttpsOnly' (forwardingProtocol is {protocol!r})",
                )
            )
    return out


GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _role_assignment_principal(call: Call) -> list[str]:
    principal = call.news.get("principalId")
    if isinstance(principal, str) and GUID.fullmatch(principal):
        return []
    return [_azure("InvalidPrincipalId", "A valid principal ID must be provided for role assignment.")]


# ---------------------------------------------------------------- the cloud's memory: what it still holds


def _held(call: Call, token: str, rid: str) -> Record | None:
    """The live resource of this type and id that the stand-in cloud holds (retained ones included)."""
    record = call.lookup(token, rid) if rid else None
    return record if record is not None and not record.deleted else None


def _aws_name(call: Call) -> str | None:
    """The name the resource is created under, given or autonamed: the API refuses a name the account
    holds whoever chose it. An autonamed one never meets a held one, because every creation draws a new
    suffix (rule Draw), in fakecloud as in the real autonamer."""
    prop = _aws_autoname_property(call.token)
    return _known_str(call.news.get(prop)) if prop else None


SAGEMAKER_NOUNS = {SAGEMAKER_MODEL: "model", SAGEMAKER_CONFIG: "endpoint configuration", SAGEMAKER_ENDPOINT: "endpoint"}
SAGEMAKER_ARN_TYPES = {SAGEMAKER_MODEL: "model", SAGEMAKER_CONFIG: "endpoint-config", SAGEMAKER_ENDPOINT: "endpoint"}


def _sagemaker_exists(call: Call) -> list[str]:
    name = _aws_name(call)
    held = _held(call, call.token, name) if name else None
    if name is None or held is None:
        return []
    arn = held.outputs.get("arn") or (
        f"arn:aws:sagemaker:{call.region}:{ACCOUNT_ID}:{SAGEMAKER_ARN_TYPES[call.token]}/{name.lower()}"
    )
    operation, prefix = SAGEMAKER_OPERATIONS[call.token]
    message = f"Cannot create already existing {SAGEMAKER_NOUNS[call.token]} {_goq(str(arn))}."
    return [prefix.format(name=name) + _aws_api(call, operation, "ValidationException", message)]


def _iam_role_exists(call: Call) -> list[str]:
    name = _aws_name(call)
    if name is None or _held(call, call.token, name) is None:
        return []
    message = f"Role with name {name} already exists."
    error = _aws_api(call, "IAM:CreateRole", "EntityAlreadyExists", message, modeled=True, status=409)
    return [f"creating IAM Role ({name}): {error}"]


def _azure_identity(token: str, inputs: Mapping[str, Any]) -> tuple[Any, ...]:
    """What names an Azure resource in ARM: its type and every name in its id path (the parents' too)."""
    # The resource's own name input too, which for some types is plain `name` (a model version's asset name).
    own = azure_name_property(token)
    names = sorted(
        (k, str(v))
        for k, v in inputs.items()
        if (k.endswith("Name") or k == own) and k not in AZURE_NOT_NAMES and v is not None
    )
    version = inputs.get("version") if token.endswith("Version") else None
    return (token, tuple(names), version)


def _azure_named(call: Call) -> bool:
    """The resource has a known name, given or generated: defaultCreate calls CanCreate for every resource. A
    generated one never meets a held one, because every creation draws a new suffix (rule Draw)."""
    key = azure_name_property(call.token)
    return key is not None and _known_str(call.news.get(key)) is not None


def _azure_held(call: Call) -> Record | None:
    if not _azure_named(call):
        return None
    identity = _azure_identity(call.token, call.news)
    for record in call.records():
        same = record.token == call.token and not record.deleted
        if same and _azure_identity(record.token, record.inputs or record.outputs) == identity:
            return record
    return None


def _azure_exists(call: Call) -> list[str]:
    """provider/pkg/azure/client_azcore.go CanCreate (defaultCreate's existence check)."""
    if call.token == AZURE_BLOB:
        return []
    held = _azure_held(call)
    return [f"cannot create already existing resource '{call.target or held.id}'"] if held is not None else []


def _azure_blob_exists(call: Call) -> list[str]:
    """provider.go customCreate: the Blob custom resource's existence check is its Read (Go's %q)."""
    held = _azure_held(call)
    return [f"cannot create already existing resource {_goq(call.target or held.id)}"] if held is not None else []


# ---------------------------------------------------------------- Draw: every creation draws anew


def _creation_number(call: Call) -> list[str]:
    """How many resources of this URN the stand-in cloud held before (tombstones included): a destroyed
    one, the old one of a replacement (live beside its successor while it is created first), one Pulumi
    retained. Empty for the first, whose draws stay what they were before this rule."""
    if not call.urn:
        return []
    earlier = sum(1 for r in call.records() if r.token == call.token and r.urn == call.urn)
    return [str(earlier)] if earlier else []


def creation_number(call: Call) -> int:
    """The DRAW verdict as a number (0: the first resource of its URN)."""
    verdicts = [v for _, v in judge([Effect.DRAW], call)]
    return int(verdicts[0]) if verdicts else 0


# ---------------------------------------------------------------- AWS-9: API Gateway quotas

APIGATEWAY_STAGE = "aws:apigateway/stage:Stage"
APIGATEWAY_USAGE_PLAN_KEY = "aws:apigateway/usagePlanKey:UsagePlanKey"
APIGATEWAY_QUOTAS = {"AWS-9a": 10, "AWS-9b": 10}
"""Stages per API; usage plans per API key (both adjustable; a test raises them with drift.py `quota`)."""


def _live(call: Call, token: str) -> list[Record]:
    return [r for r in call.records() if r.token == token and not r.deleted]


def _stages_per_api(call: Call) -> list[str]:
    api = call.news.get("restApi")
    quota = call.quotas.get("AWS-9a", APIGATEWAY_QUOTAS["AWS-9a"])
    stages = sorted(
        {str(r.outputs.get("stageName")) for r in _live(call, call.token) if r.outputs.get("restApi") == api}
    )
    if len(stages) < quota:
        return []
    message = _paraphrase(
        "AWS-9a",
        f"the REST API {api} already has {len(stages)} stages ({', '.join(stages)}); the quota 'Stages per API' "
        f"is {quota} (adjustable per API through Service Quotas)",
    )
    error = _aws_api(call, "API Gateway:CreateStage", "LimitExceededException", message, modeled=True, status=429)
    return [f"creating API Gateway Stage ({call.news.get('stageName')}): {error}"]


def _usage_plans_per_key(call: Call) -> list[str]:
    key = call.news.get("keyId")
    quota = call.quotas.get("AWS-9b", APIGATEWAY_QUOTAS["AWS-9b"])
    plans = sorted(
        {str(r.outputs.get("usagePlanId")) for r in _live(call, call.token) if r.outputs.get("keyId") == key}
    )
    if len(plans) < quota or call.news.get("usagePlanId") in plans:
        return []
    message = _paraphrase(
        "AWS-9b",
        f"the API key {key} is already in {len(plans)} usage plans ({', '.join(plans)}); the quota 'Usage plans "
        f"per API key' is {quota} (adjustable through Service Quotas)",
    )
    error = _aws_api(
        call, "API Gateway:CreateUsagePlanKey", "LimitExceededException", message, modeled=True, status=429
    )
    return [f"creating API Gateway Usage Plan Key: {error}"]


# ---------------------------------------------------------------- AWS-10: a deleted KMS key is pending deletion

KMS_KEY = "aws:kms/key:Key"
KMS_PENDING_DELETION = "PendingDeletion"


def _kms_schedules_deletion(call: Call) -> list[str]:
    return [KMS_PENDING_DELETION]


# ---------------------------------------------------------------- Azure-7: regions without zone-redundant storage

STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
AZURE_BLOB = "azure-native:storage:Blob"
ZRS_REGIONS = frozenset(
    {
        "southafricanorth", "australiaeast", "centralindia", "chinanorth3", "eastasia", "japaneast",
        "koreacentral", "southeastasia", "francecentral", "germanywestcentral", "italynorth", "northeurope",
        "norwayeast", "polandcentral", "spaincentral", "swedencentral", "switzerlandnorth", "uksouth",
        "westeurope", "israelcentral", "qatarcentral", "uaenorth", "canadacentral", "centralus", "eastus",
        "eastus2", "mexicocentral", "southcentralus", "usgovvirginia", "westus2", "westus3", "brazilsouth",
    }
)  # fmt: skip
"""Where ZRS exists for standard general-purpose v2 accounts: fakecloud's own copy of
https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs (32 regions, read for issue 18)."""
GZRS_REGIONS = frozenset(
    {
        "southafricanorth", "australiaeast", "eastasia", "japaneast", "koreacentral", "southeastasia",
        "centralindia", "francecentral", "germanywestcentral", "northeurope", "norwayeast", "swedencentral",
        "switzerlandnorth", "uksouth", "westeurope", "uaenorth", "canadacentral", "centralus", "eastus",
        "eastus2", "southcentralus", "westus2", "westus3", "usgovvirginia", "brazilsouth",
    }
)  # fmt: skip
"""Where GZRS and RA-GZRS exist: https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs
(25 regions, read for issue 18)."""


def azure_region(location: str) -> str:
    """A location as ARM names it ("West US 2" -> "westus2")."""
    return location.replace(" ", "").lower()


def _storage_redundancy(call: Call) -> list[str]:
    sku = _known_str(_at(call.news.get("sku"), "name"))
    if sku is None or not sku.endswith("ZRS"):
        return []
    region = azure_region(_known_str(call.news.get("location")) or call.region)
    regions = GZRS_REGIONS if sku.endswith("GZRS") else ZRS_REGIONS
    if region in regions:
        return []
    kind = call.news.get("kind") or "StorageV2"
    message = (
        f"The storage account failed to create due to redundancy configuration - Sku: {sku}, Kind: {kind} - not "
        f"available in selected Region - {region}. Please make sure the redundancy configuration selected is "
        "available in your region. For more information about redundancy configurations, see "
        "https://docs.microsoft.com/en-us/azure/storage/common/storage-redundancy"
    )
    return [_azure("RedundancyConfigurationNotAvailableInRegion", message)]


# ---------------------------------------------------------------- Azure-10 to Azure-12: private networking (issue 21)

# A workspace's managed network isolation modes, from the most open: it may be tightened, never loosened or removed.
ISOLATION_ORDER = {"Disabled": 0, "AllowInternetOutbound": 1, "AllowOnlyApprovedOutbound": 2}


def _isolation(values: Mapping[str, Any]) -> str:
    mode = _known_str(_at(values.get("managedNetwork"), "isolationMode"))
    return mode or "Disabled"


def _workspace_isolation_one_way(call: Call) -> list[str]:
    if contains_unknown(call.news.get("managedNetwork")):
        return []
    before, after = _isolation(call.olds), _isolation(call.news)
    if ISOLATION_ORDER.get(after, 0) >= ISOLATION_ORDER.get(before, 0):
        return []
    return [
        _paraphrase(
            "Azure-10",
            f"a workspace's managed network isolation cannot go from {before!r} to {after!r}: once enabled it cannot "
            "be disabled, and AllowOnlyApprovedOutbound cannot go back to AllowInternetOutbound",
        )
    ]


def _dns_zone_link_overlap(call: Call) -> list[str]:
    zone = _known_str(call.news.get("privateZoneName"))
    network = _known_str(_at(call.news.get("virtualNetwork"), "id"))
    if zone is None or network is None:
        return []
    for record in call.records():
        if record.deleted or record.token != DNS_ZONE_LINK:
            continue
        linked = _known_str(_at(record.inputs.get("virtualNetwork"), "id"))
        if record.inputs.get("privateZoneName") == zone and linked is not None and linked.lower() == network.lower():
            return [
                _azure(
                    "BadRequest",
                    "A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to "
                    f"link virtual network with '{zone}' and '{zone}' zones.",
                )
            ]
    return []


# Tiers without a virtual network (Z9 in shared/NETWORK.md); Standard v2 integrates outbound only (External).
APIM_NO_VIRTUAL_NETWORK = frozenset({"Consumption", "Basic", "Standard", "BasicV2"})


def _apim_virtual_network_tier(call: Call) -> list[str]:
    sku = _known_str(_at(call.news.get("sku"), "name"))
    mode = _known_str(call.news.get("virtualNetworkType")) or "None"
    if sku is None or mode == "None":
        return []
    if sku in APIM_NO_VIRTUAL_NETWORK or (sku == "StandardV2" and mode == "Internal"):
        return [
            _paraphrase(
                "Azure-12",
                f"API Management {sku} cannot be placed in a virtual network as {mode!r} (virtual network injection: "
                "Developer, Premium, Premium v2; outbound integration, External: Standard v2 and Premium v2)",
            )
        ]
    return []


# ---------------------------------------------------------------- Azure-9: a delete takes the children with it

RESOURCE_GROUP = "azure-native:resources:ResourceGroup"


def _arm_names(token: str, inputs: Mapping[str, Any]) -> dict[str, str]:
    return dict(_azure_identity(token, inputs)[1])


def _arm_children(call: Call) -> list[str]:
    """The record keys (state.key) of the live resources under the deleted one in ARM: every resource
    whose inputs carry all the names that identify it (a resource group: its `resourceGroupName`; a
    workspace: its group and `workspaceName`), of the same resource provider unless it is a group."""
    held = call.lookup(call.token, call.id)
    names = _arm_names(call.token, (held.inputs or held.outputs) if held is not None else call.news)
    module = call.token.split(":")[1]
    own = "resourceGroupName" if call.token == RESOURCE_GROUP else azure_name_property(call.token)
    if "resourceGroupName" not in names or own not in names:
        return []
    children = []
    for record in call.records():
        if record.deleted or (record.token, record.id) == (call.token, call.id):
            continue
        if call.token != RESOURCE_GROUP and record.token.split(":")[1] != module:
            continue
        inputs = record.inputs or record.outputs
        if all(str(inputs.get(k)) == v for k, v in names.items()):
            children.append(record.key)
    return sorted(children)


# ---------------------------------------------------------------- Bridge-1: a failed update keeps the requested inputs


def _bridge_keeps_requested(call: Call) -> list[str]:
    return ["the Terraform SDK saves the planned state on an Update error; the bridge returns it as a partial failure"]


# ---------------------------------------------------------------- reads of resources the cloud does not hold

GET_MODEL_VERSION = "azure-native:machinelearningservices:getModelVersion"
GET_ENVIRONMENT_VERSION = "azure-native:machinelearningservices:getEnvironmentVersion"
GET_ONLINE_DEPLOYMENT = "azure-native:machinelearningservices:getOnlineDeployment"
CLOUDCONTROL_GET = "aws:cloudcontrol/getResource:getResource"
ARM_PATHS = {
    GET_MODEL_VERSION: "workspaces/{workspaceName}/models/{name}/versions/{version}",
    GET_ENVIRONMENT_VERSION: "workspaces/{workspaceName}/environments/{name}/versions/{version}",
    GET_ONLINE_DEPLOYMENT: "workspaces/{workspaceName}/onlineEndpoints/{endpointName}/deployments/{deploymentName}",
}


def arm_path(token: str, args: Mapping[str, Any]) -> str:
    """The ARM id an azure-native getter reads (its GET path), from the invoke's arguments."""
    tail = ARM_PATHS[token].format_map({k: arm_escape(str(v)) for k, v in args.items()})
    return (
        f"/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/{arm_escape(str(args.get('resourceGroupName')))}"
        f"/providers/Microsoft.MachineLearningServices/{tail}"
    )


def _azure_getter_not_found(call: Call) -> list[str]:
    """provider.go Invoke: `request failed <id>: <err>` around ARM's 404."""
    path = arm_path(call.token, call.news)
    message = (
        f"fakecloud (a test double; the service's own 404 message is not published): the resource '{path}' was "
        "not found."
    )
    return [f"request failed {path}: " + arm_error(404, "ResourceNotFound", message)]


def _cloudcontrol_not_found(call: Call) -> list[str]:
    """terraform-provider-aws internal/service/cloudcontrol: ResourceNotFoundException is a NotFoundError
    ("couldn't find resource"), wrapped by the data source and by the bridge's Invoke (`invoking <token>: `)."""
    return [
        f"invoking {call.token}: reading Cloud Control API ({call.news.get('typeName')}) Resource "
        f"({call.news.get('identifier')}): couldn't find resource"
    ]


# ---------------------------------------------------------------- AWS-12: what the cloud names a resource

S3_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
IDENTITY_FORMS = {
    S3_OBJECT: "{bucket}/{id}",
    APIGATEWAY_USAGE_PLAN_KEY: "{usagePlanId}/{id}",
    "aws:appautoscaling/target:Target": "{serviceNamespace}/{id}/{scalableDimension}",
    "aws:appautoscaling/policy:Policy": "{serviceNamespace}/{resourceId}/{scalableDimension}/{id}",
}
"""Types whose provider id is unique only within a parent, and their provider's import id, which names the
resource in full (`id`: the provider's id)."""


def _identity(call: Call) -> list[str]:
    form = IDENTITY_FORMS[call.token]
    parts = {k: _known_str(call.news.get(k)) for k in re.findall(r"\{(\w+)\}", form) if k != "id"}
    if not call.id or any(not v for v in parts.values()):
        return []
    return [form.format(id=call.id, **parts)]


def identity(call: Call) -> str | None:
    """What the cloud names the resource of id `call.id` with these values (`call.news`, its inputs or
    outputs): its id, or, where that is unique only within a parent, its import id (rule AWS-12); None if
    the values do not say which parent."""
    if not any(rule.effect is Effect.IDENTITY and rule.applies(call) for rule in RULES):
        return call.id
    verdicts = [v for _, v in judge([Effect.IDENTITY], call)]
    return verdicts[0] if verdicts else None


# ---------------------------------------------------------------- AWS-13 to AWS-16: private networking (issue 21)

REST_API = "aws:apigateway/restApi:RestApi"
REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy"
APIGATEWAY_DEPLOYMENT = "aws:apigateway/deployment:Deployment"


def _endpoint_types(config: Any) -> list[str]:
    """`endpointConfiguration.types` (a string: the bridge flattens Terraform's one-item list; or a list)."""
    types = _at(config, "types")
    return [str(t) for t in (types if isinstance(types, list) else [types]) if t is not None]


def _private_api_without_policy(call: Call) -> list[str]:
    api = _known_str(call.news.get("restApi"))
    record = call.lookup(REST_API, api) if api else None
    if record is None or "PRIVATE" not in _endpoint_types(record.outputs.get("endpointConfiguration")):
        return []
    if record.outputs.get("policy") or any(r.outputs.get("restApiId") == api for r in _live(call, REST_API_POLICY)):
        return []
    error = _aws_api(
        call,
        "API Gateway:CreateDeployment",
        "BadRequestException",
        "Private REST API doesn't have a resource policy attached to it",
        modeled=True,
    )
    return [f"creating API Gateway Deployment: {error}"]


def _rest_api_operation(call: Call) -> tuple[str, str]:
    if call.id:
        return "API Gateway:UpdateRestApi", f"updating API Gateway REST API ({call.id})"
    return "API Gateway:CreateRestApi", f"creating API Gateway REST API ({call.news.get('name')})"


def _private_api_ipv4(call: Call) -> list[str]:
    config = call.news.get("endpointConfiguration")
    if "PRIVATE" not in _endpoint_types(config) or _at(config, "ipAddressType") != "ipv4":
        return []
    operation, doing = _rest_api_operation(call)
    message = _paraphrase("AWS-14", "the PRIVATE endpoint type supports only the dualstack IP address type")
    return [f"{doing}: {_aws_api(call, operation, 'BadRequestException', message, modeled=True)}"]


def _endpoint_ids_without_private(call: Call) -> list[str]:
    config = call.news.get("endpointConfiguration")
    if not _at(config, "vpcEndpointIds") or "PRIVATE" in _endpoint_types(config):
        return []
    operation, doing = _rest_api_operation(call)
    # As users quote it (AWS CLI): "CreateRestApi operation: VPCEndpoints can only be specified with PRIVATE apis."
    error = _aws_api(
        call, operation, "BadRequestException", "VPCEndpoints can only be specified with PRIVATE apis.", modeled=True
    )
    return [f"{doing}: {error}"]


def _serverless_in_a_vpc(call: Call) -> list[str]:
    out: list[str] = []
    for variant in call.news.get("productionVariants") or []:
        if not isinstance(variant, Mapping) or not variant.get("serverlessConfig"):
            continue
        model_name = _known_str(variant.get("modelName"))
        record = call.lookup(SAGEMAKER_MODEL, model_name) if model_name else None
        if record is None or not record.outputs.get("vpcConfig"):
            continue
        message = _paraphrase(
            "AWS-16",
            f"the model {model_name} has a VpcConfig: Serverless Inference does not support VPC configuration "
            "(serverless variant " + str(variant.get("variantName")) + ")",
        )
        error = _aws_api(call, "SageMaker:CreateEndpointConfig", "ValidationException", message)
        out.append(f"creating SageMaker AI Endpoint Configuration ({call.news.get('name')}): {error}")
    return out


# ---------------------------------------------------------------- required inputs, from the SDKs' signatures


def _missing_required(call: Call) -> list[str]:
    missing = [k for k in required_inputs(call.package, call.token) if call.news.get(k) is None]
    if call.package == "azure-native":  # provider/pkg/provider/provider.go Check
        return [f"missing required property '{k}'" for k in missing]
    return [f"Missing required property '{k}'" for k in missing]  # tfbridge check_failures.go missingRequiredKey


# ---------------------------------------------------------------- Model: the clouds' published API models


def _model_verdicts(call: Call, phase: Phase) -> list[str]:
    """The constraints of the cloud's own API model these inputs break (tests/fakecloud/apimodels), in the model's
    terms: fakecloud does not know the cloud's error text for them, so it names the model and the constraint.

    A member the model requires is not judged here: the inputs the Pulumi provider requires are rule Required's,
    and a member the API requires that the provider fills itself (CloudFront's `Comment`, which Terraform sends as
    "" when it is not given; azure-native's defaults) is not the program's to give."""
    return [
        f"fakecloud Model (the constraint of the cloud's published API model, not its error text): {v.message()}"
        for v in apimodels.check(call.token, call.news)
        if v.phase is phase and v.constraint != "required"
    ]


def _model_preview(call: Call) -> list[str]:
    return _model_verdicts(call, Phase.PREVIEW)


def _model_up(call: Call) -> list[str]:
    return _model_verdicts(call, Phase.UP)


# ---------------------------------------------------------------- the table

AWS = frozenset({"aws"})
AZURE = frozenset({"azure-native"})
ALL = frozenset(SDK_MODULES)
SAGEMAKER_NAMED = frozenset({SAGEMAKER_MODEL, SAGEMAKER_CONFIG, SAGEMAKER_ENDPOINT})

# In the order the real providers meet them: validation, then the API calls (the first refusal wins).
RULES: tuple[Rule, ...] = (
    Rule(
        "AWS-7e",
        frozenset({ANY_TOKEN}),
        AWS,
        Effect.CHECK,
        "The bridge's autonamer refuses a URN name that leaves no room for '-' and 7 random characters.",
        "https://github.com/pulumi/pulumi/blob/master/sdk/go/common/resource/properties_id.go (NewUniqueHex); "
        "pulumi-aws provider/resources.go setAutonaming (255) and per-resource AutoName limits",
        _autoname_too_long,
        stops=True,
    ),
    Rule(
        "AWS-7a",
        SAGEMAKER_NAMED,
        AWS,
        Effect.CHECK,
        "SageMaker model, endpoint configuration and endpoint names (and the endpoint's configuration name): "
        "letters, digits and hyphens, at most 63, no leading hyphen; name_prefix at most 37.",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/sagemaker/validate.go",
        _sagemaker_valid_name,
    ),
    Rule(
        "AWS-7c",
        frozenset({EVENT_ARCHIVE}),
        AWS,
        Effect.CHECK,
        "EventBridge archive names: 1 to 48 of [.-_A-Za-z0-9].",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/events/validate.go; "
        "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html",
        _event_archive_name,
    ),
    Rule(
        "AWS-7d",
        frozenset({IAM_ROLE}),
        AWS,
        Effect.CHECK,
        "IAM role names: 1 to 64 of [\\w+=,.@-]; name_prefix at most 38.",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/role.go, validate.go",
        _iam_role_name,
    ),
    Rule(
        "AWS-7b",
        SAGEMAKER_NAMED,
        AWS,
        Effect.APPLY,
        "The SageMaker API's name pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$ (no trailing hyphen either).",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html",
        _sagemaker_api_name,
    ),
    Rule(
        "AWS-8",
        SAGEMAKER_NAMED,
        AWS,
        Effect.CREATE,
        "SageMaker refuses to create a model, endpoint configuration or endpoint under a name the account still "
        "holds (one Pulumi retained or forgot), given or autonamed (an autonamed one never meets a held one: "
        "every creation draws a new suffix, rule Draw); an import or a `get` reads it instead.",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html; the texts as "
        "users report them: https://github.com/hashicorp/terraform-provider-aws/issues/40080, "
        "https://github.com/aws/amazon-sagemaker-examples/issues/2491, "
        "https://github.com/awslabs/spot-tagging-bot-for-digital-assets/issues/2, "
        "https://github.com/aws/sagemaker-python-sdk (session.py create_model: 'Cannot create already existing model')",
        _sagemaker_exists,
    ),
    Rule(
        "AWS-8b",
        frozenset({IAM_ROLE}),
        AWS,
        Effect.CREATE,
        "IAM refuses to create a role under a name the account still holds (EntityAlreadyExists, HTTP 409).",
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
        _iam_role_exists,
    ),
    Rule(
        "AWS-9a",
        frozenset({APIGATEWAY_STAGE}),
        AWS,
        Effect.CREATE,
        "API Gateway quota 'Stages per API': 10 (adjustable per API), counted over the stages the API has now.",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html; "
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
        _stages_per_api,
    ),
    Rule(
        "AWS-9b",
        frozenset({APIGATEWAY_USAGE_PLAN_KEY}),
        AWS,
        Effect.CREATE,
        "API Gateway quota 'Usage plans per API key': 10 (adjustable), counted over the key's usage plan keys.",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html "
        "(https://repost.aws/questions/QUaxZypiQIQuGamw_kIpbEYQ quotes the row)",
        _usage_plans_per_key,
    ),
    Rule(
        "AWS-2",
        frozenset({SAGEMAKER_ENDPOINT}),
        AWS,
        Effect.UPDATE,
        "UpdateEndpoint needs the endpoint's current configuration (and the new one) to exist; DeleteEndpointConfig "
        "of a configuration in use succeeds, so the NEXT update fails.",
        "https://github.com/hashicorp/terraform-provider-aws/issues/48997, /issues/40048, /pull/42843; "
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeleteEndpointConfig.html",
        _missing_config,
    ),
    Rule(
        "AWS-2b",
        frozenset({SAGEMAKER_ENDPOINT}),
        AWS,
        Effect.UPDATE,
        "A blue/green update needs the new endpoint configuration to keep the old variant name.",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html",
        _variant_renamed,
    ),
    Rule(
        "AWS-1",
        frozenset({SAGEMAKER_ENDPOINT}),
        AWS,
        Effect.UPDATE,
        "An endpoint update whose blue/green deployment (see deployment_seconds) lasts longer than the provider's "
        "hard-coded 60-minute InService wait fails; customTimeouts cannot lengthen it.",
        "https://github.com/hashicorp/terraform-provider-aws/pull/39090 "
        "(internal/service/sagemaker/endpoint.go waitEndpointInService)",
        _rollout_exceeds_wait,
    ),
    Rule(
        "AWS-6",
        frozenset({CACHE_POLICY}),
        AWS,
        Effect.APPLY,
        "A cache policy with min, default and max TTL all 0 (caching disabled) refuses header, cookie and query "
        "string behaviours other than none, and gzip/brotli.",
        "https://github.com/aws/aws-cdk/issues/16977; "
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-the-cache-key.html",
        _caching_disabled_parameters,
    ),
    Rule(
        "AWS-4a",
        frozenset({ANY_TOKEN}),
        AWS,
        Effect.DELETE_FIRST,
        "The Terraform bridge deletes before it replaces a resource whose autonameable name is set explicitly.",
        "https://github.com/pulumi/pulumi-terraform/pull/465 "
        "(pulumi-terraform-bridge pkg/tfbridge/schema.go nameRequiresDeleteBeforeReplace)",
        _bridge_delete_first,
    ),
    Rule(
        "AWS-10",
        frozenset({KMS_KEY}),
        AWS,
        Effect.DELETE,
        "Deleting a KMS key schedules its deletion (7 to 30 days, default 30): the key is PendingDeletion, no "
        "longer readable by the provider, and nothing encrypted under it can be decrypted (kms.py readable).",
        "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html; "
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/kms/key.go "
        "(Delete: ScheduleKeyDeletion), find.go (FindKeyByID: a PendingDeletion key is logically deleted)",
        _kms_schedules_deletion,
    ),
    Rule(
        "AWS-11",
        frozenset({CLOUDCONTROL_GET}),
        AWS,
        Effect.INVOKE,
        "Cloud Control's GetResource of an identifier the cloud does not hold (for AWS::SageMaker::Endpoint the "
        "identifier is the endpoint ARN) fails the getResource invoke with 'couldn't find resource'.",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/cloudcontrol/"
        "resource_data_source.go, resource.go (FindResource), internal/retry/error.go (NotFoundError); "
        "https://github.com/pulumi/pulumi-terraform-bridge/blob/master/pkg/tfbridge/provider.go (Invoke)",
        _cloudcontrol_not_found,
    ),
    Rule(
        "Bridge-1",
        frozenset({ANY_TOKEN}),
        AWS,
        Effect.PARTIAL,
        "An Update the AWS provider fails (after its API call started, or before) is saved with the requested "
        "inputs: the Terraform SDK keeps the planned state on error and the bridge returns it as "
        "ErrorResourceInitFailed, so the engine saves it; the next `up` finds no Terraform diff, and the bridge "
        "then returns the old state without calling the cloud.",
        "https://github.com/hashicorp/terraform-plugin-sdk/issues/476; "
        "https://github.com/pulumi/pulumi-terraform-bridge/issues/496 (pkg/tfbridge/provider.go Update, "
        "initializationError)",
        _bridge_keeps_requested,
    ),
    Rule(
        "AWS-4b",
        frozenset({SAGEMAKER_ENDPOINT}),
        AWS,
        Effect.REPLACE,
        "deployment_config.auto_rollback_configuration is ForceNew (the rest of deployment_config is not).",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/sagemaker/endpoint.go",
        _rollback_forcenew,
    ),
    Rule(
        "AWS-4c",
        frozenset({SAGEMAKER_MODEL, SAGEMAKER_CONFIG}),
        AWS,
        Effect.REPLACE,
        "Every argument of a SageMaker model and endpoint configuration but tags is ForceNew.",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/sagemaker/model.go, "
        "endpoint_configuration.go; https://github.com/hashicorp/terraform-provider-aws/pull/48993",
        _all_but_tags_forcenew,
    ),
    Rule(
        "Azure-6",
        frozenset({ANY_TOKEN}),
        AZURE,
        Effect.CREATE,
        "azure-native checks that a resource it creates does not exist (CanCreate, for every resource), so a "
        "resource that Azure still holds (retained, or forgotten by Pulumi) is refused, whether its name was "
        "given or generated (a generated one never meets a held one: every creation draws a new suffix, rule "
        "Draw); an `import` or a `get` reads it instead.",
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/azure/client_azcore.go (CanCreate); "
        "provider/pkg/provider/provider.go (defaultCreate)",
        _azure_exists,
    ),
    Rule(
        "Azure-6b",
        frozenset({AZURE_BLOB}),
        AZURE,
        Effect.CREATE,
        "The storage Blob custom resource's existence check is its Read: a blob Azure still holds is refused.",
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go (customCreate)",
        _azure_blob_exists,
    ),
    Rule(
        "Azure-1",
        frozenset({APIM_SERVICE}),
        AZURE,
        Effect.APPLY,
        "API Management Consumption refuses the custom properties Gateway.Security.Protocols.Ssl30 and "
        "Gateway.Security.Ciphers.* (Tls10/Tls11 and the Backend.* protocols are accepted).",
        "https://github.com/hashicorp/terraform-provider-azurerm/issues/8405, /pull/6733 "
        "(internal/services/apimanagement/api_management_resource.go expandApiManagementCustomProperties)",
        _apim_consumption_properties,
    ),
    Rule(
        "Azure-2",
        frozenset({ML_MODEL_VERSION}),
        AZURE,
        Effect.CREATE,
        "An Azure ML model version must be a positive integer (data and environment versions may be strings).",
        "https://github.com/Azure/azureml-examples/issues/2725",
        _model_version_integer,
    ),
    Rule(
        "Azure-3a",
        frozenset({AFD_ORIGIN_GROUP}),
        AZURE,
        Effect.APPLY,
        "An origin group with managed-identity origin authentication needs an HTTPS health probe.",
        "https://learn.microsoft.com/azure/frontdoor/origin-authentication-with-managed-identities",
        _afd_group_probe,
    ),
    Rule(
        "Azure-3b",
        frozenset({AFD_ROUTE}),
        AZURE,
        Effect.APPLY,
        "A route to an origin group with managed-identity authentication must forward HTTPS only.",
        "https://learn.microsoft.com/azure/frontdoor/origin-authentication-with-managed-identities",
        _afd_route_https_only,
    ),
    Rule(
        "Azure-3c",
        frozenset({AFD_RULE}),
        AZURE,
        Effect.APPLY,
        "A route configuration override (rule set action) to such an origin group must forward HTTPS only.",
        "https://learn.microsoft.com/azure/frontdoor/origin-authentication-with-managed-identities",
        _afd_rule_override_https_only,
    ),
    Rule(
        "Azure-4",
        frozenset({ROLE_ASSIGNMENT}),
        AZURE,
        Effect.CREATE,
        "A role assignment needs a principal id (a GUID): an identity's empty principalId is refused.",
        "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting "
        "(InvalidPrincipalId; hashicorp/terraform-provider-azurerm issue reports)",
        _role_assignment_principal,
    ),
    Rule(
        "Azure-7",
        frozenset({STORAGE_ACCOUNT}),
        AZURE,
        Effect.CREATE,
        "A storage account with a ZRS sku (Standard_ZRS, Premium_ZRS) or a GZRS sku (Standard_GZRS, "
        "Standard_RAGZRS) in a region that does not offer it is refused (RedundancyConfigurationNotAvailableInRegion).",
        "https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs; "
        "https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs; the text as users report it: "
        "https://github.com/Esri/arcgis-gitops/issues/160, https://github.com/Azure/ALZ-PowerShell-Module/issues/291",
        _storage_redundancy,
    ),
    Rule(
        "Azure-8",
        frozenset({GET_MODEL_VERSION, GET_ENVIRONMENT_VERSION, GET_ONLINE_DEPLOYMENT}),
        AZURE,
        Effect.INVOKE,
        "An azure-native getter of a resource Azure does not hold fails with ARM's 404 "
        "(`request failed <id>: Status=404 Code=...`); other failures carry their own status.",
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go (Invoke); "
        "provider/pkg/azure/client_azcore.go (newResponseError); https://github.com/pulumi/pulumi-azure-native/pull/3783",
        _azure_getter_not_found,
    ),
    Rule(
        "Azure-9",
        frozenset({ANY_TOKEN}),
        AZURE,
        Effect.CASCADE,
        "Deleting an Azure resource deletes the resources under its ARM id (a resource group: every resource in "
        "it; a workspace: its model and environment versions), retained ones included.",
        "https://learn.microsoft.com/azure/azure-resource-manager/management/delete-resource-group; "
        "https://github.com/pulumi/pulumi-azure-native/issues/2522",
        _arm_children,
    ),
    Rule(
        "Azure-10",
        frozenset({ML_WORKSPACE}),
        AZURE,
        Effect.UPDATE,
        "A workspace's managed network isolation is one-way: AllowInternetOutbound or AllowOnlyApprovedOutbound "
        "cannot be disabled, and AllowOnlyApprovedOutbound cannot go back to AllowInternetOutbound.",
        "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (Limitations; MicrosoftDocs/"
        "azure-ai-docs articles/machine-learning/how-to-managed-network.md)",
        _workspace_isolation_one_way,
    ),
    Rule(
        "Azure-11",
        frozenset({DNS_ZONE_LINK}),
        AZURE,
        Effect.CREATE,
        "A virtual network links to at most one private DNS zone of a name: a second zone of the same name (another "
        "platform's, or a hub's) linked to it is refused.",
        'https://github.com/MicrosoftDocs/azure-docs/pull/122956 (private-link-faq.yml: "Creating multiple zones '
        'with the same name for a single virtual network is not supported"); the error text as users report it: '
        "https://github.com/microsoft-foundry/foundry-samples/pull/214, https://github.com/MicrosoftDocs/"
        "azure-aks-docs/issues/212",
        _dns_zone_link_overlap,
    ),
    Rule(
        "Azure-12",
        frozenset({APIM_SERVICE}),
        AZURE,
        Effect.APPLY,
        "API Management takes a virtual network only in the tiers that have one: injection (External or Internal) "
        "in Developer, Premium and Premium v2, outbound integration (External) in Standard v2 and Premium v2; "
        "Consumption, Basic, Standard and Basic v2 have none.",
        "https://learn.microsoft.com/azure/api-management/virtual-network-concepts ; "
        "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound ; "
        "https://learn.microsoft.com/azure/api-management/inject-vnet-v2",
        _apim_virtual_network_tier,
    ),
    Rule(
        "Azure-5",
        frozenset({ANY_TOKEN}),
        AZURE,
        Effect.DELETE_FIRST,
        "azure-native deletes before it replaces, unless it generated the resource's name (__createBeforeDelete).",
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go (Diff)",
        _azure_delete_first,
    ),
    Rule(
        "Draw",
        frozenset({ANY_TOKEN}),
        ALL,
        Effect.DRAW,
        "Every Create draws anew: the random provider reads new bytes from crypto/rand for each RandomId, "
        "RandomPassword, RandomString...; the bridge's and azure-native's autonamers draw a new suffix from the "
        "engine's seed, which is new random bytes for every Check (without an update plan); a cloud assigns a new "
        "id (a KMS key, a REST API). So a resource created again under its URN (after a destroy, or as a "
        "replacement beside the old one) gets new values and a new name, never the old one's. fakecloud draws "
        "from the URN, the inputs and how many resources the URN had before (tombstones included): one history, "
        "one set of values; the first resource of a URN draws what it always drew. A preview draws nothing: "
        "a random's outputs are unknown until it is created.",
        "https://github.com/hashicorp/terraform-provider-random/blob/main/internal/provider/resource_id.go "
        "(Create: rand.Reader.Read), resource_password.go and string.go (crypto/rand); "
        "https://github.com/pulumi/pulumi-terraform-bridge/blob/master/pkg/tfbridge/info/ "
        "(ComputeAutoNameDefault: resource.NewUniqueName(Seed, ...)); "
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go "
        "(getDefaultName: AutoNameRandom, AutoNameUuid from randomSeed); "
        "https://github.com/pulumi/pulumi/blob/master/pkg/resource/deploy/step_generator.go "
        "(randomSeed: cryptorand.Read unless a plan saved one)",
        _creation_number,
    ),
    Rule(
        "AWS-12",
        frozenset(IDENTITY_FORMS),
        AWS,
        Effect.IDENTITY,
        "A resource is what the cloud names it, which is more than the provider's id for some types. S3 names "
        "an object by its bucket and key (GetObject, PutObject, DeleteObject take both), so two buckets hold two "
        "objects of one key, while a PutObject of a key the bucket holds writes that object again (its current "
        "version); the AWS provider's id of an object is its key alone (and its import id <bucket>/<key>). A "
        "usage plan key is its usage plan and API key (the id: the API key's; import USAGE-PLAN-ID/KEY-ID); an "
        "Application Auto Scaling target is its namespace, resource id and dimension (the id: the resource id), "
        "a scaling policy those and its name (the id: the name). fakecloud keeps and finds each by its import "
        "id, and answers an import of it with the provider's id.",
        "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/s3/object.go "
        "(resourceObjectRead: findObjectByBucketAndKey; resourceObjectImport: SetId(key)); "
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html; "
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersioningEnabledBuckets.html; "
        "internal/service/apigateway/usage_plan_key.go (Importer, findUsagePlanKeyByTwoPartKey); "
        "internal/service/appautoscaling/target.go (resourceTargetImport), policy.go (validPolicyImportInput)",
        _identity,
    ),
    Rule(
        "AWS-13",
        frozenset({APIGATEWAY_DEPLOYMENT}),
        AWS,
        Effect.CREATE,
        "A PRIVATE REST API cannot be deployed without a resource policy (inline `policy` or a RestApiPolicy): "
        "CreateDeployment fails with BadRequestException 'Private REST API doesn't have a resource policy attached "
        "to it'.",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html "
        '("For a private API, you can\'t deploy your API without a resource policy"); the text as the AWS provider '
        "reports it: https://github.com/aws/serverless-application-model/issues/3764 and Terraform users' reports",
        _private_api_without_policy,
    ),
    Rule(
        "AWS-14",
        frozenset({REST_API}),
        AWS,
        Effect.APPLY,
        "A PRIVATE REST API takes only the dualstack IP address type (botocore's apigateway model says so in the "
        "prose of EndpointConfiguration.ipAddressType, not as a constraint; paraphrase).",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-ip-address-type.html; botocore "
        "data/apigateway/2015-07-09/service-2.json EndpointConfiguration.ipAddressType",
        _private_api_ipv4,
    ),
    Rule(
        "AWS-15",
        frozenset({REST_API}),
        AWS,
        Effect.APPLY,
        "VPC endpoint ids (the Route 53 aliases of a private API) are refused on an API that is not PRIVATE.",
        "https://docs.aws.amazon.com/apigateway/latest/api/API_EndpointConfiguration.html; "
        'botocore data/apigateway/2015-07-09/service-2.json EndpointConfiguration.vpcEndpointIds ("only supported '
        "for PRIVATE endpoint type\"); pulumi-aws RestApiEndpointConfigurationArgs.vpc_endpoint_ids; the API's text "
        "as the AWS CLI reports it (a user's report)",
        _endpoint_ids_without_private,
    ),
    Rule(
        "AWS-16",
        frozenset({SAGEMAKER_CONFIG}),
        AWS,
        Effect.CREATE,
        "A serverless production variant cannot serve a model with a VpcConfig (Serverless Inference has no VPC "
        "configuration; paraphrase: the API's text is not published).",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html (feature exclusions: VPC "
        "configuration, network isolation)",
        _serverless_in_a_vpc,
    ),
    Rule(
        "Model-preview",
        frozenset({ANY_TOKEN}),
        AWS | AZURE,
        Effect.CHECK,
        "An input that breaks a constraint of the cloud's published API model which the Pulumi provider itself "
        "validates (a Terraform validator through the bridge; azure-native's Check of its metadata's required, "
        "length, pattern and bounds where its api-version is the model's) is refused at preview.",
        "tests/fakecloud/apimodels (aws.py: botocore's service models; azure.py: the azure-mgmt-* models); "
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go (Check, "
        "validateProperty)",
        _model_preview,
    ),
    Rule(
        "Model-up",
        frozenset({ANY_TOKEN}),
        AWS | AZURE,
        Effect.APPLY,
        "An input that breaks a constraint of the cloud's published API model (required, pattern, length, bounds, "
        "enum; Microsoft's documented tag limits) is refused by the API when the resource is created or updated.",
        "https://github.com/boto/botocore/tree/develop/botocore/data (service-2.json); the azure-mgmt-* packages' "
        "msrest models (_validation, URL-parameter rules), from Azure/azure-rest-api-specs; "
        "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations",
        _model_up,
    ),
    Rule(
        "Required",
        frozenset({ANY_TOKEN}),
        ALL,
        Effect.CHECK,
        "A missing required input is refused by Check; the required inputs are the SDK's *Args parameters "
        "without a default.",
        "https://github.com/pulumi/pulumi-terraform-bridge/blob/master/pkg/tfbridge/check_failures.go "
        "(missingRequiredKey); https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/"
        "provider.go (Check)",
        _missing_required,
    ),
)


def judge(effects: Sequence[Effect], call: Call) -> list[tuple[Rule, str]]:
    """Every (rule, verdict) of the given effects that applies to this call, in the table's order.

    The order is the order in which the real provider meets them (a refusal is the first
    one); a rule that `stops` hides the rest, as the provider gives up there.
    """
    found = [(rule, v) for rule in RULES if rule.effect in effects and rule.applies(call) for v in rule.verdict(call)]
    stopped = [(rule, v) for rule, v in found if rule.stops]
    return stopped or found
