"""A private ML serving platform on Azure: the models run behind the workspace's managed virtual network, clients
reach them through private endpoints in your subnet, API Management runs internal, and the CDN serves artifacts only."""

import pulumi
import pulumi_mlserving as mlserving

config = pulumi.Config()
image = config.get("image") or "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"
model = pulumi.FileArchive("../model")
VNET = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network"
    "/providers/Microsoft.Network/virtualNetworks/ml"
)

# Your network, usually another stack's outputs (a pulumi.StackReference); these ids are placeholders.
platform = mlserving.MLServingPlatform(
    "ml",
    cloud=mlserving.Cloud.AZURE,
    azure=mlserving.AzureSettingsArgs(location=config.get("azureLocation") or "westeurope"),
    tags={"team": "ml-platform"},
    network=mlserving.NetworkArgs(
        public=False,
        azure=mlserving.AzureNetworkArgs(
            subnet_id=config.get("subnetId") or f"{VNET}/subnets/endpoints",
            api_subnet_id=config.get("apiSubnetId") or f"{VNET}/subnets/apim",
            # The tiers that start private: Developer (no SLA, for trials), Premium, PremiumV2.
            api_sku=mlserving.ApiManagementSku.DEVELOPER,
        ),
    ),
    api=mlserving.ApiArgs(throttle_rate_limit=50, throttle_burst_limit=100),
)

v1 = mlserving.ModelRelease(
    "sentiment-v1",
    platform=platform,
    model_name="sentiment",
    version=config.get("v1Version") or "1.0.0",
    api_version="v1",
    artifact=model,
    image=image,
)

v2 = mlserving.ModelRelease(
    "sentiment-v2",
    platform=platform,
    model_name="sentiment",
    version=config.get("v2Version") or "2.0.0",
    api_version="v2",
    artifact=model,
    image=image,
    rollout=mlserving.RolloutArgs(strategy=mlserving.RolloutStrategy.CANARY, canary_percent=10, wait_seconds=300),
)

pulumi.export("artifactStoreName", platform.artifact_store_name)
pulumi.export("artifactBaseUrl", platform.artifact_base_url)
pulumi.export("apiBaseUrl", platform.api_base_url)
pulumi.export("apiKey", platform.api_key)
for prefix, release in (("v1", v1), ("v2", v2)):
    pulumi.export(f"{prefix}EndpointName", release.endpoint_name)
    pulumi.export(f"{prefix}InvokeUrl", release.invoke_url)
    pulumi.export(f"{prefix}ArtifactUrl", release.artifact_url)
    pulumi.export(f"{prefix}ModelVersion", release.model_version)
