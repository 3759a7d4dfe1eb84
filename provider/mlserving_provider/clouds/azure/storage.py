"""The artifact store: a StorageV2 account with a private `models` container.

Shared-key access stays ON, on purpose: pulumi-azure-native uploads a `storage.Blob`
with the account key (https://github.com/pulumi/pulumi-azure-native/issues/2015) and
the Azure ML workspace's default file datastore uses it too. Every reader we create
uses Microsoft Entra instead (Front Door with its managed identity, Event Grid with
its identity, the online endpoints with theirs), the portal defaults to Entra, and
SAS tokens are limited to one day. Nothing is public: no anonymous blob access, the
container is private, TLS 1.2 and HTTPS only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import storage

from mlserving_provider.args import ArtifactStore
from mlserving_provider.clouds.azure import naming, regions
from mlserving_provider.clouds.azure.context import AzureContext, after

__all__ = ["CONTAINER", "ArtifactAccount", "artifact_account"]

CONTAINER = "models"
SOFT_DELETE_DAYS = 7


@dataclass(frozen=True)
class ArtifactAccount:
    account: storage.StorageAccount
    name: pulumi.Output[str]
    container: storage.BlobContainer
    container_id: pulumi.Output[str]


def artifact_account(
    ctx: AzureContext, settings: ArtifactStore, suffix: pulumi.Output[str], networked: bool = False
) -> ArtifactAccount:
    """The account, its blob service (versioning, soft delete), the container and noncurrent-version expiry.

    `networked` (the platform has `network`): the account's public endpoint is stated on, on purpose, and stays
    authenticated only (no anonymous access, no public container): Pulumi uploads the release artifacts through it
    from wherever it runs (azure-native's Blob is a data-plane call: with public access off, or a firewall that
    denies by default, the upload fails unless Pulumi runs inside the network), and Front Door Standard reaches its
    blob origin over the internet (a Private Link origin needs Front Door Premium). Readers inside the network use
    the blob private endpoint (network.py); the deployments read through the managed network's own private endpoint
    to the workspace's storage, which Azure ML adds by itself.
    """
    account_name = suffix.apply(lambda s: naming.storage_account(ctx.name, s))
    # `artifacts.redundancy`, else ZRS where the region offers it and LRS elsewhere (regions.py).
    redundancy = ctx.location.apply(lambda where: settings.redundancy or regions.default_redundancy(where))
    account = storage.StorageAccount(
        f"{ctx.name}-artifacts",
        account_name=account_name,
        kind="StorageV2",
        sku={"name": redundancy.apply(regions.sku)},
        access_tier=storage.AccessTier.HOT,
        minimum_tls_version="TLS1_2",
        enable_https_traffic_only=True,
        allow_blob_public_access=False,
        # See the module docstring: the upload path needs the key; readers use Entra.
        allow_shared_key_access=True,
        default_to_o_auth_authentication=True,
        sas_policy={"expiration_action": "Block", "sas_expiration_period": "1.00:00:00"},
        key_policy={"key_expiration_period_in_days": 90},
        allow_cross_tenant_replication=False,
        public_network_access="Enabled" if networked else None,
        encryption={
            "key_source": "Microsoft.Storage",
            "require_infrastructure_encryption": True,
            "services": {
                "blob": {"enabled": True, "key_type": "Account"},
                "queue": {"enabled": True, "key_type": "Account"},
            },
        },
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=ctx.opts(retain_on_delete=settings.retain_on_delete),
    )
    name = after(account, account_name)
    # Kept with the account, so a store kept by `destroy` keeps its versioning, soft delete and
    # noncurrent-version expiry: azure-native "deletes" the blob service properties with a PUT of
    # an empty body (provider/pkg/openapi/defaults/defaultResourcesState.go) and deletes the
    # lifecycle policy.
    child = ctx.opts(depends_on=[account], retain_on_delete=settings.retain_on_delete)
    storage.BlobServiceProperties(
        f"{ctx.name}-artifacts-blob-service",
        account_name=name,
        resource_group_name=ctx.resource_group_name,
        blob_services_name="default",
        is_versioning_enabled=settings.versioning,
        delete_retention_policy={"enabled": True, "days": SOFT_DELETE_DAYS},
        container_delete_retention_policy={"enabled": True, "days": SOFT_DELETE_DAYS},
        opts=child,
    )
    container = storage.BlobContainer(
        f"{ctx.name}-models",
        account_name=name,
        resource_group_name=ctx.resource_group_name,
        container_name=CONTAINER,
        public_access=storage.PublicAccess.NONE,
        opts=ctx.opts(depends_on=[account], retain_on_delete=settings.retain_on_delete),
    )
    days = settings.noncurrent_version_expiration_days
    storage.ManagementPolicy(
        f"{ctx.name}-artifacts-lifecycle",
        account_name=name,
        resource_group_name=ctx.resource_group_name,
        management_policy_name="default",
        policy={
            "rules": [
                {
                    "name": "expire-noncurrent-versions",
                    "enabled": True,
                    "type": "Lifecycle",
                    "definition": {
                        "filters": {"blob_types": ["blockBlob"], "prefix_match": [f"{CONTAINER}/"]},
                        "actions": {"version": {"delete": {"days_after_creation_greater_than": days}}},
                    },
                }
            ]
        },
        opts=child,
    )
    container_id = pulumi.Output.format("{0}/blobServices/default/containers/{1}", account.id, CONTAINER)
    return ArtifactAccount(account=account, name=name, container=container, container_id=container_id)
