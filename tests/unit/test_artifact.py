"""Model artifacts: reproducible tarballs, content addressing, prepared once per content.

The SHA-256 names the immutable object key, so packing must never change it: the
tarball is compared byte for byte with a reference packing written here.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from pathlib import Path

import pulumi
import pytest
from mlserving_provider import artifact
from mlserving_provider.artifact import artifact_key, prepare_artifact, unpacked_files


def reference_tarball(directory: Path) -> bytes:
    """The packing the provider has always done (sorted, zeroed times and owners, PAX, gzip mtime 0)."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for item in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(item.relative_to(directory).as_posix())
            info.size = item.stat().st_size
            info.mode = 0o644
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with item.open("rb") as f:
                tar.addfile(info, f)
    return buffer.getvalue()


@pytest.fixture
def model(tmp_path: Path) -> Path:
    directory = tmp_path / "model"
    (directory / "code").mkdir(parents=True)
    (directory / "weights.bin").write_bytes(bytes(range(256)) * 4096)
    (directory / "code" / "inference.py").write_text("def predict(x):\n    return x\n")
    return directory


def test_directory_is_packed_exactly_as_before(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    expected = reference_tarball(model)
    assert prepared.path.read_bytes() == expected
    assert prepared.sha256 == hashlib.sha256(expected).hexdigest()
    assert prepared.path.name == f"{prepared.sha256}.tar.gz"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [prepared.path.name]


def test_same_content_elsewhere_has_the_same_key(model: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    (copy / "code").mkdir(parents=True)
    (copy / "weights.bin").write_bytes((model / "weights.bin").read_bytes())
    (copy / "code" / "inference.py").write_text((model / "code" / "inference.py").read_text())
    os.utime(copy / "weights.bin", (1, 1))
    first = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    second = prepare_artifact(pulumi.FileArchive(str(copy)), tmp_path / "cache")
    assert first.sha256 == second.sha256
    assert artifact_key("m", "v1", "1.0.0", first.sha256) == f"models/m/v1/1.0.0/{first.sha256}/model.tar.gz"


def test_one_model_and_version_on_two_api_versions_has_two_keys() -> None:
    """An API version has one release per platform, so a key with it is one release's (the day-two
    suite: `sentiment` 1.0.0 on v1..v11)."""
    sha = "ab" * 32
    keys = [artifact_key("sentiment", f"v{n}", "1.0.0", sha) for n in range(1, 12)]
    assert keys == [f"models/sentiment/v{n}/1.0.0/{sha}/model.tar.gz" for n in range(1, 12)]
    assert len(set(keys)) == 11


def test_a_model_is_packed_once_while_it_is_unchanged(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed: list[Path] = []
    pack = artifact._pack

    def counting_pack(path: Path, out: io.RawIOBase) -> None:
        packed.append(path)
        pack(path, out)

    monkeypatch.setattr(artifact, "_pack", counting_pack)
    first = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    again = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    assert again == first
    assert packed == [model]

    (model / "code" / "inference.py").write_text("def predict(x):\n    return 2 * x\n")
    changed = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    assert changed.sha256 != first.sha256
    assert changed.path.read_bytes() == reference_tarball(model)
    assert packed == [model, model]


def test_a_tarball_is_uploaded_as_it_is(tmp_path: Path) -> None:
    tarball = tmp_path / "model.tar.gz"
    tarball.write_bytes(b"already packed")
    prepared = prepare_artifact(pulumi.FileAsset(str(tarball)), tmp_path / "cache")
    assert prepared.path == tarball
    assert prepared.sha256 == hashlib.sha256(b"already packed").hexdigest()
    assert not (tmp_path / "cache").exists()


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^does not exist: 'nope' \(resolved to '.*nope'\)$"):
        prepare_artifact(pulumi.FileArchive("nope"), tmp_path / "cache")


def test_unpacked_files_are_what_sagemaker_unpacks(model: Path, tmp_path: Path) -> None:
    """Azure ML gets the tarball's files, as SageMaker puts them in /opt/ml/model."""
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    files = unpacked_files(prepared, tmp_path / "cache")
    assert [name for name, _ in files] == ["code/inference.py", "weights.bin"]
    assert all(path.read_bytes() == (model / name).read_bytes() for name, path in files)
    # Unpacked once per content.
    assert unpacked_files(prepared, tmp_path / "cache") == files


def test_a_single_model_file_is_unpacked_to_itself(tmp_path: Path) -> None:
    weights = tmp_path / "model.pt"
    weights.write_bytes(b"weights")
    prepared = prepare_artifact(pulumi.FileAsset(str(weights)), tmp_path / "cache")
    ((name, path),) = unpacked_files(prepared, tmp_path / "cache")
    assert (name, path.read_bytes()) == ("model.pt", b"weights")


def test_a_tarball_member_outside_the_model_directory_is_refused(tmp_path: Path) -> None:
    tarball = tmp_path / "model.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    prepared = prepare_artifact(pulumi.FileAsset(str(tarball)), tmp_path / "cache")
    with pytest.raises(ValueError, match=r"^cannot be unpacked as a model.tar.gz: .*escape\.txt"):
        unpacked_files(prepared, tmp_path / "cache")
    assert not (tmp_path / "escape.txt").exists()
    assert list((tmp_path / "cache").glob("*.unpacked")) == []
