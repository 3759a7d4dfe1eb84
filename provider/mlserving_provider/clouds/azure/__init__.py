"""The Azure backend: Storage, Front Door, Azure ML, API Management, Event Grid, Azure Monitor.

Only azure-native submodules are imported (never the top package, which loads every
Azure service), and only when an Azure platform or release is built.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from urllib.parse import quote

import pulumi
import pulumi_random as random
from pulumi_azure_native import authorization
from pulumi_azure_native import storage as azure_storage

from mlserving_provider.args import PlatformArgs, ReleaseArgs, Scaling
from mlserving_provider.artifact import Artifact, artifact_key, unpacked_files
from mlserving_provider.clouds import Backend, platform_tags, release_child_tags
from mlserving_provider.clouds.azure import api, cdn, events, monitoring, network, serving, storage
from mlserving_provider.clouds.azure.context import AzureContext, resource_group
from mlserving_provider.outputs import PlatformOutputs, ReleaseOutputs
from mlserving_provider.platform_ref import PlatformState

__all__ = ["ADOPTED_BLOB", "BACKEND", "CONTENT_ADDRESSED_BLOB", "MODEL_FOLDER", "blob_id", "release_artifact_key"]

# The unpacked model beside `model.tar.gz`: `models/<name>/<apiVersion>/<version>/<sha256>/model/...`.
MODEL_FOLDER = "model"
# A release's blob is content-addressed (its path holds the tarball's sha256), so what exists
# under its name holds the same bytes and headers: they are never diffed. azure-native's Blob
# read cannot return `source`, and returns `contentMd5` (a replacing property) we never send.
CONTENT_ADDRESSED_BLOB = ["source", "contentMd5", "contentType", "metadata", "accessTier"]
# An adopted blob's read takes `blobName` from the id, percent-encoded as azure-native writes it.
ADOPTED_BLOB = [*CONTENT_ADDRESSED_BLOB, "blobName"]


# The path on a datastore of an `azureml://` URI, in the short form a release registers
# (`azureml://datastores/<datastore>/paths/<path>`) or the long one naming the workspace.
_DATASTORE_PATH = re.compile(r"/datastores/[^/]+/paths/(?P<path>.+)$")


def release_artifact_key(
    model_name: str, api_version: str, version: str, sha256: str, registered_model_uri: str | None
) -> str:
    """The key (`models/...`) of a release's `model.tar.gz`; its files are unpacked beside it.

    `artifact_key`, unless Azure ML holds the release's model version registered on the files of
    the key before the API version was in it (`models/<name>/<version>/<sha256>/model/`, provider
    0.1.0): an asset version is immutable and never updated, so its files stay where it was
    registered, and the release keeps them there (unchanged, or adopted on a revert) instead of
    uploading them again under a path no model reads.
    """
    earlier = f"{model_name}/{version}/{sha256}"
    found = _DATASTORE_PATH.search(registered_model_uri or "")
    if found is not None and found["path"].rstrip("/") == f"{earlier}/{MODEL_FOLDER}":
        return f"{storage.CONTAINER}/{earlier}/model.tar.gz"
    return artifact_key(model_name, api_version, version, sha256)


def blob_id(subscription: str, resource_group: str, account: str, container: str, blob_name: str) -> str:
    """A Blob's Pulumi id as azure-native writes it when it creates one: the resource path with each
    value query-escaped, a space as %20 (crud.PrepareAzureRESTIdAndQuery), so `/` in a blob name is %2F."""

    def esc(value: str) -> str:
        return quote(value, safe="")

    return (
        f"/subscriptions/{esc(subscription)}/resourceGroups/{esc(resource_group)}/providers/Microsoft.Storage/"
        f"storageAccounts/{esc(account)}/blobServices/default/containers/{esc(container)}/blobs/{esc(blob_name)}"
    )


def platform(component: pulumi.ComponentResource, name: str, args: PlatformArgs) -> PlatformOutputs:
    assert args.azure is not None  # validation requires it for azure
    tags = platform_tags(args.tags, name)
    location = pulumi.Output.from_input(args.azure.location)
    # Globally unique names (storage, Key Vault, API Management, endpoints) end in this.
    suffix = random.RandomId(f"{name}-id", byte_length=4, opts=pulumi.ResourceOptions(parent=component)).hex
    group = resource_group(
        component, name, location, args.azure.resource_group_name, tags, suffix, args.artifacts.retain_on_delete
    )
    ctx = AzureContext.create(component, name, tags, location, group)

    net = args.network
    store = storage.artifact_account(ctx, args.artifacts, suffix, networked=net is not None)
    ws = serving.workspace(ctx, store.account.id, store.name, storage.CONTAINER, suffix, net)
    if net is not None:
        network.private_endpoints(ctx, net, ws.workspace.id, store.account.id)
    placement = network.api_placement(net) if net is not None else None
    apis = api.api_service(ctx, args.api, suffix, args.monitoring.alarm_email, placement)
    # A private API (`network.public` off) gets no Front Door route: the CDN serves artifacts only.
    api_on_cdn = net is None or net.public
    door = (
        cdn.front_door(
            ctx,
            args.cdn,
            args.api,
            store.name.apply(lambda n: f"{n}.blob.core.windows.net"),
            apis.gateway_host,
            api_route=api_on_cdn,
        )
        if args.cdn.enabled
        else None
    )
    if door is not None:
        # Front Door reads artifacts with its managed identity, from this container only, and may not list it.
        ctx.grant(
            "cdn-reads-models",
            "Storage Blob Data Reader",
            door.principal_id,
            store.container_id,
            condition=cdn.FRONT_DOOR_READ_CONDITION,
        )
    group_alerts = monitoring.action_group(ctx, args.monitoring.alarm_email) if args.monitoring.enabled else None
    bus = events.release_events(ctx, args.events, store.account, store.name, suffix) if args.events.enabled else None

    quota = args.api.quota
    attachments: dict[str, pulumi.Input[str]] = {
        "resourceGroupName": group,
        "location": location,
        "storageAccountName": store.name,
        "containerName": storage.CONTAINER,
        "workspaceName": ws.name,
        "modelsDatastore": ws.datastore,
        "endpointPrefix": suffix,
        "apiServiceName": apis.name,
        "apiVersionSetId": apis.version_set.id,
        "actionGroupId": group_alerts.id if group_alerts is not None else "",
        # A release's children carry the platform's tags too (clouds.release_child_tags).
        "tags": tags.apply(lambda t: json.dumps(t, sort_keys=True)),
        "settings": json.dumps(
            {
                "scaling": args.scaling.__dict__,
                "requireApiKey": args.api.require_api_key,
                "throttleRateLimit": args.api.throttle_rate_limit,
                "throttleBurstLimit": args.api.throttle_burst_limit,
                "quotaLimit": quota.limit if quota else None,
                "quotaPeriod": quota.period if quota else None,
                "monitoring": args.monitoring.enabled,
                "latencyP99ThresholdMs": args.monitoring.latency_p99_threshold_ms,
                "errorRatePercentThreshold": args.monitoring.error_rate_percent_threshold,
                "retainOnDelete": args.artifacts.retain_on_delete,
                # Only on a networked platform, so the settings of the others stay as they were.
                **({"network": {"public": net.public}} if net is not None else {}),
            },
            sort_keys=True,
        ),
    }
    cdn_domain = door.domain_name if door is not None else pulumi.Output.from_input("")
    return PlatformOutputs(
        cloud="azure",
        artifact_store_name=store.name,
        artifact_base_url=pulumi.Output.format("https://{0}/models/", cdn_domain) if door is not None else "",
        cdn_domain_name=cdn_domain,
        api_base_url=apis.base_url,
        api_key=apis.key_value,
        event_bus_name=bus.topic_name if bus is not None else "",
        release_event_queue_url=bus.queue_url if bus is not None else "",
        alarm_topic_arn=group_alerts.id if group_alerts is not None else "",
        attachments=attachments,
    )


def release(
    component: pulumi.ComponentResource,
    name: str,
    args: ReleaseArgs,
    scaling: Scaling,
    platform: PlatformState,
    artifact: Artifact,
) -> ReleaseOutputs:
    att = platform.attachments
    settings = platform.settings
    ctx = AzureContext.create(
        component,
        name,
        release_child_tags(platform, args),
        att["location"],
        att["resourceGroupName"],
    )
    placement = serving.Release(
        resource_group_name=att["resourceGroupName"],
        location=att["location"],
        workspace_name=att["workspaceName"],
        endpoint_prefix=att["endpointPrefix"],
        private="network" in settings,
    )
    registered = serving.registered_versions(component, name, args, placement, artifact.sha256)
    key = release_artifact_key(args.model_name, args.api_version, args.version, artifact.sha256, registered.model_uri)
    # The container is `models`, so the blob is the key without it: the URL path (and
    # the CDN path) is the same `models/<name>/<apiVersion>/<version>/<sha256>/model.tar.gz` as on AWS.
    blob_name = key.removeprefix(f"{storage.CONTAINER}/")
    blob_ids = _blob_ids(component, att) if registered.model_id is not None else None

    # A release's blobs are always kept on delete, whatever `artifacts.retainOnDelete` says: the
    # same logical blobs hold every version, and a frozen `main` deployment (a canary) or a
    # scale-out still reads an older version's files. They go with the storage account when the
    # platform is destroyed with `retainOnDelete: false`. Their names carry the API version, the
    # version and the digest: a new one is created before the old one is forgotten, and no two
    # releases of a platform share one. When Azure ML holds the model version already (a revert),
    # its blobs exist too, where it was registered, and are adopted: creating them again is refused.
    def blob_opts(blob: str) -> pulumi.ResourceOptions:
        return ctx.opts(
            retain_on_delete=True,
            delete_before_replace=False,
            ignore_changes=ADOPTED_BLOB if blob_ids is not None else CONTENT_ADDRESSED_BLOB,
            import_=blob_ids(blob) if blob_ids is not None else None,
        )

    upload = azure_storage.Blob(
        f"{name}-artifact",
        account_name=att["storageAccountName"],
        resource_group_name=att["resourceGroupName"],
        container_name=att["containerName"],
        blob_name=blob_name,
        type=azure_storage.BlobType.BLOCK,
        source=artifact.asset,
        content_type="application/gzip",
        access_tier=azure_storage.BlobAccessTier.HOT,
        metadata={"sha256": artifact.sha256},
        opts=blob_opts(blob_name),
    )
    # SageMaker unpacks model.tar.gz into /opt/ml/model; Azure ML mounts a model as it is. So the
    # tarball's files are uploaded beside it, unpacked, and registered as the model: the container
    # finds the same files under /opt/ml/model on both clouds.
    folder = f"{blob_name.rsplit('/', 1)[0]}/{MODEL_FOLDER}"
    files = [
        azure_storage.Blob(
            f"{name}-model-file-{relative}",
            account_name=att["storageAccountName"],
            resource_group_name=att["resourceGroupName"],
            container_name=att["containerName"],
            blob_name=f"{folder}/{relative}",
            type=azure_storage.BlobType.BLOCK,
            source=pulumi.FileAsset(str(path)),
            access_tier=azure_storage.BlobAccessTier.HOT,
            opts=blob_opts(f"{folder}/{relative}"),
        )
        for relative, path in unpacked_files(artifact)
    ]
    served = serving.release_serving(
        ctx,
        args,
        scaling,
        placement,
        pulumi.Output.format("azureml://datastores/{0}/paths/{1}/", att["modelsDatastore"], folder),
        artifact.sha256,
        depends_on=[upload, *files],
        registered=registered,
    )
    if settings["monitoring"]:
        monitoring.release_alerts(
            ctx,
            att["resourceGroupName"],
            served.endpoint_id,
            att["actionGroupId"],
            settings["latencyP99ThresholdMs"],
            settings["errorRatePercentThreshold"],
        )
    api.api_version(
        ctx,
        api.ApiAttachment(
            resource_group_name=att["resourceGroupName"],
            service_name=att["apiServiceName"],
            version_set_id=att["apiVersionSetId"],
            require_api_key=settings["requireApiKey"],
        ),
        args.api_version,
        served.scoring_uri,
        served.key,
        served.routing,
        depends_on=list[pulumi.Resource](served.deployments),
    )
    cdn_domain = platform.outputs["cdnDomainName"]
    api_on_cdn = bool(settings.get("network", {}).get("public", True))
    return ReleaseOutputs(
        artifact_key=pulumi.Output.concat(upload.urn.apply(lambda _: ""), key),
        artifact_sha256=artifact.sha256,
        artifact_url=cdn_domain.apply(lambda d: f"https://{d}/{key}" if d else ""),
        endpoint_name=served.endpoint_name,
        invoke_url=pulumi.Output.format("{0}/{1}/predict", platform.outputs["apiBaseUrl"], args.api_version),
        # No Front Door route to a private API (`network.public` off).
        cached_invoke_url=cdn_domain.apply(
            lambda d: f"https://{d}/{args.api_version}/predict" if d and api_on_cdn else ""
        ),
        model_version=args.version,
        api_version=args.api_version,
    )


def _blob_ids(component: pulumi.Resource, att: Mapping[str, pulumi.Output[str]]) -> Callable[[str], str] | None:
    """The Pulumi id of each blob of the release's container (`blob_id`), None while a name is unknown."""
    keys = ("resourceGroupName", "storageAccountName", "containerName")
    group, account, container = (serving.known(att[k]) for k in keys)
    if group is None or account is None or container is None:
        return None
    # azure-native writes the subscription it is configured with into the id: getClientConfig's.
    subscription = authorization.get_client_config(opts=pulumi.InvokeOptions(parent=component)).subscription_id
    return functools.partial(blob_id, subscription, group, account, container)


BACKEND = Backend(platform=platform, release=release)
