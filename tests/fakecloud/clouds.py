"""What each stand-in cloud answers: names, ids, computed outputs, replacements, invokes.

Everything is derived from the resource's type, URN, name and inputs, and from how many
resources its URN had in the cloud before (rules.py, Draw), so one history always gets the
same ids, ARNs, domain names, URLs, random values and autonames, and a resource created
again under its URN (after a destroy, or a replacement) gets new ones, as every real Create
draws. Tables, one row per resource type, say what a real provider would compute and which
input changes force a replacement; a type without a row gets a plausible generic answer.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
import string
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakecloud.sdk import input_names
from tests.fakecloud.wire import digest, reveal, secret

__all__ = [
    "ACCOUNT_ID",
    "ANY",
    "AWS_NAMED",
    "AZURE_SUBSCRIPTION",
    "AZURE_TENANT",
    "CLOUDS",
    "CREATE_BEFORE_DELETE_KEY",
    "DEFAULTS_KEY",
    "Cloud",
    "Resource",
    "Settings",
    "arm_escape",
]

ACCOUNT_ID = "123456789012"
DEFAULTS_KEY = "__defaults"
"""The bridge's list of the inputs it filled in (rules.py, AWS-4a)."""
CREATE_BEFORE_DELETE_KEY = "__createBeforeDelete"
"""azure-native's flag: it generated the name, so a replacement may be created first (rules.py, Azure-5)."""
AZURE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
AZURE_TENANT = "11111111-1111-1111-1111-111111111111"
ANY = "*"
"""In a replacement table: a change of any input replaces the resource."""


@dataclass
class Settings:
    """A provider instance's configuration (from Configure)."""

    region: str = "us-east-1"
    location: str = "westeurope"


@dataclass(frozen=True)
class Resource:
    """One resource as fakecloud sees it: type, URN name and (revealed) inputs."""

    token: str
    urn: str
    name: str
    inputs: Mapping[str, Any]
    id: str = ""
    settings: Settings = field(default_factory=Settings)
    creation: int = 0
    """How many resources of this URN the cloud held before this one, tombstones included (rules.py,
    Draw): 0 for the first, so a first deploy draws what it always drew."""

    @property
    def seed(self) -> str:
        """What generated values derive from.

        Before the resource exists (what a Create draws: its id, a random value): its URN, its
        inputs and its creation number, so a replacement, or the same resource created again
        after a destroy, gets a new id and new random values. Once it has an id: its URN and id,
        so an in-place update keeps its ARN, domain name and other generated values.
        """
        if self.id:
            return digest(self.urn, self.id)
        return digest(self.urn, self.revision, self.creation) if self.creation else digest(self.urn, self.revision)

    @property
    def revision(self) -> str:
        """A digest of the inputs, for values that change with every update (etags, versions)."""
        return digest({k: v for k, v in self.inputs.items() if not k.startswith("__")})

    def chars(self, n: int, alphabet: str, salt: str = "") -> str:
        out: list[str] = []
        counter = 0
        while len(out) < n:
            block = hashlib.sha256(f"{self.seed}/{salt}/{counter}".encode()).digest()
            out.extend(alphabet[b % len(alphabet)] for b in block)
            counter += 1
        return "".join(out[:n])

    def hex(self, n: int, salt: str = "") -> str:
        return self.chars(n, "0123456789abcdef", salt)

    def lower(self, n: int, salt: str = "") -> str:
        return self.chars(n, string.ascii_lowercase + string.digits, salt)

    def upper(self, n: int, salt: str = "") -> str:
        return self.chars(n, string.ascii_uppercase + string.digits, salt)

    def uuid(self, salt: str = "") -> str:
        return str(uuid.UUID(self.hex(32, salt)))

    def get(self, key: str, default: str = "") -> str:
        value = self.inputs.get(key)
        return str(value) if value is not None else default

    # AWS
    def arn(self, service: str, path: str, regional: bool = True, account: bool = True) -> str:
        region = self.settings.region if regional else ""
        return f"arn:aws:{service}:{region}:{ACCOUNT_ID if account else ''}:{path}"

    # Azure
    def azure_id(self, provider_type: str, name: str) -> str:
        group = arm_escape(self.get("resourceGroupName", "rg"))
        return (
            f"/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/{group}/providers/{provider_type}/{arm_escape(name)}"
        )


def arm_escape(value: str) -> str:
    """A path parameter of an ARM id as azure-native writes it: Go's url.QueryEscape with `+` as `%20`
    (provider/pkg/provider/crud PrepareAzureRESTIdAndQuery), so a blob `a/b.txt` is `a%2Fb.txt`."""
    return urllib.parse.quote_plus(value, safe="").replace("+", "%20")


Outputs = Callable[[Resource], dict[str, Any]]
IdRule = Callable[[Resource], str]


