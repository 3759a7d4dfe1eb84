"""The Python input types of both components, mirroring schema.json.

Each dataclass is one schema object type; its fields are the type's properties in
snake_case. The parser below reads raw construct inputs against the schema (types,
enums, required properties, defaults) into these dataclasses, collecting every
problem with its property path instead of stopping at the first one.

A field typed as a dataclass (not Optional) is filled with the schema defaults when
the user leaves it out; a field typed `X | None` stays None, because its presence
means something (`serverless`, `quota`, `azure`).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi
from pulumi.runtime import known_types

from mlserving_provider._schema import resource_spec, type_spec

__all__ = [
    "Api",
    "ApiQuota",
    "ArtifactStore",
    "AwsNetwork",
    "AzureNetwork",
    "AzureSettings",
    "Cdn",
    "DataCapture",
    "Events",
    "GeoRestriction",
    "InferenceCache",
    "Monitoring",
    "Network",
    "PlatformArgs",
    "Problem",
    "ReleaseArgs",
    "RequestSettings",
    "Rollout",
    "Scaling",
    "Serverless",
    "camel",
    "parse",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One invalid input: the property path and what is wrong with it."""

    path: str
    reason: str
    # False when the value is still usable, so the rules across inputs can run too.
    blocking: bool = True


# ---------------------------------------------------------------- schema types


@dataclass(frozen=True)
class AzureSettings:
    location: pulumi.Input[str]
    resource_group_name: pulumi.Input[str] | None


@dataclass(frozen=True)
class ArtifactStore:
    versioning: bool
    retain_on_delete: bool
    kms_key_arn: pulumi.Input[str] | None
    noncurrent_version_expiration_days: int
    # Azure only; None: the region's default (clouds/azure/regions.py).
    redundancy: str | None


@dataclass(frozen=True)
class InferenceCache:
    # None until validation resolves it: `true`, or `false` on a platform whose `network.public` is off.
    enabled: bool | None
    default_ttl_seconds: int
    max_ttl_seconds: int
    query_string_keys: list[str] | None
    header_keys: list[str] | None


@dataclass(frozen=True)
class GeoRestriction:
    restriction_type: str
    locations: list[str] | None


@dataclass(frozen=True)
class Cdn:
    enabled: bool
    artifact_ttl_seconds: int
    inference_cache: InferenceCache
    price_class: str
    custom_domain: pulumi.Input[str] | None
    certificate_arn: pulumi.Input[str] | None
    web_acl_arn: pulumi.Input[str] | None
    geo_restriction: GeoRestriction


@dataclass(frozen=True)
class Scaling:
    """The platform's scaling. Its defaults live here, not in schema.json: a schema default
    would make every SDK send it, and a release could no longer leave a field to the
    platform (a contract test holds these equal to the defaults the descriptions state)."""

    min_replicas: int = 1
    max_replicas: int = 4
    target_invocations_per_replica: int = 100
    target_cpu_percent: int = 70
    scale_in_cooldown_seconds: int = 300
    scale_out_cooldown_seconds: int = 60


@dataclass(frozen=True)
class ApiQuota:
    limit: int
    period: str


@dataclass(frozen=True)
class Api:
    require_api_key: bool
    throttle_rate_limit: float
    throttle_burst_limit: int
    quota: ApiQuota | None
    stage_quota: int


@dataclass(frozen=True)
class Events:
    enabled: bool
    archive_retention_days: int
    dead_letter_queue: bool


@dataclass(frozen=True)
class Monitoring:
    enabled: bool
    latency_p99_threshold_ms: float
    error_rate_percent_threshold: float
    alarm_email: pulumi.Input[str] | None


@dataclass(frozen=True)
class Rollout:
    strategy: str
    canary_percent: int
    linear_step_percent: int
    wait_seconds: int
    auto_rollback: bool
    new_fleet_replicas: int | None


@dataclass(frozen=True)
class Serverless:
    memory_size_mb: int
    max_concurrency: int


@dataclass(frozen=True)
class DataCapture:
    enabled: bool
    sampling_percent: int


@dataclass(frozen=True)
class RequestSettings:
    """Azure only. Its defaults live here, not in schema.json, so that an SDK sends only what the
    user set (and AWS can refuse it); a contract test holds them equal to the descriptions'."""

    max_concurrent_requests_per_instance: int = 8
    request_timeout_ms: int = 29000


