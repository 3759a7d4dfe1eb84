"""Private networking (`network`): the inbound private endpoints in the user's subnet, their private DNS zones and
the API Management placement that can reach them.

Azure ML managed online endpoints cannot run in the user's virtual network: outbound, a deployment goes through the
workspace's managed virtual network (`isolationMode`, set on the workspace in serving.py); inbound, clients (API
Management first) reach the endpoints through the workspace's private endpoint (group `amlworkspace`) in
`network.azure.subnetId`. https://learn.microsoft.com/azure/machine-learning/how-to-managed-network ,
https://learn.microsoft.com/azure/machine-learning/concept-secure-online-endpoint

DNS. A private endpoint is found by name only through a private DNS zone of the service's `privatelink.` name that is
linked to the virtual network (https://learn.microsoft.com/azure/private-link/private-endpoint-dns). With
`createEndpoints` the provider creates the zones in the platform's resource group and links them to the virtual
networks of `subnetId` and `apiSubnetId`. Azure refuses to link one virtual network to two zones of the same name ("A
virtual network cannot be linked to multiple zones with overlapping namespaces", MicrosoftDocs/azure-docs
private-link-faq.yml): a network whose hub already links these zones needs `createEndpoints: false`.

The storage account keeps its public endpoint (authenticated only, no anonymous access): Pulumi uploads the release
artifacts to it from wherever it runs (azure-native's Blob is a data-plane call), and Front Door Standard reaches
its origin over the internet. Its blob private endpoint serves readers inside the network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network, privatedns

from mlserving_provider.args import Network
from mlserving_provider.clouds.azure import naming
from mlserving_provider.clouds.azure.context import AzureContext, after

__all__ = [
    "API_SKUS",
    "PRIVATE_DNS_ZONES",
    "ApiPlacement",
    "api_placement",
    "isolation_mode",
    "private_endpoints",
    "virtual_network_id",
]

# The private DNS zones of each private-link group (Azure public cloud):
# https://learn.microsoft.com/azure/private-link/private-endpoint-dns (AI + Machine Learning, Storage).
PRIVATE_DNS_ZONES = {
    "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
    "blob": ("privatelink.blob.core.windows.net",),
}
# `network.containerEgress` -> the workspace's managed network isolation mode (machinelearningservices.IsolationMode).
ISOLATION_MODES = {"none": "AllowOnlyApprovedOutbound", "internet": "AllowInternetOutbound"}
# What each API Management tier `network.azure.apiSku` offers does with `apiSubnetId`, `public` on and off:
# the virtual network type (None: no change). https://learn.microsoft.com/azure/api-management/virtual-network-concepts
# - StandardV2: outbound integration only, the gateway stays public (integrate-vnet-outbound: virtualNetworkType
#   External with the delegated subnet; validation refuses it with `public` off).
# - Developer, Premium (classic, stv2): injection, External (public gateway) or Internal (private IP only).
# Premium v2 is not offered (schema.json ApiManagementSku): the api-version azure-native 3.29.0 sends has no such tier.
API_SKUS = {
    "StandardV2": ("External", None),
    "Developer": ("External", "Internal"),
    "Premium": ("External", "Internal"),
}
_SUBNET_TAIL = re.compile(r"/subnets/[^/]+$", re.IGNORECASE)


def virtual_network_id(subnet_id: str) -> str:
    """The virtual network of a subnet, by ARM id: the subnet's id without its `/subnets/<name>` tail."""
    return _SUBNET_TAIL.sub("", subnet_id)


def isolation_mode(net: Network) -> str:
    return ISOLATION_MODES[net.container_egress]


@dataclass(frozen=True)
class ApiPlacement:
    """Where API Management goes: its tier and virtual network settings."""

    sku: str
    virtual_network_type: str
    subnet_id: pulumi.Input[str]


def api_placement(net: Network) -> ApiPlacement:
    azure = net.azure
    assert azure is not None  # validation requires it on azure
    sku = azure.api_sku or "StandardV2"
    public, private = API_SKUS[sku]
    mode = public if net.public else private
    # Validation refuses StandardV2 with `public` off; the mode is never None here.
    assert mode is not None, f"{sku} cannot start private"
    return ApiPlacement(sku=sku, virtual_network_type=mode, subnet_id=azure.api_subnet_id)


