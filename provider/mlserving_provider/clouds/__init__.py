"""Cloud backends, chosen by the plain `cloud` input.

Each backend builds the same concerns in modules of the same names: storage, cdn,
serving, api, events, monitoring. This table is the only place a cloud is looked up.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pulumi

from mlserving_provider.args import PlatformArgs, ReleaseArgs, Scaling
from mlserving_provider.artifact import Artifact
from mlserving_provider.outputs import PlatformOutputs, ReleaseOutputs
from mlserving_provider.platform_ref import PlatformState

__all__ = ["BACKENDS", "Backend", "backend", "platform_tags", "release_child_tags", "release_tags"]


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


def platform_tags(
    given: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None, name: str
) -> pulumi.Output[dict[str, str]]:
    """The tags of every platform child: the user's `tags` and `mlserving:platform`."""
    return pulumi.Output.from_input(given or {}).apply(
        lambda tags: {**{str(k): str(v) for k, v in tags.items()}, "mlserving:platform": name}
    )


def release_child_tags(platform: PlatformState, args: ReleaseArgs) -> pulumi.Output[dict[str, str]]:
    """The tags of every release child: its platform's (published in the platform's `tags`
    attachment; a platform published before it had none) and the release's own."""
    published = platform.attachments.get("tags")
    given = pulumi.Output.from_input(published if published is not None else "{}")
    return given.apply(lambda text: {**json.loads(text or "{}"), **release_tags(args)})


def release_tags(args: ReleaseArgs) -> dict[str, str]:
    """The tags every cloud puts on a release's children, beside the platform's."""
    return {
        "mlserving:model": args.model_name,
        "mlserving:version": args.version,
        "mlserving:api-version": args.api_version,
    }
