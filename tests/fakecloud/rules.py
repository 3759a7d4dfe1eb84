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
- `DELETE_FIRST`: the replacement deletes the old resource before creating the new one.

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

from tests.fakecloud.clouds import ACCOUNT_ID, AWS_NAMED
from tests.fakecloud.sdk import SDK_MODULES, required_inputs
from tests.fakecloud.state import Record
from tests.fakecloud.wire import contains_unknown, digest

__all__ = [
    "ANY_TOKEN",
    "AZURE_CREATE_BEFORE_DELETE",
    "DEFAULTS",
    "GREEN_FLEET_LAUNCH_SECONDS",
    "GUARDRAIL_EXCLUDED_INSTANCE_PREFIXES",
    "PROVIDER_WAIT_SECONDS",
    "RULES",
    "SAGEMAKER_CONFIG",
    "SAGEMAKER_ENDPOINT",
    "Call",
    "Effect",
    "Rule",
    "current_config",
    "deployment_seconds",
    "guardrails_apply",
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


@dataclass(frozen=True)
class Call:
    """What a rule sees of one provider call. Values are revealed (secrets unwrapped)."""

    package: str
    token: str
    name: str
    """The resource's name in its URN."""
    news: Mapping[str, Any]
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


def _aws_api(call: Call, operation: str, code: str, message: str, modeled: bool = False) -> str:
    """An aws-sdk-go-v2 error: `operation error <svc>: <op>, https response error ..., <code>: <message>`."""
    service, op = operation.split(":")
    error = f"{code}: {message}" if modeled else f"api error {code}: {message}"
    return (
        f"operation error {service}: {op}, https response error StatusCode: 400, RequestID: {call.request_id}, {error}"
    )


def _azure(code: str, message: str) -> str:
    """An Azure Resource Manager error as azure-native reports it (code and message are Azure's)."""
    return f'Status=400 Code="{code}" Message="{message}"'


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


def _deploys(call: Call) -> bool:
    """UpdateEndpoint runs (the provider calls it when the configuration or the deployment config changes)."""
    return any(call.olds.get(k) != call.news.get(k) for k in ("endpointConfigName", "deploymentConfig"))


def _variant(call: Call, config_name: Any) -> Mapping[str, Any]:
    record = call.lookup(SAGEMAKER_CONFIG, str(config_name)) if config_name else None
    variants = record.outputs.get("productionVariants") if record is not None else None
    return variants[0] if isinstance(variants, list) and variants and isinstance(variants[0], Mapping) else {}


def _rollout_exceeds_wait(call: Call) -> list[str]:
    if not _deploys(call) or call.olds.get("endpointConfigName") == call.news.get("endpointConfigName"):
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
    if not _deploys(call):
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
    if not _deploys(call):
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


# ---------------------------------------------------------------- required inputs, from the SDKs' signatures


def _missing_required(call: Call) -> list[str]:
    missing = [k for k in required_inputs(call.package, call.token) if call.news.get(k) is None]
    if call.package == "azure-native":  # provider/pkg/provider/provider.go Check
        return [f"missing required property '{k}'" for k in missing]
    return [f"Missing required property '{k}'" for k in missing]  # tfbridge check_failures.go missingRequiredKey


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
        "Azure-5",
        frozenset({ANY_TOKEN}),
        AZURE,
        Effect.DELETE_FIRST,
        "azure-native deletes before it replaces, unless it generated the resource's name (__createBeforeDelete).",
        "https://github.com/pulumi/pulumi-azure-native/blob/master/provider/pkg/provider/provider.go (Diff)",
        _azure_delete_first,
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
