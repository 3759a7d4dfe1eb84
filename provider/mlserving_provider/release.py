"""The ModelRelease component."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from mlserving_provider.args import Problem, Scaling
from mlserving_provider.clouds import backend
from mlserving_provider.platform_ref import PlatformReference, PlatformState, read_platform
from mlserving_provider.validation import ValidRelease, raise_problems, validate_release

__all__ = ["RELEASE_TOKEN", "ModelRelease"]

RELEASE_TOKEN = "mlserving:index:ModelRelease"


class ModelRelease(pulumi.ComponentResource):
    """One model version on one API version of a platform (see schema.json)."""

    outputs: dict[str, Any]

    def __init__(
        self,
        name: str,
        release: ValidRelease,
        platform: PlatformState,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(RELEASE_TOKEN, name, {}, opts)
        build = backend(platform.cloud).release
        self.outputs = build(self, name, release.args, release.scaling, platform, release.artifact).as_state()
        self.register_outputs(self.outputs)

    @classmethod
    def from_inputs(cls, name: str, inputs: Mapping[str, Any], opts: pulumi.ResourceOptions) -> ModelRelease:
        """Validate raw construct inputs against the attached platform, then build."""
        read: list[PlatformState] = []

        def platform() -> tuple[str, Scaling]:
            ref = inputs["platform"]
            if not isinstance(ref, PlatformReference):
                raise_problems(
                    "ModelRelease",
                    [Problem("platform", f"must be a reference to an MLServingPlatform (got {type(ref).__name__})")],
                )
            read.append(read_platform(ref.platform_urn))
            return read[0].cloud, read[0].scaling

        return cls(name, validate_release(inputs, platform), read[0], opts)
