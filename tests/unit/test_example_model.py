"""examples/model answers the same on both clouds, wherever the model's files are mounted.

SageMaker unpacks model.tar.gz into /opt/ml/model; Azure ML mounts the same files (unpacked
by mlserving) under its model mount path, possibly below a sub-directory; a model registered
from the tarball itself is mounted as the tarball alone.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pulumi
import pytest
from mlserving_provider.artifact import prepare_artifact, unpacked_files

MODEL = Path(__file__).resolve().parents[2] / "examples" / "model"


def handler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_inference", MODEL / "code" / "inference.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def layouts(tmp_path: Path) -> dict[str, Path]:
    """The model directory as each cloud gives it to the container."""
    prepared = prepare_artifact(pulumi.FileArchive(str(MODEL)), tmp_path / "cache")
    files = unpacked_files(prepared, tmp_path / "cache")
    out: dict[str, Path] = {}
    for name, below in (("sagemaker", ""), ("azure-versioned", "sentiment-v1/1000000"), ("azure-folder", "model")):
        root = tmp_path / name / "opt" / "ml" / "model"
        for relative, path in files:
            target = root / below / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        out[name] = root
    tarball_only = tmp_path / "tarball" / "opt" / "ml" / "model"
    tarball_only.mkdir(parents=True)
    shutil.copyfile(prepared.path, tarball_only / "model.tar.gz")
    out["tarball-only"] = tarball_only
    return out


@pytest.mark.parametrize("layout", ["sagemaker", "azure-versioned", "azure-folder", "tarball-only"])
def test_the_example_model_answers_in_every_layout(tmp_path: Path, layout: str) -> None:
    inference = handler()
    model = inference.model_fn(str(layouts(tmp_path)[layout]))
    texts = inference.input_fn('{"instances": ["great product, works perfectly", "terrible, broke after a day"]}')
    labels = [p["label"] for p in inference.predict_fn(texts, model)]
    assert labels == ["positive", "negative"]


def test_a_model_directory_without_the_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"^no sentiment\.json \(nor model\.tar\.gz\) in "):
        handler().model_fn(str(tmp_path))
