// An ML serving platform on Azure with two API versions, from the generated TypeScript SDK.
import * as pulumi from "@pulumi/pulumi";
import * as mlserving from "@mlserving/pulumi";

const config = new pulumi.Config();
// The example contract's image; for a real Azure deployment set `image` to one the Azure ML
// workspace can pull that answers GET /ping and POST /invocations on port 8080.
const image = config.get("image") ?? "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311";
const model = new pulumi.asset.FileArchive("../model");

const platform = new mlserving.MLServingPlatform("ml", {
    cloud: mlserving.Cloud.Azure,
    azure: { location: config.get("azureLocation") ?? "westeurope" },
    tags: { team: "ml-platform" },
    cdn: { inferenceCache: { queryStringKeys: ["text"], defaultTtlSeconds: 60 } },
    api: { throttleRateLimit: 50, throttleBurstLimit: 100 },
    monitoring: { alarmEmail: config.get("alarmEmail") },
});

// v1: one deployment, updated in place by a new version.
const v1 = new mlserving.ModelRelease("sentiment-v1", {
    platform,
    modelName: "sentiment",
    version: config.get("v1Version") ?? "1.0.0",
    apiVersion: "v1",
    artifact: model,
    image,
});

// v2: a canary deployment takes 10% of the requests; setting the strategy to allAtOnce
// promotes it (Azure has no timed traffic shifting and no alarm rollback).
const v2 = new mlserving.ModelRelease("sentiment-v2", {
    platform,
    modelName: "sentiment",
    version: config.get("v2Version") ?? "2.0.0",
    apiVersion: "v2",
    artifact: model,
    image,
    rollout: { strategy: mlserving.RolloutStrategy.Canary, canaryPercent: 10, waitSeconds: 300 },
    scaling: { maxReplicas: 8 },
});

export const artifactStoreName = platform.artifactStoreName;
export const artifactBaseUrl = platform.artifactBaseUrl;
export const cdnDomainName = platform.cdnDomainName;
export const apiBaseUrl = platform.apiBaseUrl;
export const apiKey = platform.apiKey;
export const eventBusName = platform.eventBusName;
export const releaseEventQueueUrl = platform.releaseEventQueueUrl;
export const alarmTopicArn = platform.alarmTopicArn;

export const v1EndpointName = v1.endpointName;
export const v1InvokeUrl = v1.invokeUrl;
export const v1CachedInvokeUrl = v1.cachedInvokeUrl;
export const v1ArtifactUrl = v1.artifactUrl;
export const v1ModelVersion = v1.modelVersion;

export const v2EndpointName = v2.endpointName;
export const v2InvokeUrl = v2.invokeUrl;
export const v2CachedInvokeUrl = v2.cachedInvokeUrl;
export const v2ArtifactUrl = v2.artifactUrl;
export const v2ModelVersion = v2.modelVersion;
