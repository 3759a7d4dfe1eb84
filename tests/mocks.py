"""Construction under `pulumi.runtime.set_mocks`: a recording monitor and helpers.

The monitor keeps what components register with `register_outputs`, as the engine
does, so a ModelRelease can read its platform through `pulumi:pulumi:getResource`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import grpc  # type: ignore[import-untyped]
import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.sync_await import _sync_await

T = TypeVar("T")
PROJECT = "project"
STACK = "stack"
ACCOUNT = "123456789012"
REGION = "eu-west-1"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"
TENANT = "00000000-0000-0000-0000-000000000002"


def urn(typ: str, name: str) -> str:
    """The URN the mock monitor gives a top-level resource."""
    return f"urn:pulumi:{STACK}::{PROJECT}::{typ}::{name}"


class EngineInvokeError(grpc.RpcError):  # type: ignore[misc]
    """An invoke the engine fails: a provider's Invoke error, as the engine's resource monitor returns it
    (`invocation of <token> returned an error: <the provider's error>`, pkg/resource/deploy/source_eval.go)."""

    def __init__(self, token: str, error: str) -> None:
        super().__init__(f"invocation of {token} returned an error: {error}")
        self.message = f"invocation of {token} returned an error: {error}"

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNKNOWN

    def details(self) -> str:
        return self.message


# The get invokes of Azure ML asset versions, and the ARM path segment of each.
ML_VERSION_INVOKES = {
    "azure-native:machinelearningservices:getModelVersion": "models",
    "azure-native:machinelearningservices:getEnvironmentVersion": "environments",
}


# ARNs shaped as AWS makes them (arn:<partition>:<service>:<region>:<account>:<resource>), so what a child
# passes on (a role's ARN to a SageMaker model, an event bus's to its archive) meets the service models' ARN
# patterns (tests/fakecloud/apimodels). Where the service or resource form is not the token's: the table.
ARN_FORMS = {
    "aws:iam/role:Role": ("iam", "", "role/"),
    "aws:s3/bucket:Bucket": ("s3", "", ""),
    "aws:cloudfront/distribution:Distribution": ("cloudfront", "", "distribution/"),
    "aws:cloudwatch/eventBus:EventBus": ("events", REGION, "event-bus/"),
    "aws:cloudwatch/eventRule:EventRule": ("events", REGION, "rule/"),
    "aws:cloudwatch/eventArchive:EventArchive": ("events", REGION, "archive/"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("cloudwatch", REGION, "alarm:"),
    "aws:sqs/queue:Queue": ("sqs", REGION, ""),
    "aws:sns/topic:Topic": ("sns", REGION, ""),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": ("sagemaker", REGION, "endpoint-config/"),
}


def aws_arn(token: str, name: str) -> str:
    """The ARN the mock gives a pulumi-aws resource of this type and name."""
    module = token.split(":")[1].split("/")[0]
    service, region, prefix = ARN_FORMS.get(token, (module, REGION, token.split(":")[-1].lower() + "/"))
    account = "" if service == "s3" else ACCOUNT
    return f"arn:aws:{service}:{region}:{account}:{prefix}{name}"


def plain_json(value: Any) -> Any:
    """Assets and archives as their kind and path (the rest of the inputs are JSON already)."""
    if isinstance(value, (pulumi.Asset, pulumi.Archive)):
        return {type(value).__name__: getattr(value, "path", None) or getattr(value, "text", None)}
    raise TypeError(f"no JSON for {value!r}")


def azure_not_found(arm_id: str) -> str:
    """azure-native's Invoke error for a GET answered 404 (provider.go Invoke: `request failed <id>: ` and
    azure/client_azcore.go's PulumiAzcoreResponseError)."""
    return f'request failed {arm_id}: Status=404 Code="ResourceNotFound" Message="The resource was not found."'


def ml_id(workspace: str, resource_group: str, path: str) -> str:
    """The ARM id of an Azure ML workspace child (`models/<name>/versions/<version>`, ...)."""
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{resource_group}/providers/"
        f"Microsoft.MachineLearningServices/workspaces/{workspace}/{path}"
    )


