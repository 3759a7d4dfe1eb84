"""Azure private networking (`network`) under mocks: the exact children a private platform adds and changes, their
security settings, with and without the network, and the preview refusals that concern Azure."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pulumi
import pytest
from mlserving_provider.args import AzureNetwork, Network
from mlserving_provider.clouds.azure import network as azure_network
from mlserving_provider.platform import MLServingPlatform

from tests import mocks
from tests.unit.conftest import Build
from tests.unit.test_azure import ALL_AT_ONCE_CHILDREN, PLATFORM_CHILDREN

AZ: dict[str, Any] = {"cloud": "azure", "azure": {"location": "westeurope"}, "monitoring": {"alarmEmail": "o@x.io"}}
VNET = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub"
SUBNET = f"{VNET}/subnets/endpoints"
API_SUBNET = f"{VNET}/subnets/apim"
OTHER_VNET = VNET.replace("/hub", "/spoke")
V1 = {"name": "fraud-v1", "modelName": "fraud", "version": "1.0.0", "apiVersion": "v1"}
ZONES = ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net", "privatelink.blob.core.windows.net"]


def private(public: bool = False, sku: str | None = "Developer", **more: Any) -> dict[str, Any]:
    azure: dict[str, Any] = {"subnetId": SUBNET, "apiSubnetId": API_SUBNET}
    if sku is not None:
        azure["apiSku"] = sku
    return {**AZ, "network": {"public": public, "azure": azure, **more}}


# What a networked platform adds: two private endpoints, their zone groups, three zones and their links; and,
# with `public` off, the Front Door API origin group, origin and route go (the inference cache is off by default).
NETWORK_CHILDREN = Counter(
    {
        "azure-native:network:PrivateEndpoint": 2,
        "azure-native:network:PrivateDnsZoneGroup": 2,
        "azure-native:privatedns:PrivateZone": 3,
        "azure-native:privatedns:VirtualNetworkLink": 3,
    }
)
NO_API_ON_THE_CDN = Counter(
    {
        "azure-native:cdn:AFDOriginGroup": 1,
        "azure-native:cdn:AFDOrigin": 1,
        "azure-native:cdn:Route": 1,
        # The inference cache's rule set and its two rules (no-cache-without-key, inference-ttl).
        "azure-native:cdn:RuleSet": 1,
        "azure-native:cdn:Rule": 2,
    }
)


def test_a_private_platform_adds_exactly_its_endpoints_zones_and_links(build: Build) -> None:
    recorder, _, _ = build(private())
    assert Counter(recorder.types()) == PLATFORM_CHILDREN + NETWORK_CHILDREN - NO_API_ON_THE_CDN


def test_a_public_api_on_a_network_keeps_the_front_door_route(build: Build) -> None:
    recorder, _, _ = build(private(public=True, sku=None))
    assert Counter(recorder.types()) == PLATFORM_CHILDREN + NETWORK_CHILDREN


def test_without_network_nothing_changes(build: Build) -> None:
    recorder, _, _ = build(AZ, [dict(V1)])
    assert Counter(recorder.types()) == PLATFORM_CHILDREN + ALL_AT_ONCE_CHILDREN
    workspace = recorder.one("azure-native:machinelearningservices:Workspace").inputs
    assert workspace["publicNetworkAccess"] == "Enabled"
    assert "managedNetwork" not in workspace
    assert "provisionNetworkNow" not in workspace
    assert "publicNetworkAccess" not in recorder.one("azure-native:storage:StorageAccount").inputs
    service = recorder.one("azure-native:apimanagement:ApiManagementService").inputs
    assert service["sku"] == {"name": "Consumption", "capacity": 0}
    # The SDK's default, sent as before.
    assert service["virtualNetworkType"] == "None"
    assert "virtualNetworkConfiguration" not in service
    endpoint = recorder.one("azure-native:machinelearningservices:OnlineEndpoint").inputs
    assert endpoint["properties"]["publicNetworkAccess"] == "Enabled"


@pytest.mark.parametrize(
    ("egress", "mode"), [("none", "AllowOnlyApprovedOutbound"), ("internet", "AllowInternetOutbound")]
)
def test_the_workspace_gets_a_managed_network_provisioned_now_and_no_public_access(
    build: Build, egress: str, mode: str
) -> None:
    recorder, _, _ = build(private(containerEgress=egress))
    workspace = recorder.one("azure-native:machinelearningservices:Workspace").inputs
    assert workspace["publicNetworkAccess"] == "Disabled"
    assert workspace["managedNetwork"] == {"isolationMode": mode, "enableNetworkMonitor": False}
    assert workspace["provisionNetworkNow"] is True


def test_every_online_endpoint_refuses_public_traffic_and_no_deployment_sets_legacy_egress(build: Build) -> None:
    recorder, _, releases = build(private(public=True, sku="StandardV2"), [dict(V1)])
    endpoint = recorder.one("azure-native:machinelearningservices:OnlineEndpoint").inputs
    assert endpoint["properties"]["publicNetworkAccess"] == "Disabled"
    # The legacy per-deployment isolation "no longer applies" with a managed network (concept-secure-online-endpoint),
    # and it cannot change after creation: it stays at azure-native's default (the service's), as without network.
    for deployment in recorder.of_type("azure-native:machinelearningservices:OnlineDeployment"):
        assert deployment.inputs["properties"]["egressPublicNetworkAccess"] == "Enabled"
    # A public API on a network keeps its Front Door route, so the cached URL stays.
    outputs = mocks.resolve(releases[0].outputs["cachedInvokeUrl"])
    assert outputs == "https://ml-cdn-endpoint-e4fzbzdxajb4acdu.z01.azurefd.net/v1/predict"


def test_private_endpoints_target_the_workspace_and_the_blob_service_in_the_subnet(build: Build) -> None:
    recorder, _, _ = build(private())
    endpoints = {r.name: r.inputs for r in recorder.of_type("azure-native:network:PrivateEndpoint")}
    assert endpoints == {
        "ml-workspace-pe": {
            "subnet": {"id": SUBNET},
            "privateLinkServiceConnections": [
                {"name": "amlworkspace", "privateLinkServiceId": "ml-workspace-id", "groupIds": ["amlworkspace"]}
            ],
            "resourceGroupName": "rg-ml-0a1b2c3d",
            "location": "westeurope",
            "tags": {"mlserving:platform": "ml"},
        },
        "ml-artifacts-pe": {
            "subnet": {"id": SUBNET},
            "privateLinkServiceConnections": [
                {"name": "blob", "privateLinkServiceId": "ml-artifacts-id", "groupIds": ["blob"]}
            ],
            "resourceGroupName": "rg-ml-0a1b2c3d",
            "location": "westeurope",
            "tags": {"mlserving:platform": "ml"},
        },
    }
    groups = {r.name: r.inputs for r in recorder.of_type("azure-native:network:PrivateDnsZoneGroup")}
    assert groups["ml-workspace-pe-dns"]["privateEndpointName"] == "ml-workspace-pe"
    assert groups["ml-workspace-pe-dns"]["privateDnsZoneConfigs"] == [
        {"name": "privatelink-api-azureml-ms", "privateDnsZoneId": "ml-dns-api-id"},
        {"name": "privatelink-notebooks-azure-net", "privateDnsZoneId": "ml-dns-notebooks-id"},
    ]
    assert groups["ml-artifacts-pe-dns"]["privateDnsZoneConfigs"] == [
        {"name": "privatelink-blob-core-windows-net", "privateDnsZoneId": "ml-dns-blob-id"}
    ]


def test_zones_are_global_and_linked_to_the_subnets_network_for_resolution_only(build: Build) -> None:
    recorder, _, _ = build(private())
    zones = recorder.of_type("azure-native:privatedns:PrivateZone")
    assert [(z.inputs["privateZoneName"], z.inputs["location"]) for z in zones] == [(z, "global") for z in ZONES]
    links = recorder.of_type("azure-native:privatedns:VirtualNetworkLink")
    assert [
        (link.inputs["privateZoneName"], link.inputs["virtualNetwork"], link.inputs["registrationEnabled"])
        for link in links
    ] == [(z, {"id": VNET}, False) for z in ZONES]


def test_an_api_subnet_in_another_network_links_every_zone_to_it_too(build: Build) -> None:
    platform = private()
    platform["network"]["azure"]["apiSubnetId"] = f"{OTHER_VNET}/subnets/apim"
    recorder, _, _ = build(platform)
    links = recorder.of_type("azure-native:privatedns:VirtualNetworkLink")
    assert sorted((link.inputs["privateZoneName"], link.inputs["virtualNetwork"]["id"]) for link in links) == sorted(
        [(z, VNET) for z in ZONES] + [(z, OTHER_VNET) for z in ZONES]
    )


def test_create_endpoints_off_creates_no_endpoint_zone_or_link(build: Build) -> None:
    recorder, _, _ = build(private(createEndpoints=False))
    assert Counter(recorder.types()) == PLATFORM_CHILDREN - NO_API_ON_THE_CDN
    # The workspace stays private all the same.
    assert recorder.one("azure-native:machinelearningservices:Workspace").inputs["publicNetworkAccess"] == "Disabled"


def test_the_storage_account_keeps_an_authenticated_public_endpoint_on_purpose(build: Build) -> None:
    """Pulumi uploads the artifacts through it from wherever it runs, and Front Door Standard reaches it over the
    internet: stated, never anonymous."""
    recorder, _, _ = build(private())
    account = recorder.one("azure-native:storage:StorageAccount").inputs
    assert account["publicNetworkAccess"] == "Enabled"
    assert account["allowBlobPublicAccess"] is False
    assert "networkRuleSet" not in account


@pytest.mark.parametrize(
    ("public", "sku", "tier", "mode", "tls"),
    [
        (True, None, "StandardV2", "External", "v2"),
        (True, "StandardV2", "StandardV2", "External", "v2"),
        (True, "Developer", "Developer", "External", "classic"),
        (False, "Developer", "Developer", "Internal", "classic"),
        (False, "Premium", "Premium", "Internal", "classic"),
    ],
)
def test_api_management_tier_and_placement(
    build: Build, public: bool, sku: str | None, tier: str, mode: str, tls: str
) -> None:
    recorder, _, _ = build(private(public=public, sku=sku))
    service = recorder.one("azure-native:apimanagement:ApiManagementService").inputs
    assert service["sku"] == {"name": tier, "capacity": 1}
    assert service["virtualNetworkType"] == mode
    assert service["virtualNetworkConfiguration"] == {"subnetResourceId": API_SUBNET}
    assert "publicIpAddressId" not in service
    assert "publicNetworkAccess" not in service
    expected = {
        "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "false",
        "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "false",
        "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "false",
        "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11": "false",
        "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30": "false",
    }
    if tls == "classic":
        expected["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30"] = "false"
        expected["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168"] = "false"
    assert service["customProperties"] == expected


def test_a_private_api_has_no_front_door_route_and_no_cached_url(build: Build) -> None:
    recorder, _, releases = build(private(), [dict(V1)])
    routes = recorder.of_type("azure-native:cdn:Route")
    assert [r.inputs["patternsToMatch"] for r in routes] == [["/models/*"]]
    origins = recorder.of_type("azure-native:cdn:AFDOrigin")
    assert [o.inputs["hostName"] for o in origins] == ["ml0a1b2c3d.blob.core.windows.net"]
    assert not any("azure-api.net" in str(r.inputs) for r in recorder.resources if r.typ.startswith("azure-native:cdn"))
    assert mocks.resolve(releases[0].outputs["cachedInvokeUrl"]) == ""
    assert mocks.resolve(releases[0].outputs["invokeUrl"]) == (
        "https://apim-ml-0a1b2c3d.azure-api.net/inference/v1/predict"
    )


def test_virtual_network_id_strips_the_subnet() -> None:
    assert azure_network.virtual_network_id(SUBNET) == VNET
    assert azure_network.virtual_network_id(f"{VNET}/SUBNETS/x") == VNET
    assert azure_network.virtual_network_id(VNET) == VNET


def test_placement_of_each_sku() -> None:
    def placement(public: bool, sku: str | None) -> tuple[str, str]:
        net = Network(public, True, "none", None, AzureNetwork(SUBNET, API_SUBNET, sku))
        found = azure_network.api_placement(net)
        return found.sku, found.virtual_network_type

    assert placement(True, None) == ("StandardV2", "External")
    assert placement(False, "Premium") == ("Premium", "Internal")
    with pytest.raises(AssertionError, match="StandardV2 cannot start private"):
        placement(False, "StandardV2")


# ---------------------------------------------------------------- preview refusals that concern Azure


def refusals(platform: dict[str, Any]) -> list[tuple[str, str]]:
    mocks.install()
    with pytest.raises(pulumi.InputPropertiesError) as raised:
        mocks.run(lambda: MLServingPlatform.from_inputs("ml", platform, pulumi.ResourceOptions()))
    assert raised.value.errors is not None
    # The reason is prefixed with its path, quoted (raise_problems).
    return [(e["property_path"], e["reason"].removeprefix(f"'{e['property_path']}' ")) for e in raised.value.errors]


SUBNET_FORMAT = (
    "must be a subnet's ARM id like '/subscriptions/<id>/resourceGroups/<group>/providers/"
    "Microsoft.Network/virtualNetworks/<network>/subnets/<subnet>' (got {!r})"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"network": {"public": False, "azure": {"subnetId": SUBNET, "apiSubnetId": API_SUBNET}}},
            [
                (
                    "network.azure.apiSku",
                    "is required when 'network.public' is off: the API Management tiers that start private cost from "
                    "about 50 USD a month (Developer, no SLA) to about 2,800 USD a month (Premium), so you choose",
                )
            ],
        ),
        (
            {
                "network": {
                    "public": False,
                    "azure": {"subnetId": SUBNET, "apiSubnetId": API_SUBNET, "apiSku": "StandardV2"},
                }
            },
            [
                (
                    "network.azure.apiSku",
                    "must be 'Developer' or 'Premium' when 'network.public' is off: Standard v2 can turn "
                    "its public access off only once a private endpoint to it exists, which one deployment cannot do",
                )
            ],
        ),
        (
            {"network": {"azure": {"subnetId": VNET, "apiSubnetId": API_SUBNET}}},
            [("network.azure.subnetId", SUBNET_FORMAT.format(VNET))],
        ),
        ({"network": {}}, [("network.azure", "is required when 'cloud' is 'azure'")]),
        (
            {
                "network": {
                    "azure": {"subnetId": SUBNET, "apiSubnetId": API_SUBNET},
                    "aws": {"vpcId": "vpc-0a1b2c3d", "subnetIds": ["subnet-0a1b2c3d"]},
                }
            },
            [("network.aws", "is only used when 'cloud' is 'aws' (got cloud 'azure')")],
        ),
        (
            {
                "network": {
                    "public": False,
                    "azure": {"subnetId": SUBNET, "apiSubnetId": API_SUBNET, "apiSku": "Premium"},
                },
                "cdn": {"inferenceCache": {"enabled": True}},
            },
            [
                (
                    "cdn.inferenceCache.enabled",
                    "must be off when 'network.public' is off: a Front Door route to the API would make inference "
                    "public again",
                )
            ],
        ),
    ],
    ids=["no-sku-private", "standardv2-private", "subnet-format", "no-azure", "aws-on-azure", "cache-private"],
)
def test_preview_refuses_what_cannot_work_on_azure(change: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert refusals({**AZ, **change}) == expected


def test_nothing_is_created_when_the_network_is_refused() -> None:
    recorder = mocks.install()
    platform = {**AZ, "network": {"public": False, "azure": {"subnetId": SUBNET, "apiSubnetId": API_SUBNET}}}
    with pytest.raises(pulumi.InputPropertiesError):
        mocks.run(lambda: MLServingPlatform.from_inputs("ml", platform, pulumi.ResourceOptions()))
    assert [r.typ for r in recorder.resources if r.typ.startswith("azure-native:")] == []
