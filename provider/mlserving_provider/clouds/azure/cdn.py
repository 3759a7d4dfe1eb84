"""Azure Front Door Standard: artifact downloads and cacheable inference.

Classic Azure CDN takes no new profiles, so the CDN is a Front Door Standard profile
with one endpoint and two routes: `/models/*` to the storage account (read with the
profile's managed identity: the container stays private) and everything else to the
API Management gateway under its `/inference` path.

Artifacts. Front Door reads `/models/*` with its managed identity, which Front Door
accepts only from an origin group with an HTTPS health probe and routes (and route
overrides) that forward over HTTPS only (https://learn.microsoft.com/azure/frontdoor/origin-authentication-with-managed-identities).
The artifacts are cached keyed on the whole URL (`UseQueryString`): with query strings
ignored, a first request such as `?comp=blocklist` would cache Storage's answer to that
operation under the artifact's URL for the artifact TTL. Listing the container
(`?restype=container&comp=list`) is refused by Storage itself: Front Door's role
assignment carries a condition that denies the `Blob.List` suboperation (see
`FRONT_DOOR_READ_CONDITION`).

The inference cache key is built here (`inference_cache_key`). Front Door can key
its cache on query string parameters but never on request headers, so
`cdn.inferenceCache.headerKeys` is refused on Azure, and when the API needs a key a
GET is cached only when it carries the key in the `api-key` query parameter, which
is then part of the cache key; a GET that sends its key in the `x-api-key` header is
never cached (the rule `nocachewithoutkey`), so a cached answer is never served to a
caller without the same key. https://learn.microsoft.com/azure/frontdoor/front-door-caching
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import cdn

from mlserving_provider.args import Api, Cdn
from mlserving_provider.clouds.azure import naming
from mlserving_provider.clouds.azure.context import AzureContext, after

__all__ = [
    "API_KEY_QUERY",
    "API_PATH",
    "COMPRESSED_CONTENT_TYPES",
    "FRONT_DOOR_READ_CONDITION",
    "FrontDoor",
    "front_door",
    "inference_cache_key",
]

API_KEY_QUERY = "api-key"
API_PATH = "/inference"
STORAGE_SCOPE = "https://storage.azure.com/.default"
STORAGE_API_VERSION = "2024-11-04"
# Front Door's role on the models container reads blobs but may not list them: an Azure ABAC
# condition (version 2.0) on the role assignment that is false for the `Blob.List` suboperation.
# https://learn.microsoft.com/azure/storage/blobs/storage-auth-abac-attributes#list-blobs
FRONT_DOOR_READ_CONDITION = (
    "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}"
    " AND SubOperationMatches{'Blob.List'}))"
)
# What the API route compresses, stated rather than left to the service: the API is created
# with no content types, and what Front Door does with an empty list is not documented (the
# portal fills in its own list). Inference answers are JSON or text. Artifacts are gzip already
# and are never compressed again. https://learn.microsoft.com/azure/frontdoor/standard-premium/how-to-compression
COMPRESSED_CONTENT_TYPES = ["application/json", "text/plain", "text/csv", "application/xml", "text/xml"]
# The storage origin's health probe: HTTPS, because origin authentication requires it. Its answer
# does not gate traffic: the group has one origin, and when every origin of a group fails its
# probes Front Door still routes to them (https://learn.microsoft.com/azure/frontdoor/health-probes).
# HEAD, at the longest interval allowed (255 s), keeps the probe traffic low.
ARTIFACT_PROBE = cdn.HealthProbeParametersArgs(
    probe_protocol=cdn.ProbeProtocol.HTTPS,
    probe_request_type=cdn.HealthProbeRequestType.HEAD,
    probe_path="/",
    probe_interval_in_seconds=255,
)
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


def _cache_override(
    cache: cdn.CacheConfigurationArgs | None, origin_group: cdn.AFDOriginGroup | None = None
) -> cdn.DeliveryRuleRouteConfigurationOverrideActionArgs:
    """A route configuration override; without a cache configuration it turns caching off.

    With `origin_group`, it names that group and HTTPS-only forwarding, which an origin group
    with managed-identity authentication requires of every override that reaches it.
    """
    override = (
        cdn.OriginGroupOverrideArgs(
            origin_group=cdn.ResourceReferenceArgs(id=origin_group.id), forwarding_protocol="HttpsOnly"
        )
        if origin_group is not None
        else None
    )
    return cdn.DeliveryRuleRouteConfigurationOverrideActionArgs(
        name="RouteConfigurationOverride",
        parameters=cdn.RouteConfigurationOverrideActionParametersArgs(
            type_name="DeliveryRuleRouteConfigurationOverrideActionParameters",
            origin_group_override=override,
            cache_configuration=cache,
        ),
    )


def _query_caching(keys: list[str] | None) -> tuple[str, str | None]:
    """The query string caching behaviour and parameters: these keys, or (None) the whole query string."""
    if keys is None:
        return "UseQueryString", None
    return ("IncludeSpecifiedQueryStrings", ",".join(keys)) if keys else ("IgnoreQueryString", None)


def _rule_cache(keys: list[str] | None, behavior: str, seconds: int, compress: bool) -> cdn.CacheConfigurationArgs:
    """A rule's cache configuration: this TTL, keyed by these query parameters (None: all of them)."""
    query, parameters = _query_caching(keys)
    return cdn.CacheConfigurationArgs(
        cache_behavior=behavior,
        cache_duration=duration(seconds),
        query_string_caching_behavior=query,
        query_parameters=parameters,
        is_compression_enabled="Enabled" if compress else "Disabled",
    )


