"""Azure Front Door Standard: artifact downloads and cacheable inference.

Classic Azure CDN takes no new profiles, so the CDN is a Front Door Standard profile
with one endpoint and two routes: `/models/*` to the storage account (read with the
profile's managed identity: the container stays private) and everything else to the
API Management gateway under its `/inference` path.

The inference cache key is built here (`inference_cache_key`). Front Door can key
its cache on query string parameters but never on request headers, so
`cdn.inferenceCache.headerKeys` is refused on Azure, and when the API needs a key a
GET is cached only when it carries the key in the `api-key` query parameter, which
is then part of the cache key; a GET that sends its key in the `x-api-key` header is
never cached (the rule `nocachewithoutkey`), so a cached answer is never served to a
caller without the same key. https://learn.microsoft.com/azure/frontdoor/front-door-caching
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import cdn

from mlserving_provider.args import Api, Cdn
from mlserving_provider.clouds.azure.context import AzureContext

__all__ = ["API_KEY_QUERY", "API_PATH", "FrontDoor", "front_door", "inference_cache_key"]

API_KEY_QUERY = "api-key"
API_PATH = "/inference"
STORAGE_SCOPE = "https://storage.azure.com/.default"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@dataclass(frozen=True)
class FrontDoor:
    profile: cdn.Profile
    domain_name: pulumi.Output[str]
    principal_id: pulumi.Output[str]


def inference_cache_key(settings: Cdn, api: Api) -> list[str]:
    """The query string parameters that form the inference cache key."""
    keys = list(settings.inference_cache.query_string_keys or [])
    if api.require_api_key:
        keys.append(API_KEY_QUERY)
    return keys


def duration(seconds: int) -> str:
    """Seconds as Front Door's cache duration `d.hh:mm:ss`."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days}.{hours:02d}:{minutes:02d}:{secs:02d}"


def _cache_override(cache_configuration: dict[str, Any] | None) -> dict[str, Any]:
    parameters: dict[str, Any] = {"type_name": "DeliveryRuleRouteConfigurationOverrideActionParameters"}
    # Without a cache configuration the override turns caching off.
    if cache_configuration is not None:
        parameters["cache_configuration"] = cache_configuration
    return {"name": "RouteConfigurationOverride", "parameters": parameters}


