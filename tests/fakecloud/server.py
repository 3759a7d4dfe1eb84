"""fakecloud: a TEST DOUBLE of the aws, azure-native and random provider plugins.

It speaks the real provider gRPC protocol (pulumirpc.ResourceProvider) to the real
Pulumi engine, well enough for preview, up, update, refresh and destroy, and creates
nothing anywhere: ids, ARNs, domain names and URLs are derived from each resource's
type, URN and inputs, and from how many resources its URN had before (see clouds.py and
rules.py, Draw). During a preview it answers with unknowns where a real provider computes
a value. With `FAKECLOUD_RECORD=<file>` every call is appended
to <file> as one JSON line (secrets masked), for tests.

Started like any plugin: `pulumi-resource-<package> <engine address>`; it prints its
port and serves until the engine closes it (SIGINT/SIGTERM) or its parent goes away.
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent import futures
from typing import Any

import grpc  # type: ignore[import-untyped]
from google.protobuf import any_pb2, empty_pb2

# pulumi's own copy of google.rpc.Status: googleapis-common-protos' google.rpc.status_pb2 defines the same
# symbol, and one process cannot load both (the contract tests load pulumi's).
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc, status_pb2

from tests.fakecloud import kms
from tests.fakecloud.clouds import CLOUDS, Cloud, Resource, Settings
from tests.fakecloud.packages import PACKAGES, plugin_versions
from tests.fakecloud.rules import (
    CLOUDCONTROL_GET,
    GET_ENVIRONMENT_VERSION,
    GET_MODEL_VERSION,
    GET_ONLINE_DEPLOYMENT,
    SAGEMAKER_CONFIG,
    SAGEMAKER_ENDPOINT,
    Call,
    Effect,
    arm_error,
    arm_path,
    aws_api_error,
    creation_number,
    current_config,
    deploys,
    guardrails_apply,
    identity,
    judge,
)
from tests.fakecloud.state import FAIL_UPDATE, CloudState, Record
from tests.fakecloud.wire import UNKNOWN, contains_unknown, digest, from_struct, is_secret, masked, reveal, to_struct

__all__ = ["FakeCloud", "main", "serve"]

RECORD_ENV = "FAKECLOUD_RECORD"
DESCRIPTION = "fakecloud: a test double of the {package} provider (nothing is created in any cloud)"


def _parse_urn(urn: str) -> tuple[str, str]:
    """(type token, name) of `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`."""
    parts = urn.split("::")
    return parts[2].split("$")[-1], "::".join(parts[3:])


class Recorder:
    """Appends one JSON object per call to a file shared by every fakecloud process."""

    def __init__(self, path: str | None, package: str) -> None:
        self.path = path
        self.package = package

    def __call__(self, method: str, **fields: Any) -> None:
        if not self.path:
            return
        line = json.dumps({"package": self.package, "method": method, **masked(fields)}, sort_keys=True) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(line)
            fcntl.flock(f, fcntl.LOCK_UN)


class FakeCloud(provider_pb2_grpc.ResourceProviderServicer):
    """The provider service of one stand-in package."""

    def __init__(self, package: str, version: str, record: str | None = None) -> None:
        self.package = package
        self.version = version
        self.cloud: Cloud = CLOUDS[package]
        self.settings = Settings()
        self.state = CloudState.from_env(package)
        self.record = Recorder(record, package)
        self.engine_address = ""

    # ------------------------------------------------------------ plugin and config

    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:  # noqa: N802
        self.record("GetPluginInfo", version=self.version)
        return plugin_pb2.PluginInfo(version=self.version)

    def Handshake(  # noqa: N802
        self, request: provider_pb2.ProviderHandshakeRequest, context: Any
    ) -> provider_pb2.ProviderHandshakeResponse:
        self.engine_address = request.engine_address
        self.record("Handshake", engineAddress=request.engine_address)
        return provider_pb2.ProviderHandshakeResponse(accept_secrets=True, accept_resources=True, accept_outputs=False)

    def Attach(self, request: plugin_pb2.PluginAttach, context: Any) -> empty_pb2.Empty:  # noqa: N802
        self.engine_address = request.address
        self.record("Attach", address=request.address)
        return empty_pb2.Empty()

    def GetSchema(self, request: provider_pb2.GetSchemaRequest, context: Any) -> provider_pb2.GetSchemaResponse:  # noqa: N802
        self.record("GetSchema", version=request.version)
        schema = {
            "name": self.package,
            "version": self.version,
            "description": DESCRIPTION.format(package=self.package),
            "resources": {},
            "functions": {},
        }
        return provider_pb2.GetSchemaResponse(schema=json.dumps(schema))

    def CheckConfig(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:  # noqa: N802
        self.record("CheckConfig", urn=request.urn, news=from_struct(request.news))
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:  # noqa: N802
        olds = from_struct(request.old_inputs) if request.HasField("old_inputs") else from_struct(request.olds)
        changed = _changed(olds, from_struct(request.news), list(request.ignoreChanges))
        self.record("DiffConfig", urn=request.urn, diffs=changed)
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
        )

    def Configure(self, request: provider_pb2.ConfigureRequest, context: Any) -> provider_pb2.ConfigureResponse:  # noqa: N802
        config = reveal(from_struct(request.args)) if request.HasField("args") else {}
        variables = dict(request.variables)
        region = config.get("region") or variables.get("aws:config:region") or os.environ.get("AWS_REGION")
        location = config.get("location") or variables.get("azure-native:config:location")
        if region:
            self.settings.region = str(region)
        if location:
            self.settings.location = str(location)
        self.record("Configure", args=from_struct(request.args), variables=variables)
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True, supportsPreview=True, acceptResources=True, acceptOutputs=False
        )

    # ------------------------------------------------------------ resources

    def _call(self, token: str, name: str, news: Mapping[str, Any], **more: Any) -> Call:
        """What the cloud-rule table (rules.py) sees of a call."""
        return Call(
            package=self.package,
            token=token,
            name=name,
            news=reveal(news),
            region=self.settings.location if self.package == "azure-native" else self.settings.region,
            lookup=self.state.get,
            records=self.state.all,
            **more,
        )

    def _identity(self, token: str, rid: str, values: Mapping[str, Any]) -> str | None:
        """What the cloud names the resource of this id with these inputs or outputs: its id, or where that is
        unique only within a parent (an S3 object's key), its import id (rules.py, AWS-12)."""
        return identity(Call(package=self.package, token=token, name="", news=reveal(values), id=rid))

    def Check(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:  # noqa: N802
        token, name = _parse_urn(request.urn)
        olds, news = from_struct(request.olds), from_struct(request.news)
        # A name the provider generates is drawn anew for every resource of this URN (rules.py, Draw).
        creation = creation_number(self._call(token, name, news, urn=request.urn))
        inputs = self.cloud.autoname(token, name, request.urn, news, olds, creation)
        failures = [
            verdict for _, verdict in judge([Effect.CHECK], self._call(token, name, inputs, old_inputs=reveal(olds)))
        ]
        self.record(
            "Check",
            urn=request.urn,
            type=token,
            name=name,
            news=news,
            inputs=inputs,
            hasOlds=bool(olds),
            failures=failures,
        )
        return provider_pb2.CheckResponse(
            inputs=to_struct(inputs), failures=[provider_pb2.CheckFailure(reason=f) for f in failures]
        )

    def Diff(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:  # noqa: N802
        token, name = _parse_urn(request.urn)
        news = from_struct(request.news)
        state = from_struct(request.olds)
        if request.HasField("old_inputs"):
            olds = from_struct(request.old_inputs)
        else:
            olds = {k: state[k] for k in news if k in state}
        ignore = list(request.ignoreChanges)
        changed = _changed(olds, news, ignore)
        if self.cloud.bridged:
            # The bridge diffs the state against the program: a value read back differently (after
            # a refresh, or an endpoint that rolled back) is a change even if the inputs are equal.
            changed = sorted(set(changed) | set(_state_differs(state, news, ignore)))
        call = self._call(token, name, news, olds=reveal(state), old_inputs=reveal(olds), id=request.id)
        ruled = {k for _, k in judge([Effect.REPLACE], _with(call, changed=tuple(changed)))}
        replaces = [k for k in changed if k in ruled or k in self.cloud.replace_keys(token, changed)]
        first = judge([Effect.DELETE_FIRST], _with(call, changed=tuple(changed), replaces=tuple(replaces)))
        detailed = {
            key: provider_pb2.PropertyDiff(kind=_kind(key in olds, key in news, key in replaces), inputDiff=True)
            for key in changed
        }
        self.record(
            "Diff",
            urn=request.urn,
            type=token,
            name=name,
            id=request.id,
            diffs=changed,
            replaces=replaces,
            deleteBeforeReplace=bool(first),
        )
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
            replaces=replaces,
            deleteBeforeReplace=bool(first),
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    def _refuse(
        self,
        context: Any,
        method: str,
        urn: str,
        refusals: list[tuple[Any, str]],
        partial: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """Fail the call as the real provider would, with the first refusal (the first API call that fails).

        `partial` (id, properties): the provider saved this state anyway (rules.py, Bridge-1); it goes
        back as the error's ErrorResourceInitFailed detail, as pulumi-terraform-bridge's
        initializationError sends it, and the engine saves it (a partial failure)."""
        rule, message = refusals[0]
        key = rule if isinstance(rule, str) else rule.key
        self.record("Refused", urn=urn, call=method, rule=key, message=message, partial=partial is not None)
        if partial is not None:
            rid, properties = partial
            detail = any_pb2.Any()
            detail.Pack(
                provider_pb2.ErrorResourceInitFailed(id=rid, properties=to_struct(properties), reasons=[message])
            )
            status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=message, details=[detail])
            context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
        context.abort(grpc.StatusCode.UNKNOWN, message)

    def Create(self, request: provider_pb2.CreateRequest, context: Any) -> provider_pb2.CreateResponse:  # noqa: N802
        token, name = _parse_urn(request.urn)
        inputs = from_struct(request.properties)
        # What a Create draws (an id, random values) is new for every resource of this URN (rules.py, Draw).
        creation = creation_number(self._call(token, name, inputs, urn=request.urn))
        resource = Resource(token, request.urn, name, reveal(inputs), settings=self.settings, creation=creation)
        if request.preview:
            # A real provider does not know what it will compute until it creates.
            try:
                computed = self.cloud.physical(resource)[1]
            except (ValueError, TypeError, KeyError):
                computed = {}
            outputs = _unknown_where_computed(_visible(inputs), computed)
            rid = ""
        else:
            if contains_unknown(inputs):
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"fakecloud: unknown inputs in Create of {request.urn}")
            rid, computed = self.cloud.physical(resource)
            call = self._call(token, name, inputs, target=rid, quotas=self.state.quotas())
            refusals = judge([Effect.CREATE, Effect.APPLY], call)
            if refusals:
                self._refuse(context, "Create", request.urn, refusals)
            outputs = self._stored(token, _visible(_fill(inputs, computed)))
            # Under what the cloud names it (rules.py, AWS-12): an S3 object of a key another bucket holds is
            # another object; of a key this URN wrote before in the same bucket, that object written again.
            self.state.put(token, rid, request.urn, outputs, inputs, identity=self._identity(token, rid, outputs))
        self.record("Create", urn=request.urn, type=token, name=name, preview=request.preview, id=rid, outputs=outputs)
        return provider_pb2.CreateResponse(id=rid, properties=to_struct(outputs))

    def Read(self, request: provider_pb2.ReadRequest, context: Any) -> provider_pb2.ReadResponse:  # noqa: N802
        token, name = _parse_urn(request.urn)
        state = from_struct(request.properties)
        inputs = from_struct(request.inputs)
        # The provider reads what the cloud names so: an S3 object by its bucket and key (rules.py, AWS-12).
        named = self._identity(token, request.id, {**inputs, **state}) if request.id else None
        record = self.state.record(token, request.urn, request.id, named) if request.id else None
        if request.id and not state and (record is None or record.deleted):
            # An import or a `get`: the cloud reads the resource it holds under this id (an import names
            # an S3 object `<bucket>/<key>`), whichever Pulumi resource created it (a retained one too:
            # rules.py AWS-8, Azure-6), or finds none.
            held = self.state.get(token, request.id, named)
            if held is not None and not held.deleted:
                record = held
            elif record is None and self.state.directory is not None:
                record = Record(token, request.id, request.urn, {}, deleted=True)
        if record is not None and record.deleted:
            # Gone from the cloud: an empty id tells the engine the resource no longer exists.
            self.record("Read", urn=request.urn, type=token, name=name, id=request.id, gone=True)
            return provider_pb2.ReadResponse(id="")
        if record is not None:
            # What the cloud holds now, which a test may have changed behind Pulumi's back (drift.py).
            state = dict(record.outputs)
            inputs = dict(record.inputs) if record.inputs else inputs
        elif not state:
            # A `get` or an import: what fakecloud would have created from these inputs.
            resource = Resource(token, request.urn, name, reveal(inputs), request.id, self.settings)
            state = _fill(inputs, self.cloud.physical(resource)[1])
        # The provider's id of what it read (an import of `<bucket>/<key>` reads the object `<key>`).
        rid = record.id if record is not None else request.id
        self.record("Read", urn=request.urn, type=token, name=name, id=rid)
        return provider_pb2.ReadResponse(id=rid, properties=to_struct(state), inputs=to_struct(inputs))

    def Update(self, request: provider_pb2.UpdateRequest, context: Any) -> provider_pb2.UpdateResponse:  # noqa: N802
        token, name = _parse_urn(request.urn)
        olds, news = from_struct(request.olds), from_struct(request.news)
        old_inputs = from_struct(request.old_inputs) if request.HasField("old_inputs") else {}
        if request.preview:
            # What the provider plans: the new inputs over the old outputs, nested values the cloud
            # computed (an endpoint's scoring URI) kept.
            outputs = _visible(_fill(news, olds))
        elif self.cloud.bridged and not _bridge_diff(olds, old_inputs, news):
            # No Terraform diff between the state and the program (the engine's empty update of a
            # resource saved with init errors, rules.py Bridge-1): the bridge returns the old state and
            # calls nothing, so the cloud keeps what it runs.
            self.record("Update", urn=request.urn, type=token, name=name, id=request.id, preview=False, diffs=[])
            return provider_pb2.UpdateResponse(properties=request.olds)
        else:
            call = self._call(token, name, news, olds=reveal(olds), old_inputs=reveal(old_inputs), id=request.id)
            resource = Resource(token, request.urn, name, reveal(news), request.id, self.settings)
            outputs = self._stored(token, _visible(_fill(news, self.cloud.physical(resource)[1])))
            refusals: list[tuple[Any, str]] = list(judge([Effect.UPDATE, Effect.APPLY], call))
            if not refusals and token == SAGEMAKER_ENDPOINT and deploys(call) and self.state.take(FAIL_UPDATE, call.id):
                # drift.py fail-update: the update started, the provider's wait failed, and SageMaker
                # went back to the configuration the endpoint ran (the cloud's record is unchanged).
                refusals = [(f"drift:{FAIL_UPDATE}", _wait_failed(call.id))]
            if refusals:
                if not isinstance(refusals[0][0], str) and refusals[0][0].key == "AWS-1":
                    # The provider stopped waiting; SageMaker goes on and ends on the new configuration,
                    # or on the old one if the endpoint's alarm fires meanwhile (a rollback).
                    deployed = self._deploy(call, outputs)
                    named = self._identity(token, request.id, deployed)
                    self.state.put(token, request.id, request.urn, deployed, news, adopt=True, identity=named)
                kept = judge([Effect.PARTIAL], call)
                partial = (request.id, _visible({**olds, **news})) if kept else None
                self._refuse(context, "Update", request.urn, refusals, partial)
            if token == SAGEMAKER_ENDPOINT:
                outputs = self._deploy(call, outputs)
            named = self._identity(token, request.id, outputs)
            self.state.put(token, request.id, request.urn, outputs, news, adopt=True, identity=named)
        changed = _changed({k: olds.get(k) for k in news}, news, [])
        self.record(
            "Update", urn=request.urn, type=token, name=name, id=request.id, preview=request.preview, diffs=changed
        )
        return provider_pb2.UpdateResponse(properties=to_struct(outputs))

    def _deploy(self, call: Call, outputs: dict[str, Any]) -> dict[str, Any]:
        """An UpdateEndpoint as SageMaker runs it: if the test made the endpoint's alarm fire
        (state.py, `alarms/<endpoint>`), SageMaker rolls back and the endpoint is InService on its
        OLD configuration, which the provider reads back after its wait, and the update "succeeds"
        (hashicorp/terraform-provider-aws#48997, #46663, #39099). SageMaker acts on the alarm only
        with an auto-rollback configuration and deployment guardrails (not on ml.inf1.*)."""
        old, new = current_config(call), call.news.get("endpointConfigName")
        if not deploys(call):
            # No UpdateEndpoint (the state already names this configuration, e.g. one a failed update
            # saved): the provider reads back the configuration the endpoint runs.
            return {**outputs, "endpointConfigName": old} if old else outputs
        if old == new or not self.state.take_alarm(call.id):
            return outputs
        alarms = ((call.news.get("deploymentConfig") or {}).get("autoRollbackConfiguration") or {}).get("alarms")
        config = self.state.get(SAGEMAKER_CONFIG, str(new))
        variants = (config.outputs.get("productionVariants") if config is not None else None) or [{}]
        if not alarms or not guardrails_apply(str(variants[0].get("instanceType") or "")):
            self.record("Alarm", urn=call.name, endpoint=call.id, rolledBack=False)
            return outputs
        self.record("Alarm", urn=call.name, endpoint=call.id, rolledBack=True, config=old)
        return {**outputs, "endpointConfigName": old}

    def Delete(self, request: provider_pb2.DeleteRequest, context: Any) -> empty_pb2.Empty:  # noqa: N802
        token, name = _parse_urn(request.urn)
        props = from_struct(request.old_inputs) if request.HasField("old_inputs") else {}
        call = self._call(token, name, {**props, **from_struct(request.properties)}, id=request.id)
        # What the cloud keeps of it (a KMS key: PendingDeletion, rules.py AWS-10), and what goes with it
        # (an Azure resource's children, rules.py Azure-9).
        kept = {"keyState": states[-1]} if (states := [v for _, v in judge([Effect.DELETE], call)]) else {}
        children = [k for _, k in judge([Effect.CASCADE], call)]
        # AWS deletes an endpoint configuration or a model that a live endpoint runs on, and the
        # endpoint's next update fails (rules.py, AWS-2): the cloud keeps a tombstone.
        self.state.delete(token, request.id, request.urn, kept, self._identity(token, request.id, call.news))
        self.state.delete_keys(children)
        self.record("Delete", urn=request.urn, type=token, name=name, id=request.id, kept=kept, cascade=children)
        return empty_pb2.Empty()

    def _stored(self, token: str, outputs: dict[str, Any]) -> dict[str, Any]:
        """What the cloud adds when it stores a resource: S3 encrypts an object under the bucket's
        default encryption unless the request named a key (kms.py)."""
        if token != kms.OBJECT:
            return outputs
        return {**kms.encryption(self.state.all(), str(outputs.get("bucket"))), **outputs}

    def Invoke(self, request: provider_pb2.InvokeRequest, context: Any) -> provider_pb2.InvokeResponse:  # noqa: N802
        args = reveal(from_struct(request.args))
        self.record("Invoke", tok=request.tok, args=args)
        failure = self.state.invoke_failure(request.tok) if request.tok in STATE_INVOKES else None
        if failure is not None:
            # drift.py fail-invoke: the service fails the read (a 500, throttling) whatever it holds.
            message = _invoke_error(request.tok, args, failure)
            self.record("InvokeFailed", tok=request.tok, message=message)
            context.abort(grpc.StatusCode.UNKNOWN, message)
        if request.tok in STATE_INVOKES:
            found = STATE_INVOKES[request.tok](args, self.state)
            if found is None:
                # The provider's own failure for a resource the cloud does not hold (rules.py Azure-8, AWS-11).
                refusals = judge([Effect.INVOKE], self._call(request.tok, request.tok, args))
                message = refusals[0][1] if refusals else f"fakecloud: {request.tok}: not found"
                self.record("InvokeFailed", tok=request.tok, message=message)
                context.abort(grpc.StatusCode.UNKNOWN, message)
                raise AssertionError("unreachable: abort raises")
            response = provider_pb2.InvokeResponse()
            getattr(response, "return").CopyFrom(to_struct(found))
            return response
        function = self.cloud.invokes.get(request.tok)
        if function is None:
            context.abort(
                grpc.StatusCode.UNIMPLEMENTED,
                f"fakecloud (a test double of {self.package}) does not implement the function {request.tok}",
            )
            raise AssertionError("unreachable: abort raises")
        response = provider_pb2.InvokeResponse()
        getattr(response, "return").CopyFrom(to_struct(function(args, self.settings)))
        return response

    def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:  # noqa: N802
        self.record("Cancel")
        return empty_pb2.Empty()

    def GetMapping(self, request: provider_pb2.GetMappingRequest, context: Any) -> provider_pb2.GetMappingResponse:  # noqa: N802
        self.record("GetMapping", key=request.key)
        return provider_pb2.GetMappingResponse(provider="", data=b"")

    def GetMappings(  # noqa: N802
        self, request: provider_pb2.GetMappingsRequest, context: Any
    ) -> provider_pb2.GetMappingsResponse:
        self.record("GetMappings", key=request.key)
        return provider_pb2.GetMappingsResponse(providers=[])


def _live_where(state: CloudState, token: str, args: Mapping[str, Any], keys: tuple[str, ...]) -> Record | None:
    """The live resource of this type whose inputs match the invoke's arguments at `keys`."""
    for record in state.all():
        if record.token == token and not record.deleted and all(record.inputs.get(k) == args.get(k) for k in keys):
            return record
    return None


def _online_deployment(args: Mapping[str, Any], state: CloudState) -> dict[str, Any] | None:
    """getOnlineDeployment: the live deployment's settings as the cloud holds them now (its current
    instance count included, which autoscaling changes behind Pulumi's back), or None."""
    keys = ("resourceGroupName", "workspaceName", "endpointName", "deploymentName")
    record = _live_where(state, "azure-native:machinelearningservices:OnlineDeployment", args, keys)
    if record is None:
        return None
    return {**dict(record.outputs), "sku": record.inputs.get("sku") or record.outputs.get("sku")}


def _version(token: str) -> Callable[[Mapping[str, Any], CloudState], dict[str, Any] | None]:
    def get(args: Mapping[str, Any], state: CloudState) -> dict[str, Any] | None:
        """A model or environment version the workspace holds (a retained one too), with its ARM id."""
        keys = ("resourceGroupName", "workspaceName", "name", "version")
        record = _live_where(state, token, args, keys)
        return {**dict(record.outputs), "id": arm_path(_GETTERS[token], args)} if record is not None else None

    return get


def _cloudcontrol_resource(args: Mapping[str, Any], state: CloudState) -> dict[str, Any] | None:
    """Cloud Control GetResource of an AWS::SageMaker::Endpoint: its identifier is the endpoint ARN
    (the type's primaryIdentifier); its properties are what DescribeEndpoint says now, so
    EndpointConfigName is the configuration the endpoint runs (after a rollback or a failed update:
    the old one), whatever Pulumi's state says."""
    identifier, type_name = args.get("identifier"), args.get("typeName")
    if type_name != "AWS::SageMaker::Endpoint":
        return None
    found = [
        r for r in state.all() if r.token == SAGEMAKER_ENDPOINT and not r.deleted and r.outputs.get("arn") == identifier
    ]
    if not found:
        return None
    outputs = found[0].outputs
    tags = outputs.get("tagsAll") or outputs.get("tags") or {}
    properties = {
        "EndpointArn": outputs.get("arn"),
        "EndpointConfigName": outputs.get("endpointConfigName"),
        "EndpointName": outputs.get("name") or found[0].id,
        **({"DeploymentConfig": outputs["deploymentConfig"]} if outputs.get("deploymentConfig") else {}),
        **({"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]} if tags else {}),
    }
    return {
        "id": identifier,
        "identifier": identifier,
        "typeName": type_name,
        "properties": json.dumps(properties, sort_keys=True, separators=(",", ":")),
    }


_GETTERS = {
    "azure-native:machinelearningservices:ModelVersion": GET_MODEL_VERSION,
    "azure-native:machinelearningservices:EnvironmentVersion": GET_ENVIRONMENT_VERSION,
}

# Functions answered from the cloud-side state (state.py): what a read of a live resource returns.
STATE_INVOKES: dict[str, Callable[[Mapping[str, Any], CloudState], dict[str, Any] | None]] = {
    GET_ONLINE_DEPLOYMENT: _online_deployment,
    GET_MODEL_VERSION: _version("azure-native:machinelearningservices:ModelVersion"),
    GET_ENVIRONMENT_VERSION: _version("azure-native:machinelearningservices:EnvironmentVersion"),
    CLOUDCONTROL_GET: _cloudcontrol_resource,
}


def _invoke_error(token: str, args: Mapping[str, Any], failure: Mapping[str, Any]) -> str:
    """A failure drift.py `fail-invoke` set up, in the provider's form (an ARM or an AWS API error)."""
    status = int(failure.get("status") or 500)
    code = str(failure.get("code") or "InternalServerError")
    message = str(failure.get("message") or "fakecloud (a test double): the service failed the request")
    if token == CLOUDCONTROL_GET:
        request_id = digest(token, args, "failure")[:36]
        error = aws_api_error(request_id, "CloudControl:GetResource", code, message, status=status)
        return (
            f"invoking {token}: reading Cloud Control API ({args.get('typeName')}) Resource "
            f"({args.get('identifier')}): {error}"
        )
    return f"request failed {arm_path(token, args)}: " + arm_error(status, code, message)


def _wait_failed(endpoint: str) -> str:
    """terraform-provider-aws's failed InService wait after an UpdateEndpoint (its 60-minute limit)."""
    return (
        f"waiting for SageMaker AI Endpoint ({endpoint}) update: timeout while waiting for state to become "
        "'InService' (last state: 'Updating', timeout: 1h0m0s)"
    )


def _bridge_diff(state: Mapping[str, Any], old_inputs: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The inputs whose Terraform diff is not empty: a program value the state does not hold, or an input
    the program dropped."""
    changed = [k for k, v in news.items() if not k.startswith("__") and reveal(state.get(k)) != reveal(v)]
    dropped = [k for k in old_inputs if not k.startswith("__") and k not in news]
    return sorted(set(changed) | set(dropped))


def _fill(inputs: Mapping[str, Any], computed: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs, with what the cloud computes filled in where they say nothing (at any depth)."""
    out = dict(computed)
    for key, value in inputs.items():
        known = out.get(key)
        out[key] = _fill(value, known) if isinstance(value, dict) and isinstance(known, dict) else value
    return out


def _changed(olds: Mapping[str, Any], news: Mapping[str, Any], ignore: list[str]) -> list[str]:
    """The top-level inputs whose values differ (an unknown new value counts as a change)."""
    keys = sorted(k for k in (set(olds) | set(news)) - set(ignore) if not k.startswith("__"))
    return [k for k in keys if contains_unknown(news.get(k)) or reveal(olds.get(k)) != reveal(news.get(k))]


def _state_differs(state: Mapping[str, Any], news: Mapping[str, Any], ignore: list[str]) -> list[str]:
    """The top-level inputs whose value in the state is not the program's (fakecloud's AWS outputs carry
    every input unchanged at the top level, so a difference is one the cloud reported)."""
    return [
        k
        for k, v in news.items()
        if not k.startswith("__")
        and k not in ignore
        and k in state
        and not contains_unknown(v)
        and reveal(state[k]) != reveal(v)
    ]


def _with(call: Call, **changes: Any) -> Call:
    return dataclasses.replace(call, **changes)


def _visible(values: Mapping[str, Any]) -> dict[str, Any]:
    """Outputs without the providers' private input keys (`__defaults`, `__createBeforeDelete`)."""
    return {k: v for k, v in values.items() if not k.startswith("__")}


def _unknown_where_computed(inputs: Mapping[str, Any], computed: Mapping[str, Any]) -> dict[str, Any]:
    """A preview's outputs: the inputs, and unknowns wherever the cloud computes a value (at any depth)."""
    out = dict(inputs)
    for key, value in computed.items():
        known = out.get(key)
        if key not in out:
            out[key] = UNKNOWN
        elif isinstance(known, dict) and isinstance(value, dict) and not is_secret(known):
            out[key] = _unknown_where_computed(known, value)
    return out


def _kind(had: bool, has: bool, replace: bool) -> Any:
    kinds = provider_pb2.PropertyDiff
    if not had:
        return kinds.ADD_REPLACE if replace else kinds.ADD
    if not has:
        return kinds.DELETE_REPLACE if replace else kinds.DELETE
    return kinds.UPDATE_REPLACE if replace else kinds.UPDATE


def serve(package: str, record: str | None = None) -> tuple[Any, int]:
    """Start the provider service on a free local port: (server, port)."""
    version = plugin_versions()[package]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(FakeCloud(package, version, record), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fakecloud: a test double of a Pulumi provider plugin")
    parser.add_argument("package", choices=sorted(PACKAGES))
    parser.add_argument("engine", nargs="?", default="", help="the engine's address (given by the engine)")
    args, _ = parser.parse_known_args(argv)
    server, port = serve(args.package, os.environ.get(RECORD_ENV))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    # The engine reads the port from the first line of stdout.
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    parent = os.getppid()
    while not stop.wait(1.0):
        if os.getppid() != parent:  # the engine went away without closing us
            break
    server.stop(grace=1.0).wait()
    return 0
