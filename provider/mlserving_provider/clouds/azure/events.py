"""Release events: an Event Grid custom topic (CloudEvents 1.0) and the storage
account's system topic, both delivered to a storage queue, with dead-lettering to a
blob container.

Blob-created events of every `model.tar.gz` under the `models` container (one per
release artifact, not for its unpacked copy) come from the system topic; anything
that publishes release events (a pipeline, a consumer) uses the custom topic. Event
Grid delivers with the topics' managed identities, which may only send to the queue
and write dead letters: no account key involved.
Event Grid keeps no archive; `events.archiveRetentionDays` is how long the queue
keeps each event (`0`: until read). https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import eventgrid, storage

from mlserving_provider.args import Events
from mlserving_provider.clouds.azure import naming
from mlserving_provider.clouds.azure.context import AzureContext, after
from mlserving_provider.clouds.azure.storage import CONTAINER

__all__ = ["DEAD_LETTER_CONTAINER", "QUEUE", "ReleaseEvents", "release_events"]

QUEUE = "release-events"
DEAD_LETTER_CONTAINER = "release-events-deadletter"
MAX_DELIVERY_ATTEMPTS = 30
EVENT_TTL_MINUTES = 1440


@dataclass(frozen=True)
class ReleaseEvents:
    topic: eventgrid.Topic
    topic_name: pulumi.Output[str]
    queue_url: pulumi.Output[str]


def release_events(
    ctx: AzureContext,
    settings: Events,
    account: storage.StorageAccount,
    account_name: pulumi.Output[str],
    suffix: pulumi.Output[str],
) -> ReleaseEvents:
    queue = storage.Queue(
        f"{ctx.name}-release-events",
        queue_name=QUEUE,
        account_name=account_name,
        resource_group_name=ctx.resource_group_name,
        opts=ctx.opts(),
    )
    queue_id = pulumi.Output.format("{0}/queueServices/default/queues/{1}", account.id, QUEUE)
    dead_letter_id = None
    if settings.dead_letter_queue:
        storage.BlobContainer(
            f"{ctx.name}-release-events-deadletter",
            container_name=DEAD_LETTER_CONTAINER,
            public_access=storage.PublicAccess.NONE,
            opts=ctx.opts(),
            account_name=account_name,
            resource_group_name=ctx.resource_group_name,
        )
        dead_letter_id = pulumi.Output.format(
            "{0}/blobServices/default/containers/{1}", account.id, DEAD_LETTER_CONTAINER
        )

    topic_name = suffix.apply(lambda s: naming.event_topic(ctx.name, s))
    topic = eventgrid.Topic(
        f"{ctx.name}-events",
        topic_name=topic_name,
        input_schema="CloudEventSchemaV1_0",
        minimum_tls_version_allowed="1.2",
        identity={"type": "SystemAssigned"},
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    # Named by us (3-128 letters, digits and hyphens), fitted like the autonamed children.
    system_topic_name = naming.named(ctx.name, "storage-events", naming.EVENT_GRID_SYSTEM_TOPIC)
    system_topic = eventgrid.SystemTopic(
        f"{ctx.name}-storage-events",
        system_topic_name=system_topic_name,
        source=account.id,
        topic_type="Microsoft.Storage.StorageAccounts",
        identity={"type": "SystemAssigned"},
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        tags=ctx.tags,
        opts=ctx.opts(),
    )
    ttl = settings.archive_retention_days * 86400 if settings.archive_retention_days else -1
    grants: list[pulumi.Resource] = []
    for kind, source in (("topic", topic), ("storage-events", system_topic)):
        principal = source.identity.apply(lambda i: str(i.principal_id) if i is not None and i.principal_id else "")
        grants.append(ctx.grant(f"{kind}-sends", "Storage Queue Data Message Sender", principal, queue_id))
        if dead_letter_id is not None:
            grants.append(ctx.grant(f"{kind}-dead-letters", "Storage Blob Data Contributor", principal, dead_letter_id))

    def delivery() -> dict[str, Any]:
        out: dict[str, Any] = {
            "delivery_with_resource_identity": {
                "identity": {"type": "SystemAssigned"},
                "destination": eventgrid.StorageQueueEventSubscriptionDestinationArgs(
                    endpoint_type="StorageQueue",
                    resource_id=account.id,
                    queue_name=QUEUE,
                    queue_message_time_to_live_in_seconds=ttl,
                ),
            },
            "retry_policy": {
                "max_delivery_attempts": MAX_DELIVERY_ATTEMPTS,
                "event_time_to_live_in_minutes": EVENT_TTL_MINUTES,
            },
        }
        if dead_letter_id is not None:
            out["dead_letter_with_resource_identity"] = {
                "identity": {"type": "SystemAssigned"},
                "dead_letter_destination": {
                    "endpoint_type": "StorageBlob",
                    "resource_id": account.id,
                    "blob_container_name": DEAD_LETTER_CONTAINER,
                },
            }
        return out

    eventgrid.SystemTopicEventSubscription(
        f"{ctx.name}-artifact-events",
        resource_group_name=ctx.resource_group_name,
        system_topic_name=after(system_topic, system_topic_name),
        event_subscription_name="artifactuploads",
        event_delivery_schema="CloudEventSchemaV1_0",
        # One event per release artifact, as on AWS: not for the unpacked copy of its files.
        filter={
            "included_event_types": ["Microsoft.Storage.BlobCreated"],
            "subject_begins_with": f"/blobServices/default/containers/{CONTAINER}/",
            "subject_ends_with": "/model.tar.gz",
        },
        opts=ctx.opts(depends_on=[queue, *grants]),
        **delivery(),
    )
    eventgrid.EventSubscription(
        f"{ctx.name}-release-event-delivery",
        scope=topic.id,
        event_subscription_name="releaseevents",
        event_delivery_schema="CloudEventSchemaV1_0",
        opts=ctx.opts(depends_on=[queue, *grants]),
        **delivery(),
    )
    return ReleaseEvents(
        topic=topic,
        topic_name=after(topic, topic_name),
        queue_url=pulumi.Output.format("https://{0}.queue.core.windows.net/{1}", account_name, QUEUE),
    )
