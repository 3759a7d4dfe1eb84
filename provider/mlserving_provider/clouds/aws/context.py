"""What every AWS builder shares: the component, naming, tags and the account facts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlserving_provider.clouds.aws import naming

__all__ = ["FACTS", "AwsContext", "policy_json"]

# The account facts a platform publishes in its attachments for its releases.
FACTS = ("region", "accountId", "partition")


@dataclass(frozen=True)
class AwsContext:
    """The parent component, its name and the facts of the aws provider it runs with."""

    parent: pulumi.ComponentResource
    name: str
    tags: pulumi.Output[Mapping[str, str]]
    region: pulumi.Output[str]
    account_id: pulumi.Output[str]
    partition: pulumi.Output[str]

    @classmethod
    def create(
        cls,
        parent: pulumi.ComponentResource,
        name: str,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
        facts: Mapping[str, pulumi.Input[str]] | None = None,
    ) -> AwsContext:
        """The context of a component; `facts` are the account facts its platform published.

        A release lives in its platform's account and region (its stage is on the platform's
        API), so it reads them from the platform instead of asking the aws provider again:
        three invokes fewer per release, one of them an STS call (bench/, issue #6).
        """
        tags_output = pulumi.Output.from_input(tags).apply(lambda t: {str(k): str(v) for k, v in t.items()})
        if facts is not None and all(key in facts for key in FACTS):
            return cls(
                parent=parent,
                name=name,
                tags=tags_output,
                region=pulumi.Output.from_input(facts["region"]),
                account_id=pulumi.Output.from_input(facts["accountId"]),
                partition=pulumi.Output.from_input(facts["partition"]),
            )
        invoke = pulumi.InvokeOutputOptions(parent=parent)
        return cls(
            parent=parent,
            name=name,
            tags=tags_output,
            region=aws.get_region_output(opts=invoke).region,
            account_id=aws.get_caller_identity_output(opts=invoke).account_id,
            partition=aws.get_partition_output(opts=invoke).partition,
        )

    def facts(self) -> dict[str, pulumi.Input[str]]:
        """The account facts, as a platform publishes them to its releases."""
        return {"region": self.region, "accountId": self.account_id, "partition": self.partition}

    def opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options of a child: parented to the component."""
        return pulumi.ResourceOptions(parent=self.parent, **kwargs)

    def child(self, suffix: str, rule: naming.Rule, **kwargs: Any) -> tuple[str, pulumi.ResourceOptions]:
        """The logical name `<component>-<suffix>` of an autonamed child, fitted to its service's
        name rule (see naming.child), and its options; a fitted name aliases the plain one."""
        logical = f"{self.name}-{suffix}"
        name = naming.child(self.name, suffix, rule)
        aliases: list[pulumi.Input[pulumi.Alias]] | None = [pulumi.Alias(name=logical)] if name != logical else None
        return name, self.opts(aliases=aliases, **kwargs)

    def arn(self, service: str, resource: pulumi.Input[str], region: bool = True) -> pulumi.Output[str]:
        """`arn:<partition>:<service>:<region>:<account>:<resource>`."""
        return pulumi.Output.format(
            "arn:{0}:{1}:{2}:{3}:{4}", self.partition, service, self.region if region else "", self.account_id, resource
        )


def policy_json(document: Any) -> pulumi.Output[str]:
    """An IAM policy document (which may hold Outputs) as JSON."""
    return pulumi.Output.from_input(document).apply(lambda d: json.dumps(d, sort_keys=True))
