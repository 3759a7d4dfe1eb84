"""The AWS API models (botocore's service models) as the judge of a Pulumi AWS resource's inputs.

Every Pulumi type the provider creates maps to the API operation that creates it (`_SPECS`):
the inputs become that operation's request the way pulumi-aws (Terraform's AWS provider through the
bridge) builds it, and the request is checked against the operation's input shape:

- `required` members; `min`/`max` (string length, list length, map entries, or numeric value,
  by the member's shape type); `pattern` on strings; `enum` on strings.
- Patterns are the model's Java/ECMA-style regexes (`\\p{L}`, `\\p{N}`, surrogate pairs), compiled
  with the `regex` module. They are applied as the model states them, with search semantics: Smithy
  (and so botocore) does not anchor a pattern implicitly, so a pattern without `^...$` accepts any
  value that contains a match. Many service patterns are therefore weaker than the service itself;
  where the real API is stricter, that is for the hand-written rules (rules.py), not for this module.

The mapping from Pulumi inputs (camelCase) to members is mechanical: Terraform's snake_case
argument matches the member's name case-insensitively once `_` is dropped, recursively in nested
objects. Where Terraform's expand function reshapes (another member name, a member nested
elsewhere, a list that becomes CloudFront's `{Quantity, Items}`, a map that becomes a list of
`{Key, Value}`), the spec says so explicitly with the Terraform source file (internal/service/...)
as the justification. Generic conversions, each done by the shape it lands in:

- a Pulumi list into a structure with `Quantity` and `Items` (CloudFront): `Items`, and `Quantity`
  is its length (Terraform's CloudFront expanders always send both);
- a scalar or object into a list shape: a one-element list (the bridge flattens Terraform's
  `MaxItems: 1` lists, e.g. `endpointConfiguration.types`, `rule` of ownership controls);
- a Pulumi map into a list of two-member structures (`{Key, Value}`, `{TagKey, TagValue}`,
  `{Name, Value}`): one entry per key (tags, CloudWatch dimensions);
- `Attributes{Name}`: an entry of an attribute map (SNS, SQS).

Inputs that map to no member are listed in `coverage()` with the reason; inputs whose value is not
known (`tests.fakecloud.wire.UNKNOWN`) are skipped, and so are fakecloud's `__` keys. A name the
provider generates (autoname) is checked when the inputs carry it; when absent it is "not known
here" and its `required` member is not reported.

Phase: `UP` (the API refuses it) except where the Terraform resource's schema validates the same
constraint at plan time (a `ValidateFunc`, read in the resource's source file, named in `_PREVIEW`).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import botocore  # type: ignore[import-untyped]  # no stubs; the models are plain JSON
import regex  # type: ignore[import-untyped]
from botocore.loaders import Loader  # type: ignore[import-untyped]

from tests.fakecloud.apimodels.core import Field, Phase, TypeCoverage, Violation
from tests.fakecloud.wire import SIG, UNKNOWN, reveal

__all__ = ["SOURCE", "TOKENS", "check", "coverage"]

SOURCE = f"botocore {botocore.__version__}"

_TF = "hashicorp/terraform-provider-aws internal/service/"


@dataclass(frozen=True, eq=False)
class _Spec:
    """How one Pulumi type becomes one API request."""

    service: str
    operation: str
    tf: str
    """The Terraform resource's source file (under internal/service/), the justification of the overrides."""
    inputs: tuple[str, ...]
    """Every top-level input the provider sets (tests/contract/test_apimodels_aws.py keeps it complete)."""
    base: str = ""
    """Where inputs are matched first (`CachePolicyConfig`, `Targets[0]`); then the request's root."""
    renames: Mapping[str, str | None] = field(default_factory=dict)
    """Input path (`a.b`, `a[].b`) -> member path relative to the parent's member (None: maps to nothing)."""
    why: Mapping[str, str] = field(default_factory=dict)
    """Input path -> why it maps as it does (each rename and each unmapped input)."""
    tags: str | None = "Tags"
    """The member path the `tags` map goes to (from the request's root); None: the type has no tags."""
    more: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Input -> (operation, member path): inputs Terraform sends in a further call of the same service."""
    name: str | None = None
    """The input the provider autonames (absent = not known here)."""
    supplied: frozenset[str] = frozenset()
    """Required member paths (`A.B`, `A.Items[].C`) that Terraform fills itself, not from an input."""
    note: str = ""


def _s(service: str, operation: str, tf: str, inputs: str, **kw: Any) -> _Spec:
    return _Spec(service, operation, tf, tuple(inputs.split()), **kw)


_NOTHING = (
    "The model refuses nothing here that the Pulumi schema does not already require: its members carry "
    "no pattern, length or enum."
)
_REST = {"restApi": "restApiId"}
_REST_WHY = {"restApi": "Terraform's rest_api_id is the URL parameter restApiId"}
_ATTR_WHY = "Terraform sends it as an entry of the Attributes map ({}); the model constrains only the key"

_SPECS: dict[str, _Spec] = {
    # ---------------------------------------------------------------- API Gateway (REST)
    "aws:apigateway/apiKey:ApiKey": _s(
        "apigateway",
        "CreateApiKey",
        "apigateway/api_key.go",
        "name description enabled tags value customerId",
        name="name",
        note=_NOTHING + " " + "API Gateway's model carries no string constraints (no name length, no tag rules).",
    ),
    "aws:apigateway/deployment:Deployment": _s(
        "apigateway",
        "CreateDeployment",
        "apigateway/deployment.go",
        "restApi description triggers variables",
        renames={**_REST, "triggers": None},
        why={**_REST_WHY, "triggers": "provider-only: a change of it replaces the deployment; never sent"},
        tags=None,
        note=_NOTHING,
    ),
    "aws:apigateway/integration:Integration": _s(
        "apigateway",
        "PutIntegration",
        "apigateway/integration.go",
        "restApi resourceId httpMethod type integrationHttpMethod uri credentials passthroughBehavior "
        "requestParameters requestTemplates timeoutMilliseconds contentHandling connectionType connectionId "
        "cacheKeyParameters cacheNamespace",
        renames={**_REST, "timeoutMilliseconds": "timeoutInMillis"},
        why={**_REST_WHY, "timeoutMilliseconds": "integration.go: TimeoutInMillis from timeout_milliseconds"},
        tags=None,
    ),
    "aws:apigateway/integrationResponse:IntegrationResponse": _s(
        "apigateway",
        "PutIntegrationResponse",
        "apigateway/integration_response.go",
        "restApi resourceId httpMethod statusCode selectionPattern responseParameters responseTemplates "
        "contentHandling",
        renames=_REST,
        why=_REST_WHY,
        tags=None,
    ),
    "aws:apigateway/method:Method": _s(
        "apigateway",
        "PutMethod",
        "apigateway/method.go",
        "restApi resourceId httpMethod authorization apiKeyRequired authorizerId requestParameters requestModels",
        renames={**_REST, "authorization": "authorizationType"},
        why={**_REST_WHY, "authorization": "method.go: AuthorizationType from authorization"},
        tags=None,
        note=_NOTHING,
    ),
    "aws:apigateway/methodResponse:MethodResponse": _s(
        "apigateway",
        "PutMethodResponse",
        "apigateway/method_response.go",
        "restApi resourceId httpMethod statusCode responseParameters responseModels",
        renames=_REST,
        why=_REST_WHY,
        tags=None,
    ),
    "aws:apigateway/methodSettings:MethodSettings": _s(
        "apigateway",
        "UpdateStage",
        "apigateway/method_settings.go",
        "restApi stageName methodPath settings",
        renames={**_REST, "methodPath": None, "settings": None},
        why={
            **_REST_WHY,
            "methodPath": "method_settings.go: the prefix of every patch operation's path (/{methodPath}/...)",
            "settings": "method_settings.go: one PatchOperation per setting, its value a string; the model "
            "constrains only PatchOperation.op",
        },
        tags=None,
        note=_NOTHING + " " + "Terraform sends UpdateStage with patch operations; the model cannot check their values.",
    ),
    "aws:apigateway/resource:Resource": _s(
        "apigateway",
        "CreateResource",
        "apigateway/resource.go",
        "restApi parentId pathPart",
        renames=_REST,
        why=_REST_WHY,
        tags=None,
        note=_NOTHING + " " + "API Gateway's model carries no constraint on pathPart.",
    ),
    "aws:apigateway/restApi:RestApi": _s(
        "apigateway",
        "CreateRestApi",
        "apigateway/rest_api.go",
        "name description apiKeySource endpointConfiguration tags binaryMediaTypes minimumCompressionSize "
        "policy disableExecuteApiEndpoint",
        name="name",
    ),
    "aws:apigateway/restApiPolicy:RestApiPolicy": _s(
        "apigateway",
        "UpdateRestApi",
        "apigateway/rest_api_policy.go",
        "restApiId policy",
        renames={"policy": None},
        why={
            "policy": "rest_api_policy.go: the value of a `replace /policy` patch operation, which the model leaves free"
        },
        tags=None,
        note=_NOTHING + " " + "The policy is a patch operation's value (UpdateRestApi), a free string in the model.",
    ),
    "aws:apigateway/stage:Stage": _s(
        "apigateway",
        "CreateStage",
        "apigateway/stage.go",
        "restApi stageName deployment description variables xrayTracingEnabled tags cacheClusterEnabled "
        "cacheClusterSize accessLogSettings",
        renames={
            **_REST,
            "deployment": "deploymentId",
            "xrayTracingEnabled": "tracingEnabled",
            "accessLogSettings": None,
        },
        why={
            **_REST_WHY,
            "deployment": "stage.go: DeploymentId from deployment_id",
            "xrayTracingEnabled": "stage.go: TracingEnabled from xray_tracing_enabled",
            "accessLogSettings": "stage.go: sent by a later UpdateStage patch operation",
        },
    ),
    "aws:apigateway/usagePlan:UsagePlan": _s(
        "apigateway",
        "CreateUsagePlan",
        "apigateway/usage_plan.go",
        "name description apiStages quotaSettings throttleSettings tags",
        renames={"quotaSettings": "quota", "throttleSettings": "throttle", "apiStages[].throttles": None},
        why={
            "quotaSettings": "usage_plan.go: Quota from quota_settings",
            "throttleSettings": "usage_plan.go: Throttle from throttle_settings",
            "apiStages[].throttles": "usage_plan.go: a map keyed by path, built from a list; not modelled here",
        },
        name="name",
    ),
    "aws:apigateway/usagePlanKey:UsagePlanKey": _s(
        "apigateway",
        "CreateUsagePlanKey",
        "apigateway/usage_plan_key.go",
        "keyId keyType usagePlanId",
        tags=None,
        note=_NOTHING,
    ),
    # ---------------------------------------------------------------- Application Auto Scaling
    "aws:appautoscaling/policy:Policy": _s(
        "application-autoscaling",
        "PutScalingPolicy",
        "appautoscaling/policy.go",
        "name policyType resourceId scalableDimension serviceNamespace targetTrackingScalingPolicyConfiguration "
        "stepScalingPolicyConfiguration",
        renames={"name": "PolicyName"},
        why={"name": "policy.go: PolicyName from name"},
        name="name",
        tags=None,
    ),
    "aws:appautoscaling/target:Target": _s(
        "application-autoscaling",
        "RegisterScalableTarget",
        "appautoscaling/target.go",
        "maxCapacity minCapacity resourceId scalableDimension serviceNamespace roleArn tags suspendedState",
    ),
    # ---------------------------------------------------------------- CloudFront
    "aws:cloudfront/cachePolicy:CachePolicy": _s(
        "cloudfront",
        "CreateCachePolicy",
        "cloudfront/cache_policy.go",
        "name comment defaultTtl maxTtl minTtl parametersInCacheKeyAndForwardedToOrigin",
        base="CachePolicyConfig",
        name="name",
        tags=None,
        note="CloudFront's model carries no length or pattern on names and comments; cross-field TTL rules are "
        "the hand-written rules'.",
    ),
    "aws:cloudfront/distribution:Distribution": _s(
        "cloudfront",
        "CreateDistributionWithTags",
        "cloudfront/distribution.go",
        "aliases comment defaultCacheBehavior enabled httpVersion isIpv6Enabled orderedCacheBehaviors origins "
        "priceClass restrictions tags viewerCertificate webAclId defaultRootObject customErrorResponses "
        "loggingConfig originGroups retainOnDelete waitForDeployment",
        base="DistributionConfigWithTags.DistributionConfig",
        renames={
            "orderedCacheBehaviors": "DistributionConfigWithTags.DistributionConfig.CacheBehaviors",
            "loggingConfig": "DistributionConfigWithTags.DistributionConfig.Logging",
            "defaultCacheBehavior.cachedMethods": "AllowedMethods.CachedMethods",
            "orderedCacheBehaviors[].cachedMethods": "AllowedMethods.CachedMethods",
            "origins[].originId": "Id",
            "restrictions.geoRestriction.locations": "Items",
            "retainOnDelete": None,
            "waitForDeployment": None,
        },
        why={
            "orderedCacheBehaviors": "distribution_configuration_structure.go: expandCacheBehaviors",
            "loggingConfig": "distribution_configuration_structure.go: expandLoggingConfig",
            "defaultCacheBehavior.cachedMethods": "distribution_configuration_structure.go: expandAllowedMethods "
            "nests CachedMethods in AllowedMethods",
            "orderedCacheBehaviors[].cachedMethods": "as defaultCacheBehavior.cachedMethods",
            "origins[].originId": "distribution_configuration_structure.go: expandOrigin, Id from origin_id",
            "restrictions.geoRestriction.locations": "distribution_configuration_structure.go: "
            "expandGeoRestriction, Items (and Quantity) from locations",
            "retainOnDelete": "provider-only: whether delete disables and keeps the distribution",
            "waitForDeployment": "provider-only: whether create waits for the Deployed status",
        },
        tags="DistributionConfigWithTags.Tags.Items",
        supplied=frozenset(
            {
                "DistributionConfigWithTags.DistributionConfig.CallerReference",
                "DistributionConfigWithTags.Tags",
            }
        ),
        note="Terraform sends CreateDistributionWithTags when the distribution has tags (else CreateDistribution "
        "with the same DistributionConfig) and generates CallerReference (distribution.go).",
    ),
    "aws:cloudfront/originAccessControl:OriginAccessControl": _s(
        "cloudfront",
        "CreateOriginAccessControl",
        "cloudfront/origin_access_control.go",
        "name description originAccessControlOriginType signingBehavior signingProtocol",
        base="OriginAccessControlConfig",
        name="name",
        tags=None,
    ),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": _s(
        "cloudfront",
        "CreateResponseHeadersPolicy",
        "cloudfront/response_headers_policy.go",
        "name comment securityHeadersConfig corsConfig customHeadersConfig removeHeadersConfig "
        "serverTimingHeadersConfig",
        base="ResponseHeadersPolicyConfig",
        name="name",
        tags=None,
    ),
    # ---------------------------------------------------------------- EC2 (VPC: issue 21)
    "aws:ec2/securityGroup:SecurityGroup": _s(
        "ec2",
        "CreateSecurityGroup",
        "ec2/vpc_security_group.go",
        "name namePrefix description vpcId ingress egress tags revokeRulesOnDelete",
        renames={"name": "GroupName", "namePrefix": None, "ingress": None, "egress": None, "revokeRulesOnDelete": None},
        why={
            "name": "vpc_security_group.go: GroupName from name",
            "namePrefix": "provider-only: Terraform makes the name from it",
            "ingress": "vpc_security_group.go: AuthorizeSecurityGroupIngress after create, cidr_blocks and "
            "prefix_list_ids reshaped into IpPermissions (the model leaves those members free)",
            "egress": "vpc_security_group.go: AuthorizeSecurityGroupEgress after create (and the default egress-all "
            "rule revoked), reshaped into IpPermissions (the model leaves those members free)",
            "revokeRulesOnDelete": "provider-only: what Terraform does before a delete",
        },
        tags="TagSpecifications[0].Tags",
        name="name",
        note=_NOTHING
        + " "
        + "EC2's model has no string constraints (the documented 255-character name without an `sg-` prefix and "
        "its character set are docs-only).",
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _s(
        "ec2",
        "CreateVpcEndpoint",
        "ec2/vpc_endpoint.go",
        "vpcId serviceName vpcEndpointType routeTableIds subnetIds securityGroupIds privateDnsEnabled policy tags "
        "ipAddressType dnsOptions autoAccept",
        renames={"policy": "PolicyDocument", "autoAccept": None},
        why={
            "policy": "vpc_endpoint.go: PolicyDocument from policy",
            "autoAccept": "provider-only: Terraform accepts the connection of an endpoint service in the same account",
        },
        tags="TagSpecifications[0].Tags",
        note="EC2's model carries enums (vpcEndpointType, ipAddressType) and no string constraints.",
    ),
    # ---------------------------------------------------------------- EventBridge, CloudWatch
    "aws:cloudwatch/eventArchive:EventArchive": _s(
        "events",
        "CreateArchive",
        "events/archive.go",
        "name description eventSourceArn retentionDays eventPattern kmsKeyIdentifier",
        renames={"name": "ArchiveName"},
        why={"name": "archive.go: ArchiveName from name"},
        name="name",
        tags=None,
    ),
    "aws:cloudwatch/eventBus:EventBus": _s(
        "events",
        "CreateEventBus",
        "events/bus.go",
        "name tags description eventSourceName kmsKeyIdentifier deadLetterConfig",
        name="name",
    ),
    "aws:cloudwatch/eventRule:EventRule": _s(
        "events",
        "PutRule",
        "events/rule.go",
        "name description eventBusName eventPattern scheduleExpression roleArn state tags",
        name="name",
    ),
    "aws:cloudwatch/eventTarget:EventTarget": _s(
        "events",
        "PutTargets",
        "events/target.go",
        "rule eventBusName targetId arn roleArn deadLetterConfig retryPolicy input inputPath sqsTarget",
        base="Targets[0]",
        renames={"targetId": "Targets[0].Id", "sqsTarget": "Targets[0].SqsParameters"},
        why={
            "targetId": "target.go: expandPutTargetsInput, Id from target_id (Terraform generates one when unset)",
            "sqsTarget": "target.go: SqsParameters from sqs_target",
        },
        supplied=frozenset({"Targets[].Id"}),
        tags=None,
        note="One target per Pulumi resource: the inputs other than rule and eventBusName form Targets[0].",
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _s(
        "cloudwatch",
        "PutMetricAlarm",
        "cloudwatch/metric_alarm.go",
        "name alarmActions alarmDescription comparisonOperator datapointsToAlarm dimensions evaluationPeriods "
        "extendedStatistic metricName metricQueries namespace okActions insufficientDataActions period "
        "statistic tags threshold treatMissingData unit actionsEnabled thresholdMetricId",
        renames={
            "name": "AlarmName",
            "metricQueries": "Metrics",
            "metricQueries[].metric": "MetricStat",
            "metricQueries[].metric.metricName": "Metric.MetricName",
            "metricQueries[].metric.namespace": "Metric.Namespace",
            "metricQueries[].metric.dimensions": "Metric.Dimensions",
        },
        why={
            "name": "metric_alarm.go: AlarmName from alarm_name",
            "metricQueries": "metric_alarm.go: expandMetricAlarmMetrics, Metrics from metric_query",
            "metricQueries[].metric": "metric_alarm.go: expandMetricAlarmMetricsMetric builds a MetricStat",
            "metricQueries[].metric.metricName": "MetricStat.Metric.MetricName",
            "metricQueries[].metric.namespace": "MetricStat.Metric.Namespace",
            "metricQueries[].metric.dimensions": "MetricStat.Metric.Dimensions (map -> list of Name/Value)",
        },
        name="name",
        note="EvaluationPeriods and ComparisonOperator are Terraform-required; the model leaves them optional.",
    ),
    # ---------------------------------------------------------------- IAM, KMS
    "aws:iam/role:Role": _s(
        "iam",
        "CreateRole",
        "iam/role.go",
        "name assumeRolePolicy description tags path maxSessionDuration permissionsBoundary",
        renames={"name": "RoleName", "assumeRolePolicy": "AssumeRolePolicyDocument"},
        why={
            "name": "role.go: RoleName from name",
            "assumeRolePolicy": "role.go: AssumeRolePolicyDocument from assume_role_policy",
        },
        name="name",
    ),
    "aws:iam/rolePolicy:RolePolicy": _s(
        "iam",
        "PutRolePolicy",
        "iam/role_policy.go",
        "name role policy",
        renames={"name": "PolicyName", "role": "RoleName", "policy": "PolicyDocument"},
        why={
            "name": "role_policy.go: PolicyName from name",
            "role": "role_policy.go: RoleName from role",
            "policy": "role_policy.go: PolicyDocument from policy",
        },
        name="name",
        tags=None,
    ),
    "aws:kms/key:Key": _s(
        "kms",
        "CreateKey",
        "kms/key.go",
        "deletionWindowInDays description enableKeyRotation tags policy keyUsage customerMasterKeySpec "
        "multiRegion bypassPolicyLockoutSafetyCheck rotationPeriodInDays",
        renames={"deletionWindowInDays": None, "enableKeyRotation": None, "rotationPeriodInDays": None},
        why={
            "deletionWindowInDays": "key.go: sent at delete (ScheduleKeyDeletion.PendingWindowInDays), not at create",
            "enableKeyRotation": "key.go: a separate EnableKeyRotation call after create",
            "rotationPeriodInDays": "key.go: EnableKeyRotation.RotationPeriodInDays, after create",
        },
        note="KMS's model has tag key/value lengths but no tag pattern; the key description is checked.",
    ),
    "aws:kms/keyPolicy:KeyPolicy": _s(
        "kms",
        "PutKeyPolicy",
        "kms/key_policy.go",
        "keyId policy bypassPolicyLockoutSafetyCheck",
        tags=None,
    ),
    # ---------------------------------------------------------------- S3
    "aws:s3/bucket:Bucket": _s(
        "s3",
        "CreateBucket",
        "s3/bucket.go",
        "bucket forceDestroy tags objectLockEnabled",
        renames={"forceDestroy": None, "objectLockEnabled": "ObjectLockEnabledForBucket"},
        why={
            "forceDestroy": "provider-only: whether delete empties the bucket first",
            "objectLockEnabled": "bucket.go: ObjectLockEnabledForBucket from object_lock_enabled",
            "tags": "bucket.go: a PutBucketTagging call after CreateBucket (Tagging.TagSet)",
        },
        more={"tags": ("PutBucketTagging", "Tagging.TagSet")},
        tags=None,
        name="bucket",
        note="S3's model carries no bucket-name rule (length 3-63, lowercase, ...): docs-only, hand-written rules.",
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _s(
        "s3",
        "PutBucketLifecycleConfiguration",
        "s3/bucket_lifecycle_configuration.go",
        "bucket rules expectedBucketOwner transitionDefaultMinimumObjectSize",
        renames={"rules": "LifecycleConfiguration.Rules"},
        why={"rules": "bucket_lifecycle_configuration.go: LifecycleConfiguration.Rules from rule"},
        tags=None,
    ),
    "aws:s3/bucketNotification:BucketNotification": _s(
        "s3",
        "PutBucketNotificationConfiguration",
        "s3/bucket_notification.go",
        "bucket eventbridge queues topics lambdaFunctions",
        renames={
            "eventbridge": "NotificationConfiguration.EventBridgeConfiguration",
            "queues": "NotificationConfiguration.QueueConfigurations",
            "topics": "NotificationConfiguration.TopicConfigurations",
            "lambdaFunctions": "NotificationConfiguration.LambdaFunctionConfigurations",
        },
        why={
            "eventbridge": "bucket_notification.go: an empty EventBridgeConfiguration when true",
            "queues": "bucket_notification.go: QueueConfigurations from queue",
            "topics": "bucket_notification.go: TopicConfigurations from topic",
            "lambdaFunctions": "bucket_notification.go: LambdaFunctionConfigurations from lambda_function",
        },
        tags=None,
    ),
    "aws:s3/bucketObjectv2:BucketObjectv2": _s(
        "s3",
        "PutObject",
        "s3/object.go",
        "bucket key source content contentType kmsKeyId serverSideEncryption bucketKeyEnabled tags cacheControl "
        "storageClass",
        renames={"kmsKeyId": "SSEKMSKeyId", "source": "Body", "content": "Body"},
        why={
            "kmsKeyId": "object.go: SSEKMSKeyId from kms_key_id",
            "source": "object.go: the Body (a file); the model has no constraints on a blob",
            "content": "object.go: the Body (a string)",
            "tags": "object.go: the Tagging header, URL-encoded; the model has no constraints on it",
        },
        tags="Tagging",
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _s(
        "s3",
        "PutBucketOwnershipControls",
        "s3/bucket_ownership_controls.go",
        "bucket rule",
        renames={"rule": "OwnershipControls.Rules"},
        why={"rule": "bucket_ownership_controls.go: OwnershipControls.Rules, one rule"},
        tags=None,
    ),
    "aws:s3/bucketPolicy:BucketPolicy": _s(
        "s3",
        "PutBucketPolicy",
        "s3/bucket_policy.go",
        "bucket policy",
        tags=None,
        note=_NOTHING + " " + "S3's model carries no constraint on the policy document.",
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _s(
        "s3",
        "PutPublicAccessBlock",
        "s3/bucket_public_access_block.go",
        "bucket blockPublicAcls blockPublicPolicy ignorePublicAcls restrictPublicBuckets",
        base="PublicAccessBlockConfiguration",
        tags=None,
        note=_NOTHING + " " + "Booleans only: the model checks that the bucket is given.",
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _s(
        "s3",
        "PutBucketEncryption",
        "s3/bucket_server_side_encryption_configuration.go",
        "bucket rules expectedBucketOwner",
        renames={"rules": "ServerSideEncryptionConfiguration.Rules"},
        why={"rules": "bucket_server_side_encryption_configuration.go: ServerSideEncryptionConfiguration.Rules"},
        tags=None,
    ),
    "aws:s3/bucketVersioning:BucketVersioning": _s(
        "s3",
        "PutBucketVersioning",
        "s3/bucket_versioning.go",
        "bucket versioningConfiguration expectedBucketOwner mfa",
        tags=None,
    ),
    # ---------------------------------------------------------------- SageMaker
    "aws:sagemaker/model:Model": _s(
        "sagemaker",
        "CreateModel",
        "sagemaker/model.go",
        "name enableNetworkIsolation executionRoleArn primaryContainer containers tags vpcConfig "
        "inferenceExecutionConfig",
        renames={"name": "ModelName"},
        why={"name": "model.go: ModelName from name"},
        name="name",
    ),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": _s(
        "sagemaker",
        "CreateEndpointConfig",
        "sagemaker/endpoint_configuration.go",
        "name dataCaptureConfig productionVariants shadowProductionVariants kmsKeyArn asyncInferenceConfig tags",
        renames={"name": "EndpointConfigName", "kmsKeyArn": "KmsKeyId"},
        why={
            "name": "endpoint_configuration.go: EndpointConfigName from name",
            "kmsKeyArn": "endpoint_configuration.go: KmsKeyId from kms_key_arn",
        },
        name="name",
        supplied=frozenset({"ProductionVariants[].VariantName", "ShadowProductionVariants[].VariantName"}),
        note="variant_name is Optional+Computed in Terraform: unset, Terraform names the variant (unverified how).",
    ),
    "aws:sagemaker/endpoint:Endpoint": _s(
        "sagemaker",
        "CreateEndpoint",
        "sagemaker/endpoint.go",
        "name deploymentConfig endpointConfigName tags",
        renames={"name": "EndpointName"},
        why={"name": "endpoint.go: EndpointName from name"},
        name="name",
    ),
    # ---------------------------------------------------------------- SNS, SQS
    "aws:sns/topic:Topic": _s(
        "sns",
        "CreateTopic",
        "sns/topic.go",
        "name kmsMasterKeyId tags displayName policy fifoTopic deliveryPolicy",
        renames={
            "kmsMasterKeyId": "Attributes{KmsMasterKeyId}",
            "displayName": "Attributes{DisplayName}",
            "policy": "Attributes{Policy}",
            "fifoTopic": "Attributes{FifoTopic}",
            "deliveryPolicy": "Attributes{DeliveryPolicy}",
        },
        why={
            k: _ATTR_WHY.format("sns/topic.go")
            for k in ("kmsMasterKeyId", "displayName", "policy", "fifoTopic", "deliveryPolicy")
        },
        name="name",
        note="SNS's model carries no constraint on the topic name (docs: 1-256 of [A-Za-z0-9_-]) nor on attributes.",
    ),
    "aws:sns/topicSubscription:TopicSubscription": _s(
        "sns",
        "Subscribe",
        "sns/topic_subscription.go",
        "endpoint protocol topic rawMessageDelivery filterPolicy redrivePolicy",
        renames={
            "topic": "TopicArn",
            "rawMessageDelivery": "Attributes{RawMessageDelivery}",
            "filterPolicy": "Attributes{FilterPolicy}",
            "redrivePolicy": "Attributes{RedrivePolicy}",
        },
        why={
            "topic": "topic_subscription.go: TopicArn from topic_arn",
            **{
                k: _ATTR_WHY.format("sns/topic_subscription.go")
                for k in ("rawMessageDelivery", "filterPolicy", "redrivePolicy")
            },
        },
        tags=None,
        note=_NOTHING
        + " "
        + "SNS's model carries no constraint on protocol (docs: email, sqs, https, ...): required only.",
    ),
    "aws:sqs/queue:Queue": _s(
        "sqs",
        "CreateQueue",
        "sqs/queue.go",
        "name messageRetentionSeconds redrivePolicy sqsManagedSseEnabled kmsMasterKeyId tags "
        "visibilityTimeoutSeconds delaySeconds maxMessageSize receiveWaitTimeSeconds fifoQueue policy "
        "kmsDataKeyReusePeriodSeconds",
        renames={
            "name": "QueueName",
            "messageRetentionSeconds": "Attributes{MessageRetentionPeriod}",
            "redrivePolicy": "Attributes{RedrivePolicy}",
            "sqsManagedSseEnabled": "Attributes{SqsManagedSseEnabled}",
            "kmsMasterKeyId": "Attributes{KmsMasterKeyId}",
            "visibilityTimeoutSeconds": "Attributes{VisibilityTimeout}",
            "delaySeconds": "Attributes{DelaySeconds}",
            "maxMessageSize": "Attributes{MaximumMessageSize}",
            "receiveWaitTimeSeconds": "Attributes{ReceiveMessageWaitTimeSeconds}",
            "fifoQueue": "Attributes{FifoQueue}",
            "policy": "Attributes{Policy}",
            "kmsDataKeyReusePeriodSeconds": "Attributes{KmsDataKeyReusePeriodSeconds}",
        },
        why={
            "name": "queue.go: QueueName from name",
            **{
                k: _ATTR_WHY.format("sqs/attributes.go queueAttributeMap")
                for k in (
                    "messageRetentionSeconds",
                    "redrivePolicy",
                    "sqsManagedSseEnabled",
                    "kmsMasterKeyId",
                    "visibilityTimeoutSeconds",
                    "delaySeconds",
                    "maxMessageSize",
                    "receiveWaitTimeSeconds",
                    "fifoQueue",
                    "policy",
                    "kmsDataKeyReusePeriodSeconds",
                )
            },
        },
        name="name",
        note=_NOTHING
        + " "
        + "SQS's model constrains only the attribute names: the documented ranges (MessageRetentionPeriod "
        "60-1209600, ...) and the queue-name rule are docs-only.",
    ),
    "aws:sqs/queuePolicy:QueuePolicy": _s(
        "sqs",
        "SetQueueAttributes",
        "sqs/queue_policy.go",
        "queueUrl policy",
        renames={"policy": "Attributes{Policy}"},
        why={"policy": _ATTR_WHY.format("sqs/queue_policy.go")},
        tags=None,
        note=_NOTHING,
    ),
}

TOKENS: frozenset[str] = frozenset(_SPECS)

# Where the Terraform resource validates the same constraint at plan time (phase PREVIEW): input path ->
# (constraint keywords, the source). Read in hashicorp/terraform-provider-aws
# internal/service/sagemaker/endpoint_configuration.go (the stored version at commit 050ac11, aws-sdk-go v1;
# the validators are the same kind in later versions, but this was not re-read for the one pulumi-aws v7 pins).
_EPC = _TF + "sagemaker/endpoint_configuration.go"
_PREVIEW: dict[str, dict[str, tuple[frozenset[str], str]]] = {
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {
        "productionVariants[].instanceType": (
            frozenset({"enum"}),
            _EPC + " StringInSlice(ProductionVariantInstanceType_Values())",
        ),
        "productionVariants[].initialInstanceCount": (frozenset({"min"}), _EPC + " IntAtLeast(1)"),
        "productionVariants[].volumeSizeInGb": (frozenset({"min", "max"}), _EPC + " IntBetween(1, 512)"),
        "productionVariants[].modelDataDownloadTimeoutInSeconds": (
            frozenset({"min", "max"}),
            _EPC + " IntBetween(60, 3600)",
        ),
        "productionVariants[].containerStartupHealthCheckTimeoutInSeconds": (
            frozenset({"min", "max"}),
            _EPC + " IntBetween(60, 3600)",
        ),
        "productionVariants[].serverlessConfig.maxConcurrency": (
            frozenset({"min", "max"}),
            _EPC + " IntBetween(1, 200)",
        ),
        "productionVariants[].serverlessConfig.provisionedConcurrency": (
            frozenset({"min", "max"}),
            _EPC + " IntBetween(1, 200)",
        ),
        "productionVariants[].serverlessConfig.memorySizeInMb": (
            frozenset({"min", "max"}),
            _EPC + " IntInSlice(1024, 2048, ..., 6144)",
        ),
        "dataCaptureConfig.initialSamplingPercentage": (frozenset({"min", "max"}), _EPC + " IntBetween(0, 100)"),
        "dataCaptureConfig.captureOptions[].captureMode": (
            frozenset({"enum"}),
            _EPC + " StringInSlice(CaptureMode_Values())",
        ),
        "dataCaptureConfig.captureOptions": (frozenset({"min", "max"}), _EPC + " MinItems 1, MaxItems 2"),
        "productionVariants": (frozenset({"min", "max"}), _EPC + " MinItems 1, MaxItems 10"),
    },
}


# ---------------------------------------------------------------- models


@functools.cache
def _model(service: str) -> tuple[dict[str, Any], str]:
    """The service model and the file it came from (`data/<service>/<api-version>/service-2.json`)."""
    loader = Loader()
    model: dict[str, Any] = loader.load_service_model(service, "service-2")
    version = model["metadata"]["apiVersion"]
    return model, f"{SOURCE} data/{service}/{version}/service-2.json"


def _shapes(service: str) -> dict[str, Any]:
    shapes: dict[str, Any] = _model(service)[0]["shapes"]
    return shapes


_SURROGATE_RANGE = re.compile(
    r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})-\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", re.I
)
_SURROGATE = re.compile(r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", re.I)


def _pair(high: str, low: str) -> int:
    return 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)


@functools.cache
def _pattern(text: str) -> regex.Pattern[str]:
    """A model pattern for the `regex` module: Java's UTF-16 surrogate pairs (`\\uD800\\uDC00-\\uDBFF\\uDFFF`)
    become the code points they stand for; everything else (`\\p{L}`, `\\p{Print}`, lookarounds) `regex` reads
    as Java does."""
    text = _SURROGATE_RANGE.sub(
        lambda m: f"\\U{_pair(m[1], m[2]):08X}-\\U{_pair(m[3], m[4]):08X}",
        text,
    )
    text = _SURROGATE.sub(lambda m: f"\\U{_pair(m[1], m[2]):08X}", text)
    return regex.compile(text)


# ---------------------------------------------------------------- building the request

_NUMERIC = frozenset({"integer", "long", "float", "double"})


def _norm(name: str) -> str:
    return name.replace("_", "").lower()


def _member(shape: Mapping[str, Any], key: str) -> str | None:
    wanted = _norm(key)
    for name in shape.get("members", {}):
        if _norm(name) == wanted:
            return str(name)
    return None


@dataclass
class _Leaf:
    value: Any
    input: str


@dataclass
class _Unknown:
    input: str


@dataclass
class _Struct:
    input: str
    members: dict[str, Any] = field(default_factory=dict)


@dataclass
class _List:
    input: str
    items: list[Any] = field(default_factory=list)


@dataclass
class _Map:
    input: str
    entries: list[tuple[str, str, Any]] = field(default_factory=list)
    """(key, the key's input path, value node)."""


def _has_unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _special(value: Any) -> bool:
    """An asset, archive or resource reference (wire signature), or a snapshot's asset record."""
    return isinstance(value, Mapping) and (SIG in value or "FileAsset" in value or "StringAsset" in value)


class _Builder:
    """Pulumi inputs -> a request tree of the operation's input shape, following one spec."""

    def __init__(self, spec: _Spec) -> None:
        self.spec = spec
        self.shapes = _shapes(spec.service)

    def node(self, value: Any, shape_name: str, inp: str, pat: str) -> Any:
        if _has_unknown(value):
            return _Unknown(inp)
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if kind == "structure":
            if isinstance(value, Mapping) and not _special(value):
                node = _Struct(inp)
                self.fill(node, value, shape_name, inp, pat)
                return node
            if isinstance(value, list) and "Items" in shape["members"]:
                # CloudFront's {Quantity, Items}: Terraform's expanders send both.
                node = _Struct(inp)
                node.members["Items"] = self.node(value, shape["members"]["Items"]["shape"], inp, pat)
                return node
            return _Leaf(value, inp)
        if kind == "list":
            member = shape["member"]["shape"]
            if isinstance(value, Mapping) and self._pairs(member) and not _special(value):
                return _List(inp, [self._pair_node(k, v, member, inp) for k, v in value.items()])
            items = value if isinstance(value, list) else [value]
            return _List(inp, [self.node(v, member, f"{inp}[{i}]", pat + "[]") for i, v in enumerate(items)])
        if kind == "map":
            if not isinstance(value, Mapping) or _special(value):
                return _Leaf(value, inp)
            out = _Map(inp)
            for k, v in value.items():
                out.entries.append(
                    (str(k), f"{inp}.{k}", self.node(v, shape["value"]["shape"], f"{inp}.{k}", f"{pat}.{k}"))
                )
            return out
        return _Leaf(value, inp)

    def _pairs(self, member: str) -> tuple[str, str] | None:
        """A two-member structure {Key, Value} / {TagKey, TagValue} / {Name, Value} a map converts into."""
        shape = self.shapes[member]
        names = list(shape.get("members", {}))
        if shape["type"] != "structure" or len(names) != 2:
            return None
        key = next((n for n in names if n in ("Key", "TagKey", "Name")), None)
        val = next((n for n in names if n in ("Value", "TagValue")), None)
        return (key, val) if key and val else None

    def _pair_node(self, key: Any, value: Any, member: str, inp: str) -> _Struct:
        names = self._pairs(member)
        assert names is not None
        members = self.shapes[member]["members"]
        node = _Struct(f"{inp}.{key}")
        node.members[names[0]] = _Leaf(str(key), f"{inp}.{key}")
        node.members[names[1]] = self.node(value, members[names[1]]["shape"], f"{inp}.{key}", f"{inp}.{key}")
        return node

    def fill(self, node: _Struct, value: Mapping[str, Any], shape_name: str, inp: str, pat: str) -> None:
        for key, item in value.items():
            if str(key).startswith("__") or item is None:
                continue
            child_inp = f"{inp}.{key}" if inp else str(key)
            child_pat = f"{pat}.{key}" if pat else str(key)
            if child_pat in self.spec.renames:
                target = self.spec.renames[child_pat]
                if target is None:
                    continue
                self.place(node, shape_name, target, item, child_inp, child_pat)
                continue
            name = _member(self.shapes[shape_name], str(key))
            if name is not None:
                self.place(node, shape_name, name, item, child_inp, child_pat)

    def place(self, node: _Struct, shape_name: str, target: str, value: Any, inp: str, pat: str) -> None:
        """Put `value` at the member path `target` (`A.B`, `A[0].B`, `Attributes{Key}`) under `node`."""
        parts = target.split(".")
        shape = self.shapes[shape_name]
        for part in parts[:-1]:
            name, _, rest = part.partition("[")
            name = _member(shape, name) or name
            ref = shape["members"][name]["shape"]
            if rest:  # A[0]: the one item of a list
                lst = node.members.setdefault(name, _List(inp))
                if not lst.items:
                    lst.items.append(_Struct(inp))
                node = lst.items[0]
                ref = self.shapes[ref]["member"]["shape"]
            else:
                node = node.members.setdefault(name, _Struct(inp))
            shape = self.shapes[ref]
        last = parts[-1]
        if "{" in last:
            name, _, key = last.partition("{")
            name = _member(shape, name) or name
            key = key.rstrip("}")
            entries = node.members.setdefault(name, _Map(inp))
            entries.entries.append((key, inp, _Unknown(inp) if _has_unknown(value) else _Leaf(value, inp)))
            return
        last = _member(shape, last) or last
        ref = shape["members"][last]["shape"]
        node.members[last] = self.node(value, ref, inp, pat)

    def request(self, inputs: Mapping[str, Any]) -> _Struct:
        """The request of the spec's operation from these inputs (base first, then the root)."""
        op = _model(self.spec.service)[0]["operations"][self.spec.operation]
        root_shape = op["input"]["shape"]
        root = _Struct("")
        base_node, base_shape = root, root_shape
        if self.spec.base:
            base_node, base_shape = self._descend(root, root_shape, self.spec.base)
        for key, value in inputs.items():
            if key.startswith("__") or value is None or key in self.spec.more:
                continue
            if key == "tags" and self.spec.tags is not None and key not in self.spec.renames:
                self.place(root, root_shape, self.spec.tags, value, "tags", "tags")
                continue
            if key in self.spec.renames:
                target = self.spec.renames[key]
                if target is None:
                    continue
                first = target.split(".")[0].split("[")[0].split("{")[0]
                if self.spec.base and first not in self.shapes[root_shape]["members"]:
                    self.place(base_node, base_shape, target, value, key, key)  # relative to the base
                else:
                    self.place(root, root_shape, target, value, key, key)
                continue
            name = _member(self.shapes[base_shape], key)
            if name is not None:
                self.place(base_node, base_shape, name, value, key, key)
                continue
            name = _member(self.shapes[root_shape], key)
            if name is not None:
                self.place(root, root_shape, name, value, key, key)
        return root

    def _descend(self, node: _Struct, shape_name: str, path: str) -> tuple[_Struct, str]:
        for part in path.split("."):
            name, _, rest = part.partition("[")
            ref = self.shapes[shape_name]["members"][name]["shape"]
            if rest:
                lst = node.members.setdefault(name, _List(""))
                if not lst.items:
                    lst.items.append(_Struct(""))
                node = lst.items[0]
                ref = self.shapes[ref]["member"]["shape"]
            else:
                node = node.members.setdefault(name, _Struct(""))
            shape_name = ref
        return node, shape_name


# ---------------------------------------------------------------- validating it


def _camel(member: str) -> str:
    return member[:1].lower() + member[1:]


def _pattern_of(inp: str) -> str:
    return re.sub(r"\[\d+\]", "[]", inp)


class _Judge:
    def __init__(self, token: str, spec: _Spec, operation: str) -> None:
        self.token = token
        self.spec = spec
        self.shapes = _shapes(spec.service)
        self.source = _model(spec.service)[1]
        self.operation = operation
        self.found: list[Violation] = []
        self.preview = _PREVIEW.get(token, {})
        self.named: str | None = None

    def add(self, inp: str, path: str, constraint: str, expected: Any, value: Any) -> None:
        phase = Phase.UP
        preview = self.preview.get(_pattern_of(inp))
        if preview is not None and constraint in preview[0]:
            phase = Phase.PREVIEW
        self.found.append(
            Violation(
                token=self.token,
                input=inp,
                path=f"{self.spec.service}:{self.operation}.{path}"
                if path
                else f"{self.spec.service}:{self.operation}",
                constraint=constraint,
                expected=expected,
                value=value,
                source=self.source,
                phase=phase,
            )
        )

    def walk(self, node: Any, shape_name: str, path: str, pat: str) -> None:
        if isinstance(node, _Unknown):
            return
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if isinstance(node, _Struct) and kind == "structure":
            for name in shape.get("required", []):
                if name in node.members:
                    continue
                member_pat = f"{pat}.{name}" if pat else name
                if member_pat in self.spec.supplied or (name == "Quantity" and "Items" in shape["members"]):
                    continue
                if self._is_name(member_pat):
                    continue
                owner = _by_member(self.token).get(member_pat) if self.operation == self.spec.operation else None
                if owner is not None and owner in _pulumi_required(self.token):
                    continue  # absent only when not known here: the Pulumi schema requires it (Check refuses first)
                inp = owner or (f"{node.input}.{_camel(name)}" if node.input else _camel(name))
                self.add(inp, member_pat if not path else f"{path}.{name}", "required", True, None)
            for name, child in node.members.items():
                ref = shape["members"][name]["shape"]
                self.walk(child, ref, f"{path}.{name}" if path else name, f"{pat}.{name}" if pat else name)
            return
        if isinstance(node, _List) and kind == "list":
            self._bounds(node.input, path, shape, len(node.items))
            for i, item in enumerate(node.items):
                self.walk(item, shape["member"]["shape"], f"{path}[{i}]", f"{pat}[]")
            return
        if isinstance(node, _Map) and kind == "map":
            self._bounds(node.input, path, shape, len(node.entries))
            for key, key_inp, child in node.entries:
                self._scalar(key, self.shapes[shape["key"]["shape"]], f"{path}.<key>", key_inp)
                self.walk(child, shape["value"]["shape"], f"{path}.{key}", f"{pat}.{key}")
            return
        if isinstance(node, _Leaf):
            self._scalar(node.value, shape, path, node.input)

    def _is_name(self, member_pat: str) -> bool:
        named = self.named
        return named is not None and member_pat == named and self.spec.name is not None

    def _bounds(self, inp: str, path: str, shape: Mapping[str, Any], count: int) -> None:
        if "min" in shape and count < shape["min"]:
            self.add(inp, path, "min", shape["min"], count)
        if "max" in shape and count > shape["max"]:
            self.add(inp, path, "max", shape["max"], count)

    def _scalar(self, value: Any, shape: Mapping[str, Any], path: str, inp: str) -> None:
        kind = shape["type"]
        if kind == "string":
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return
            text = value if isinstance(value, str) else str(int(value)) if float(value).is_integer() else str(value)
            self._bounds(inp, path, shape, len(text))
            if "pattern" in shape and _pattern(shape["pattern"]).search(text) is None:
                self.add(inp, path, "pattern", shape["pattern"], text)
            if "enum" in shape and text not in shape["enum"]:
                self.add(inp, path, "enum", tuple(shape["enum"]), text)
            return
        if kind in _NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
            if "min" in shape and value < shape["min"]:
                self.add(inp, path, "min", shape["min"], value)
            if "max" in shape and value > shape["max"]:
                self.add(inp, path, "max", shape["max"], value)


def check(token: str, inputs: Mapping[str, Any]) -> list[Violation]:
    """The constraints of the creating operation's model that these inputs break ([] for a type not mapped)."""
    spec = _SPECS.get(token)
    if spec is None:
        return []
    plain = reveal(dict(inputs))
    builder = _Builder(spec)
    request = builder.request(plain)
    judge = _Judge(token, spec, spec.operation)
    judge.named = _name_member_path(spec)
    op = _model(spec.service)[0]["operations"][spec.operation]
    judge.walk(request, op["input"]["shape"], "", "")
    for key, (operation, target) in spec.more.items():
        if key not in plain or plain[key] is None:
            continue
        more = dataclasses.replace(spec, operation=operation, renames={}, base="", more={}, tags=None, name=None)
        sub_builder = _Builder(more)
        root = _Struct("")
        sub_shape = _model(spec.service)[0]["operations"][operation]["input"]["shape"]
        sub_builder.place(root, sub_shape, target, plain[key], key, key)
        sub = _Judge(token, more, operation)
        sub.walk(root, sub_shape, "", "")
        # Only what the moved input carries: the further call's other required members come from Terraform.
        judge.found.extend(v for v in sub.found if v.constraint != "required" or v.input.startswith(key))
    return judge.found


@functools.cache
def _name_member_path(spec: _Spec) -> str | None:
    """The member path (from the request's root, without indices) the autonamed input lands on."""
    if spec.name is None:
        return None
    builder = _Builder(spec)
    request = builder.request({spec.name: "x"})
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, _Leaf) and node.input == spec.name:
            found.append(path)
        elif isinstance(node, _Struct):
            for name, child in node.members.items():
                walk(child, f"{path}.{name}" if path else name)
        elif isinstance(node, _List):
            for item in node.items:
                walk(item, f"{path}[]")

    walk(request, "")
    return found[0] if found else None


