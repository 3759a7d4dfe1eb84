"""The gRPC provider: serves schema.json and constructs the components by token."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
from pulumi.provider import ConstructResult, Provider
from pulumi.provider import main as serve

from mlserving_provider._schema import PACKAGE_VERSION, SCHEMA_TEXT
from mlserving_provider.platform import PLATFORM_TOKEN, MLServingPlatform
from mlserving_provider.platform_ref import register_platform_references
from mlserving_provider.release import RELEASE_TOKEN, ApiVersionClaims, ModelRelease

__all__ = ["CONSTRUCTORS", "MLServingProvider", "main"]

Constructor = Callable[[str, Mapping[str, Any], pulumi.ResourceOptions], "MLServingPlatform | ModelRelease"]

# token -> constructor: the one place a component type is looked up.
CONSTRUCTORS: dict[str, Constructor] = {
    PLATFORM_TOKEN: MLServingPlatform.from_inputs,
    RELEASE_TOKEN: ModelRelease.from_inputs,
}


class MLServingProvider(Provider):
    """Constructs MLServingPlatform and ModelRelease for any Pulumi language."""

    def __init__(self) -> None:
        super().__init__(PACKAGE_VERSION, SCHEMA_TEXT)
        # This process's releases: a second one on the same platform and API version is refused.
        self._constructors: dict[str, Constructor] = {
            **CONSTRUCTORS,
            RELEASE_TOKEN: functools.partial(ModelRelease.from_inputs, claims=ApiVersionClaims()),
        }

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: pulumi.Inputs,
        options: pulumi.ResourceOptions | None = None,
    ) -> ConstructResult:
        constructor = self._constructors.get(resource_type)
        if constructor is None:
            # An input error, not an exception: the engine shows the message, not a traceback.
            # (`errors` must be a list: the SDK cannot build the status without one.)
            raise pulumi.InputPropertiesError(
                f"unknown resource type {resource_type}; this provider constructs {', '.join(sorted(CONSTRUCTORS))}",
                [],
            )
        component = constructor(name, inputs, options or pulumi.ResourceOptions())
        return ConstructResult(urn=component.urn, state=component.outputs)


# Set to 1 to send the Pulumi SDK's debug messages to the engine without `-v`.
SDK_DEBUG_LOGS_ENV = "MLSERVING_SDK_DEBUG_LOGS"


def main(args: list[str]) -> None:
    """Run the provider as a plugin: print the gRPC port, serve until the engine stops it."""
    register_platform_references()
    if not sdk_debug_logs_wanted(args, os.environ):
        drop_sdk_debug_logs()
    serve(MLServingProvider(), args)


def sdk_debug_logs_wanted(args: list[str], env: Mapping[str, str]) -> bool:
    """Whether the engine runs plugins verbosely (`pulumi ... --logflow -v=<n>` passes `-v=<n>`)."""
    return any(arg.startswith("-v") for arg in args) or env.get(SDK_DEBUG_LOGS_ENV) == "1"


def drop_sdk_debug_logs() -> None:
    """Do not send the Pulumi SDK's debug messages to the engine.

    The SDK sends each one (about four per child resource) as a blocking RPC, which the
    engine shows only to `--debug`: a fifth of the CPU of a 50-release preview (issue #6).
    Warnings, infos and errors, and the components' own messages, are untouched.
    """
    pulumi.log.debug = _no_debug


def _no_debug(
    msg: str, resource: pulumi.Resource | None = None, stream_id: int | None = None, ephemeral: bool | None = None
) -> None:
    return None
