"""Model artifacts: packing to `model.tar.gz` and content addressing.

SageMaker and Azure ML load a model from one `model.tar.gz`. A FileAsset that is
already a tarball is uploaded as it is; any other file, or a directory
(FileArchive), is packed into a reproducible tarball (sorted entries, zeroed
times and owners), so the same content always has the same SHA-256 and so the same
immutable key `models/<modelName>/<version>/<sha256>/model.tar.gz`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pulumi

__all__ = ["Artifact", "artifact_key", "prepare_artifact"]

TARBALL_SUFFIXES = (".tar.gz", ".tgz")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Artifact:
    """A model artifact ready to upload."""

    path: Path
    sha256: str
    asset: pulumi.FileAsset


def artifact_key(model_name: str, version: str, sha256: str) -> str:
    """The immutable, content-addressed object key of an artifact."""
    return f"models/{model_name}/{version}/{sha256}/model.tar.gz"


def prepare_artifact(source: pulumi.Asset | pulumi.Archive, cache_dir: Path | None = None) -> Artifact:
    """Resolve a user's Asset or Archive to a tarball on disk and its SHA-256.

    A relative path is relative to the working directory, which the engine sets to
    the calling program's directory. Raises ValueError with a user-facing reason.
    """
    raw = _local_path(source)
    path = Path(raw)
    if not path.is_absolute():
        path = Path.cwd() / path
    if not path.exists():
        raise ValueError(f"does not exist: {raw!r} (resolved to {str(path)!r})")
    if path.is_file() and path.name.endswith(TARBALL_SUFFIXES):
        sha = sha256_file(path)
        return Artifact(path=path, sha256=sha, asset=pulumi.FileAsset(str(path)))
    data = _pack(path)
    sha = hashlib.sha256(data).hexdigest()
    target_dir = cache_dir or Path(tempfile.gettempdir()) / "mlserving-artifacts"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{sha}.tar.gz"
    if not target.exists():
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return Artifact(path=target, sha256=sha, asset=pulumi.FileAsset(str(target)))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _local_path(source: pulumi.Asset | pulumi.Archive) -> str:
    if isinstance(source, pulumi.FileAsset):
        return str(source.path)
    if isinstance(source, pulumi.FileArchive):
        return str(source.path)
    raise ValueError(
        f"must be a FileAsset (a model file or model.tar.gz) or a FileArchive (a model directory) "
        f"(got {type(source).__name__})"
    )


def _pack(path: Path) -> bytes:
    """A reproducible gzip'd tarball of a file or of a directory's contents."""
    buffer = io.BytesIO()
    # mtime=0 keeps the gzip header free of the packing time.
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        if path.is_file():
            _add(tar, path, path.name)
        else:
            for item in sorted(p for p in path.rglob("*") if p.is_file()):
                _add(tar, item, item.relative_to(path).as_posix())
    return buffer.getvalue()


def _add(tar: tarfile.TarFile, path: Path, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as f:
        tar.addfile(info, f)