@functools.cache
def _pulumi_required(token: str) -> frozenset[str]:
    """The inputs the Pulumi schema requires (pulumi_aws's `<Type>Args` parameters without a default)."""
    _, module, name = token.split(":")
    folder = module.split("/")[0]
    args = getattr(importlib.import_module(f"pulumi_aws.{folder}"), f"{name}Args")
    params = inspect.signature(args.__init__).parameters.values()
    return frozenset(
        _camel("".join(w.title() for w in p.name.split("_")))
        for p in params
        if p.name != "__self__" and p.default is p.empty
    )


@functools.cache
def _by_member(token: str) -> dict[str, str]:
    """Member path (without list indices) -> the top-level input that maps to it."""
    spec = _SPECS[token]
    out = {}
    for key in spec.inputs:
        path, operation, _ = _resolve(spec, key)
        if path is not None and operation == spec.operation:
            out[re.sub(r"\[\d+\]", "[]", path)] = key
    return out


# ---------------------------------------------------------------- coverage


def _constraints(service: str, shape_name: str, seen: frozenset[str] = frozenset(), depth: int = 0) -> set[str]:
    shapes = _shapes(service)
    shape = shapes[shape_name]
    out = {k for k in ("min", "max", "pattern", "enum") if k in shape}
    if depth > 8 or shape_name in seen:
        return out
    seen = seen | {shape_name}
    kind = shape["type"]
    if kind == "structure":
        if shape.get("required"):
            out.add("required")
        for member in shape["members"].values():
            out |= _constraints(service, member["shape"], seen, depth + 1)
    elif kind == "list":
        out |= _constraints(service, shape["member"]["shape"], seen, depth + 1)
    elif kind == "map":
        out |= _constraints(service, shape["key"]["shape"], seen, depth + 1)
        out |= _constraints(service, shape["value"]["shape"], seen, depth + 1)
    return out


def _resolve(spec: _Spec, key: str) -> tuple[str | None, str, set[str]]:
    """An input's member path (None: unmapped), the operation, and the constraint keywords under it."""
    operation = spec.operation
    if key in spec.more:
        operation, target = spec.more[key]
        builder = _Builder(dataclasses.replace(spec, operation=operation))
        root_shape = _model(spec.service)[0]["operations"][operation]["input"]["shape"]
        return target, operation, _target_constraints(builder, root_shape, target, spec.service)
    builder = _Builder(spec)
    root_shape = _model(spec.service)[0]["operations"][operation]["input"]["shape"]
    if key == "tags" and spec.tags is not None and key not in spec.renames:
        return spec.tags, operation, _target_constraints(builder, root_shape, spec.tags, spec.service)
    probe = builder.request({key: _PROBE})
    path = _probe_path(probe)
    if path is None:
        return None, operation, set()
    return path, operation, _target_constraints(builder, root_shape, re.sub(r"\[\d+\]", "", path), spec.service)


_PROBE = "\x00probe"


def _probe_path(node: Any, path: str = "") -> str | None:
    if isinstance(node, _Leaf) and node.value == _PROBE:
        return path
    children: Iterator[tuple[str, Any]]
    if isinstance(node, _Struct):
        children = ((f"{path}.{k}" if path else k, v) for k, v in node.members.items())
    elif isinstance(node, _List):
        children = ((f"{path}[{i}]", v) for i, v in enumerate(node.items))
    elif isinstance(node, _Map):
        children = ((f"{path}{{{k}}}", v) for k, _, v in node.entries)
    else:
        return None
    for child_path, child in children:
        found = _probe_path(child, child_path)
        if found is not None:
            return found
    return None