@dataclass(frozen=True)
class AwsNetwork:
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[pulumi.Input[str]]]
    # None: a security group the provider creates.
    security_group_ids: pulumi.Input[list[pulumi.Input[str]]] | None
    route_table_ids: pulumi.Input[list[pulumi.Input[str]]] | None
    s3_endpoint_id: pulumi.Input[str] | None
    api_endpoint_ids: pulumi.Input[list[pulumi.Input[str]]] | None


@dataclass(frozen=True)
class AzureNetwork:
    subnet_id: pulumi.Input[str]
    api_subnet_id: pulumi.Input[str]
    # None: StandardV2 when the API is public (validation refuses None when it is not).
    api_sku: str | None


@dataclass(frozen=True)
class Network:
    public: bool
    create_endpoints: bool
    container_egress: str
    aws: AwsNetwork | None
    azure: AzureNetwork | None


# ---------------------------------------------------------------- components


@dataclass(frozen=True)
class PlatformArgs:
    """Inputs of `mlserving:index:MLServingPlatform`."""

    cloud: str
    azure: AzureSettings | None
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    artifacts: ArtifactStore
    cdn: Cdn
    scaling: Scaling
    api: Api
    events: Events
    monitoring: Monitoring
    # None: no private networking (public endpoints, as before).
    network: Network | None


@dataclass(frozen=True)
class ReleaseArgs:
    """Inputs of `mlserving:index:ModelRelease`.

    `scaling` holds only the fields the user gave: they override the platform's.
    """

    platform: pulumi.Resource
    model_name: str
    version: str
    api_version: str
    artifact: pulumi.Asset | pulumi.Archive
    image: pulumi.Input[str]
    instance_type: str | None
    scaling: Mapping[str, Any] | None
    environment: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    rollout: Rollout
    serverless: Serverless | None
    data_capture: DataCapture
    request_settings: RequestSettings | None


TYPE_CLASSES: dict[str, type[Any]] = {
    f"mlserving:index:{cls.__name__}": cls
    for cls in (
        AzureSettings,
        ArtifactStore,
        InferenceCache,
        GeoRestriction,
        Cdn,
        Scaling,
        ApiQuota,
        Api,
        Events,
        Monitoring,
        Rollout,
        Serverless,
        DataCapture,
        RequestSettings,
        AwsNetwork,
        AzureNetwork,
        Network,
    )
}
RESOURCE_CLASSES: dict[str, type[Any]] = {
    "mlserving:index:MLServingPlatform": PlatformArgs,
    "mlserving:index:ModelRelease": ReleaseArgs,
}
# Fields whose value is kept as the raw mapping the user gave (see ReleaseArgs).
RAW_OBJECT_FIELDS = {(ReleaseArgs, "scaling")}


def camel(snake: str) -> str:
    """`min_replicas` -> `minReplicas`."""
    head, *rest = snake.split("_")
    return head + "".join(word.title() for word in rest)