@dataclass
class Registered:
    typ: str
    name: str
    inputs: dict[str, Any]
    custom: bool


@dataclass
class Recorder(pulumi.runtime.Mocks):
    """Returns deterministic ids and outputs, and records every resource."""

    resources: list[Registered] = field(default_factory=list)
    # Every invoke: (token, arguments).
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Azure ML online deployments that exist already, by deployment name: their instance count
    # (what `getOnlineDeployment` reads). Any other deployment is not found, as in Azure.
    existing_deployments: ClassVar[dict[str, int]] = {}
    # Azure ML asset versions the cloud holds already, as (`models` or `environments`, name, version).
    existing_versions: ClassVar[set[tuple[str, str, str]]] = set()
    # Invokes that fail otherwise than not-found: token -> the provider's error text.
    failing_invokes: ClassVar[dict[str, str]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(Registered(args.typ, args.name, dict(args.inputs), bool(args.custom)))
        if not args.custom:
            return None, {}
        state = dict(args.inputs)
        # An imported resource keeps the id it was imported with, as in the engine.
        rid = args.resource_id or f"{args.name}-id"
        state.setdefault("arn", aws_arn(args.typ, args.name))
        extra: dict[str, Any] = {
            "aws:s3/bucket:Bucket": {
                "bucket": f"{args.name}-bucket",
                "bucketRegionalDomainName": f"{args.name}.s3.{REGION}.amazonaws.com",
            },
            "aws:cloudfront/distribution:Distribution": {"domainName": "d111111abcdef8.cloudfront.net"},
            "aws:apigateway/restApi:RestApi": {"rootResourceId": "root-id"},
            "aws:sqs/queue:Queue": {"url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{args.name}"},
            "aws:cloudwatch/eventBus:EventBus": {"name": f"{args.name}-bus"},
            "aws:cloudwatch/metricAlarm:MetricAlarm": {"name": f"{args.name}-alarm"},
            "aws:sagemaker/model:Model": {"name": f"{args.name}-model"},
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {"name": f"{args.name}-cfg"},
            "aws:ec2/vpcEndpoint:VpcEndpoint": {"prefixListId": "pl-6ca54005"},
            "random:index/randomId:RandomId": {"hex": "0a1b2c3d"},
            "azure-native:cdn:AFDEndpoint": {"hostName": "ml-cdn-endpoint-e4fzbzdxajb4acdu.z01.azurefd.net"},
            "random:index/randomPassword:RandomPassword": {"result": "generated-api-key-value"},
        }
        state.update({k: v for k, v in extra.get(args.typ, {}).items() if k not in args.inputs})
        if args.typ.startswith("azure-native:"):
            # azure-native returns the resource's name and its identity's principal.
            state.setdefault("name", args.name)
            if isinstance(state.get("identity"), dict):
                state["identity"] = {**state["identity"], "principalId": f"{args.name}-principal"}
        if args.typ == "azure-native:machinelearningservices:OnlineEndpoint":
            # Azure ML computes the scoring URI from the region's short name (`West Europe` -> westeurope).
            region = str(args.inputs.get("location", "")).replace(" ", "").lower()
            state["properties"] = {
                **state.get("properties", {}),
                "scoringUri": f"https://{args.inputs.get('endpointName')}.{region}.inference.ml.azure.com/score",
            }
        return rid, state

    def call(  # type: ignore[override]
        self, args: pulumi.runtime.MockCallArgs
    ) -> dict[str, Any] | tuple[dict[str, Any], list[tuple[str, str]]]:
        self.calls.append((args.token, dict(args.args)))
        if args.token in self.failing_invokes:
            raise EngineInvokeError(args.token, self.failing_invokes[args.token])
        where = (str(args.args.get("workspaceName")), str(args.args.get("resourceGroupName")))
        if args.token == "azure-native:machinelearningservices:getOnlineDeployment":
            endpoint, deployment = args.args.get("endpointName"), str(args.args.get("deploymentName"))
            capacity = self.existing_deployments.get(deployment)
            if capacity is None:
                path = f"onlineEndpoints/{endpoint}/deployments/{deployment}"
                raise EngineInvokeError(args.token, azure_not_found(ml_id(*where, path)))
            return {"sku": {"name": "Default", "capacity": capacity}}
        kind = ML_VERSION_INVOKES.get(args.token)
        if kind is not None:
            name, version = str(args.args.get("name")), str(args.args.get("version"))
            arm_id = ml_id(*where, f"{kind}/{name}/versions/{version}")
            if (kind, name, version) not in self.existing_versions:
                raise EngineInvokeError(args.token, azure_not_found(arm_id))
            return {"id": arm_id, "name": version, "properties": {}}
        answers: dict[str, dict[str, Any]] = {
            "aws:index/getRegion:getRegion": {"region": REGION, "name": REGION},
            "aws:index/getCallerIdentity:getCallerIdentity": {"accountId": ACCOUNT},
            "aws:index/getPartition:getPartition": {"partition": "aws"},
            # The network a private platform names (issue 21): its VPC's address ranges, and the prefix
            # list of an S3 gateway endpoint it already has.
            "aws:ec2/getVpc:getVpc": {
                "id": str(args.args.get("id")),
                "cidrBlock": "10.0.0.0/16",
                "cidrBlockAssociations": [
                    {"associationId": "vpc-cidr-assoc-0a1b2c3d", "cidrBlock": "10.0.0.0/16", "state": "associated"},
                    {"associationId": "vpc-cidr-assoc-0a1b2c3e", "cidrBlock": "10.1.0.0/16", "state": "associated"},
                ],
            },
            "aws:ec2/getVpcEndpoint:getVpcEndpoint": {
                "id": str(args.args.get("id")),
                "prefixListId": "pl-6ca54005",
                "vpcEndpointType": "Gateway",
            },
            "azure-native:authorization:getClientConfig": {
                "subscriptionId": SUBSCRIPTION,
                "tenantId": TENANT,
                "clientId": "client",
                "objectId": "object",
            },
            "azure-native:machinelearningservices:listOnlineEndpointKeys": {
                "primaryKey": "endpoint-primary-key",
                "secondaryKey": "endpoint-secondary-key",
            },
        }
        return answers.get(args.token, {})

    def of_type(self, typ: str) -> list[Registered]:
        return [r for r in self.resources if r.typ == typ]

    def one(self, typ: str, name: str | None = None) -> Registered:
        found = [r for r in self.of_type(typ) if name is None or r.name == name]
        assert len(found) == 1, f"expected one {typ} {name or ''}, found {[r.name for r in found]}"
        return found[0]

    def types(self) -> list[str]:
        return sorted(r.typ for r in self.resources)

    def api_model_violations(self, since: int = 0) -> list[str]:
        """What the clouds' published API models refuse in the recorded cloud resources (tests/fakecloud/apimodels),
        each with its physical name filled in as the Pulumi provider's autonamer does (fakecloud's Check); `since`:
        only the resources recorded after the first `since`."""
        from tests.fakecloud import apimodels
        from tests.fakecloud.clouds import CLOUDS
        from tests.fakecloud.wire import reveal

        found: list[str] = []
        for r in self.resources[since:]:
            package = r.typ.split(":")[0]
            if not r.custom or package not in apimodels.PACKAGES:
                continue
            given = json.loads(json.dumps(reveal(r.inputs), default=plain_json))
            inputs = CLOUDS[package].autoname(r.typ, r.name, urn(r.typ, r.name), given, {}, 0)
            # `required` is left to the contract tests of exact inputs (tests/contract/test_apimodels_*): here an
            # input the program left unknown (an Output the fuzzer gives) is recorded as None, like a missing one.
            found += [
                f"{r.typ} {r.name}: {v.message()}" for v in apimodels.check(r.typ, inputs) if v.constraint != "required"
            ]
        return found


class EngineLikeMonitor(pulumi_mocks.MockMonitor):
    """A MockMonitor that also keeps component outputs, as the engine does, and the
    resource options the engine acts on (ignoreChanges, retainOnDelete) by resource name."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.options: dict[str, dict[str, Any]] = {}
        # The URN of each resource's parent, by (type, name) ("" for none).
        self.parents: dict[tuple[str, str], str] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        self.parents[(request.type, request.name)] = request.parent
        self.options[request.name] = {
            "ignoreChanges": list(request.ignoreChanges),
            "retainOnDelete": request.retainOnDelete if request.HasField("retainOnDelete") else False,
            "protect": request.protect if request.HasField("protect") else False,
            # None: the provider decides (the Terraform bridge: delete first when a name is set).
            "deleteBeforeReplace": request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None,
            # The id to import (the `import` option), None without one.
            "import": request.importId or None,
            "dependencies": list(request.dependencies),
            # The old names a child keeps (as alias specs or URNs, whichever the SDK sends).
            "aliases": [a.spec.name for a in request.aliases if a.HasField("spec") and a.spec.name]
            + [urn.split("::")[-1] for urn in request.aliasURNs],
        }
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        # The engine returns the outputs a resource lists as additionalSecretOutputs as secrets
        # (pulumi-random's `result`): so must the mocks, or secrecy tests see plain values.
        for key in request.additionalSecretOutputs:
            if key in response.object.fields:
                value = json_format.MessageToDict(response.object.fields[key])
                response.object[key] = {rpc._special_sig_key: rpc._special_secret_sig, "value": value}
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        outputs = rpc.deserialize_properties(request.outputs)
        registered = self.resources.get(request.urn)
        if registered is not None:
            self.resources[request.urn] = pulumi_mocks.MockMonitor.ResourceRegistration(
                registered.urn, registered.id, {**registered.state, **outputs}
            )
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


def install(preview: bool = False) -> Recorder:
    """Fresh mocks for one test."""
    recorder = Recorder()
    pulumi.runtime.set_mocks(
        recorder, project=PROJECT, stack=STACK, preview=preview, monitor=EngineLikeMonitor(recorder)
    )
    return recorder


def run(program: Callable[[], T]) -> T:
    """Run a program under the mocks and wait until every resource is registered."""
    holder: list[T] = []

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def wrapped() -> None:
        holder.append(program())

    wrapped()
    return holder[0]


def resolve(output: Any) -> Any:
    """The value of an Output (or plain value) under the mocks."""
    return _sync_await(pulumi.Output.from_input(output).future())


def secret_input(value: Any) -> dict[str, Any]:
    """How a recorded input that is marked secret looks."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def is_secret(output: Any) -> bool:
    return bool(_sync_await(pulumi.Output.from_input(output).is_secret()))


def plain(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


def monitor() -> EngineLikeMonitor:
    """The monitor the mocks run against."""
    current = pulumi.runtime.settings.get_monitor()
    assert isinstance(current, EngineLikeMonitor)
    return current


def assert_parented_to_their_components(recorder: Recorder, platform: Any, release: Any) -> None:
    """Every child is parented to exactly the component that built it: the platform's children
    (registered after the platform), then the release's (after the release)."""
    parents = monitor().parents
    kinds = [r.typ for r in recorder.resources]
    assert kinds[0] == "mlserving:index:MLServingPlatform"
    split = kinds.index("mlserving:index:ModelRelease")
    of_platform, of_release = recorder.resources[1:split], recorder.resources[split + 1 :]
    assert len(of_platform) >= 30
    assert len(of_release) >= 10
    for children, component in ((of_platform, platform), (of_release, release)):
        urn = resolve(component.urn)
        assert {(r.typ, r.name): parents[(r.typ, r.name)] for r in children} == {(r.typ, r.name): urn for r in children}
