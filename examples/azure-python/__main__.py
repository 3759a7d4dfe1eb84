"""An ML serving platform on Azure with two API versions, from the generated Python SDK."""

import pulumi
import pulumi_mlserving as mlserving

config = pulumi.Config()
# The example contract's image; for a real Azure deployment set `image` to one the Azure ML
# workspace can pull that answers GET /ping and POST /invocations on port 8080.
image = config.get("image") or "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"
model = pulumi.FileArchive("../model")

platform = mlserving.MLServingPlatform(
    "ml",
    cloud=mlserving.Cloud.AZURE,
    azure=mlserving.AzureSettingsArgs(location=config.get("azureLocation") or "westeurope"),
    tags={"team": "ml-platform"},
    cdn=mlserving.CdnArgs(
        inference_cache=mlserving.InferenceCacheArgs(query_string_keys=["text"], default_ttl_seconds=60),
    ),
    api=mlserving.ApiArgs(throttle_rate_limit=50, throttle_burst_limit=100),
    monitoring=mlserving.MonitoringArgs(alarm_email=config.get("alarmEmail")),
)

# v1: one deployment, updated in place by a new version.
v1 = mlserving.ModelRelease(
    "sentiment-v1",
    platform=platform,
    model_name="sentiment",
    version=config.get("v1Version") or "1.0.0",
    api_version="v1",
    artifact=model,
    image=image,
)

# v2: a canary deployment takes 10% of the requests; setting the strategy to allAtOnce
# promotes it (Azure has no timed traffic shifting and no alarm rollback).
v2 = mlserving.ModelRelease(
    "sentiment-v2",
    platform=platform,
    model_name="sentiment",
    version=config.get("v2Version") or "2.0.0",
    api_version="v2",
    artifact=model,
    image=image,
    rollout=mlserving.RolloutArgs(strategy=mlserving.RolloutStrategy.CANARY, canary_percent=10, wait_seconds=300),
    scaling=mlserving.ScalingArgs(max_replicas=8),
)

pulumi.export("artifactStoreName", platform.artifact_store_name)
pulumi.export("artifactBaseUrl", platform.artifact_base_url)
pulumi.export("cdnDomainName", platform.cdn_domain_name)
pulumi.export("apiBaseUrl", platform.api_base_url)
pulumi.export("apiKey", platform.api_key)
pulumi.export("eventBusName", platform.event_bus_name)
pulumi.export("releaseEventQueueUrl", platform.release_event_queue_url)
pulumi.export("alarmTopicArn", platform.alarm_topic_arn)
for prefix, release in (("v1", v1), ("v2", v2)):
    pulumi.export(f"{prefix}EndpointName", release.endpoint_name)
    pulumi.export(f"{prefix}InvokeUrl", release.invoke_url)
    pulumi.export(f"{prefix}CachedInvokeUrl", release.cached_invoke_url)
    pulumi.export(f"{prefix}ArtifactUrl", release.artifact_url)
    pulumi.export(f"{prefix}ModelVersion", release.model_version)
