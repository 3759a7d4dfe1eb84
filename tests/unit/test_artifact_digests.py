"""Artifact digests against computations that are not the provider's own.

A model's SHA-256 names its immutable key `models/<name>/<apiVersion>/<version>/<sha256>/model.tar.gz`,
so it is checked three ways that share no code with `prepare_artifact`:
- the system's `sha256sum` of the file that is uploaded;
- the system's `tar` listing and extracting that file (names, sizes, owners, modes, times);
- a fixture whose tar stream digest was pinned once: a change to the packing changes it.
"""

from __future__ import annotations

import gzip
import hashlib
import subprocess
from pathlib import Path

import pulumi
import pytest
from mlserving_provider.artifact import artifact_key, prepare_artifact

# The SHA-256 of the uncompressed tar stream of the `model` fixture, pinned once (tarfile PAX,
# sorted members, owner 0/0, mode 0644, mtime 0). It does not depend on the zlib build, the
# `.tar.gz` digest does (it is checked with sha256sum instead).
PINNED_TAR_SHA256 = "2cf9fd5782dd8a0ed200ecfd38e5f1e243a3286882cb5c9e0b302b295d753017"
# sha256("already packed"), pinned: a tarball the user gives is uploaded and named as it is.
PINNED_GIVEN_TARBALL_SHA256 = "a59b861a76e1954a74b974d8e67a6d8fc8e37df132d4b791bfc904629f040936"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    directory = tmp_path / "model"
    (directory / "code").mkdir(parents=True)
    (directory / "weights.bin").write_bytes(bytes(range(256)) * 16)
    (directory / "code" / "inference.py").write_text("def predict(x):\n    return x\n")
    (directory / "config.json").write_text('{"labels": ["negative", "positive"]}\n')
    return directory


def system(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_the_digest_is_sha256sum_of_the_uploaded_file(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    digest = system("sha256sum", str(prepared.path)).split()[0]
    assert prepared.sha256 == digest
    assert prepared.asset.path == str(prepared.path)
    assert artifact_key("fraud", "v1", "1.0.0", prepared.sha256) == f"models/fraud/v1/1.0.0/{digest}/model.tar.gz"


def test_system_tar_lists_sorted_files_owned_by_root_with_epoch_times(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    listing = system("tar", "--numeric-owner", "--utc", "-tvzf", str(prepared.path)).splitlines()
    assert [line.split() for line in listing] == [
        ["-rw-r--r--", "0/0", "29", "1970-01-01", "00:00", "code/inference.py"],
        ["-rw-r--r--", "0/0", "37", "1970-01-01", "00:00", "config.json"],
        ["-rw-r--r--", "0/0", "4096", "1970-01-01", "00:00", "weights.bin"],
    ]


def test_system_tar_extracts_the_model_byte_for_byte(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    out = tmp_path / "out"
    out.mkdir()
    system("tar", "-xzf", str(prepared.path), "-C", str(out))
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["code/inference.py", "config.json", "weights.bin"]
    for name in files:
        assert (out / name).read_bytes() == (model / name).read_bytes(), name


def test_the_packing_is_pinned(model: Path, tmp_path: Path) -> None:
    prepared = prepare_artifact(pulumi.FileArchive(str(model)), tmp_path / "cache")
    packed = prepared.path.read_bytes()
    # gzip header (RFC 1952): magic, deflate, no flags (no file name), mtime 0, max compression, OS unknown.
    assert packed[:10] == bytes.fromhex("1f8b08000000000002ff")
    assert hashlib.sha256(gzip.decompress(packed)).hexdigest() == PINNED_TAR_SHA256


def test_a_given_tarball_is_named_by_its_own_digest(tmp_path: Path) -> None:
    tarball = tmp_path / "model.tar.gz"
    tarball.write_bytes(b"already packed")
    prepared = prepare_artifact(pulumi.FileAsset(str(tarball)), tmp_path / "cache")
    assert prepared.sha256 == PINNED_GIVEN_TARBALL_SHA256 == system("sha256sum", str(tarball)).split()[0]
    assert prepared.path == tarball