def _target_constraints(builder: _Builder, root_shape: str, target: str, service: str) -> set[str]:
    shapes = builder.shapes
    shape_name = root_shape
    required = False
    for part in target.split("."):
        name = part.split("[")[0].split("{")[0]
        shape = shapes[shape_name]
        if shape["type"] == "list":
            shape_name = shape["member"]["shape"]
            shape = shapes[shape_name]
        name = _member(shape, name) or name
        if name not in shape.get("members", {}):
            return set()
        required = name in shape.get("required", [])
        shape_name = shape["members"][name]["shape"]
        if "{" in part:
            map_shape = shapes[shape_name]
            keys = {k for k in ("min", "max", "pattern", "enum") if k in shapes[map_shape["key"]["shape"]]}
            return keys | ({"required"} if required else set())
    out = _constraints(service, shape_name)
    return out | ({"required"} if required else set())


def _nested_unmapped(spec: _Spec) -> list[Field]:
    return [
        Field(input=k, path=None, why=spec.why.get(k, "maps to no member"))
        for k, v in spec.renames.items()
        if v is None and ("." in k or "[" in k)
    ]


@functools.cache
def _coverage() -> tuple[TypeCoverage, ...]:
    rows = []
    for token, spec in sorted(_SPECS.items()):
        fields: list[Field] = []
        for key in spec.inputs:
            path, operation, keywords = _resolve(spec, key)
            why = spec.why.get(key, "")
            if path is None:
                fields.append(Field(input=key, path=None, why=why or "maps to no member of the request"))
                continue
            shown = f"{spec.service}:{operation}." + re.sub(r"\[0\]", "[]", path)
            if not keywords and not why:
                why = "the model declares no constraint on it"
            fields.append(Field(input=key, path=shown, constraints=tuple(sorted(keywords)), why=why))
        fields.extend(_nested_unmapped(spec))
        rows.append(
            TypeCoverage(
                token=token,
                operation=f"{spec.service}:{spec.operation}",
                source=f"{_model(spec.service)[1]}; mapping: {_TF}{spec.tf}",
                fields=tuple(fields),
                note=spec.note,
            )
        )
    return tuple(rows)


def coverage() -> list[TypeCoverage]:
    """Per mapped type: the creating operation and what each input maps to, with the model's constraint keywords."""
    return list(_coverage())
