"""What every AWS builder shares: the component, naming, tags and the account facts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

__all__ = ["AwsContext", "policy_json"]


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
        cls, parent: pulumi.ComponentResource, name: str, tags: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    ) -> AwsContext:
        invoke = pulumi.InvokeOutputOptions(parent=parent)
        return cls(
            parent=parent,
            name=name,
            tags=pulumi.Output.from_input(tags).apply(lambda t: {str(k): str(v) for k, v in t.items()}),
            region=aws.get_region_output(opts=invoke).region,
            account_id=aws.get_caller_identity_output(opts=invoke).account_id,
            partition=aws.get_partition_output(opts=invoke).partition,
        )

    def opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options of a child: parented to the component."""
        return pulumi.ResourceOptions(parent=self.parent, **kwargs)

    def arn(self, service: str, resource: pulumi.Input[str], region: bool = True) -> pulumi.Output[str]:
        """`arn:<partition>:<service>:<region>:<account>:<resource>`."""
        return pulumi.Output.format(
            "arn:{0}:{1}:{2}:{3}:{4}", self.partition, service, self.region if region else "", self.account_id, resource
        )


def policy_json(document: Any) -> pulumi.Output[str]:
    """An IAM policy document (which may hold Outputs) as JSON."""
    return pulumi.Output.from_input(document).apply(lambda d: json.dumps(d, sort_keys=True))
