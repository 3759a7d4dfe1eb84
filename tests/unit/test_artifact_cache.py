"""`prepare_artifact`'s cache of packed models: never a stale or a foreign artifact.

A model is packed and hashed once per content (bench/, issue 6); these are the cases the
mutation run found untested: what makes the cache key (the source, the cache directory,
every file's relative path, size and mtime, a single file's too), the default cache place,
a cache directory whose parents do not exist yet, and absolute paths for what is uploaded.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pulumi
import pytest
from mlserving_provider.artifact import prepare_artifact


def model(directory: Path, weights: bytes = b"weights") -> Path:
    (directory / "code").mkdir(parents=True)
    (directory / "weights.bin").write_bytes(weights)
    (directory / "code" / "inference.py").write_text("def predict(x):\n    return x\n")
    for path in (directory / "weights.bin", directory / "code" / "inference.py"):
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return directory


def test_a_changed_single_file_is_packed_again(tmp_path: Path) -> None:
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"first")
    first = prepare_artifact(pulumi.FileAsset(str(weights)), tmp_path / "cache")
    weights.write_bytes(b"second!")
    second = prepare_artifact(pulumi.FileAsset(str(weights)), tmp_path / "cache")
    assert first.sha256 != second.sha256


def test_a_renamed_directory_is_packed_again(tmp_path: Path) -> None:
    """A rename keeps every file's name, size and mtime: only the relative paths change."""
    source = model(tmp_path / "model")
    first = prepare_artifact(pulumi.FileArchive(str(source)), tmp_path / "cache")
    (source / "code").rename(source / "lib")
    second = prepare_artifact(pulumi.FileArchive(str(source)), tmp_path / "cache")
    assert first.sha256 != second.sha256


def test_two_sources_that_look_alike_are_not_confused(tmp_path: Path) -> None:
    """Same file names, sizes and mtimes, other bytes: the source is part of the cache key."""
    one = prepare_artifact(pulumi.FileArchive(str(model(tmp_path / "a", b"weights"))), tmp_path / "cache")
    other = prepare_artifact(pulumi.FileArchive(str(model(tmp_path / "b", b"WEIGHTS"))), tmp_path / "cache")
    assert one.sha256 != other.sha256


def test_another_cache_directory_gets_its_own_copy(tmp_path: Path) -> None:
    source = model(tmp_path / "model")
    first = prepare_artifact(pulumi.FileArchive(str(source)), tmp_path / "cache-a")
    second = prepare_artifact(pulumi.FileArchive(str(source)), tmp_path / "cache-b")
    assert first.sha256 == second.sha256
    assert second.path == tmp_path / "cache-b" / f"{second.sha256}.tar.gz"
    assert second.path.exists()


def test_the_default_cache_is_in_the_system_temporary_directory(tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model(tmp_path / "model"))))
    assert prepared.path == Path(tempfile.gettempdir()) / "mlserving-artifacts" / f"{prepared.sha256}.tar.gz"


def test_a_cache_directory_is_made_with_its_parents(tmp_path: Path) -> None:
    deep = tmp_path / "not" / "yet" / "there"
    prepared = prepare_artifact(pulumi.FileArchive(str(model(tmp_path / "model"))), deep)
    assert prepared.path == deep / f"{prepared.sha256}.tar.gz"


@pytest.mark.parametrize("name", ["model.tar.gz", "model.tgz"])
def test_a_relative_tarball_is_uploaded_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A relative path is the program's (the working directory); the upload gets it absolute."""
    (tmp_path / "program").mkdir()
    (tmp_path / "program" / name).write_bytes(b"already packed")
    monkeypatch.chdir(tmp_path / "program")
    prepared = prepare_artifact(pulumi.FileAsset(name), tmp_path / "cache")
    assert prepared.path == tmp_path / "program" / name
    assert isinstance(prepared.asset, pulumi.FileAsset)
    assert prepared.asset.path == str(tmp_path / "program" / name)
