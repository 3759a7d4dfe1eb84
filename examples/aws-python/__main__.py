"""An ML serving platform on AWS with two API versions, from the generated Python SDK."""

import pulumi
import pulumi_mlserving as mlserving

config = pulumi.Config()

platform = mlserving.MLServingPlatform(
    "ml",
    cloud=mlserving.Cloud.AWS,
    tags={"team": "ml-platform"},
    cdn=mlserving.CdnArgs(
        inference_cache=mlserving.InferenceCacheArgs(query_string_keys=["text"], default_ttl_seconds=60),
    ),
    api=mlserving.ApiArgs(throttle_rate_limit=50, throttle_burst_limit=100),
    monitoring=mlserving.MonitoringArgs(alarm_email=config.get("alarmEmail")),
)

image = config.get("image") or "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"

v1 = mlserving.ModelRelease(
    "sentiment-v1",
    platform=platform,
    model_name="sentiment",
    version="1.0.0",
    api_version="v1",
    artifact=pulumi.FileArchive("./model"),
    image=image,
)

v2 = mlserving.ModelRelease(
    "sentiment-v2",
    platform=platform,
    model_name="sentiment",
    version="2.0.0",
    api_version="v2",
    artifact=pulumi.FileArchive("./model"),
    image=image,
    rollout=mlserving.RolloutArgs(strategy=mlserving.RolloutStrategy.CANARY, canary_percent=10, wait_seconds=300),
    scaling=mlserving.ScalingArgs(max_replicas=8),
)

pulumi.export("apiBaseUrl", platform.api_base_url)
pulumi.export("apiKey", platform.api_key)
pulumi.export("v1InvokeUrl", v1.invoke_url)
pulumi.export("v2CachedInvokeUrl", v2.cached_invoke_url)
pulumi.export("v2ArtifactUrl", v2.artifact_url)
