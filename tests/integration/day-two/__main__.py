"""The day-two suite's program: one platform and N API versions, every day-two input from config.

tests/integration/test_day_two.py changes the config between `pulumi up`s, as a user edits
their program: `cloud` (aws | azure), `version` of v1 (bump, revert), `instanceType`,
`strategy` (allAtOnce | canary), `apiVersions` (how many releases, v1..vN), on AWS
`stageQuota` (the API Gateway quotas the platform is told the account has), and `private`
(a platform with `network` and `public: false`, issue 21) with its `containerEgress`.
"""

import pulumi
import pulumi_mlserving as mlserving

config = pulumi.Config()
cloud = config.require("cloud")
image = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"
model = pulumi.FileArchive("../../../examples/model")

VNET = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net"
    "/providers/Microsoft.Network/virtualNetworks/v"
)
network = (
    mlserving.NetworkArgs(
        public=False,
        container_egress=mlserving.ContainerEgress(config.get("containerEgress") or "none"),
        aws=mlserving.AwsNetworkArgs(
            vpc_id="vpc-0a1b2c3d", subnet_ids=["subnet-0a1b2c3d", "subnet-0a1b2c3e"], route_table_ids=["rtb-0a1b2c3d"]
        )
        if cloud == "aws"
        else None,
        azure=mlserving.AzureNetworkArgs(
            subnet_id=f"{VNET}/subnets/endpoints",
            api_subnet_id=f"{VNET}/subnets/apim",
            api_sku=mlserving.ApiManagementSku.DEVELOPER,
        )
        if cloud == "azure"
        else None,
    )
    if config.get_bool("private")
    else None
)

platform = mlserving.MLServingPlatform(
    "day2",
    network=network,
    cloud=mlserving.Cloud(cloud),
    azure=mlserving.AzureSettingsArgs(location="westeurope") if cloud == "azure" else None,
    tags={"suite": "day-two"},
    # AWS: the API Gateway quotas the account has (`stageQuota`: raised in Service Quotas).
    api=mlserving.ApiArgs(stage_quota=config.get_int("stageQuota")) if cloud == "aws" else None,
)

strategy = mlserving.RolloutStrategy(config.get("strategy") or "allAtOnce")
releases = []
for number in range(1, (config.get_int("apiVersions") or 1) + 1):
    first = number == 1
    releases.append(
        mlserving.ModelRelease(
            f"model-v{number}",
            platform=platform,
            model_name="sentiment",
            # v1 is the release the suite bumps, reverts and changes; the others stay put.
            version=(config.get("version") or "1.0.0") if first else "1.0.0",
            api_version=f"v{number}",
            artifact=model,
            image=image,
            instance_type=config.get("instanceType") if first else None,
            rollout=mlserving.RolloutArgs(
                strategy=strategy if first else mlserving.RolloutStrategy.ALL_AT_ONCE,
                canary_percent=10 if first and strategy == mlserving.RolloutStrategy.CANARY else None,
                wait_seconds=300,
            ),
        )
    )

pulumi.export("artifactStoreName", platform.artifact_store_name)
pulumi.export("apiBaseUrl", platform.api_base_url)
for number, release in enumerate(releases, start=1):
    pulumi.export(f"v{number}EndpointName", release.endpoint_name)
    pulumi.export(f"v{number}InvokeUrl", release.invoke_url)
    pulumi.export(f"v{number}ArtifactKey", release.artifact_key)
    pulumi.export(f"v{number}ModelVersion", release.model_version)