def _route_cache(keys: list[str] | None, compress: bool) -> cdn.AfdRouteCacheConfigurationArgs:
    """A route's cache configuration: the cache key's query parameters (None: all of them)."""
    query, parameters = _query_caching(keys)
    return cdn.AfdRouteCacheConfigurationArgs(
        query_string_caching_behavior=query,
        query_parameters=parameters,
        compression_settings=cdn.CompressionSettingsArgs(
            is_compression_enabled=compress, content_types_to_compress=COMPRESSED_CONTENT_TYPES if compress else None
        ),
    )


def front_door_tags(tags: pulumi.Output[Mapping[str, str]]) -> pulumi.Output[dict[str, str]]:
    """The platform's tags as Front Door takes them: "Azure Front Door doesn't support the use of # or : in the tag
    name" (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations), so
    `mlserving:platform` is `mlserving-platform` on its resources (validation refuses a user's key with `#` or `:`
    while the CDN is on)."""
    return tags.apply(lambda t: {k.replace(":", "-"): v for k, v in t.items()})


def front_door(
    ctx: AzureContext,
    settings: Cdn,
    api: Api,
    blob_host: pulumi.Input[str],
    gateway_host: pulumi.Input[str],
    api_route: bool = True,
) -> FrontDoor:
    """The profile, endpoint, origin groups, origins, rule sets and routes.

    `api_route` off (a platform whose `network.public` is off): the CDN serves artifacts only, with no origin, rule
    or route towards the API, which is reachable from inside the network alone.
    """
    rg = ctx.resource_group_name
    # Every autonamed child is named within its Front Door rule (naming.child).
    profile_name, profile_opts = ctx.child("cdn", naming.FRONT_DOOR_PROFILE)
    profile = cdn.Profile(
        profile_name,
        sku=cdn.SkuArgs(name="Standard_AzureFrontDoor"),
        identity=cdn.ManagedServiceIdentityArgs(type="SystemAssigned"),
        origin_response_timeout_seconds=60,
        location="Global",
        resource_group_name=rg,
        tags=front_door_tags(ctx.tags),
        opts=profile_opts,
    )
    endpoint_name, endpoint_opts = ctx.child("cdn-endpoint", naming.AFD_ENDPOINT)
    endpoint = cdn.AFDEndpoint(
        endpoint_name,
        enabled_state="Enabled",
        # A hash in the host name makes it unique without our random suffix.
        auto_generated_domain_name_label_scope="TenantReuse",
        location="Global",
        tags=front_door_tags(ctx.tags),
        resource_group_name=rg,
        profile_name=profile.name,
        opts=endpoint_opts,
    )

    def origin_group(
        kind: str,
        authentication: cdn.OriginAuthenticationPropertiesArgs | None,
        probe: cdn.HealthProbeParametersArgs | None,
    ) -> cdn.AFDOriginGroup:
        group_name, group_opts = ctx.child(f"cdn-{kind}", naming.AFD_ORIGIN_GROUP)
        return cdn.AFDOriginGroup(
            group_name,
            load_balancing_settings=cdn.LoadBalancingSettingsParametersArgs(
                sample_size=4, successful_samples_required=3, additional_latency_in_milliseconds=50
            ),
            health_probe_settings=probe,
            authentication=authentication,
            session_affinity_state="Disabled",
            resource_group_name=rg,
            profile_name=profile.name,
            opts=group_opts,
        )

    # Front Door fetches blobs with its own Entra token: no SAS, no public container.
    artifacts_group = origin_group(
        "artifacts",
        cdn.OriginAuthenticationPropertiesArgs(type="SystemAssignedIdentity", scope=STORAGE_SCOPE),
        ARTIFACT_PROBE,
    )
    # One origin: no health probe (https://learn.microsoft.com/azure/frontdoor/health-probes).
    api_group = origin_group("api", None, None) if api_route else None
    origins: list[pulumi.Resource] = []
    targets = [(artifacts_group, "artifacts", blob_host)]
    if api_group is not None:
        targets.append((api_group, "api", gateway_host))
    for group, kind, host in targets:
        origin_name, origin_opts = ctx.child(f"cdn-{kind}-origin", naming.AFD_ORIGIN)
        origins.append(
            cdn.AFDOrigin(
                origin_name,
                origin_group_name=group.name,
                host_name=host,
                origin_host_header=host,
                http_port=80,
                https_port=443,
                enforce_certificate_name_check=True,
                enabled_state="Enabled",
                priority=1,
                weight=1000,
                resource_group_name=rg,
                profile_name=profile.name,
                opts=origin_opts,
            )
        )

    set_names: dict[cdn.RuleSet, str] = {}

    def rule_set(kind: str, name: str) -> cdn.RuleSet:
        # Rule set and rule names are letters and digits only.
        made = cdn.RuleSet(
            f"{ctx.name}-cdn-{kind}",
            rule_set_name=name,
            resource_group_name=rg,
            profile_name=profile.name,
            opts=ctx.opts(),
        )
        set_names[made] = name
        return made

    def rule(kind: str, in_set: cdn.RuleSet, name: str, order: int, actions: list[Any], **more: Any) -> cdn.Rule:
        return cdn.Rule(
            f"{ctx.name}-cdn-{kind}",
            rule_set_name=after(in_set, set_names[in_set]),
            rule_name=name,
            order=order,
            actions=actions,
            resource_group_name=rg,
            profile_name=profile.name,
            opts=ctx.opts(),
            **more,
        )

    security = rule_set("security", "security")
    rule(
        "security-headers",
        security,
        "securityheaders",
        1,
        [
            cdn.DeliveryRuleResponseHeaderActionArgs(
                name="ModifyResponseHeader",
                parameters=cdn.HeaderActionParametersArgs(
                    type_name="DeliveryRuleHeaderActionParameters",
                    header_action="Overwrite",
                    header_name=header,
                    value=value,
                ),
            )
            for header, value in SECURITY_HEADERS.items()
        ],
        match_processing_behavior="Continue",
    )
    artifact_rules = rule_set("artifact-cache", "artifactcache")
    rule(
        "artifact-ttl",
        artifact_rules,
        "artifactttl",
        1,
        [
            _cache_override(
                _rule_cache(None, "OverrideAlways", settings.artifact_ttl_seconds, compress=False), artifacts_group
            ),
            # Storage takes a bearer token (Front Door's identity) only with x-ms-version >= 2017-11-09,
            # which viewers do not send. https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory
            cdn.DeliveryRuleRequestHeaderActionArgs(
                name="ModifyRequestHeader",
                parameters=cdn.HeaderActionParametersArgs(
                    type_name="DeliveryRuleHeaderActionParameters",
                    header_action="Overwrite",
                    header_name="x-ms-version",
                    value=STORAGE_API_VERSION,
                ),
            ),
        ],
        match_processing_behavior="Continue",
    )
    inference_rule_sets = [security]
    cache = settings.inference_cache
    keys = inference_cache_key(settings, api)
    if cache.enabled and api_group is not None:
        inference_rules = rule_set("inference-cache", "inferencecache")
        order = 1
        if api.require_api_key:
            rule(
                "no-cache-without-key",
                inference_rules,
                "nocachewithoutkey",
                order,
                [_cache_override(None)],
                conditions=[
                    cdn.DeliveryRuleQueryStringConditionArgs(
                        name="QueryString",
                        parameters=cdn.QueryStringMatchConditionParametersArgs(
                            type_name="DeliveryRuleQueryStringConditionParameters",
                            operator="Contains",
                            match_values=[f"{API_KEY_QUERY}="],
                            negate_condition=True,
                        ),
                    )
                ],
                match_processing_behavior="Stop",
            )
            order += 1
        rule(
            "inference-ttl",
            inference_rules,
            "inferencettl",
            order,
            [_cache_override(_rule_cache(keys, "OverrideIfOriginMissing", cache.default_ttl_seconds, compress=True))],
            match_processing_behavior="Continue",
        )
        inference_rule_sets.append(inference_rules)

    custom_domains: list[cdn.ActivatedResourceReferenceArgs] | None = None
    if settings.custom_domain is not None:
        custom_name, custom_opts = ctx.child("cdn-domain", naming.AFD_CUSTOM_DOMAIN)
        domain = cdn.AFDCustomDomain(
            custom_name,
            host_name=settings.custom_domain,
            tls_settings=cdn.AFDDomainHttpsParametersArgs(
                certificate_type="ManagedCertificate", minimum_tls_version=cdn.AfdMinimumTlsVersion.TLS12
            ),
            resource_group_name=rg,
            profile_name=profile.name,
            opts=custom_opts,
        )
        custom_domains = [cdn.ActivatedResourceReferenceArgs(id=domain.id)]

    def route(kind: str, group: cdn.AFDOriginGroup, rule_sets: list[cdn.RuleSet], **extra: Any) -> None:
        route_name, route_opts = ctx.child(f"cdn-{kind}-route", naming.AFD_ROUTE, depends_on=origins)
        cdn.Route(
            route_name,
            endpoint_name=endpoint.name,
            origin_group=cdn.ResourceReferenceArgs(id=group.id),
            rule_sets=[cdn.ResourceReferenceArgs(id=r.id) for r in rule_sets],
            custom_domains=custom_domains,
            link_to_default_domain="Enabled",
            forwarding_protocol="HttpsOnly",
            enabled_state="Enabled",
            resource_group_name=rg,
            profile_name=profile.name,
            opts=route_opts,
            **extra,
        )

    route(
        "artifacts",
        artifacts_group,
        [security, artifact_rules],
        patterns_to_match=["/models/*"],
        supported_protocols=["Http", "Https"],
        https_redirect="Enabled",
        cache_configuration=_route_cache(None, compress=False),
    )
    # HTTP is refused for the API (no redirect of a POST body sent in clear text).
    if api_group is not None:
        route(
            "api",
            api_group,
            inference_rule_sets,
            patterns_to_match=["/*"],
            supported_protocols=["Https"],
            https_redirect="Disabled",
            origin_path=API_PATH,
            cache_configuration=_route_cache(keys, compress=True) if cache.enabled else None,
        )
    domain_name = (
        pulumi.Output.from_input(settings.custom_domain) if settings.custom_domain is not None else endpoint.host_name
    )
    return FrontDoor(profile=profile, domain_name=domain_name, principal_id=profile.identity.apply(_principal))


def _principal(identity: Any) -> str:
    return str(identity.principal_id) if identity is not None and identity.principal_id else ""
