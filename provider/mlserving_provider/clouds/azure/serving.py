"""Serving: the Azure ML workspace (platform) and each release's model, environment,
managed online endpoint, deployments and autoscale settings.

Rollout. Azure ML shifts no traffic by itself and rolls nothing back on an alarm
(there is no equivalent of SageMaker's deployment guardrails), so a release does
the nearest honest thing with two deployment slots on its endpoint:
- `allAtOnce`: one deployment, `main-<kind>`, updated in place by a new version
  (Azure ML replaces its instances in a rolling update).
- `canary`: `main-<kind>` is frozen at the model, environment and variables it
  serves (Pulumi `ignore_changes`) and `canary-<kind>` serves this release's
  version; API Management sends it `rollout.canaryPercent` of the requests. Setting
  the strategy back to `allAtOnce` promotes: `main` takes the new version and the
  canary deployment is removed. `rollout.waitSeconds` has no meaning here: the
  promotion is the next update.
The endpoint's own `traffic` map is not used: it may only name deployments that
already exist, and they are created after (and inside) the endpoint; API
Management picks the deployment per request with the `azureml-model-deployment`
header instead. https://learn.microsoft.com/azure/machine-learning/how-to-safely-rollout-online-endpoints
A new instance type cannot be applied in place, so the slot names carry a hash of
it (`<kind>`): a new type is a new deployment, switched to, then the old one deleted.
azure-native replaces an explicitly named resource delete-first (its Diff asks for
create-before-delete only for autonamed ones), so every release resource whose name changes
with what replaces it says `delete_before_replace=False`: the engine honours an explicit
option over the provider's answer (pulumi pkg/resource/deploy/step_generator.go).

Versions the cloud keeps. Model and environment versions (and the release's blobs) are
kept when Pulumi forgets them, and azure-native refuses to create what exists ("cannot
create already existing resource", provider.go Create). So a revert to a version served
before adopts what Azure ML holds: at construct time the get invokes probe the model and
environment versions, and what exists is declared with `import_` (a no-op when the state
holds it already), with the release's blobs where the model version's `modelUri` says they
are (`release_artifact_key`). Only azure-native's not-found answer means "create"; any other
failure of a read stops the `up` (`AzureReadError`).

Instance count. The autoscale setting moves a deployment's `sku.capacity`, and an update
of the deployment is a PUT of its whole body: Pulumi's `ignore_changes` would send the
capacity recorded at creation (the engine puts the old input back), resetting a scaled-out
deployment to `minReplicas` on every release. So each update sends the deployment's
current capacity, read from Azure (`current_capacity`), within the scaling bounds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime.sync_await import _sync_await
from pulumi_azure_native import (
    _utilities,
    applicationinsights,
    keyvault,
    machinelearningservices,
    monitor,
    operationalinsights,
)

from mlserving_provider.args import Network, ReleaseArgs, RequestSettings, Scaling
from mlserving_provider.clouds.azure import naming
from mlserving_provider.clouds.azure.context import AzureContext, after
from mlserving_provider.clouds.azure.network import isolation_mode

__all__ = [
    "DEFAULT_INSTANCE_TYPE",
    "IMMUTABLE_VERSION",
    "MODELS_DATASTORE",
    "MODEL_MOUNT_PATH",
    "AzureReadError",
    "Registered",
    "Release",
    "Serving",
    "Workspace",
    "current_capacity",
    "environment_version",
    "is_not_found",
    "known",
    "registered_versions",
    "release_serving",
    "serving_kind",
    "workspace",
]

DEFAULT_INSTANCE_TYPE = "Standard_DS3_v2"
# The SageMaker container contract, so one image serves on both clouds.
INFERENCE_PORT = 8080
MODEL_MOUNT_PATH = "/opt/ml/model"
CPU_METRIC = "CpuUtilizationPercentage"
DEPLOYMENT_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments"
# What a frozen main deployment keeps while a canary runs: what it serves and its version tag.
FROZEN_ON_CANARY = ["properties.model", "properties.environmentId", "properties.environmentVariables", "tags"]
GET_DEPLOYMENT = "azure-native:machinelearningservices:getOnlineDeployment"
GET_MODEL_VERSION = "azure-native:machinelearningservices:getModelVersion"
GET_ENVIRONMENT_VERSION = "azure-native:machinelearningservices:getEnvironmentVersion"
# An asset version is immutable in Azure ML (only its description and tags change,
# https://learn.microsoft.com/azure/machine-learning/how-to-manage-models): what exists under a
# name and version is what the release registers, so its body is never diffed (an adopted
# version's read would add what the service fills in).
IMMUTABLE_VERSION = ["properties"]
# How azure-native reports a GET answered 404 from an invoke: provider.go Invoke wraps the client's
# error as `request failed <id>: ...`; the error is `Status=404 Code="..." Message="..."`
# (azure/client_azcore.go PulumiAzcoreResponseError) or, on the legacy autorest backend,
# `autorest/azure: Service returned an error. Status=404 ...`. The engine and the SDK prefix it
# with `invoke of <token> failed: invocation of <token> returned an error: `.
NOT_FOUND = re.compile(r"request failed \S+: (?:autorest/azure: Service returned an error\. )?Status=404\b")


class AzureReadError(pulumi.InputPropertiesError):
    """A read of what Azure holds failed otherwise than with not-found: the `up` stops here.

    An InputPropertiesError naming no property, like the AWS backend's RolledBackError: the one
    exception the Pulumi SDK's Construct turns into the message alone.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, [])