def front_door(
    ctx: AzureContext,
    settings: Cdn,
    api: Api,
    blob_host: pulumi.Input[str],
    gateway_host: pulumi.Input[str],
) -> FrontDoor:
    """The profile, endpoint, origin groups, origins, rule sets and routes."""
    profile = cdn.Profile(
        f"{ctx.name}-cdn",
        sku={"name": "Standard_AzureFrontDoor"},
        identity={"type": "SystemAssigned"},
        origin_response_timeout_seconds=60,
        location="Global",
        resource_group_name=ctx.resource_group_name,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    endpoint = cdn.AFDEndpoint(
        f"{ctx.name}-cdn-endpoint",
        enabled_state="Enabled",
        # A hash in the host name makes it unique without our random suffix.
        auto_generated_domain_name_label_scope="TenantReuse",
        location="Global",
        tags=ctx.tags,
        opts=ctx.opts(),
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
    )
    probe_less = {"sample_size": 4, "successful_samples_required": 3, "additional_latency_in_milliseconds": 50}
    artifacts_group = cdn.AFDOriginGroup(  # type: ignore[call-overload]  # TypedDict args built as dicts
        f"{ctx.name}-cdn-artifacts",
        load_balancing_settings=probe_less,
        # Front Door fetches blobs with its own Entra token: no SAS, no public container.
        authentication={"type": "SystemAssignedIdentity", "scope": STORAGE_SCOPE},
        session_affinity_state="Disabled",
        opts=ctx.opts(),
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
    )
    api_group = cdn.AFDOriginGroup(  # type: ignore[call-overload]  # TypedDict args built as dicts
        f"{ctx.name}-cdn-api",
        load_balancing_settings=probe_less,
        session_affinity_state="Disabled",
        opts=ctx.opts(),
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
    )
    origins = []
    for group, kind, host in ((artifacts_group, "artifacts", blob_host), (api_group, "api", gateway_host)):
        origins.append(
            cdn.AFDOrigin(
                f"{ctx.name}-cdn-{kind}-origin",
                origin_group_name=group.name,
                host_name=host,
                origin_host_header=host,
                http_port=80,
                https_port=443,
                enforce_certificate_name_check=True,
                enabled_state="Enabled",
                priority=1,
                weight=1000,
                opts=ctx.opts(),
                resource_group_name=ctx.resource_group_name,
                profile_name=profile.name,
            )
        )

    security = cdn.RuleSet(
        f"{ctx.name}-cdn-security",
        rule_set_name="security",
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
        opts=ctx.opts(),
    )
    cdn.Rule(
        f"{ctx.name}-cdn-security-headers",
        rule_set_name=security.name,
        rule_name="securityheaders",
        order=1,
        conditions=[],
        actions=[
            {
                "name": "ModifyResponseHeader",
                "parameters": {
                    "type_name": "DeliveryRuleHeaderActionParameters",
                    "header_action": "Overwrite",
                    "header_name": header,
                    "value": value,
                },
            }
            for header, value in SECURITY_HEADERS.items()
        ],
        match_processing_behavior="Continue",
        opts=ctx.opts(),
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
    )
    artifact_rules = cdn.RuleSet(
        f"{ctx.name}-cdn-artifact-cache",
        rule_set_name="artifactcache",
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
        opts=ctx.opts(),
    )
    cdn.Rule(
        f"{ctx.name}-cdn-artifact-ttl",
        rule_set_name=artifact_rules.name,
        rule_name="artifactttl",
        order=1,
        conditions=[],
        actions=[
            _cache_override(  # type: ignore[list-item]  # TypedDict args built as dicts
                {
                    "cache_behavior": "OverrideAlways",
                    "cache_duration": duration(settings.artifact_ttl_seconds),
                    "query_string_caching_behavior": "IgnoreQueryString",
                    "is_compression_enabled": "Enabled",
                }
            )
        ],
        match_processing_behavior="Continue",
        opts=ctx.opts(),
        resource_group_name=ctx.resource_group_name,
        profile_name=profile.name,
    )
    inference_rule_sets = [security]
    cache = settings.inference_cache
    if cache.enabled:
        inference_rules = cdn.RuleSet(
            f"{ctx.name}-cdn-inference-cache",
            rule_set_name="inferencecache",
            resource_group_name=ctx.resource_group_name,
            profile_name=profile.name,
            opts=ctx.opts(),
        )
        order = 1
        if api.require_api_key:
            cdn.Rule(
                f"{ctx.name}-cdn-no-cache-without-key",
                rule_set_name=inference_rules.name,
                rule_name="nocachewithoutkey",
                order=order,
                conditions=[
                    {
                        "name": "QueryString",
                        "parameters": {
                            "type_name": "DeliveryRuleQueryStringConditionParameters",
                            "operator": "Contains",
                            "match_values": [f"{API_KEY_QUERY}="],
                            "negate_condition": True,
                        },
                    }
                ],
                actions=[_cache_override(None)],  # type: ignore[list-item]  # TypedDict args built as dicts
                match_processing_behavior="Stop",
                opts=ctx.opts(),
                resource_group_name=ctx.resource_group_name,
                profile_name=profile.name,
            )
            order += 1
        keys = inference_cache_key(settings, api)
        cdn.Rule(
            f"{ctx.name}-cdn-inference-ttl",
            rule_set_name=inference_rules.name,
            rule_name="inferencettl",
            order=order,
            conditions=[],
            actions=[
                _cache_override(  # type: ignore[list-item]  # TypedDict args built as dicts
                    {
                        **_rule_cache(keys),
                        "cache_behavior": "OverrideIfOriginMissing",
                        "cache_duration": duration(cache.default_ttl_seconds),
                    }
                )
            ],
            match_processing_behavior="Continue",
            opts=ctx.opts(),
            resource_group_name=ctx.resource_group_name,
            profile_name=profile.name,
        )
        inference_rule_sets.append(inference_rules)

    custom_domains: list[Any] = []
    if settings.custom_domain is not None:
        domain = cdn.AFDCustomDomain(  # type: ignore[call-overload]  # TypedDict args built as dicts
            f"{ctx.name}-cdn-domain",
            host_name=settings.custom_domain,
            tls_settings={"certificate_type": "ManagedCertificate", "minimum_tls_version": "TLS12"},
            opts=ctx.opts(),
            resource_group_name=ctx.resource_group_name,
            profile_name=profile.name,
        )
        custom_domains = [{"id": domain.id}]

    def route(kind: str, group: cdn.AFDOriginGroup, rule_sets: list[cdn.RuleSet], **extra: Any) -> cdn.Route:
        return cdn.Route(
            f"{ctx.name}-cdn-{kind}-route",
            endpoint_name=endpoint.name,
            origin_group={"id": group.id},
            rule_sets=[{"id": r.id} for r in rule_sets],
            custom_domains=custom_domains or None,
            link_to_default_domain="Enabled",
            forwarding_protocol="HttpsOnly",
            enabled_state="Enabled",
            opts=ctx.opts(depends_on=origins),
            resource_group_name=ctx.resource_group_name,
            profile_name=profile.name,
            **extra,
        )

    route(
        "artifacts",
        artifacts_group,
        [security, artifact_rules],
        patterns_to_match=["/models/*"],
        supported_protocols=["Http", "Https"],
        https_redirect="Enabled",
        cache_configuration={
            "query_string_caching_behavior": "IgnoreQueryString",
            "compression_settings": {"is_compression_enabled": True},
        },
    )
    # HTTP is refused for the API (no redirect of a POST body in clear text).
    route(
        "api",
        api_group,
        inference_rule_sets,
        patterns_to_match=["/*"],
        supported_protocols=["Https"],
        https_redirect="Disabled",
        origin_path=API_PATH,
        cache_configuration=_route_cache(inference_cache_key(settings, api)) if cache.enabled else None,
    )
    domain_name = (
        pulumi.Output.from_input(settings.custom_domain) if settings.custom_domain is not None else endpoint.host_name
    )
    return FrontDoor(profile=profile, domain_name=domain_name, principal_id=profile.identity.apply(_principal))


def _rule_cache(keys: list[str]) -> dict[str, Any]:
    """A rule's cache configuration keyed by these query parameters, compression on."""
    out: dict[str, Any] = {
        "query_string_caching_behavior": "IncludeSpecifiedQueryStrings" if keys else "IgnoreQueryString",
        "is_compression_enabled": "Enabled",
    }
    if keys:
        out["query_parameters"] = ",".join(keys)
    return out


def _route_cache(keys: list[str]) -> dict[str, Any]:
    """A route's cache configuration: the cache key's query parameters, compression on."""
    out: dict[str, Any] = {
        "query_string_caching_behavior": "IncludeSpecifiedQueryStrings" if keys else "IgnoreQueryString",
        "compression_settings": {"is_compression_enabled": True},
    }
    if keys:
        out["query_parameters"] = ",".join(keys)
    return out


def _principal(identity: Any) -> str:
    return str(identity.principal_id) if identity is not None and identity.principal_id else ""
