"""The MLServingPlatform component."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from mlserving_provider.args import PlatformArgs
from mlserving_provider.clouds import backend
from mlserving_provider.validation import validate_platform

__all__ = ["PLATFORM_TOKEN", "MLServingPlatform"]

PLATFORM_TOKEN = "mlserving:index:MLServingPlatform"


class MLServingPlatform(pulumi.ComponentResource):
    """The shared serving platform of one cloud (see schema.json)."""

    outputs: dict[str, Any]

    def __init__(self, name: str, args: PlatformArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(PLATFORM_TOKEN, name, {}, opts)
        self.outputs = backend(args.cloud).platform(self, name, args).as_state()
        self.register_outputs(self.outputs)

    @classmethod
    def from_inputs(cls, name: str, inputs: Mapping[str, Any], opts: pulumi.ResourceOptions) -> MLServingPlatform:
        """Validate raw construct inputs (nothing is created when they are invalid), then build."""
        return cls(name, validate_platform(inputs), opts)