def private_endpoints(
    ctx: AzureContext,
    net: Network,
    workspace_id: pulumi.Input[str],
    storage_account_id: pulumi.Input[str],
) -> list[network.PrivateEndpoint]:
    """The workspace's and the artifact account's private endpoints in `subnetId`, with their private DNS zones,
    zone groups and virtual network links; none when `createEndpoints` is off (the network has them)."""
    azure = net.azure
    assert azure is not None
    if not net.create_endpoints:
        return []
    zones = _zones(ctx, [azure.subnet_id, azure.api_subnet_id])
    return [
        _private_endpoint(ctx, "workspace-pe", azure.subnet_id, workspace_id, "amlworkspace", zones),
        _private_endpoint(ctx, "artifacts-pe", azure.subnet_id, storage_account_id, "blob", zones),
    ]


def _networks(subnet_ids: Sequence[pulumi.Input[str]]) -> list[pulumi.Input[str]]:
    """The distinct virtual networks of the subnets: by value where they are plain strings (the usual case), the
    first subnet's alone otherwise (a link per distinct network cannot be decided on unknown values)."""
    if all(isinstance(s, str) for s in subnet_ids):
        seen: dict[str, str] = {}
        for subnet in subnet_ids:
            assert isinstance(subnet, str)
            seen.setdefault(virtual_network_id(subnet).lower(), virtual_network_id(subnet))
        return list(seen.values())
    return [pulumi.Output.from_input(subnet_ids[0]).apply(virtual_network_id)]


def _zones(ctx: AzureContext, subnet_ids: Sequence[pulumi.Input[str]]) -> dict[str, privatedns.PrivateZone]:
    networks = _networks(subnet_ids)
    zones: dict[str, privatedns.PrivateZone] = {}
    for names in PRIVATE_DNS_ZONES.values():
        for zone_name in names:
            short = zone_name.removeprefix("privatelink.").split(".")[0]
            zone = privatedns.PrivateZone(
                f"{ctx.name}-dns-{short}",
                private_zone_name=zone_name,
                location="global",
                resource_group_name=ctx.resource_group_name,
                tags=ctx.tags,
                opts=ctx.opts(),
            )
            zones[zone_name] = zone
            for i, vnet in enumerate(networks):
                kind = f"dns-{short}-link" + (f"-{i + 1}" if i else "")
                link_name, link_opts = ctx.child(kind, naming.VIRTUAL_NETWORK_LINK)
                privatedns.VirtualNetworkLink(
                    link_name,
                    private_zone_name=after(zone, zone_name),
                    location="global",
                    # Resolution only: the zone holds the private endpoints' records, no VM registers in it.
                    registration_enabled=False,
                    virtual_network=privatedns.SubResourceArgs(id=vnet),
                    resource_group_name=ctx.resource_group_name,
                    tags=ctx.tags,
                    opts=link_opts,
                )
    return zones


def _private_endpoint(
    ctx: AzureContext,
    kind: str,
    subnet_id: pulumi.Input[str],
    target_id: pulumi.Input[str],
    group: str,
    zones: dict[str, privatedns.PrivateZone],
) -> network.PrivateEndpoint:
    name, opts = ctx.child(kind, naming.PRIVATE_ENDPOINT)
    endpoint = network.PrivateEndpoint(
        name,
        # A reference by id alone (SubnetArgs would add its own defaults for the subnet's policies).
        subnet={"id": subnet_id},
        # Automatic approval: the platform owns both ends (the caller has rights on the target).
        private_link_service_connections=[
            network.PrivateLinkServiceConnectionArgs(name=group, private_link_service_id=target_id, group_ids=[group])
        ],
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=opts,
    )
    network.PrivateDnsZoneGroup(
        f"{ctx.name}-{kind}-dns",
        private_endpoint_name=endpoint.name,
        private_dns_zone_group_name="default",
        private_dns_zone_configs=[
            network.PrivateDnsZoneConfigArgs(name=zone_name.replace(".", "-"), private_dns_zone_id=zones[zone_name].id)
            for zone_name in PRIVATE_DNS_ZONES[group]
        ],
        resource_group_name=ctx.resource_group_name,
        opts=ctx.opts(),
    )
    return endpoint
