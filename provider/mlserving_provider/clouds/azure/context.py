"""What every Azure builder shares: the component, naming, tags, placement and the client's facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import authorization, resources

from mlserving_provider.clouds.azure import naming

__all__ = ["ROLES", "AzureContext", "after", "resource_group"]

# Built-in role definitions: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
ROLES = {
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Queue Data Message Sender": "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
}


@dataclass(frozen=True)
class AzureContext:
    """The parent component, its name, where its children go and the client's subscription."""

    parent: pulumi.ComponentResource
    name: str
    tags: pulumi.Output[Mapping[str, str]]
    location: pulumi.Output[str]
    resource_group_name: pulumi.Output[str]
    subscription_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]

    @classmethod
    def create(
        cls,
        parent: pulumi.ComponentResource,
        name: str,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
        location: pulumi.Input[str],
        resource_group_name: pulumi.Input[str],
    ) -> AzureContext:
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=parent))
        return cls(
            parent=parent,
            name=name,
            tags=pulumi.Output.from_input(tags).apply(lambda t: {str(k): str(v) for k, v in t.items()}),
            location=pulumi.Output.from_input(location),
            resource_group_name=pulumi.Output.from_input(resource_group_name),
            subscription_id=client.subscription_id,
            tenant_id=client.tenant_id,
        )

    def opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options of a child: parented to the component."""
        return pulumi.ResourceOptions(parent=self.parent, **kwargs)

    def child(self, kind: str, rule: naming.Rule, **kwargs: Any) -> tuple[str, pulumi.ResourceOptions]:
        """The logical name `<component>-<kind>` of an autonamed child, fitted to its service's
        name rule (see naming.child), and its options; a fitted name aliases the plain one."""
        logical = f"{self.name}-{kind}"
        name = naming.child(self.name, kind, rule)
        aliases: list[pulumi.Input[pulumi.Alias]] | None = [pulumi.Alias(name=logical)] if name != logical else None
        return name, self.opts(aliases=aliases, **kwargs)

    def role(self, role: str) -> pulumi.Output[str]:
        """The subscription-scoped id of a built-in role."""
        return pulumi.Output.format(
            "/subscriptions/{0}/providers/Microsoft.Authorization/roleDefinitions/{1}",
            self.subscription_id,
            ROLES[role],
        )

    def grant(
        self,
        name: str,
        role: str,
        principal_id: pulumi.Input[str],
        scope: pulumi.Input[str],
        condition: str | None = None,
    ) -> authorization.RoleAssignment:
        """A role for a managed identity (a service principal) on one scope, optionally narrowed
        by an Azure ABAC condition (condition syntax version 2.0)."""
        return authorization.RoleAssignment(
            f"{self.name}-{name}",
            principal_id=principal_id,
            principal_type="ServicePrincipal",
            role_definition_id=self.role(role),
            scope=scope,
            description=f"mlserving {self.name}: {role}",
            condition=condition,
            condition_version="2.0" if condition is not None else None,
            opts=self.opts(),
        )


def resource_group(
    parent: pulumi.ComponentResource,
    name: str,
    location: pulumi.Input[str],
    given: pulumi.Input[str] | None,
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
    suffix: pulumi.Output[str],
    retain_on_delete: bool,
) -> pulumi.Output[str]:
    """The given resource group's name, or a new group `rg-<platform>-<suffix>`.

    Deleting a group deletes everything in it, so a group we create is kept when the
    artifact store is (`artifacts.retainOnDelete`): it holds the retained account.
    """
    if given is not None:
        return pulumi.Output.from_input(given)
    group_name = suffix.apply(lambda s: naming.resource_group(name, s))
    group = resources.ResourceGroup(
        f"{name}-rg",
        resource_group_name=group_name,
        location=location,
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, retain_on_delete=retain_on_delete),
    )
    return after(group, group_name)


def after(resource: pulumi.Resource, value: pulumi.Input[str]) -> pulumi.Output[str]:
    """A name we chose, as an Output that depends on the resource that carries it."""
    return pulumi.Output.all(resource.urn, value).apply(lambda both: str(both[1]))
