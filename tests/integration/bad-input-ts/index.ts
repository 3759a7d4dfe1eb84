// A small platform and one release whose API version and canary size come from config, so the
// engine test can turn them invalid and check that `pulumi preview` names the property
// paths and that nothing changes.
import * as pulumi from "@pulumi/pulumi";
import * as mlserving from "@mlserving/pulumi";

const config = new pulumi.Config();

const platform = new mlserving.MLServingPlatform("ml", {
    cloud: mlserving.Cloud.Aws,
    cdn: { enabled: false },
    events: { enabled: false },
    monitoring: { enabled: false },
});

const release = new mlserving.ModelRelease("sentiment", {
    platform,
    modelName: "sentiment",
    version: "1.0.0",
    apiVersion: config.get("apiVersion") ?? "v1",
    artifact: new pulumi.asset.FileArchive("../../../examples/model"),
    image: "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311",
    rollout: {
        strategy: mlserving.RolloutStrategy.Canary,
        canaryPercent: config.getNumber("canaryPercent") ?? 10,
    },
});

export const endpointName = release.endpointName;
export const invokeUrl = release.invokeUrl;
