"""Shared fixtures: a platform and releases built under the mocks."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from mlserving_provider.platform import MLServingPlatform
from mlserving_provider.platform_ref import PlatformReference
from mlserving_provider.release import ModelRelease

from tests import mocks


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    """A model directory holding one weights file."""
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.bin").write_bytes(b"weights")
    return tmp_path / "model"


@pytest.fixture
def model_archive(tmp_path: Path) -> pulumi.FileArchive:
    model = tmp_path / "model"
    model.mkdir()
    (model / "weights.bin").write_bytes(b"weights")
    (model / "inference.py").write_text("def predict(x): return x\n")
    return pulumi.FileArchive(str(model))


Build = Callable[..., tuple[mocks.Recorder, MLServingPlatform, list[ModelRelease]]]


@pytest.fixture
def build(model_archive: pulumi.FileArchive) -> Build:
    """Build a platform, then releases attached to it, as the engine would."""

    def go(
        platform: dict[str, Any] | None = None, releases: list[dict[str, Any]] | None = None
    ) -> tuple[mocks.Recorder, MLServingPlatform, list[ModelRelease]]:
        recorder = mocks.install()
        built = mocks.run(
            lambda: MLServingPlatform.from_inputs("ml", {"cloud": "aws", **(platform or {})}, pulumi.ResourceOptions())
        )
        ref = PlatformReference(mocks.resolve(built.urn))
        made = []
        for spec in releases or []:
            name = spec.pop("name")
            inputs = {
                "platform": ref,
                "artifact": model_archive,
                "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
                **spec,
            }
            made.append(mocks.run(functools.partial(ModelRelease.from_inputs, name, inputs, pulumi.ResourceOptions())))
        return recorder, built, made

    return go


def policy(registered: mocks.Registered, key: str = "policy") -> Any:
    return json.loads(registered.inputs[key])