@dataclass(frozen=True)
class Cloud:
    """The behaviour of one stand-in package."""

    package: str
    autonames: Mapping[str, tuple[str, int, bool]]
    """token -> (property, max length, lowercase) that the provider names when not given."""
    replaces: Mapping[str, tuple[str, ...]]
    """token -> the inputs whose change forces a replacement (ANY: every input)."""
    ids: Mapping[str, IdRule]
    outputs: Mapping[str, Outputs]
    invokes: Mapping[str, Callable[[Mapping[str, Any], Settings], dict[str, Any]]]
    default_id: IdRule
    default_outputs: Outputs
    replace_rule: Callable[[str, str], bool] = lambda token, key: False
    """Extra, generic replacement rule (token, key) -> bool."""
    from_inputs: bool = False
    """Outputs derive from the URN, the inputs and the creation number only (random values: the id is one
    of them)."""
    bridged: bool = False
    """A Terraform-bridged provider (aws, random): `__defaults`, and its Diff compares the state with the inputs."""

    def autoname(
        self,
        token: str,
        name: str,
        urn: str,
        news: Mapping[str, Any],
        olds: Mapping[str, Any],
        creation: int = 0,
    ) -> dict[str, Any]:
        """The inputs with the provider-chosen physical name filled in, as a real provider's Check does.

        An existing resource keeps its name; a new one (or a replacement, which the engine
        checks without old inputs) gets one derived from a digest of the URN, its other
        inputs and its creation number (how many resources of this URN the cloud held before:
        rules.py, Draw), so a resource created again after a destroy, or a replacement beside the
        old one, gets a new name, as the real autonamers draw a new suffix from the engine's fresh
        seed. The bridge (aws, random) names `<name>-<7 hex>` and lists what it filled in
        `__defaults` (an explicit name is then not in it: rules.py, AWS-4a); azure-native names
        `<name><8 hex>` (a GUID for role assignments) and marks a generated name with
        `__createBeforeDelete` (rules.py, Azure-5). Too long a name is kept: the rules refuse it.
        """
        out = {k: v for k, v in news.items() if k not in (DEFAULTS_KEY, CREATE_BEFORE_DELETE_KEY)}
        others = dict(out)
        seed = digest(urn, reveal(others), creation) if creation else digest(urn, reveal(others))
        if self.bridged:
            defaults: list[str] = []
            rule = self.autonames.get(token)
            if rule is not None and out.get(rule[0]) is None:
                prop, _, lower = rule
                old_defaults = olds.get(DEFAULTS_KEY)
                if olds.get(prop) is not None and (not isinstance(old_defaults, list) or prop in old_defaults):
                    out[prop] = olds[prop]
                else:
                    base = name.lower() if lower else name
                    out[prop] = f"{base}-{seed[:7]}"
                defaults.append(prop)
            out[DEFAULTS_KEY] = defaults
            return out
        if self.package == "azure-native":
            key = azure_name_property(token)
            if key is not None and out.get(key) is None:
                if olds.get(key) is not None:
                    out[key] = olds[key]
                    if olds.get(CREATE_BEFORE_DELETE_KEY) is True:
                        out[CREATE_BEFORE_DELETE_KEY] = True
                else:
                    out[key] = str(uuid.UUID(seed[:32])) if token in AZURE_UUID_NAMED else f"{name}{seed[:8]}"
                    out[CREATE_BEFORE_DELETE_KEY] = True
        return out

    def replace_keys(self, token: str, changed: list[str]) -> list[str]:
        table = self.replaces.get(token, ())
        return [k for k in changed if ANY in table or k in table or self.replace_rule(token, k)]

    def physical(self, resource: Resource) -> tuple[str, dict[str, Any]]:
        """The id and computed outputs of a resource (its inputs are kept by the caller)."""
        rid = resource.id or self.ids.get(resource.token, self.default_id)(resource)
        with_id = dataclasses.replace(resource, id=rid)
        computed = self.outputs.get(resource.token, self.default_outputs)(resource if self.from_inputs else with_id)
        return rid, computed


# ---------------------------------------------------------------- aws

# The bridge names `<URN name>-<7 random hex>` and refuses a name longer than the limit
# (rules.py, AWS-7e). The limits are pulumi-aws's: AutoName(name, 64) for IAM roles, 80 for
# SQS queues, a lowercase transform of 63 for buckets, and `setAutonaming(255, "-")` for every
# other resource with a `name` (provider/resources.go), so a SageMaker or EventBridge archive
# name that is too long gets past the autonamer and is refused by Terraform's own validation
# (rules.py, AWS-7a, AWS-7c). Rows without a known pulumi-aws limit keep Terraform's limit.
AWS_NAMED = {
    "aws:s3/bucket:Bucket": ("bucket", 63, True),
    "aws:iam/role:Role": ("name", 64, False),
    "aws:iam/rolePolicy:RolePolicy": ("name", 128, False),
    "aws:sqs/queue:Queue": ("name", 80, False),
    "aws:sns/topic:Topic": ("name", 256, False),
    "aws:cloudwatch/eventBus:EventBus": ("name", 256, False),
    "aws:cloudwatch/eventRule:EventRule": ("name", 64, False),
    "aws:cloudwatch/eventArchive:EventArchive": ("name", 255, False),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", 255, False),
    "aws:sagemaker/model:Model": ("name", 255, False),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": ("name", 255, False),
    "aws:sagemaker/endpoint:Endpoint": ("name", 255, False),
    "aws:apigateway/restApi:RestApi": ("name", 1024, False),
    "aws:apigateway/apiKey:ApiKey": ("name", 1024, False),
    "aws:apigateway/usagePlan:UsagePlan": ("name", 1024, False),
    "aws:cloudfront/cachePolicy:CachePolicy": ("name", 128, False),
    "aws:cloudfront/originAccessControl:OriginAccessControl": ("name", 64, False),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": ("name", 128, False),
    "aws:appautoscaling/policy:Policy": ("name", 255, False),
    # EC2 CreateSecurityGroup: up to 255 characters (pulumi-aws autonames `name`).
    "aws:ec2/securityGroup:SecurityGroup": ("name", 255, False),
}