def snake(camel_name: str) -> str:
    """`minReplicas` -> `min_replicas`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel_name).lower()


# ---------------------------------------------------------------- parsing


def parse(token: str, raw: Mapping[str, Any]) -> tuple[Any, list[Problem]]:
    """Read the raw inputs of a resource token into its args dataclass.

    Returns the args (None when a problem makes them unusable) and every problem found.
    """
    spec = resource_spec(token)
    problems: list[Problem] = []
    args = _object(
        RESOURCE_CLASSES[token],
        spec["inputProperties"],
        set(spec.get("requiredInputs", [])),
        raw,
        "",
        problems,
    )
    return (None if any(p.blocking for p in problems) else args), problems


def _object(
    cls: type[T],
    props: Mapping[str, Any],
    required: set[str],
    raw: Mapping[str, Any],
    path: str,
    problems: list[Problem],
) -> T:
    for key in raw:
        if key not in props:
            problems.append(Problem(_join(path, key), "is not a known property", blocking=False))
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = camel(field.name)
        prop = props[name]
        where = _join(path, name)
        value = raw.get(name)
        if value is None:
            if "default" in prop:
                value = prop["default"]
            elif field.default is not dataclasses.MISSING:
                value = field.default
            elif name in required:
                problems.append(Problem(where, "is required"))
            elif _object_token(prop) is not None and not _is_optional(field):
                value = {}
        if value is None:
            values[field.name] = None
        elif (cls, field.name) in RAW_OBJECT_FIELDS:
            values[field.name] = _raw_object(prop, value, where, problems)
        else:
            values[field.name] = _value(prop, value, where, problems)
    return cls(**values)


def _raw_object(prop: Mapping[str, Any], value: Any, where: str, problems: list[Problem]) -> Any:
    """Checks an object against its schema type, returning only the fields given."""
    if not isinstance(value, Mapping):
        problems.append(Problem(where, f"must be an object (got {_show(value)})"))
        return None
    spec = type_spec(prop["$ref"].removeprefix("#/types/"))
    out: dict[str, Any] = {}
    for key, item in value.items():
        where_key = _join(where, key)
        if key not in spec["properties"]:
            problems.append(Problem(where_key, "is not a known property", blocking=False))
        elif item is not None:
            out[snake(key)] = _value(spec["properties"][key], item, where_key, problems)
    return out


def _value(prop: Mapping[str, Any], value: Any, where: str, problems: list[Problem]) -> Any:
    # An unknown without dependencies arrives bare (pulumi.output.UNKNOWN), not as an Output.
    if known_types.is_output(value) or known_types.is_unknown(value):
        if prop.get("plain"):
            problems.append(Problem(where, "must be a plain value known before deployment (got an Output)"))
        elif _object_token(prop) is not None:
            # The provider reads an object's fields; each of them may be an Output, the whole may not.
            problems.append(Problem(where, "must be an object known before deployment (its fields may be Outputs)"))
            return None
        return value
    ref = prop.get("$ref")
    if ref == "pulumi.json#/Asset":
        if not isinstance(value, (pulumi.Asset, pulumi.Archive)):
            problems.append(Problem(where, f"must be an Asset or an Archive (got {_show(value)})"))
        return value
    if ref is not None and ref.startswith("#/resources/"):
        if not known_types.is_resource(value):
            problems.append(Problem(where, f"must be a reference to a {ref.split(':')[-1]} (got {_show(value)})"))
        return value
    if ref is not None:
        token = ref.removeprefix("#/types/")
        spec = type_spec(token)
        if "enum" in spec:
            allowed = [e["value"] for e in spec["enum"]]
            if value not in allowed:
                problems.append(Problem(where, f"must be one of {', '.join(map(repr, allowed))} (got {_show(value)})"))
            return value
        if not isinstance(value, Mapping):
            problems.append(Problem(where, f"must be an object (got {_show(value)})"))
            return None
        return _object(TYPE_CLASSES[token], spec["properties"], set(spec.get("required", [])), value, where, problems)
    return _primitive(prop, value, where, problems)


def _primitive(prop: Mapping[str, Any], value: Any, where: str, problems: list[Problem]) -> Any:
    kind = prop["type"]
    if kind == "string":
        if not isinstance(value, str):
            problems.append(Problem(where, f"must be a string (got {_show(value)})"))
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(Problem(where, f"must be a boolean (got {_show(value)})"))
        return value
    if kind == "integer":
        # Numbers cross gRPC as doubles: 3.0 is the integer 3 (NaN and infinity are not integers).
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value != int(value)
        ):
            problems.append(Problem(where, f"must be an integer (got {_show(value)})"))
            return value
        return int(value)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(Problem(where, f"must be a number (got {_show(value)})"))
            return value
        if not math.isfinite(value):
            problems.append(Problem(where, f"must be a finite number (got {_show(value)})"))
            return value
        return float(value)
    # The items of a plain list or map are plain too (an Output inside would reach the rules).
    plain = {"plain": True} if prop.get("plain") else {}
    if kind == "array":
        if not isinstance(value, (list, tuple)):
            problems.append(Problem(where, f"must be a list (got {_show(value)})"))
            return value
        return [_value({**prop["items"], **plain}, v, f"{where}[{i}]", problems) for i, v in enumerate(value)]
    if kind == "object":
        if not isinstance(value, Mapping):
            problems.append(Problem(where, f"must be a map (got {_show(value)})"))
            return value
        item_spec = {**prop["additionalProperties"], **plain}
        return {k: _value(item_spec, v, _join(where, k), problems) for k, v in value.items()}
    raise AssertionError(f"schema type {kind!r} has no parser")  # pragma: no cover


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, (str, int, float, bool)) else type(value).__name__


def _is_optional(field: dataclasses.Field[Any]) -> bool:
    """Whether a field is declared `X | None` (annotations are strings here)."""
    return str(field.type).replace(" ", "").endswith("|None")


def _object_token(prop: Mapping[str, Any]) -> str | None:
    """The type token of a property that holds a schema object type, if it does."""
    ref = prop.get("$ref", "")
    token = ref.removeprefix("#/types/")
    return token if token in TYPE_CLASSES else None
