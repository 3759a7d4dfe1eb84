"""The versioned API: API Management, one API version per release.

The tier is Consumption unless the platform has `network`: Consumption cannot reach a private endpoint, so a
networked platform takes `network.azure.apiSku` (network.api_placement), integrated with or injected in
`network.azure.apiSubnetId` (https://learn.microsoft.com/azure/api-management/virtual-network-concepts).

All versions share the path `/inference` in one version set with the `Segment`
scheme, so `<gateway>/inference/v1/predict` and `/inference/v2/predict` are two APIs.
Each release's API forwards `POST /predict` (and `GET /predict`, its query string
as a JSON body, so the CDN can cache it) to its Azure ML online endpoint, with the
endpoint key from a secret named value, and picks the deployment with the
`azureml-model-deployment` header (that is where a canary's traffic split lives).
https://learn.microsoft.com/azure/api-management/api-management-versions
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pulumi
import pulumi_random as random
from pulumi_azure_native import apimanagement

from mlserving_provider.args import Api
from mlserving_provider.clouds.azure import naming
from mlserving_provider.clouds.azure.cdn import API_KEY_QUERY, API_PATH
from mlserving_provider.clouds.azure.context import AzureContext, after
from mlserving_provider.clouds.azure.network import ApiPlacement

__all__ = [
    "API_KEY_HEADER",
    "CLASSIC_TLS_PROPERTIES",
    "CONSUMPTION_TLS_PROPERTIES",
    "DEPLOYMENT_HEADER",
    "QUOTA_PERIOD_SECONDS",
    "ApiAttachment",
    "ApiService",
    "api_service",
    "api_version",
    "product_policy",
    "routing_policy",
    "scoring_backend",
]

API_KEY_HEADER = "x-api-key"
DEPLOYMENT_HEADER = "azureml-model-deployment"
# APIM counts quotas in seconds; a month is taken as 30 days.
QUOTA_PERIOD_SECONDS = {"DAY": 86400, "WEEK": 604800, "MONTH": 2592000}
DEFAULT_PUBLISHER_EMAIL = "noreply@example.com"
# TLS 1.2+ only, towards callers and backends. The Consumption tier refuses the caller-side
# `Protocols.Ssl30` (and `Ciphers.TripleDes168`) custom properties: "... customProperties are not
# supported in SkuType Consumption" (hashicorp/terraform-provider-azurerm#8405; the azurerm
# provider sends exactly these five on Consumption): that tier does not let us set them.
CONSUMPTION_TLS_PROPERTIES = {
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30": "false",
}
# The classic tiers (Developer, Premium) take the caller-side SSL 3.0 switch and the 3DES cipher too. The v2 tiers
# "don't support changes to the default cipher configuration" (Consumption, Basic v2, Standard v2, Premium v2:
# https://learn.microsoft.com/azure/api-management/api-management-howto-manage-protocols-ciphers), so they get the
# protocol switches Consumption takes, no cipher.
CLASSIC_TLS_PROPERTIES = {
    **CONSUMPTION_TLS_PROPERTIES,
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30": "false",
    "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168": "false",
}
PRODUCT = "mlserving"


@dataclass(frozen=True)
class ApiService:
    service: apimanagement.ApiManagementService
    name: pulumi.Output[str]
    gateway_host: pulumi.Output[str]
    base_url: pulumi.Output[str]
    version_set: apimanagement.ApiVersionSet
    key_value: pulumi.Output[str]


def _tier(placement: ApiPlacement | None) -> dict[str, Any]:
    """The service's tier and network settings: Consumption (capacity 0, no network) without `network`; else one unit
    of the chosen tier in `apiSubnetId`, `External` (outbound integration for the v2 tiers, injection with a public
    gateway for the classic ones) or `Internal` (injected, a private gateway only). No public IP resource: the
    classic stv2 injection takes one optionally, the v2 tiers none
    (https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources)."""
    if placement is None:
        return {"sku": {"name": "Consumption", "capacity": 0}, "custom_properties": CONSUMPTION_TLS_PROPERTIES}
    classic = placement.sku in ("Developer", "Premium")
    return {
        "sku": {"name": placement.sku, "capacity": 1},
        "custom_properties": CLASSIC_TLS_PROPERTIES if classic else CONSUMPTION_TLS_PROPERTIES,
        "virtual_network_type": placement.virtual_network_type,
        "virtual_network_configuration": {"subnet_resource_id": placement.subnet_id},
    }


def api_service(
    ctx: AzureContext,
    settings: Api,
    suffix: pulumi.Output[str],
    publisher_email: pulumi.Input[str] | None,
    placement: ApiPlacement | None = None,
) -> ApiService:
    """The service (see `_tier`), its version set and the subscription whose key callers send."""
    service_name = suffix.apply(lambda s: naming.apim_service(ctx.name, s))
    service = apimanagement.ApiManagementService(
        f"{ctx.name}-api",
        service_name=service_name,
        # APIM requires a publisher address; the alarm address when there is one.
        publisher_email=publisher_email if publisher_email is not None else DEFAULT_PUBLISHER_EMAIL,
        publisher_name=naming.display_name(f"mlserving {ctx.name}"),
        identity={"type": "SystemAssigned"},
        **_tier(placement),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    name = after(service, service_name)
    version_set = apimanagement.ApiVersionSet(
        f"{ctx.name}-api-versions",
        version_set_id="inference",
        display_name=naming.display_name(f"mlserving {ctx.name} inference"),
        versioning_scheme="Segment",
        opts=ctx.opts(),
        resource_group_name=ctx.resource_group_name,
        service_name=name,
    )
    key_value: pulumi.Output[str] = pulumi.Output.secret("")
    if settings.require_api_key:
        # The key is a subscription to one product, whose policy throttles per key (like a usage
        # plan): API Management allows `quota` at product scope only.
        product = apimanagement.Product(
            f"{ctx.name}-api-product",
            product_id=PRODUCT,
            display_name=f"mlserving {ctx.name}",
            description="Every API version of this platform, throttled per key",
            subscription_required=True,
            approval_required=False,
            state=apimanagement.ProductState.PUBLISHED,
            opts=ctx.opts(),
            resource_group_name=ctx.resource_group_name,
            service_name=name,
        )
        apimanagement.ProductPolicy(
            f"{ctx.name}-api-product-policy",
            product_id=after(product, PRODUCT),
            policy_id="policy",
            format="xml",
            value=product_policy(settings),
            opts=ctx.opts(),
            resource_group_name=ctx.resource_group_name,
            service_name=name,
        )
        secret = random.RandomPassword(f"{ctx.name}-api-key-value", length=40, special=False, opts=ctx.opts())
        apimanagement.Subscription(
            f"{ctx.name}-api-key",
            sid="mlserving",
            display_name=naming.display_name(f"mlserving {ctx.name}"),
            scope=after(product, f"/products/{PRODUCT}"),
            state=apimanagement.SubscriptionState.ACTIVE,
            primary_key=secret.result,
            allow_tracing=False,
            opts=ctx.opts(),
            resource_group_name=ctx.resource_group_name,
            service_name=name,
        )
        key_value = pulumi.Output.secret(secret.result)
    gateway_host = name.apply(lambda n: f"{n}.azure-api.net")
    return ApiService(
        service=service,
        name=name,
        gateway_host=gateway_host,
        base_url=pulumi.Output.format("https://{0}{1}", gateway_host, API_PATH),
        version_set=version_set,
        key_value=key_value,
    )


@dataclass(frozen=True)
class ApiAttachment:
    """What a release needs of the platform's API (from the platform's attachments)."""

    resource_group_name: pulumi.Input[str]
    service_name: pulumi.Input[str]
    version_set_id: pulumi.Input[str]
    require_api_key: bool


def scoring_backend(scoring_uri: str) -> tuple[str, str]:
    """The endpoint's `scoringUri` as the API's service URL (scheme and host) and the path to rewrite to."""
    parts = urlsplit(scoring_uri)
    return f"{parts.scheme}://{parts.netloc}", parts.path or "/"


def routing_policy(
    attachment: ApiAttachment,
    key_name: str,
    deployments: list[tuple[str, int]],
    scoring_path: str,
) -> str:
    """The API's policy: the endpoint key, the deployment choice, and GET as a JSON POST to the scoring path.

    `deployments` is `[(name, percent), ...]`; with two, a request goes to the first
    with its percentage of probability (the canary split). `scoring_path` is the path of the
    endpoint's `scoringUri` (`/score`).
    """
    if len(deployments) == 1:
        choice = deployments[0][0]
    else:
        (canary, percent), (main, _) = deployments
        choice = f'@(new Random().Next(100) < {percent} ? "{canary}" : "{main}")'
    get_as_post = (
        '<choose><when condition="@(context.Request.Method == &quot;GET&quot;)">'
        "<set-body>@(new JObject(context.Request.Url.Query.Where(q =&gt; q.Key != &quot;"
        + API_KEY_QUERY
        + "&quot;).Select(q =&gt; new JProperty(q.Key, q.Value.FirstOrDefault()))).ToString())</set-body>"
        "<set-method>POST</set-method>"
        '<set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>'
        "</when></choose>"
    )
    return (
        "<policies><inbound><base />"
        + get_as_post
        + f'<set-header name="{API_KEY_HEADER}" exists-action="delete" />'
        + '<set-header name="Authorization" exists-action="override">'
        + f"<value>Bearer {{{{{key_name}}}}}</value></set-header>"
        + f'<set-header name="{DEPLOYMENT_HEADER}" exists-action="override"><value>{_xml(choice)}</value></set-header>'
        + f'<rewrite-uri template="{_xml(scoring_path)}" copy-unmatched-params="false" />'
        + "</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"
    )


def product_policy(settings: Api) -> str:
    """Throttle and quota per subscription (key): the Consumption tier has no `*-by-key` policies."""
    limits = f'<rate-limit calls="{max(int(settings.throttle_rate_limit), 1)}" renewal-period="1" />'
    if settings.quota is not None:
        limits += (
            f'<quota calls="{settings.quota.limit}" renewal-period="{QUOTA_PERIOD_SECONDS[settings.quota.period]}" />'
        )
    return (
        "<policies><inbound><base />"
        + limits
        + "</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def api_version(
    ctx: AzureContext,
    attachment: ApiAttachment,
    api_version: str,
    scoring_uri: pulumi.Input[str],
    endpoint_key: pulumi.Input[str],
    deployments: list[tuple[str, int]],
    depends_on: list[pulumi.Resource],
) -> apimanagement.Api:
    """The API `<apiVersion>` in the version set, its two operations, key and policy.

    The backend is the endpoint's own `scoringUri` output, never a URL built from the location
    (a location written `West Europe` is not the URL's `westeurope`).
    """
    backend = pulumi.Output.from_input(scoring_uri).apply(scoring_backend)
    api = apimanagement.Api(
        f"{ctx.name}-api",
        api_id=f"inference-{api_version}",
        display_name=f"inference {api_version}",
        path=API_PATH.strip("/"),
        api_version=api_version,
        api_version_set_id=attachment.version_set_id,
        protocols=["https"],
        service_url=backend.apply(lambda b: b[0]),
        subscription_required=attachment.require_api_key,
        subscription_key_parameter_names={"header": API_KEY_HEADER, "query": API_KEY_QUERY},
        opts=ctx.opts(),
        resource_group_name=attachment.resource_group_name,
        service_name=attachment.service_name,
    )
    api_id = after(api, f"inference-{api_version}")
    if attachment.require_api_key:
        apimanagement.ProductApi(
            f"{ctx.name}-api-product",
            product_id=PRODUCT,
            api_id=api_id,
            opts=ctx.opts(),
            resource_group_name=attachment.resource_group_name,
            service_name=attachment.service_name,
        )
    for verb in ("POST", "GET"):
        apimanagement.ApiOperation(
            f"{ctx.name}-predict-{verb.lower()}",
            api_id=api_id,
            operation_id=f"predict-{verb.lower()}",
            display_name=f"{verb} /predict",
            method=verb,
            url_template="/predict",
            opts=ctx.opts(),
            resource_group_name=attachment.resource_group_name,
            service_name=attachment.service_name,
        )
    key_name = naming.named_value(f"endpoint-key-{ctx.name}")
    key = apimanagement.NamedValue(
        f"{ctx.name}-endpoint-key",
        named_value_id=key_name,
        display_name=key_name,
        value=pulumi.Output.secret(endpoint_key),
        secret=True,
        opts=ctx.opts(),
        resource_group_name=attachment.resource_group_name,
        service_name=attachment.service_name,
    )
    apimanagement.ApiPolicy(
        f"{ctx.name}-api-policy",
        api_id=api_id,
        policy_id="policy",
        format="xml",
        value=backend.apply(lambda b: routing_policy(attachment, key_name, deployments, b[1])),
        opts=ctx.opts(depends_on=[key, *depends_on]),
        resource_group_name=attachment.resource_group_name,
        service_name=attachment.service_name,
    )
    return api