_BUCKET_CHILD = ("bucket", "expectedBucketOwner")
AWS_REPLACES: dict[str, tuple[str, ...]] = {
    "aws:s3/bucket:Bucket": ("bucket", "bucketPrefix", "objectLockEnabled"),
    "aws:s3/bucketObjectv2:BucketObjectv2": ("bucket", "key"),
    "aws:s3/bucketPolicy:BucketPolicy": ("bucket",),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("bucket",),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("bucket",),
    "aws:s3/bucketVersioning:BucketVersioning": _BUCKET_CHILD,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _BUCKET_CHILD,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _BUCKET_CHILD,
    "aws:s3/bucketNotification:BucketNotification": ("bucket",),
    # SageMaker models and endpoint configurations: every input but tags (rules.py, AWS-4c);
    # the endpoint's deployment_config.auto_rollback_configuration (rules.py, AWS-4b).
    "aws:sagemaker/endpoint:Endpoint": ("name",),
    "aws:iam/role:Role": ("name", "namePrefix", "path"),
    "aws:iam/rolePolicy:RolePolicy": ("name", "namePrefix", "role"),
    "aws:kms/keyPolicy:KeyPolicy": ("keyId",),
    "aws:sqs/queue:Queue": ("name", "namePrefix", "fifoQueue"),
    "aws:sqs/queuePolicy:QueuePolicy": ("queueUrl",),
    "aws:sns/topic:Topic": ("name", "namePrefix", "fifoTopic"),
    "aws:sns/topicSubscription:TopicSubscription": ("topic", "protocol", "endpoint"),
    "aws:cloudwatch/eventBus:EventBus": ("name", "eventSourceName"),
    "aws:cloudwatch/eventRule:EventRule": ("name", "namePrefix", "eventBusName"),
    "aws:cloudwatch/eventTarget:EventTarget": ("rule", "targetId", "eventBusName"),
    "aws:cloudwatch/eventArchive:EventArchive": ("name", "eventSourceArn"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name",),
    "aws:apigateway/resource:Resource": ("restApi",),
    "aws:apigateway/method:Method": ("restApi", "resourceId", "httpMethod"),
    "aws:apigateway/integration:Integration": ("restApi", "resourceId", "httpMethod"),
    "aws:apigateway/methodResponse:MethodResponse": ("restApi", "resourceId", "httpMethod", "statusCode"),
    "aws:apigateway/integrationResponse:IntegrationResponse": ("restApi", "resourceId", "httpMethod", "statusCode"),
    "aws:apigateway/deployment:Deployment": ("restApi", "triggers"),
    "aws:apigateway/stage:Stage": ("restApi", "stageName"),
    "aws:apigateway/methodSettings:MethodSettings": ("restApi", "stageName", "methodPath"),
    "aws:apigateway/apiKey:ApiKey": ("value",),
    "aws:apigateway/usagePlanKey:UsagePlanKey": ("keyId", "keyType", "usagePlanId"),
    "aws:appautoscaling/target:Target": ("resourceId", "scalableDimension", "serviceNamespace"),
    "aws:appautoscaling/policy:Policy": ("name", "resourceId", "scalableDimension", "serviceNamespace"),
    # internal/service/ec2/vpc_security_group.go, vpc_endpoint.go (ForceNew); apigateway/rest_api_policy.go.
    "aws:ec2/securityGroup:SecurityGroup": ("name", "namePrefix", "description", "vpcId"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("vpcId", "serviceName", "vpcEndpointType"),
    "aws:apigateway/restApiPolicy:RestApiPolicy": ("restApiId",),
}


def _aws_name(r: Resource) -> str:
    return r.get("name") or r.get("bucket") or f"{r.name}-{r.hex(7)}"


def _tags(r: Resource) -> dict[str, Any]:
    return {"tagsAll": r.inputs.get("tags") or {}} if "tags" in r.inputs else {}


AWS_IDS: dict[str, IdRule] = {
    "aws:kms/key:Key": lambda r: r.uuid(),
    "aws:kms/keyPolicy:KeyPolicy": lambda r: r.get("keyId"),
    "aws:s3/bucketObjectv2:BucketObjectv2": lambda r: r.get("key"),
    "aws:cloudfront/originAccessControl:OriginAccessControl": lambda r: "E" + r.upper(13),
    "aws:cloudfront/distribution:Distribution": lambda r: "E" + r.upper(13),
    "aws:cloudfront/cachePolicy:CachePolicy": lambda r: r.uuid(),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": lambda r: r.uuid(),
    "aws:apigateway/restApi:RestApi": lambda r: r.lower(10),
    "aws:apigateway/resource:Resource": lambda r: r.lower(6),
    "aws:apigateway/method:Method": lambda r: f"agm-{r.get('restApi')}-{r.get('resourceId')}-{r.get('httpMethod')}",
    "aws:apigateway/integration:Integration": lambda r: (
        f"agi-{r.get('restApi')}-{r.get('resourceId')}-{r.get('httpMethod')}"
    ),
    "aws:apigateway/methodResponse:MethodResponse": lambda r: (
        f"agmr-{r.get('restApi')}-{r.get('resourceId')}-{r.get('httpMethod')}-{r.get('statusCode')}"
    ),
    "aws:apigateway/integrationResponse:IntegrationResponse": lambda r: (
        f"agir-{r.get('restApi')}-{r.get('resourceId')}-{r.get('httpMethod')}-{r.get('statusCode')}"
    ),
    "aws:apigateway/deployment:Deployment": lambda r: r.lower(6),
    "aws:apigateway/stage:Stage": lambda r: f"ags-{r.get('restApi')}-{r.get('stageName')}",
    "aws:apigateway/methodSettings:MethodSettings": lambda r: (
        f"{r.get('restApi')}-{r.get('stageName')}-{r.get('methodPath')}"
    ),
    "aws:apigateway/apiKey:ApiKey": lambda r: r.lower(10),
    "aws:apigateway/usagePlan:UsagePlan": lambda r: r.lower(6),
    "aws:apigateway/usagePlanKey:UsagePlanKey": lambda r: r.get("keyId"),
    "aws:iam/rolePolicy:RolePolicy": lambda r: f"{r.get('role')}:{r.get('name')}",
    "aws:sqs/queue:Queue": lambda r: f"https://sqs.{r.settings.region}.amazonaws.com/{ACCOUNT_ID}/{r.get('name')}",
    "aws:sqs/queuePolicy:QueuePolicy": lambda r: r.get("queueUrl"),
    "aws:sns/topic:Topic": lambda r: r.arn("sns", r.get("name")),
    "aws:sns/topicSubscription:TopicSubscription": lambda r: f"{r.get('topic')}:{r.uuid()}",
    "aws:cloudwatch/eventRule:EventRule": lambda r: (
        f"{r.get('eventBusName')}/{r.get('name')}" if r.get("eventBusName") not in ("", "default") else r.get("name")
    ),
    # terraform-provider-aws internal/service/events/target.go targetCreateResourceID: the bus is in the id
    # unless it is the default one.
    "aws:cloudwatch/eventTarget:EventTarget": lambda r: "-".join(
        ([] if r.get("eventBusName") in ("", "default") else [r.get("eventBusName")])
        + [r.get("rule"), r.get("targetId") or r.lower(20, "target")]
    ),
    "aws:appautoscaling/target:Target": lambda r: r.get("resourceId"),
    "aws:s3/bucketPolicy:BucketPolicy": lambda r: r.get("bucket"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": lambda r: r.get("bucket"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": lambda r: r.get("bucket"),
    "aws:s3/bucketVersioning:BucketVersioning": lambda r: r.get("bucket"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": lambda r: r.get("bucket"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": lambda r: r.get("bucket"),
    "aws:s3/bucketNotification:BucketNotification": lambda r: r.get("bucket"),
    "aws:ec2/securityGroup:SecurityGroup": lambda r: "sg-" + r.hex(17),
    "aws:ec2/vpcEndpoint:VpcEndpoint": lambda r: "vpce-" + r.hex(17),
    "aws:apigateway/restApiPolicy:RestApiPolicy": lambda r: r.get("restApiId"),
}


def _bucket(r: Resource) -> dict[str, Any]:
    b = r.id
    region = r.settings.region
    return {
        "arn": f"arn:aws:s3:::{b}",
        "bucketDomainName": f"{b}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{b}.s3.{region}.amazonaws.com",
        "hostedZoneId": "Z3AQBSTGFYJSTF",
        "region": region,
        **_tags(r),
    }


def _distribution(r: Resource) -> dict[str, Any]:
    return {
        "arn": r.arn("cloudfront", f"distribution/{r.id}", regional=False),
        "domainName": f"d{r.lower(13, 'domain')}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
        "etag": r.upper(14, "etag"),
        "callerReference": r.uuid("caller"),
        **_tags(r),
    }


def _rest_api(r: Resource) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:apigateway:{r.settings.region}::/restapis/{r.id}",
        "executionArn": r.arn("execute-api", r.id),
        "rootResourceId": r.lower(10, "root"),
        "createdDate": "2026-01-01T00:00:00Z",
        **_tags(r),
    }


def _stage(r: Resource) -> dict[str, Any]:
    api, stage = r.get("restApi"), r.get("stageName")
    return {
        "arn": f"arn:aws:apigateway:{r.settings.region}::/restapis/{api}/stages/{stage}",
        "executionArn": r.arn("execute-api", f"{api}/{stage}"),
        "invokeUrl": f"https://{api}.execute-api.{r.settings.region}.amazonaws.com/{stage}",
        **_tags(r),
    }


def _vpc_endpoint(r: Resource) -> dict[str, Any]:
    service = r.get("serviceName")
    out: dict[str, Any] = {
        "arn": r.arn("ec2", f"vpc-endpoint/{r.id}"),
        "ownerId": ACCOUNT_ID,
        "state": "available",
        **_tags(r),
    }
    if r.get("vpcEndpointType", "Gateway") == "Gateway":
        # The region's AWS-managed prefix list of the service (com.amazonaws.<region>.s3).
        out["prefixListId"] = "pl-" + hashlib.sha256(service.encode()).hexdigest()[:8]
    else:
        out["dnsEntries"] = [{"dnsName": f"{r.id}-{r.lower(8, 'dns')}.{service.rsplit('.', 1)[-1]}.vpce.amazonaws.com"}]
    return out


AWS_OUTPUTS: dict[str, Outputs] = {
    "aws:kms/key:Key": lambda r: {"arn": r.arn("kms", f"key/{r.id}"), "keyId": r.id, **_tags(r)},
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketObjectv2:BucketObjectv2": lambda r: {
        "arn": f"arn:aws:s3:::{r.get('bucket')}/{r.get('key')}",
        "etag": r.hex(32, "etag" + r.revision),
        "versionId": r.lower(32, "version" + r.revision),
        **_tags(r),
    },
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:cloudfront/originAccessControl:OriginAccessControl": lambda r: {"etag": r.upper(14, "etag")},
    "aws:cloudfront/cachePolicy:CachePolicy": lambda r: {"etag": r.upper(14, "etag")},
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": lambda r: {"etag": r.upper(14, "etag")},
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/resource:Resource": lambda r: {"path": "/" + r.get("pathPart")},
    "aws:apigateway/deployment:Deployment": lambda r: {"createdDate": "2026-01-01T00:00:00Z"},
    "aws:apigateway/stage:Stage": _stage,
    "aws:apigateway/apiKey:ApiKey": lambda r: {
        "arn": f"arn:aws:apigateway:{r.settings.region}::/apikeys/{r.id}",
        "createdDate": "2026-01-01T00:00:00Z",
        **_tags(r),
    },
    "aws:apigateway/usagePlan:UsagePlan": lambda r: {
        "arn": f"arn:aws:apigateway:{r.settings.region}::/usageplans/{r.id}",
        **_tags(r),
    },
    "aws:apigateway/usagePlanKey:UsagePlanKey": lambda r: {"name": f"key-{r.get('keyId')}"},
    "aws:iam/role:Role": lambda r: {
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{r.id}",
        "uniqueId": "AROA" + r.upper(17, "unique"),
        "createDate": "2026-01-01T00:00:00Z",
        **_tags(r),
    },
    "aws:sqs/queue:Queue": lambda r: {"arn": r.arn("sqs", r.get("name")), "url": r.id, **_tags(r)},
    "aws:sns/topic:Topic": lambda r: {"arn": r.id, "owner": ACCOUNT_ID, **_tags(r)},
    "aws:sns/topicSubscription:TopicSubscription": lambda r: {
        "arn": r.id,
        "ownerId": ACCOUNT_ID,
        "pendingConfirmation": r.get("protocol") == "email",
    },
    "aws:cloudwatch/eventBus:EventBus": lambda r: {"arn": r.arn("events", f"event-bus/{r.id}"), **_tags(r)},
    "aws:cloudwatch/eventArchive:EventArchive": lambda r: {"arn": r.arn("events", f"archive/{r.id}")},
    "aws:cloudwatch/eventRule:EventRule": lambda r: {"arn": r.arn("events", f"rule/{r.id}"), **_tags(r)},
    "aws:cloudwatch/eventTarget:EventTarget": lambda r: {"targetId": r.get("targetId") or r.lower(20, "target")},
    "aws:cloudwatch/metricAlarm:MetricAlarm": lambda r: {
        "arn": r.arn("cloudwatch", f"alarm:{r.id}"),
        **_tags(r),
    },
    "aws:sagemaker/model:Model": lambda r: {"arn": r.arn("sagemaker", f"model/{r.id.lower()}"), **_tags(r)},
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": lambda r: {
        "arn": r.arn("sagemaker", f"endpoint-config/{r.id.lower()}"),
        **_tags(r),
    },
    "aws:sagemaker/endpoint:Endpoint": lambda r: {"arn": r.arn("sagemaker", f"endpoint/{r.id.lower()}"), **_tags(r)},
    "aws:ec2/securityGroup:SecurityGroup": lambda r: {
        "arn": r.arn("ec2", f"security-group/{r.id}"),
        "ownerId": ACCOUNT_ID,
        **_tags(r),
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": _vpc_endpoint,
    "aws:apigateway/restApiPolicy:RestApiPolicy": lambda r: {},
    "aws:appautoscaling/target:Target": lambda r: {
        "arn": r.arn("application-autoscaling", f"scalable-target/{r.lower(32, 'target')}"),
        **_tags(r),
    },
    "aws:appautoscaling/policy:Policy": lambda r: {
        "arn": r.arn(
            "autoscaling",
            f"scalingPolicy:{r.uuid()}:resource/{r.get('serviceNamespace')}/{r.get('resourceId')}:policyName/{r.id}",
        ),
        "alarmArns": [],
    },
}


def _aws_generic_outputs(r: Resource) -> dict[str, Any]:
    service = r.token.split(":")[1].split("/")[0]
    return {"arn": r.arn(service, r.id), **_tags(r)}


def _aws_region(args: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    region = str(args.get("region") or args.get("name") or settings.region)
    return {
        "description": f"fakecloud region {region}",
        "endpoint": f"ec2.{region}.amazonaws.com",
        "id": region,
        "name": region,
        "region": region,
    }


def _aws_vpc(args: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """A VPC the user names (fakecloud holds no networks: every id is a VPC with one address range)."""
    vpc = str(args.get("id"))
    return {
        "id": vpc,
        "arn": f"arn:aws:ec2:{settings.region}:{ACCOUNT_ID}:vpc/{vpc}",
        "cidrBlock": "10.0.0.0/16",
        "cidrBlockAssociations": [
            {"associationId": "vpc-cidr-assoc-" + digest(vpc)[:17], "cidrBlock": "10.0.0.0/16", "state": "associated"}
        ],
        "enableDnsHostnames": True,
        "enableDnsSupport": True,
        "ownerId": ACCOUNT_ID,
        "state": "available",
    }


def _aws_vpc_endpoint(args: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """An S3 gateway endpoint the user names (fakecloud holds no networks: every id is one)."""
    service = f"com.amazonaws.{settings.region}.s3"
    return {
        "id": str(args.get("id")),
        "serviceName": service,
        "vpcEndpointType": "Gateway",
        "prefixListId": "pl-" + hashlib.sha256(service.encode()).hexdigest()[:8],
        "state": "available",
    }


AWS_INVOKES: dict[str, Callable[[Mapping[str, Any], Settings], dict[str, Any]]] = {
    "aws:index/getRegion:getRegion": _aws_region,
    "aws:index/getCallerIdentity:getCallerIdentity": lambda args, s: {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/fakecloud",
        "id": ACCOUNT_ID,
        "userId": "AIDAFAKECLOUDTESTDOUBLE",
    },
    "aws:ec2/getVpc:getVpc": _aws_vpc,
    "aws:ec2/getVpcEndpoint:getVpcEndpoint": _aws_vpc_endpoint,
    "aws:index/getPartition:getPartition": lambda args, s: {
        "dnsSuffix": "amazonaws.com",
        "id": "aws",
        "partition": "aws",
        "reverseDnsPrefix": "com.amazonaws",
    },
}

# ---------------------------------------------------------------- azure-native


# Azure resource provider namespaces of the azure-native modules in use.
AZURE_NAMESPACES = {
    "apimanagement": "ApiManagement",
    "applicationinsights": "Insights",
    "authorization": "Authorization",
    "cdn": "Cdn",
    "eventgrid": "EventGrid",
    "insights": "Insights",
    "keyvault": "KeyVault",
    "machinelearningservices": "MachineLearningServices",
    "monitor": "Insights",
    "operationalinsights": "OperationalInsights",
    "privatedns": "Network",
    "resources": "Resources",
    "storage": "Storage",
}


def _azure_type(token: str) -> str:
    """`azure-native:storage:StorageAccount` -> `Microsoft.Storage/storageAccounts`."""
    _, module, kind = token.split(":")
    namespace = "Microsoft." + AZURE_NAMESPACES.get(module, module[:1].upper() + module[1:])
    plural = kind[:1].lower() + kind[1:]
    plural = plural + ("es" if plural.endswith(("s", "x")) else "s")
    return f"{namespace}/{plural}"


# The inputs that name an Azure resource (and its parents) are part of its id: changing
# one is a new resource, as is a new location.
AZURE_NOT_NAMES = frozenset({"displayName", "friendlyName", "description"})


def _azure_name_key(token: str, inputs: Mapping[str, Any]) -> str | None:
    """The input naming the resource itself: `<kind>Name`, or `<x>Name` where the kind ends in X
    (StorageAccount: accountName; BlobContainer: containerName), or `name`."""
    kind = token.split(":")[-1]
    own = kind[:1].lower() + kind[1:] + "Name"
    if own in inputs:
        return own
    for key in inputs:
        stem = key.removesuffix("Name")
        if key.endswith("Name") and stem and kind.endswith(stem[:1].upper() + stem[1:]):
            return key
    return "name" if "name" in inputs else None


def _azure_name(r: Resource) -> str:
    key = _azure_name_key(r.token, r.inputs)
    if key is not None and r.inputs.get(key):
        return r.get(key)
    if r.token == "azure-native:resources:ResourceGroup":
        return r.get("resourceGroupName") or f"{r.name}{r.hex(8)}"
    return f"{r.name}{r.hex(8)}"


# ARM ids of nested resources: their parents' names are part of the id, so two resources of one
# name under two parents (a model version in two workspaces, a blob in two accounts) are two
# resources, and a parent's delete finds its children (rules.py Azure-6, Azure-9).
AZURE_NESTED_PATHS = {
    "azure-native:machinelearningservices:ModelVersion": (
        "Microsoft.MachineLearningServices/workspaces/{workspaceName}/models/{name}/versions/{version}"
    ),
    "azure-native:machinelearningservices:EnvironmentVersion": (
        "Microsoft.MachineLearningServices/workspaces/{workspaceName}/environments/{name}/versions/{version}"
    ),
    "azure-native:machinelearningservices:OnlineEndpoint": (
        "Microsoft.MachineLearningServices/workspaces/{workspaceName}/onlineEndpoints/{endpointName}"
    ),
    "azure-native:machinelearningservices:OnlineDeployment": (
        "Microsoft.MachineLearningServices/workspaces/{workspaceName}/onlineEndpoints/{endpointName}"
        "/deployments/{deploymentName}"
    ),
    "azure-native:machinelearningservices:Datastore": (
        "Microsoft.MachineLearningServices/workspaces/{workspaceName}/datastores/{name}"
    ),
    "azure-native:storage:BlobServiceProperties": "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default",
    "azure-native:storage:BlobContainer": (
        "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}"
    ),
    "azure-native:storage:Blob": (
        "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}"
        "/blobs/{blobName}"
    ),
    "azure-native:storage:Queue": "Microsoft.Storage/storageAccounts/{accountName}/queueServices/default/queues/{queueName}",
    # Issue 21: private endpoints' DNS zone groups, private DNS zones (ARM type privateDnsZones) and their links.
    "azure-native:network:PrivateDnsZoneGroup": (
        "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}"
    ),
    "azure-native:privatedns:PrivateZone": "Microsoft.Network/privateDnsZones/{privateZoneName}",
    "azure-native:privatedns:VirtualNetworkLink": (
        "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}"
    ),
}


def _azure_id(r: Resource) -> str:
    name = _azure_name(r)
    if r.token == "azure-native:resources:ResourceGroup":
        return f"/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/{arm_escape(name)}"
    nested = AZURE_NESTED_PATHS.get(r.token)
    parents = re.findall(r"\{(\w+)\}", nested) if nested else []
    if nested and all(r.inputs.get(k) is not None for k in parents):
        path = nested.format_map({k: arm_escape(r.get(k)) for k in parents})
        group = arm_escape(r.get("resourceGroupName", "rg"))
        return f"/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/{group}/providers/{path}"
    rid = r.azure_id(_azure_type(r.token), name)
    # A model or environment version is `.../<name>/versions/<version>`.
    version = r.get("version")
    return f"{rid}/versions/{arm_escape(version)}" if r.token.endswith("Version") and version else rid


# Resources that live inside another one and have no location of their own.
AZURE_UNLOCATED = frozenset(
    {
        "azure-native:authorization:RoleAssignment",
        "azure-native:storage:BlobContainer",
        "azure-native:storage:Queue",
        "azure-native:storage:BlobServiceProperties",
        "azure-native:network:PrivateDnsZoneGroup",
    }
)


# Resources whose `type` property is their own setting (a blob's BlobType), not the ARM type.
AZURE_TYPED = frozenset({"azure-native:storage:Blob"})


def _azure_outputs(r: Resource) -> dict[str, Any]:
    key = _azure_name_key(r.token, r.inputs)
    # The given name (which may hold slashes: a blob's), else the one in the id.
    name = r.get(key) if key is not None and r.inputs.get(key) else r.id.rsplit("/", 1)[-1]
    outputs: dict[str, Any] = {
        "name": name,
        "azureApiVersion": "2024-01-01",
        "provisioningState": "Succeeded",
    }
    if r.token not in AZURE_TYPED:
        outputs["type"] = _azure_type(r.token)
    if r.token not in AZURE_UNLOCATED:
        outputs["location"] = r.get("location", r.settings.location)
    identity = r.inputs.get("identity")
    if isinstance(identity, Mapping) and "SystemAssigned" in str(identity.get("type") or ""):
        # A system-assigned identity's service principal, which role assignments name.
        outputs["identity"] = {"principalId": r.uuid("principal"), "tenantId": AZURE_TENANT}
    extra = AZURE_EXTRA.get(r.token)
    if extra is not None:
        outputs.update(extra(r, name))
    return outputs


def _region(r: Resource) -> str:
    """An Azure location as ARM names it in URLs ("West Europe" -> "westeurope")."""
    return r.get("location", r.settings.location).replace(" ", "").lower()


AZURE_UUID_NAMED = frozenset({"azure-native:authorization:RoleAssignment"})
"""Types whose generated name is a GUID (azure-native's AutoNameUuid)."""


def azure_name_property(token: str) -> str | None:
    """The input that names an azure-native resource, which azure-native generates when it is left out."""
    names = input_names("azure-native", token)
    return _azure_name_key(token, dict.fromkeys(names)) if names else None


AZURE_EXTRA: dict[str, Callable[[Resource, str], dict[str, Any]]] = {
    "azure-native:storage:StorageAccount": lambda r, n: {
        "primaryEndpoints": {
            "blob": f"https://{n}.blob.core.windows.net/",
            "queue": f"https://{n}.queue.core.windows.net/",
            "web": f"https://{n}.z6.web.core.windows.net/",
        }
    },
    "azure-native:cdn:AFDEndpoint": lambda r, n: {"hostName": f"{n}-{r.lower(16, 'host')}.z01.azurefd.net"},
    "azure-native:apimanagement:ApiManagementService": lambda r, n: {
        "gatewayUrl": f"https://{n}.azure-api.net",
        "managementApiUrl": f"https://{n}.management.azure-api.net",
    },
    # The scoring URI names the region as ARM does: "West Europe" is "westeurope" (issue 11, Azure 9).
    "azure-native:machinelearningservices:OnlineEndpoint": lambda r, n: {
        "properties": {
            "scoringUri": f"https://{n}.{_region(r)}.inference.ml.azure.com/score",
            "swaggerUri": f"https://{n}.{_region(r)}.inference.ml.azure.com/swagger.json",
            "provisioningState": "Succeeded",
        }
    },
    "azure-native:eventgrid:Topic": lambda r, n: {
        "endpoint": f"https://{n}.{r.get('location', r.settings.location)}-1.eventgrid.azure.net/api/events"
    },
    "azure-native:insights:Component": lambda r, n: {
        "instrumentationKey": r.uuid("ikey"),
        "connectionString": f"InstrumentationKey={r.uuid('ikey')}",
        "appId": r.uuid("app"),
    },
    "azure-native:operationalinsights:Workspace": lambda r, n: {"customerId": r.uuid("customer")},
}


def _azure_replace(token: str, key: str) -> bool:
    """Names (and a `*Version` resource's `version`) are in the resource's id; the location too."""
    in_id = key.endswith("Name") and key not in AZURE_NOT_NAMES
    return key == "location" or in_id or (key == "version" and token.endswith("Version"))


AZURE_INVOKES: dict[str, Callable[[Mapping[str, Any], Settings], dict[str, Any]]] = {
    "azure-native:authorization:getClientConfig": lambda args, s: {
        "clientId": "22222222-2222-2222-2222-222222222222",
        "objectId": "33333333-3333-3333-3333-333333333333",
        "subscriptionId": AZURE_SUBSCRIPTION,
        "tenantId": AZURE_TENANT,
    },
    "azure-native:machinelearningservices:listOnlineEndpointKeys": lambda args, s: {
        "primaryKey": digest("primary", args)[:32],
        "secondaryKey": digest("secondary", args)[:32],
    },
}

# ---------------------------------------------------------------- random

_B64URL = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def _random_id(r: Resource) -> dict[str, Any]:
    size = int(float(r.inputs.get("byteLength") or 8))
    raw = bytes.fromhex(r.hex(2 * size, "bytes"))
    url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return {
        "hex": raw.hex(),
        "b64Url": url,
        "b64Std": base64.b64encode(raw).decode(),
        "dec": str(int.from_bytes(raw, "big")),
    }


def _charset(r: Resource, default_special: bool) -> str:
    def on(key: str, default: bool) -> bool:
        value = r.inputs.get(key)
        return default if value is None else bool(value)

    chars = ""
    if on("upper", True):
        chars += string.ascii_uppercase
    if on("lower", True):
        chars += string.ascii_lowercase
    if on("numeric", True):
        chars += string.digits
    if on("special", default_special):
        chars += r.get("overrideSpecial") or "!@#$%&*()-_=+[]{}<>:?"
    return chars or string.ascii_lowercase


def _random_password(r: Resource) -> dict[str, Any]:
    value = r.chars(int(float(r.inputs.get("length") or 16)), _charset(r, True), "result")
    return {"result": secret(value), "bcryptHash": secret("$2a$10$" + r.chars(53, _B64URL, "bcrypt"))}


def _random_string(r: Resource) -> dict[str, Any]:
    return {"result": r.chars(int(float(r.inputs.get("length") or 16)), _charset(r, True), "result")}


def _random_integer(r: Resource) -> dict[str, Any]:
    low, high = int(float(r.inputs.get("min") or 0)), int(float(r.inputs.get("max") or 0))
    return {"result": float(low + int(r.hex(8, "int"), 16) % (max(high, low) - low + 1))}


RANDOM_OUTPUTS: dict[str, Outputs] = {
    "random:index/randomId:RandomId": _random_id,
    "random:index/randomPassword:RandomPassword": _random_password,
    "random:index/randomString:RandomString": _random_string,
    "random:index/randomPet:RandomPet": lambda r: {"id": f"fake-{r.lower(6, 'pet')}"},
    "random:index/randomInteger:RandomInteger": _random_integer,
    "random:index/randomUuid:RandomUuid": lambda r: {"result": r.uuid("result")},
}

RANDOM_IDS: dict[str, IdRule] = {
    "random:index/randomId:RandomId": lambda r: _random_id(r)["b64Url"],
    "random:index/randomPassword:RandomPassword": lambda r: "none",
    "random:index/randomString:RandomString": lambda r: _random_string(r)["result"],
    "random:index/randomUuid:RandomUuid": lambda r: r.uuid("result"),
}

CLOUDS: dict[str, Cloud] = {
    "aws": Cloud(
        package="aws",
        autonames=AWS_NAMED,
        replaces=AWS_REPLACES,
        ids=AWS_IDS,
        outputs=AWS_OUTPUTS,
        invokes=AWS_INVOKES,
        default_id=_aws_name,
        default_outputs=_aws_generic_outputs,
        bridged=True,
    ),
    "azure-native": Cloud(
        package="azure-native",
        autonames={},
        replaces={},
        ids={},
        outputs={},
        invokes=AZURE_INVOKES,
        default_id=_azure_id,
        default_outputs=_azure_outputs,
        replace_rule=_azure_replace,
    ),
    "random": Cloud(
        package="random",
        autonames={},
        # Every random resource is replaced when any of its inputs (keepers too) change.
        replaces=dict.fromkeys(RANDOM_OUTPUTS, (ANY,)),
        ids=RANDOM_IDS,
        outputs=RANDOM_OUTPUTS,
        invokes={},
        default_id=lambda r: r.lower(12),
        default_outputs=lambda r: {},
        replace_rule=lambda token, key: True,
        from_inputs=True,
        bridged=True,
    ),
}