def is_not_found(error: BaseException) -> bool:
    """Whether an invoke failed because azure-native's GET was answered 404 (see NOT_FOUND)."""
    return NOT_FOUND.search(str(error)) is not None


def known(value: pulumi.Input[str]) -> str | None:
    """The value of an input at construct time, or None while it is unknown (a first preview).

    Construct inputs and the platform's attachments arrive resolved (or unknown), so this never
    waits on a resource.
    """
    output = pulumi.Output.from_input(value)
    if not _sync_await(output.is_known()):
        return None
    plain = _sync_await(output.future())
    return None if plain is None else str(plain)


# The workspace's datastore on the artifact account's `models` container. Model versions are
# registered by its `azureml://datastores/<name>/paths/<path>` URIs, the form Azure ML documents
# for a path on a datastore (https://learn.microsoft.com/azure/machine-learning/how-to-manage-models).
MODELS_DATASTORE = "mlserving_models"


@dataclass(frozen=True)
class Workspace:
    workspace: machinelearningservices.Workspace
    name: pulumi.Output[str]
    # The models datastore's name, once the datastore exists.
    datastore: pulumi.Output[str]


def workspace(
    ctx: AzureContext,
    storage_account_id: pulumi.Input[str],
    storage_account_name: pulumi.Input[str],
    container: str,
    suffix: pulumi.Output[str],
    net: Network | None = None,
) -> Workspace:
    """Log Analytics, Application Insights, a Key Vault, the Azure ML workspace on the artifact
    account, and the workspace's datastore on the artifacts container.

    With `network`: the workspace's managed virtual network, provisioned now (an online deployment needs it
    provisioned, and Azure ML provisions it lazily otherwise), and its public network access off: clients reach it
    and its online endpoints through its private endpoint only. Pulumi still manages it: ARM's control plane is not
    behind the workspace's network isolation.
    https://learn.microsoft.com/azure/machine-learning/how-to-managed-network"""
    logs_name, logs_opts = ctx.child("logs", naming.LOG_ANALYTICS_WORKSPACE)
    logs = operationalinsights.Workspace(
        logs_name,
        sku={"name": "PerGB2018"},
        retention_in_days=30,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=logs_opts,
    )
    insights_name, insights_opts = ctx.child("insights", naming.APP_INSIGHTS)
    insights = applicationinsights.Component(
        insights_name,
        kind="web",
        application_type="web",
        ingestion_mode="LogAnalytics",
        workspace_resource_id=logs.id,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=insights_opts,
    )
    vault = keyvault.Vault(
        f"{ctx.name}-vault",
        vault_name=suffix.apply(lambda s: naming.key_vault(ctx.name, s)),
        properties=keyvault.VaultPropertiesArgs(
            tenant_id=ctx.tenant_id,
            sku=keyvault.SkuArgs(family="A", name=keyvault.SkuName.STANDARD),
            # Access by Azure RBAC only (no access policies), soft delete and purge protection.
            enable_rbac_authorization=True,
            enable_soft_delete=True,
            soft_delete_retention_in_days=90,
            enable_purge_protection=True,
        ),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    workspace_name = suffix.apply(lambda s: naming.ml_workspace(ctx.name, s))
    ws = machinelearningservices.Workspace(
        f"{ctx.name}-workspace",
        workspace_name=workspace_name,
        friendly_name=f"mlserving {ctx.name}",
        sku=machinelearningservices.SkuArgs(name="Basic", tier=machinelearningservices.SkuTier.BASIC),
        identity=machinelearningservices.ManagedServiceIdentityArgs(type="SystemAssigned"),
        storage_account=storage_account_id,
        key_vault=vault.id,
        application_insights=insights.id,
        public_network_access="Enabled" if net is None else "Disabled",
        **_managed_network(net),
        # The workspace reaches its storage with its identity, not the account key.
        system_datastores_auth_mode="Identity",
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    name = after(ws, workspace_name)
    # Identity-based (no account key, no SAS): Azure ML reads the models with Microsoft Entra.
    datastore = machinelearningservices.Datastore(
        f"{ctx.name}-models-datastore",
        name=MODELS_DATASTORE,
        properties=machinelearningservices.AzureBlobDatastoreArgs(
            datastore_type="AzureBlob",
            account_name=storage_account_name,
            container_name=container,
            credentials=machinelearningservices.NoneDatastoreCredentialsArgs(credentials_type="None"),
            endpoint="core.windows.net",
            protocol="https",
            description=f"mlserving {ctx.name}: the model artifacts",
        ),
        resource_group_name=ctx.resource_group_name,
        workspace_name=name,
        opts=ctx.opts(),
    )
    return Workspace(workspace=ws, name=name, datastore=after(datastore, MODELS_DATASTORE))


def _managed_network(net: Network | None) -> dict[str, Any]:
    """The workspace's managed network settings (none without `network`). One-way: a workspace's isolation can be
    tightened (AllowInternetOutbound -> AllowOnlyApprovedOutbound) but never loosened or turned off, and enabling it
    on a workspace that holds online endpoints is refused (how-to-managed-network, Limitations)."""
    if net is None:
        return {}
    return {
        "managed_network": machinelearningservices.ManagedNetworkSettingsArgs(isolation_mode=isolation_mode(net)),
        # "Set to trigger the provisioning of the managed VNet ... when creating a Workspace" (azure-native).
        "provision_network_now": True,
    }


@dataclass(frozen=True)
class Release:
    """What serving needs to know of the platform (from its attachments)."""

    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str]
    workspace_name: pulumi.Input[str]
    endpoint_prefix: pulumi.Input[str]
    # The platform has `network`: the endpoint takes no public traffic (its clients come through the
    # workspace's private endpoint).
    private: bool = False


@dataclass(frozen=True)
class Registered:
    """The ARM ids of the release's model and environment versions when Azure ML holds them
    already (kept from an earlier `up`: a revert), else None; and the `modelUri` the model version
    was registered with (where its files are), when Azure ML says."""

    model_id: str | None = None
    environment_id: str | None = None
    model_uri: str | None = None


def environment_version(version: str, image: str) -> str:
    """The environment version of a release version and image: `<version>-<sha256(image)[:8]>`."""
    return f"{naming.version_label(version)}-{hashlib.sha256(image.encode()).hexdigest()[:8]}"


def registered_versions(
    parent: pulumi.Resource, release: str, args: ReleaseArgs, platform: Release, artifact_sha256: str
) -> Registered:
    """Probe (getModelVersion, getEnvironmentVersion) the versions this release registers.

    Only when the names are known at construct time (not in a first preview): unknown names
    probe nothing, and the versions are declared as new.
    """
    resource_group, workspace_name = known(platform.resource_group_name), known(platform.workspace_name)
    if resource_group is None or workspace_name is None:
        return Registered()
    where = {"resourceGroupName": resource_group, "workspaceName": workspace_name}
    model = {
        **where,
        "name": naming.model_asset(args.model_name, args.api_version, artifact_sha256),
        "version": str(naming.model_version(args.version)),
    }
    image = known(args.image)
    environment = (
        {**where, "name": f"{args.model_name}-{args.api_version}", "version": environment_version(args.version, image)}
        if image is not None
        else None
    )
    found_model = _existing(parent, release, GET_MODEL_VERSION, "model", model)
    found_environment = (
        _existing(parent, release, GET_ENVIRONMENT_VERSION, "environment", environment)
        if environment is not None
        else None
    )
    model_properties = found_model[1].get("properties") if found_model is not None else None
    model_uri = model_properties.get("modelUri") if isinstance(model_properties, Mapping) else None
    return Registered(
        model_id=found_model[0] if found_model is not None else None,
        environment_id=found_environment[0] if found_environment is not None else None,
        model_uri=str(model_uri) if model_uri else None,
    )


def _existing(
    parent: pulumi.Resource, release: str, token: str, what: str, args: Mapping[str, str]
) -> tuple[str, Mapping[str, Any]] | None:
    """The ARM id of the version a get invoke finds and what it read, None when azure-native
    reports it not found."""
    opts = pulumi.InvokeOptions.merge(_utilities.get_invoke_opts_defaults(), pulumi.InvokeOptions(parent=parent))
    try:
        found: Mapping[str, Any] | None = pulumi.runtime.invoke(token, dict(args), opts=opts).value
    except Exception as err:
        if is_not_found(err):
            return None
        raise AzureReadError(
            f"ModelRelease {release!r}: cannot tell whether Azure ML holds the {what} {args['name']!r} version "
            f"{args['version']!r} (workspace {args['workspaceName']!r}) already: {err}. A version Azure ML keeps "
            "must be adopted, not created again (azure-native refuses to create what exists), so the update "
            "stops here. Run `pulumi up` again once the read succeeds."
        ) from err
    arm_id = (found or {}).get("id")
    if not arm_id:
        raise AzureReadError(
            f"ModelRelease {release!r}: {token} found the {what} {args['name']!r} version {args['version']!r} "
            "but returned no id to adopt it by."
        )
    return str(arm_id), found or {}


@dataclass(frozen=True)
class Serving:
    endpoint: machinelearningservices.OnlineEndpoint
    endpoint_name: pulumi.Output[str]
    endpoint_id: pulumi.Output[str]
    # The endpoint's own `scoringUri` output (`https://<name>.<region>.inference.ml.azure.com/score`).
    scoring_uri: pulumi.Output[str]
    key: pulumi.Output[str]
    # (deployment name, percent of requests), the canary first.
    routing: list[tuple[str, int]]
    deployments: list[machinelearningservices.OnlineDeployment]


def serving_kind(args: ReleaseArgs) -> str:
    """A short, stable tag of the instance type (part of the deployment names)."""
    return hashlib.sha256((args.instance_type or DEFAULT_INSTANCE_TYPE).encode()).hexdigest()[:6]


def release_serving(
    ctx: AzureContext,
    args: ReleaseArgs,
    scaling: Scaling,
    platform: Release,
    model_uri: pulumi.Input[str],
    artifact_sha256: str,
    depends_on: list[pulumi.Resource],
    registered: Registered,
) -> Serving:
    asset = f"{args.model_name}-{args.api_version}"

    # Azure ML assets are immutable: a new artifact or image is a new asset version (a new name,
    # so created before the old one is forgotten). Kept on delete: a frozen `main` deployment may
    # still serve an older one, and a revert adopts it (`import_`, see the module docstring).
    def version_opts(arm_id: str | None) -> pulumi.ResourceOptions:
        return ctx.opts(
            retain_on_delete=True,
            depends_on=depends_on,
            ignore_changes=IMMUTABLE_VERSION,
            delete_before_replace=False,
            import_=arm_id,
        )

    # A model version is a positive integer (validation refuses versions it cannot pack); the
    # release version and the artifact digest are kept as tags and (immutable) properties.
    provenance = {"mlserving:version": args.version, "mlserving:sha256": artifact_sha256}
    model = machinelearningservices.ModelVersion(
        f"{ctx.name}-model",
        name=naming.model_asset(args.model_name, args.api_version, artifact_sha256),
        version=str(naming.model_version(args.version)),
        properties={
            "model_type": "custom_model",
            "model_uri": model_uri,
            "description": f"mlserving {args.model_name} {args.version} ({args.api_version})",
            "tags": provenance,
            "properties": provenance,
        },
        opts=version_opts(registered.model_id),
        resource_group_name=platform.resource_group_name,
        workspace_name=platform.workspace_name,
    )
    environment = machinelearningservices.EnvironmentVersion(
        f"{ctx.name}-environment",
        name=asset,
        version=pulumi.Output.from_input(args.image).apply(lambda image: environment_version(args.version, image)),
        properties={
            "image": args.image,
            "os_type": "Linux",
            "inference_config": {
                "liveness_route": {"path": "/ping", "port": INFERENCE_PORT},
                "readiness_route": {"path": "/ping", "port": INFERENCE_PORT},
                "scoring_route": {"path": "/invocations", "port": INFERENCE_PORT},
            },
        },
        opts=version_opts(registered.environment_id),
        resource_group_name=platform.resource_group_name,
        workspace_name=platform.workspace_name,
    )
    endpoint_name = pulumi.Output.from_input(platform.endpoint_prefix).apply(
        lambda prefix: naming.ml_endpoint(prefix, args.model_name, args.api_version)
    )
    endpoint = machinelearningservices.OnlineEndpoint(
        f"{ctx.name}-endpoint",
        endpoint_name=endpoint_name,
        location=platform.location,
        identity={"type": "SystemAssigned"},
        kind="Managed",
        properties={
            # Only API Management holds the key (a secret named value).
            "auth_mode": "Key",
            "public_network_access": "Disabled" if platform.private else "Enabled",
            "description": f"mlserving {args.model_name} {args.api_version}",
        },
        tags=ctx.tags,
        # A new endpoint name (model or API version) is a new endpoint, created before the old is deleted.
        opts=ctx.opts(delete_before_replace=False),
        resource_group_name=platform.resource_group_name,
        workspace_name=platform.workspace_name,
    )
    name = after(endpoint, endpoint_name)
    kind = serving_kind(args)
    canary = args.rollout.strategy == "canary"
    slots = (
        [("canary", args.rollout.canary_percent), ("main", 100 - args.rollout.canary_percent)]
        if canary
        else [("main", 100)]
    )
    # Not Azure ML's defaults (1 request at a time, 5 s): see RequestSettings.
    requests = args.request_settings or RequestSettings()
    request_settings = machinelearningservices.OnlineRequestSettingsArgs(
        max_concurrent_requests_per_instance=requests.max_concurrent_requests_per_instance,
        request_timeout=naming.iso_duration_ms(requests.request_timeout_ms),
    )
    deployments: list[machinelearningservices.OnlineDeployment] = []
    routing: list[tuple[str, int]] = []
    for slot, percent in slots:
        deployment_name = naming.deployment(slot, kind)
        frozen = canary and slot == "main"
        capacity: pulumi.Output[int] = pulumi.Output.all(
            name, platform.resource_group_name, platform.workspace_name
        ).apply(_capacity_reader(ctx.parent, ctx.name, deployment_name, scaling))
        deployment = machinelearningservices.OnlineDeployment(
            f"{ctx.name}-{slot}",
            endpoint_name=name,
            deployment_name=deployment_name,
            location=platform.location,
            kind="Managed",
            sku={"name": "Default", "capacity": capacity},
            properties=machinelearningservices.ManagedOnlineDeploymentArgs(
                endpoint_compute_type="Managed",
                model=model.id,
                model_mount_path=MODEL_MOUNT_PATH,
                environment_id=environment.id,
                environment_variables=args.environment,
                instance_type=args.instance_type or DEFAULT_INSTANCE_TYPE,
                app_insights_enabled=True,
                scale_settings=machinelearningservices.DefaultScaleSettingsArgs(scale_type="Default"),
                request_settings=request_settings,
                description=f"mlserving {args.model_name} {args.api_version} ({slot})",
            ),
            tags=ctx.tags,
            # The name carries the instance type: a new type is a new deployment, created (and
            # API Management switched to it) before the old one is deleted.
            opts=ctx.opts(ignore_changes=FROZEN_ON_CANARY if frozen else None, delete_before_replace=False),
            resource_group_name=platform.resource_group_name,
            workspace_name=platform.workspace_name,
        )
        _autoscale(ctx, slot, deployment, platform, scaling)
        deployments.append(deployment)
        routing.append((deployment_name, percent))

    # The key is read with plain names and depends on the endpoint alone. The platform's values
    # depend on the platform component, and an invoke that depends on a component waits for all
    # of its descendants; a Pulumi YAML program registers a package's component as custom, so the
    # engine took the platform for a custom resource that never gets an ID and answered the key
    # read with unknown on every run (the key's NamedValue was created without a value).
    def read_key(names: list[str]) -> pulumi.Output[str]:
        keys = machinelearningservices.list_online_endpoint_keys_output(
            endpoint_name=names[0],
            resource_group_name=names[1],
            workspace_name=names[2],
            opts=pulumi.InvokeOutputOptions(parent=ctx.parent, depends_on=[endpoint]),
        )
        return keys.primary_key

    key: pulumi.Output[str] = pulumi.Output.all(name, platform.resource_group_name, platform.workspace_name).apply(
        read_key
    )
    return Serving(
        endpoint=endpoint,
        endpoint_name=name,
        endpoint_id=endpoint.id,
        scoring_uri=endpoint.properties.apply(_scoring_uri),
        key=pulumi.Output.secret(key),
        routing=routing,
        deployments=deployments,
    )


def _capacity_reader(
    parent: pulumi.Resource, release: str, deployment_name: str, scaling: Scaling
) -> Callable[[list[Any]], Awaitable[int]]:
    """`current_capacity` of one deployment, given [endpoint name, resource group, workspace]."""

    def read(names: list[Any]) -> Awaitable[int]:
        return current_capacity(parent, release, str(names[0]), deployment_name, str(names[1]), str(names[2]), scaling)

    return read


async def current_capacity(
    parent: pulumi.Resource,
    release: str,
    endpoint_name: str,
    deployment_name: str,
    resource_group_name: str,
    workspace_name: str,
    scaling: Scaling,
) -> int:
    """The instance count a deployment has now (set by its autoscale setting), kept within
    `[minReplicas, maxReplicas]`; `minReplicas` for a deployment that does not exist yet.

    Any other failure to read raises AzureReadError: a guess could scale a loaded deployment in.
    """
    try:
        found: Mapping[str, Any] | None = await pulumi.runtime.invoke_async(
            GET_DEPLOYMENT,
            {
                "endpointName": endpoint_name,
                "deploymentName": deployment_name,
                "resourceGroupName": resource_group_name,
                "workspaceName": workspace_name,
            },
            opts=pulumi.InvokeOptions.merge(_utilities.get_invoke_opts_defaults(), pulumi.InvokeOptions(parent=parent)),
        )
    except Exception as err:
        # Not found: the deployment is created now (a new release, slot or instance type).
        if is_not_found(err):
            return scaling.min_replicas
        raise AzureReadError(
            f"ModelRelease {release!r}: cannot read the instance count of the Azure ML online deployment "
            f"{deployment_name!r} (endpoint {endpoint_name!r}): {err}. An update sends the deployment's whole "
            "body, its instance count included, and a guess could scale a loaded deployment in, so the update "
            "stops here. Run `pulumi up` again once the read succeeds."
        ) from err
    capacity = ((found or {}).get("sku") or {}).get("capacity")
    if capacity is None:
        return scaling.min_replicas
    return min(max(int(capacity), scaling.min_replicas), scaling.max_replicas)


def _scoring_uri(props: machinelearningservices.outputs.OnlineEndpointPropertiesResponse) -> str:
    if not props.scoring_uri:
        raise ValueError("the Azure ML online endpoint returned no properties.scoringUri")
    return str(props.scoring_uri)


def scale_rules(deployment_id: pulumi.Input[str], scaling: Scaling) -> list[monitor.ScaleRuleArgs]:
    """Scale out above the CPU target, in below half of it (the gap stops flapping)."""

    def rule(direction: str, operator: str, threshold: float, cooldown: int) -> monitor.ScaleRuleArgs:
        return monitor.ScaleRuleArgs(
            metric_trigger=monitor.MetricTriggerArgs(
                metric_name=CPU_METRIC,
                metric_namespace=DEPLOYMENT_NAMESPACE,
                metric_resource_uri=deployment_id,
                operator=monitor.ComparisonOperationType(operator),
                statistic=monitor.MetricStatisticType.AVERAGE,
                threshold=threshold,
                time_aggregation=monitor.TimeAggregationType.AVERAGE,
                time_grain="PT1M",
                time_window="PT5M",
            ),
            scale_action=monitor.ScaleActionArgs(
                direction=monitor.ScaleDirection(direction),
                type=monitor.ScaleType.CHANGE_COUNT,
                value="1",
                cooldown=naming.iso_duration(cooldown),
            ),
        )

    target = scaling.target_cpu_percent
    return [
        rule("Increase", "GreaterThan", target, scaling.scale_out_cooldown_seconds),
        rule("Decrease", "LessThan", target / 2, scaling.scale_in_cooldown_seconds),
    ]


def _autoscale(
    ctx: AzureContext,
    slot: str,
    deployment: machinelearningservices.OnlineDeployment,
    platform: Release,
    scaling: Scaling,
) -> monitor.AutoscaleSetting:
    name, opts = ctx.child(f"{slot}-autoscale", naming.AUTOSCALE_SETTING)
    return monitor.AutoscaleSetting(
        name,
        resource_group_name=platform.resource_group_name,
        location=platform.location,
        target_resource_uri=deployment.id,
        enabled=True,
        profiles=[
            monitor.AutoscaleProfileArgs(
                name="cpu",
                capacity=monitor.ScaleCapacityArgs(
                    minimum=str(scaling.min_replicas),
                    maximum=str(scaling.max_replicas),
                    default=str(scaling.min_replicas),
                ),
                rules=scale_rules(deployment.id, scaling),
            )
        ],
        tags=ctx.tags,
        opts=opts,
    )
