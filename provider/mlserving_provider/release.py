"""The ModelRelease component."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from mlserving_provider.args import Problem, Scaling
from mlserving_provider.clouds import backend
from mlserving_provider.platform_ref import OtherReference, PlatformReference, PlatformState, read_platform
from mlserving_provider.validation import ValidRelease, raise_problems, validate_release

__all__ = ["RELEASE_TOKEN", "ApiVersionClaims", "ModelRelease"]

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
    def from_inputs(
        cls,
        name: str,
        inputs: Mapping[str, Any],
        opts: pulumi.ResourceOptions,
        claims: ApiVersionClaims | None = None,
    ) -> ModelRelease:
        """Validate raw construct inputs against the attached platform, then build.

        With `claims` (the provider's), a second release of the same API version on the
        same platform is refused.
        """
        read: list[PlatformState] = []

        def platform() -> tuple[str, Scaling, Mapping[str, Any]]:
            ref = inputs["platform"]
            if not isinstance(ref, PlatformReference):
                got = f"a reference to {ref.reference_type}" if isinstance(ref, OtherReference) else type(ref).__name__
                raise_problems(
                    "ModelRelease", [Problem("platform", f"must be a reference to an MLServingPlatform (got {got})")]
                )
            try:
                read.append(read_platform(ref.platform_urn))
            except ValueError as err:
                raise_problems("ModelRelease", [Problem("platform", str(err))])
            return read[0].cloud, read[0].scaling, read[0].settings

        valid = validate_release(inputs, platform)
        if claims is not None:
            raise_problems("ModelRelease", claims.claim(read[0].urn, valid.args.api_version, name))
        return cls(name, valid, read[0], opts)


class ApiVersionClaims:
    """Which ModelRelease serves each API version of each platform, in one deployment.

    The engine starts the provider for each operation, so one provider process sees
    every ModelRelease of the program. Two releases with the same `apiVersion` on one
    platform would fight over one API stage, usage plan and endpoint name and fail
    half-way in the cloud; the second is refused before it creates anything.
    """

    def __init__(self) -> None:
        self._owners: dict[tuple[str, str], str] = {}

    def claim(self, platform_urn: str, api_version: str, release: str) -> list[Problem]:
        """Claim `api_version` of a platform for `release`; the problem if another release has it."""
        owner = self._owners.setdefault((platform_urn, api_version), release)
        if owner == release:
            return []
        return [
            Problem(
                "apiVersion",
                f"is already served by the ModelRelease {owner!r} on this platform (one API version has one "
                f"stage, usage plan and endpoint): give one of them another 'apiVersion' (got {api_version!r})",
            )
        ]
