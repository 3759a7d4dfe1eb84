"""Cloud backends, chosen by the plain `cloud` input.

Each backend builds the same concerns in modules of the same names: storage, cdn,
serving, api, events, monitoring. This table is the only place a cloud is looked up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pulumi

from mlserving_provider.args import PlatformArgs, ReleaseArgs, Scaling
from mlserving_provider.artifact import Artifact
from mlserving_provider.outputs import PlatformOutputs, ReleaseOutputs
from mlserving_provider.platform_ref import PlatformState

__all__ = ["BACKENDS", "Backend", "backend", "release_tags"]


@dataclass(frozen=True)
class Backend:
    """The two entry points of a cloud."""

    platform: Callable[[pulumi.ComponentResource, str, PlatformArgs], PlatformOutputs]
    release: Callable[[pulumi.ComponentResource, str, ReleaseArgs, Scaling, PlatformState, Artifact], ReleaseOutputs]


# The module of each cloud's backend. Imported on first use, and only the cloud asked
# for: a cloud SDK takes seconds to import, and GetSchema (the provider's start-up
# path) needs none of them.
BACKENDS = {
    "aws": "mlserving_provider.clouds.aws",
    "azure": "mlserving_provider.clouds.azure",
}


def backend(cloud: str) -> Backend:
    """The backend of a cloud (validation has already refused clouds without one)."""
    found: Backend = importlib.import_module(BACKENDS[cloud]).BACKEND
    return found


def release_tags(args: ReleaseArgs) -> dict[str, str]:
    """The tags every cloud puts on a release's children, beside the platform's."""
    return {
        "mlserving:model": args.model_name,
        "mlserving:version": args.version,
        "mlserving:api-version": args.api_version,
    }
