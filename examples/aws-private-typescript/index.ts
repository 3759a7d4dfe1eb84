// A private ML serving platform on AWS: the models run in your VPC's private subnets, the API is a
// PRIVATE REST API reachable only through your VPC's execute-api endpoint, and the CDN serves artifacts only.
import * as pulumi from "@pulumi/pulumi";
import * as mlserving from "@mlserving/pulumi";

const config = new pulumi.Config();
const image = config.get("image") ?? "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311";
const model = new pulumi.asset.FileArchive("../model");

// Your network, usually another stack's outputs (a pulumi.StackReference); these ids are placeholders.
const platform = new mlserving.MLServingPlatform("ml", {
    cloud: mlserving.Cloud.Aws,
    tags: { team: "ml-platform" },
    network: {
        public: false,
        aws: {
            vpcId: config.get("vpcId") ?? "vpc-0a1b2c3d",
            subnetIds: config.getObject<string[]>("subnetIds") ?? ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
            routeTableIds: config.getObject<string[]>("routeTableIds") ?? ["rtb-0a1b2c3d"],
        },
    },
    api: { throttleRateLimit: 50, throttleBurstLimit: 100 },
});

const v1 = new mlserving.ModelRelease("sentiment-v1", {
    platform,
    modelName: "sentiment",
    version: config.get("v1Version") ?? "1.0.0",
    apiVersion: "v1",
    artifact: model,
    image,
});

const v2 = new mlserving.ModelRelease("sentiment-v2", {
    platform,
    modelName: "sentiment",
    version: config.get("v2Version") ?? "2.0.0",
    apiVersion: "v2",
    artifact: model,
    image,
    rollout: { strategy: mlserving.RolloutStrategy.Canary, canaryPercent: 10, waitSeconds: 300 },
});

export const artifactStoreName = platform.artifactStoreName;
export const artifactBaseUrl = platform.artifactBaseUrl;
export const apiBaseUrl = platform.apiBaseUrl;
export const apiKey = platform.apiKey;

export const v1EndpointName = v1.endpointName;
export const v1InvokeUrl = v1.invokeUrl;
export const v1ArtifactUrl = v1.artifactUrl;
export const v1ModelVersion = v1.modelVersion;

export const v2EndpointName = v2.endpointName;
export const v2InvokeUrl = v2.invokeUrl;
export const v2ArtifactUrl = v2.artifactUrl;
export const v2ModelVersion = v2.modelVersion;
