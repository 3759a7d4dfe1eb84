"""`unpacked_files`: an artifact's files as SageMaker unpacks them (the Azure backend uploads them).

Checked against the system's `tar` where it matters, and on the cases the mutation run found
untested: the default cache place, a cache directory whose parents do not exist yet, links in
a tarball (left out), and a tarball that cannot be unpacked (an input error, nothing left behind).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pulumi
import pytest
from mlserving_provider.artifact import prepare_artifact, unpacked_files


@pytest.fixture
def model(tmp_path: Path) -> Path:
    directory = tmp_path / "model"
    (directory / "code").mkdir(parents=True)
    (directory / "weights.bin").write_bytes(b"weights")
    (directory / "code" / "inference.py").write_text("def predict(x):\n    return x\n")
    return directory


def test_the_files_are_the_ones_system_tar_extracts(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    files = unpacked_files(prepared, tmp_path / "cache")
    out = tmp_path / "tar"
    out.mkdir()
    subprocess.run(["tar", "-xzf", str(prepared.path), "-C", str(out)], check=True)
    assert [name for name, _ in files] == ["code/inference.py", "weights.bin"]
    for name, path in files:
        assert path == tmp_path / "cache" / f"{prepared.sha256}.unpacked" / name
        assert path.read_bytes() == (out / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        f"{prepared.sha256}.tar.gz",
        f"{prepared.sha256}.unpacked",
    ]


def test_the_default_cache_is_in_the_system_temporary_directory(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    files = unpacked_files(prepared)
    place = Path(tempfile.gettempdir()) / "mlserving-artifacts" / f"{prepared.sha256}.unpacked"
    assert [path for _, path in files] == [place / "code" / "inference.py", place / "weights.bin"]


def test_a_cache_directory_is_made_with_its_parents(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    deep = tmp_path / "not" / "yet" / "there"
    files = unpacked_files(prepared, deep)
    assert [name for name, _ in files] == ["code/inference.py", "weights.bin"]
    assert (deep / f"{prepared.sha256}.unpacked").is_dir()


def _tarball(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, mode="w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def test_links_in_a_given_tarball_are_left_out(tmp_path: Path) -> None:
    weights = tarfile.TarInfo("weights.bin")
    weights.size = 7
    link = tarfile.TarInfo("latest.bin")
    link.type, link.linkname = tarfile.SYMTYPE, "weights.bin"
    tarball = _tarball(tmp_path / "model.tar.gz", [(weights, b"weights"), (link, None)])
    prepared = prepare_artifact(pulumi.FileAsset(str(tarball)), tmp_path / "cache")
    files = unpacked_files(prepared, tmp_path / "cache")
    assert [name for name, _ in files] == ["weights.bin"]
    assert not (tmp_path / "cache" / f"{prepared.sha256}.unpacked" / "latest.bin").exists()


def test_a_tarball_that_cannot_be_unpacked_is_an_input_error_and_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "model.tar.gz"
    broken.write_bytes(b"not a tarball")
    prepared = prepare_artifact(pulumi.FileAsset(str(broken)), tmp_path / "cache")
    with pytest.raises(ValueError, match=r"^cannot be unpacked as a model\.tar\.gz: "):
        unpacked_files(prepared, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []
