// An ML serving platform on AWS with two API versions, from the generated Go SDK.
package main

import (
	"github.com/mlserving/pulumi-mlserving/sdk/go/mlserving"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const defaultImage = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"

// getOr reads an optional string from the project config.
func getOr(cfg *config.Config, key, fallback string) string {
	if v := cfg.Get(key); v != "" {
		return v
	}
	return fallback
}

func main() {
	pulumi.Run(program)
}

// program is the whole stack; tests also run it in-process through the Automation API.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	image := pulumi.String(getOr(cfg, "image", defaultImage))
	model := pulumi.NewFileArchive("../model")

	var alarmEmail pulumi.StringPtrInput
	if email := cfg.Get("alarmEmail"); email != "" {
		alarmEmail = pulumi.String(email)
	}

	platform, err := mlserving.NewMLServingPlatform(ctx, "ml", &mlserving.MLServingPlatformArgs{
		Cloud: mlserving.CloudAws,
		Tags:  pulumi.StringMap{"team": pulumi.String("ml-platform")},
		Cdn: &mlserving.CdnArgs{
			InferenceCache: &mlserving.InferenceCacheArgs{
				QueryStringKeys:   []pulumi.StringInput{pulumi.String("text")},
				DefaultTtlSeconds: pulumi.IntRef(60),
			},
		},
		Api: &mlserving.ApiArgs{
			ThrottleRateLimit:  pulumi.Float64Ref(50),
			ThrottleBurstLimit: pulumi.IntRef(100),
		},
		Monitoring: &mlserving.MonitoringArgs{AlarmEmail: alarmEmail},
	})
	if err != nil {
		return err
	}

	// v1: every request goes to the new fleet at once.
	v1, err := mlserving.NewModelRelease(ctx, "sentiment-v1", &mlserving.ModelReleaseArgs{
		Platform:   platform,
		ModelName:  "sentiment",
		Version:    getOr(cfg, "v1Version", "1.0.0"),
		ApiVersion: "v1",
		Artifact:   model,
		Image:      image,
	})
	if err != nil {
		return err
	}

	// v2: 10% canary for five minutes, rolled back automatically if its alarms fire.
	canary := mlserving.RolloutStrategyCanary
	v2, err := mlserving.NewModelRelease(ctx, "sentiment-v2", &mlserving.ModelReleaseArgs{
		Platform:   platform,
		ModelName:  "sentiment",
		Version:    getOr(cfg, "v2Version", "2.0.0"),
		ApiVersion: "v2",
		Artifact:   model,
		Image:      image,
		Rollout: &mlserving.RolloutArgs{
			Strategy:      &canary,
			CanaryPercent: pulumi.IntRef(10),
			WaitSeconds:   pulumi.IntRef(300),
		},
		Scaling: &mlserving.ScalingArgs{MaxReplicas: pulumi.IntRef(8)},
	})
	if err != nil {
		return err
	}

	ctx.Export("artifactStoreName", platform.ArtifactStoreName)
	ctx.Export("artifactBaseUrl", platform.ArtifactBaseUrl)
	ctx.Export("cdnDomainName", platform.CdnDomainName)
	ctx.Export("apiBaseUrl", platform.ApiBaseUrl)
	ctx.Export("apiKey", platform.ApiKey)
	ctx.Export("eventBusName", platform.EventBusName)
	ctx.Export("releaseEventQueueUrl", platform.ReleaseEventQueueUrl)
	ctx.Export("alarmTopicArn", platform.AlarmTopicArn)
	for prefix, release := range map[string]*mlserving.ModelRelease{"v1": v1, "v2": v2} {
		ctx.Export(prefix+"EndpointName", release.EndpointName)
		ctx.Export(prefix+"InvokeUrl", release.InvokeUrl)
		ctx.Export(prefix+"CachedInvokeUrl", release.CachedInvokeUrl)
		ctx.Export(prefix+"ArtifactUrl", release.ArtifactUrl)
		ctx.Export(prefix+"ModelVersion", release.ModelVersion)
	}
	return nil
}
